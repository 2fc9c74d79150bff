"""A slider + spin box pair for one numeric request field, with reset and sent/default state.

The pair is a view: it shows what it is given (``show``) and reports what the user chose
(``edited``, ``resetRequested``); the request draft it is bound to owns the value. Anything can
arrive to be shown (a hand-edited settings file, a history row: NaN, 1e308, 10**30, a string):
it is clamped into the widgets' range before Qt sees it, since Qt's int-backed slider and spin
box raise OverflowError past 32 bits.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.field_state import guard_wheel

INT_LIMIT = 2**31 - 1  # QSpinBox and QSlider hold a C int


def name_widget(widget: QWidget, object_name: str, accessible: str) -> None:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)


def clamp(value: Any, lo: float, hi: float, fallback: float) -> float:
    """``value`` as a number within [lo, hi]; ``fallback`` for anything that is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return fallback
    if isinstance(value, float) and math.isnan(value):
        return fallback
    return min(max(value, lo), hi)


class NumberParam(QObject):
    """A slider + spin box pair for one numeric field, with reset and sent/default state.

    Signals:
        edited(object): the user chose this value (slider, spin box or ``set_value``)
        resetRequested(): the user asked for the default (not sent)
    """

    edited = Signal(object)
    resetRequested = Signal()

    def __init__(
        self,
        field: str,
        camel: str,
        label: str,
        *,
        decimals: int,
        minimum: float,
        maximum: float,
        default: float,
        step: float,
        parent: QWidget,
        slider_maximum: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.default = default
        self.is_set = False
        self._scale = 10**decimals
        self._syncing = False
        self.label = QLabel(label)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        name_widget(self.slider, f"{camel}Slider", label)
        top = maximum if slider_maximum is None else slider_maximum
        self.slider.setRange(round(minimum * self._scale), round(top * self._scale))
        self.slider.setSingleStep(max(1, round(step * self._scale)))
        self.slider.setPageStep(max(1, round(step * self._scale * 10)))
        self.spin: QDoubleSpinBox | QSpinBox
        if decimals:
            spin = QDoubleSpinBox()
            spin.setDecimals(decimals)
            spin.setSingleStep(step)
            spin.setRange(minimum, maximum)
            self.spin = spin
        else:
            ispin = QSpinBox()
            ispin.setRange(int(minimum), int(min(maximum, INT_LIMIT)))
            self.spin = ispin
        name_widget(self.spin, f"{camel}Spin", label)
        self.spin.setKeyboardTracking(False)
        guard_wheel(self.slider)
        guard_wheel(self.spin)
        self.reset = QToolButton()
        self.reset.setText("↺")
        name_widget(
            self.reset, f"{camel}Reset", self.tr("Reset %1 to default").replace("%1", label)
        )
        self.reset.setToolTip(
            self.tr("Reset to the default (%1): not sent").replace("%1", _fmt(default))
        )
        self.state = QLabel()
        name_widget(self.state, f"{camel}State", self.tr("%1 state").replace("%1", label))
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.spin.valueChanged.connect(self._on_spin_value_changed)
        self.reset.clicked.connect(self.reset_to_default)
        self.show(default, is_set=False)

    def row(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.label)
        top.addStretch(1)
        top.addWidget(self.state)
        top.addWidget(self.reset)
        bottom = QHBoxLayout()
        bottom.addWidget(self.slider, 1)
        bottom.addWidget(self.spin)
        lay.addLayout(top)
        lay.addLayout(bottom)
        return w

    def value(self) -> float:
        return self.spin.value()

    def show(self, value: Any, *, is_set: bool) -> None:
        """Show ``value`` (clamped into range; the default if it is not a number)."""
        fallback = self.default if isinstance(self.default, int | float) else self.spin.minimum()
        shown = clamp(value, self.spin.minimum(), self.spin.maximum(), fallback)
        self._syncing = True
        try:
            if isinstance(self.spin, QSpinBox):
                self.spin.setValue(int(shown))
            else:
                self.spin.setValue(float(shown))
            lo, hi = self.slider.minimum(), self.slider.maximum()
            self.slider.setValue(int(clamp(round(shown * self._scale), lo, hi, lo)))
        finally:
            self._syncing = False
        self.is_set = is_set
        self._update_state()

    def set_value(self, value: float) -> None:
        """As if the user had chosen ``value``."""
        self.edited.emit(self._typed(value))

    def reset_to_default(self) -> None:
        self.resetRequested.emit()

    def set_slider_maximum(self, maximum: float) -> None:
        """The slider's reach (a model's context length); the spin box goes beyond it."""
        self._syncing = True
        try:
            top = int(clamp(round(maximum * self._scale), 1, INT_LIMIT, INT_LIMIT))
            self.slider.setMaximum(top)
            self.slider.setValue(int(clamp(round(self.spin.value() * self._scale), 0, top, 0)))
        finally:
            self._syncing = False

    def _typed(self, value: float) -> int | float:
        return int(value) if isinstance(self.spin, QSpinBox) else round(float(value), 6)

    def _on_slider_value_changed(self, raw: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            value = raw / self._scale
            self.spin.setValue(value if isinstance(self.spin, QDoubleSpinBox) else int(value))
        finally:
            self._syncing = False
        self.edited.emit(self._typed(self.spin.value()))

    def _on_spin_value_changed(self, value: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            lo, hi = self.slider.minimum(), self.slider.maximum()
            self.slider.setValue(int(clamp(round(value * self._scale), lo, hi, lo)))
        finally:
            self._syncing = False
        self.edited.emit(self._typed(value))

    def _update_state(self) -> None:
        # Palette roles, not fixed colours: readable in dark themes too.
        font = self.state.font()
        font.setBold(self.is_set)
        self.state.setFont(font)
        if self.is_set:
            self.state.setText(self.tr("sent"))
            self.state.setForegroundRole(QPalette.ColorRole.Link)
            self.state.setToolTip(self.tr("This value is sent with the request"))
            self.reset.setEnabled(True)
        else:
            self.state.setText(self.tr("default · not sent"))
            self.state.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.state.setToolTip(self.tr("Left at the server's default: not sent"))
            self.reset.setEnabled(False)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
