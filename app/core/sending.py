"""One HTTP exchange of the client: prepare the route, send, map errors, read the body.

``Sending`` sends a request (streamed) with a deadline on the whole response head and one retry on
a kept-alive connection the server had dropped, and always closes the response. The helpers read a
body whole (bounded for error bodies), turn an HTTP error status into a typed ``CompletionError``
with the server's own message, and parse a JSON reply. ``client.CompletionClient`` builds on them;
the per-read streaming loop stays in the client, so the hot path is not one call deeper.
"""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from app.core.chunks import RunState
from app.core.endpoint import Endpoint
from app.core.errors import (
    CompletionError,
    ConfigError,
    ProtocolError,
    RequestTimeout,
    error_for_status,
    extract_message,
    parse_retry_after,
)
from app.core.events import parse_json
from app.core.transport import RoutingTransport, transport_error

_MAX_ERROR_BODY = 64 * 1024
# Our own small pool (not the loop's default executor, which qasync implements with QThreads).
_PREPARE_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="promptpad-tls")


async def prepare_route(http: httpx.AsyncClient, endpoint: Endpoint) -> None:
    route = endpoint.route()
    transport = getattr(http, "_transport", None)
    if isinstance(transport, RoutingTransport):
        if not transport.has(route):
            # Loading the CA store takes 35-100 ms: in a thread, so a GUI loop never stalls,
            # and before the run's clock starts.
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(_PREPARE_POOL, transport.prepare, route)
    elif route.proxy or not route.verify or route.ca_bundle:
        raise ConfigError("this HTTP client cannot apply per-call proxy or TLS settings")


async def raise_for_status(response: httpx.Response, url: str, run: RunState) -> None:
    if response.status_code < 400:
        return
    body = await read_all(response, run, limit=_MAX_ERROR_BODY)
    text = body.decode("utf-8", "replace")
    raise run.error(
        error_for_status(
            response.status_code,
            extract_message(text),
            url=url,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            body=text,
        )
    )


async def read_all(response: httpx.Response, run: RunState, limit: int | None = None) -> bytes:
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            if run.metrics.ttfb is None:
                run.metrics.ttfb = run.elapsed()
            parts.append(chunk)
            size += len(chunk)
            if limit is not None and size >= limit:
                break
    except httpx.HTTPError as exc:
        raise run.error(transport_error(exc)) from exc
    return b"".join(parts)


def parse_json_body(body: bytes, run: RunState) -> dict[str, Any]:
    try:
        data = parse_json(body)  # never json.loads on what a server sent: see events.parse_json
    except ValueError as exc:
        snippet = extract_message(body.decode("utf-8", "replace"))
        raise run.error(ProtocolError(f"the reply is not JSON: {snippet or 'empty body'}")) from exc
    if not isinstance(data, dict):
        raise run.error(ProtocolError("the reply is not a JSON object"))
    return data


class Sending:
    """Async context manager: send the request (streamed), map transport errors, always close."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoint: Endpoint,
        method: str,
        url: str,
        body: Any,
        run: RunState,
    ) -> None:
        self.http, self.endpoint = http, endpoint
        self.method, self.url, self.body, self.run = method, url, body, run
        self.response: httpx.Response | None = None

    async def __aenter__(self) -> httpx.Response:
        ep = self.endpoint
        content = None
        headers = ep.request_headers()
        if self.body is not None:
            content = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json", **headers}
        try:
            await prepare_route(self.http, ep)
        except CompletionError as exc:
            raise self.run.error(exc) from None
        try:
            request = self.http.build_request(
                self.method,
                self.url,
                content=content,
                headers=headers,
                timeout=ep.timeout(),
                extensions=ep.extensions(),
            )
            self.run.started = time.perf_counter()
            # httpx's read timeout is per socket read: a head trickled a byte a second never
            # trips it. The whole head gets a deadline; the body keeps the per-read timeout.
            deadline = ep.connect_timeout + ep.read_timeout
            try:
                async with asyncio.timeout(deadline):
                    self.response = await self._send_once_or_twice(request)
            except TimeoutError:
                raise self.run.error(
                    RequestTimeout(
                        f"no complete response head within {deadline:g} s "
                        "(connect timeout + read timeout)"
                    )
                ) from None
        except httpx.HTTPError as exc:
            raise self.run.error(transport_error(exc)) from exc
        except CompletionError as exc:
            raise self.run.error(exc) from None
        if self.run.metrics.ttfb is None:
            self.run.metrics.ttfb = self.run.elapsed()
        return self.response

    async def _send_once_or_twice(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self.http.send(request, stream=True)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            # A kept-alive connection the server had already dropped fails before any byte
            # of a response: send once more, on a fresh connection. Anything that reached
            # the response stage is never retried.
            return await self.http.send(request, stream=True)

    async def __aexit__(self, *exc: object) -> None:
        if self.response is not None:
            await self.response.aclose()
