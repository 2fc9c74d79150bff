"""A framed message bar (errors, notices): a selectable label and a dismiss button, in the
theme's colours for its kind, restyled when the palette changes (the system went dark)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.ui.theme import theme_for


class MessageBar(QFrame):
    """The shared frame of ErrorBar and NoticeBar; ``kind`` is "error" or "notice"."""

    def __init__(self, kind: str, name: str, close_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setObjectName(name)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setObjectName(close_name)
        self.close_button.setText("✕")
        lay.addWidget(self.text, 1)
        lay.addWidget(self.close_button)
        self._restyle()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        t = theme_for(self.palette())
        if self._kind == "error":
            sheet = t.sheet(self.objectName(), t.error_bg, t.error_border, t.error_text)
        else:
            sheet = t.sheet(self.objectName(), t.notice_bg, t.notice_border, t.notice_text)
        if sheet != self.styleSheet():  # setting a sheet sends a PaletteChange of its own
            self.setStyleSheet(sheet)
