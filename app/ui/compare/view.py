"""CompareView: the Compare tab — the shared prompt, the columns, who was faster, the chart.

A view of ``CompareController``: the buttons call its slots, its signals fill the columns (text
per frame, figures, ends), the summary line (who was faster, by how much) and the timeline chart.
Settings every column shares are the window's Parameters tab (the same ``RequestDraft``); a
column's own ones are edited in the column. Run all is Ctrl+Enter and Stop all Esc (the window's
Run menu routes them here while this tab is shown).

Signals:
    busyChanged(bool): a comparison started or ended (the window disables the playground's Run).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import MAX_COLUMNS, MAX_REPEAT, Order
from app.ui.compare import figures
from app.ui.compare.column import CompareColumn
from app.ui.widgets.field_state import guard_wheel
from app.ui.widgets.flow import FlowLayout, flow_button
from app.ui.widgets.timeline import Series, TimelineChart

if TYPE_CHECKING:
    from app.core.compare import Column
    from app.core.compare_run import ComparisonResult
    from app.ui.compare.controller import CompareController
    from app.ui.dialogs.diff import DiffDialog


class CompareView(QWidget):
    """The Compare tab (see the module docstring)."""

    busyChanged = Signal(bool)

    def __init__(self, ctl: CompareController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.setObjectName("compareView")
        self.columns: dict[int, CompareColumn] = {}  # by id() of the core Column
        self._syncing = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

        bar = QWidget()
        bar.setObjectName("compareButtons")
        row = FlowLayout(bar)
        self.run_button = flow_button(
            "compareRunAll", self.tr("Run all"), self.tr("Run every column (Ctrl+Enter)"), row
        )
        self.run_button.setStyleSheet("QPushButton#compareRunAll { font-weight: bold; }")
        self.stop_button = flow_button(
            "compareStopAll", self.tr("Stop all"), self.tr("Stop every column (Esc)"), row
        )
        self.add_button = flow_button(
            "compareAddColumn", self.tr("Add column"), self.tr("Add a column (2 to 8)"), row
        )
        repeat_box = QWidget()
        rl = QHBoxLayout(repeat_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(self.tr("Repeat ×")))
        self.repeat = QSpinBox()
        self.repeat.setRange(1, MAX_REPEAT)
        self.repeat.setObjectName("compareRepeat")
        self.repeat.setAccessibleName(self.tr("Repeat each column"))
        self.repeat.setToolTip(self.tr("Run every column this many times and show the spread"))
        guard_wheel(self.repeat)
        rl.addWidget(self.repeat)
        self.order = QComboBox()
        self.order.setObjectName("compareOrder")
        self.order.setAccessibleName(self.tr("How repeats run"))
        self.order.addItem(self.tr("one after another"), Order.SEQUENTIAL.value)
        self.order.addItem(self.tr("all at once"), Order.CONCURRENT.value)
        guard_wheel(self.order)
        rl.addWidget(self.order)
        row.addWidget(repeat_box)
        self.diff_button = flow_button(
            "compareDiff", self.tr("Diff…"), self.tr("See where two outputs differ"), row
        )
        self.save_button = flow_button(
            "compareSave", self.tr("Save…"), self.tr("Save this comparison by name"), row
        )
        self.open_button = QToolButton()
        self.open_button.setText(self.tr("Open"))
        self.open_button.setObjectName("compareOpen")
        self.open_button.setAccessibleName(self.tr("Open a saved comparison"))
        self.open_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.open_menu = QMenu(self.open_button)
        self.open_button.setMenu(self.open_menu)
        self.open_menu.aboutToShow.connect(ctl.list_saved)
        row.addWidget(self.open_button)
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export"))
        self.export_button.setObjectName("compareExport")
        self.export_button.setAccessibleName(self.tr("Export the results"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("Markdown…"), lambda: self.ask_export("md"))
        menu.addAction(self.tr("JSON…"), lambda: self.ask_export("json"))
        self.export_button.setMenu(menu)
        row.addWidget(self.export_button)
        lay.addWidget(bar)

        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("comparePrompt")
        self.prompt.setAccessibleName(self.tr("Prompt for every column"))
        self.prompt.setPlaceholderText(self.tr("The prompt every column is sent"))
        self.prompt.setMaximumHeight(100)
        # Two lines at least, not a scroll area's default 70 px: the view fits an 800 × 600 window.
        self.prompt.setMinimumHeight(2 * self.prompt.fontMetrics().lineSpacing() + 12)
        lay.addWidget(self.prompt)

        self.strip = QWidget()
        self.strip.setObjectName("compareColumns")
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("compareScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.strip)
        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")
        self.summary.setAccessibleName(self.tr("Who was faster"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = TimelineChart()
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.summary)
        bl.addWidget(self.chart, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("compareSplitter")
        self.split.addWidget(self.scroll_area)
        self.split.addWidget(bottom)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        # The columns first: two thirds of the height, the chart and summary the rest (the
        # stretch factors alone leave the columns only their minimum next to the chart's hint).
        self.split.setSizes([2000, 1000])
        lay.addWidget(self.split, 1)

        self.run_button.clicked.connect(self.run_all)
        self.stop_button.clicked.connect(self.stop_all)
        self.add_button.clicked.connect(self.add_column)
        self.diff_button.clicked.connect(self.show_diff)
        self.save_button.clicked.connect(self.ask_save)
        self.prompt.textChanged.connect(self._on_prompt_text_changed)
        self.repeat.valueChanged.connect(self._on_repeat_changed)
        self.order.activated.connect(self._on_repeat_changed)
        ctl.columnsChanged.connect(self._on_columns_changed)
        ctl.loaded.connect(self._on_loaded)
        ctl.busyChanged.connect(self._on_busy_changed)
        ctl.started.connect(self._on_started)
        ctl.textReady.connect(self._on_text_ready)
        ctl.figuresChanged.connect(self._on_figures_changed)
        ctl.attemptEnded.connect(self._on_attempt_ended)
        ctl.finished.connect(self._on_finished)
        ctl.namesListed.connect(self._on_names_listed)
        ctl.comparison.shared.subscribe(self._on_shared_changed)
        self._on_columns_changed()
        self.update_enabled()

    # actions ----------------------------------------------------------------------------------

    def run_all(self) -> bool:
        """Ctrl+Enter: run every column, or say at once why not (the error bar)."""
        problems = self.ctl.problems()
        if problems:
            self.ctl.errorShown.emit(self.tr("Cannot run the comparison: ") + "; ".join(problems))
            return False
        return self.ctl.run_all()

    def stop_all(self) -> None:
        self.ctl.stop()

    def add_column(self) -> None:
        """A new column: the next saved provider not yet used, or the first one."""
        names = self.ctl.services.providers.names()
        used = {c.provider for c in self.ctl.columns}
        provider = next((n for n in names if n not in used), names[0] if names else "")
        self.ctl.add_column(provider)

    def show_diff(self) -> DiffDialog | None:
        from app.ui.dialogs.diff import DiffDialog

        outputs, picks = self.outputs()
        if len(outputs) < 2:
            self.ctl.errorShown.emit(
                self.tr("Run the comparison first: there are no two outputs to compare")
            )
            return None
        dialog = DiffDialog(outputs, picks[0], picks[1], self)
        dialog.open()
        return dialog

    def outputs(self) -> tuple[list[tuple[str, str]], tuple[int, int]]:
        """Every output of the last run as (label, text), and the two the diff starts with: the
        runs the first two columns show."""
        out: list[tuple[str, str]] = []
        shown: list[int] = []
        repeat = max(1, self.ctl.comparison.repeat)
        for col in self.ctl.columns:
            widget = self.columns.get(id(col))
            for a in self.ctl.attempts(col.name):
                label = (
                    col.name
                    if repeat == 1
                    else self.tr("%1 · run %2")
                    .replace("%1", col.name)
                    .replace("%2", str(a.repeat + 1))
                )
                if widget is not None and a.repeat == widget.repeat:
                    shown.append(len(out))
                out.append((label, a.text))
        picks = (shown + [0, 1])[:2] if len(shown) >= 2 else (0, 1)
        return out, (picks[0], picks[1])

    def ask_save(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("compareSaveDialog")
        dialog.setWindowTitle(self.tr("Save comparison"))
        dialog.setLabelText(self.tr("Name:"))
        dialog.textValueSelected.connect(self._on_save_name_selected)
        dialog.open()
        return dialog

    def _on_save_name_selected(self, name: str) -> None:
        if not self.ctl.save(name):
            self.ctl.errorShown.emit(
                self.tr(
                    "%1 cannot be a comparison's name: it becomes a file name "
                    '(no / \\ : * ? " < > |, no leading dot or spaces)'
                ).replace("%1", repr(name))
            )

    def ask_export(self, kind: str) -> QFileDialog | None:
        if self.ctl.result is None:
            self.ctl.errorShown.emit(
                self.tr("Run the comparison first: there are no results to export")
            )
            return None
        suffix = ".md" if kind == "md" else ".json"
        dialog = QFileDialog(self, self.tr("Export the comparison"))
        dialog.setObjectName("compareExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix[1:])
        dialog.selectFile("comparison" + suffix)
        dialog.fileSelected.connect(lambda path: self.ctl.export(Path(path), kind))
        dialog.open()
        return dialog

    # reflecting the controller ----------------------------------------------------------------

    def update_enabled(self) -> None:
        busy = self.ctl.busy
        n = len(self.ctl.columns)
        self.run_button.setEnabled(not busy)  # Ctrl+Enter / the button say why if it cannot
        problems = [] if busy else self.ctl.problems()
        self.run_button.setToolTip(
            self.tr("Cannot run:") + "\n" + "\n".join(problems)
            if problems
            else self.tr("Run every column (Ctrl+Enter)")
        )
        self.stop_button.setEnabled(busy)
        self.add_button.setEnabled(not busy and n < MAX_COLUMNS)
        for w in (self.repeat, self.order, self.open_button, self.prompt):
            w.setEnabled(not busy)
        has_result = self.ctl.result is not None and not busy
        self.diff_button.setEnabled(has_result)
        self.export_button.setEnabled(has_result)
        for col in self.columns.values():
            col.set_busy(busy)

    def _on_columns_changed(self) -> None:
        wanted = list(self.ctl.columns)
        keep = {id(c) for c in wanted}
        for key in [k for k in self.columns if k not in keep]:
            widget = self.columns.pop(key)
            widget.setParent(None)
            widget.deleteLater()
        for i, col in enumerate(wanted):
            found = self.columns.get(id(col))
            widget = found if found is not None else self._new_column(col)
            widget.name = col.name
            widget.sync()
            self.strip_layout.insertWidget(i, widget, 1)
        self.update_enabled()

    def _new_column(self, col: Column) -> CompareColumn:
        widget = CompareColumn(self.ctl, col.name)
        widget.stopRequested.connect(self.ctl.stop)
        widget.moveRequested.connect(self.ctl.move_column)
        widget.duplicateRequested.connect(self.ctl.duplicate_column)
        widget.removeRequested.connect(self.ctl.remove_column)
        widget.browsed.connect(self._on_column_browsed)
        self.columns[id(col)] = widget
        return widget

    def column_widget(self, name: str) -> CompareColumn | None:
        return next((w for w in self.columns.values() if w.name == name), None)

    def _on_loaded(self) -> None:
        self._syncing = True
        try:
            cmp = self.ctl.comparison
            if self.prompt.toPlainText() != cmp.prompt:
                self.prompt.setPlainText(cmp.prompt)
            self.repeat.setValue(cmp.repeat)
            self.order.setCurrentIndex(max(0, self.order.findData(cmp.order.value)))
        finally:
            self._syncing = False
        self.ctl.result = None
        for w in self.columns.values():
            w.clear_run()
            w.output.end_output()
        self._refresh_chart()
        self.summary.setText("")
        self._on_columns_changed()

    def _on_prompt_text_changed(self) -> None:
        if not self._syncing:
            self.ctl.set_prompt(self.prompt.toPlainText())
            self.update_enabled()

    def _on_repeat_changed(self, *_: object) -> None:
        if not self._syncing:
            self.ctl.set_repeat(self.repeat.value(), Order(self.order.currentData()))
            for w in self.columns.values():
                w.show_figures()
            self.update_enabled()

    def _on_shared_changed(self, _field: str | None) -> None:
        # The shared settings (the Parameters tab) changed: problems and placeholders follow.
        if not self.ctl.busy:
            for w in self.columns.values():
                w.sync()
            self.update_enabled()

    def _on_busy_changed(self, busy: bool) -> None:
        self.update_enabled()
        self.busyChanged.emit(busy)

    def _on_started(self) -> None:
        for w in self.columns.values():
            w.clear_run()
        self.summary.setText(self.tr("Running…"))
        self._refresh_chart()

    def _on_text_ready(self, column: str, repeat: int, text: str) -> None:
        widget = self.column_widget(column)
        if widget is not None:
            widget.append(repeat, text)

    def _on_figures_changed(self) -> None:
        for w in self.columns.values():
            w.show_figures()
        self._refresh_chart(live=True)

    def _on_attempt_ended(self, column: str, repeat: int) -> None:
        widget = self.column_widget(column)
        if widget is not None:
            widget.end_attempt(repeat)

    def _on_column_browsed(self, _column: str, _repeat: int) -> None:
        self._refresh_chart()

    def _on_finished(self, result: ComparisonResult) -> None:
        for w in self.columns.values():
            w.output.end_output()
            w.show_figures()
        self.summary.setText(figures.verdict(result.columns) or self.tr("Done"))
        self._refresh_chart()
        self.update_enabled()

    def _open_saved(self, name: str, _checked: bool = False) -> None:
        self.ctl.open_saved(name)

    def _on_names_listed(self, names: list[str]) -> None:
        self.open_menu.clear()
        if not names:
            act = self.open_menu.addAction(self.tr("No saved comparisons yet"))
            act.setEnabled(False)
        for name in names:
            act = self.open_menu.addAction(name)
            act.triggered.connect(functools.partial(self._open_saved, name))

    def _refresh_chart(self, live: bool = False) -> None:
        """One line per attempt, coloured by column; the repeats a column is not showing fade."""
        series: list[Series] = []
        elapsed = 0.0
        for i, col in enumerate(self.ctl.columns):
            widget = self.columns.get(id(col))
            for a in self.ctl.attempts(col.name):
                shown = widget is None or a.repeat == widget.repeat
                series.append(
                    Series(col.name, i, a.timeline, faded=not shown, failed=bool(a.error))
                )
                e = figures.elapsed(a)
                if e is not None:
                    elapsed = max(elapsed, e)
        if live and len(series) == len(self.chart.series()):
            self.chart.set_live_until(elapsed)
            self.chart.refresh()
            return
        self.chart.set_series(series)
        self.chart.set_live_until(elapsed if live else None)
