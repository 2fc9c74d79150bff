"""The real app as processes: one window per home, and a home that cannot be written to (a parent
that is a file, a read-only mount) does not stop the window from opening."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile_files import HOSTILE, run_read_only

ROOT = Path(__file__).resolve().parents[2]
APP = [sys.executable, "-m", "app"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PROMPTPAD_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _wait_for_log(home: Path, text: str, proc: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    log = home / "promptpad.log"
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            pytest.fail(f"the first window exited ({proc.returncode}): {proc.communicate()}")
        time.sleep(0.05)
    pytest.fail(f"{text!r} never appeared in {log}")


def test_a_second_launch_raises_the_first_window(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = subprocess.Popen(
        APP, env=_env(home), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for_log(home, "this window owns", first, 60)
        second = subprocess.run(
            APP, env=_env(home), cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
        )
        assert second.returncode == 0, second.stderr
        _wait_for_log(home, "a second launch on", first, 10)
        assert first.poll() is None  # the first window is still there
    finally:
        first.kill()
        first.communicate(timeout=10)
    # The first one died without unlocking (kill -9): its lock is stale, a new launch owns the home.
    again = _probe(home)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("shown ")
    if sys.platform != "win32":  # the probe's close saved settings, draft and geometry: all private
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        for f in home.iterdir():
            assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f
        assert {"promptpad.log", "window.ini", "draft.json"} <= {f.name for f in home.iterdir()}


def _probe(home: Path) -> subprocess.CompletedProcess[str]:
    """The real app started once on ``home``: it says "shown" when its window is up, then exits."""
    return subprocess.run(
        APP,
        env=_env(home, PROMPTPAD_STARTUP_PROBE="1"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_window_opens_when_the_home_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = _probe(blocker / "home")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("shown ")


def test_window_opens_on_a_read_only_home_with_corrupt_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("settings.json", "providers.json", "draft.json"):
        (home / name).write_bytes(HOSTILE["truncated"])
    done = run_read_only(home, APP, env=_env(home, PROMPTPAD_STARTUP_PROBE="1"), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("shown ")
    for name in ("settings.json", "providers.json", "draft.json"):  # left exactly as they were
        assert (home / name).read_bytes() == HOSTILE["truncated"]
