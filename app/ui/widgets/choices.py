"""With n > 1: one read-only pane per choice, in tabs, each following its end as text arrives.

Each pane is an OutputView, so an endless line or a burst of text never freezes the window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.widgets.output_view import OutputView


class ChoiceTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputTabs")
        self.setAccessibleName(self.tr("Completions"))
        self.panes: list[OutputView] = []
        self.hide()

    def open(self, n: int) -> None:
        """Fresh, empty panes for choices 0..n-1."""
        self.clear()
        self.panes = []
        for i in range(n):
            pane = OutputView()
            pane.setReadOnly(True)
            pane.begin_output()
            pane.setObjectName(f"choicePane{i}")
            title = self.tr("Choice %1").replace("%1", str(i))
            pane.setAccessibleName(title)
            self.addTab(pane, title)
            self.panes.append(pane)
        self.show()

    def append(self, index: int, text: str) -> None:
        if not 0 <= index < len(self.panes):
            return
        self.panes[index].append_output(text)

    def end(self) -> None:
        """The run is over: each pane finishes its queued text, then closes its output point."""
        for pane in self.panes:
            pane.end_output()
