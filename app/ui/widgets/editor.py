"""The prompt editor: plain text where model output is marked (highlighted) as it streams in.

It is an OutputView (see output_view.py: display blocks for endless paragraphs, output queued and
inserted a frame's worth at a time, token shades and tooltips), plus what an *editable* prompt
needs: model-output ranges tracked through every edit, snapshots for Undo/Regenerate and drafts.
Completion ranges carry a char-format property so they are highlighted and survive edits; they
are also tracked in a list, because scanning formats costs ~50 ms on 400 kB. Positions at the
public face are logical (UTF-16 code units of ``toPlainText()``), which is what the draft stores.

Undo: the editor's own history (Ctrl+Z) survives runs. A run is one undo step (OutputView joins
its pieces), and a restore (Undo of a run, Regenerate, a history entry) replaces the text as one
step too, so typing before a run can still be undone after it. The run Undo/Redo of the session
(RunUndo snapshots) is the separate, explicit one. The highlight colour comes from the theme and
follows palette changes (OutputView.restyle).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QWidget

from app.core.storage import Draft
from app.ui.widgets.output_text import display_text
from app.ui.widgets.output_tokens import COMPLETION_PROPERTY
from app.ui.widgets.output_view import OutputView


class PromptEdit(OutputView):
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
        self.marked.setBackground(self.theme.output)
        self.marked.setProperty(COMPLETION_PROPERTY, True)
        self.out_format = self.marked
        # Model-output ranges (Qt positions), kept up to date on every change: scanning the
        # document's fragments instead costs ~50 ms on a 400 kB text, a visible stall mid-stream.
        self._ranges: list[list[int]] = []
        self._active: list[int] | None = None  # the range the stream is writing into
        self._appending = False
        self.document().contentsChange.connect(self._on_contents_change)

    # typing is never highlighted --------------------------------------------------------------

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self.setCurrentCharFormat(self.plain)
        super().keyPressEvent(e)
        if e.text():
            self.userEdited.emit()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        self.textCursor().insertText(source.text(), self.plain)
        self.userEdited.emit()

    # streaming --------------------------------------------------------------------------------

    def begin_output(self, position: int | None = None) -> None:
        """Start a completion at logical ``position`` (default: the end)."""
        super().begin_output(position)
        assert self._out is not None
        self._active = [self._out.position(), self._out.position()]
        self._ranges.append(self._active)
        self._ranges.sort()

    def before_insert(self, pos: int, text: str) -> None:
        self._appending = True

    def after_insert(self) -> None:
        self._appending = False

    def output_closed(self) -> None:
        if self._active is not None and self._active[1] <= self._active[0]:
            self._ranges.remove(self._active)
        self._active = None

    # ranges and snapshots ---------------------------------------------------------------------

    def completion_ranges(self) -> list[tuple[int, int]]:
        """[start, end) logical positions of model output (tracked as the text changes)."""
        out: list[tuple[int, int]] = []
        for start, end in sorted(self._ranges):
            start, end = self.logical_position(start), self.logical_position(end)
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
        if self._soft_edit:  # a display-block break: inside the text it splits, not the text
            for r in self._ranges:
                if r[0] >= pos:
                    r[0] += 1
                if r[1] > pos or (r is self._active and r[1] == pos):
                    r[1] += 1
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
        soft = set(self._soft)
        for pos in range(size):
            if pos in soft:
                continue
            cur.setPosition(pos)
            cur.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
            if cur.charFormat().property(COMPLETION_PROPERTY) is True:
                at = self.logical_position(pos)
                if ranges and ranges[-1][1] == at:
                    ranges[-1] = (ranges[-1][0], at + 1)
                else:
                    ranges.append((at, at + 1))
        return ranges

    def snapshot(self) -> Draft:
        """Text, output ranges and cursor. After a stream has ended, text it left queued goes in
        first: Continue, Regenerate and Undo must see all of it. (While a stream is going on,
        a snapshot — the autosave's — is of what is shown.)"""
        if self._ending:
            self.flush()
        cursor = self.logical_position(self.textCursor().position())
        return Draft(self.toPlainText(), self.completion_ranges(), cursor)

    def restore(self, draft: Draft) -> None:
        """Replace the content with a snapshot (text, highlighted ranges, cursor), as one undo
        step: the typing history before it stays (setPlainText would wipe it)."""
        self.cancel_output()
        self.clear_tokens()
        self.setCurrentCharFormat(self.plain)
        doc = self.document()
        shown, soft = display_text(draft.text)
        ranges: list[list[int]] = []
        cur = QTextCursor(doc)
        # Positions are set below, not tracked through this edit (one change of everything).
        self._formatting = True
        try:
            cur.beginEditBlock()
            cur.select(QTextCursor.SelectionType.Document)
            # Plain, explicitly: the format at the cursor after a run is the output highlight,
            # and the user's own prompt came back painted as model output.
            cur.insertText(shown, self.plain)
            self._soft, self._raw = soft, []
            size = doc.characterCount() - 1
            for start, end in draft.completions:
                start = min(self.qt_position(max(0, start)), size)
                end = min(self.qt_position(max(0, end)), size)
                if end > start:
                    cur.setPosition(start)
                    cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                    cur.setCharFormat(self.marked)
                    ranges.append([start, end])
            self._end_edit(cur)
        finally:
            self._formatting = False
        self._ranges = ranges
        self._active = None
        self._states[doc.availableUndoSteps()] = self.save_state()
        cur = self.textCursor()
        cur.setPosition(max(0, min(self.qt_position(draft.cursor), size)))
        self.setTextCursor(cur)
        self.setCurrentCharFormat(self.plain)
        if soft:  # cut without a layout: breaks move to line starts, a turn at a time
            self._start_realigning()
        self._start_measuring()

    # the undo history ----------------------------------------------------------------------------

    def save_state(self) -> object:
        return (list(self._soft), [list(r) for r in self._ranges])

    def restore_state(self, state: object | None) -> None:
        if isinstance(state, tuple):
            soft, ranges = state
            super().restore_state(soft)
            self._ranges = [list(r) for r in ranges]
        else:  # a state never seen: read the ranges from the formats
            super().restore_state(None)
            self._ranges = [
                [self.qt_position(a), self._advance(self.qt_position(a), b - a)]
                for a, b in self.scan_completion_ranges()
            ]
        self._active = None

    def output_background(self) -> QColor | None:
        return self.theme.output

    def restyle(self) -> None:
        self.marked.setBackground(self.theme.output)
        super().restyle()

    def remove_text(self, start: int, length: int) -> None:
        """Remove ``length`` logical units at logical ``start``."""
        a = self.qt_position(start)
        cur = QTextCursor(self.document())
        cur.setPosition(a)
        cur.setPosition(self._advance(a, length), QTextCursor.MoveMode.KeepAnchor)
        cur.removeSelectedText()
