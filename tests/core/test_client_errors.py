"""Every way a server can fail: typed errors with status, the server's own words, partial text."""

from __future__ import annotations

import pytest

from app.core.client import TextDelta
from app.core.endpoint import Endpoint
from app.core.errors import (
    AuthenticationError,
    BadRequestError,
    CompletionError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    RateLimitError,
    ServerError,
)
from app.core.params import InvalidRequest
from promptpad_testing.server import (
    Reply,
    TestServer,
    chunk_obj,
    json_reply,
    openai_error,
    sse,
    stream_reply,
    text_reply,
)
from tests.core.conftest import call, collect, req

SSE = [("Content-Type", "text/event-stream")]


def failure(server: TestServer, reply: Reply, stream: bool = True) -> CompletionError:
    server.queue(reply)
    ep = Endpoint(server.base_url, api_key="sk-x")
    with pytest.raises(CompletionError) as info:
        collect(ep, req()) if stream else call(ep, "complete", req())
    return info.value


def test_401_openai_json(server: TestServer) -> None:
    err = failure(server, openai_error("Incorrect API key provided: sk-x***.", 401))
    assert isinstance(err, AuthenticationError)
    assert err.status == 401
    assert err.message == "Incorrect API key provided: sk-x***."
    assert err.describe() == "HTTP 401: Incorrect API key provided: sk-x***."
    assert err.url is not None
    assert err.url.endswith("/v1/completions")


def test_403_plain_text(server: TestServer) -> None:
    err = failure(server, text_reply("Forbidden: your IP is not allowed\n", 403))
    assert isinstance(err, AuthenticationError)
    assert err.status == 403
    assert err.message == "Forbidden: your IP is not allowed"


def test_404_html(server: TestServer) -> None:
    page = (
        "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found"
        "</h1></center><hr><center>nginx</center></body></html>"
    )
    err = failure(server, text_reply(page, 404, "text/html"))
    assert isinstance(err, NotFoundError)
    assert err.status == 404
    assert err.message == "404 Not Found"


def test_429_with_retry_after(server: TestServer) -> None:
    err = failure(
        server,
        openai_error(
            "Rate limit reached for requests", 429, "requests", headers=[("Retry-After", "20")]
        ),
    )
    assert isinstance(err, RateLimitError)
    assert err.status == 429
    assert err.retry_after == 20
    assert "retry after 20 s" in err.describe()


def test_429_with_http_date_retry_after(server: TestServer) -> None:
    err = failure(
        server,
        openai_error("slow down", 429, headers=[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]),
    )
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_html_and_json(server: TestServer, status: int) -> None:
    err = failure(
        server,
        text_reply(
            "<html><body><h1>Bad Gateway</h1> upstream died</body></html>", status, "text/html"
        ),
    )
    assert isinstance(err, ServerError)
    assert err.status == status
    assert err.message == "Bad Gateway upstream died"


def test_fastapi_detail_bodies(server: TestServer) -> None:
    err = failure(server, json_reply({"detail": "Invalid API Key"}, 401))
    assert isinstance(err, AuthenticationError)
    assert err.message == "Invalid API Key"
    err = failure(
        server,
        json_reply({"detail": [{"loc": ["body", "temperature"], "msg": "must be <= 2"}]}, 422),
    )
    assert isinstance(err, BadRequestError)
    assert err.message == "temperature: must be <= 2"


def test_empty_error_body_gets_the_reason_phrase(server: TestServer) -> None:
    err = failure(server, Reply(400, [], []))
    assert isinstance(err, BadRequestError)
    assert err.message == "Bad Request"


def test_non_streamed_errors_too(server: TestServer) -> None:
    err = failure(server, openai_error("model not found", 404), stream=False)
    assert isinstance(err, NotFoundError)
    assert err.message == "model not found"


def test_error_object_inside_the_stream_keeps_partial_text(server: TestServer) -> None:
    body = sse(
        [
            chunk_obj("Hello"),
            chunk_obj(" wor"),
            {"error": {"message": "upstream overloaded", "type": "server_error", "code": 503}},
        ]
    )
    err = failure(server, Reply(headers=SSE, writes=[body]))
    assert isinstance(err, ServerError)
    assert err.status == 503
    assert err.message == "upstream overloaded"
    assert err.partial == {0: "Hello wor"}


def test_error_object_without_code_typed_by_its_type(server: TestServer) -> None:
    body = sse([{"error": {"message": "quota exceeded", "type": "insufficient_quota"}}])
    err = failure(server, Reply(headers=SSE, writes=[body]))
    assert isinstance(err, RateLimitError)
    assert err.status is None
    assert err.describe() == "Rate limit: quota exceeded"


def test_named_error_event(server: TestServer) -> None:
    body = sse([chunk_obj("x")], done=False) + b"event: error\ndata: backend crashed\n\n"
    err = failure(server, Reply(headers=SSE, writes=[body]))
    assert err.message == "backend crashed"
    assert err.partial == {0: "x"}


def test_connection_reset_mid_stream_keeps_partial_text(server: TestServer) -> None:
    reply = stream_reply(["kept", " too"], done=False)
    reply.writes = reply.writes[:2]
    reply.reset = True
    err = failure(server, reply)
    assert isinstance(err, NetworkError)
    assert err.partial == {0: "kept too"}


def test_connection_closed_without_chunked_terminator(server: TestServer) -> None:
    # No Content-Length, not chunked: the body ends when the connection closes. Valid HTTP/1.1.
    reply = stream_reply(["eof", "-delimited"], done=False)
    reply.chunked = False
    server.queue(reply)
    events = collect(Endpoint(server.base_url), req())
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "eof-delimited"


def test_garbage_body_is_a_protocol_error(server: TestServer) -> None:
    err = failure(
        server, Reply(headers=[("Content-Type", "text/html")], writes=[b"<html>maintenance</html>"])
    )
    assert isinstance(err, ProtocolError)
    err = failure(server, text_reply("{not json", 200, "application/json"), stream=False)
    assert isinstance(err, ProtocolError)
    assert "not JSON" in err.message


def test_json_reply_that_is_not_an_object(server: TestServer) -> None:
    err = failure(server, json_reply([1, 2]), stream=False)
    assert isinstance(err, ProtocolError)


def test_nonsense_chunks_never_crash(server: TestServer) -> None:
    body = sse(
        [
            [1, 2],
            "null",
            '"str"',
            {"choices": "nope"},
            {"choices": [None, 3]},
            {"choices": [{"index": "x", "text": 5, "finish_reason": 7}]},
            chunk_obj("ok"),
        ]
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    events = collect(Endpoint(server.base_url), req())
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "ok"


def test_invalid_request_is_never_sent(server: TestServer) -> None:
    with pytest.raises(InvalidRequest) as info:
        collect(Endpoint(server.base_url), req(temperature=9, logprobs=7))
    assert [p.field for p in info.value.problems] == ["temperature", "logprobs"]
    assert server.requests == []


def test_models_errors(server: TestServer) -> None:
    ep = Endpoint(server.base_url)
    with pytest.raises(NotFoundError, match="does not exist"):
        call(ep, "retrieve_model", "nope")
    server.queue(json_reply({"object": "list"}))
    with pytest.raises(ProtocolError):
        call(ep, "list_models")


def test_text_in_the_same_read_as_an_error_is_delivered_first(server: TestServer) -> None:
    # One network write holds both the text and the error: the consumer must still get the text.
    import asyncio

    from app.core.client import CompletionClient
    from app.core.endpoint import make_http_client

    body = sse([chunk_obj("delivered"), {"error": {"message": "then failed", "code": 500}}])
    server.queue(Reply(headers=SSE, writes=[body]))
    got: list[str] = []

    async def consume() -> None:
        async with make_http_client() as http:
            async for ev in CompletionClient(http, Endpoint(server.base_url)).stream(req()):
                if isinstance(ev, TextDelta):
                    got.append(ev.text)

    with pytest.raises(ServerError, match="then failed"):
        asyncio.run(consume())
    assert got == ["delivered"]
