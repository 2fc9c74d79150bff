"""Regenerate and Undo never paint the user's own text as model output (the restored text used
to take the highlight format at the cursor: the output's)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer, stream_reply
from tests.ui.conftest import wait_idle


def _highlighted(win: MainWindow) -> str:
    """The characters drawn with a background (the output highlight or a token shade)."""
    doc = win.editor.document()
    out = []
    cur = QTextCursor(doc)
    text = win.editor.toPlainText()
    for i in range(len(text)):
        cur.setPosition(i + 1)
        if cur.charFormat().background().style() != Qt.BrushStyle.NoBrush:
            out.append(text[i])
    return "".join(out)


def test_undo_and_regenerate_never_paint_the_prompt(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.editor.setPlainText("Prompt")
    server.queue(stream_reply([" out"]))
    window.run()
    wait_idle(qtbot, window)
    assert _highlighted(window) == " out"
    window.undo()
    assert window.editor.toPlainText() == "Prompt"
    assert _highlighted(window) == ""
    end = window.editor.textCursor()
    end.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(end)
    qtbot.keyClicks(window.editor, " typed")
    assert _highlighted(window) == ""
    server.queue(stream_reply([" again"]))
    window.run()
    wait_idle(qtbot, window)
    server.queue(stream_reply([" regen"]))
    window.regenerate()
    wait_idle(qtbot, window)
    assert window.editor.toPlainText() == "Prompt typed regen"
    assert _highlighted(window) == " regen"
