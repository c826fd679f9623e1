"""One module per benchmark case; each returns `Result`s that hold their own baseline."""
