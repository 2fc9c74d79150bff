"""Whatever bytes a server sends, the client yields events or raises a CompletionError: never
anything else, never a hang (the app must not crash on anything a server sends).

The values include what broke it before: NaN and ±Infinity, integers of hundreds of digits,
1e308, lone surrogate escapes (``"\\ud800"``), and JSON nested thousands of levels deep.
tests/ui/test_hostile_server.py feeds the same values to the window."""

from __future__ import annotations

import asyncio
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.client import CompletionClient, TextDelta
from app.core.endpoint import Endpoint, make_http_client
from app.core.errors import CompletionError
from app.core.params import CompletionRequest
from promptpad_testing.server import Reply, TestServer

SERVER = TestServer()
SERVER.start()

# Any code point, lone surrogates included (json.dumps writes them as \\udXXX escapes).
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_text = st.text(surrogates | st.characters(), max_size=8)
huge_numbers = st.sampled_from([10**400, -(10**400), 2**31, 2**63, 1e308, -1e308, 5e-324])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and ±Infinity included: json.dumps writes them, json.loads reads them
    | huge_numbers
    | any_text,
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


def deep_json(depth: int) -> bytes:
    return b'{"choices":' + b"[" * depth + b"]" * depth + b"}"


lines = st.one_of(
    chunk_like.map(lambda o: b"data: " + json.dumps(o).encode() + b"\n\n"),
    st.integers(min_value=60, max_value=5000).map(lambda d: b"data: " + deep_json(d) + b"\n\n"),
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
            b"\xef\xbb\xbf",
            b'data: {"choices":[{"text":"a\\ud800b","index":0}]}\n\n',
            b'data: {"choices":[{"text":"x","index":2147483648}]}\n\n',
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
            ev.text.encode("utf-8")  # no lone surrogate: printable, storable, shown by Qt
            assert ev.index == 0  # n is 1: no other index reaches a caller


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


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=200, max_value=599),
    st.one_of(json_values.map(json.dumps), st.integers(60, 5000).map(lambda d: "[" * d + "]" * d)),
)
def test_any_json_in_an_error_body_or_whole_reply(status: int, text: str) -> None:
    if status in (204, 304):
        status = 200
    events = run_once(Reply(status, [("Content-Type", "application/json")], [text.encode()]))
    assert events
    for ev in events:
        if isinstance(ev, CompletionError):
            ev.describe().encode("utf-8")  # printable: no lone surrogate
        if isinstance(ev, TextDelta):
            ev.text.encode("utf-8")
