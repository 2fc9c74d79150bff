"""Fixtures for the core tests: a real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.core.params import CompletionRequest
from app.testserver import TestServer
from tests.helpers import call, collect, run  # noqa: F401 - re-exported for the tests


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


def req(**kw: Any) -> CompletionRequest:
    kw.setdefault("model", "mock-1")
    kw.setdefault("prompt", "Say this is a test")
    return CompletionRequest(**kw)
