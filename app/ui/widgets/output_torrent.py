"""Output arriving in torrents: a view-ful (or many) a frame, as eight compare columns get it.

Qt lays a block out again, all of it, on any change to it, and the view lays out the block
holding its top line at once (for its scroll offset). Text streaming in fast into a growing tail
block was laid out about twice per character: in the tail as it grew, then again in the old
tail the view's top line was in; and all of it, though most of a frame's text scrolls past
before it is ever painted. Here, when a frame's text alone fills the view and the view follows
the end:

* **A block of its own.** The tail block's last visual line moves to a new block first (a soft
  break at its start, so the lines above look exactly as before), with the document layout's
  signals held; the old tail, off screen now, is not laid out again until scrolled to. Its line
  count is known without a layout: the lines above the one that moved.
* **Only the end is laid out** (read-only views: compare columns). The frame's text goes in as a
  *head* and a *tail* block in one edit, so Qt lays neither out at once; the view then lays out
  the tail (two view-fuls, from the bottom up) and the head, never shown, keeps an estimated
  line count (LineGroupsMixin._estimate_lines). The break between them is a soft break that is
  not at a line start (``_raw``): when the view scrolls to it, it is moved to one (realigned)
  before anyone sees a short line, or at the next width change with every other break. Where the
  text has a line break near the cut, that becomes the block break and nothing needs realigning.

A mixin, like output_breaks.py, mixed into OutputView only, ahead of QPlainTextEdit.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable

from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextCursor

from app.ui.widgets.output_text import (
    LINE_SEPARATOR,
    TORRENT_MIN,
    py_index,
    qt_len,
)


class TorrentMixin:
    """Part of OutputView: a frame's view-ful of text laid out once, or only where seen."""

    follow: bool  # the view follows the end of the output (OutputView._work)
    _soft: list[int]  # Qt positions of soft breaks (sorted)
    _raw: list[int]  # soft breaks not known to be at a line start (sorted)
    _soft_edit: bool
    _insert_soft_break: Callable[[int], None]  # SoftBreaksMixin's
    _realign_one: Callable[[int], int]  # SoftBreaksMixin's
    _is_soft: Callable[[int], bool]  # LineGroupsMixin's: a soft break at Qt position q
    _begin_edit: Callable[[QTextCursor], None]  # UndoStepsMixin's
    _end_edit: Callable[[QTextCursor], None]
    _estimate_lines: Callable[..., bool]  # LineGroupsMixin's
    _own_revision: int  # the document's revision after the view's last own edit
    _torrent_from = 0  # Qt position of the tail block _break_for_torrent moved a line out of
    _torrent_fill = 0  # Qt units that fill the view, as _break_for_torrent worked out
    torrent_per_line = 0.0  # Qt units a line in the last tail (0: it had line breaks)

    def _break_for_torrent(self, out: QTextCursor, units: int) -> int:
        """Before ``units`` of new text go in at ``out``: when they alone fill the view (the view
        following the end), move the tail block's last visual line to a new block first, with
        the document layout's signals held; return how many lines the old tail keeps (0:
        nothing done). ``_settle_torrent`` must follow the insert."""
        block = out.block()
        layout = block.layout()
        lines = layout.lineCount() if layout is not None else 0
        if lines < 2 or not out.atBlockEnd() or not self.follow:
            return 0
        vp, fm = self.viewport(), self.fontMetrics()
        fill = (vp.width() // max(1, fm.averageCharWidth())) * (
            vp.height() // max(1, fm.lineSpacing()) + 1
        )
        if units < max(TORRENT_MIN, fill):
            return 0
        line = layout.lineForTextPosition(out.positionInBlock() - 1)  # holding the last char
        at = line.textStart()
        if not line.isValid() or at <= 0:
            return 0
        q = block.position() + at
        self.document().documentLayout().blockSignals(True)
        self._torrent_from = block.position()
        self._torrent_fill = fill
        text = block.text()
        # Characters a line, as the old tail has them (for a paragraph: a far better estimate of
        # the head's line count than the font's average character width).
        self.torrent_per_line = 0.0 if LINE_SEPARATOR in text else qt_len(text) / lines
        if text[py_index(text, at) - 1] == LINE_SEPARATOR:
            # The line starts a line of the text: a soft break here would leave an empty line
            # after the separator; the separator becomes the block break instead ("\n" either way).
            cur = QTextCursor(self.document())
            self._begin_edit(cur)
            cur.setPosition(q - 1)
            cur.setPosition(q, QTextCursor.MoveMode.KeepAnchor)
            cur.insertBlock()
            self._end_edit(cur)
        else:
            self._insert_soft_break(q)
        return line.lineNumber()  # (>= 1: the line starts after the block's start)

    def _insert_torrent(self, cur: QTextCursor, piece: str, fmt: QTextCharFormat) -> int | None:
        """Insert ``piece`` (after ``_break_for_torrent``) in an edit block already open; in a
        read-only view, as a head and a tail block (see the module docstring). Returns the Qt
        position of a raw soft break put in between, if one was (the caller records it once the
        edit block is closed: the document tells of the whole edit then)."""
        keep = 2 * self._torrent_fill  # the tail: two view-fuls, it alone fills the view
        if not self.isReadOnly() or len(piece) < keep + TORRENT_MIN:
            cur.insertText(piece, fmt)
            return None
        cut = len(piece) - keep
        line_end = piece.rfind(LINE_SEPARATOR, cut - TORRENT_MIN, cut)
        if line_end > 0:  # the text's own line break becomes the block break
            cur.insertText(piece[:line_end] + "\n" + piece[line_end + 1 :], fmt)
            return None
        space = piece.rfind(" ", cut - 64, cut)
        if space > 0:
            cut = space + 1  # (else anywhere: a cluster cut in two is whole again once realigned)
        cur.insertText(piece[:cut], fmt)
        q = cur.position()
        cur.insertBlock()
        cur.insertText(piece[cut:], fmt)
        return q

    def _insert_text(
        self, cur: QTextCursor, piece: str, fmt: QTextCharFormat, torrent: int
    ) -> int | None:
        """Insert a streamed piece in an edit block already open (see ``_insert_torrent``)."""
        if torrent:
            return self._insert_torrent(cur, piece, fmt)
        cur.insertText(piece, fmt)
        return None

    def _after_text(
        self, first: QTextBlock, last: QTextBlock, torrent: int, raw: int | None
    ) -> None:
        """A piece went in, from block ``first`` to ``last``, its edit block closed: record the
        raw break put in, if any, give blocks Qt did not lay out a line count, and let the view
        know (a torrent settles: ``_settle_torrent``)."""
        if raw is not None:
            insort(self._soft, raw)
            insort(self._raw, raw)
        per_line = self.torrent_per_line if torrent else 0
        counted = first != last and self._estimate_lines(first, last, per_line)
        if torrent:
            self._settle_torrent(torrent)
        elif counted:
            layout = self.document().documentLayout()
            layout.documentSizeChanged.emit(layout.documentSize())

    def _settle_torrent(self, kept: int) -> None:
        """After ``_break_for_torrent`` and the insert: give the old tail its line count (the
        ``kept`` lines above the one that moved) without laying it out, let the scroll bar and
        the viewport know, and put the view's top in the new text."""
        doc = self.document()
        layout = doc.documentLayout()
        layout.blockSignals(False)
        old = doc.findBlock(self._torrent_from)
        if old.layout().lineCount() == 0:  # not laid out since (only then is its count stale)
            old.setLineCount(kept)
        # With updates off, QPlainTextEdit moves its top line without working out how far the
        # old top moved, which would lay the old tail out.
        vp, bar = self.viewport(), self.verticalScrollBar()
        vp.setUpdatesEnabled(False)
        try:
            layout.documentSizeChanged.emit(layout.documentSize())
            bar.setValue(bar.maximum())
        finally:
            vp.setUpdatesEnabled(True)
        layout.update.emit()

    def _realign_raw_in_view(self) -> None:
        """Raw soft breaks on screen (or about to be) move to a line start, now."""
        raw = self._raw
        block = self.firstVisibleBlock()
        if not raw or not block.isValid() or raw[-1] < block.position():
            return  # (a view following the end: every raw break is above it)
        top = block.position()
        # Blocks the viewport can hold from the top one: a few, each at least a line high.
        bottom = block
        height = self.viewport().height()
        doc = self.document()
        layout = doc.documentLayout()
        seen = 0.0
        while bottom.next().isValid() and seen < 2 * height:
            seen += layout.blockBoundingRect(bottom).height()
            bottom = bottom.next()
        end = bottom.position() + bottom.length()
        if bisect_left(raw, top) == bisect_left(raw, end):
            return
        own = self._own_revision == doc.revision()
        if not own and (doc.isUndoAvailable() or doc.isRedoAvailable()):
            return  # as _realign_some: the user's undo history matters more than a short line
        if not own:
            doc.setUndoRedoEnabled(False)
        try:
            i = bisect_left(raw, top)
            while i < len(raw) and raw[i] < end:
                q = raw[i]
                if not self._is_soft(q):  # not a soft break any more (an undo): forget it
                    raw.pop(i)
                    continue
                q = self._realign_one(q)  # (drops it from raw)
                # The next block now starts elsewhere and wraps anew: the soft break ending it
                # may be off a line start too. It is realigned when it comes into view (now,
                # if it is): a break is only ever fixed where someone can see it.
                after = doc.findBlock(q + 1)
                last = after.position() + after.length() - 1
                if self._is_soft(last) and last not in raw:
                    insort(raw, last)
                i = bisect_left(raw, q + 1)
        finally:
            if not own:
                doc.setUndoRedoEnabled(True)
