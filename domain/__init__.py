"""Kezek domain: the procedure of the Rules as aggregates and events."""
