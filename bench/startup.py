"""Process start to window shown: Promptpad against a bare PySide6 window, in the same run.

Each is started --runs times as a fresh process (offscreen); the child prints the wall-clock time
once its window is shown and painted; we print the medians and the ratio. Target: <= 2x.
Promptpad's modules are byte-compiled first, as any install has them.

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QPlainTextEdit()); w.resize(1180, 760); w.show()
app.processEvents()
print(f"shown {time.time():.6f}", flush=True)
"""


def once(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    for line in out.stdout.splitlines():
        if line.startswith("shown "):
            return float(line.split()[1]) - t0
    raise SystemExit(f"no 'shown' line from {cmd}: {out.stdout!r} {out.stderr[-500:]!r}")


def main(runs: int) -> None:
    # An installed Promptpad (pip, the PyInstaller bundle) has its bytecode compiled, as PySide6's
    # own modules here do; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile
    # every module at every start. Compile it once, as an install would.
    import compileall

    compileall.compile_dir(str(ROOT / "app"), quiet=1)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PROMPTPAD_STARTUP_PROBE": "1",
        "PROMPTPAD_HOME": tempfile.mkdtemp(prefix="promptpad-startup-"),
        "PYTHONPATH": str(ROOT),
    }
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-m", "app"]
    once(bare_cmd, env)  # warm the OS file cache for both
    once(app_cmd, env)
    bare, pad = [], []
    for _ in range(runs):
        bare.append(once(bare_cmd, env))
        pad.append(once(app_cmd, env))
    b, p = statistics.median(bare), statistics.median(pad)
    print(f"process start -> window shown, median of {runs} (offscreen)")
    print(f"  bare PySide6 window   {b * 1000:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"  Promptpad             {p * 1000:7.0f} ms  (min {min(pad) * 1000:.0f})")
    print(f"  ratio                 {p / b:7.2f}   (target <= 2.0)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    main(ap.parse_args().runs)
