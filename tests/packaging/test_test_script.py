"""scripts/test.sh runs every stage even when one fails, then names the failed ones.

It runs on a copy of the scripts whose tools (ruff, mypy, python …) are stand-ins that log their
call and fail on demand, so what is tested is the script's own control flow: every stage after
a failure still runs (the keyring stage above all), the exit status is 1, and the summary lists
exactly the failed stages.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TOOL = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$CALLS"
IFS=';' read -ra bad <<< "$FAIL"
for b in "${bad[@]}"; do [[ "$(basename "$0") $*" == *"$b"* ]] && exit 3; done
exit 0
"""


def _fake_checkout(tmp: Path) -> Path:
    repo = tmp / "promptpad"
    (repo / "scripts").mkdir(parents=True)
    (repo / "packaging").mkdir()
    shutil.copy2(ROOT / "scripts" / "test.sh", repo / "scripts" / "test.sh")
    for name in ("scripts/install.sh", "packaging/build_linux.sh"):
        (repo / name).write_text('#!/usr/bin/env bash\necho "$0 $*" >> "$CALLS"\n')
    # The keyring stage's D-Bus + gnome-keyring wrapper: here it only runs its command.
    (repo / "scripts" / "with-keyring.sh").write_text('#!/usr/bin/env bash\nexec "$@"\n')
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("ruff", "mypy", "lint-imports", "python", "dbus-run-session"):
        path = bin_dir / tool
        path.write_text(TOOL)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return repo


def _run(repo: Path, *args: str, fail: str = "") -> tuple[int, str, list[str]]:
    calls = repo / "calls.log"
    env = {
        **os.environ,
        "CALLS": str(calls),
        "FAIL": fail,
        # dbus-run-session resolves through PATH: the stand-in comes first.
        "PATH": f"{repo / '.venv' / 'bin'}:{os.environ['PATH']}",
    }
    proc = subprocess.run(
        ["bash", "scripts/test.sh", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    logged = calls.read_text().splitlines() if calls.exists() else []
    return proc.returncode, proc.stdout + proc.stderr, logged


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _fake_checkout(tmp_path)


def test_every_stage_runs_after_a_failure_and_the_failures_are_named(repo: Path) -> None:
    code, out, calls = _run(repo, fail="ruff check;mypy")
    assert code == 1
    assert "failed stages: ruff, mypy" in out
    assert out.rstrip().endswith("passed, 2 failed")  # the plain closing line
    # Everything after the failures still ran, the keyring tests last.
    assert any(c.startswith("lint-imports") for c in calls)
    assert any("build_linux.sh" in c for c in calls)
    assert any("pytest -m not keyring" in c for c in calls)
    assert calls[-1].endswith("pytest -m keyring tests/keyring")


def test_a_failing_test_stage_does_not_hide_the_keyring_stage(repo: Path) -> None:
    code, out, calls = _run(repo, fail="not keyring")
    assert code == 1
    assert "failed stages: pytest (core, ui, packaging, integration)" in out
    assert calls[-1].endswith("pytest -m keyring tests/keyring")


def test_all_green_exits_0_and_says_so(repo: Path) -> None:
    code, out, _ = _run(repo)
    assert code == 0, out
    assert "all " in out
    assert " stages passed" in out
    assert "FAILED" not in out


def test_a_failed_install_stops_at_once(repo: Path) -> None:
    (repo / "scripts" / "install.sh").write_text("#!/usr/bin/env bash\nexit 7\n")
    code, out, calls = _run(repo)
    assert code == 1
    assert "failed stages: install" in out
    assert calls == []  # nothing after the install could have run


def test_fast_mode_skips_install_installers_and_keyring(repo: Path) -> None:
    code, out, calls = _run(repo, "--fast", fail="lint-imports")
    assert code == 1
    assert "failed stages: import-linter" in out
    assert not any("install.sh" in c or "build_linux" in c for c in calls)
    assert any("pytest -m not integration and not keyring" in c for c in calls)
    assert not any("-m keyring" in c for c in calls)
