"""Reusable widgets of the Qt shell."""
