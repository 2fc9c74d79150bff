"""Base URLs as people type them, headers, and the route settings."""

from __future__ import annotations

import asyncio

import pytest

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint, normalize_base_url, parse_header
from app.core.errors import ConfigError
from app.core.events import ModelInfo
from app.core.transport import make_http_client
from promptpad_testing.server import TestServer, json_reply


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("https://api.openai.com/v1", "https://api.openai.com/v1"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1"),
        ("https://api.openai.com", "https://api.openai.com/v1"),
        ("https://api.openai.com/", "https://api.openai.com/v1"),
        ("  https://chatapi.onechat.fun/v1/completions ", "https://chatapi.onechat.fun/v1"),
        ("https://xuedingmao.online/v1/chat/completions", "https://xuedingmao.online/v1"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1"),
        ("api.ninhao.cc", "https://api.ninhao.cc/v1"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
        ("localhost:11434/v1", "http://localhost:11434/v1"),
        ("http://host/custom/prefix/", "http://host/custom/prefix"),
    ],
)
def test_normalize_base_url(typed: str, normal: str) -> None:
    assert normalize_base_url(typed) == normal


@pytest.mark.parametrize("bad", ["", "   ", "ftp://x/v1", "http://"])
def test_bad_base_urls(bad: str) -> None:
    with pytest.raises(ConfigError):
        normalize_base_url(bad)


def test_completions_url_and_override() -> None:
    assert Endpoint("https://h/").completions() == "https://h/v1/completions"
    assert Endpoint("https://h", completions_url="https://x/y/z").completions() == "https://x/y/z"
    with pytest.raises(ConfigError):
        Endpoint("https://h", completions_url="x/y").completions()


def test_headers_and_key() -> None:
    ep = Endpoint("https://h", api_key="sk-1", headers={"X-Org": "o"})
    assert ep.request_headers()["Authorization"] == "Bearer sk-1"
    assert ep.request_headers()["X-Org"] == "o"
    assert "Authorization" not in Endpoint("https://h").request_headers()
    assert "sk-1" not in repr(ep)


def test_parse_header() -> None:
    assert parse_header("X-A:  b: c ") == ("X-A", "b: c")
    with pytest.raises(ValueError, match="Name: value"):
        parse_header("nocolon")


def test_a_query_string_in_the_base_url_stays_at_the_end() -> None:
    ep = Endpoint("https://relay.example/v1?group=vip&x=1")
    assert ep.completions() == "https://relay.example/v1/completions?group=vip&x=1"
    assert ep.url("models") == "https://relay.example/v1/models?group=vip&x=1"
    assert Endpoint("https://relay.example?x=1").completions() == (
        "https://relay.example/v1/completions?x=1"
    )


def test_a_query_string_reaches_the_server(server: TestServer) -> None:
    server.queue(json_reply({"object": "list", "data": [{"id": "m"}]}))
    ep = Endpoint(server.base_url + "?group=vip")
    models = asyncio.run(_models(ep))
    assert [m.id for m in models] == ["m"]
    assert server.last.path == "/v1/models?group=vip"


async def _models(ep: Endpoint) -> list[ModelInfo]:
    async with make_http_client() as http:
        return await CompletionClient(http, ep).list_models()
