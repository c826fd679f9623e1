"""Kezek api (see docs/architecture.md)."""
