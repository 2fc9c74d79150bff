"""Files under the home: hostile content never raises, an unreadable file is moved aside (never
overwritten), bad values fall back to defaults, and the files are private to the user."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.keystore import MemoryKeyStore
from app.core.provider_store import ProviderStore
from app.core.providers import Provider
from app.core.storage import Draft, Store, app_home
from tests.hostile_files import HOSTILE, run_read_only

ROOT = Path(__file__).resolve().parents[2]


def _profiles(n: int) -> bytes:
    items = [{"name": f"P{i}", "base_url": f"http://127.0.0.1:{9000 + i}/v1"} for i in range(n)]
    return json.dumps({"version": 1, "selected": "P0", "providers": items}).encode()


def _aside(home: Path, stem: str) -> list[Path]:
    return sorted(home.glob(f"{stem}.unreadable-*"))


# -- an unreadable file is moved aside, the user is told where, it is never overwritten --------


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_unreadable_settings_and_draft_are_moved_aside(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("settings.json", "draft.json"):
        (home / name).write_bytes(HOSTILE[kind])
    store = Store(home)
    assert store.load_settings() == {}
    assert store.load_draft() is None
    moved = {u.path.name: u.moved_to for u in store.unreadable}
    assert set(moved) == {"settings.json", "draft.json"}
    for name, stem in (("settings.json", "settings"), ("draft.json", "draft")):
        (aside,) = _aside(home, stem)
        assert moved[name] == aside
        assert aside.read_bytes() == HOSTILE[kind]  # kept byte for byte
        assert aside.name.endswith(".json")
    store.save_settings({"params": {}})
    store.save_draft(Draft("new text"))
    assert _aside(home, "settings")[0].read_bytes() == HOSTILE[kind]
    assert _aside(home, "draft")[0].read_bytes() == HOSTILE[kind]


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_corrupt_providers_file_is_moved_aside_not_overwritten(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "providers.json").write_bytes(HOSTILE[kind])
    store = ProviderStore(home, MemoryKeyStore())
    assert store.providers == []
    assert store.unreadable is not None
    (aside,) = _aside(home, "providers")
    assert store.unreadable.moved_to == aside
    store.add(Provider("New", "http://127.0.0.1:1/v1"))  # the save that used to overwrite it
    assert aside.read_bytes() == HOSTILE[kind]
    assert ProviderStore(home, MemoryKeyStore()).names() == ["New"]


def test_five_profiles_survive_a_truncated_file(tmp_path: Path) -> None:
    """The reported loss: 5 profiles became 1 (their keys orphaned in the keyring)."""
    home = tmp_path / "home"
    home.mkdir()
    full = _profiles(5)
    (home / "providers.json").write_bytes(full[:-3])  # torn write by some other tool
    store = ProviderStore(home, MemoryKeyStore())
    store.add(Provider("Sixth", "http://127.0.0.1:1/v1"))
    (aside,) = _aside(home, "providers")
    assert aside.read_bytes() == full[:-3]
    assert aside.read_bytes().count(b'"name"') == 5


def test_a_broken_profile_is_left_out_and_a_copy_of_the_file_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    data = json.loads(_profiles(5))
    data["providers"][2] = {"name": 42, "base_url": ["not", "a", "url"]}
    data["providers"].append({"name": "P0", "base_url": "http://127.0.0.1:1/v1"})  # duplicate
    raw = json.dumps(data).encode()
    (home / "providers.json").write_bytes(raw)
    store = ProviderStore(home, MemoryKeyStore())
    assert store.names() == ["P0", "P1", "P3", "P4"]
    assert store.unreadable is not None
    assert store.unreadable.copied
    assert store.unreadable.moved_to is not None
    assert store.unreadable.moved_to.read_bytes() == raw
    store.add(Provider("New", "http://127.0.0.1:1/v1"))
    assert store.unreadable.moved_to.read_bytes() == raw


def test_a_file_that_cannot_be_moved_aside_is_never_written(tmp_path: Path) -> None:
    """Read-only home: the corrupt file stays, and the store refuses to replace it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "providers.json").write_bytes(HOSTILE["truncated"])
    (home / "settings.json").write_bytes(HOSTILE["binary"])
    code = (
        "import sys; from pathlib import Path\n"
        "from app.core.keystore import MemoryKeyStore\n"
        "from app.core.provider_store import ProviderStore\n"
        "from app.core.storage import Store, StorageError\n"
        "home = Path(sys.argv[1])\n"
        "p = ProviderStore(home, MemoryKeyStore())\n"
        "s = Store(home)\n"
        "assert s.load_settings() == {}\n"
        "assert p.unreadable.moved_to is None and s.unreadable[0].moved_to is None\n"
        "try:\n    s.save_settings({})\nexcept StorageError:\n    print('refused')\n"
    )
    done = run_read_only(
        home,
        [sys.executable, "-c", code, str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused"
    assert (home / "providers.json").read_bytes() == HOSTILE["truncated"]
    assert (home / "settings.json").read_bytes() == HOSTILE["binary"]
    # Writable again (next session): still never overwritten without being set aside first.
    store = Store(home)
    store.load_settings()
    store.save_settings({"fresh": True})
    assert _aside(home, "settings")[0].read_bytes() == HOSTILE["binary"]


def test_a_directory_in_place_of_the_settings_is_moved_aside(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    store = Store(home)
    (home / "settings.json").mkdir()  # unreadable: a directory
    (home / "settings.json" / "x").write_text("keep")
    assert store.load_settings() == {}
    (aside,) = _aside(home, "settings")
    assert (aside / "x").read_text() == "keep"
    store.save_settings({"ok": True})
    assert json.loads((home / "settings.json").read_text()) == {"ok": True}


# -- two writers ------------------------------------------------------------------------------


def test_another_writers_profiles_survive_the_next_save(tmp_path: Path) -> None:
    """providers.json changed by another process (a CLI, another tool) while a window holds its
    own copy: the window's next save keeps their changes and its own."""
    home = tmp_path / "home"
    window = ProviderStore(home, MemoryKeyStore())
    window.add(Provider("Mine", "http://127.0.0.1:1/v1"))
    window.add(Provider("Shared", "http://127.0.0.1:3/v1"))
    other = ProviderStore(home, MemoryKeyStore())  # what a second process reads
    other.add(Provider("Theirs", "http://127.0.0.1:2/v1"))
    other.delete("Shared")
    changed = Provider("Mine", "http://127.0.0.1:1/v1", default_model="m2")
    window.update("Mine", changed)  # the window's own change, saved after theirs
    saved = json.loads((home / "providers.json").read_text())
    assert [p["name"] for p in saved["providers"]] == ["Mine", "Theirs"]
    assert saved["providers"][0]["default_model"] == "m2"
    assert window.names() == ["Mine", "Theirs"]


# -- values: every bad one falls back to its default, none raises -----------------------------


@pytest.mark.parametrize(
    "bad",
    [float("nan"), float("inf"), 1e308, -1e308, 10**30, -5, 0, True, "12", None, [1], {"a": 1}],
)
def test_bad_provider_numbers_fall_back_to_defaults(tmp_path: Path, bad: object) -> None:
    home = tmp_path / "home"
    home.mkdir()
    item = {
        "name": "A",
        "base_url": "http://127.0.0.1:1/v1",
        "connect_timeout": bad,
        "read_timeout": bad,
        "models_at": bad if bad != 0 else -1,
        "headers": {"X-Org": bad},
        "models": ["m", bad],
    }
    (home / "providers.json").write_text(json.dumps({"providers": [item]}))
    (p,) = ProviderStore(home, MemoryKeyStore()).providers
    assert (p.connect_timeout, p.read_timeout, p.models_at) == (10.0, 120.0, 0.0)
    if not isinstance(bad, str):
        assert p.headers == {}
        assert p.models == []
    p.endpoint(None)  # usable


def test_draft_ranges_out_of_bounds_are_dropped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    draft = {
        "text": "héllo 😀 world",  # the emoji is 2 UTF-16 units: 14 in all
        "completions": [
            [0, 5],
            [-3, 2],
            [6, 10**30],
            [9, 8],
            [10, 14],
            [12, 13],
            [1.5, 3],
            [True, 4],
            "x",
            [1, 2, 3],
        ],
        "cursor": 10**30,
    }
    (home / "draft.json").write_text(json.dumps(draft))
    loaded = Store(home).load_draft()
    assert loaded == Draft("héllo 😀 world", [(0, 5), (10, 14)], 14)


def test_draft_with_a_lone_surrogate_can_be_saved(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    store.save_draft(Draft("before \ud800 after", [], 0))
    loaded = store.load_draft()
    assert loaded is not None
    assert loaded.text == "before \ud800 after"


# -- permissions --------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_home_and_files_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    old = home / "history.sqlite3"  # as SQLite or an older version made it
    old.write_bytes(b"x")
    old.chmod(0o644)
    monkeypatch.setenv("PROMPTPAD_HOME", str(home))
    assert app_home() == home
    store = Store(home)
    store.save_settings({"a": 1})
    store.save_draft(Draft("secret prompt"))
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for f in home.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f


def test_unusable_home_does_not_raise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PROMPTPAD_HOME", str(blocker / "home"))
    home = app_home()
    store = Store(home)
    assert store.load_settings() == {}
    assert store.load_draft() is None
    with pytest.raises(OSError):  # noqa: PT011 - the OS says which
        store.save_draft(Draft("x"))


def test_the_cli_says_where_an_unreadable_providers_file_went(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "providers.json").write_bytes(HOSTILE["binary"])
    env = {
        **os.environ,
        "PROMPTPAD_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", "providers"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        check=False,
    )
    (aside,) = _aside(home, "providers")
    assert str(aside) in done.stderr
    assert "Traceback" not in done.stderr
    assert aside.read_bytes() == HOSTILE["binary"]
