"""Provider profiles and their store: editing, secrets in the KeyStore, templates, export/import."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.core.errors import ConfigError
from app.core.keystore import KeyringKeyStore, KeyStoreError, MemoryKeyStore
from app.core.providers import (
    PROXY_SUFFIX,
    Provider,
    ProviderStore,
    headers_from_text,
    headers_to_text,
    is_secret_header,
    load_templates,
    proxy_url,
)
from app.testserver import TestServer
from tests.core.conftest import call
from tests.core.fake_keyring import MemoryKeyring
from tests.core.proxies import HTTPProxy

KEY = "sk-pp-test-0123456789abcdef"
PROXY_PASSWORD = "pr0xy-p@ss:w/rd"


class UnavailableKeyStore:
    """A KeyStore with no keyring behind it (headless Linux): refuses everything."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def get(self, name: str) -> str | None:
        self.calls.append(f"get {name}")
        raise KeyStoreError("no keyring")

    def set(self, name: str, key: str) -> None:
        self.calls.append(f"set {name}")
        raise KeyStoreError("no keyring")

    def delete(self, name: str) -> None:
        self.calls.append(f"delete {name}")
        raise KeyStoreError("no keyring")

    def available(self) -> bool:
        return False

    def describe(self) -> str:
        return "unavailable"


class LockedKeyStore(MemoryKeyStore):
    """Says it is available, then refuses to store (a locked keyring, a denied prompt)."""

    def set(self, name: str, key: str) -> None:
        raise KeyStoreError("the collection is locked")


def files_holding(root: Path, secret: str) -> list[Path]:
    """Every file under ``root`` whose bytes contain ``secret`` (UTF-8)."""
    needle = secret.encode("utf-8")
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture
def keys() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def store(tmp_path: Path, keys: MemoryKeyStore) -> ProviderStore:
    return ProviderStore(tmp_path / "home", keys)


def relay(name: str = "Relay", **kw: object) -> Provider:
    return Provider(name=name, base_url="https://relay.example/v1", **kw)  # type: ignore[arg-type]


# -- editing ---------------------------------------------------------------------------------------


def test_add_saves_and_keeps_names_unique(store: ProviderStore, tmp_path: Path) -> None:
    assert store.add(relay("A")).name == "A"
    assert store.add(relay("A")).name == "A (2)"
    assert store.add(relay("A")).name == "A (3)"
    assert store.add(relay("  ")).name == "Provider"
    assert store.add(relay(" B ")).name == "B"
    again = ProviderStore(tmp_path / "home", MemoryKeyStore())
    assert again.names() == ["A", "A (2)", "A (3)", "Provider", "B"]
    assert again.get("A") == store.get("A")
    assert again.get("nope") is None


def test_update_replaces_the_profile(store: ProviderStore, tmp_path: Path) -> None:
    store.add(relay("A"))
    changed = relay("A", default_model="m2", headers={"X-Org": "o"}, read_timeout=30.0)
    store.update("A", changed)
    again = ProviderStore(tmp_path / "home", MemoryKeyStore())
    saved = again.get("A")
    assert saved is not None
    assert (saved.default_model, saved.headers, saved.read_timeout) == ("m2", {"X-Org": "o"}, 30)


def test_rename_moves_the_key_and_the_proxy_password(
    store: ProviderStore, keys: MemoryKeyStore
) -> None:
    store.add(relay("Old", proxy="http://127.0.0.1:3128", proxy_user="me"))
    assert store.set_key("Old", KEY) == "keyring"
    assert store.set_proxy_password("Old", PROXY_PASSWORD) == "keyring"
    store.selected = "Old"
    store.update("Old", relay("New", proxy="http://127.0.0.1:3128", proxy_user="me"))
    assert store.names() == ["New"]
    assert store.selected == "New"
    assert store.stored_key("New") == KEY
    assert store.proxy_password("New") == PROXY_PASSWORD
    assert keys.get("Old") is None
    assert keys.get("Old" + PROXY_SUFFIX) is None
    assert keys.get("New") == KEY
    assert keys.get("New" + PROXY_SUFFIX) == PROXY_PASSWORD


def test_rename_onto_another_name_or_to_nothing_is_refused(
    store: ProviderStore, keys: MemoryKeyStore
) -> None:
    store.add(relay("A"))
    store.add(relay("B"))
    store.set_key("A", KEY)
    with pytest.raises(ConfigError, match="already a provider called 'B'"):
        store.update("A", relay("B"))
    with pytest.raises(ConfigError, match="needs a name"):
        store.update("A", relay("  "))
    assert store.names() == ["A", "B"]
    assert keys.get("A") == KEY
    assert keys.get("B") is None


def test_duplicate_copies_the_secrets(store: ProviderStore, keys: MemoryKeyStore) -> None:
    store.add(relay("A", default_model="m", headers={"X-Org": "o"}, proxy_user="me"))
    store.set_key("A", KEY)
    store.set_proxy_password("A", PROXY_PASSWORD)
    copy = store.duplicate("A")
    assert copy.name == "A copy"
    assert store.duplicate("A").name == "A copy (2)"
    assert (copy.default_model, copy.headers, copy.proxy_user) == ("m", {"X-Org": "o"}, "me")
    assert store.stored_key("A copy") == KEY
    assert store.proxy_password("A copy") == PROXY_PASSWORD
    assert store.stored_key("A") == KEY  # the original keeps its own
    copy.headers["X-Org"] = "changed"
    assert store.get("A").headers == {"X-Org": "o"}  # type: ignore[union-attr]
    with pytest.raises(ConfigError):
        store.duplicate("nope")


def test_delete_removes_the_secrets(store: ProviderStore, keys: MemoryKeyStore) -> None:
    store.add(relay("A"))
    store.add(relay("B"))
    store.set_key("A", KEY)
    store.set_proxy_password("A", PROXY_PASSWORD)
    store.set_key("B", "sk-other")
    store.selected = "A"
    store.delete("A")
    assert store.names() == ["B"]
    assert store.selected == ""
    assert keys.get("A") is None
    assert keys.get("A" + PROXY_SUFFIX) is None
    assert keys.get("B") == "sk-other"


def test_set_models_caches_the_list(store: ProviderStore, tmp_path: Path) -> None:
    store.add(relay("A"))
    store.set_models("A", ["m1", "m2"])
    saved = ProviderStore(tmp_path / "home", MemoryKeyStore()).get("A")
    assert saved is not None
    assert saved.models == ["m1", "m2"]
    assert saved.models_at > 0


def test_an_empty_key_deletes_the_stored_one(store: ProviderStore, keys: MemoryKeyStore) -> None:
    store.add(relay("A"))
    store.set_key("A", KEY)
    assert store.set_key("A", "") == "none"
    assert keys.get("A") is None
    store.set_key("A", KEY)
    store.delete_key("A")
    assert store.stored_key("A") is None


# -- problems, URLs, proxy, headers ----------------------------------------------------------------


def test_a_sound_profile_has_no_problems() -> None:
    assert relay().problems() == []
    assert Provider("Local", "127.0.0.1:8080").problems() == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": " "}, "a name is required"),
        ({"base_url": ""}, "base URL: the base URL is empty"),
        ({"base_url": "ftp://host/v1"}, "base URL: not an http(s) URL"),
        ({"completions_url": "host/v1/completions"}, "full URL override: must start with http"),
        ({"proxy": "ftp://proxy:21"}, "proxy: must start with http://, https:// or socks5://"),
        ({"proxy": "http://me:pw@proxy:3128"}, "proxy: put the user and password in their own"),
        ({"key_env": "MY-KEY"}, "key variable: not a valid environment variable name"),
        ({"connect_timeout": 0.0}, "connect timeout: must be more than 0 seconds"),
        ({"read_timeout": -1.0}, "read timeout: must be more than 0 seconds"),
        ({"ca_bundle": "/no/such/ca.pem"}, "CA bundle: no such file /no/such/ca.pem"),
    ],
)
def test_problems_name_each_bad_field(change: dict[str, object], expected: str) -> None:
    data = {**relay().to_json(), **change}
    problems = Provider(**data).problems()  # type: ignore[arg-type]
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


def test_problems_accept_socks_proxies_and_an_existing_ca_bundle(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    p = relay(proxy="socks5h://127.0.0.1:1080", proxy_user="me", ca_bundle=str(ca), key_env="K_1")
    assert p.problems() == []


@pytest.mark.parametrize(
    ("base_url", "override", "expected"),
    [
        ("https://api.openai.com/v1", "", "https://api.openai.com/v1/completions"),
        ("https://api.openai.com/v1/", "", "https://api.openai.com/v1/completions"),
        ("https://chatapi.onechat.fun", "", "https://chatapi.onechat.fun/v1/completions"),
        ("https://chatapi.onechat.fun/", "", "https://chatapi.onechat.fun/v1/completions"),
        ("chatapi.onechat.fun", "", "https://chatapi.onechat.fun/v1/completions"),
        ("127.0.0.1:8080", "", "http://127.0.0.1:8080/v1/completions"),
        ("https://h.example/v1/completions", "", "https://h.example/v1/completions"),
        ("https://h.example/api/v2", "", "https://h.example/api/v2/completions"),
        ("https://h.example/openai/", "", "https://h.example/openai/completions"),
        (
            "https://api.ninhao.cc/v1",
            " https://gw.example/deploy/x/completions?api-version=1 ",
            "https://gw.example/deploy/x/completions?api-version=1",
        ),
    ],
)
def test_final_url_preview(base_url: str, override: str, expected: str) -> None:
    assert Provider("P", base_url, completions_url=override).final_url() == expected


def test_final_url_of_an_unusable_base_url_raises() -> None:
    with pytest.raises(ConfigError):
        Provider("P", "").final_url()


@pytest.mark.parametrize(
    ("proxy", "user", "password", "expected"),
    [
        ("", "me", "pw", ""),
        ("http://proxy:3128", "", "pw", "http://proxy:3128"),
        (" http://proxy:3128 ", "", None, "http://proxy:3128"),
        ("http://proxy:3128", "me", None, "http://me@proxy:3128"),
        ("http://proxy:3128", "me", "", "http://me@proxy:3128"),
        ("http://proxy:3128", "me", "pw", "http://me:pw@proxy:3128"),
        (
            "socks5://127.0.0.1:1080",
            "dom\\user@corp",
            PROXY_PASSWORD,
            "socks5://dom%5Cuser%40corp:pr0xy-p%40ss%3Aw%2Frd@127.0.0.1:1080",
        ),
        (
            "http://proxy:3128",
            "用户",
            "密 码",
            "http://%E7%94%A8%E6%88%B7:%E5%AF%86%20%E7%A0%81@proxy:3128",
        ),
    ],
)
def test_proxy_url_percent_encodes_the_credentials(
    proxy: str, user: str, password: str | None, expected: str
) -> None:
    assert proxy_url(proxy, user, password) == expected


def test_headers_from_text() -> None:
    text = "X-Org: acme\n\n# a comment\n  X-Trace:  a:b:c  \nno colon here\n: empty name\n"
    headers, problems = headers_from_text(text)
    assert headers == {"X-Org": "acme", "X-Trace": "a:b:c"}
    assert [p.split(":")[0] for p in problems] == ["header line 5", "header line 6"]
    assert headers_from_text(headers_to_text(headers)) == (headers, [])
    assert headers_from_text("") == ({}, [])


def test_endpoint_carries_everything_but_stores_nothing(store: ProviderStore) -> None:
    p = relay(
        "A",
        completions_url="https://gw.example/c",
        headers={"X-Org": "o"},
        proxy="http://127.0.0.1:3128",
        proxy_user="me",
        connect_timeout=3.0,
        read_timeout=9.0,
        verify=False,
    )
    store.add(p)
    store.set_key("A", KEY)
    store.set_proxy_password("A", "pw")
    ep = store.endpoint("A")
    assert ep.api_key == KEY
    assert ep.completions() == "https://gw.example/c"
    assert ep.url("models") == "https://relay.example/v1/models"
    assert ep.request_headers()["Authorization"] == f"Bearer {KEY}"
    assert ep.request_headers()["X-Org"] == "o"
    assert ep.proxy == "http://me:pw@127.0.0.1:3128"
    assert (ep.connect_timeout, ep.read_timeout, ep.verify) == (3.0, 9.0, False)
    assert KEY not in repr(ep)
    with pytest.raises(ConfigError):
        store.endpoint("nope")


def test_proxy_credentials_reach_the_proxy(store: ProviderStore, server: TestServer) -> None:
    with HTTPProxy() as proxy:
        store.add(Provider("P", server.base_url, proxy=proxy.url, proxy_user="me"))
        store.set_proxy_password("P", PROXY_PASSWORD)
        models = call(store.endpoint("P"), "list_models")
        assert [m.id for m in models] == ["mock-1", "mock-2"]
        assert proxy.seen == [f"GET {server.base_url}/models HTTP/1.1"]
    expected = base64.b64encode(f"me:{PROXY_PASSWORD}".encode()).decode()
    assert server.last.headers["proxy-authorization"] == f"Basic {expected}"


# -- templates -------------------------------------------------------------------------------------

TEMPLATES = {
    "OpenAI": "https://api.openai.com/v1",
    "OneChat": "https://chatapi.onechat.fun/v1",
    "薛定猫 (xuedingmao)": "https://xuedingmao.online/v1",
    "Ninhao": "https://api.ninhao.cc/v1",
    "gptacg": "https://api.gptacg.top/v1",
    "llama.cpp (local)": "http://127.0.0.1:8080/v1",
    "Ollama (local)": "http://127.0.0.1:11434/v1",
    "vLLM (local)": "http://127.0.0.1:8000/v1",
    "LM Studio (local)": "http://127.0.0.1:1234/v1",
}


def test_the_nine_templates() -> None:
    templates = load_templates()
    assert {t.name: t.base_url for t in templates} == TEMPLATES
    assert len(templates) == 9
    for t in templates:
        assert t.template == t.name
        assert t.problems() == []
        assert t.final_url() == t.base_url + "/completions"
        assert t.headers == {}
        assert not t.key_env


def test_the_template_file_holds_no_secret_fields() -> None:
    from app.core.resources import resources_dir

    data = json.loads((resources_dir() / "providers.json").read_text(encoding="utf-8"))
    for item in data["providers"]:
        assert not [k for k in item if "key" in k.lower() or "password" in k.lower()]


def test_unreadable_templates_raise(tmp_path: Path) -> None:
    bad = tmp_path / "providers.json"
    bad.write_text('{"providers": 3}')
    with pytest.raises(ConfigError):
        load_templates(bad)
    with pytest.raises(ConfigError):
        load_templates(tmp_path / "missing.json")


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


def test_key_header_sends_the_key_as_is() -> None:
    from app.core.providers import Provider

    p = Provider("Azure-ish", "https://x.example/v1", key_header="api-key")
    headers = p.endpoint("k-123").request_headers()
    assert headers["api-key"] == "k-123"
    assert "Authorization" not in headers
    assert (
        Provider("Plain", "https://x.example/v1").endpoint("k").request_headers()["Authorization"]
        == "Bearer k"
    )


def test_credential_headers_are_a_problem() -> None:
    from app.core.providers import Provider

    p = Provider("P", "https://x.example/v1", headers={"X-Api-Key": "secret", "X-Org": "o"})
    problems = p.problems()
    assert len(problems) == 1
    assert "X-Api-Key" in problems[0]
    assert Provider("P", "https://x.example/v1", key_header="bad header").problems() == [
        "key header: not a valid header name"
    ]


def test_a_refusing_keyring_is_an_error_not_a_missing_key(tmp_path) -> None:  # noqa: ANN001
    from app.core.errors import ConfigError
    from app.core.keystore import KeyStoreError, MemoryKeyStore
    from app.core.providers import Provider, ProviderStore

    class LockedKeyring(MemoryKeyStore):
        def get(self, name: str) -> str | None:
            raise KeyStoreError("Failed to unlock the collection!")

    store = ProviderStore(tmp_path, LockedKeyring())
    store.add(Provider("Relay", "https://relay.example/v1"))
    assert store.stored_key("Relay") is None  # the UI's hint may say "no key"...
    with pytest.raises(ConfigError, match="keyring refused.*Failed to unlock"):
        store.endpoint("Relay")  # ...but a run never goes out silently without it
