"""With n > 1: one read-only pane per choice, in tabs, each following its end as text arrives.

Each pane is an OutputView, so an endless line or a burst of text never freezes the window, and
it shades and explains its tokens (logprobs) as the editor does. Tabs are numbered from 1, as a
user counts; the index inside (``panes``, the ``choiceUsed`` signal) is the request's, from 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.ui.widgets.output_view import OutputView

if TYPE_CHECKING:
    from app.core.events import TokenLogprob


class ChoiceTabs(QTabWidget):
    """Signals: choiceUsed(int) — "Use this choice" was pressed on the pane of that index."""

    choiceUsed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputTabs")
        self.setAccessibleName(self.tr("Completions"))
        self.panes: list[OutputView] = []
        self.use_buttons: list[QPushButton] = []
        self.hide()

    def open(self, n: int) -> None:
        """Fresh, empty panes for choices 0..n-1 (shown as 1..n)."""
        self.clear()
        self.panes = []
        self.use_buttons = []
        for i in range(n):
            pane = OutputView()
            pane.setReadOnly(True)
            pane.document().setUndoRedoEnabled(False)  # read-only: no history to keep
            pane.begin_output()
            pane.setObjectName(f"choicePane{i}")
            title = self.tr("Choice %1").replace("%1", str(i + 1))
            pane.setAccessibleName(title)
            use = QPushButton(self.tr("Use this choice"))
            use.setObjectName(f"useChoice{i}")
            use.setToolTip(self.tr("Put this text into the editor as the run's output"))
            use.clicked.connect(lambda _=False, i=i: self.choiceUsed.emit(i))
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(pane, 1)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(use)
            box.addLayout(row)
            self.addTab(page, title)
            self.panes.append(pane)
            self.use_buttons.append(use)
        self.show()

    def append(self, index: int, text: str) -> int | None:
        """Queue text for choice ``index``; its stream offset (for ``annotate``), or None."""
        if not 0 <= index < len(self.panes):
            return None
        return self.panes[index].append_output(text)

    def annotate(self, index: int, start: int, text: str, tokens: list[TokenLogprob]) -> None:
        """Shade and explain the tokens of text appended to choice ``index`` at ``start``."""
        if 0 <= index < len(self.panes):
            self.panes[index].annotate_tokens(start, text, tokens)

    def text(self, index: int) -> str:
        """All of choice ``index``'s text (what is still queued included)."""
        pane = self.panes[index]
        pane.flush()
        return pane.toPlainText()

    def end(self) -> None:
        """The run is over: each pane finishes its queued text, then closes its output point."""
        for pane in self.panes:
            pane.end_output()
