"""A base URL typed with ``user:password@`` never puts the password in history.sqlite3."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.history import History
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer, stream_reply
from tests.ui.conftest import wait_idle

PASSWORD = "hunter2-ZX81"


def test_a_run_to_a_url_with_a_password_is_recorded_without_it(
    qtbot: QtBot,
    make_window,
    server: TestServer,
    home: Path,  # noqa: ANN001
) -> None:
    win: MainWindow = make_window()
    base = server.base_url.replace("http://", f"http://alice:{PASSWORD}@")
    win.connection.base_url.setText(base)
    win.params.model_combo.setEditText("mock-1")
    server.queue(stream_reply(["ok"]))
    win.editor.setPlainText("Hi")
    win.run()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: bool(History(home / "history.sqlite3").recent()), timeout=5000)
    (rec,) = History(home / "history.sqlite3").recent()
    assert rec.outputs == {0: "ok"}
    assert PASSWORD not in rec.url
    assert "alice" in rec.url  # the user name is not a secret; where it went stays readable
    raw = b"".join(p.read_bytes() for p in home.iterdir() if p.is_file())
    assert PASSWORD.encode() not in raw
