"""The prompt being edited survives kill -9 of the real app process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.storage import Store

ROOT = Path(__file__).resolve().parents[2]


def test_draft_survives_kill_9(qtbot: QtBot, make_window, home: Path) -> None:
    text = "一个还没保存的想法 and an unsaved thought"
    env = {
        **os.environ,
        "PROMPTPAD_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/ui/crash_child.py"), text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "typed", child.stderr.read() if child.stderr else ""
        # The autosave is debounced (0.5 s): wait until the draft on disk has the text...
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            draft = Store(home).load_draft()
            if draft is not None and draft.text == text:
                break
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)  # ...then crash it, with no chance to save again
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    win = make_window()  # "restart" on the same PROMPTPAD_HOME
    assert win.editor.toPlainText() == text
