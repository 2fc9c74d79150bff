"""The window and its files: hostile or unreadable files never stop it from opening, the user is
shown where an unreadable file went, and a draft that cannot be saved is shown as such."""

from __future__ import annotations

import json
import resource
import shutil
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.params import SPECS
from app.ui.main_window import MainWindow
from tests.hostile_files import HOSTILE

FILES = ("settings.json", "providers.json", "draft.json")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_unreadable_files_are_set_aside_and_the_window_says_where(
    qtbot: QtBot, make_window, home: Path, kind: str
) -> None:
    home.mkdir()
    for name in FILES:
        (home / name).write_bytes(HOSTILE[kind])
    win: MainWindow = make_window()
    assert win.notices.isVisible()
    shown = win.notices.text.text()
    for name in FILES:
        stem = name.removesuffix(".json")
        (aside,) = home.glob(f"{stem}.unreadable-*.json")
        assert aside.read_bytes() == HOSTILE[kind]
        assert str(aside) in shown  # where it went, visibly
    assert win.connection.provider() == ""
    assert win.editor.toPlainText() == ""
    win.close()  # saves settings and the draft: new files, the set-aside ones untouched
    for name in FILES[::2]:
        assert (home / name).exists()
    for aside in home.glob("*.unreadable-*"):
        assert aside.read_bytes() == HOSTILE[kind]


BAD_NUMBERS = [float("nan"), float("inf"), 1e308, -1e308, 10**30, -(10**30)]


@pytest.mark.parametrize("bad", BAD_NUMBERS, ids=str)
def test_bad_values_fall_back_to_defaults(
    qtbot: QtBot, make_window, home: Path, bad: float
) -> None:
    home.mkdir()
    numbers = {name: {"value": bad, "set": True} for name in SPECS}
    settings = {
        "params": {"numbers": numbers, "n": bad, "best_of": bad, "logprobs": bad, "stop": [bad]},
        "connection": {"base_url": bad},
    }
    # json.dumps writes NaN/Infinity as Python's json reads them; 10**30 as a plain integer
    (home / "settings.json").write_text(json.dumps(settings))
    profile = {"name": "P", "base_url": "http://127.0.0.1:1/v1"}
    profile |= {"connect_timeout": bad, "read_timeout": bad, "models_at": bad}
    (home / "providers.json").write_text(json.dumps({"selected": "P", "providers": [profile]}))
    draft = {"text": "kept", "completions": [[0, bad], [2, 99], [-1, 3]], "cursor": bad}
    (home / "draft.json").write_text(json.dumps(draft))
    win: MainWindow = make_window()
    assert win.editor.toPlainText() == "kept"
    assert win.editor.completion_ranges() == []
    for p in win.params.numbers:
        assert not p.is_set
        assert p.value() == SPECS[p.field].default or SPECS[p.field].default is None
    assert win.params.n_spin.value() == 0
    assert win.connection.provider() == "P"
    profile_now = win.providers.get("P")
    assert profile_now is not None
    assert (profile_now.connect_timeout, profile_now.read_timeout) == (10.0, 120.0)
    assert not win.notices.isVisible()  # readable files: values fixed, nothing set aside


def test_failing_draft_autosave_is_visible(qtbot: QtBot, make_window, home: Path) -> None:
    win: MainWindow = make_window()
    qtbot.keyClicks(win.editor, "safe")
    win.save_draft()
    # The home disappears under the window and a file takes its name: every write fails, for
    # root too (chmod would not stop root).
    shutil.rmtree(home)
    home.write_text("")
    qtbot.keyClicks(win.editor, " and not safe")
    qtbot.waitUntil(win.notices.isVisible, timeout=5000)
    assert "draft could not be saved" in win.notices.text.text()
    home.unlink()
    home.mkdir()
    qtbot.keyClicks(win.editor, "!")
    qtbot.waitUntil(lambda: not win.notices.isVisible(), timeout=5000)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_full_disk_draft_autosave_is_visible(qtbot: QtBot, make_window, home: Path) -> None:
    """A full disk, as the writer sees one: a write past the file-size limit fails (EFBIG)."""
    win: MainWindow = make_window()
    text = "x" * 200_000
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, hard))  # Python ignores SIGXFSZ
    try:
        win.editor.setPlainText(text)
        win.save_draft()  # waits for the writer
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    qtbot.waitUntil(win.notices.isVisible, timeout=5000)
    assert "draft could not be saved" in win.notices.text.text()
    assert not (home / "draft.json").exists() or len((home / "draft.json").read_bytes()) < 1000
