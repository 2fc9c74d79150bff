"""A slider + spin box pair for one numeric request field, with reset and sent/default state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
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

from app.core.params import UNSET


def name_widget(widget: QWidget, object_name: str, accessible: str) -> None:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)


class NumberParam(QObject):
    """A slider + spin box pair for one numeric field, with reset and sent/default state.

    Signals:
        changed()
    """

    changed = Signal()

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
        self.slider.setRange(round(minimum * self._scale), round(maximum * self._scale))
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
            ispin.setRange(int(minimum), int(maximum))
            self.spin = ispin
        name_widget(self.spin, f"{camel}Spin", label)
        self.spin.setKeyboardTracking(False)
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
        self._set_value(default)
        self._update_state()

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

    def request_value(self) -> Any:
        """The value to send, or UNSET when left at default."""
        if not self.is_set:
            return UNSET
        v = self.spin.value()
        return int(v) if isinstance(self.spin, QSpinBox) else round(float(v), 6)

    def set_value(self, value: float, *, is_set: bool = True) -> None:
        self._set_value(value)
        self.is_set = is_set
        self._update_state()
        self.changed.emit()

    def reset_to_default(self) -> None:
        self.set_value(self.default, is_set=False)

    def set_maximum(self, maximum: int) -> None:
        self.spin.setMaximum(maximum)
        self.slider.setMaximum(maximum * self._scale)

    def _set_value(self, value: float) -> None:
        self._syncing = True
        try:
            self.spin.setValue(value)  # type: ignore[arg-type]
            self.slider.setValue(round(value * self._scale))
        finally:
            self._syncing = False

    def _on_slider_value_changed(self, raw: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            value = raw / self._scale
            self.spin.setValue(value if isinstance(self.spin, QDoubleSpinBox) else int(value))
        finally:
            self._syncing = False
        self._mark_set()

    def _on_spin_value_changed(self, value: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.slider.setValue(round(value * self._scale))
        finally:
            self._syncing = False
        self._mark_set()

    def _mark_set(self) -> None:
        self.is_set = True
        self._update_state()
        self.changed.emit()

    def _update_state(self) -> None:
        if self.is_set:
            self.state.setText(self.tr("sent"))
            self.state.setStyleSheet("color: #0b57d0; font-weight: bold;")
            self.state.setToolTip(self.tr("This value is sent with the request"))
            self.reset.setEnabled(True)
        else:
            self.state.setText(self.tr("default · not sent"))
            self.state.setStyleSheet("color: #777;")
            self.state.setToolTip(self.tr("Left at the server's default: not sent"))
            self.reset.setEnabled(False)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
