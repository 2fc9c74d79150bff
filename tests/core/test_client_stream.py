"""stream() against a real loopback server: well-formed streams and every shape relays send."""

from __future__ import annotations

import json

from app.core.client import Finished, RunDone, Skipped, TextDelta, UsageReport
from app.core.endpoint import Endpoint
from promptpad_testing.server import Reply, TestServer, chunk_obj, json_reply, sse, stream_reply
from tests.core.conftest import call, collect, req

SSE = [("Content-Type", "text/event-stream")]


def texts(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_stream_text_request_and_headers(server: TestServer) -> None:
    ep = Endpoint(server.base_url, api_key="sk-test", headers={"X-Relay": "yes"})
    events = collect(ep, req(max_tokens=4, temperature=0))
    assert texts(events) == "This is a test"
    assert isinstance(events[-1], RunDone)
    assert events[-1].finish_reasons == {0: "length"}
    r = server.last
    assert (r.method, r.path) == ("POST", "/v1/completions")
    assert r.headers["authorization"] == "Bearer sk-test"
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-relay"] == "yes"
    assert r.json() == {
        "model": "mock-1",
        "prompt": "Say this is a test",
        "max_tokens": 4,
        "temperature": 0,
        "stream": True,
    }


def test_base_url_forms_all_reach_v1_completions(server: TestServer) -> None:
    root = server.base_url.removesuffix("/v1")
    for typed in (root, root + "/", root + "/v1/", root + "/v1/completions"):
        collect(Endpoint(typed), req())
        assert server.last.path == "/v1/completions", typed


def test_full_url_override(server: TestServer) -> None:
    root = server.base_url.removesuffix("/v1")
    collect(Endpoint("https://ignored.invalid", completions_url=root + "/custom/gen"), req())
    assert server.last.path == "/custom/gen"


def test_no_key_sends_no_authorization(server: TestServer) -> None:
    collect(Endpoint(server.base_url), req())
    assert "authorization" not in server.last.headers


def test_keepalive_comments_between_events(server: TestServer) -> None:
    body = (
        b": keep-alive\n\n"
        + sse([chunk_obj("A")], done=False)
        + b":\n\n: ping\n"
        + sse([chunk_obj("B")])
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    assert texts(collect(Endpoint(server.base_url), req())) == "AB"


def test_crlf_line_endings(server: TestServer) -> None:
    server.queue(stream_reply(["one", " two"], crlf=True))
    assert texts(collect(Endpoint(server.base_url), req())) == "one two"


def test_event_fields_and_multiline_data(server: TestServer) -> None:
    obj = json.dumps(chunk_obj("multi"), indent=1).encode()  # JSON spread over lines
    body = (
        b"event: completion\nid: 1\n"
        + b"".join(b"data: " + ln + b"\n" for ln in obj.split(b"\n"))
        + b"\n"
        + sse([chunk_obj("!")])
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    assert texts(collect(Endpoint(server.base_url), req())) == "multi!"


def test_utf8_split_across_network_reads(server: TestServer) -> None:
    body = sse([chunk_obj("你好，"), chunk_obj("世界🌍")])
    # One write per byte, so multi-byte characters are cut across reads.
    server.queue(Reply(headers=SSE, writes=[body[i : i + 1] for i in range(len(body))]))
    assert texts(collect(Endpoint(server.base_url), req())) == "你好，世界🌍"


def test_missing_done_ends_the_run_at_end_of_stream(server: TestServer) -> None:
    server.queue(stream_reply(["no", " done"], done=False))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "no done"
    assert isinstance(events[-1], RunDone)


def test_last_event_without_blank_line_is_kept(server: TestServer) -> None:
    body = sse([chunk_obj("A")], done=False) + b"data: " + json.dumps(chunk_obj("Z")).encode()
    server.queue(Reply(headers=SSE, writes=[body]))
    assert texts(collect(Endpoint(server.base_url), req())) == "AZ"


def test_plain_json_reply_to_a_stream_request(server: TestServer) -> None:
    server.queue(
        json_reply(
            {
                "id": "x",
                "object": "text_completion",
                "model": "m",
                "choices": [{"text": "whole", "index": 0, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
            }
        )
    )
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "whole"
    assert any(isinstance(e, Finished) and e.reason == "stop" for e in events)
    assert any(isinstance(e, UsageReport) and e.usage.total_tokens == 3 for e in events)


def test_one_malformed_chunk_is_skipped_and_the_run_goes_on(server: TestServer) -> None:
    body = sse([chunk_obj("before"), '{"choices": [{"text": "bro', chunk_obj(" after")])
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "before after"
    (skipped,) = [e for e in events if isinstance(e, Skipped)]
    assert "malformed" in skipped.reason
    assert skipped.raw.startswith('{"choices"')


def test_usage_and_finish_in_stream(server: TestServer) -> None:
    server.queue(
        stream_reply(
            ["a", "b"],
            finish="length",
            usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        )
    )
    events = collect(Endpoint(server.base_url), req())
    done = events[-1]
    assert isinstance(done, RunDone)
    assert done.usage is not None
    assert done.usage.completion_tokens == 2
    assert done.metrics.completion_tokens == 2
    assert done.metrics.tokens_from_usage
    assert done.finish_reasons == {0: "length"}


def test_metrics_are_measured(server: TestServer) -> None:
    server.queue(stream_reply(["a", "b", "c"], delay=0.02))
    done = collect(Endpoint(server.base_url), req())[-1]
    m = done.metrics
    assert m.ttfb is not None
    assert m.ttft is not None
    assert m.total is not None
    assert 0 <= m.ttfb <= m.ttft <= m.total
    assert m.total - m.ttft >= 0.03  # two 20 ms gaps after the first token
    assert m.completion_tokens == 3
    assert m.tokens_per_second is not None


def test_n_choices_stream_by_index(server: TestServer) -> None:
    events = collect(Endpoint(server.base_url), req(n=2, max_tokens=2))
    by_index: dict[int, str] = {}
    for e in events:
        if isinstance(e, TextDelta):
            by_index[e.index] = by_index.get(e.index, "") + e.text
    assert by_index == {0: "This is", 1: "This is"}
    assert events[-1].texts == by_index


def test_streamed_logprobs(server: TestServer) -> None:
    events = collect(Endpoint(server.base_url), req(max_tokens=2, logprobs=2))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert deltas[0].logprobs is not None
    (tok,) = deltas[0].logprobs
    assert (tok.token, tok.logprob, tok.top) == ("This", -0.5, {"This": -0.5, "x": -2.0})


def test_chat_shaped_chunks_still_give_text(server: TestServer) -> None:
    body = sse([{"choices": [{"index": 0, "delta": {"content": "chat"}}]}])
    server.queue(Reply(headers=SSE, writes=[body]))
    assert texts(collect(Endpoint(server.base_url), req())) == "chat"


def test_complete_non_streamed_with_logprobs(server: TestServer) -> None:
    result = call(Endpoint(server.base_url), "complete", req(max_tokens=3, logprobs=1))
    assert result.text == "This is a"
    assert result.choices[0].finish_reason == "length"
    assert [t.token for t in result.choices[0].logprobs] == ["This", " is", " a"]
    assert result.usage.total_tokens == 8
    assert result.system_fingerprint == "fp_test"
    assert "stream" not in server.last.json()


def test_list_and_retrieve_models(server: TestServer) -> None:
    ep = Endpoint(server.base_url)
    assert [m.id for m in call(ep, "list_models")] == ["mock-1", "mock-2"]
    assert server.last.path == "/v1/models"
    model = call(ep, "retrieve_model", "mock-2")
    assert model.id == "mock-2"
    assert model.owned_by == "promptpad-test"
    assert server.last.path == "/v1/models/mock-2"


def test_fast_path_hands_tricky_literals_to_the_full_parser(server: TestServer) -> None:
    # After the first plain chunk teaches the template, every variant below must still come out
    # exactly: quotes, backslashes, escaped newlines, raw non-ASCII, and same-length literals.
    pieces = [
        "plain",
        "same!",
        'q"uote',
        "back\\slash",
        "new\nline",
        "cr\rx",
        "日本語",
        "tab\t",
        "same?",
        "",
        "end",
    ]
    server.queue(stream_reply(pieces))
    assert texts(collect(Endpoint(server.base_url), req())) == "".join(pieces)


def test_fast_path_never_swallows_a_second_event_in_the_same_read(server: TestServer) -> None:
    first = sse([chunk_obj("one")], done=False)
    two_in_one = sse([chunk_obj("two"), chunk_obj("three")], done=False)
    server.queue(Reply(headers=SSE, writes=[first, first, two_in_one, sse([chunk_obj("!")])]))
    assert texts(collect(Endpoint(server.base_url), req())) == "oneonetwothree!"


def test_template_resets_when_the_chunk_shape_changes(server: TestServer) -> None:
    a = sse([chunk_obj("a", model="m1")], done=False)
    b = sse([chunk_obj("b", model="m2")], done=False)
    lp = sse(
        [chunk_obj("c", model="m2", logprobs={"tokens": ["c"], "token_logprobs": [-1.0]})],
        done=False,
    )
    server.queue(Reply(headers=SSE, writes=[a, a, b, b, lp, lp, sse([chunk_obj("", "stop")])]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "aabbcc"
    with_lp = [e for e in events if isinstance(e, TextDelta) and e.logprobs]
    assert len(with_lp) == 2


def test_gzip_encoded_stream(server: TestServer) -> None:
    import gzip

    body = gzip.compress(sse([chunk_obj("zipped"), chunk_obj(" text")]))
    server.queue(Reply(headers=[*SSE, ("Content-Encoding", "gzip")], writes=[body[:10], body[10:]]))
    assert texts(collect(Endpoint(server.base_url), req())) == "zipped text"


def test_fast_path_refuses_a_short_read_that_overlaps_the_template(server: TestServer) -> None:
    # A later read that starts like the template and ends like it but is shorter than both put
    # together must not be taken for an (empty) text chunk.
    a = sse([chunk_obj("abc")], done=False)
    key = a.index(b'"text": "') + len(b'"text": "')
    tricky = a[:key] + a[key + 3 + 1 :]  # drop the literal and its closing quote
    server.queue(Reply(headers=SSE, writes=[a, a, tricky, sse([chunk_obj("!")])]))
    events = collect(Endpoint(server.base_url), req())
    assert texts(events) == "abcabc!"
    assert any(isinstance(e, Skipped) for e in events)
