"""The n > 1 panes: numbered as a user counts, each choice usable in the editor (undoably), and
their tokens shaded and explained as in the editor."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.widgets.output_tokens import SHADE_PROPERTY
from promptpad_testing.server import Reply, TestServer, chunk_obj, sse
from tests.ui.conftest import wait_idle

SSE = [("Content-Type", "text/event-stream")]


def _two_choices(server: TestServer) -> None:
    lp0 = {"tokens": ["A0"], "token_logprobs": [-0.01], "top_logprobs": [{"A0": -0.01}]}
    lp1 = {
        "tokens": ["B1"],
        "token_logprobs": [-2.3],
        "top_logprobs": [{"B1": -2.3, "C1": -0.2}],
    }
    objs = [chunk_obj("A0", 0, logprobs=lp0), chunk_obj("B1", 1, logprobs=lp1)]
    server.queue(Reply(headers=SSE, writes=[sse([o], done=o is objs[-1]) for o in objs]))


def _run(qtbot: QtBot, win: MainWindow) -> None:
    win.params.n_spin.setValue(2)
    win.params.logprobs_spin.setValue(2)
    qtbot.mouseClick(win.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.runner.busy, timeout=5000)
    wait_idle(qtbot, win)


def test_tabs_count_from_one_and_each_pane_shows_its_logprobs(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    _two_choices(server)
    window.editor.setPlainText("p")
    _run(qtbot, window)
    tabs = window.output_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Choice 1", "Choice 2"]
    second = tabs.panes[1]
    assert second.toPlainText() == "B1"
    # Choice 1's tokens reach pane 1 (they used to be dropped for every index but 0).
    tok = second.token_at(0)
    assert tok is not None
    assert tok.token == "B1"
    assert math.isclose(tok.logprob, -2.3)
    assert "'C1'" in second.tooltip_at(1)
    cur = QTextCursor(second.document())
    cur.setPosition(1)
    fmt = cur.charFormat()
    assert fmt.intProperty(SHADE_PROPERTY) > 0  # an unlikely token: shaded
    assert fmt.background().color() == second.theme.band_colour(fmt.intProperty(SHADE_PROPERTY))
    assert tabs.panes[0].token_at(0) is not None  # choice 0 keeps its own


def test_use_this_choice_puts_it_in_the_editor_as_output_and_undo_takes_it_out(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    _two_choices(server)
    window.editor.setPlainText("Say: ")
    _run(qtbot, window)
    assert window.editor.toPlainText() == "Say: "
    qtbot.mouseClick(window.output_tabs.use_buttons[1], Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "Say: B1"
    assert window.editor.completion_ranges() == [(5, 7)]  # highlighted as model output
    assert window.editor.scan_completion_ranges() == [(5, 7)]
    assert window.undo_button.isEnabled()
    window.undo()
    assert window.editor.toPlainText() == "Say: "
    assert window.editor.completion_ranges() == []
    window.redo()
    assert window.editor.toPlainText() == "Say: B1"
    assert window.editor.completion_ranges() == [(5, 7)]


def test_use_this_choice_goes_where_insert_was(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    _two_choices(server)
    window.editor.setPlainText("a[insert]z")
    _run(qtbot, window)
    qtbot.mouseClick(window.output_tabs.use_buttons[0], Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "aA0z"
    assert window.editor.completion_ranges() == [(1, 3)]
