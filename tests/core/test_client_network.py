"""Transport behaviour: timeouts, refused connections, cancellation, proxies, TLS."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from app.core.client import CompletionClient, TextDelta
from app.core.endpoint import Endpoint, make_http_client
from app.core.errors import (
    AuthenticationError,
    ConfigError,
    NetworkError,
    NotFoundError,
    RequestTimeout,
)
from promptpad_testing.server import TestServer, stream_reply
from tests.core.conftest import call, collect, req
from tests.core.proxies import HTTPProxy, Socks5Proxy


def test_read_timeout_between_chunks_keeps_partial(server: TestServer) -> None:
    reply = stream_reply(["early"], done=False)
    reply.writes = reply.writes[:1]
    reply.hang = 3.0
    server.queue(reply)
    with pytest.raises(RequestTimeout) as info:
        collect(Endpoint(server.base_url, read_timeout=0.3), req())
    assert info.value.partial == {0: "early"}
    assert "waiting for data" in info.value.message


def test_slow_but_steady_stream_is_not_a_timeout(server: TestServer) -> None:
    # 8 gaps of 0.1 s: the whole run outlasts the 0.3 s limit, but no single gap does.
    server.queue(stream_reply(list("abcdefgh"), delay=0.1))
    events = collect(Endpoint(server.base_url, read_timeout=0.3), req())
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "abcdefgh"


def test_connection_refused_is_a_network_error() -> None:
    with TestServer() as srv:
        url = srv.base_url
    with pytest.raises(NetworkError, match="could not connect"):
        collect(Endpoint(url, connect_timeout=2), req())


def test_cancel_closes_the_connection_at_once(server: TestServer) -> None:
    server.queue(stream_reply([f" t{i}" for i in range(200)], delay=0.05))  # ~10 s if read fully
    got: list[str] = []

    async def consume() -> None:
        async with make_http_client() as http:
            async for ev in CompletionClient(http, Endpoint(server.base_url)).stream(req()):
                if isinstance(ev, TextDelta):
                    got.append(ev.text)

    async def main() -> float:
        task = asyncio.create_task(consume())
        while len(got) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        cancelled_at = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await task
        return cancelled_at

    cancelled_at = asyncio.run(main())
    deadline = time.monotonic() + 5
    while not server.disconnects and time.monotonic() < deadline:
        time.sleep(0.01)
    # The server notices on its next write (50 ms later) because our side closed the socket.
    assert server.disconnects, "the server never saw the connection close"
    assert server.disconnects[0] - cancelled_at < 1.0
    assert got[:3] == [" t0", " t1", " t2"]


def test_http_proxy(server: TestServer) -> None:
    with HTTPProxy() as proxy:
        events = collect(Endpoint(server.base_url, proxy=proxy.url), req())
    assert any(isinstance(e, TextDelta) for e in events)
    assert proxy.seen == [f"POST {server.base_url}/completions HTTP/1.1"]


def test_socks5_proxy(server: TestServer) -> None:
    with Socks5Proxy() as proxy:
        models = call(Endpoint(server.base_url, proxy=proxy.url), "list_models")
    assert [m.id for m in models] == ["mock-1", "mock-2"]
    assert proxy.seen == [f"CONNECT 127.0.0.1:{server.port}"]


def test_unusable_proxy_is_a_config_error(server: TestServer) -> None:
    with pytest.raises(ConfigError, match="proxy"):
        collect(Endpoint(server.base_url, proxy="gopher://x:1"), req())


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[TestServer]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    with TestServer(ssl_context=ctx) as srv:
        yield srv


def test_tls_verified_by_default(tls_server: TestServer) -> None:
    with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        collect(Endpoint(tls_server.base_url), req())


def test_tls_with_ca_bundle(tls_server: TestServer, ca: trustme.CA, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    events = collect(Endpoint(tls_server.base_url, ca_bundle=str(bundle)), req())
    assert any(isinstance(e, TextDelta) for e in events)


def test_tls_verification_off(tls_server: TestServer) -> None:
    events = collect(Endpoint(tls_server.base_url, verify=False), req())
    assert any(isinstance(e, TextDelta) for e in events)


def test_missing_ca_bundle_is_a_config_error(tls_server: TestServer, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CA bundle"):
        collect(Endpoint(tls_server.base_url, ca_bundle=str(tmp_path / "none.pem")), req())


def test_a_dropped_kept_alive_connection_is_retried_once(server: TestServer) -> None:
    from promptpad_testing.server import Reply

    server.queue(stream_reply(["first"]), Reply(drop=True), stream_reply(["second"]))

    async def two_runs() -> list[str]:
        out = []
        async with make_http_client() as http:
            client = CompletionClient(http, Endpoint(server.base_url))
            for _ in range(2):
                out.append(
                    "".join(
                        [e.text async for e in client.stream(req()) if isinstance(e, TextDelta)]
                    )
                )
        return out

    assert asyncio.run(two_runs()) == ["first", "second"]
    assert len(server.requests) == 3  # the dropped one, then its retry


def test_two_drops_in_a_row_are_a_network_error(server: TestServer) -> None:
    from promptpad_testing.server import Reply

    server.queue(Reply(drop=True), Reply(drop=True))
    with pytest.raises(NetworkError) as info:
        collect(Endpoint(server.base_url), req())
    assert info.value.message.split(": ", 1)[1]  # never an empty reason
    assert len(server.requests) == 2


def test_model_ids_are_quoted_in_the_url(server: TestServer) -> None:
    with pytest.raises(NotFoundError):
        call(Endpoint(server.base_url), "retrieve_model", "org/model name?x#y")
    assert server.last.path == "/v1/models/org/model%20name%3Fx%23y"


def test_proxy_with_user_and_password(server: TestServer) -> None:
    from app.core.providers import Provider

    profile = Provider("Via proxy", server.base_url, proxy="", proxy_user="al ice")
    with HTTPProxy(auth="al ice:p@ss:word") as proxy:
        profile.proxy = proxy.url
        # The password comes from the keyring (here: passed in), percent-encoded into the URL
        # the transport uses; the profile itself never holds it.
        events = collect(profile.endpoint(None, "p@ss:word"), req())
        assert any(isinstance(e, TextDelta) for e in events)
        with pytest.raises(AuthenticationError) as info:
            collect(profile.endpoint(None, "wrong"), req())
    assert info.value.status == 407
    assert "proxy refused the credentials" in info.value.message
    assert "p@ss" not in repr(profile.to_json())
