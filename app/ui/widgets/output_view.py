"""OutputView: the text view model output streams into, whatever shape the output has.

QTextDocument lays out a whole paragraph (block) again on every change to it. A model that writes
one endless line — a run of ``=====``, minified JSON, base64 — made every insert re-lay-out
hundreds of kB: 60–100 ms per insert for a 400 kB paragraph with spaces, over 600 ms for 200 kB
without any break opportunity, growing without bound (bench/gui_stream.py). Qt's own advice for
large text is to break long paragraphs up, and that is what this view does, invisibly:

* **Display blocks.** When the block the output goes into grows past SOFT_LIMIT, a *soft break* (a
  real block separator in the document) is put at the start of the visual line holding the output
  point, so the lines above keep exactly their look and only the short tail block is laid out on
  the next insert. The view remembers where its soft breaks are (``_soft``, Qt positions), and
  everything that leaves the view — ``toPlainText()``, copy, drag, find, logical positions — leaves
  them out: the text itself is never changed.
* **Short lines share a display block.** Qt keeps, per block that has been laid out, a shaping
  buffer sized by its longest line: ~4 KB for every streamed line of its own, 700 MB after 2
  million chunks. Line breaks go in as line separators (U+2028: the same on screen, "\n" in
  the text) until a block holds LINE_GROUP units; then a real break starts the next block.
* **Bounded work per event-loop turn.** Output is queued and inserted in pieces of at most
  SOFT_LIMIT characters while the turn's budget (BUDGET_S) lasts; token colouring is merged into
  runs of equal shade and done under the same budget. However much arrives at once (a 1 MB line,
  2,000 tokens with logprobs in one read), the loop gets a turn every few milliseconds, so Stop
  stays clickable.
* **Tooltips from a side table.** A token's probability tooltip is built when the mouse rests on
  it, from the tokens kept per formatting run; one char format per token (100,000 distinct formats
  for 100,000 tokens) cost both memory and time.

Positions: Qt positions (UTF-16 code units, soft breaks included) inside the view; *logical*
positions (the same without soft breaks: what ``toPlainText()`` and a saved draft count) at its
public face (``logical_position`` / ``qt_position`` convert).

Next to it: output_text.py (display blocks as text) and the mixins OutputView is made of —
output_breaks.py (soft breaks kept out of the text), output_torrent.py (a view-ful a frame laid
out once, or only where seen), output_lines.py (line counts, following the end, triple-click),
output_tokens.py (tooltips), output_undo.py, output_palette.py. The streaming path (append_output,
_work, _insert_piece, _format_some) stays here, in one class, with no extra call per chunk.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.ui.theme import theme_for
from app.ui.widgets.output_breaks import SoftBreaksMixin
from app.ui.widgets.output_lines import LineGroupsMixin
from app.ui.widgets.output_palette import PaletteMixin
from app.ui.widgets.output_text import (
    SOFT_LIMIT,
    display_text,
    group_lines,
    py_index,
    qt_len,
)
from app.ui.widgets.output_tokens import (
    FLOORS,
    SHADE_PROPERTY,
    FormatJob,
    TokenRun,
    TokenTipsMixin,
    shade_band,
)
from app.ui.widgets.output_torrent import TorrentMixin
from app.ui.widgets.output_undo import UndoStepsMixin

if TYPE_CHECKING:
    from app.core.client import TokenLogprob

BUDGET_S = 0.008  # work per event-loop turn: half a frame, the rest is the loop's
# At most this often text goes in: each insert means a layout and a repaint (1-4 ms with token
# shades); ~30 a second look as smooth and leave more of the CPU to reading the stream.
INTERVAL_S = 0.030
FORMAT_BATCH = 2048  # Qt units of text coloured per edit block (one layout of ~1-2 blocks)
# Several views stream at once (compare columns): one turn's budget is shared by all of them, and
# after a view spent it another view waits this long, so eight views never take eight budgets in
# a row (a 64 ms stall) and the loop reads the network in between.
REST_S = 0.004


class _Turn:
    """The budget of the current event-loop turn, shared by every OutputView."""

    deadline = 0.0
    owner: object = None


def claim_turn(view: object, now: float) -> float | None:
    """The deadline ``view`` may work until now, or None: another view just spent the turn's
    budget and the loop gets REST_S first. A view alone keeps the whole budget every turn."""
    if now < _Turn.deadline:
        return _Turn.deadline  # a turn under way: share what is left of it
    if _Turn.owner is not view and now < _Turn.deadline + REST_S:
        return None
    _Turn.deadline = now + BUDGET_S
    _Turn.owner = view
    return _Turn.deadline


@dataclass
class _Pending:
    """Queued output: text not yet in the document, and the tokens that describe it."""

    text: str
    offset: int  # stream offset (Qt units since begin_output) where the text starts
    tokens: list[TokenLogprob] | None = None
    start: QTextCursor | None = None  # where its first piece went
    done: int = 0  # characters of text already in


class OutputView(
    SoftBreaksMixin,
    TorrentMixin,
    LineGroupsMixin,
    TokenTipsMixin,
    UndoStepsMixin,
    PaletteMixin,
    QPlainTextEdit,
):
    """Model output streams in at an output point (``begin_output`` / ``append_output`` /
    ``end_output``), never freezing the loop; the user can still select, copy, find and edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.out_format = QTextCharFormat()  # the format streamed text gets
        self._out: QTextCursor | None = None
        self._soft: list[int] = []  # Qt positions of soft breaks (sorted)
        self._raw: list[int] = []  # those not known to be at a line start (output_torrent.py)
        self._soft_edit = False  # a soft break is being inserted
        self._formatting = False  # format-only changes: positions do not move
        self._queue: deque[_Pending] = deque()
        self._jobs: deque[FormatJob] = deque()
        self._runs: list[TokenRun] = []
        self._stream_offset = 0
        self._ending = False
        self._shade_formats: dict[int, QTextCharFormat] = {}
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(0)
        self._drain.timeout.connect(self._on_drain_timeout)
        self._realign_at: int | None = None  # next soft break to realign from (Qt position)
        self._measure_at: int | None = None  # next block to lay out for the scroll bar
        self._double_click = None
        self._width = -1
        self.theme = theme_for(self.palette())
        # The undo history (Ctrl+Z) is kept across runs: each run is one undo step, its pieces
        # joined to the step of the view's last edit while nothing else changed the document
        # since (the document's revision then is the one after that edit).
        self._own_revision = -1
        # What Qt's undo cannot restore (where the soft breaks are; the editor's output
        # ranges), per undo state (``availableUndoSteps``), for Ctrl+Z and Ctrl+Shift+Z.
        self._states: dict[int, object] = {}
        self._replaying = False
        self.document().contentsChange.connect(self._on_view_contents_change)
        self.document().contentsChanged.connect(self._on_view_contents_changed)
        self.follow = True
        self._watch_scroll_bar()

    def setPlainText(self, text: str) -> None:  # noqa: N802
        """Set the whole text; paragraphs longer than SOFT_LIMIT become several display blocks.
        (Qt's setPlainText starts a new undo history; ``replace_text`` keeps it.)"""
        self.cancel_output()
        self._stuck = False
        self._states.clear()
        shown, soft = display_text(text)
        super().setPlainText(shown)
        self._soft, self._raw = soft, []
        self._states[self.document().availableUndoSteps()] = self.save_state()
        if soft:  # split without a layout: move the breaks to line starts, a turn at a time
            self._start_realigning()
        self._start_measuring()

    # streaming ----------------------------------------------------------------------------------

    def begin_output(self, position: int | None = None) -> None:
        """Start output at logical ``position`` (default: the end)."""
        if self._ending:
            self.flush()  # the last output's queued text goes in first, never lost
        self.cancel_output()
        cur = QTextCursor(self.document())
        if position is None:
            cur.movePosition(QTextCursor.MoveOperation.End)
        else:
            cur.setPosition(self.qt_position(position))
        self._out = cur
        self._stream_offset = 0
        self._ending = False
        self._own_revision = -1  # a run starts an undo step of its own
        bar = self.verticalScrollBar()
        self.follow = bar.value() >= bar.maximum() - 4

    def append_output(self, text: str, tokens: list[TokenLogprob] | None = None) -> int | None:
        """Queue model text (and optionally the tokens it consists of) at the output point.

        Returns the text's stream offset, to hand to ``annotate_tokens`` with its tokens; None
        when there is no output going on. As much as the turn's budget allows goes in at once,
        the rest on the next turns.
        """
        if self._out is None or not text:
            return None
        offset = self._stream_offset
        self._stream_offset += qt_len(text)
        self._queue.append(_Pending(text, offset, tokens))
        now = time.perf_counter()
        if now - self._last_work >= INTERVAL_S:
            deadline = claim_turn(self, now)
            if deadline is not None:
                self._turn_deadline = deadline  # shared with annotate_tokens, called next
                self._work(deadline)
        self._schedule()
        return offset

    def annotate_tokens(self, start: int, text: str, tokens: list[TokenLogprob]) -> int:
        """Give each token of ``text`` (appended at stream offset ``start``) its probability: a
        warmer background the less likely it was, and a tooltip. Returns how many tokens match
        the text (formatting stops at the first that does not: byte-level tokens of some
        servers). The work is queued and done a frame's worth at a time."""
        placed, offset = 0, 0
        for tok in tokens:
            if not tok.token:
                continue
            if not text.startswith(tok.token, offset):
                break
            offset += len(tok.token)
            placed += 1
        for item in self._queue:
            if item.offset == start and item.text == text:
                item.tokens = tokens
                break
        else:
            if self._last is not None and self._last[0] == start and self._last[2] == text:
                self._add_job(QTextCursor(self._last[1]), text, tokens)
        if time.perf_counter() < self._turn_deadline:  # the text just went in: colour it too
            self._work(self._turn_deadline)
        self._schedule()
        return placed

    _last: tuple[int, QTextCursor, str] | None = None  # the last text put in: offset, start
    _last_work = 0.0  # when queued work was last done (perf_counter)
    _turn_deadline = 0.0

    def end_output(self) -> None:
        """The stream is over; queued text still goes in (what the budget allows now, the rest
        over the next turns)."""
        self._ending = True
        self._work(time.perf_counter() + BUDGET_S)
        if not self._queue and not self._jobs:
            self._close_output()
        self._schedule()

    def flush_output(self) -> None:
        """Put every queued piece in now, whatever it costs (the window is closing: the draft
        saved next must hold all the text the run recorded)."""
        self._work(float("inf"))

    def cancel_output(self) -> None:
        """Drop queued text and formatting (the document is about to be replaced)."""
        self._queue.clear()
        self._jobs.clear()
        self._realign_at = None
        self._drain.stop()
        if self._out is not None:
            self._close_output()

    def _close_output(self) -> None:
        # A read-only view (a compare column) at the end when its output ends stays at it,
        # its figures growing under it or its column narrowing; an editor is the user's again.
        self._stuck = self.follow and self.isReadOnly()
        self._out = None
        self._ending = False
        self._last = None
        self.output_closed()

    def output_closed(self) -> None:
        """Hook: the output point is gone (all queued text is in)."""

    def has_pending_work(self) -> bool:
        """Text, token formatting or display breaks to realign still queued."""
        return bool(self._queue or self._jobs) or self._realign_at is not None

    def flush(self) -> None:
        """Do all queued work now (tests; closing a view)."""
        while self.has_pending_work():
            self._work(math.inf)
        if self._ending:
            self._close_output()

    def output_position(self) -> int | None:
        return None if self._out is None else self.logical_position(self._out.position())

    def _schedule(self) -> None:
        if (self.has_pending_work() or self._measure_at is not None) and not self._drain.isActive():
            # Only new text waits for the interval; colouring and realigning what is there
            # goes on at once.
            wait = INTERVAL_S - (time.perf_counter() - self._last_work) if self._queue else 0
            self._drain.start(max(0, int(wait * 1000)))

    def _on_drain_timeout(self) -> None:
        deadline = claim_turn(self, time.perf_counter())
        if deadline is None:  # another view just spent this turn
            self._drain.start(max(1, int(REST_S * 1000)))
            return
        self._turn_deadline = deadline
        self._work(deadline)
        if not self._queue and not self._jobs and self._ending:
            self._close_output()
        self._schedule()

    def _work(self, deadline: float) -> None:
        if not self.has_pending_work():
            if self._measure_at is not None:  # last: line counts of what is there already
                self._measure_some(deadline)
            return
        self._last_work = time.perf_counter()
        follow = self.follow  # (inserts may move the bar on the way: it is set again at the end)
        moved = False
        while self._queue and self._out is not None and time.perf_counter() < deadline:
            item = self._queue[0]
            done = self._insert_piece(item)
            moved = True
            if done:
                self._queue.popleft()
                assert item.start is not None
                self._last = (item.offset, item.start, item.text)
                if item.tokens:
                    self._add_job(QTextCursor(item.start), item.text, item.tokens)
        while self._jobs and time.perf_counter() < deadline:
            self._format_some(self._jobs[0], deadline)
            if self._jobs[0].index >= len(self._jobs[0].tokens):
                self._jobs.popleft()
        if not self._queue and not self._jobs and self._realign_at is not None:
            self._realign_some(deadline)
        if moved and follow:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def _insert_piece(self, item: _Pending) -> bool:
        """Put the next piece of ``item`` in, never growing the block past SOFT_LIMIT; True
        when all of it is in."""
        cur = self._out
        assert cur is not None
        torrent = self._break_for_torrent(cur, qt_len(item.text)) if item.done == 0 else 0
        block = cur.block()
        if not torrent and block.length() - 1 > SOFT_LIMIT - SOFT_LIMIT // 8:
            self._split_tail()
            block = cur.block()
        room = max(SOFT_LIMIT // 8, SOFT_LIMIT - (block.length() - 1))
        text = item.text[item.done :]
        if len(text) <= room // 2 or qt_len(text) <= room:
            piece = text
        else:
            piece = text[: py_index(text, room)]
        at = cur.position()
        piece = group_lines(piece, cur.positionInBlock())  # same length: "\n" -> U+2028
        start = None
        if item.start is None:
            # A copy left where the text goes in (setPosition would cost a layout lookup, a
            # third of an insert into a long block).
            start = QTextCursor(cur)
            start.setKeepPositionOnInsert(True)
        self.before_insert(at, piece)
        first = cur.block()
        raw = None
        try:
            self._begin_edit(cur)
            raw = self._insert_text(cur, piece, self.out_format, torrent)
            self._end_edit(cur)
        finally:
            self.after_insert()
            self._after_text(first, cur.block(), torrent, raw)
        if start is not None:
            start.setKeepPositionOnInsert(False)
            item.start = start
        item.done += len(piece)
        return item.done >= len(item.text)

    def before_insert(self, pos: int, text: str) -> None:
        """Hook: streamed text goes in at Qt ``pos``."""

    def after_insert(self) -> None:
        """Hook: the streamed text is in."""

    def _split_tail(self) -> None:
        """Keep the block the output goes into short: split it at the start of the visual line
        holding the output point (the lines above look exactly as before)."""
        cur = self._out
        assert cur is not None
        block = cur.block()
        rel = cur.position() - block.position()
        at = 0
        layout = block.layout()
        if layout is not None and layout.lineCount() > 1:
            line = layout.lineForTextPosition(max(0, rel - 1))
            if line.isValid():
                at = line.textStart()
        if at < SOFT_LIMIT // 4:  # not laid out (a hidden view), or no line break: near a space
            text = block.text()
            i = py_index(text, rel)
            space = text.rfind(" ", max(0, i - 256), i)
            at = qt_len(text[: space + 1]) if space > 0 else rel
        self._insert_soft_break(block.position() + at)

    # token formatting ---------------------------------------------------------------------------

    def _add_job(self, start: QTextCursor, text: str, tokens: list[TokenLogprob]) -> None:
        run = TokenRun(QTextCursor(start), text)
        self._runs.append(run)
        self._jobs.append(FormatJob(QTextCursor(start), text, tokens, run))

    def _shade_format(self, band: int) -> QTextCharFormat:
        fmt = self._shade_formats.get(band)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(self.theme.band_colour(band))
            fmt.setProperty(SHADE_PROPERTY, band)
            self._shade_formats[band] = fmt
        return fmt

    def _format_some(self, job: FormatJob, deadline: float) -> None:
        """Colour and record tokens of ``job`` until the deadline, one format per run of tokens
        with the same shade. Each batch (FORMAT_BATCH units of text) is one edit block: Qt lays
        its blocks out once at the end, not once per format change. (Hot: ~100,000 tokens a
        second go through here, hence the locals.)"""
        tokens, text, run = job.tokens, job.text, job.run
        n = len(tokens)
        pos = job.cursor.position()
        soft = self._soft
        cur = QTextCursor(self.document())
        plain = [band == 0 for band in range(len(FLOORS))]
        while job.index < n and time.perf_counter() < deadline:
            self._formatting = True
            self._begin_edit(cur)
            try:
                band, band_from = -1, pos
                budget = FORMAT_BATCH
                index, offset, logical = job.index, job.offset, job.logical
                k = bisect_left(soft, pos)
                next_soft = soft[k] if k < len(soft) else -1
                while index < n and budget > 0:
                    tok = tokens[index]
                    piece = tok.token
                    if piece and not text.startswith(piece, offset):
                        index = n  # the rest does not match the text: left plain
                        break
                    index += 1
                    if not piece:
                        continue
                    units = len(piece) if piece.isascii() else qt_len(piece)
                    b = shade_band(tok.logprob)
                    if b != band:
                        if band >= 0 and not plain[band] and pos > band_from:
                            self._merge(cur, band_from, pos, band)
                        band, band_from = b, pos
                    run.add(logical, offset, tok)
                    end = pos + units
                    while 0 <= next_soft < end:  # a display break inside: one more position
                        end += 1
                        k += 1
                        next_soft = soft[k] if k < len(soft) else -1
                    pos = end
                    offset += len(piece)
                    logical += units
                    budget -= units
                job.index, job.offset, job.logical = index, offset, logical
                if band >= 0 and not plain[band] and pos > band_from:
                    self._merge(cur, band_from, pos, band)
            finally:
                self._end_edit(cur)
                self._formatting = False
        job.cursor.setPosition(pos)
        run.length = job.logical
        run.text_end = job.offset
        run.end.setPosition(pos)

    def _merge(self, cur: QTextCursor, start: int, end: int, band: int) -> None:
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cur.mergeCharFormat(self._shade_format(band))

    def clear_tokens(self) -> None:
        self._runs.clear()
        self._jobs.clear()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            if self.viewport().width() != self._width:
                self._width = self.viewport().width()
                self._on_width_changed()
            self._realign_raw_in_view()  # (taller: more of the text in view)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self.show_token_tip(event)
            return True
        return super().viewportEvent(event)
