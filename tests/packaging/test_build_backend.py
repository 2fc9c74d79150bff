"""pyproject.toml builds with its pinned backend, without a deprecation warning.

pip builds the wheel the way an install does (an isolated build environment with setuptools
from PyPI, inside the range pyproject.toml pins): once with the newest release in range and once
with the lowest. setuptools' warnings (the ``license = { text = … }`` table stops working in
2027) would show in pip's verbose output; the wheel's metadata carries the SPDX expression.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lowest_pin() -> str:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    (setuptools,) = [r for r in requires if r.startswith("setuptools")]
    low = re.search(r">=\s*([\d.]+)", setuptools)
    assert low, f"setuptools is not pinned from below: {setuptools!r}"
    assert "<" in setuptools, f"setuptools has no upper bound: {setuptools!r}"
    return low.group(1)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("which", ["newest", "lowest"])
def test_the_wheel_builds_without_warnings(which: str, tmp_path: Path) -> None:
    # A copy of the tracked files: pip builds in the source tree and would leave build/ there.
    src = tmp_path / "src"
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if which == "lowest":
        constraint = tmp_path / "constraint.txt"
        constraint.write_text(f"setuptools=={_lowest_pin()}\n")
        env["PIP_BUILD_CONSTRAINT"] = str(constraint)  # pip's --build-constraint
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(src)],
        capture_output=True,
        text=True,
        env=env,
        timeout=280,
    )
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-3000:]
    warnings = [line for line in log.splitlines() if "Warning" in line or "deprecated" in line]
    assert warnings == []
    used = re.search(r"Successfully installed setuptools-([\d.]+)", log)
    assert used, log[-3000:]
    if which == "lowest":
        assert used.group(1) == _lowest_pin()
    (wheel,) = tmp_path.glob("promptpad-*.whl")
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        text = z.read(meta).decode()
    assert "License-Expression: MIT" in text
