"""The acts of the procedure, each declared once."""
