"""Light and dark palettes as a desktop would give them, for the tests of what the theme draws."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def palette(dark: bool) -> QPalette:
    """A light or dark palette as a desktop would give (Fusion's own, or its dark mirror)."""
    p = QPalette()
    base, text = (
        (QColor("#1e1e1e"), QColor("#e8e8e8")) if dark else (QColor("white"), QColor("black"))
    )
    window = QColor("#2b2b2b") if dark else QColor("#efefef")
    for role, colour in (
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
    ):
        p.setColor(role, colour)
    return p
