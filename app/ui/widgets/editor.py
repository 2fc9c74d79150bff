"""The prompt editor: plain text where model output is marked (highlighted) as it streams in.

Text is appended through a QTextCursor at the insertion point, never by re-setting the document,
so each frame's work is proportional to the new text. Completion ranges carry a char-format
property, so they survive edits and can be saved with the draft. Positions are Qt's (UTF-16 code
units), which is also what the draft stores.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.core.storage import Draft

if TYPE_CHECKING:
    from app.core.client import TokenLogprob

COMPLETION_PROPERTY = QTextFormat.Property.UserProperty + 1
LOGPROB_PROPERTY = QTextFormat.Property.UserProperty + 2
HIGHLIGHT = QColor("#d2f4d3")
# Less likely tokens get warmer backgrounds (as the OpenAI Playground's probabilities view).
_SHADES = (
    (0.9, None),
    (0.5, QColor("#fff3b0")),
    (0.2, QColor("#ffd59e")),
    (0.0, QColor("#ffb3a7")),
)


def probability_color(logprob: float | None) -> QColor | None:
    if logprob is None:
        return None
    p = math.exp(logprob)
    for floor, color in _SHADES:
        if p >= floor:
            return color
    return _SHADES[-1][1]


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
        # Model-output ranges, kept up to date on every change: scanning the document's
        # fragments instead costs ~50 ms on a 400 kB text, a visible stall mid-stream.
        self._ranges: list[list[int]] = []
        self._active: list[int] | None = None  # the range the stream is writing into
        self._appending = False
        self._formatting = False
        self.document().contentsChange.connect(self._on_contents_change)
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
        self._active = [cur.position(), cur.position()]
        self._ranges.append(self._active)
        self._ranges.sort()
        # Streamed text must not flood the undo stack with thousands of steps.
        self.document().setUndoRedoEnabled(False)
        bar = self.verticalScrollBar()
        self.follow = bar.value() >= bar.maximum() - 4

    def append_output(self, text: str) -> int | None:
        """Insert model text at the output point; returns where it starts (Qt position)."""
        cur = self._out
        if cur is None or not text:
            return None
        start = cur.position()
        bar = self.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
        self._appending = True
        try:
            cur.insertText(text, self.marked)
        finally:
            self._appending = False
        if follow:
            bar.setValue(bar.maximum())
        return start

    def annotate_tokens(self, start: int, text: str, tokens: list[TokenLogprob]) -> int:
        """Give each token of ``text`` (inserted at ``start``) its probability: a tooltip, and a
        warmer background the less likely it was. Returns how many tokens were placed; stops at
        the first token that does not match the text (byte-level tokens of some servers)."""
        cur = QTextCursor(self.document())
        pos, offset, placed = start, 0, 0
        self._formatting = True  # format-only changes: no range bookkeeping
        try:
            for tok in tokens:
                piece = tok.token
                if not piece:
                    continue
                if not text.startswith(piece, offset):
                    break
                length = qt_len(piece)
                fmt = QTextCharFormat()
                fmt.setToolTip(token_tooltip(tok))
                fmt.setProperty(LOGPROB_PROPERTY, tok.logprob)
                shade = probability_color(tok.logprob)
                if shade is not None:
                    fmt.setBackground(shade)
                cur.setPosition(pos)
                cur.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
                cur.mergeCharFormat(fmt)
                pos += length
                offset += len(piece)
                placed += 1
        finally:
            self._formatting = False
        return placed

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cur = self.cursorForPosition(event.pos())
            if not cur.atBlockEnd():
                cur.movePosition(QTextCursor.MoveOperation.NextCharacter)
            tip = cur.charFormat().toolTip()
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def end_output(self) -> None:
        if self._active is not None and self._active[1] <= self._active[0]:
            self._ranges.remove(self._active)
        self._active = None
        self._out = None
        self._streaming = False
        self.document().setUndoRedoEnabled(True)

    def output_position(self) -> int | None:
        return None if self._out is None else self._out.position()

    # ranges and snapshots ---------------------------------------------------------------------

    def completion_ranges(self) -> list[tuple[int, int]]:
        """[start, end) Qt positions of model output (cheap: tracked as the text changes)."""
        out: list[tuple[int, int]] = []
        for start, end in sorted(self._ranges):
            if end <= start:
                continue
            if out and out[-1][1] >= start:
                out[-1] = (out[-1][0], max(end, out[-1][1]))
            else:
                out.append((start, end))
        return out

    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        if self._formatting:
            return
        if self._appending and self._active is not None and self._active[1] == pos:
            delta = added - removed
            self._active[1] += delta
            for r in self._ranges:
                if r is self._active:
                    continue
                if r[0] >= pos:
                    r[0] += delta
                    r[1] += delta
                elif r[1] > pos:  # streaming into the middle of older model text
                    r[1] += delta
            return
        end_removed = pos + removed
        shift = added - removed
        keep: list[list[int]] = []
        for r in self._ranges:
            s0, e0 = r
            s1 = s0 if s0 < pos else (s0 + shift if s0 >= end_removed else pos + added)
            e1 = e0 if e0 <= pos else (e0 + shift if e0 >= end_removed else pos)
            if added and s0 < pos < e0 and r is not self._active:
                # Typed text inside model text splits it: the typing is not model output.
                r[0], r[1] = s0, pos
                keep.append(r)
                if e1 > pos + added:
                    keep.append([pos + added, e1])
                continue
            r[0], r[1] = s1, e1
            if e1 > s1 or r is self._active:
                keep.append(r)
        self._ranges = keep

    def scan_completion_ranges(self) -> list[tuple[int, int]]:
        """The same ranges found by reading each character's format (slow; for tests)."""
        ranges: list[tuple[int, int]] = []
        cur = QTextCursor(self.document())
        size = self.document().characterCount() - 1
        for pos in range(size):
            cur.setPosition(pos)
            cur.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            if cur.charFormat().property(COMPLETION_PROPERTY) is True:
                if ranges and ranges[-1][1] == pos:
                    ranges[-1] = (ranges[-1][0], pos + 1)
                else:
                    ranges.append((pos, pos + 1))
        return ranges

    def snapshot(self) -> Draft:
        return Draft(self.toPlainText(), self.completion_ranges(), self.textCursor().position())

    def restore(self, draft: Draft) -> None:
        """Replace the content with a snapshot (text, highlighted ranges, cursor)."""
        self.document().setUndoRedoEnabled(False)
        self.setPlainText(draft.text)
        size = self.document().characterCount() - 1
        ranges: list[list[int]] = []
        for start, end in draft.completions:
            start, end = max(0, min(start, size)), max(0, min(end, size))
            if end > start:
                cur = QTextCursor(self.document())
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.setCharFormat(self.marked)
                ranges.append([start, end])
        self._ranges = ranges
        self._active = None
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
