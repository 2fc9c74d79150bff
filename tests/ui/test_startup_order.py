"""The window built in the production order: before the event loop and the HTTP client exist.

``app.__main__`` paints the window first and starts the qasync loop and the HTTP client after
the first frame. Work the window asks for while being built — the model list of the provider
selected last time, when none is cached — must wait for them, not run on a throw-away loop
("Task was destroyed but it is pending!", and the model list stayed empty). In-process tests
cannot see this: their loop exists before any window. This runs the real ``python -m app``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.ui.app import gui_services
from promptpad_testing.server import TestServer

ROOT = Path(__file__).resolve().parents[2]


def test_the_start_up_model_refresh_waits_for_the_loop(tmp_path: Path) -> None:
    with TestServer() as server:
        home = tmp_path / "home"
        home.mkdir(mode=0o700)
        profile = {"name": "Local", "base_url": server.base_url, "models": []}
        (home / "providers.json").write_text(
            json.dumps({"version": 1, "selected": "Local", "providers": [profile]})
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
            "PROMPTPAD_HOME": str(home),
            "PYTHONASYNCIODEBUG": "0",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            cached: list[str] = []
            while time.monotonic() < deadline and not cached:
                time.sleep(0.2)
                data = json.loads((home / "providers.json").read_text())
                cached = data["providers"][0].get("models") or []
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        assert any(r.path == "/v1/models" for r in server.requests), err
        assert cached, f"the model list was never filled\n{err}"
        assert "Task was destroyed" not in err


def test_a_refresh_asked_before_the_client_exists_runs_when_it_arrives(
    qtbot,
    aloop,
    http,
    server: TestServer,
    home: Path,  # noqa: ANN001
) -> None:
    from app.core.endpoint import Endpoint
    from app.core.keystore import MemoryKeyStore
    from app.ui.main_window import MainWindow

    win = MainWindow(gui_services(home, MemoryKeyStore()))  # as app.__main__ builds it
    qtbot.addWidget(win)
    win.connection.base_url.setText(server.base_url)
    win.models.refresh(Endpoint(server.base_url))  # what the start-up refresh ends in
    qtbot.wait(200)  # the loop turns before the client arrives, as at start-up
    win.attach_http(http)
    qtbot.waitUntil(lambda: any(r.path == "/v1/models" for r in server.requests), timeout=5000)
    qtbot.waitUntil(lambda: win.params.model_combo.count() > 0, timeout=5000)
    assert not win.error_bar.isVisible()
