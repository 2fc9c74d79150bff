"""The parameter panel's field widgets that are not number knobs: the stop-sequence list, the
JSON boxes, the optional spin boxes, and the text helpers the panel shows values with.

They hold no request state: ``ParamPanel`` (app/ui/widgets/params.py) reads them and writes the
draft. Their words are the panel's (translation context ``ParamPanel``, as in
app/ui/problem_text.py): one translation of "Stop sequences" wherever the user reads it.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.playground import escape_visible, unescape_visible
from app.ui.widgets.field_state import guard_wheel
from app.ui.widgets.number_param import name_widget as _name


class JsonEdit(QPlainTextEdit):
    """A small JSON-object editor that validates as you type."""

    def __init__(self, placeholder: str) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(56)


def optional_spin(object_name: str, accessible: str, lo: int, hi: int, special: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setSpecialValueText(special)  # the minimum means "not sent"
    spin.setValue(lo)
    _name(spin, object_name, accessible)
    guard_wheel(spin)
    return spin


class StopSequenceList(QWidget):
    """The stop sequences: a list (escapes such as \\n shown, double-click to edit), a line to
    add one, and add/remove buttons.

    Signals:
        edited(): the sequences changed (a row added, removed or edited; once per
            ``set_stop_sequences``)
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False  # set_stop_sequences is one edit, not one per row
        stl = QVBoxLayout(self)
        stl.setContentsMargins(0, 0, 0, 0)
        self.stop_list = QListWidget()
        _name(
            self.stop_list,
            "stopSequencesEdit",
            QCoreApplication.translate("ParamPanel", "Stop sequences"),
        )
        self.stop_list.setToolTip(
            QCoreApplication.translate(
                "ParamPanel",
                "Up to 4 sequences; escapes such as \\n are shown "
                "and understood. Double-click to edit.",
            )
        )
        self.stop_list.setFixedHeight(72)
        self.stop_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        stop_row = QHBoxLayout()
        self.stop_input = QLineEdit()
        self.stop_input.setPlaceholderText(
            QCoreApplication.translate("ParamPanel", "add a stop sequence, e.g. \\n")
        )
        _name(
            self.stop_input,
            "stopSequenceInput",
            QCoreApplication.translate("ParamPanel", "New stop sequence"),
        )
        self.stop_add = QToolButton()
        self.stop_add.setText("+")
        _name(
            self.stop_add,
            "stopAddButton",
            QCoreApplication.translate("ParamPanel", "Add stop sequence"),
        )
        self.stop_remove = QToolButton()
        self.stop_remove.setText("−")
        _name(
            self.stop_remove,
            "stopRemoveButton",
            QCoreApplication.translate("ParamPanel", "Remove stop sequence"),
        )
        stop_row.addWidget(self.stop_input, 1)
        stop_row.addWidget(self.stop_add)
        stop_row.addWidget(self.stop_remove)
        stl.addWidget(self.stop_list)
        stl.addLayout(stop_row)

        self.stop_list.model().rowsInserted.connect(self._on_rows_edited)
        self.stop_list.model().rowsRemoved.connect(self._on_rows_edited)
        self.stop_list.itemChanged.connect(self._on_rows_edited)
        self.stop_add.clicked.connect(self._on_stop_add_clicked)
        self.stop_input.returnPressed.connect(self._on_stop_add_clicked)
        self.stop_remove.clicked.connect(self._on_stop_remove_clicked)

    def stop_sequences(self) -> list[str]:
        return [
            unescape_visible(self.stop_list.item(i).text()) for i in range(self.stop_list.count())
        ]

    def set_stop_sequences(self, stops: list[str]) -> None:
        if stops == self.stop_sequences():
            return
        quiet, self._quiet = self._quiet, True  # one edit, not one per row
        try:
            self.stop_list.clear()
            for s in stops:
                self._add_stop_item(s)
        finally:
            self._quiet = quiet
        self.edited.emit()

    def _on_rows_edited(self, *_: object) -> None:
        if not self._quiet:
            self.edited.emit()

    def _add_stop_item(self, raw: str) -> None:
        item = QListWidgetItem(escape_visible(raw))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.stop_list.addItem(item)

    def _on_stop_add_clicked(self) -> None:
        text = self.stop_input.text()
        if not text:
            return
        self._add_stop_item(unescape_visible(text))
        self.stop_input.clear()

    def _on_stop_remove_clicked(self) -> None:
        row = self.stop_list.currentRow()
        if row < 0:
            row = self.stop_list.count() - 1
        if row >= 0:
            self.stop_list.takeItem(row)


def set_text(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)


def json_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return ""
