"""Provider secrets: export/import without keys, the providers file, keys without a keyring,
which key is sent, and KeyringKeyStore over a keyring backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.core.errors import ConfigError
from app.core.keystore import KeyringKeyStore, KeyStoreError, MemoryKeyStore
from app.core.provider_store import ProviderStore
from app.core.providers import (
    Provider,
    is_secret_header,
)
from tests.core.fake_keyring import MemoryKeyring
from tests.core.provider_support import (
    KEY,
    PROXY_PASSWORD,
    LockedKeyStore,
    UnavailableKeyStore,
    files_holding,
    relay,
)

# -- export / import -------------------------------------------------------------------------------


def test_export_writes_no_secret(store: ProviderStore, tmp_path: Path) -> None:
    store.add(
        relay(
            "A",
            headers={"X-Org": "o", "Authorization": f"Bearer {KEY}", "X-Api-Key": KEY},
            proxy="http://127.0.0.1:3128",
            proxy_user="me",
            key_env="RELAY_KEY",
        )
    )
    store.add(relay("B", default_model="m"))
    store.set_key("A", KEY)
    store.set_proxy_password("A", PROXY_PASSWORD)
    store.set_models("A", ["m1"])
    out = tmp_path / "export.json"
    assert store.export(out) == 2
    raw = out.read_bytes()
    assert KEY.encode() not in raw
    assert PROXY_PASSWORD.encode() not in raw
    data = json.loads(raw)
    assert data["promptpad_providers"] == 1
    a = data["providers"][0]
    assert a["headers"] == {"X-Org": "o"}
    assert (a["proxy_user"], a["key_env"]) == ("me", "RELAY_KEY")
    assert "models" not in a
    assert "models_at" not in a
    assert store.export(tmp_path / "one.json", ["B"]) == 1


def test_import_round_trips_and_renames_clashes(store: ProviderStore, tmp_path: Path) -> None:
    original = relay(
        "A",
        completions_url="https://gw.example/c",
        default_model="m",
        headers={"X-Org": "o"},
        proxy="socks5://127.0.0.1:1080",
        proxy_user="me",
        connect_timeout=3.0,
        read_timeout=9.0,
        verify=False,
        notes="备注",
        key_env="RELAY_KEY",
        template="OneChat",
    )
    store.add(original)
    store.set_key("A", KEY)
    out = tmp_path / "export.json"
    store.export(out)

    fresh = ProviderStore(tmp_path / "other", MemoryKeyStore())
    assert fresh.import_file(out) == ["A"]
    assert fresh.get("A") == original
    assert fresh.stored_key("A") is None

    assert store.import_file(out) == ["A (2)"]
    assert store.get("A (2)") == Provider(**{**original.to_json(), "name": "A (2)"})
    assert store.stored_key("A (2)") is None  # a key never comes with a profile


def test_import_drops_key_like_fields(store: ProviderStore, tmp_path: Path) -> None:
    path = tmp_path / "from-elsewhere.json"
    entry = {
        "name": "Other",
        "base_url": "https://other.example/v1",
        "api_key": KEY,
        "apiKey": KEY,
        "key": KEY,
        "KEY_VALUE": KEY,
        "key_env": "OTHER_KEY",
        "headers": {"X-Org": "o", "Authorization": f"Bearer {KEY}", "api-key": KEY},
    }
    path.write_text(json.dumps({"providers": [entry]}), encoding="utf-8")
    assert store.import_file(path) == ["Other"]
    p = store.get("Other")
    assert p is not None
    assert p.key_env == "OTHER_KEY"
    assert p.headers == {"X-Org": "o"}
    assert store.stored_key("Other") is None
    assert store.keys.get("Other") is None
    assert files_holding(store.path.parent, KEY) == []


def test_import_accepts_a_bare_list_and_rejects_junk(store: ProviderStore, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"name": "L", "base_url": "http://127.0.0.1:1/v1"}]))
    assert store.import_file(path) == ["L"]
    for text in ("not json", '{"no": "list"}'):
        path.write_text(text)
        with pytest.raises(ConfigError):
            store.import_file(path)
    with pytest.raises(ConfigError):
        store.import_file(tmp_path / "missing.json")


def test_import_is_all_or_nothing(store: ProviderStore, tmp_path: Path) -> None:
    path = tmp_path / "half.json"
    path.write_text(json.dumps([{"name": "Good", "base_url": "https://g/v1"}, {"name": "Bad"}]))
    with pytest.raises(ConfigError, match="no base_url"):
        store.import_file(path)
    assert store.names() == []


def test_is_secret_header() -> None:
    for name in ("Authorization", "proxy-authorization", "X-Api-Key", "api-key", "X-Auth-Token"):
        assert is_secret_header(name), name
    for name in ("X-Org", "OpenAI-Organization", "User-Agent", "HTTP-Referer"):
        assert not is_secret_header(name), name


# -- the providers file ----------------------------------------------------------------------------


def test_a_corrupt_entry_does_not_hide_the_others(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    entries = [
        {"name": "First", "base_url": "https://first.example/v1", "default_model": "m"},
        "not an object",
        {"base_url": "https://nameless.example/v1"},
        {"name": "NoURL"},
        {"name": "BadTypes", "base_url": "https://b.example", "headers": "X: y", "models": 5,
         "proxy": 5, "verify": "no", "connect_timeout": "fast", "read_timeout": None},
        {"name": "Last", "base_url": "https://last.example/v1", "unknown_field": [1, 2]},
    ]  # fmt: skip
    (home / "providers.json").write_text(
        json.dumps({"version": 1, "selected": "Last", "providers": entries}), encoding="utf-8"
    )
    store = ProviderStore(home, MemoryKeyStore())
    assert store.names() == ["First", "BadTypes", "Last"]
    assert store.selected == "Last"
    assert store.get("First").default_model == "m"  # type: ignore[union-attr]
    bad = store.get("BadTypes")
    assert bad is not None
    assert (bad.headers, bad.models, bad.proxy, bad.verify) == ({}, [], "", True)
    assert (bad.connect_timeout, bad.read_timeout) == (10.0, 120.0)
    assert bad.problems() == []


@pytest.mark.parametrize("text", ["", "{", "[]", '{"providers": {"a": 1}}', "null"])
def test_an_unreadable_providers_file_gives_an_empty_store(tmp_path: Path, text: str) -> None:
    (tmp_path / "providers.json").write_text(text)
    store = ProviderStore(tmp_path, MemoryKeyStore())
    assert store.names() == []
    store.add(relay("A"))  # and it can be written again
    assert ProviderStore(tmp_path, MemoryKeyStore()).names() == ["A"]


def test_the_providers_file_never_holds_a_key(store: ProviderStore) -> None:
    store.add(relay("A", proxy="http://127.0.0.1:3128", proxy_user="me"))
    store.set_key("A", KEY)
    store.set_proxy_password("A", PROXY_PASSWORD)
    store.duplicate("A")
    store.update("A", relay("Renamed"))
    store.save()
    raw = store.path.read_bytes()
    assert KEY.encode() not in raw
    assert PROXY_PASSWORD.encode() not in raw


# -- secrets without a keyring ---------------------------------------------------------------------


def test_without_a_keyring_a_key_is_kept_for_this_session_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    keys = UnavailableKeyStore()
    store = ProviderStore(home, keys)
    assert not store.keyring_available
    store.add(relay("A", proxy="http://127.0.0.1:3128", proxy_user="me"))
    assert store.set_key("A", KEY) == "session"
    assert store.set_proxy_password("A", PROXY_PASSWORD) == "session"
    assert store.stored_key("A") == KEY
    assert store.resolve_key(store.get("A"), env={}) == KEY  # type: ignore[arg-type]
    assert store.endpoint("A", env={}).api_key == KEY
    store.update("A", relay("B", proxy="http://127.0.0.1:3128", proxy_user="me"))
    assert store.stored_key("B") == KEY
    assert store.proxy_password("B") == PROXY_PASSWORD
    assert store.stored_key("A") is None
    assert keys.calls == []  # an unavailable KeyStore is not even asked
    assert files_holding(tmp_path, KEY) == []
    assert files_holding(tmp_path, PROXY_PASSWORD) == []
    assert [p.name for p in home.iterdir()] == ["providers.json"]
    # A new session (the next start of the app) has no key.
    assert ProviderStore(home, UnavailableKeyStore()).stored_key("B") is None
    store.delete("B")
    assert store.stored_key("B") is None


def test_a_keyring_that_refuses_falls_back_to_the_session(tmp_path: Path) -> None:
    keys = LockedKeyStore()
    store = ProviderStore(tmp_path, keys)
    store.add(relay("A"))
    assert store.set_key("A", KEY) == "session"
    assert store.stored_key("A") == KEY
    assert keys.get("A") is None
    assert files_holding(tmp_path, KEY) == []


def test_a_key_stored_later_in_the_keyring_replaces_the_session_one(tmp_path: Path) -> None:
    keys = MemoryKeyStore()
    store = ProviderStore(tmp_path, keys)
    store._session["A"] = "sk-session"  # as left by a locked keyring earlier
    assert store.set_key("A", KEY) == "keyring"
    assert store.stored_key("A") == KEY
    assert "A" not in store._session


# -- which key is sent -----------------------------------------------------------------------------


def test_resolve_key_prefers_the_profile_variable(store: ProviderStore) -> None:
    p = store.add(relay("A", key_env="RELAY_KEY"))
    store.set_key("A", KEY)
    assert store.resolve_key(p, env={"RELAY_KEY": "sk-from-env"}) == "sk-from-env"
    assert store.resolve_key(p, env={"RELAY_KEY": ""}) == KEY
    assert store.resolve_key(p, env={}) == KEY
    assert store.endpoint("A", env={"RELAY_KEY": "sk-from-env"}).api_key == "sk-from-env"
    plain = store.add(relay("B"))
    assert store.resolve_key(plain, env={"RELAY_KEY": "sk-from-env"}) is None


def test_resolve_key_reads_os_environ_by_default(
    store: ProviderStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = store.add(relay("A", key_env="PP_TEST_RELAY_KEY"))
    monkeypatch.setenv("PP_TEST_RELAY_KEY", "sk-os-env")
    assert store.resolve_key(p) == "sk-os-env"


# -- KeyringKeyStore with a keyring backend -------------------------------------------------------


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_keystore_uses_the_backend(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    ks = KeyringKeyStore()
    assert ks.available()
    assert "MemoryKeyring" in ks.describe()
    ks.set("A", KEY)
    assert memory_keyring.entries == {("Promptpad", "A"): KEY}
    assert ks.get("A") == KEY
    ks.set("A", "sk-replaced")
    assert ks.get("A") == "sk-replaced"
    ks.delete("A")
    ks.delete("A")  # deleting what is not there is no error
    assert ks.get("A") is None
    store = ProviderStore(tmp_path, ks)
    store.add(relay("P"))
    assert store.set_key("P", KEY) == "keyring"
    assert ProviderStore(tmp_path, KeyringKeyStore()).stored_key("P") == KEY
    assert files_holding(tmp_path, KEY) == []


def test_keyring_keystore_without_a_backend(tmp_path: Path) -> None:
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        ks = KeyringKeyStore()
        assert not ks.available()
        with pytest.raises(KeyStoreError, match="no system keyring"):
            ks.set("A", KEY)
        store = ProviderStore(tmp_path, ks)
        store.add(relay("A"))
        assert store.set_key("A", KEY) == "session"
    finally:
        keyring.set_keyring(previous)


def test_a_refusing_keyring_is_an_error_not_a_missing_key(tmp_path) -> None:  # noqa: ANN001
    from app.core.errors import ConfigError
    from app.core.keystore import KeyStoreError, MemoryKeyStore
    from app.core.provider_store import ProviderStore
    from app.core.providers import Provider

    class LockedKeyring(MemoryKeyStore):
        def get(self, name: str) -> str | None:
            raise KeyStoreError("Failed to unlock the collection!")

    store = ProviderStore(tmp_path, LockedKeyring())
    store.add(Provider("Relay", "https://relay.example/v1"))
    assert store.stored_key("Relay") is None  # the UI's hint may say "no key"...
    with pytest.raises(ConfigError, match="keyring refused.*Failed to unlock"):
        store.endpoint("Relay")  # ...but a run never goes out silently without it
