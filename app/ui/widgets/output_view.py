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
"""

from __future__ import annotations

import math
import time
from array import array
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.ui.theme import LIGHT, UNSHADED, Theme, theme_for

if TYPE_CHECKING:
    from app.core.client import TokenLogprob

SOFT_LIMIT = 4096  # Qt units in a display block before the tail is split off (~1-2 ms layout)
BUDGET_S = 0.008  # work per event-loop turn: half a frame, the rest is the loop's
# At most this often text goes in: each insert means a layout and a repaint (1-4 ms with token
# shades); ~30 a second look as smooth and leave more of the CPU to reading the stream.
INTERVAL_S = 0.030
FORMAT_BATCH = 2048  # Qt units of text coloured per edit block (one layout of ~1-2 blocks)
SEPARATOR = "\u2029"
# What a character is, kept in its char format, so that a new theme can recolour it: model
# output (the editor's highlight) and a token's probability band (1..3; its shade).
COMPLETION_PROPERTY = QTextFormat.Property.UserProperty + 1
SHADE_PROPERTY = QTextFormat.Property.UserProperty + 2
# Less likely tokens get warmer backgrounds (as the OpenAI Playground's probabilities view):
# band 0 is not shaded, band i > 0 is the theme's i-th shade.
_FLOORS = (UNSHADED, *(floor for floor, _ in LIGHT.token_shades))


def probability_color(logprob: float | None, theme: Theme = LIGHT) -> QColor | None:
    if logprob is None:
        return None
    return theme.shade_for(math.exp(logprob))


# The same bands as log probabilities: no exp() per token when thousands are coloured.
_LOG_FLOORS = tuple(math.log(floor) if floor > 0 else -math.inf for floor in _FLOORS)


def _band(logprob: float | None) -> int:
    """The shade band of a log probability (0: not shaded); -1 for none."""
    if logprob is None:
        return -1
    for i, floor in enumerate(_LOG_FLOORS):
        if logprob >= floor:
            return i
    return len(_FLOORS) - 1


def display_text(text: str) -> tuple[str, list[int]]:
    """``text`` with paragraphs longer than SOFT_LIMIT cut into display blocks (a SEPARATOR at
    each cut), and the Qt positions of those cuts."""
    pieces: list[str] = []
    soft: list[int] = []
    pos = 0
    for i, para in enumerate(text.split("\n")):
        if i:
            pieces.append("\n")
            pos += 1
        last = 0
        for at in soft_split_points(para):
            chunk = para[last:at]
            pieces.append(chunk)
            pos += qt_len(chunk)
            pieces.append(SEPARATOR)
            soft.append(pos)
            pos += 1
            last = at
        chunk = para[last:]
        pieces.append(chunk)
        pos += qt_len(chunk)
    return "".join(pieces), soft


def token_tooltip(tok: TokenLogprob) -> str:
    def pct(lp: float | None) -> str:
        return "–" if lp is None else f"{math.exp(lp) * 100:.1f}%"

    head = f"{tok.token!r}  {pct(tok.logprob)}"
    if tok.logprob is not None:
        head += "  " + QCoreApplication.translate("PromptEdit", "(log probability %1)").replace(
            "%1", f"{tok.logprob:.3f}"
        )
    lines = [head]
    for alt, lp in sorted(tok.top.items(), key=lambda kv: kv[1], reverse=True):
        lines.append(f"  {alt!r}  {pct(lp)}")
    return "\n".join(lines)


def qt_len(text: str) -> int:
    """Length of ``text`` in Qt positions (UTF-16 code units)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _py_index(text: str, units: int) -> int:
    """The index into ``text`` of the character ``units`` UTF-16 code units in."""
    if text.isascii():
        return units
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def soft_split_points(text: str, limit: int = SOFT_LIMIT) -> list[int]:
    """Indices where a paragraph longer than ``limit`` can be broken into display blocks: after
    a space near each ``limit`` characters, or at ``limit`` when there is none (no layout here:
    used for text set in one go, whose lines are not laid out yet)."""
    points: list[int] = []
    start = 0
    while len(text) - start > limit:
        at = start + limit
        space = text.rfind(" ", at - 256, at)
        if space > start:
            at = space + 1
        points.append(at)
        start = at
    return points


@dataclass
class _Pending:
    """Queued output: text not yet in the document, and the tokens that describe it."""

    text: str
    offset: int  # stream offset (Qt units since begin_output) where the text starts
    tokens: list[TokenLogprob] | None = None
    start: QTextCursor | None = None  # where its first piece went
    done: int = 0  # characters of text already in


class _TokenRun:
    """Tokens formatted together, kept compact for tooltips (a 100,000-token output would
    otherwise hold 100,000 TokenLogprob objects with a dict each, ~70 MB): each token's start
    (logical Qt units from ``start``), its text range in ``text``, its log probability, and its
    alternatives packed into one string."""

    def __init__(self, start: QTextCursor, text: str) -> None:
        self.start = start
        self.end = QTextCursor(start)
        self.text = text
        self.length = 0  # logical Qt units covered so far
        self.starts = array("l")  # logical Qt offset of each token
        self.offsets = array("l")  # index into text of each token, and one past the last
        self.logprobs = array("d")  # NaN: the server sent none
        self.alt_names: list[str] = []  # each token's alternatives, NUL-joined
        self.alt_logprobs = array("d")  # all alternatives' log probabilities, in order
        self.alt_starts = array("l")  # each token's first entry in alt_logprobs
        self.text_end = 0  # index into text just past the last token

    def add(self, logical: int, offset: int, tok: TokenLogprob) -> None:
        self.starts.append(logical)
        self.offsets.append(offset)
        self.logprobs.append(math.nan if tok.logprob is None else tok.logprob)
        # All C-level: ~80 bytes a token instead of a dict of strings and floats (~700).
        self.alt_starts.append(len(self.alt_logprobs))
        self.alt_names.append("\x00".join(tok.top))
        self.alt_logprobs.extend(tok.top.values())

    def token(self, i: int, end: int) -> TokenLogprob:
        from app.core.events import TokenLogprob  # (no httpx: the core's plain types)

        stop = self.offsets[i + 1] if i + 1 < len(self.offsets) else end
        lp = self.logprobs[i]
        first = self.alt_starts[i]
        last = self.alt_starts[i + 1] if i + 1 < len(self.alt_starts) else len(self.alt_logprobs)
        names = self.alt_names[i].split("\x00") if last > first else []
        top = dict(zip(names, self.alt_logprobs[first:last], strict=False))
        return TokenLogprob(self.text[self.offsets[i] : stop], None if math.isnan(lp) else lp, top)


@dataclass
class _FormatJob:
    cursor: QTextCursor  # the next token's start
    text: str
    tokens: list[TokenLogprob]
    run: _TokenRun
    index: int = 0  # next token
    offset: int = 0  # its index into text
    logical: int = 0  # its logical Qt offset from the run's start


class OutputView(QPlainTextEdit):
    """Model output streams in at an output point (``begin_output`` / ``append_output`` /
    ``end_output``), never freezing the loop; the user can still select, copy, find and edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.out_format = QTextCharFormat()  # the format streamed text gets
        self._out: QTextCursor | None = None
        self._soft: list[int] = []  # Qt positions of soft breaks (sorted)
        self._soft_edit = False  # a soft break is being inserted
        self._formatting = False  # format-only changes: positions do not move
        self._queue: deque[_Pending] = deque()
        self._jobs: deque[_FormatJob] = deque()
        self._runs: list[_TokenRun] = []
        self._stream_offset = 0
        self._ending = False
        self._shade_formats: dict[int, QTextCharFormat] = {}
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(0)
        self._drain.timeout.connect(self._on_drain_timeout)
        self._realign_at: int | None = None  # next soft break to realign from (Qt position)
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

    # the text without soft breaks ---------------------------------------------------------------

    def toPlainText(self) -> str:  # noqa: N802 - Qt name, as callers know it
        if not self._soft:
            return super().toPlainText()
        return self._join(self.document().toRawText(), 0)

    def setPlainText(self, text: str) -> None:  # noqa: N802
        """Set the whole text; paragraphs longer than SOFT_LIMIT become several display blocks.
        (Qt's setPlainText starts a new undo history; ``replace_text`` keeps it.)"""
        self.cancel_output()
        self._states.clear()
        shown, soft = display_text(text)
        super().setPlainText(shown)
        self._soft = soft
        self._states[self.document().availableUndoSteps()] = self.save_state()
        if soft:  # split without a layout: move the breaks to line starts, a turn at a time
            self._realign_at = 0
            self._schedule()

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
        if "\u2028" in out or "\xa0" in out:
            out = out.replace("\u2028", "\n").replace("\xa0", " ")
        return out

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
            return self._join(raw, 0) if SEPARATOR in raw else raw.replace("\xa0", " ")
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
        at_index = _py_index(text, here)
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
        if self._soft_edit:  # a soft break goes in at pos: later ones move by one
            i = bisect_left(self._soft, pos)
            self._soft[i:] = [s + 1 for s in self._soft[i:]]
            return
        end = pos + removed
        delta = added - removed
        i = bisect_left(self._soft, pos)
        # A separator in the removed span is gone; an insertion never makes a soft break.
        self._soft[i:] = [s + delta for s in self._soft[i:] if s >= end]

    def _insert_soft_break(self, q: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(q)
        self._soft_edit = True
        try:
            self._begin_edit(cur)
            cur.insertBlock()
            self._end_edit(cur)
        finally:
            self._soft_edit = False
        insort(self._soft, q)

    # the undo history: the view's own edits, Ctrl+Z and Ctrl+Shift+Z ----------------------------

    def _begin_edit(self, cur: QTextCursor) -> None:
        """Open an edit block for one of the view's own changes (streamed text, a display
        break, token shades): part of the undo step of the view's last edit when nothing else
        changed the document since, so a whole run is one Ctrl+Z step."""
        if self._own_revision == self.document().revision():
            cur.joinPreviousEditBlock()
        else:
            cur.beginEditBlock()

    def _end_edit(self, cur: QTextCursor) -> None:
        cur.endEditBlock()
        self._own_revision = self.document().revision()

    def save_state(self) -> object:
        """What an undo step cannot bring back by itself (extended by the editor)."""
        return list(self._soft)

    def restore_state(self, state: object | None) -> None:
        """Undo or redo took the document to a state saved by ``save_state`` (None: one not
        seen; keep what still holds)."""
        if isinstance(state, list):
            self._soft = list(state)
        self._valid_soft()

    def _on_view_contents_changed(self) -> None:
        index = self.document().availableUndoSteps()
        if self._replaying:
            self.restore_state(self._states.get(index))
        else:
            self._states[index] = self.save_state()

    def undo(self) -> None:
        """Ctrl+Z: the document's own undo (typing; a run as one step), never mid-stream."""
        self._replay(super().undo)

    def redo(self) -> None:
        self._replay(super().redo)

    def _replay(self, step: Callable[[], None]) -> None:
        if self._out is not None:
            return
        self.flush()
        self._replaying = True
        try:
            step()
        finally:
            self._replaying = False

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.createStandardContextMenu(e.pos())
        # Qt's own Undo/Redo entries go to the document directly: through ours instead, which
        # bring back what the document alone cannot (display breaks, output ranges).
        for action in menu.actions():
            name = action.objectName()
            if name in ("edit-undo", "edit-redo"):
                action.triggered.disconnect()
                action.triggered.connect(self.undo if name == "edit-undo" else self.redo)
        menu.exec(e.globalPos())
        menu.deleteLater()

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
            self._turn_deadline = now + BUDGET_S  # shared with annotate_tokens, called next
            self._work(self._turn_deadline)
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
        if self.has_pending_work() and not self._drain.isActive():
            # Only new text waits for the interval; colouring and realigning what is there
            # goes on at once.
            wait = INTERVAL_S - (time.perf_counter() - self._last_work) if self._queue else 0
            self._drain.start(max(0, int(wait * 1000)))

    def _on_drain_timeout(self) -> None:
        self._turn_deadline = time.perf_counter() + BUDGET_S
        self._work(self._turn_deadline)
        if not self._queue and not self._jobs and self._ending:
            self._close_output()
        self._schedule()

    def _work(self, deadline: float) -> None:
        if not self.has_pending_work():
            return
        self._last_work = time.perf_counter()
        bar = self.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
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
            bar.setValue(bar.maximum())
        self.follow = follow

    def _insert_piece(self, item: _Pending) -> bool:
        """Put the next piece of ``item`` in, never growing the block past SOFT_LIMIT; True
        when all of it is in."""
        cur = self._out
        assert cur is not None
        block = cur.block()
        if block.length() - 1 > SOFT_LIMIT - SOFT_LIMIT // 8:
            self._split_tail()
            block = cur.block()
        room = max(SOFT_LIMIT // 8, SOFT_LIMIT - (block.length() - 1))
        text = item.text[item.done :]
        if len(text) <= room // 2 or qt_len(text) <= room:
            piece = text
        else:
            piece = text[: _py_index(text, room)]
        at = cur.position()
        self.before_insert(at, piece)
        try:
            self._begin_edit(cur)
            cur.insertText(piece, self.out_format)
            self._end_edit(cur)
        finally:
            self.after_insert()
        if item.start is None:
            item.start = QTextCursor(self.document())
            item.start.setPosition(at)
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
            i = _py_index(text, rel)
            space = text.rfind(" ", max(0, i - 256), i)
            at = qt_len(text[: space + 1]) if space > 0 else rel
        self._insert_soft_break(block.position() + at)

    # display breaks follow the wrap width ------------------------------------------------------

    def _on_width_changed(self) -> None:
        if self._soft:
            self._realign_at = 0
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
                if i >= len(self._soft):
                    self._realign_at = None
                    break
                s = self._soft[i]
                block = doc.findBlock(s)
                doc.documentLayout().blockBoundingRect(block)  # laid out at the current width
                layout = block.layout()
                n = layout.lineCount()
                start = block.position() + (layout.lineAt(n - 1).textStart() if n else 0)
                if block.position() < start < s:
                    cur = QTextCursor(doc)
                    cur.setPosition(s)
                    cur.setPosition(s + 1, QTextCursor.MoveMode.KeepAnchor)
                    self._begin_edit(cur)
                    cur.removeSelectedText()
                    self._end_edit(cur)
                    self._insert_soft_break(start)
                    s = start
                self._realign_at = s + 1
        finally:
            if undo:
                doc.setUndoRedoEnabled(True)

    # token formatting ---------------------------------------------------------------------------

    def _add_job(self, start: QTextCursor, text: str, tokens: list[TokenLogprob]) -> None:
        run = _TokenRun(QTextCursor(start), text)
        self._runs.append(run)
        self._jobs.append(_FormatJob(QTextCursor(start), text, tokens, run))

    def _shade_format(self, band: int) -> QTextCharFormat:
        fmt = self._shade_formats.get(band)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(self.theme.band_colour(band))
            fmt.setProperty(SHADE_PROPERTY, band)
            self._shade_formats[band] = fmt
        return fmt

    def _format_some(self, job: _FormatJob, deadline: float) -> None:
        """Colour and record tokens of ``job`` until the deadline, one format per run of tokens
        with the same shade. Each batch (FORMAT_BATCH units of text) is one edit block: Qt lays
        its blocks out once at the end, not once per format change. (Hot: ~100,000 tokens a
        second go through here, hence the locals.)"""
        tokens, text, run = job.tokens, job.text, job.run
        n = len(tokens)
        pos = job.cursor.position()
        soft = self._soft
        cur = QTextCursor(self.document())
        plain = [band == 0 for band in range(len(_FLOORS))]
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
                    b = _band(tok.logprob)
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

    def token_at(self, qt_pos: int) -> TokenLogprob | None:
        """The token whose text holds the character at Qt ``qt_pos`` (None: no token there, or
        its text was edited since)."""
        for run in reversed(self._runs):
            a, b = run.start.position(), run.end.position()
            if not a <= qt_pos < b:
                continue
            inside = bisect_left(self._soft, b) - bisect_left(self._soft, a)
            if b - a - inside != run.length:
                return None  # edited inside: offsets no longer hold
            rel = self.logical_position(qt_pos) - self.logical_position(a)
            i = bisect_left(run.starts, rel + 1) - 1
            if i < 0:
                return None
            return run.token(i, run.text_end)
        return None

    def tooltip_at(self, qt_pos: int) -> str:
        tok = self.token_at(qt_pos)
        return token_tooltip(tok) if tok is not None else ""

    def clear_tokens(self) -> None:
        self._runs.clear()
        self._jobs.clear()

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

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and self.viewport().width() != self._width:
            self._width = self.viewport().width()
            self._on_width_changed()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cur = self.cursorForPosition(event.pos())
            rect = self.cursorRect(cur)
            pos = cur.position()
            # cursorForPosition rounds to the nearest gap: the character is left of the point
            # when the point is left of that gap.
            if event.pos().x() < rect.center().x() and pos > 0:
                pos -= 1
            tip = self.tooltip_at(pos)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
