"""Whatever bytes a server sends, the client yields events or raises a CompletionError: never
anything else, never a hang (the app must not crash on anything a server sends)."""

from __future__ import annotations

import asyncio
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.client import CompletionClient, TextDelta
from app.core.endpoint import Endpoint, make_http_client
from app.core.errors import CompletionError
from app.core.params import CompletionRequest
from app.testserver import Reply, TestServer

SERVER = TestServer()
SERVER.start()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
# Chunks that look like completions but with any value in any slot.
chunk_like = st.fixed_dictionaries(
    {
        "choices": st.lists(
            st.dictionaries(
                st.sampled_from(["text", "index", "finish_reason", "logprobs", "delta"]),
                json_values,
                max_size=5,
            ),
            max_size=3,
        )
    },
    optional={"usage": json_values, "error": json_values, "id": json_values, "model": json_values},
)
lines = st.one_of(
    chunk_like.map(lambda o: b"data: " + json.dumps(o).encode() + b"\n\n"),
    st.sampled_from(
        [
            b"data: [DONE]\n\n",
            b": ping\n\n",
            b"event: error\n",
            b"\r\n",
            b"\n",
            b"data: {\n",
            b"id: 1\n",
            b"retry: x\n",
        ]
    ),
    st.binary(max_size=40),
)


def run_once(reply: Reply) -> list[object]:
    SERVER.queue(reply)

    async def go() -> list[object]:
        async with make_http_client() as http:
            client = CompletionClient(http, Endpoint(SERVER.base_url, read_timeout=5))
            events: list[object] = []
            try:
                async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
                    events.append(ev)
            except CompletionError as exc:
                events.append(exc)
            return events

    return asyncio.run(asyncio.wait_for(go(), 20))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=12), st.booleans())
def test_any_stream_body_gives_events_or_a_typed_error(parts: list[bytes], sse: bool) -> None:
    ctype = "text/event-stream" if sse else "application/json"
    events = run_once(Reply(headers=[("Content-Type", ctype)], writes=parts or [b""]))
    assert events  # something: the events, or the typed error
    for ev in events:
        if isinstance(ev, TextDelta):
            assert isinstance(ev.text, str)
            assert isinstance(ev.index, int)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=100, max_value=599), st.binary(max_size=200))
def test_any_status_and_body(status: int, body: bytes) -> None:
    if status in (101, 204, 304) or status < 200:
        status = 200  # statuses that cannot carry a body: the body case is covered by 200
    events = run_once(Reply(status, [("Content-Type", "application/json")], [body]))
    assert events
    if status >= 400:
        assert isinstance(events[-1], CompletionError)
        assert events[-1].status == status
