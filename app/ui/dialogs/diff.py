"""Diff: where two outputs of the Compare view differ, word by word, highlighted in both texts.

Any two outputs (any column, any repeat) side by side: text only in the left one has the theme's
``diff_delete`` background, text only in the right one ``diff_insert``; Next / Previous
difference (F7 / Shift+F7) select a change on both sides. ``app.core.textdiff`` does the diff
(each CJK character is a token, so Chinese without spaces diffs per character).

The diff runs on the "diff" lane (``app.ui.ops``), never on the GUI thread: a long pair takes
tens of milliseconds, a long pair of unrelated texts more. The worker also turns the
diff's character offsets into Qt positions (UTF-16 units: an emoji is two; a CRLF, which the
document keeps as one paragraph separator, is one), with a running sum over the opcodes, and
joins changes split only by blanks into one span; the GUI thread then only sets formats, in one
edit block. A result for a choice no longer shown is dropped (a generation counter).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.textdiff import Diff, diff, tokenize
from app.ui import ops
from app.ui.theme import Theme, theme_for
from app.ui.widgets.output_text import qt_len

log = logging.getLogger("promptpad")

LANE: Final = "diff"
#: An unchanged run between two changes that is only blanks (no line break): the two changes
#: are shown as one ("quick brown" rather than "quick", " ", "brown").
_BLANK: Final = re.compile(r"[ \t\u00a0\u3000]+")

Span = tuple[int, int]  # [start, end) in Qt positions


@dataclass(frozen=True)
class Change:
    """One difference: where it is on each side, in Qt positions (an empty span on the side
    that has nothing there: a pure insertion or deletion)."""

    left: Span
    right: Span


@dataclass(frozen=True)
class _Plan:
    """What the GUI thread needs to show a diff, all computed on the worker."""

    diff: Diff
    changes: list[Change]
    left_spans: list[Span]  # what to colour as deleted on the left
    right_spans: list[Span]  # ... and as inserted on the right
    words: int  # changed words (a CJK character counts as one)


def qt_units(text: str) -> int:
    """How many positions ``text`` takes in a QTextDocument."""
    return qt_len(text) - text.count("\r\n")


def _words(text: str) -> int:
    return sum(1 for t in tokenize(text) if not t.isspace())


def _plan(d: Diff) -> _Plan:
    """The diff's changes in Qt positions; runs on the worker thread (no Qt here)."""
    changes: list[Change] = []
    spans: tuple[list[Span], list[Span]] = ([], [])
    gap = [False, False]  # per side: the last opcode was a blank run right after a coloured span
    nav_gap = False  # ... right after a change (for Next/Previous)
    pos = [0, 0]
    words = 0
    for o in d.opcodes:
        texts = (d.a[o.a_start : o.a_end], d.b[o.b_start : o.b_end])
        units = (qt_units(texts[0]), qt_units(texts[1]))
        if o.op == "equal":
            blank = _BLANK.fullmatch(texts[0]) is not None
            for side in (0, 1):
                gap[side] = blank and bool(spans[side]) and spans[side][-1][1] == pos[side]
            nav_gap = blank and bool(changes) and changes[-1].left[1] == pos[0]
        else:
            words += max(_words(texts[0]), _words(texts[1]))
            ends = (pos[0] + units[0], pos[1] + units[1])
            for side in (0, 1):
                if units[side] == 0:
                    gap[side] = False
                elif gap[side]:
                    spans[side][-1] = (spans[side][-1][0], ends[side])
                else:
                    spans[side].append((pos[side], ends[side]))
            if nav_gap:
                last = changes[-1]
                changes[-1] = Change((last.left[0], ends[0]), (last.right[0], ends[1]))
            else:
                changes.append(Change((pos[0], ends[0]), (pos[1], ends[1])))
            nav_gap = False
        pos[0] += units[0]
        pos[1] += units[1]
    return _Plan(d, changes, spans[0], spans[1], words)


def _compute(a: str, b: str) -> _Plan:
    return _plan(diff(a, b))


class DiffDialog(QDialog):
    """Two outputs side by side, their differences highlighted; non-modal use: ``open()``.

    ``outputs`` are (label, text) pairs, ``left`` / ``right`` the indices shown first. The
    dialog deletes itself when closed.

    Signals:
        diffShown(): a diff was computed and its highlights are on both texts.
    """

    diffShown = Signal()

    def __init__(
        self,
        outputs: list[tuple[str, str]],
        left: int = 0,
        right: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("diffDialog")
        self.setWindowTitle(self.tr("Diff"))
        self.setAccessibleName(self.tr("Differences between two outputs"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._outputs: list[tuple[str, str]] = []
        self._generation = 0
        self._op: ops.BackgroundOp | None = None
        self._plan: _Plan | None = None
        self._shown: list[str | None] = [None, None]  # the text each side shows
        self._painted = [False, False]  # a side has highlights to clear before new ones
        self._at = -1  # the change Next/Previous selected last
        self._at_pos = (-1, -1)  # ... and where that left both cursors
        self._syncing_scroll = False
        self.theme: Theme = theme_for(self.palette())

        lay = QVBoxLayout(self)
        pick = QHBoxLayout()
        self.left_combo = self._combo("diffLeft", self.tr("Left output"))
        self.right_combo = self._combo("diffRight", self.tr("Right output"))
        left_label = QLabel(self.tr("&Left:"))
        left_label.setBuddy(self.left_combo)
        right_label = QLabel(self.tr("&Right:"))
        right_label.setBuddy(self.right_combo)
        self.swap_button = QToolButton()
        self.swap_button.setText(self.tr("⇄ Swap"))
        self.swap_button.setToolTip(self.tr("Swap the left and right outputs"))
        self.swap_button.setObjectName("diffSwap")
        self.swap_button.setAccessibleName(self.tr("Swap the left and right outputs"))
        self.swap_button.clicked.connect(self._on_swap_clicked)
        pick.addWidget(left_label)
        pick.addWidget(self.left_combo, 1)
        pick.addWidget(self.swap_button)
        pick.addWidget(right_label)
        pick.addWidget(self.right_combo, 1)
        lay.addLayout(pick)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("diffSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.left_text = self._text(
            "diffLeftText",
            self.tr("Left output text"),
            self.tr("Text only in the left output is highlighted"),
        )
        self.right_text = self._text(
            "diffRightText",
            self.tr("Right output text"),
            self.tr("Text only in the right output is highlighted"),
        )
        self.splitter.addWidget(self.left_text)
        self.splitter.addWidget(self.right_text)
        lay.addWidget(self.splitter, 1)
        self._edits = (self.left_text, self.right_text)
        for edit in self._edits:
            edit.verticalScrollBar().valueChanged.connect(
                lambda value, e=edit: self._on_text_scrolled(e, value)
            )

        bottom = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        self.summary.setAccessibleName(self.tr("Diff summary"))
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bottom.addWidget(self.summary, 1)
        self.position = QLabel()
        self.position.setObjectName("diffPosition")
        self.position.setAccessibleName(self.tr("Difference selected"))
        bottom.addWidget(self.position)
        self.sync_scroll = QCheckBox(self.tr("Scroll &together"))
        self.sync_scroll.setObjectName("diffSyncScroll")
        self.sync_scroll.setAccessibleName(self.tr("Scroll both texts together"))
        self.sync_scroll.setChecked(True)
        bottom.addWidget(self.sync_scroll)
        self.prev_button = self._button(
            "diffPrev", self.tr("Previous"), self.tr("Previous difference (Shift+F7)"), "Shift+F7"
        )
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button = self._button(
            "diffNext", self.tr("Next difference"), self.tr("Next difference (F7)"), "F7"
        )
        self.next_button.clicked.connect(self._on_next_clicked)
        bottom.addWidget(self.prev_button)
        bottom.addWidget(self.next_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("diffClose")
        close.setAccessibleName(self.tr("Close the diff"))
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        lay.addLayout(bottom)

        self.left_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.right_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.resize(960, 600)
        self.set_outputs(outputs, left, right)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        return combo

    def _text(self, name: str, accessible: str, description: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setAccessibleDescription(description)
        edit.setReadOnly(True)
        # Keyboard selection too: the cursor Next difference moves is then seen, and copyable.
        edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        edit.setUndoRedoEnabled(False)  # colours are no edit to undo, and cost memory
        return edit

    def _button(self, name: str, text: str, tip: str, keys: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(tip)
        button.setToolTip(tip)
        button.setShortcut(QKeySequence(keys))
        button.setAutoDefault(False)
        button.setEnabled(False)
        return button

    # the choice ------------------------------------------------------------------------------

    def set_outputs(self, outputs: list[tuple[str, str]], left: int = 0, right: int = 1) -> None:
        """Offer ``outputs`` (label, text) and compare ``left`` with ``right``."""
        self._outputs = list(outputs)
        last = max(0, len(self._outputs) - 1)
        for combo, index in ((self.left_combo, left), (self.right_combo, right)):
            combo.blockSignals(True)
            try:
                combo.clear()
                for label, _text in self._outputs:
                    combo.addItem(label)
                if self._outputs:
                    combo.setCurrentIndex(max(0, min(last, index)))
            finally:
                combo.blockSignals(False)
        self._recompute()

    def current_diff(self) -> Diff | None:
        """The diff shown; None while it is computed (or when it failed)."""
        return self._plan.diff if self._plan is not None else None

    def _texts(self) -> tuple[str, str] | None:
        i, j = self.left_combo.currentIndex(), self.right_combo.currentIndex()
        if not (0 <= i < len(self._outputs) and 0 <= j < len(self._outputs)):
            return None
        return self._outputs[i][1], self._outputs[j][1]

    def _on_choice_changed(self, _index: int) -> None:
        self._recompute()

    def _on_swap_clicked(self) -> None:
        i, j = self.left_combo.currentIndex(), self.right_combo.currentIndex()
        for combo, index in ((self.left_combo, j), (self.right_combo, i)):
            combo.blockSignals(True)
            try:
                combo.setCurrentIndex(index)
            finally:
                combo.blockSignals(False)
        self._recompute()

    def _recompute(self) -> None:
        self._generation += 1
        generation = self._generation
        if self._op is not None:
            self._op.cancel()  # not started yet: never runs; running: its result is dropped
            self._op = None
        self._plan = None
        self._at = -1
        self._set_navigation(False)
        texts = self._texts()
        for side, edit in enumerate(self._edits):
            text = texts[side] if texts is not None else ""
            if self._shown[side] != text:
                edit.setPlainText(text)  # plain: "<b>" is shown as it is
                self._shown[side] = text
                self._painted[side] = False
            else:
                self._paint(side, [])  # its old colours belong to another pair
        if texts is None:
            self.summary.setText(self.tr("There are no outputs to compare."))
            return
        self.summary.setText(self.tr("Comparing…"))
        a, b = texts
        self._op = ops.run_in_background(
            lambda: _compute(a, b),
            lambda plan: self._on_diff_done(generation, plan),
            lambda exc: self._on_diff_failed(generation, exc),
            lane=LANE,
            parent=self,
        )

    def _on_diff_done(self, generation: int, plan: _Plan) -> None:
        if generation != self._generation:
            return  # the choice changed meanwhile
        self._op = None
        self._plan = plan
        self._restyle()
        self.summary.setText(self._summary(plan))
        self._set_navigation(bool(plan.changes))
        self.diffShown.emit()

    def _on_diff_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._op = None
        log.error("the diff failed", exc_info=exc)
        self.summary.setText(
            self.tr("The outputs could not be compared: %1").replace("%1", ops.describe(exc))
        )

    def _summary(self, plan: _Plan) -> str:
        d = plan.diff
        if not d.a and not d.b:
            return self.tr("Both outputs are empty.")
        if d.a == d.b:
            return self.tr("The two outputs are the same.")
        parts: list[str] = []
        if not d.a:
            parts.append(self.tr("The left output is empty."))
        elif not d.b:
            parts.append(self.tr("The right output is empty."))
        if plan.words:
            # Words of other languages, characters of Chinese and Japanese: tokens of the diff.
            parts.append(self.tr("%n word(s) differ", "", plan.words))
        else:
            parts.append(self.tr("Only spaces and line breaks differ"))
        # Floor, not round: outputs that differ are never "100% the same".
        same = int(d.ratio * 100)
        parts.append(self.tr("%1% the same").replace("%1", str(same)))
        return " · ".join(parts)

    # colours ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            theme = theme_for(self.palette())
            if theme is not self.theme:
                self.theme = theme
                self._restyle()

    def _restyle(self) -> None:
        """Colour the shown diff with the current theme's colours."""
        if self._plan is None:
            return
        self._paint(0, self._plan.left_spans, self.theme.diff_delete)
        self._paint(1, self._plan.right_spans, self.theme.diff_insert)

    def _paint(self, side: int, spans: list[Span], colour: QColor | None = None) -> None:
        if not spans and not self._painted[side]:
            return
        cur = QTextCursor(self._edits[side].document())
        # One edit block: the document lays out again once, not once per span.
        cur.beginEditBlock()
        try:
            if self._painted[side]:
                cur.select(QTextCursor.SelectionType.Document)
                cur.setCharFormat(QTextCharFormat())
            fmt = QTextCharFormat()
            if colour is not None:
                fmt.setBackground(colour)
            for start, end in spans:
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.setCharFormat(fmt)
        finally:
            cur.endEditBlock()
        self._painted[side] = bool(spans)

    # moving through the differences ----------------------------------------------------------

    def _set_navigation(self, on: bool) -> None:
        self.prev_button.setEnabled(on)
        self.next_button.setEnabled(on)
        self.position.setText("")

    def _on_next_clicked(self) -> None:
        self._step(1)

    def _on_prev_clicked(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if self._plan is None or not self._plan.changes:
            return
        changes = self._plan.changes
        here = (self.left_text.textCursor().position(), self.right_text.textCursor().position())
        if self._at >= 0 and here == self._at_pos:
            index = (self._at + by) % len(changes)
        else:
            # The user moved the cursor: go on from there (on the left side).
            starts = [c.left[0] for c in changes]
            if by > 0:
                index = next((i for i, s in enumerate(starts) if s >= here[0]), 0)
            else:
                index = next(
                    (i for i in range(len(starts) - 1, -1, -1) if starts[i] < here[0]),
                    len(changes) - 1,
                )
        self._select(index)

    def _select(self, index: int) -> None:
        assert self._plan is not None
        change = self._plan.changes[index]
        self._syncing_scroll = True  # each side scrolls to its own change
        try:
            for edit, (start, end) in zip(self._edits, (change.left, change.right), strict=True):
                cur = edit.textCursor()
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                edit.setTextCursor(cur)
                edit.centerCursor()
        finally:
            self._syncing_scroll = False
        self._at = index
        self._at_pos = (change.left[1], change.right[1])
        self.position.setText(
            self.tr("Difference %1 of %2")
            .replace("%1", str(index + 1))
            .replace("%2", str(len(self._plan.changes)))
        )

    def selected_change(self) -> Change | None:
        """The change Next / Previous difference selected last (None: none yet)."""
        if self._plan is None or self._at < 0:
            return None
        return self._plan.changes[self._at]

    # scrolling together ----------------------------------------------------------------------

    def _on_text_scrolled(self, edit: QPlainTextEdit, value: int) -> None:
        if self._syncing_scroll or not self.sync_scroll.isChecked():
            return
        other = self.right_text if edit is self.left_text else self.left_text
        top = edit.verticalScrollBar().maximum()
        bar = other.verticalScrollBar()
        self._syncing_scroll = True
        try:
            bar.setValue(round(value / top * bar.maximum()) if top else 0)
        finally:
            self._syncing_scroll = False
