"""The line groups of OutputView: short lines share a display block, and nothing shows it.

Lines joined by a line separator (see output_text.LINE_GROUP for why) are one block to Qt. Two
things a user would notice are put right here:

* **The scroll bar.** QPlainTextEdit counts a block it has not laid out as one line, and a width
  change (a resize, the scroll bar appearing) forgets every block's count; a group of 20 lines
  would count as one until painted, and the scroll bar would jump as it scrolled. After a width
  change or a text set in one go, blocks are laid out in the background, a turn's budget at a
  time, until every count is right again.
* **Following the end.** A view at the end of its output stays there while output goes in,
  however the line count changes (the scroll bar appearing, a background count), until the
  user scrolls up; scrolled back to the end, it follows again. A read-only view (a compare
  column) still at the end when its output ends stays there, until a new text is set.
* **Triple-click** selects the line under the mouse (Qt would select the whole block: a group of
  lines, or one display block of a long paragraph).

A mixin rather than a class of its own, like output_breaks.py: it works on the one
QPlainTextEdit that OutputView is, and only ever is mixed into OutputView, ahead of it.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import QApplication

from app.ui.widgets.output_text import LINE_SEPARATOR, SEPARATOR, py_index, qt_len


class LineGroupsMixin:
    """Part of OutputView: exact line counts for its scroll bar, and triple-click by line."""

    _soft: list[int]  # Qt positions of soft breaks (sorted)
    _measure_at: int | None  # next block number to lay out, or None: every count is right
    _measure_end = 0  # the block number measuring stops before
    _double_click: tuple[float, QPoint] | None  # when and where the last double-click was
    _out: QTextCursor | None  # the output point while output goes in
    follow: bool  # the view follows the end of the output
    _realign_raw_in_view: Callable[[], None]  # TorrentMixin's
    _stuck = False  # a read-only view whose output ended while it followed: it stays at the end

    # the scroll bar's line counts --------------------------------------------------------------

    def _start_measuring(self, block: int = 0) -> None:
        """Count the lines of the blocks from number ``block`` to the last there is now, in the
        background (blocks streamed in later are counted as they go in)."""
        self._measure_at = block if self._measure_at is None else min(block, self._measure_at)
        self._measure_end = max(self._measure_end, self.document().blockCount())
        self._schedule()

    def _estimate_lines(self, first: QTextBlock, last: QTextBlock, per_line: float = 0) -> bool:
        """Blocks from ``first`` to ``last`` that Qt has not laid out (a fast stream's blocks
        scroll past unseen) would count one line each: a scroll bar thousands of lines short.
        Give each a count from its text (its lines, wrapped at the view's average character
        width) until it is laid out (when shown). True if any count changed.

        (Laying them out once the output ended would make the counts exact, but eight columns
        doing that at once stalled the window 50-80 ms: bench/compare_stream.py.)"""
        if per_line < 1:  # (the caller's measured figure, else the font's average)
            width = self.viewport().width() - 2 * self.document().documentMargin()
            per_line = max(1, width / max(1, self.fontMetrics().averageCharWidth()))
        changed = False
        block = first
        while block.isValid():
            if block.isVisible() and block.layout().lineCount() == 0:
                n = sum(
                    max(1, round(len(line) / per_line))
                    for line in block.text().split(LINE_SEPARATOR)
                )
                if n != block.lineCount():
                    block.setLineCount(n)
                    changed = True
            if block == last:
                break
            block = block.next()
        return changed

    def _measure_some(self, deadline: float) -> None:
        """Lay out blocks whose lines are not counted yet (a turn's budget of them), then tell
        the scroll bar the document's size."""
        assert self._measure_at is not None
        doc = self.document()
        layout = doc.documentLayout()
        number = self._measure_at
        block = doc.findBlockByNumber(number)
        changed = False
        while block.isValid() and number < self._measure_end and time.perf_counter() < deadline:
            if block.layout().lineCount() == 0:
                layout.blockBoundingRect(block)  # lays the block out, its line count with it
                changed = True
            block = block.next()
            number += 1
        if block.isValid() and number < self._measure_end:
            self._measure_at = number
        else:
            self._measure_at, self._measure_end = None, 0
        if changed:
            layout.documentSizeChanged.emit(layout.documentSize())

    # following the end -------------------------------------------------------------------------

    def _watch_scroll_bar(self) -> None:
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_scroll_range)

    def _on_scrolled(self, value: int) -> None:
        """Following the end is the user's to choose: scrolled to the end, the view follows it;
        scrolled up to read, it stays there. (And a raw break coming into view is realigned.)"""
        self.follow = value >= self.verticalScrollBar().maximum() - 4
        self._realign_raw_in_view()

    def _on_scroll_range(self, _low: int, high: int) -> None:
        """While output goes in the end also moves with nobody scrolling: the scroll bar
        appearing wraps every line again, a background count adds lines. A view that follows
        the end stays at it (it used to be left behind, stuck near the top for the rest of the
        stream)."""
        if self.follow and (self._out is not None or self._stuck):
            self.verticalScrollBar().setValue(high)

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
        """A soft break at Qt position ``q`` (the list says so, and the document agrees)."""
        i = bisect_left(self._soft, q)
        return (
            i < len(self._soft)
            and self._soft[i] == q
            and self.document().characterAt(q) == SEPARATOR
        )


def _block_end(block: QTextBlock) -> int:
    """Qt position of the separator that ends ``block``."""
    return block.position() + block.length() - 1
