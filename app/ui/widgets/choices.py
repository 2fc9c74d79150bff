"""With n > 1: one read-only pane per choice, in tabs, each following its end as text arrives."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QWidget


class ChoiceTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputTabs")
        self.setAccessibleName(self.tr("Completions"))
        self.panes: list[QPlainTextEdit] = []
        self.hide()

    def open(self, n: int) -> None:
        """Fresh, empty panes for choices 0..n-1."""
        self.clear()
        self.panes = []
        for i in range(n):
            pane = QPlainTextEdit()
            pane.setReadOnly(True)
            pane.setObjectName(f"choicePane{i}")
            title = self.tr("Choice %1").replace("%1", str(i))
            pane.setAccessibleName(title)
            self.addTab(pane, title)
            self.panes.append(pane)
        self.show()

    def append(self, index: int, text: str) -> None:
        if not 0 <= index < len(self.panes):
            return
        pane = self.panes[index]
        bar = pane.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
        cur = pane.textCursor()
        cur.movePosition(cur.MoveOperation.End)
        cur.insertText(text)
        if follow:
            bar.setValue(bar.maximum())
