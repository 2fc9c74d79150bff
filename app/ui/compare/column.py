"""CompareColumn: one column of the Compare view — where it goes, its own settings, its output.

The header names the column and says which settings are its own; its settings (provider or URL,
model, any of the numeric parameters, a price) are edited in place, in a section the header
folds open. The body shows the live figures, the server's error, and the output of the attempt
being browsed (``‹ run 2/5 ›`` when the comparison repeats). The column is a view of the
controller's ``Column`` and ``Attempt``s: edits go to the controller, never into the widget.

Signals:
    stopRequested(str): stop this column (its name).
    moveRequested(str, int): move it left (-1) or right (+1).
    duplicateRequested(str)
    removeRequested(str)
    browsed(str, int): the attempt shown changed (column, repeat).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import Column, Price
from app.core.draft import FIELDS, Kind
from app.ui.compare import figures
from app.ui.theme import theme_for
from app.ui.widgets.field_state import guard_wheel
from app.ui.widgets.output_view import OutputView

if TYPE_CHECKING:
    from app.core.compare_run import Attempt
    from app.ui.compare.controller import CompareController

#: The parameters a column can set itself (the rest come from the shared settings).
OWN_FIELDS = ("temperature", "top_p", "max_tokens", "presence_penalty", "frequency_penalty", "seed")
INT_LIMIT = 2**31 - 1


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


MIN_WIDTH = 200  # px, a column's least width whatever its header needs


class CompareColumn(QFrame):
    """One column (see the module docstring for its signals)."""

    stopRequested = Signal(str)
    moveRequested = Signal(str, int)
    duplicateRequested = Signal(str)
    removeRequested = Signal(str)
    browsed = Signal(str, int)

    def __init__(self, ctl: CompareController, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.name = name
        self.repeat = 0  # the attempt shown
        self._syncing = False
        self.setObjectName(f"compareColumn_{name}")
        self.setAccessibleName(self.tr("Column %1").replace("%1", name))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)

        head = QHBoxLayout()
        head.setSpacing(2)  # tool buttons close together, as in a toolbar
        self.name_edit = QLineEdit(name)
        _named(self.name_edit, "columnName", self.tr("Column name"))
        self.name_edit.setMaximumWidth(90)
        self.name_edit.editingFinished.connect(self._on_name_editing_finished)
        head.addWidget(self.name_edit)
        self.fold = QToolButton()
        self.fold.setCheckable(True)
        self.fold.setText(self.tr("Settings"))
        self.fold.setToolTip(self.tr("Edit this column's provider, model and own settings"))
        _named(self.fold, "columnSettingsButton", self.tr("Column settings"))
        self.fold.toggled.connect(self._on_fold_toggled)
        head.addWidget(self.fold)
        head.addStretch(1)
        for obj, text, tip, slot in (
            (
                "columnLeft",
                "◀",
                self.tr("Move left"),
                lambda: self.moveRequested.emit(self.name, -1),
            ),
            (
                "columnRight",
                "▶",
                self.tr("Move right"),
                lambda: self.moveRequested.emit(self.name, 1),
            ),
            (
                "columnDuplicate",
                "❐",  # (⧉ is missing from common fonts)
                self.tr("Duplicate"),
                lambda: self.duplicateRequested.emit(self.name),
            ),
            ("columnRemove", "✕", self.tr("Remove"), lambda: self.removeRequested.emit(self.name)),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            _named(b, obj, tip)
            b.clicked.connect(slot)
            head.addWidget(b)
            setattr(self, obj + "_button", b)
        lay.addLayout(head)

        self.own = QLabel()
        _named(self.own, "columnOwn", self.tr("This column's own settings"))
        self.own.setWordWrap(True)
        lay.addWidget(self.own)

        self.settings = QWidget()
        self.settings.setObjectName("columnSettings")
        form = QFormLayout(self.settings)
        form.setContentsMargins(0, 0, 0, 0)
        self.where = QComboBox()
        _named(self.where, "columnProvider", self.tr("Provider"))
        guard_wheel(self.where)
        self.where.activated.connect(self._on_where_activated)
        form.addRow(self.tr("Provider"), self.where)
        self.url = QLineEdit()
        _named(self.url, "columnUrl", self.tr("Base URL"))
        self.url.setPlaceholderText("http://127.0.0.1:8080/v1")
        self.url.editingFinished.connect(self._on_url_editing_finished)
        form.addRow(self.tr("Base URL"), self.url)
        self.model = QComboBox()
        self.model.setEditable(True)
        _named(self.model, "columnModel", self.tr("Model"))
        guard_wheel(self.model)
        line = self.model.lineEdit()
        assert line is not None  # an editable combo has one
        line.editingFinished.connect(self._on_model_editing_finished)
        self.model.activated.connect(self._on_model_editing_finished)
        form.addRow(self.tr("Model"), self.model)
        self.fields_box = QWidget()
        self.fields = QFormLayout(self.fields_box)
        self.fields.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.fields_box)
        self.add_field = QToolButton()
        self.add_field.setText(self.tr("Own setting…"))
        self.add_field.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        _named(self.add_field, "columnAddSetting", self.tr("Give this column its own setting"))
        self.add_menu = QMenu(self.add_field)
        self.add_field.setMenu(self.add_menu)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        form.addRow(self.add_field)
        self.price_edits: list[QDoubleSpinBox] = []
        price_row = QHBoxLayout()
        for obj, tip, default in (
            ("columnPricePrompt", self.tr("Price per 1M prompt tokens"), 0.0),
            ("columnPriceCompletion", self.tr("Price per 1M completion tokens"), 0.0),
            ("columnPriceMultiplier", self.tr("Multiplier (倍率)"), 1.0),
        ):
            spin = QDoubleSpinBox()
            spin.setDecimals(4)
            spin.setRange(0, 1e6)
            spin.setValue(default)
            spin.setToolTip(tip)
            spin.setKeyboardTracking(False)
            guard_wheel(spin)
            _named(spin, obj, tip)
            spin.valueChanged.connect(self._on_price_changed)
            price_row.addWidget(spin)
            self.price_edits.append(spin)
        form.addRow(self.tr("Price / 1M, ×"), price_row)
        self.settings.setVisible(False)
        lay.addWidget(self.settings)

        bar = QHBoxLayout()
        self.prev = QToolButton()
        self.prev.setText("‹")
        _named(self.prev, "columnPrevRun", self.tr("Previous run"))
        self.prev.clicked.connect(lambda: self.browse(self.repeat - 1))
        self.next = QToolButton()
        self.next.setText("›")
        _named(self.next, "columnNextRun", self.tr("Next run"))
        self.next.clicked.connect(lambda: self.browse(self.repeat + 1))
        self.which = QLabel()
        _named(self.which, "columnRun", self.tr("Run shown"))
        self.state = QLabel()
        _named(self.state, "columnState", self.tr("Column state"))
        self.stop = QToolButton()
        self.stop.setText(self.tr("Stop"))
        _named(self.stop, "columnStop", self.tr("Stop this column"))
        self.stop.clicked.connect(lambda: self.stopRequested.emit(self.name))
        self.stop.setEnabled(False)
        for w in (self.prev, self.which, self.next):
            bar.addWidget(w)
        bar.addWidget(self.state, 1)
        bar.addWidget(self.stop)
        lay.addLayout(bar)
        self.figures = QLabel()
        _named(self.figures, "columnFigures", self.tr("Figures"))
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.figures)
        self.spread = QLabel()
        _named(self.spread, "columnSpread", self.tr("Spread over the repeats"))
        self.spread.setWordWrap(True)
        lay.addWidget(self.spread)
        self.error = QLabel()
        _named(self.error, "columnError", self.tr("Error"))
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setVisible(False)
        lay.addWidget(self.error)
        self._restyle()
        self.output = OutputView()
        _named(self.output, "columnOutput", self.tr("Output of column %1").replace("%1", name))
        self.output.setReadOnly(True)
        lay.addWidget(self.output, 1)
        self.sync()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Whatever its header needs in this language, and never so narrow text cannot be read:
        # two columns still fit side by side in an 800 px window.
        hint = super().minimumSizeHint()
        return QSize(max(MIN_WIDTH, hint.width()), hint.height())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        t = theme_for(self.palette())
        self.error.setStyleSheet(f"QLabel#columnError {{ color: {t.error_text.name()}; }}")

    # reflecting the model ---------------------------------------------------------------------

    def column(self) -> Column | None:
        return self.ctl.column(self.name)

    def sync(self) -> None:
        """Show the column's settings as the controller has them."""
        col = self.column()
        if col is None:
            return
        self._syncing = True
        try:
            self.name_edit.setText(col.name)
            self.own.setText(figures.own_settings(col) + " · " + self._where_text(col))
            self.where.clear()
            for name in self.ctl.services.providers.names():
                self.where.addItem(name, name)
            self.where.addItem(self.tr("Custom URL"), "")
            i = self.where.findData(col.provider) if col.provider else self.where.count() - 1
            self.where.setCurrentIndex(max(0, i))
            self.url.setText(col.base_url)
            self.url.setEnabled(not col.provider)
            profile = self.ctl.services.providers.get(col.provider) if col.provider else None
            self.model.clear()
            self.model.addItems(profile.models if profile is not None else [])
            self.model.setEditText(col.model)
            shared = self.ctl.comparison.shared.value("model") or ""
            line = self.model.lineEdit()
            assert line is not None
            line.setPlaceholderText(
                self.tr("shared: %1").replace("%1", shared) if shared else self.tr("model")
            )
            self._sync_fields(col)
            price = col.price or Price()
            for spin, v in zip(
                self.price_edits,
                (price.prompt_per_million, price.completion_per_million, price.multiplier),
                strict=True,
            ):
                spin.setValue(v)
        finally:
            self._syncing = False

    def _where_text(self, col: Column) -> str:
        return col.where() or self.tr("no provider")

    def _sync_fields(self, col: Column) -> None:
        while self.fields.rowCount():
            self.fields.removeRow(0)
        for field, value in col.overrides.set_fields().items():
            if field not in OWN_FIELDS:
                continue
            row = QHBoxLayout()
            spin = self._spin(field, value)
            row.addWidget(spin, 1)
            drop = QToolButton()
            drop.setText("✕")
            tip = self.tr("Use the shared %1").replace("%1", figures.field_label(field))
            drop.setToolTip(tip)
            _named(drop, f"columnUnset_{field}", tip)
            drop.clicked.connect(lambda _=False, f=field: self.ctl.unset_override(self.name, f))
            row.addWidget(drop)
            self.fields.addRow(figures.field_label(field), row)

    def _spin(self, field: str, value: Any) -> QWidget:
        spec = FIELDS[field]
        lo = spec.minimum if spec.minimum is not None else -INT_LIMIT
        hi = spec.maximum if spec.maximum is not None else INT_LIMIT
        spin: QSpinBox | QDoubleSpinBox
        if spec.kind is Kind.INT:
            spin = QSpinBox()
            spin.setRange(int(max(lo, -INT_LIMIT)), int(min(hi, INT_LIMIT)))
            spin.setValue(int(value) if isinstance(value, int | float) else 0)
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setSingleStep(0.05)
            spin.setRange(lo, hi)
            spin.setValue(float(value) if isinstance(value, int | float) else 0.0)
        spin.setKeyboardTracking(False)
        guard_wheel(spin)
        _named(spin, f"columnOwn_{field}", figures.field_label(field))
        spin.valueChanged.connect(lambda v, f=field: self.ctl.set_override(self.name, f, v))
        return spin

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        col = self.column()
        if col is None:
            return
        for field in OWN_FIELDS:
            if col.overrides.is_set(field):
                continue
            act = self.add_menu.addAction(figures.field_label(field))
            act.setObjectName(f"columnAdd_{field}")
            shared = self.ctl.comparison.shared
            start = shared.value(field)
            if start is None:
                start = FIELDS[field].default if FIELDS[field].default is not None else 0
            act.triggered.connect(
                lambda _=False, f=field, v=start: self.ctl.set_override(self.name, f, v)
            )

    # editing ----------------------------------------------------------------------------------

    def _on_fold_toggled(self, on: bool) -> None:
        self.settings.setVisible(on)

    def _on_name_editing_finished(self) -> None:
        new = self.name_edit.text().strip()
        if new == self.name:
            return
        if not self.ctl.rename_column(self.name, new):
            self.name_edit.setText(self.name)  # empty or taken: the old name stays

    def _on_where_activated(self, _index: int) -> None:
        if self._syncing:
            return
        provider = self.where.currentData() or ""
        self.ctl.set_where(self.name, provider, self.url.text().strip())
        profile = self.ctl.services.providers.get(provider) if provider else None
        if profile is not None and profile.default_model and not self.model.currentText():
            self.ctl.set_model(self.name, profile.default_model)

    def _on_url_editing_finished(self) -> None:
        if not self._syncing and not self.where.currentData():
            self.ctl.set_where(self.name, "", self.url.text().strip())

    def _on_model_editing_finished(self, *_: object) -> None:
        if not self._syncing:
            self.ctl.set_model(self.name, self.model.currentText())

    def _on_price_changed(self, _value: float) -> None:
        if self._syncing:
            return
        p, c, m = (s.value() for s in self.price_edits)
        self.ctl.set_price(self.name, Price(p, c, m) if (p or c) else None)

    # running ----------------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        for w in (self.columnRemove_button, self.settings, self.name_edit):  # type: ignore[attr-defined]
            w.setEnabled(not busy)
        self.stop.setEnabled(busy)

    def clear_run(self) -> None:
        self.repeat = 0
        self.output.cancel_output()
        self.output.clear()
        self.output.begin_output()
        self.error.setVisible(False)
        self.figures.setText("")
        self.spread.setText("")
        self.show_figures()

    def append(self, repeat: int, text: str) -> None:
        if repeat == self.repeat:
            self.output.append_output(text)

    def browse(self, repeat: int) -> None:
        """Show attempt ``repeat``: its text so far, then what streams on into it."""
        total = max(1, self.ctl.comparison.repeat)
        repeat = max(0, min(total - 1, repeat))
        if repeat == self.repeat:
            return
        self.repeat = repeat
        a = self.ctl.attempt(self.name, repeat)
        self.output.cancel_output()
        self.output.setPlainText(self.ctl.shown_text(self.name, repeat) if a is not None else "")
        if a is not None and a.streaming:
            self.output.moveCursor(self.output.textCursor().MoveOperation.End)
            self.output.begin_output()
        self.show_figures()
        self.browsed.emit(self.name, repeat)

    def show_figures(self) -> None:
        total = max(1, self.ctl.comparison.repeat)
        many = total > 1
        for w in (self.prev, self.next, self.which):
            w.setVisible(many)
        self.which.setText(
            self.tr("run %1/%2").replace("%1", str(self.repeat + 1)).replace("%2", str(total))
        )
        self.prev.setEnabled(self.repeat > 0)
        self.next.setEnabled(self.repeat < total - 1)
        a: Attempt | None = self.ctl.attempt(self.name, self.repeat)
        if a is None:
            self.state.setText(self.tr("waiting") if self.ctl.busy else "")
            return
        self.state.setText(figures.outcome(a))
        self.figures.setText(figures.attempt_line(a))
        err = figures.error_text(a)
        self.error.setText(err)
        self.error.setVisible(bool(err))
        result = self.ctl.result
        col = result.column(self.name) if result is not None else None
        self.spread.setVisible(many and col is not None)
        if many and col is not None:
            self.spread.setText(figures.spread_lines(col))

    def end_attempt(self, repeat: int) -> None:
        if repeat == self.repeat:
            self.output.end_output()
        self.show_figures()
