"""Run history from the window: a locked or corrupt database never stalls the GUI thread nor
shows a traceback; closing the window mid-stream records the run."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.core.history import History, RunRecord
from app.ui import recorder as recorder_mod
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer, stream_reply


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Whatever reaches sys.excepthook (the app's hook shows a traceback dialog)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: seen.append(exc))
    return seen


@pytest.fixture
def locked(home: Path) -> Iterator[sqlite3.Connection]:
    """history.sqlite3 with one run, write-locked by another program's open transaction."""
    path = home / "history.sqlite3"
    History(path).add(RunRecord({"model": "m", "prompt": "earlier"}, {}, "finished"))
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    other.close()


def run(qtbot: QtBot, win: MainWindow, prompt: str) -> None:
    win.editor.setPlainText(prompt)
    with qtbot.waitSignal(win.runner.busyChanged, check_params_cb=lambda b: not b, timeout=5000):
        win.run()


def notices(win: MainWindow) -> str:
    return "\n".join(win.notices.notices())


def test_a_locked_history_never_stalls_the_window_and_the_run_is_saved_when_free(
    qtbot: QtBot,
    window: MainWindow,
    locked: sqlite3.Connection,
    home: Path,
    hooked: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recorder_mod, "RETRY_MS", (100,))
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    run(qtbot, window, "Q:")
    # The write waits for the lock on the history thread (LOCK_WAIT_S): meanwhile the GUI
    # thread keeps running timers. Before the fix it sat 5 s in SQLite, then raised.
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 10, timeout=5000)
    assert window.recorder.unsaved() == 1
    qtbot.waitUntil(lambda: "locked by another program" in notices(window), timeout=10000)
    timer.stop()
    assert window.recorder.unsaved() == 1  # kept, to be tried again
    locked.execute("ROLLBACK")  # the other program lets go
    qtbot.waitUntil(lambda: window.recorder.unsaved() == 0, timeout=10000)
    runs = History(home / "history.sqlite3").recent()
    assert [(r.prompt_text, r.outcome) for r in runs] == [
        ("Q:", "finished"),
        ("earlier", "finished"),
    ]
    assert runs[0].outputs == {0: "This is a test."}
    assert hooked == []


def test_a_corrupt_history_is_moved_aside_and_a_new_one_started(
    qtbot: QtBot, window: MainWindow, home: Path, hooked: list[BaseException]
) -> None:
    path = home / "history.sqlite3"
    garbage = b"\x00garbage, not SQLite\xff" * 300
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(garbage)
    run(qtbot, window, "Q:")
    qtbot.waitUntil(lambda: "moved to" in notices(window), timeout=5000)
    (moved,) = home.glob("history.sqlite3.corrupt-*")
    assert str(moved) in notices(window)  # the notice says where it went
    assert moved.read_bytes() == garbage
    qtbot.waitUntil(lambda: window.recorder.unsaved() == 0, timeout=5000)
    assert [r.prompt_text for r in History(path).recent()] == ["Q:"]
    window.side_tabs.setCurrentWidget(window.history_panel)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=5000)
    assert hooked == []


def test_an_unusable_history_is_reported_never_raised(
    qtbot: QtBot, window: MainWindow, home: Path, hooked: list[BaseException]
) -> None:
    (home / "history.sqlite3").mkdir(parents=True)  # cannot be opened as a file at all
    run(qtbot, window, "Q:")
    qtbot.waitUntil(lambda: "could not be saved to the history" in notices(window), timeout=5000)
    assert window.recorder.unsaved() == 1
    assert hooked == []


def test_closing_the_window_mid_stream_records_the_partial_run_as_stopped(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    server.queue(stream_reply([f" w{i}" for i in range(400)], delay=0.02))
    window.editor.setPlainText("Count:")
    window.run()
    qtbot.waitUntil(lambda: " w3" in window.editor.toPlainText(), timeout=5000)
    window.close()
    # No event-loop turn after close (the app's loop ends with the last window): the run must
    # be in the database already.
    (rec,) = History(home / "history.sqlite3").recent()
    assert rec.outcome == "stopped"
    assert rec.prompt_text == "Count:"
    assert rec.outputs[0].startswith(" w0 w1 w2 w3")
    assert " w399" not in rec.outputs[0]
    assert "Count:" + rec.outputs[0] == window.editor.toPlainText()  # what the user saw
