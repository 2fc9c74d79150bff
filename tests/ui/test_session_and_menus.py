"""The playground's session on the window: undo and redo of runs (a core stack, not a magic 20),
the menu bar with its shortcuts, the editor font
remembered, and no stale error after a provider switch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenuBar, QMessageBox
from pytestqt.qtbot import QtBot

from app import __version__
from app.core.providers import Provider
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer, openai_error, stream_reply
from tests.ui.conftest import wait_idle


def _run(qtbot: QtBot, win: MainWindow, server: TestServer, text: str) -> None:
    server.queue(stream_reply([text]))
    win.run()
    wait_idle(qtbot, win)


def test_runs_undo_and_redo_both_ways_far_past_twenty(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.editor.setPlainText("P:")
    for i in range(25):
        _run(qtbot, window, server, f" r{i}")
    assert window.editor.toPlainText().endswith(" r23 r24")
    for _ in range(25):  # every run can be undone: the stack is bounded by size, not by 20
        assert window.undo_button.isEnabled()
        window.undo()
    assert window.editor.toPlainText() == "P:"
    assert not window.undo_button.isEnabled()
    assert window.redo_button.isEnabled()
    window.redo()
    window.redo()
    assert window.editor.toPlainText() == "P: r0 r1"
    assert window.editor.completion_ranges()  # the output is still marked as output
    _run(qtbot, window, server, " new")  # a new run after an undo drops what could be redone
    assert not window.redo_button.isEnabled()


def test_the_menu_bar_has_every_action_with_its_shortcut(window: MainWindow) -> None:
    bar = window.findChild(QMenuBar, "menuBar")
    assert bar is not None
    titles = [a.text().replace("&", "") for a in bar.actions()]
    assert titles == ["File", "Edit", "Run", "View", "Help"]
    keys = {
        "runAction": "Ctrl+Return",
        "continueAction": "Ctrl+Shift+Return",
        "regenerateAction": "Ctrl+R",
        "stopAction": "Esc",
        "undoRunAction": "Ctrl+Alt+Z",
        "redoRunAction": "Ctrl+Alt+Shift+Z",
        "providersAction": "Ctrl+Shift+P",
        "quitAction": "Ctrl+Q",
        "monospaceAction": "Ctrl+Shift+M",
        "biggerAction": "Ctrl++",
        "smallerAction": "Ctrl+-",
    }
    acts = {a.objectName(): a for a in window.actions()}
    for name, key in keys.items():
        assert acts[name].shortcut().toString() == key, name


def test_shortcuts_continue_regenerate_and_undo(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.editor.setPlainText("P:")
    _run(qtbot, window, server, " one")
    server.queue(stream_reply([" two"]))
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, ctrl_shift)  # Continue
    wait_idle(qtbot, window)
    assert window.editor.toPlainText() == "P: one two"
    assert server.last.json()["prompt"] == "P: one"  # Continue sends everything so far
    server.queue(stream_reply([" TWO"]))
    qtbot.keyClick(window.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Regenerate
    wait_idle(qtbot, window)
    assert window.editor.toPlainText() == "P: one TWO"
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window.editor, Qt.Key.Key_Z, ctrl_alt)  # Undo the run
    assert window.editor.toPlainText() == "P: one"


def test_about_names_the_version(qtbot: QtBot, window: MainWindow) -> None:
    acts = {a.objectName(): a for a in window.actions()}
    acts["aboutAction"].trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    assert __version__ in box.text()
    box.close()


def test_the_editor_font_is_a_view_setting_and_is_remembered(
    qtbot: QtBot,
    make_window,
    server: TestServer,  # noqa: ANN001
) -> None:
    win: MainWindow = make_window()
    acts = {a.objectName(): a for a in win.actions()}
    size = round(win.editor.font().pointSizeF())
    acts["monospaceAction"].trigger()
    acts["biggerAction"].trigger()
    acts["biggerAction"].trigger()
    assert win.editor.font().fixedPitch() or win.editor.property("monospace") is True
    assert round(win.editor.font().pointSizeF()) == size + 2
    win.close()
    again: MainWindow = make_window()
    assert again.editor.property("monospace") is True
    assert round(again.editor.font().pointSizeF()) == size + 2
    assert {a.objectName(): a for a in again.actions()}["monospaceAction"].isChecked()


def test_a_provider_switch_clears_the_old_error(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    window.editor.setPlainText("P:")
    server.queue(openai_error("bad key", 401))
    window.run()
    wait_idle(qtbot, window)
    assert window.error_bar.isVisible()
    window.providers.add(Provider("Other", server.base_url, models=["mock-1"]))
    window.connection.reload()
    window.connection.select("Other")  # what choosing it in the provider box does
    assert not window.error_bar.isVisible()  # the last provider's error is not this one's


def test_a_provider_added_in_the_manager_is_still_chosen_after_a_restart(
    qtbot: QtBot,
    make_window,
    server: TestServer,
    home: Path,  # noqa: ANN001
) -> None:
    win: MainWindow = make_window()
    dialog = win.manage_providers()
    win.providers.add(Provider("Fresh", server.base_url, models=["mock-1"]))
    dialog.providerAdded.emit("Fresh")  # what the manager says after adding it
    dialog.close()
    assert win.connection.provider() == "Fresh"
    win.close()
    again: MainWindow = make_window()
    assert again.connection.provider() == "Fresh"
