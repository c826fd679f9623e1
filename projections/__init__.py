"""Kezek projections (see docs/architecture.md)."""
