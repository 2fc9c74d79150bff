"""OutputView's colours follow the palette: model output and token shades recoloured per theme.

A mixin rather than a class of its own: it works on the one QPlainTextEdit that OutputView is
(its document, cursor and key events) and shares that view's state, so it is only ever mixed
into OutputView, ahead of QPlainTextEdit; it lives here to keep output_view.py about streaming.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

from app.ui.theme import Theme, theme_for
from app.ui.widgets.output_tokens import COMPLETION_PROPERTY, SHADE_PROPERTY


class PaletteMixin:
    """Part of OutputView: recolouring for a new theme (light or dark palette)."""

    theme: Theme
    _shade_formats: dict[int, QTextCharFormat]  # a shade's char format per band (a cache)
    _formatting: bool  # format-only changes: positions do not move

    # colours follow the palette ---------------------------------------------------------------

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(e)
        if e.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            theme = theme_for(self.palette())
            if theme is not self.theme:
                self.theme = theme
                self.restyle()

    def output_background(self) -> QColor | None:
        """The background of model output (COMPLETION_PROPERTY) in this view; None: plain."""
        return None

    def restyle(self) -> None:
        """Recolour what is shown for the current theme: each character keeps its meaning
        (model output, a token's band), only the colour that says so changes."""
        self._shade_formats.clear()
        output = self.output_background()
        doc = self.document()
        fmt = QTextCharFormat()
        cur = QTextCursor(doc)
        spans: list[tuple[int, int, QColor]] = []
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                f = frag.charFormat()
                band = f.intProperty(SHADE_PROPERTY)
                colour = (
                    self.theme.band_colour(band)
                    if band > 0
                    else output
                    if f.boolProperty(COMPLETION_PROPERTY)
                    else None
                )
                if colour is not None and f.background().color() != colour:
                    spans.append((frag.position(), frag.position() + frag.length(), colour))
                it += 1
            block = block.next()
        if not spans:
            return
        # Nothing of the user's to lose: no undo step at all; else part of the last one (a
        # colour change of its own would be a Ctrl+Z that only brings the old colours back).
        undo = doc.isUndoRedoEnabled() and not (doc.isUndoAvailable() or doc.isRedoAvailable())
        if undo:
            doc.setUndoRedoEnabled(False)
        self._formatting = True
        try:
            cur.joinPreviousEditBlock()
            for start, end, colour in spans:
                fmt.setBackground(colour)
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.mergeCharFormat(fmt)
            self._end_edit(cur)
        finally:
            self._formatting = False
            if undo:
                doc.setUndoRedoEnabled(True)
