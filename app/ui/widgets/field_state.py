"""How a parameter field looks beside its value: marked invalid, deaf to a passing wheel.

Invalid: the field's base colour is tinted towards the theme's red (app/ui/theme.py: light and
dark variants), computed from the palette in use, so the text keeps its contrast in light and
dark themes alike (a fixed pale red under white dark-theme text was unreadable), and computed
again when the palette changes. It is a palette change, not a style sheet: any style sheet on a
spin box or combo box hands its drawing to Qt's style-sheet style, which dropped the spin arrows.

Wheel: a wheel turned over the panel scrolls the panel. A slider, spin box or combo box only
takes the wheel once it has focus (clicked or tabbed into); before that the event goes on to
the scroll area. Otherwise a user scrolling down the panel set Top P to 0.85 and n to 10.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from app.ui.theme import contrast, theme_for

__all__ = ["contrast", "guard_wheel", "invalid_palette", "mark_invalid"]

INVALID_PROPERTY = "invalid"
_TINT = 0.28  # how far the base colour moves towards red


def invalid_palette(palette: QPalette) -> QPalette:
    """``palette`` with its Base (and AlternateBase) tinted towards the theme's red."""
    out = QPalette(palette)
    red = theme_for(palette).invalid
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            out.setColor(group, role, _mix(palette.color(group, role), red, _TINT))
    return out


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Tint ``widget`` as invalid (or back to the palette it inherits)."""
    if bool(widget.property(INVALID_PROPERTY)) == invalid:
        return
    widget.setProperty(INVALID_PROPERTY, invalid)
    global _following
    app = QApplication.instance()
    if not _following and isinstance(app, QApplication):
        # (A signal, not an event filter on the application: that would see every event.)
        app.paletteChanged.connect(_retint_invalid)
        _following = True
    if invalid:
        widget.setPalette(invalid_palette(QApplication.palette(widget)))
    else:
        widget.setPalette(QPalette())  # nothing resolved: inherit the parent's again


def _retint_invalid(_palette: QPalette) -> None:
    """The application palette changed (the desktop's theme): tint the invalid fields again.
    Their own palette is set, so Qt sends them no palette change and they would keep the old
    theme's base."""
    for widget in QApplication.allWidgets():
        if widget.property(INVALID_PROPERTY):
            widget.setPalette(invalid_palette(QApplication.palette(widget)))


_following = False


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


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
