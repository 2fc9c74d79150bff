"""How a parameter field looks beside its value: marked invalid, deaf to a passing wheel.

Invalid: the field's base colour is tinted towards red, computed from the palette in use, so the
text keeps its contrast in light and dark themes alike (a fixed pale red under white dark-theme
text was unreadable). It is a palette change, not a style sheet: any style sheet on a spin box
or combo box hands its drawing to Qt's style-sheet style, which dropped the spin arrows.

Wheel: a wheel turned over the panel scrolls the panel. A slider, spin box or combo box only
takes the wheel once it has focus (clicked or tabbed into); before that the event goes on to
the scroll area. Otherwise a user scrolling down the panel set Top P to 0.85 and n to 10.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

INVALID_PROPERTY = "invalid"
_RED_ON_LIGHT = QColor("#d93025")
_RED_ON_DARK = QColor("#ff6b6b")
_TINT = 0.28  # how far the base colour moves towards red


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def invalid_palette(palette: QPalette) -> QPalette:
    """``palette`` with its Base (and AlternateBase) tinted towards a red that suits it."""
    out = QPalette(palette)
    red = _RED_ON_DARK if is_dark(palette) else _RED_ON_LIGHT
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            out.setColor(group, role, _mix(palette.color(group, role), red, _TINT))
    return out


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Tint ``widget`` as invalid (or back to the palette it inherits)."""
    if bool(widget.property(INVALID_PROPERTY)) == invalid:
        return
    widget.setProperty(INVALID_PROPERTY, invalid)
    if invalid:
        widget.setPalette(invalid_palette(QApplication.palette(widget)))
    else:
        widget.setPalette(QPalette())  # nothing resolved: inherit the parent's again


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class _WheelGuard(QObject):
    """Event filter: a wheel over an unfocused widget scrolls the scroll area around it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.Wheel
            or not isinstance(watched, QWidget)
            or not isinstance(event, QWheelEvent)
            or watched.hasFocus()
        ):
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()  # a spontaneous wheel then goes on to the parents
            return True
        # Handed to the scroll area explicitly: Qt does not pass a synthesized wheel event on
        # to the parents, and the same path then serves real and synthesized events alike.
        viewport = area.viewport()
        pos = QPointF(watched.mapTo(viewport, event.position().toPoint()))
        forwarded = QWheelEvent(
            pos,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QApplication.sendEvent(viewport, forwarded)
        event.accept()
        return True


_guard: _WheelGuard | None = None


def guard_wheel(widget: QWidget) -> None:
    """Let ``widget`` take the wheel only while it has focus; a wheel never gives it focus."""
    global _guard
    if _guard is None:
        _guard = _WheelGuard(QApplication.instance())
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_guard)
