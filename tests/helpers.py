"""Helpers shared by the core and integration tests: run the real client on a fresh AsyncClient."""

from __future__ import annotations

import asyncio
from typing import Any

from app.core.client import CompletionClient, Event
from app.core.endpoint import Endpoint, make_http_client
from app.core.params import CompletionRequest


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _collect(endpoint: Endpoint, request: CompletionRequest) -> list[Event]:
    async with make_http_client() as http:
        return [e async for e in CompletionClient(http, endpoint).stream(request)]


def collect(endpoint: Endpoint, request: CompletionRequest) -> list[Event]:
    """Every event of one streamed run, on a fresh HTTP client (raises its CompletionError)."""
    return run(_collect(endpoint, request))


async def _call(endpoint: Endpoint, method: str, *args: Any) -> Any:
    async with make_http_client() as http:
        return await getattr(CompletionClient(http, endpoint), method)(*args)


def call(endpoint: Endpoint, method: str, *args: Any) -> Any:
    """One client call (complete, list_models, retrieve_model) on a fresh HTTP client."""
    return run(_call(endpoint, method, *args))
