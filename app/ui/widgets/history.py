"""The history panel: past runs, newest first; restore one into the editor and parameters.

The database is read and changed on the recorder's history thread; the list keeps each shown
run's record, so Restore needs no read at all.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.history import RunRecord

if TYPE_CHECKING:
    from app.ui.recorder import RunRecorder

_OUTCOME_MARK = {"finished": "✓", "failed": "✗", "stopped": "■"}


class HistoryPanel(QWidget):
    """Signals: restoreRequested(object) — a RunRecord to put back into the window."""

    restoreRequested = Signal(object)

    def __init__(self, recorder: RunRecorder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._recorder = recorder  # read on first show: SQLite is not needed to show the window
        self._loaded = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setAccessibleName(self.tr("Run history"))
        self.list.setWordWrap(True)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setObjectName("historyRestoreButton")
        self.restore_button.setAccessibleName(self.tr("Restore the selected run"))
        self.restore_button.setToolTip(
            self.tr(
                "Put this run's prompt, output and parameters "
                "back (Undo brings the current text back)"
            )
        )
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setObjectName("historyDeleteButton")
        self.delete_button.setAccessibleName(self.tr("Delete the selected run"))
        row.addWidget(self.restore_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.list.itemActivated.connect(self._on_item_activated)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self._loaded = True
        self._recorder.query(lambda db: db.recent(), self._on_recent_loaded, parent=self)

    def _on_recent_loaded(self, records: list[RunRecord]) -> None:
        self.list.clear()
        for record in records:
            self.list.addItem(self._item(record))

    def added(self, record: RunRecord) -> None:
        """A run was just recorded: show it on top (if the list was loaded at all)."""
        if self._loaded:
            self.list.insertItem(0, self._item(record))

    def _item(self, record: RunRecord) -> QListWidgetItem:
        when = time.strftime("%m-%d %H:%M", time.localtime(record.created))
        prompt = " ".join(record.prompt_text.split())
        if len(prompt) > 60:
            prompt = prompt[:59] + "…"
        mark = _OUTCOME_MARK.get(record.outcome, "?")
        item = QListWidgetItem(f"{mark} {when}  {record.model}\n{prompt}")
        item.setData(Qt.ItemDataRole.UserRole, record)
        tip = record.provider or record.url
        if record.error:
            tip += "\n" + record.error
        item.setToolTip(tip)
        return item

    def selected(self) -> RunRecord | None:
        item = self.list.currentItem()
        if item is None:
            return None
        record = item.data(Qt.ItemDataRole.UserRole)
        return record if isinstance(record, RunRecord) else None

    def _on_item_activated(self, _item: QListWidgetItem) -> None:
        self._on_restore_clicked()

    def _on_restore_clicked(self) -> None:
        record = self.selected()
        if record is not None:
            self.restoreRequested.emit(record)

    def _on_delete_clicked(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        record = item.data(Qt.ItemDataRole.UserRole)
        self.list.takeItem(self.list.row(item))
        if isinstance(record, RunRecord) and record.id is not None:
            run_id = record.id
            self._recorder.query(lambda db: db.delete(run_id), lambda _: None, parent=self)
