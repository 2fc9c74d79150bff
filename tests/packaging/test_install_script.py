"""scripts/install.sh installs once, and again only when pyproject.toml changed.

``scripts/start.sh`` calls it on every start; a pip run there costs seconds and needs the
network. A copy of the script runs against stand-ins for dpkg-query, apt-get and the venv's
python that log their calls, so what is tested is the script's own decisions.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _exe(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _checkout(tmp: Path, installed: bool) -> tuple[Path, dict[str, str]]:
    repo = tmp / "promptpad"
    (repo / "scripts").mkdir(parents=True)
    (repo / "packaging").mkdir()
    shutil.copy2(ROOT / "scripts" / "install.sh", repo / "scripts" / "install.sh")
    shutil.copy2(ROOT / "pyproject.toml", repo / "pyproject.toml")
    shutil.copy2(
        ROOT / "packaging" / "debian-gui-packages.txt",
        repo / "packaging" / "debian-gui-packages.txt",
    )
    log = tmp / "calls.log"
    tools = tmp / "bin"
    status = "install ok installed" if installed else "unknown ok not-installed"
    _exe(
        tools / "dpkg-query",
        f'#!/usr/bin/env bash\nfor p in "${{@:3}}"; do echo "$p {status}"; done\n',
    )
    _exe(tools / "apt-get", f'#!/usr/bin/env bash\necho "apt-get $*" >> {log}\n')
    _exe(tools / "sudo", '#!/usr/bin/env bash\nexec "$@"\n')
    _exe(repo / ".venv" / "bin" / "python", f'#!/usr/bin/env bash\necho "python $*" >> {log}\n')
    env = {
        **os.environ,
        "PATH": f"{tools}:{os.environ['PATH']}",
        "HOME": str(tmp / "home"),
    }
    return repo, env


def _install(repo: Path, env: dict[str, str], *args: str) -> list[str]:
    log = repo.parent / "calls.log"
    log.unlink(missing_ok=True)
    proc = subprocess.run(
        ["bash", "scripts/install.sh", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return log.read_text().splitlines() if log.exists() else []


def _pip_runs(calls: list[str]) -> list[str]:
    return [c for c in calls if "pip install" in c and " -e " in c]


def test_pip_runs_once_then_again_when_pyproject_changes(tmp_path: Path) -> None:
    repo, env = _checkout(tmp_path, installed=True)
    assert len(_pip_runs(_install(repo, env))) == 1
    assert _install(repo, env) == []  # the second start: nothing to do, no apt, no pip
    with (repo / "pyproject.toml").open("a") as f:
        f.write("\n# a new dependency\n")
    assert len(_pip_runs(_install(repo, env))) == 1
    assert _install(repo, env) == []


def test_a_test_install_covers_the_app_but_not_the_other_way(tmp_path: Path) -> None:
    repo, env = _checkout(tmp_path, installed=True)
    assert _pip_runs(_install(repo, env)) == [
        "python -m pip install -q --disable-pip-version-check -e ."
    ]
    test_runs = _pip_runs(_install(repo, env, "--test"))
    assert len(test_runs) == 1
    assert "[test,integration]" in test_runs[0]
    assert _install(repo, env) == []  # the app is covered by the test install


def test_missing_debian_packages_are_installed_including_glib(tmp_path: Path) -> None:
    repo, env = _checkout(tmp_path, installed=False)
    calls = _install(repo, env)
    apt = [c for c in calls if c.startswith("apt-get") and " install " in c]
    assert len(apt) == 1
    for pkg in ("libglib2.0-0", "libxcb-cursor0", "libxkbcommon-x11-0", "fonts-noto-cjk"):
        assert f" {pkg}" in apt[0]


def test_the_command_is_linked_where_a_user_finds_it(tmp_path: Path) -> None:
    repo, env = _checkout(tmp_path, installed=True)
    _install(repo, env)
    link = Path(env["HOME"]) / ".local" / "bin" / "promptpad"
    assert link.is_symlink()
    assert os.readlink(link) == str(repo / ".venv" / "bin" / "promptpad")
