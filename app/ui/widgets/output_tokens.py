"""Token probabilities in OutputView: shade bands, tooltips, the compact per-run token tables,
and the mixin that finds the token under the mouse.

A token's band (how unlikely it was) is kept in its char format (SHADE_PROPERTY) so a new theme
can recolour it; its tooltip is built on demand from the TokenRun its formatting recorded, not
from one char format or one object per token (see output_view.py).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import QToolTip

from app.ui.theme import LIGHT, UNSHADED, Theme

if TYPE_CHECKING:
    from app.core.client import TokenLogprob

# What a character is, kept in its char format, so that a new theme can recolour it: model
# output (the editor's highlight) and a token's probability band (1..3; its shade).
COMPLETION_PROPERTY = QTextFormat.Property.UserProperty + 1
SHADE_PROPERTY = QTextFormat.Property.UserProperty + 2
# Less likely tokens get warmer backgrounds (as the OpenAI Playground's probabilities view):
# band 0 is not shaded, band i > 0 is the theme's i-th shade.
FLOORS = (UNSHADED, *(floor for floor, _ in LIGHT.token_shades))


def probability_color(logprob: float | None, theme: Theme = LIGHT) -> QColor | None:
    if logprob is None:
        return None
    return theme.shade_for(math.exp(logprob))


# The same bands as log probabilities: no exp() per token when thousands are coloured.
_LOG_FLOORS = tuple(math.log(floor) if floor > 0 else -math.inf for floor in FLOORS)


def shade_band(logprob: float | None) -> int:
    """The shade band of a log probability (0: not shaded); -1 for none."""
    if logprob is None:
        return -1
    for i, floor in enumerate(_LOG_FLOORS):
        if logprob >= floor:
            return i
    return len(FLOORS) - 1


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


class TokenRun:
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
class FormatJob:
    cursor: QTextCursor  # the next token's start
    text: str
    tokens: list[TokenLogprob]
    run: TokenRun
    index: int = 0  # next token
    offset: int = 0  # its index into text
    logical: int = 0  # its logical Qt offset from the run's start


class TokenTipsMixin:
    """Part of OutputView (mixed in ahead of QPlainTextEdit): the token under the mouse and its
    tooltip, looked up in the TokenRuns its formatting recorded."""

    _runs: list[TokenRun]
    _soft: list[int]  # Qt positions of soft breaks (sorted)
    logical_position: Callable[[int], int]

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

    def show_token_tip(self, event: QHelpEvent) -> None:
        """The viewport's tooltip event: the tooltip of the token under the mouse, if any."""
        view: Any = self
        cur = view.cursorForPosition(event.pos())
        rect = view.cursorRect(cur)
        pos = cur.position()
        # cursorForPosition rounds to the nearest gap: the character is left of the point
        # when the point is left of that gap.
        if event.pos().x() < rect.center().x() and pos > 0:
            pos -= 1
        tip = self.tooltip_at(pos)
        if tip:
            QToolTip.showText(event.globalPos(), tip, view.viewport())
        else:
            QToolTip.hideText()
