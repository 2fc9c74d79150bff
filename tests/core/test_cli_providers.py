"""``--provider`` and ``promptpad providers``: the CLI on saved profiles, as a real subprocess.

Profiles are written by a ProviderStore in ``$PROMPTPAD_HOME`` (a tmp dir). The subprocess's
keyring is ``tests.core.fake_keyring.FileKeyring``, a test double of the OS keychain that keeps
its entries in a JSON file *outside* ``PROMPTPAD_HOME`` (see that module); the real Secret Service
is exercised by tests/keyring.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import certifi
import pytest

from app.core.keystore import SERVICE, MemoryKeyStore
from app.core.provider_store import PROXY_SUFFIX, ProviderStore
from app.core.providers import Provider
from promptpad_testing.server import TestServer
from tests.core.fake_keyring import FILE_ENV, FileKeyring
from tests.core.proxies import HTTPProxy

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-pp-cli-7f3a9c21e5d04b68"
NO_KEYRING = "keyring.backends.null.Keyring"


@dataclass
class Setup:
    home: Path
    keyring_file: Path
    store: ProviderStore

    @property
    def keyring(self) -> FileKeyring:
        return FileKeyring(self.keyring_file)

    def add(self, provider: Provider, key: str | None = None) -> Provider:
        p = self.store.add(provider)
        if key is not None:
            self.keyring.set_password(SERVICE, p.name, key)
        return p

    def cli(
        self, *args: str, env: dict[str, str] | None = None, backend: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PROMPTPAD_HOME": str(self.home),
            "PYTHON_KEYRING_BACKEND": backend or "tests.core.fake_keyring.FileKeyring",
            FILE_ENV: str(self.keyring_file),
            **(env or {}),
        }
        r = subprocess.run(
            [sys.executable, "-m", "app", *args],
            input="",
            capture_output=True,
            text=True,
            env=full_env,
            timeout=60,
            cwd=ROOT,
        )
        assert "Traceback" not in r.stderr, r.stderr
        return r

    def files_holding(self, secret: str) -> list[Path]:
        needle = secret.encode()
        return [p for p in self.home.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    home = tmp_path / "home"
    # The test's own view of the profiles; its KeyStore is unused (keys go to the file keyring).
    return Setup(home, tmp_path / "keychain.json", ProviderStore(home, MemoryKeyStore()))


def test_complete_with_a_provider_and_its_stored_key(setup: Setup, server: TestServer) -> None:
    profile = Provider("Relay", server.base_url, default_model="gpt-x", headers={"X-Org": "o"})
    setup.add(profile, KEY)
    before = setup.store.path.read_bytes()
    r = setup.cli("complete", "--provider", "Relay", "--prompt", "hi", "--max-tokens", "2")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "This is\n"
    assert server.last.method == "POST"
    assert server.last.path == "/v1/completions"
    assert server.last.headers["authorization"] == f"Bearer {KEY}"
    assert server.last.headers["x-org"] == "o"
    assert server.last.json() == {"model": "gpt-x", "prompt": "hi", "max_tokens": 2, "stream": True}
    assert r.stderr == ""
    assert KEY not in r.stdout + r.stderr
    assert setup.files_holding(KEY) == []
    assert setup.store.path.read_bytes() == before  # the CLI only reads profiles


def test_models_with_a_provider(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", server.base_url), KEY)
    r = setup.cli("models", "--provider", "Relay")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["mock-1", "mock-2"]
    assert server.last.path == "/v1/models"
    assert server.last.headers["authorization"] == f"Bearer {KEY}"
    r = setup.cli("models", "--provider", "Relay", "--json")
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["mock-1", "mock-2"]


def test_flags_override_the_profile(setup: Setup, server: TestServer, tmp_path: Path) -> None:
    with TestServer() as dead:
        dead_url = dead.base_url  # nothing listens here any more
    setup.add(
        Provider(
            "Relay",
            dead_url,
            completions_url=dead_url + "/completions",
            default_model="profile-model",
            headers={"X-Org": "profile", "X-Keep": "k"},
            read_timeout=0.001,
            ca_bundle=str(tmp_path / "gone.pem"),  # a problem, unless --ca-bundle replaces it
        ),
        KEY,
    )
    ca = certifi.where()  # a CA bundle that loads (the server itself is plain http)
    r = setup.cli(
        "complete",
        "--provider",
        "Relay",
        "--base-url",
        server.base_url.removesuffix("/v1"),
        "--model",
        "flag-model",
        "--header",
        "x-org: flag",
        "--timeout",
        "30",
        "--ca-bundle",
        ca,
        "--api-key-env",
        "OTHER_KEY",
        "--prompt",
        "hi",
        env={"OTHER_KEY": "sk-from-flag"},
    )
    assert r.returncode == 0, r.stderr
    assert server.last.path == "/v1/completions"
    assert server.last.json()["model"] == "flag-model"
    assert server.last.headers["authorization"] == "Bearer sk-from-flag"
    assert server.last.headers["x-org"] == "flag"
    assert server.last.headers["x-keep"] == "k"
    assert "profile" not in server.last.headers.values()


def test_url_flag_overrides_the_completions_url(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", "http://127.0.0.1:9/v1"))
    r = setup.cli(
        "complete", "--provider", "Relay", "--url", server.base_url + "/engines/x/completions",
        "--model", "m", "--prompt", "hi",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert server.last.path == "/v1/engines/x/completions"
    assert "authorization" not in server.last.headers


def test_profile_proxy_with_its_stored_password_and_the_proxy_flag(
    setup: Setup, server: TestServer
) -> None:
    with HTTPProxy() as profile_proxy, HTTPProxy() as flag_proxy:
        setup.add(Provider("Relay", server.base_url, proxy=profile_proxy.url, proxy_user="me"))
        setup.keyring.set_password(SERVICE, "Relay" + PROXY_SUFFIX, "pw:1")
        r = setup.cli("models", "--provider", "Relay")
        assert r.returncode == 0, r.stderr
        assert len(profile_proxy.seen) == 1
        assert server.last.headers["proxy-authorization"] == "Basic bWU6cHc6MQ=="  # me:pw:1
        r = setup.cli("models", "--provider", "Relay", "--proxy", flag_proxy.url)
        assert r.returncode == 0, r.stderr
        assert len(profile_proxy.seen) == 1
        assert len(flag_proxy.seen) == 1
        assert "proxy-authorization" not in server.last.headers
    assert "pw:1" not in r.stdout + r.stderr


def test_the_profile_key_variable_wins_over_the_stored_key(
    setup: Setup, server: TestServer
) -> None:
    setup.add(Provider("Relay", server.base_url, default_model="m", key_env="RELAY_KEY"), KEY)
    r = setup.cli("complete", "--provider", "Relay", "--prompt", "x", env={"RELAY_KEY": "sk-env"})
    assert r.returncode == 0, r.stderr
    assert server.last.headers["authorization"] == "Bearer sk-env"
    r = setup.cli("complete", "--provider", "Relay", "--prompt", "x", env={"RELAY_KEY": ""})
    assert r.returncode == 0, r.stderr
    assert server.last.headers["authorization"] == f"Bearer {KEY}"
    assert r.stderr == ""


def test_no_keyring_says_so_and_sends_no_key(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", server.base_url, default_model="m"), KEY)
    r = setup.cli("complete", "--provider", "Relay", "--prompt", "x", backend=NO_KEYRING)
    assert r.returncode == 0, r.stderr
    assert "authorization" not in server.last.headers
    assert "no keyring" in r.stderr
    assert "--api-key-env" in r.stderr
    r = setup.cli(
        "complete", "--provider", "Relay", "--prompt", "x", "--api-key-env", "K",
        backend=NO_KEYRING, env={"K": "sk-k"},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert server.last.headers["authorization"] == "Bearer sk-k"
    assert r.stderr == ""


def test_a_key_variable_that_is_not_set_is_mentioned(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", server.base_url, default_model="m", key_env="UNSET_PP_KEY"))
    r = setup.cli("complete", "--provider", "Relay", "--prompt", "x")
    assert r.returncode == 0, r.stderr
    assert "UNSET_PP_KEY" in r.stderr
    assert "authorization" not in server.last.headers


def test_unknown_provider_exits_2_listing_the_known_names(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", server.base_url))
    setup.add(Provider("本地", "http://127.0.0.1:8080/v1"))
    for args in (["complete", "--model", "m", "--prompt", "x"], ["models"]):
        r = setup.cli(*args, "--provider", "Nope")
        assert r.returncode == 2
        assert "no provider called 'Nope'" in r.stderr
        assert "'Relay', '本地'" in r.stderr
    assert server.requests == []


def test_unknown_provider_with_none_saved(setup: Setup) -> None:
    r = setup.cli("models", "--provider", "Nope")
    assert r.returncode == 2
    assert "none saved yet" in r.stderr
    assert "template" not in r.stderr


def test_a_template_name_is_not_a_saved_profile(setup: Setup) -> None:
    r = setup.cli("models", "--provider", "Ninhao")
    assert r.returncode == 2
    assert "no provider called 'Ninhao'" in r.stderr
    assert "built-in template" in r.stderr
    assert "--base-url https://api.ninhao.cc/v1" in r.stderr


def test_main_in_process_with_an_injected_keystore(tmp_path: Path) -> None:
    from io import StringIO

    from app.cli import main

    keys = MemoryKeyStore()
    store = ProviderStore(tmp_path, keys)
    store.add(Provider("Relay", "https://relay.example"))
    store.set_key("Relay", KEY)
    out, err = StringIO(), StringIO()
    code = main(
        ["providers", "--json"],
        stdout=out,
        stderr=err,
        env={"PROMPTPAD_HOME": str(tmp_path)},
        keys=keys,
    )
    assert code == 0, err.getvalue()
    row = json.loads(out.getvalue())
    assert (row["name"], row["key_stored"]) == ("Relay", True)
    assert row["url"] == "https://relay.example/v1/completions"
    assert KEY not in out.getvalue() + err.getvalue()


def test_a_profile_with_problems_sends_nothing(setup: Setup, server: TestServer) -> None:
    setup.add(Provider("Relay", server.base_url, ca_bundle="/no/such/ca.pem", key_env="BAD-NAME"))
    r = setup.cli("complete", "--provider", "Relay", "--model", "m", "--prompt", "x")
    assert r.returncode == 2
    assert "CA bundle: no such file /no/such/ca.pem" in r.stderr
    assert "key variable" in r.stderr
    assert server.requests == []


def test_providers_lists_profiles_and_whether_a_key_is_stored(setup: Setup) -> None:
    setup.add(Provider("Relay", "https://relay.example/v1", default_model="m"), KEY)
    setup.add(Provider("Local", "http://127.0.0.1:8080/v1", key_env="LOCAL_KEY"))
    setup.store.selected = "Local"
    setup.store.save()
    r = setup.cli("providers")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["NAME", "BASE", "URL", "KEY"]
    assert lines[1].split() == ["Relay", "https://relay.example/v1", "stored"]
    assert lines[2].split() == ["Local", "http://127.0.0.1:8080/v1", "none", "(env", "LOCAL_KEY)"]
    assert KEY not in r.stdout + r.stderr

    r = setup.cli("providers", "--json")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows == [
        {
            "name": "Relay",
            "base_url": "https://relay.example/v1",
            "url": "https://relay.example/v1/completions",
            "default_model": "m",
            "key_stored": True,
            "key_env": "",
            "selected": False,
        },
        {
            "name": "Local",
            "base_url": "http://127.0.0.1:8080/v1",
            "url": "http://127.0.0.1:8080/v1/completions",
            "default_model": "",
            "key_stored": False,
            "key_env": "LOCAL_KEY",
            "selected": True,
        },
    ]
    assert KEY not in r.stdout + r.stderr


def test_providers_without_a_keyring(setup: Setup) -> None:
    setup.add(Provider("Relay", "https://relay.example/v1"), KEY)
    r = setup.cli("providers", "--json", backend=NO_KEYRING)
    assert r.returncode == 0
    assert json.loads(r.stdout)["key_stored"] is None
    assert "no keyring" in r.stderr
    r = setup.cli("providers", backend=NO_KEYRING)
    assert r.stdout.splitlines()[1].split() == ["Relay", "https://relay.example/v1", "unknown"]


def test_providers_with_none_saved(setup: Setup) -> None:
    r = setup.cli("providers")
    assert r.returncode == 0
    assert r.stdout == ""
    assert "no saved providers" in r.stderr
    assert "--templates" in r.stderr


def test_providers_templates(setup: Setup) -> None:
    r = setup.cli("providers", "--templates")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 10  # a header and the nine templates
    assert "https://chatapi.onechat.fun/v1" in r.stdout
    assert "薛定猫 (xuedingmao)" in r.stdout
    r = setup.cli("providers", "--templates", "--json")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["name"] for x in rows][:2] == ["OpenAI", "OneChat"]
    assert {x["name"]: x["base_url"] for x in rows}["Ninhao"] == "https://api.ninhao.cc/v1"
    assert {x["name"]: x["default_model"] for x in rows}["Ninhao"] == "text-davinci-003"
    assert not (setup.home / "providers.json").exists()
