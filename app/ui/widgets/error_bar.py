"""The error bar: the server's own message and HTTP status, selectable, dismissable."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.widgets.bar import MessageBar


class ErrorBar(MessageBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("error", "errorBar", "errorCloseButton", parent)
        self.close_button.setAccessibleName(self.tr("Dismiss the error"))
        self.setAccessibleName(self.tr("Error"))
        self.text.setObjectName("errorText")
        self.close_button.clicked.connect(self.hide)

    def show_message(self, text: str) -> None:
        self.text.setText(text)
        self.show()
