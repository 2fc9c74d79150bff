"""What a hostile or broken server sends, against the real client on a loopback server.

Each reply here once gave a traceback (RecursionError, UnicodeEncodeError, OverflowError), lost
text without a word, or hung: now it gives events or a typed CompletionError, and says what it
skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.client import CompletionClient, Finished, RunDone, Skipped, TextDelta
from app.core.endpoint import Endpoint, make_http_client
from app.core.errors import CompletionError, ProtocolError, RequestTimeout
from app.core.params import CompletionRequest
from promptpad_testing.server import Reply, TestServer, chunk_obj, json_reply, sse, text_reply
from tests.core.conftest import call, collect, req, run

SSE = [("Content-Type", "text/event-stream")]
DEEP = 5000  # far past Python's recursion limit (1,000)
ROOT = Path(__file__).resolve().parents[2]


def cli_complete(server: TestServer) -> subprocess.CompletedProcess[str]:
    """``promptpad complete`` as a real process: a real stdout that must encode what it gets."""
    return subprocess.run(
        [sys.executable, "-m", "app", "complete", "--base-url", server.base_url]
        + ["--model", "m", "--prompt", "p"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        cwd=ROOT,
    )


def deep(n: int = DEEP) -> str:
    return "[" * n + "]" * n


def texts(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def skipped(events: list) -> list[Skipped]:
    return [e for e in events if isinstance(e, Skipped)]


# -- 13: nothing a server sends raises anything but a CompletionError -------------------------


@pytest.mark.parametrize("where", ["chunk", "text", "logprobs", "error"])
def test_deeply_nested_chunk_is_skipped_not_a_recursion_error(
    server: TestServer, where: str
) -> None:
    bad = {
        "chunk": deep(),
        "text": '{"choices":[{"text":' + deep() + ',"index":0}]}',
        "logprobs": '{"choices":[{"text":"x","index":0,"logprobs":' + deep() + "}]}",
        "error": '{"error":{"message":' + deep() + "}}",
    }[where]
    body = sse([chunk_obj("before ")], done=False) + sse([bad], done=False)
    body += sse([chunk_obj("after")])
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "before after"
    assert len(skipped(events)) == 1
    assert events[-1].skipped == 1


def test_moderately_deep_chunk_is_refused_too(server: TestServer) -> None:
    # 900 levels parse in json.loads, then break the next json.dumps() from a deeper stack.
    body = sse([chunk_obj("a"), '{"choices":' + deep(900) + "}", chunk_obj("b")])
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "ab"
    assert len(skipped(events)) == 1


@pytest.mark.parametrize("status", [400, 500])
def test_deeply_nested_error_body(server: TestServer, status: int) -> None:
    server.queue(text_reply('{"error":{"message":' + deep() + "}}", status, "application/json"))
    with pytest.raises(CompletionError) as info:
        collect(Endpoint(server.base_url), req())
    assert info.value.status == status


def test_deeply_nested_non_streamed_body_and_models(server: TestServer) -> None:
    server.queue(text_reply('{"choices":' + deep() + "}", 200, "application/json"))
    with pytest.raises(ProtocolError):
        call(Endpoint(server.base_url), "complete", req())
    server.queue(text_reply('{"data":' + deep() + "}", 200, "application/json"))
    with pytest.raises(ProtocolError):
        call(Endpoint(server.base_url), "list_models")
    server.queue(text_reply(deep(), 200, "text/event-stream"))  # a JSON-looking "stream"
    with pytest.raises(ProtocolError):
        collect(Endpoint(server.base_url), req())


def test_lone_surrogate_keeps_the_text_around_it(server: TestServer) -> None:
    # \ud800 alone is valid JSON syntax but no character: json.loads gives a str that cannot
    # be written to UTF-8 (stdout, Qt, SQLite). Once through the parsed path, once through
    # the fast path's escape branch (the template is learned from the first chunk).
    body = (
        sse([chunk_obj("one ")], done=False)
        + b'data: {"id":"cmpl-test","object":"text_completion","created":1700000000,'
        b'"model":"mock-1","choices":[{"text":"a\\ud800b ","index":0,"logprobs":null,'
        b'"finish_reason":null}]}\n\n'
        + b'data: {"choices":[{"text":"c\\udfffd \\ud83d\\ude00","index":0}]}\n\n'
        + sse([chunk_obj("", finish="stop")])
    )
    server.queue(Reply(headers=SSE, writes=[body[i : i + 200] for i in range(0, len(body), 200)]))
    events = collect(Endpoint(server.base_url), req())
    text = texts(events)
    assert text == "one a\ufffdb c\ufffdd \U0001f600"
    text.encode("utf-8")  # printable, storable


def test_lone_surrogate_on_the_fast_path(server: TestServer) -> None:
    # One event per write: the second is read by the template, literal and all.
    chunks = [sse([chunk_obj(t)], done=False) for t in ("x", "y")]
    odd = sse([chunk_obj("PLACEHOLDER")], done=False).replace(b"PLACEHOLDER", b"ok\\ud800!")
    server.queue(Reply(headers=SSE, writes=[*chunks, odd, sse([chunk_obj("z")])]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "xyok\ufffd!z"


def test_huge_choice_index_is_skipped_not_allocated(server: TestServer) -> None:
    body = sse(
        [
            chunk_obj("kept "),
            chunk_obj("lost", index=2**31),
            chunk_obj("lost", index=-1),
            chunk_obj("lost", index=2**63),
            chunk_obj("kept", finish="stop"),
        ]
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "kept kept"
    assert {e.index for e in events if isinstance(e, (TextDelta, Finished))} == {0}
    assert len(skipped(events)) == 3
    done = events[-1]
    assert isinstance(done, RunDone)
    assert set(done.texts) == {0}
    assert done.skipped == 3


def test_choice_index_below_n_is_kept(server: TestServer) -> None:
    body = sse([chunk_obj("a", index=0), chunk_obj("b", index=2), chunk_obj("c", index=3)])
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req(n=3))
    assert [(e.index, e.text) for e in events if isinstance(e, TextDelta)] == [(0, "a"), (2, "b")]
    assert events[-1].skipped == 1


def test_huge_index_in_a_non_streamed_reply(server: TestServer) -> None:
    server.queue(
        json_reply(
            {
                "choices": [
                    {"text": "yes", "index": 0, "finish_reason": {"odd": 1}},
                    {"text": "no", "index": 2**31, "finish_reason": "stop"},
                ]
            }
        )
    )
    result = call(Endpoint(server.base_url), "complete", req())
    assert [(c.index, c.text, c.finish_reason) for c in result.choices] == [(0, "yes", None)]


def test_huge_and_non_finite_numbers(server: TestServer) -> None:
    lp = {
        "tokens": ["a", "b", "c", "d"],
        "token_logprobs": [1e308, float("nan"), float("inf"), 10**400],
        "top_logprobs": [{"a": -float("inf")}, {"b": 1e308}, None, {"x": 10**400}],
        "text_offset": [2**70, -1, 0, 1.5],
    }
    usage = {"prompt_tokens": 10**400, "completion_tokens": 2**80, "total_tokens": float("nan")}
    objs = [chunk_obj("abcd", logprobs=lp), chunk_obj("", finish="stop", usage=usage)]
    # json.dumps writes NaN / Infinity / 400-digit integers: the server sends them as such.
    server.queue(Reply(headers=SSE, writes=[sse(objs)]))
    events = collect(Endpoint(server.base_url), req())
    delta = next(e for e in events if isinstance(e, TextDelta))
    # a log probability is at most 0: 1e308 would be exp() → OverflowError in the window
    assert [t.logprob for t in delta.logprobs] == [0.0, None, None, None]
    assert [t.top for t in delta.logprobs] == [{}, {"b": 0.0}, {}, {}]
    assert [t.offset for t in delta.logprobs] == [None, None, 0, None]
    done = events[-1]
    assert done.usage is not None
    assert (done.usage.prompt_tokens, done.usage.completion_tokens) == (None, None)
    assert done.metrics.tokens_per_second is None or done.metrics.tokens_per_second >= 0


def test_models_with_odd_values(server: TestServer) -> None:
    server.queue(
        text_reply(
            '{"data":[{"id":"m\\ud800x","created":1e999},{"id":"ok","created":NaN}]}',
            200,
            "application/json",
        )
    )
    models = call(Endpoint(server.base_url), "list_models")
    assert [(m.id, m.created) for m in models] == [("m\ufffdx", None), ("ok", None)]


def test_cli_survives_hostile_stream(server: TestServer) -> None:
    body = (
        sse([chunk_obj("safe ")], done=False)
        + sse([deep()], done=False)
        + b'data: {"choices":[{"text":"x\\ud800y","index":0}]}\n\n'
        + sse([chunk_obj("z", index=2**31), chunk_obj("!", finish="stop")])
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    r = cli_complete(server)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "safe x\ufffdy!\n"
    assert "Traceback" not in r.stderr
    assert "skipped" in r.stderr  # said, not passed over in silence


# -- 14: the stream's edges -----------------------------------------------------------------


@pytest.mark.parametrize("split", [0, 1, 2, 3, 4])
def test_bom_before_the_first_event_keeps_it(server: TestServer, split: int) -> None:
    body = b"\xef\xbb\xbf" + sse([chunk_obj("first "), chunk_obj("second", finish="stop")])
    writes = [body[:split], body[split:]] if split else [body]
    server.queue(Reply(headers=SSE, writes=writes))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "first second"
    assert not skipped(events)


def test_bom_before_a_plain_json_body(server: TestServer) -> None:
    body = b"\xef\xbb\xbf" + json.dumps({"choices": [{"text": "whole", "index": 0}]}).encode()
    server.queue(Reply(headers=[("Content-Type", "application/json")], writes=[body]))
    assert texts(collect(Endpoint(server.base_url), req())) == "whole"


@pytest.mark.parametrize("one_write", [True, False])
def test_nothing_after_done_is_read(server: TestServer, one_write: bool) -> None:
    after = sse([chunk_obj(" AFTER")], done=False) + b"data: {broken\n\n" + b'data: {"error":1}\n\n'
    events_before = [sse([chunk_obj("text")], done=False), b"data: [DONE]\n\n"]
    writes = [b"".join(events_before) + after] if one_write else [*events_before, after]
    # hang: without stopping at [DONE], the client would wait for the rest of the stream.
    server.queue(Reply(headers=SSE, writes=writes, hang=30))
    events = collect(Endpoint(server.base_url, read_timeout=20), req())
    assert texts(events) == "text"
    assert not skipped(events)
    assert isinstance(events[-1], RunDone)


def test_malformed_chunk_is_counted_in_run_done(server: TestServer) -> None:
    body = sse([chunk_obj("a"), "{not json", chunk_obj("b"), "[1, 2]", chunk_obj("c")])
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "abc"
    assert [s.reason for s in skipped(events)] == [
        "malformed JSON in a stream chunk",
        "a chunk that is not a JSON object",
    ]
    assert events[-1].skipped == 2


def test_cli_reports_a_malformed_chunk_on_stderr(server: TestServer) -> None:
    body = sse([chunk_obj("kept "), "{oops", chunk_obj("too", finish="stop")])
    server.queue(Reply(headers=SSE, writes=[body]))
    r = cli_complete(server)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "kept too\n"
    assert "malformed JSON in a stream chunk" in r.stderr
    assert "text may be missing" in r.stderr


# -- 15: a response head that trickles in -----------------------------------------------------


def test_trickled_head_is_given_up_after_connect_plus_read_timeout(server: TestServer) -> None:
    # About 150 head bytes at 0.2 s each: 30 s. Every single read comes well within the read
    # timeout, so only a deadline on the whole head ends it (at 0.5 + 0.5 s).
    server.queue(Reply(headers=SSE, writes=[sse([chunk_obj("late")])], trickle=0.2))
    with pytest.raises(RequestTimeout) as info:
        collect(Endpoint(server.base_url, connect_timeout=0.5, read_timeout=0.5), req())
    assert "response head" in info.value.message


def test_slow_body_after_a_prompt_head_is_not_cut(server: TestServer) -> None:
    # The head deadline does not cover the body: 4 reads 0.4 s apart, read timeout 1 s, the
    # whole stream longer than connect + read timeout.
    pieces = [sse([chunk_obj(t)], done=False) for t in "abc"] + [b"data: [DONE]\n\n"]
    server.queue(Reply(headers=SSE, writes=pieces, delay=0.4))
    events = collect(Endpoint(server.base_url, connect_timeout=0.1, read_timeout=1), req())
    assert texts(events) == "abc"


# -- 16: a run that does not keep its text ----------------------------------------------------


async def _stream(endpoint: Endpoint, keep: bool) -> list[object]:
    async with make_http_client() as http:
        client = CompletionClient(http, endpoint)
        out: list[object] = []
        try:
            async for ev in client.stream(CompletionRequest(model="m", prompt="p"), keep_text=keep):
                out.append(ev)
        except CompletionError as exc:
            out.append(exc)
        return out


def test_keep_text_false_keeps_no_text(server: TestServer) -> None:
    many = [sse([chunk_obj(f"t{i} ")], done=False) for i in range(50)]
    server.queue(Reply(headers=SSE, writes=[*many, sse([chunk_obj("", finish="stop")])]))
    events = run(_stream(Endpoint(server.base_url), keep=False))
    assert texts(events) == "".join(f"t{i} " for i in range(50))  # all handed out
    assert events[-1].texts == {}  # none kept
    # and a failure still says that text had arrived, without holding it
    server.queue(Reply(headers=SSE, writes=many[:3], reset=True))
    events = run(_stream(Endpoint(server.base_url), keep=False))
    error = events[-1]
    assert isinstance(error, CompletionError)
    assert error.partial == {}
    assert error.received


def test_endless_line_is_refused_not_buffered_forever(server: TestServer) -> None:
    from app.core import sse as sse_module

    block = b"x" * (1 << 20)
    server.queue(Reply(headers=SSE, writes=[b"data: " + block] + [block] * 40))
    with pytest.raises(ProtocolError) as info:
        collect(Endpoint(server.base_url), req())
    assert str(sse_module.MAX_EVENT) in info.value.message


def test_cli_streams_without_keeping_text(server: TestServer) -> None:
    # The CLI asks the core not to keep text: an error then still ends the line it began.
    server.queue(Reply(headers=SSE, writes=[sse([chunk_obj("half")], done=False)], reset=True))
    r = cli_complete(server)
    assert r.returncode != 0
    assert r.stdout == "half\n"
