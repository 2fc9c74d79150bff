"""Promptpad Qt shell: widgets, controllers, dialogs (PySide6)."""
