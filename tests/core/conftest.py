"""Fixtures for the core tests: a real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.client import CompletionClient, Event
from app.core.endpoint import Endpoint, make_http_client
from app.core.params import CompletionRequest
from app.testserver import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _collect(endpoint: Endpoint, request: CompletionRequest) -> list[Event]:
    async with make_http_client() as http:
        return [e async for e in CompletionClient(http, endpoint).stream(request)]


def collect(endpoint: Endpoint, request: CompletionRequest) -> list[Event]:
    """Every event of one streamed run (raises the run's CompletionError)."""
    return run(_collect(endpoint, request))


async def _call(endpoint: Endpoint, method: str, *args: Any) -> Any:
    async with make_http_client() as http:
        return await getattr(CompletionClient(http, endpoint), method)(*args)


def call(endpoint: Endpoint, method: str, *args: Any) -> Any:
    return run(_call(endpoint, method, *args))


def req(**kw: Any) -> CompletionRequest:
    kw.setdefault("model", "mock-1")
    kw.setdefault("prompt", "Say this is a test")
    return CompletionRequest(**kw)
