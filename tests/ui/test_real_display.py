"""The real app on a real X server (Xvfb), through Qt's xcb plugin, as a desktop user runs it.

Offscreen tests never load the xcb platform plugin, so they never notice a missing system
library (libxcb-cursor0, libglib2.0-0 …): Qt aborts at start-up on a user's desktop while every
offscreen test passes. This starts Xvfb (installed by scripts/install.sh --test) and runs
``python -m app --self-test`` on it with no QT_QPA_PLATFORM: one completion through the window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xvfb() -> Iterator[str]:
    exe = shutil.which("Xvfb")
    assert exe, "Xvfb is missing: scripts/install.sh --test installs it (package xvfb)"
    for number in range(91, 120):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    display = f":{number}"
    proc = subprocess.Popen(
        [exe, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 15
    while not socket.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "Xvfb did not start within 15 s"
        time.sleep(0.05)
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_window_runs_on_a_real_x_server(xvfb: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=xvfb, PROMPTPAD_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: OK" in done.stdout
    assert "Qt platform xcb" in done.stdout  # the real plugin, not offscreen
    assert "could not load the Qt platform plugin" not in done.stderr
