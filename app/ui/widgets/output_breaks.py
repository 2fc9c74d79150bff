"""The soft breaks of OutputView: display-block breaks that nothing leaving the view ever shows.

Plain text, copy, drag, find and logical positions leave them out; the cursor keys step over
them; after a width change they move back to the start of a visual line.

A mixin rather than a class of its own: it works on the one QPlainTextEdit that OutputView is
(its document, cursor and key events) and shares that view's state, so it is only ever mixed
into OutputView, ahead of QPlainTextEdit; it lives here to keep output_view.py about streaming.
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor

from app.ui.widgets.output_text import SEPARATOR, plain_chars, py_index, qt_len


class SoftBreaksMixin:
    """Part of OutputView: its soft breaks (``_soft``, sorted Qt positions) kept out of the text."""

    _soft: list[int]  # Qt positions of soft breaks (sorted)
    _soft_edit: bool  # a soft break is being inserted
    _formatting: bool  # format-only changes: positions do not move
    _realign_at: int | None  # next soft break to realign from (Qt position)
    _realign_end = 0  # Qt position realigning stops before
    _own_revision: int  # the document's revision after the view's last own edit
    _start_measuring: Callable[[], None]  # LineGroupsMixin's
    _schedule: Callable[[], None]  # OutputView's: queue background work
    _raw: list[int]  # soft breaks not known to be at a line start (output_torrent.py)

    # the text without soft breaks ---------------------------------------------------------------

    def toPlainText(self) -> str:  # noqa: N802 - Qt name, as callers know it
        if not self._soft:
            return super().toPlainText()
        return self._join(self.document().toRawText(), 0)

    def _join(self, raw: str, first_block: int) -> str:
        """``raw`` (QTextDocument raw text from the start of block ``first_block``) as plain
        text: soft breaks dropped, hard ones as "\\n" (as QPlainTextEdit.toPlainText)."""
        parts = raw.split(SEPARATOR)
        seps = ["\n"] * (len(parts) - 1)
        doc = self.document()
        for s in self._valid_soft():
            i = doc.findBlock(s).blockNumber() - first_block
            if 0 <= i < len(seps):
                seps[i] = ""
        out = parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))
        return plain_chars(out)

    def _valid_soft(self) -> list[int]:
        """The soft breaks, after dropping any that is no longer a separator (a safety net for
        edits whose positions Qt reports ambiguously)."""
        doc = self.document()
        keep = [s for s in self._soft if doc.characterAt(s) == SEPARATOR]
        if len(keep) != len(self._soft):
            self._soft = keep
        return keep

    def text_between(self, start: int, end: int) -> str:
        """Plain text between two Qt positions, soft breaks left out."""
        cur = QTextCursor(self.document())
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        raw = cur.selectedText()
        if not self._soft:
            if SEPARATOR in raw:
                return self._join(raw, 0)
            return plain_chars(raw)
        return self._join(raw, self.document().findBlock(min(start, end)).blockNumber())

    def soft_breaks(self) -> list[int]:
        """Qt positions of the display-block breaks that are not in the text."""
        return list(self._valid_soft())

    def logical_position(self, qt_pos: int) -> int:
        return qt_pos - bisect_left(self._soft, qt_pos)

    def qt_position(self, logical: int) -> int:
        q = logical
        for s in self._soft:
            if s < q:
                q += 1
            else:
                break
        return q

    def _advance(self, q: int, units: int) -> int:
        """The Qt position ``units`` logical units after Qt position ``q``."""
        end = q + units
        i = bisect_left(self._soft, q)
        while i < len(self._soft) and self._soft[i] < end:
            end += 1
            i += 1
        return end

    def find_text(self, needle: str, *, backward: bool = False, case: bool = False) -> bool:
        """Select the next (previous) occurrence of ``needle`` from the cursor, across display
        blocks; False when there is none."""
        if not needle:
            return False
        text = self.toPlainText()
        hay, pin = (text, needle) if case else (text.casefold(), needle.casefold())
        if len(hay) != len(text):  # casefold changed lengths (ß): indices would drift
            hay, pin = text.lower(), needle.lower()
        cur = self.textCursor()
        here = self.logical_position(cur.selectionStart() if backward else cur.selectionEnd())
        at_index = py_index(text, here)
        found = hay.rfind(pin, 0, max(0, at_index)) if backward else hay.find(pin, at_index)
        if found < 0:
            return False
        start = qt_len(text[:found])
        end = start + qt_len(text[found : found + len(needle)])
        cur.setPosition(self.qt_position(start))
        cur.setPosition(
            self._advance(self.qt_position(start), end - start), cur.MoveMode.KeepAnchor
        )
        self.setTextCursor(cur)
        return True

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt override
        cur = self.textCursor()
        mime = QMimeData()
        mime.setText(self.text_between(cur.selectionStart(), cur.selectionEnd()))
        return mime

    def _on_view_contents_change(self, pos: int, removed: int, added: int) -> None:
        if self._formatting or not self._soft:
            return
        for breaks in (self._soft, self._raw) if self._raw else (self._soft,):
            if self._soft_edit:  # a soft break goes in at pos: later ones move by one
                i = bisect_left(breaks, pos)
                breaks[i:] = [s + 1 for s in breaks[i:]]
                continue
            end = pos + removed
            delta = added - removed
            i = bisect_left(breaks, pos)
            # A separator in the removed span is gone; an insertion never makes a soft break.
            breaks[i:] = [s + delta for s in breaks[i:] if s >= end]

    def _insert_soft_break(self, q: int) -> None:
        cur = QTextCursor(self.document())
        if self._own_revision != self.document().revision():
            cur.setPosition(q)  # an undo step of its own: where Ctrl+Z puts the cursor back
        self._soft_edit = True
        try:
            self._begin_edit(cur)
            cur.setPosition(q)  # inside an edit block: no layout lookup for the cursor's x
            cur.insertBlock()
            self._end_edit(cur)
        finally:
            self._soft_edit = False
        insort(self._soft, q)

    # keys across a soft break behave as if it were not there -----------------------------------

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.isReadOnly() and e.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return
        if not self.isReadOnly() and e.matches(QKeySequence.StandardKey.Redo):
            self.redo()
            return
        cur = self.textCursor()
        key = e.key()
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if self._soft and not cur.hasSelection() and plain and not self.isReadOnly():
            p = cur.position()
            soft = set(self._soft)
            if key == Qt.Key.Key_Backspace and p - 1 in soft:
                cur.setPosition(p - 1)  # delete the character before the break, not the break
                self.setTextCursor(cur)
            elif key == Qt.Key.Key_Delete and p in soft:
                cur.setPosition(p + 1)
                self.setTextCursor(cur)
        before = self.textCursor().position()
        super().keyPressEvent(e)
        if self._soft and plain and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            cur = self.textCursor()
            p = cur.position()
            soft = set(self._soft)
            mode = (
                QTextCursor.MoveMode.KeepAnchor
                if mods & Qt.KeyboardModifier.ShiftModifier
                else QTextCursor.MoveMode.MoveAnchor
            )
            # Either side of a soft break is the same place in the text: skip the second stop.
            if key == Qt.Key.Key_Right and before in soft and p == before + 1:
                cur.movePosition(QTextCursor.MoveOperation.NextCharacter, mode)
                self.setTextCursor(cur)
            elif key == Qt.Key.Key_Left and p in soft and before == p + 1:
                cur.movePosition(QTextCursor.MoveOperation.PreviousCharacter, mode)
                self.setTextCursor(cur)

    # display breaks follow the wrap width ------------------------------------------------------

    def _on_width_changed(self) -> None:
        self._start_realigning()
        self._start_measuring()  # Qt forgot every block's line count: count them again

    def _start_realigning(self) -> None:
        """Realign the soft breaks there are now, in the background (those streamed in later
        go in at line starts)."""
        if self._soft:
            self._realign_at = 0
            self._realign_end = max(self._realign_end, self._soft[-1] + 1)
            self._schedule()

    def _realign_some(self, deadline: float) -> None:
        """Move soft breaks, first to last, to the start of the last visual line of the block
        they end: after a width change (a resize, the scroll bar appearing) or a text set in
        one go, a break elsewhere would end a line early. Each move is an edit, so it is only
        done while it can join the view's own last undo step (a run, a restore) or the undo
        history is empty."""
        doc = self.document()
        own = self._own_revision == doc.revision()
        undo = doc.isUndoRedoEnabled() and not own
        if undo and (doc.isUndoAvailable() or doc.isRedoAvailable()):
            self._realign_at = None  # the user's undo history matters more than a short line
            return
        if undo:
            doc.setUndoRedoEnabled(False)
        try:
            while self._realign_at is not None and time.perf_counter() < deadline:
                i = bisect_left(self._soft, self._realign_at)
                if i >= len(self._soft) or self._soft[i] >= self._realign_end:
                    self._realign_at, self._realign_end = None, 0
                    break
                self._realign_at = self._realign_one(self._soft[i]) + 1
        finally:
            if undo:
                doc.setUndoRedoEnabled(True)

    def _realign_one(self, s: int) -> int:
        """Move the soft break at ``s`` to the start of the last visual line of the block it
        ends; returns where it is now."""
        doc = self.document()
        block = doc.findBlock(s)
        doc.documentLayout().blockBoundingRect(block)  # laid out at the current width
        layout = block.layout()
        n = layout.lineCount()
        start = block.position() + (layout.lineAt(n - 1).textStart() if n else 0)
        i = bisect_left(self._raw, s)
        if i < len(self._raw) and self._raw[i] == s:
            del self._raw[i]
        if block.position() < start < s:
            cur = QTextCursor(doc)
            cur.setPosition(s)
            cur.setPosition(s + 1, QTextCursor.MoveMode.KeepAnchor)
            self._begin_edit(cur)
            cur.removeSelectedText()
            self._end_edit(cur)
            self._insert_soft_break(start)
            return start
        return s
