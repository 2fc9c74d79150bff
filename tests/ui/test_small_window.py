"""The window works down to 800 × 600 (issue 10): at that size, in English and in Chinese, on a
first run and set up, every visible widget gets at least its minimum size (a button its whole
label), lies inside its parent (a scroll area's page only scrolls up and down) and overlaps none
of its siblings; the window is not forced any larger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QSizePolicy,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer
from tests.ui.locales import chinese

SMALL = QSize(800, 600)


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    if request.param == "en":
        yield "en"
        return
    with chinese(qapp):
        yield request.param


def _in_scroll_page(w: QWidget) -> bool:
    parent = w.parentWidget()
    area = parent.parentWidget() if parent else None
    return isinstance(area, QAbstractScrollArea) and parent is area.viewport()


def crowding(win: MainWindow) -> list[str]:
    """Every way a visible widget is squeezed, cut off or covered, in words."""
    out = []
    widgets = [w for w in win.findChildren(QWidget) if w.isVisible() and not w.isWindow()]
    for w in widgets:
        if isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # their line edits are placed by the style, inside the frame
        label = w.text() if isinstance(w, QAbstractButton | QLabel) else ""
        name = f"{type(w).__name__}#{w.objectName()} {label!r}"
        policy = w.sizePolicy()
        # What the layout must give: a minimum size set on the widget wins over its hint (a
        # fixed-height text box scrolls); a tab bar's hint is all its tabs (its minimum hint
        # adds scroll buttons it does not need then).
        hint = w.sizeHint() if isinstance(w, QTabBar) else w.minimumSizeHint()
        need = QSize(w.minimumWidth() or hint.width(), w.minimumHeight() or hint.height())
        ignored = QSizePolicy.Policy.Ignored
        if policy.horizontalPolicy() != ignored and w.width() < need.width():
            out.append(f"{name}: {w.width()} px wide, needs {need.width()}")
        if policy.verticalPolicy() != ignored and w.height() < need.height():
            out.append(f"{name}: {w.height()} px high, needs {need.height()}")
        if isinstance(w, QAbstractButton) and w.text() and w.width() < w.sizeHint().width():
            out.append(f"{name}: label cut ({w.width()} < {w.sizeHint().width()} px)")
        parent = w.parentWidget()
        if parent is None:
            continue
        inside = parent.rect()
        if _in_scroll_page(w):  # the page scrolls up and down, never sideways
            inside = QRect(0, w.y(), parent.width(), w.height())
        if not inside.contains(w.geometry()):
            out.append(f"{name}: {w.geometry()} outside its parent {inside}")
    for parent in {w.parentWidget() for w in widgets}:
        kids = [w for w in widgets if w.parentWidget() is parent]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                if a.geometry().intersects(b.geometry()):
                    out.append(f"{a.objectName() or a} overlaps {b.objectName() or b}")
    return out


def settle(qtbot: QtBot, win: MainWindow) -> None:
    win.resize(SMALL)
    for _ in range(3):  # resize, layout requests, the layouts they post
        QApplication.processEvents()


def assert_fits(qtbot: QtBot, win: MainWindow) -> None:
    settle(qtbot, win)
    assert win.size() == SMALL, f"the window needs {win.minimumSizeHint()}"
    problems = crowding(win)
    assert not problems, "\n".join(problems)


def test_first_run_fits(language: str, make_window, qtbot: QtBot) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    assert win.welcome.isVisible()
    assert_fits(qtbot, win)


def test_set_up_with_an_error_and_the_history_fits(
    language: str, make_window, server: TestServer, qtbot: QtBot
) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    assert not win.welcome.isVisible()
    win.show_error("HTTP 401 — " + "Incorrect API key provided: sk-abc***. " * 4)
    # A long status line must not widen the window.
    win.run_status.setText("first token 0.31 s · 42.0 tok/s · 256 tokens · finish: length " * 2)
    assert_fits(qtbot, win)
    win.side_tabs.setCurrentWidget(win.history_panel)
    assert_fits(qtbot, win)


def test_n_greater_than_one_fits(language: str, window: MainWindow, qtbot: QtBot) -> None:
    window.params.n_spin.setValue(3)
    window.editor.setPlainText("Say this is a test.")
    window.run()
    qtbot.waitUntil(lambda: window.output_tabs.isVisible() and not window.runner.busy)
    assert_fits(qtbot, window)


def test_compare_with_two_finished_columns_fits(
    language: str, make_window, server: TestServer, qtbot: QtBot
) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    win.mode_tabs.setCurrentWidget(win.compare_view)
    qtbot.waitUntil(lambda: len(win.compare.columns) == 2, timeout=3000)
    assert_fits(qtbot, win)
    win.compare_view.prompt.setPlainText("Say this is a test.")
    assert win.compare_view.run_all()
    qtbot.waitUntil(lambda: not win.compare.busy and win.compare.result is not None, timeout=10000)
    assert_fits(qtbot, win)
