"""The services object: the home's stores, the key store, and work that waits for the client."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.keystore import MemoryKeyStore
from app.core.providers import Provider
from app.core.services import Services
from app.core.transport import make_http_client
from promptpad_testing.server import TestServer, json_reply


def test_the_stores_live_under_the_home(tmp_path: Path) -> None:
    keys = MemoryKeyStore()
    services = Services(tmp_path, keys)
    services.providers.add(Provider("Local", "http://127.0.0.1:1/v1"))
    assert (tmp_path / "providers.json").exists()
    assert services.store.home == tmp_path
    assert services.history_path == tmp_path / "history.sqlite3"
    assert services.keys is keys
    assert services.http is None


def test_work_asked_before_the_client_runs_when_it_arrives_in_order(
    tmp_path: Path, server: TestServer
) -> None:
    server.queue(json_reply({"object": "list", "data": [{"id": "m-1"}]}))
    services = Services(tmp_path, MemoryKeyStore())
    seen: list[str] = []
    services.when_online(lambda http: seen.append("first"))
    services.when_online(lambda http: seen.append("second"))
    assert seen == []
    assert services.waiting == 2

    async def go() -> list[str]:
        models: list[str] = []
        async with make_http_client() as http:
            services.when_online(lambda h: seen.append("third"))  # still waiting: no client
            services.attach_http(http)
            services.when_online(lambda h: seen.append("now"))  # the client is here: at once
            client = CompletionClient(http, Endpoint(server.base_url))
            models = [m.id for m in await client.list_models()]
        return models

    assert asyncio.run(go()) == ["m-1"]
    assert seen == ["first", "second", "third", "now"]
    assert services.waiting == 0


def test_the_client_handed_to_waiting_work_is_the_attached_one(tmp_path: Path) -> None:
    services = Services(tmp_path, MemoryKeyStore())
    got: list[httpx.AsyncClient] = []
    services.when_online(got.append)
    client = httpx.AsyncClient()
    services.attach_http(client)
    assert got == [client]
    assert services.http is client
    asyncio.run(client.aclose())
