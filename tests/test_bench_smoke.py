"""The benchmarks still run and print their figures (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("script", "args", "expect"),
    [
        ("stream_throughput.py", ["--n", "300", "--repeat", "1"], "ratio (b)/(a)"),
        ("gui_stream.py", ["--n", "2000", "--repeat", "1"], "longest stall"),
        ("startup.py", ["--runs", "1"], "ratio"),
        ("stream_memory.py", ["--n", "2000"], "raw httpx read (baseline)"),
    ],
)
def test_bench_runs(script: str, args: list[str], expect: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert expect in out.stdout
