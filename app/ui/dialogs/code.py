"""View code: the current request as curl, Python or JavaScript, reading the key from $VAR."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.codegen import DEFAULT_KEY_ENV, FORMATS, to_code
from app.core.endpoint import Endpoint

_TITLES = {"curl": "curl", "python": "Python", "javascript": "JavaScript"}


class CodeDialog(QDialog):
    def __init__(
        self,
        endpoint: Endpoint,
        body: dict[str, Any],
        key_env: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codeDialog")
        self.setWindowTitle(self.tr("Code"))
        env = key_env or DEFAULT_KEY_ENV
        lay = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "The key is read from the environment variable %1; it is never part of the code."
            ).replace("%1", env)
        )
        note.setObjectName("codeKeyNote")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("codeTabs")
        self.editors: dict[str, QPlainTextEdit] = {}
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for fmt in FORMATS:
            edit = QPlainTextEdit(to_code(fmt, endpoint, body, env))
            edit.setObjectName(f"code_{fmt}")
            edit.setAccessibleName(_TITLES[fmt])
            edit.setReadOnly(True)
            edit.setFont(mono)
            self.tabs.addTab(edit, _TITLES[fmt])
            self.editors[fmt] = edit
        lay.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("copyCodeButton")
        self.copy_button.setAccessibleName(self.tr("Copy the code"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(720, 520)

    def current_code(self) -> str:
        edit = self.tabs.currentWidget()
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else ""

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.current_code())
