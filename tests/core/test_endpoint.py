"""Base URLs as people type them, headers, and the route settings."""

from __future__ import annotations

import pytest

from app.core.endpoint import Endpoint, normalize_base_url, parse_header
from app.core.errors import ConfigError


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
