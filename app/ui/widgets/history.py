"""The history panel: past runs, newest first; search them, read one, restore it, delete it.

The database is read and changed on the recorder's history thread; the list keeps each shown
run's record, so Restore, the preview and the search need no read at all (the search covers the
runs loaded, the most recent ``History.recent`` returns).

Each entry says its outcome with a mark explained in the legend under the list (✓ finished,
✗ failed, ■ stopped), when, which model, the start of the prompt and the start of the output.
Delete asks first: a run is gone for good once deleted. The question is a window-modal box
opened with ``open()`` (never ``exec()``: the qasync loop must keep running), named
``confirmDeleteRunBox`` so that tests can answer it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.history import RunRecord
from app.ui.questions import confirm_delete

if TYPE_CHECKING:
    from app.ui.recorder import RunRecorder

_OUTCOME_MARK = {"finished": "✓", "failed": "✗", "stopped": "■"}
PREVIEW_CHARS = 70  # of the prompt and of the output, in the list


def outcome_name(outcome: str) -> str:
    names = {
        "finished": QCoreApplication.translate("HistoryPanel", "finished"),
        "failed": QCoreApplication.translate("HistoryPanel", "failed"),
        "stopped": QCoreApplication.translate("HistoryPanel", "stopped"),
    }
    return names.get(outcome, outcome)


def _one_line(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _output(record: RunRecord) -> str:
    return record.outputs.get(0) or next(iter(record.outputs.values()), "")


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
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setAccessibleName(self.tr("Search the history"))
        self.search.setPlaceholderText(self.tr("Search prompts, outputs, models…"))
        self.search.setClearButtonEnabled(True)
        lay.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setAccessibleName(self.tr("Run history"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)  # entries of three lines need air between them
        self.list.setAlternatingRowColors(True)
        self.legend = QLabel(
            self.tr("✓ finished · ✗ failed · ■ stopped"),
        )
        self.legend.setObjectName("historyLegend")
        self.legend.setAccessibleName(self.tr("What the marks mean"))
        self.legend.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("historyPreview")
        self.preview.setAccessibleName(self.tr("The selected run's prompt and output"))
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(self.tr("Select a run to read its prompt and output"))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.list, 1)
        tl.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
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
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("historyDeleteButton")
        self.delete_button.setAccessibleName(self.tr("Delete the selected run"))
        row.addWidget(self.restore_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.currentItemChanged.connect(self._on_current_item_changed)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self._update_buttons()

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
        self._on_search_text_changed(self.search.text())

    def added(self, record: RunRecord) -> None:
        """A run was just recorded: show it on top (if the list was loaded at all)."""
        if self._loaded:
            item = self._item(record)
            self.list.insertItem(0, item)
            item.setHidden(not self._matches(record, self.search.text()))

    def _item(self, record: RunRecord) -> QListWidgetItem:
        when = time.strftime("%m-%d %H:%M", time.localtime(record.created))
        mark = _OUTCOME_MARK.get(record.outcome, "?")
        lines = [f"{mark} {when} · {record.model}", _one_line(record.prompt_text)]
        output = _output(record)
        if output.strip():
            lines.append("→ " + _one_line(output))
        elif record.error:
            lines.append("✗ " + _one_line(record.error))
        item = QListWidgetItem("\n".join(lines))
        item.setData(Qt.ItemDataRole.UserRole, record)
        tip = [outcome_name(record.outcome).capitalize(), record.provider or record.url]
        if record.error:
            tip.append(record.error)
        item.setToolTip("\n".join(t for t in tip if t))
        return item

    def _records(self) -> list[tuple[QListWidgetItem, RunRecord]]:
        out = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            record = item.data(Qt.ItemDataRole.UserRole)
            if isinstance(record, RunRecord):
                out.append((item, record))
        return out

    @staticmethod
    def _matches(record: RunRecord, query: str) -> bool:
        words = query.casefold().split()
        if not words:
            return True
        hay = "\n".join(
            [record.prompt_text, record.model, record.provider, record.error]
            + list(record.outputs.values())
        ).casefold()
        return all(w in hay for w in words)

    def _on_search_text_changed(self, query: str) -> None:
        for item, record in self._records():
            item.setHidden(not self._matches(record, query))
        current = self.list.currentItem()
        if current is not None and current.isHidden():
            self.list.setCurrentItem(None)
        self._update_buttons()

    def visible_records(self) -> list[RunRecord]:
        """The runs the list shows now (after the search), top to bottom."""
        return [record for item, record in self._records() if not item.isHidden()]

    def selected(self) -> RunRecord | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        record = item.data(Qt.ItemDataRole.UserRole)
        return record if isinstance(record, RunRecord) else None

    def _on_current_item_changed(self, *_: object) -> None:
        record = self.selected()
        if record is None:
            self.preview.clear()
        else:
            parts = [record.prompt_text]
            for index, text in sorted(record.outputs.items()):
                head = (
                    self.tr("— output —")
                    if len(record.outputs) == 1
                    else (self.tr("— choice %1 —").replace("%1", str(index + 1)))
                )
                parts += [head, text]
            if record.error:
                parts += [self.tr("— error —"), record.error]
            self.preview.setPlainText("\n".join(parts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _on_item_activated(self, _item: QListWidgetItem) -> None:
        self._on_restore_clicked()

    def _on_restore_clicked(self) -> None:
        record = self.selected()
        if record is not None:
            self.restoreRequested.emit(record)

    def _on_delete_clicked(self) -> None:
        """Ask, then delete the selected run (from the list at once, from the database on the
        history thread)."""
        item = self.list.currentItem()
        record = self.selected()
        if item is None or record is None:
            return
        confirm_delete(
            self,
            "confirmDeleteRunBox",
            self.tr("Delete run"),
            self.tr("Delete this run from the history?"),
            _one_line(record.prompt_text),
            lambda: self.delete(item),
        )

    def delete(self, item: QListWidgetItem) -> None:
        """Delete the run shown by ``item`` at once (the button asks first)."""
        row = self.list.row(item)
        if row < 0:
            return  # gone meanwhile (the list was reloaded)
        record = item.data(Qt.ItemDataRole.UserRole)
        self.list.takeItem(row)
        if isinstance(record, RunRecord) and record.id is not None:
            run_id = record.id
            self._recorder.query(lambda db: db.delete(run_id), lambda _: None, parent=self)
        self._on_current_item_changed()
