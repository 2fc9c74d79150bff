"""The line groups of OutputView: short lines share a display block, and nothing shows it.

Lines joined by a line separator (see output_text.LINE_GROUP for why) are one block to Qt. Two
things a user would notice are put right here:

* **The scroll bar.** QPlainTextEdit counts a block it has not laid out as one line, and a width
  change (a resize, the scroll bar appearing) forgets every block's count; a group of 20 lines
  would count as one until painted, and the scroll bar would jump as it scrolled. After a width
  change or a text set in one go, blocks are laid out in the background, a turn's budget at a
  time, until every count is right again.
* **Triple-click** selects the line under the mouse (Qt would select the whole block: a group of
  lines, or one display block of a long paragraph).

A mixin rather than a class of its own, like output_breaks.py: it works on the one
QPlainTextEdit that OutputView is, and only ever is mixed into OutputView, ahead of it.
"""

from __future__ import annotations

import time
from bisect import bisect_left

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import QApplication

from app.ui.widgets.output_text import LINE_SEPARATOR, py_index, qt_len


class LineGroupsMixin:
    """Part of OutputView: exact line counts for its scroll bar, and triple-click by line."""

    _soft: list[int]  # Qt positions of soft breaks (sorted)
    _measure_at: int | None  # next block number to lay out, or None: every count is right
    _double_click: tuple[float, QPoint] | None  # when and where the last double-click was

    # the scroll bar's line counts --------------------------------------------------------------

    def _start_measuring(self) -> None:
        self._measure_at = 0
        self._schedule()

    def _measure_some(self, deadline: float) -> None:
        """Lay out blocks whose lines are not counted yet (a turn's budget of them), then tell
        the scroll bar the document's size."""
        assert self._measure_at is not None
        doc = self.document()
        layout = doc.documentLayout()
        block = doc.findBlockByNumber(self._measure_at)
        changed = False
        while block.isValid() and time.perf_counter() < deadline:
            if block.layout().lineCount() == 0:
                layout.blockBoundingRect(block)  # lays the block out, its line count with it
                changed = True
            block = block.next()
        self._measure_at = block.blockNumber() if block.isValid() else None
        if changed:
            layout.documentSizeChanged.emit(layout.documentSize())

    # triple-click: one line ----------------------------------------------------------------------

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseDoubleClickEvent(e)  # type: ignore[misc]
        self._double_click = (time.monotonic(), e.position().toPoint())

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt override
        last, self._double_click = self._double_click, None
        if last is not None and e.button() == Qt.MouseButton.LeftButton:
            when, where = last
            near = (e.position().toPoint() - where).manhattanLength()
            soon = time.monotonic() - when < QApplication.doubleClickInterval() / 1000
            if soon and near < QApplication.startDragDistance():
                self._select_line(self.cursorForPosition(e.position().toPoint()).position())
                e.accept()
                return  # Qt's own would select the whole block (and scroll to its end)
        super().mousePressEvent(e)  # type: ignore[misc]

    def _select_line(self, q: int) -> None:
        start, end = self.line_bounds(q)
        cur = QTextCursor(self.document())
        cur.setPosition(start)
        # with its line break, as Qt's own triple-click selects a paragraph
        end = min(end + 1, self.document().characterCount() - 1)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def line_bounds(self, q: int) -> tuple[int, int]:
        """Qt positions of the start and end (before its break) of the text line holding Qt
        position ``q``: between line breaks, whether they are line separators or real block
        breaks, across soft breaks."""
        doc = self.document()
        block = doc.findBlock(q)
        text = block.text()
        i = text.rfind(LINE_SEPARATOR, 0, py_index(text, q - block.position()))
        while i < 0 and self._is_soft(block.position() - 1):
            block = block.previous()
            text = block.text()
            i = text.rfind(LINE_SEPARATOR)
        start = block.position() + (qt_len(text[: i + 1]) if i >= 0 else 0)
        block = doc.findBlock(q)
        text = block.text()
        j = text.find(LINE_SEPARATOR, py_index(text, q - block.position()))
        while j < 0 and self._is_soft(_block_end(block)):
            block = block.next()
            text = block.text()
            j = text.find(LINE_SEPARATOR)
        end = block.position() + qt_len(text[:j] if j >= 0 else text)
        return start, end

    def _is_soft(self, q: int) -> bool:
        i = bisect_left(self._soft, q)
        return i < len(self._soft) and self._soft[i] == q


def _block_end(block: QTextBlock) -> int:
    """Qt position of the separator that ends ``block``."""
    return block.position() + block.length() - 1
