"""The prompt editor: plain text where model output is marked (highlighted) as it streams in.

Text is appended through a QTextCursor at the insertion point, never by re-setting the document,
so each frame's work is proportional to the new text. Completion ranges carry a char-format
property, so they survive edits and can be saved with the draft. Positions are Qt's (UTF-16 code
units), which is also what the draft stores.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.core.storage import Draft

COMPLETION_PROPERTY = QTextFormat.Property.UserProperty + 1
HIGHLIGHT = QColor("#d2f4d3")


def qt_len(text: str) -> int:
    """Length of ``text`` in Qt positions (UTF-16 code units)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class PromptEdit(QPlainTextEdit):
    """Signals: userEdited() — the user (not the stream) changed the text."""

    userEdited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptEdit")
        self.setAccessibleName(self.tr("Prompt and completion"))
        self.setPlaceholderText(
            self.tr(
                "Write a prompt, then press Ctrl+Enter.\n"
                "Put [insert] where the model should write in between."
            )
        )
        self.plain = QTextCharFormat()
        self.plain.setProperty(COMPLETION_PROPERTY, False)
        self.marked = QTextCharFormat()
        self.marked.setBackground(HIGHLIGHT)
        self.marked.setProperty(COMPLETION_PROPERTY, True)
        self._out: QTextCursor | None = None
        self._streaming = False
        self.document().setUndoRedoEnabled(True)
        self.follow = True

    # typing is never highlighted --------------------------------------------------------------

    def keyPressEvent(self, e: QKeyEvent) -> None:
        self.setCurrentCharFormat(self.plain)
        super().keyPressEvent(e)
        if e.text():
            self.userEdited.emit()

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.textCursor().insertText(source.text(), self.plain)
        self.userEdited.emit()

    # streaming --------------------------------------------------------------------------------

    def begin_output(self, position: int | None = None) -> None:
        """Start a completion at ``position`` (Qt units; default: the end)."""
        cur = QTextCursor(self.document())
        if position is None:
            cur.movePosition(QTextCursor.MoveOperation.End)
        else:
            cur.setPosition(position)
        self._out = cur
        self._streaming = True
        # Streamed text must not flood the undo stack with thousands of steps.
        self.document().setUndoRedoEnabled(False)
        bar = self.verticalScrollBar()
        self.follow = bar.value() >= bar.maximum() - 4

    def append_output(self, text: str) -> None:
        cur = self._out
        if cur is None or not text:
            return
        bar = self.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
        cur.insertText(text, self.marked)
        if follow:
            bar.setValue(bar.maximum())

    def end_output(self) -> None:
        self._out = None
        self._streaming = False
        self.document().setUndoRedoEnabled(True)

    def output_position(self) -> int | None:
        return None if self._out is None else self._out.position()

    # ranges and snapshots ---------------------------------------------------------------------

    def completion_ranges(self) -> list[tuple[int, int]]:
        """[start, end) Qt positions of every highlighted (model) run of text."""
        ranges: list[tuple[int, int]] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid() and frag.charFormat().property(COMPLETION_PROPERTY) is True:
                    start, end = frag.position(), frag.position() + frag.length()
                    if ranges and ranges[-1][1] == start:
                        ranges[-1] = (ranges[-1][0], end)
                    else:
                        ranges.append((start, end))
                it += 1
            block = block.next()
        return ranges

    def snapshot(self) -> Draft:
        return Draft(self.toPlainText(), self.completion_ranges(), self.textCursor().position())

    def restore(self, draft: Draft) -> None:
        """Replace the content with a snapshot (text, highlighted ranges, cursor)."""
        self.document().setUndoRedoEnabled(False)
        self.setPlainText(draft.text)
        size = self.document().characterCount() - 1
        for start, end in draft.completions:
            start, end = max(0, min(start, size)), max(0, min(end, size))
            if end > start:
                cur = QTextCursor(self.document())
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.setCharFormat(self.marked)
        cur = self.textCursor()
        cur.setPosition(max(0, min(draft.cursor, size)))
        self.setTextCursor(cur)
        self.setCurrentCharFormat(self.plain)
        self.document().setUndoRedoEnabled(True)

    def remove_text(self, start: int, length: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(start)
        cur.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cur.removeSelectedText()
