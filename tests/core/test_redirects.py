"""Redirects: a credential goes only to the origin the user configured, in whatever header.

Two real servers: the configured one on 127.0.0.1 redirects to a second origin (the same
machine reached as ``localhost``, or another port). httpx itself strips only ``Authorization``
on such a hop; a key in ``api-key`` or ``X-Relay-Token`` went along until the transport checked
every hop.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.endpoint import Endpoint
from app.core.errors import AuthenticationError
from promptpad_testing.server import Recorded, Reply, TestServer, openai_error
from tests.core.conftest import req
from tests.helpers import call, collect

KEY = "sk-redirect-secret-4242"


@pytest.fixture
def target() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


def redirect_to(url: str) -> Reply:
    return Reply(status=307, headers=[("Location", url), ("Content-Length", "0")], chunked=False)


def seen_key(server: TestServer) -> bool:
    return any(KEY in value for r in server.requests for value in r.headers.values())


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
@pytest.mark.parametrize(
    ("key_header", "headers"),
    [
        ("api-key", {}),  # a profile's key header (Azure style)
        ("", {}),  # Authorization: Bearer (httpx strips this one itself)
        ("", {"X-Relay-Token": KEY}),  # a custom header the shared rule calls a credential
    ],
)
def test_no_credential_follows_a_redirect_to_another_origin(
    server: TestServer, target: TestServer, host: str, key_header: str, headers: dict[str, str]
) -> None:
    # localhost: another host name; 127.0.0.1: the same host on another port. Both are other
    # origins than the configured one.
    server.queue(redirect_to(f"http://{host}:{target.port}/v1/completions"))
    ep = Endpoint(server.base_url, api_key=KEY, key_header=key_header, headers=headers)
    events = collect(ep, req())
    assert events  # the target answered (it asks for no key)
    assert seen_key(server)  # the configured origin got the key
    assert target.requests, "the redirect was not followed"
    assert not seen_key(target)


def test_a_redirect_within_the_origin_keeps_the_key(server: TestServer) -> None:
    server.queue(redirect_to(f"http://127.0.0.1:{server.port}/v1/other/completions"))
    ep = Endpoint(server.base_url, api_key=KEY, key_header="api-key")
    collect(ep, req())
    assert [r.path for r in server.requests] == ["/v1/completions", "/v1/other/completions"]
    assert server.last.headers["api-key"] == KEY


def test_a_refused_redirect_says_the_key_was_withheld(
    server: TestServer, target: TestServer
) -> None:
    def wants_key(r: Recorded) -> Reply | None:
        return None if "api-key" in r.headers else openai_error("no key", 401, "auth")

    target.handler = wants_key
    server.queue(redirect_to(f"http://localhost:{target.port}/v1/models"))
    ep = Endpoint(server.base_url, api_key=KEY, key_header="api-key")
    with pytest.raises(AuthenticationError) as info:
        call(ep, "list_models")
    text = info.value.describe()
    assert "no key" in text  # the server's own words are kept
    assert f"localhost:{target.port}" in text
    assert "another origin" in text
    assert "api-key" in text
    assert KEY not in text
    assert not seen_key(target)
