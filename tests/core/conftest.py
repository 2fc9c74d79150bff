"""Fixtures for the core tests: a real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.keystore import MemoryKeyStore
from app.core.params import CompletionRequest
from app.core.provider_store import ProviderStore
from promptpad_testing.server import TestServer
from tests.helpers import call, collect, run  # noqa: F401 - re-exported for the tests


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


def req(**kw: Any) -> CompletionRequest:
    kw.setdefault("model", "mock-1")
    kw.setdefault("prompt", "Say this is a test")
    return CompletionRequest(**kw)


@pytest.fixture
def keys() -> MemoryKeyStore:
    """An in-memory KeyStore (the provider tests' keyring)."""
    return MemoryKeyStore()


@pytest.fixture
def store(tmp_path: Path, keys: MemoryKeyStore) -> ProviderStore:
    """A ProviderStore in a fresh home on ``keys``."""
    return ProviderStore(tmp_path / "home", keys)
