"""Kezek replay (see docs/architecture.md)."""
