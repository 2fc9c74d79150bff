"""The real entry point, as a process: it must exit 0 after talking to a host name.

A request to a host name (every real provider) resolves it on the event loop's default executor,
whose threads are QThreads under qasync. They were never shut down: at exit Qt printed
"QThread: Destroyed while thread '' is still running" and aborted (SIGABRT, exit -6), leaving a
core dump that holds the API key wherever the system collects them. The in-process tests cannot
see this (their loop outlives them and they use 127.0.0.1); only a real exit can.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_against_a_host_name_exits_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "PROMPTPAD_HOME": str(tmp_path),
    }
    # --self-test runs one completion against a loopback server addressed as "localhost" (a
    # name, so the lookup goes through the loop's executor), closes the window and returns.
    r = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    assert "self-test: OK" in r.stdout, r.stdout + r.stderr
    assert "QThread: Destroyed" not in r.stderr
    assert r.returncode == 0, r.stderr
