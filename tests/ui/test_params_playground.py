"""What a user hit in the parameter panel (issue 10, part 2), each with the case that showed it:
a wheel over the panel changed parameters, Maximum length was capped at 4096, a blocked run
said nothing, the invalid style hid the spin arrows and was unreadable in dark themes, and the
Chinese UI gave validation reasons in English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QScrollArea,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.draft import RequestDraft
from app.core.params import Problem
from app.ui import problem_text
from app.ui.main_window import MainWindow
from app.ui.widgets.field_state import contrast, invalid_palette, mark_invalid
from promptpad_testing.server import TestServer
from tests.ui.conftest import wait_idle
from tests.ui.test_translations import zh_cn  # noqa: F401 (a fixture)

CORE = Path(__file__).resolve().parents[2] / "app" / "core"


def _wheel(widget: QWidget, notches: int = -3) -> None:
    """A real wheel event over the middle of ``widget`` (negative: scroll down)."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _scroll(win: MainWindow) -> QScrollArea:
    scroll = win.findChild(QScrollArea, "paramScroll")
    assert scroll is not None
    return scroll


# the wheel -------------------------------------------------------------------------------------


def test_a_wheel_over_the_panel_scrolls_it_and_changes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(800, 500)
    qtbot.waitUntil(lambda: _scroll(window).verticalScrollBar().maximum() > 0, timeout=2000)
    bar = _scroll(window).verticalScrollBar()
    before = window.draft.set_fields()
    window.editor.setFocus()
    for widget in (
        window.params.top_p.slider,
        window.params.top_p.spin,
        window.params.n_spin,
        window.params.model_combo,
    ):
        bar.setValue(0)
        _wheel(widget)
        assert window.draft.set_fields() == before, widget.objectName()
        assert bar.value() > 0, widget.objectName()  # the panel scrolled instead
    assert window.params.n_spin.value() == 0
    assert not window.params.top_p.is_set


def test_a_focused_slider_takes_the_wheel(qtbot: QtBot, window: MainWindow) -> None:
    slider = window.params.top_p.slider
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=2000)
    _wheel(slider, notches=-1)
    assert window.draft.is_set("top_p")
    assert window.draft.value("top_p") < 1.0


# maximum length --------------------------------------------------------------------------------


def test_any_positive_maximum_length_is_sent(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.params.max_tokens.spin.setValue(100_000)  # a relay reports no context length
    assert window.draft.value("max_tokens") == 100_000
    assert window.params.max_tokens.slider.value() == window.params.max_tokens.slider.maximum()
    assert not window.params.max_tokens_warning.isVisible()
    window.editor.setPlainText("p")
    window.run_button.click()
    wait_idle(qtbot, window)
    assert server.last.json()["max_tokens"] == 100_000


def test_past_a_known_context_warns_but_does_not_block(window: MainWindow) -> None:
    window.params.set_context_length(8192)
    window.params.max_tokens.spin.setValue(9000)
    assert window.params.max_tokens_warning.isVisible()
    assert "8192" in window.params.max_tokens_warning.text()
    window.editor.setPlainText("p")
    assert window.run_button.isEnabled()
    window.params.max_tokens.spin.setValue(8000)
    assert not window.params.max_tokens_warning.isVisible()


# a blocked run ---------------------------------------------------------------------------------


def test_ctrl_enter_on_a_blocked_run_says_why_and_shows_the_field(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.resize(800, 500)
    scroll = _scroll(window)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=2000)
    window.params.extra_edit.setPlainText('{"top_k": ')  # the last field of the panel
    scroll.verticalScrollBar().setValue(0)
    window.side_tabs.setCurrentWidget(window.history_panel)
    window.editor.setPlainText("p")
    window.editor.setFocus()
    qtbot.waitUntil(window.editor.hasFocus, timeout=2000)
    assert not window.error_bar.isVisible()
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.error_bar.isVisible()
    assert "Extra JSON: not valid JSON" in window.error_text.text()
    assert window.side_tabs.currentWidget() is scroll
    assert scroll.verticalScrollBar().value() > 0
    field = window.params.extra_edit
    top_left = field.mapTo(scroll.viewport(), QPoint(0, 0))
    assert scroll.viewport().rect().contains(top_left)
    assert field.hasFocus()
    assert server.requests == []


# the invalid style -----------------------------------------------------------------------------


def _arrow_pixels(spin: QSpinBox) -> set[tuple[int, int]]:
    """Dark pixels inside the up button as the plain style lays it out: the arrow glyph."""
    opt = QStyleOptionSpinBox()
    opt.initFrom(spin)
    opt.rect = spin.rect()
    opt.subControls = QStyle.SubControl.SC_All
    rect = QApplication.style().subControlRect(
        QStyle.ComplexControl.CC_SpinBox, opt, QStyle.SubControl.SC_SpinBoxUp, None
    )
    img = spin.grab().toImage()
    return {
        (x, y)
        for x in range(rect.left() + 2, rect.right() - 1)
        for y in range(rect.top() + 2, rect.bottom() - 1)
        if img.pixelColor(x, y).lightness() < 110
    }


def test_an_invalid_spin_box_keeps_its_arrows(qtbot: QtBot, window: MainWindow) -> None:
    spin = window.params.best_of_spin
    arrows = _arrow_pixels(spin)
    assert arrows
    spin.setValue(3)  # best_of with stream: invalid
    assert spin.property("invalid") is True
    assert spin.styleSheet() == ""
    assert arrows <= _arrow_pixels(spin)


def test_the_invalid_tint_is_readable_in_light_and_dark_palettes(qtbot: QtBot) -> None:
    light = QPalette(QColor("#efefef"))
    dark = QPalette(QColor("#353535"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    for palette in (light, dark):
        tinted = invalid_palette(palette)
        base = tinted.color(QPalette.ColorRole.Base)
        assert base != palette.color(QPalette.ColorRole.Base)
        assert contrast(base, tinted.color(QPalette.ColorRole.Text)) >= 4.5
    widget = QWidget()
    qtbot.addWidget(widget)
    mark_invalid(widget, True)
    mark_invalid(widget, False)
    assert not widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette)


# reasons in the user's language ----------------------------------------------------------------


def _core_reasons() -> list[str]:
    """Every reason text the core can give, with sample values for its placeholders."""
    out: list[str] = []
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem"):
                continue
            if len(node.args) < 2:
                continue
            reason = node.args[1]
            if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                out.append(reason.value)
            elif isinstance(reason, ast.JoinedStr):
                out.append(
                    "".join(v.value if isinstance(v, ast.Constant) else "7" for v in reason.values)
                )
    # draft.py gives its type reasons through a table, not a literal in Problem(...)
    for name in ("model", "temperature", "n", "stream", "stop", "extra"):
        draft = RequestDraft({"model": "m"})
        draft.set(name, object())
        out += [p.reason for p in draft.problems("p") if p.field == name]
    return out


def test_every_core_reason_has_a_translation_entry() -> None:
    reasons = _core_reasons()
    assert len(reasons) > 15
    unknown = [r for r in reasons if not problem_text.known(r)]
    assert unknown == []


def test_a_chinese_window_gives_chinese_reasons(
    zh_cn: object,  # noqa: F811
    make_window,
    server: TestServer,
    qtbot: QtBot,
) -> None:
    win: MainWindow = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    win.params.best_of_spin.setValue(3)
    win.params.logit_bias_edit.setPlainText('{"x": 1}')
    tip = win.params.best_of_spin.toolTip()
    assert re.search(r"[\u4e00-\u9fff]", tip), tip
    assert "stream" not in tip
    for reason in _core_reasons():
        text = problem_text.describe(Problem("top_p", reason))
        assert re.search(r"[\u4e00-\u9fff]", text.split("：", 1)[-1]), (reason, text)
    win.editor.setPlainText("p")
    win.editor.setFocus()
    qtbot.waitUntil(win.editor.hasFocus, timeout=2000)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.error_bar.isVisible()
    assert "cannot be used" not in win.error_text.text()
    assert re.search(r"[\u4e00-\u9fff]", win.error_text.text())
