"""Provider profiles and their store: editing, problems, URLs, proxies, headers, templates."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path

import pytest

from app.core.errors import ConfigError
from app.core.keystore import MemoryKeyStore
from app.core.provider_store import PROXY_SUFFIX, ProviderStore
from app.core.providers import (
    Provider,
    headers_from_text,
    headers_to_text,
    load_templates,
    proxy_url,
)
from promptpad_testing.server import TestServer
from tests.core.conftest import call
from tests.core.provider_support import (
    KEY,
    PROXY_PASSWORD,
    relay,
)
from tests.core.proxies import HTTPProxy

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


def test_a_header_whose_value_is_a_credential_is_refused_whatever_its_name() -> None:
    # Headers are saved as plain text; a "Bearer …" value is a key even under a bland name.
    p = dataclasses.replace(relay(), headers={"X-Custom": "Bearer sk-live-0123456789"})
    problems = p.problems()
    assert any("X-Custom" in text for text in problems)
    assert not any("sk-live" in text for text in problems)  # the value is never repeated
    assert dataclasses.replace(relay(), headers={"X-Custom": "plain"}).problems() == []
