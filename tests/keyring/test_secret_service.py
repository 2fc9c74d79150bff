"""Keys in a real Secret Service: stored, read, replaced and deleted, and never anywhere else.

Every entry is checked twice: through the app's own KeyStore and with ``secret-tool`` (libsecret),
an independent reader of the same service, so a key that only lived in our process would show.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app.core.client import CompletionClient, TextDelta
from app.core.endpoint import make_http_client
from app.core.keystore import SERVICE, KeyringKeyStore
from app.core.params import CompletionRequest
from app.core.provider_store import PROXY_SUFFIX, ProviderStore
from app.core.providers import Provider
from promptpad_testing.server import TestServer, openai_error

pytestmark = pytest.mark.keyring

ROOT = Path(__file__).resolve().parents[2]


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def new_key() -> str:
    return f"sk-pp-{uuid.uuid4().hex}"


def secret_tool(name: str) -> str | None:
    """The secret stored for ``name`` under service "Promptpad", read by libsecret's CLI."""
    r = subprocess.run(
        ["secret-tool", "lookup", "service", SERVICE, "username", name],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return r.stdout if r.returncode == 0 else None


def files_holding(root: Path, secret: str) -> list[Path]:
    needle = secret.encode("utf-8")
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROMPTPAD_HOME": str(home)}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )


def test_keystore_store_read_replace_delete() -> None:
    ks = KeyringKeyStore()
    assert ks.available()
    assert "SecretService" in ks.describe()
    name, key = unique("Relay"), new_key()
    assert ks.get(name) is None
    ks.set(name, key)
    assert ks.get(name) == key
    assert secret_tool(name) == key
    assert KeyringKeyStore().get(name) == key  # another instance: the keyring, not our memory
    replaced = "sk-替换-" + uuid.uuid4().hex  # non-ASCII survives the round trip
    ks.set(name, replaced)
    assert ks.get(name) == replaced
    assert secret_tool(name) == replaced
    ks.delete(name)
    assert ks.get(name) is None
    assert secret_tool(name) is None
    ks.delete(name)  # deleting what is not there is no error


def test_provider_store_keeps_secrets_in_the_keyring(tmp_path: Path) -> None:
    store = ProviderStore(tmp_path, KeyringKeyStore())
    assert store.keyring_available
    old, new = unique("Relay"), unique("Renamed")
    key, password = new_key(), "pw-" + uuid.uuid4().hex
    store.add(
        Provider(old, "https://relay.example/v1", proxy="http://127.0.0.1:3128", proxy_user="u")
    )
    assert store.set_key(old, key) == "keyring"
    assert store.set_proxy_password(old, password) == "keyring"
    assert store._session == {}
    assert secret_tool(old) == key
    assert secret_tool(old + PROXY_SUFFIX) == password

    # The next start of the app (a new store) finds the key in the keyring.
    assert ProviderStore(tmp_path, KeyringKeyStore()).stored_key(old) == key

    replacement = new_key()
    assert store.set_key(old, replacement) == "keyring"
    assert secret_tool(old) == replacement

    store.update(old, Provider(new, "https://relay.example/v1", proxy_user="u"))
    assert secret_tool(old) is None
    assert secret_tool(old + PROXY_SUFFIX) is None
    assert secret_tool(new) == replacement
    assert secret_tool(new + PROXY_SUFFIX) == password

    copy = store.duplicate(new)
    assert secret_tool(copy.name) == replacement

    for name in (new, copy.name):
        store.delete(name)
        assert secret_tool(name) is None
        assert secret_tool(name + PROXY_SUFFIX) is None
    assert files_holding(tmp_path, key) == []
    assert files_holding(tmp_path, replacement) == []
    assert files_holding(tmp_path, password) == []


def test_a_scripted_session_leaves_the_key_only_in_the_keyring(
    tmp_path: Path, server: TestServer
) -> None:
    home = tmp_path / "home"
    name, key = unique("Relay"), new_key()
    other, proxy_password = unique("Proxied"), "pw-" + uuid.uuid4().hex
    secrets = (key, proxy_password)

    # 1. Create profiles with their secrets, as the provider manager does.
    store = ProviderStore(home, KeyringKeyStore())
    store.add(Provider(name, server.base_url, default_model="mock-1", headers={"X-Org": "o"}))
    assert store.set_key(name, key) == "keyring"
    store.add(
        Provider(other, "https://relay.example/v1", proxy="http://127.0.0.1:9", proxy_user="u")
    )
    assert store.set_proxy_password(other, proxy_password) == "keyring"
    store.selected = name
    store.save()

    # 2. A completion in this process, with the app's log file at DEBUG (httpx, httpcore too).
    log_file = home / "promptpad.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        text = asyncio.run(_stream(store, name))
        logging.getLogger("promptpad").info("endpoint %r", store.endpoint(name))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    assert text == "This is a test."
    assert server.last.headers["authorization"] == f"Bearer {key}"
    assert "httpx" in log_file.read_text(encoding="utf-8")  # the log did record the run

    # 3. The CLI, in its own process, with the same profile and keyring.
    outputs: list[str] = []
    r = cli(home, "complete", "--provider", name, "--prompt", "hi", "--verbose")
    outputs += [r.stdout, r.stderr]
    assert r.returncode == 0, r.stderr
    assert r.stdout == "This is a test.\n"
    assert server.last.headers["authorization"] == f"Bearer {key}"
    assert server.last.json()["model"] == "mock-1"

    r = cli(home, "models", "--provider", name, "--json")
    outputs += [r.stdout, r.stderr]
    assert r.returncode == 0, r.stderr
    assert server.last.headers["authorization"] == f"Bearer {key}"

    server.queue(openai_error("Incorrect API key provided.", 401))
    r = cli(home, "complete", "--provider", name, "--prompt", "hi", "--json", "--verbose")
    outputs += [r.stdout, r.stderr]
    assert r.returncode == 1
    assert "HTTP 401" in r.stderr

    r = cli(home, "providers", "--json")
    outputs += [r.stdout, r.stderr]
    rows = {row["name"]: row for row in map(json.loads, r.stdout.splitlines())}
    assert rows[name]["key_stored"] is True
    assert rows[name]["selected"] is True
    assert rows[other]["key_stored"] is False

    # 4. Export (and import back) the profiles.
    exported = home / "exported-providers.json"
    assert store.export(exported) == 2
    imported = ProviderStore(home / "imported", KeyringKeyStore())
    assert imported.import_file(exported) == [name, other]
    assert imported.stored_key(name) == key  # same name, same keyring entry: nothing copied

    # 5. The key is in the keyring, and in no file under PROMPTPAD_HOME, log or output.
    assert secret_tool(name) == key
    assert secret_tool(other + PROXY_SUFFIX) == proxy_password
    assert sorted(p.name for p in home.iterdir()) == [
        "exported-providers.json",
        "imported",
        "promptpad.log",
        "providers.json",
    ]
    for secret in secrets:
        assert files_holding(home, secret) == []
        for text in outputs:
            assert secret not in text

    for n in (name, other):
        store.delete(n)
    assert secret_tool(name) is None


async def _stream(store: ProviderStore, name: str) -> str:
    async with make_http_client() as http:
        client = CompletionClient(http, store.endpoint(name))
        request = CompletionRequest(model="mock-1", prompt="Say this is a test")
        return "".join([e.text async for e in client.stream(request) if isinstance(e, TextDelta)])
