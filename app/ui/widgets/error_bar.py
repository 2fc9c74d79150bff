"""The error bar: the server's own message and HTTP status, selectable, dismissable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class ErrorBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBar")
        self.setAccessibleName(self.tr("Error"))
        self.setStyleSheet(
            "#errorBar { background: #fce8e6; border: 1px solid #d93025;"
            " border-radius: 4px; } QLabel { color: #a50e0e; }"
        )
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel()
        self.text.setObjectName("errorText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("errorCloseButton")
        close.setAccessibleName(self.tr("Dismiss the error"))
        close.setText("✕")
        close.clicked.connect(self.hide)
        lay.addWidget(self.text, 1)
        lay.addWidget(close)
        self.hide()

    def show_message(self, text: str) -> None:
        self.text.setText(text)
        self.show()
