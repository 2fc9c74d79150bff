"""Shared pieces of the llama.cpp integration tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.client import RunDone, TextDelta, TokenLogprob
from app.core.errors import CompletionError
from app.core.params import CompletionRequest
from tests.integration.conftest import PROMPT, LlamaServer

REPO = Path(__file__).resolve().parents[2]


def req(server: LlamaServer, **kw: Any) -> CompletionRequest:
    kw.setdefault("model", server.model_id)
    kw.setdefault("prompt", PROMPT)
    kw.setdefault("max_tokens", 8)
    kw.setdefault("temperature", 0)
    return CompletionRequest(**kw)


def deltas(events: list[Any]) -> list[TextDelta]:
    return [e for e in events if isinstance(e, TextDelta)]


def texts_by_index(events: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for e in deltas(events):
        out[e.index] = out.get(e.index, "") + e.text
    return out


def done_of(events: list[Any]) -> RunDone:
    assert isinstance(events[-1], RunDone)
    assert sum(isinstance(e, RunDone) for e in events) == 1
    return events[-1]


def failure(fn: Any, *args: Any) -> CompletionError:
    with pytest.raises(CompletionError) as info:
        fn(*args)
    return info.value


def assert_logprob(tok: TokenLogprob) -> None:
    assert isinstance(tok.token, str)
    assert tok.token
    assert isinstance(tok.logprob, float)
    assert tok.logprob <= 0.0
    assert tok.top, "top alternatives are present"
    assert all(isinstance(v, float) and v <= 0.0 for v in tok.top.values())
    # The sampled token is among the alternatives, with its own logprob.
    assert tok.top[tok.token] == tok.logprob
    assert isinstance(tok.offset, int)
