"""pytest-qt fixtures: offscreen Qt, one qasync loop for the session, a real loopback server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists
os.environ["PROMPTPAD_NO_DIALOGS"] = "1"

import asyncio  # noqa: E402
import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
import qasync  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from app.core.endpoint import make_http_client  # noqa: E402
from app.core.keystore import MemoryKeyStore  # noqa: E402
from app.ui.app import gui_services
from app.ui.main_window import MainWindow  # noqa: E402
from promptpad_testing.server import TestServer  # noqa: E402


@pytest.fixture(scope="session")
def qloop(qapp: object) -> Iterator[qasync.QEventLoop]:
    # already_running: Qt's loop is driven by pytest-qt's waits, never by run_until_complete.
    loop = qasync.QEventLoop(qapp, already_running=True)
    # The loop's default executor runs the DNS lookups of requests to a host name ("localhost")
    # on QThreads. One still running when the interpreter exits makes Qt abort the test process
    # ("QThread: Destroyed while thread is still running", exit 134, seen on a brand-new
    # Debian): the session owns that executor and joins its threads at the end.
    executor = qasync.QThreadExecutor()
    loop.set_default_executor(executor)
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture
def aloop(qloop: qasync.QEventLoop, qtbot: QtBot) -> Iterator[qasync.QEventLoop]:
    """Make the qasync loop the running loop for this test; clean up its tasks afterwards."""
    asyncio.events._set_running_loop(qloop)
    asyncio.set_event_loop(qloop)
    # What run_forever() would do: let the loop finalise abandoned async generators (httpcore's
    # byte streams after a cancel) inside a task, not synchronously during garbage collection.
    old_hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(
        firstiter=qloop._asyncgen_firstiter_hook, finalizer=qloop._asyncgen_finalizer_hook
    )
    try:
        yield qloop
    finally:
        tasks = [t for t in asyncio.all_tasks(qloop) if not t.done()]
        for t in tasks:
            t.cancel()
        if tasks:
            qtbot.waitUntil(lambda: all(t.done() for t in tasks), timeout=5000)
        sys.set_asyncgen_hooks(*old_hooks)
        asyncio.events._set_running_loop(None)


@pytest.fixture
def http(aloop: qasync.QEventLoop, qtbot: QtBot) -> Iterator[httpx.AsyncClient]:
    client = make_http_client()
    yield client
    task = asyncio.ensure_future(client.aclose())
    qtbot.waitUntil(task.done, timeout=5000)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def make_window(http: httpx.AsyncClient, qtbot: QtBot, home: Path):  # noqa: ANN201
    """Build a MainWindow on a PROMPTPAD_HOME (call again to simulate a restart)."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        win = MainWindow(gui_services(home, MemoryKeyStore(), http))
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        return win

    yield make
    for w in windows:
        w.runner.stop()


@pytest.fixture
def window(make_window, server: TestServer) -> MainWindow:  # noqa: ANN001
    win = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    return win


def wait_idle(qtbot: QtBot, win: MainWindow, timeout: int = 10000) -> None:
    """The run is over and its text is all shown (the output views insert a frame at a time)."""
    views = [win.editor, *win.output_tabs.panes]
    qtbot.waitUntil(
        lambda: not win.runner.busy and not any(v.has_pending_work() for v in views),
        timeout=timeout,
    )
