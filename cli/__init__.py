"""The `kezek` console script: one command module per verb group."""
