"""The app's one httpx transport: routes each request to a pool for its proxy/TLS settings.

It also sees every redirect hop (httpx copies a request's extensions onto the redirect request),
so it is where credentials are kept to the configured origins: httpx itself strips only
``Authorization`` on a cross-origin redirect, not a key sent as ``api-key`` or ``X-Api-Key``.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx

from app.core.credentials import redact_text, redact_url
from app.core.endpoint import GUARD_EXTENSION, ROUTE_EXTENSION, CredentialGuard, Route
from app.core.errors import (
    CompletionError,
    ConfigError,
    NetworkError,
    ProtocolError,
    RequestTimeout,
    default_reason,
    error_for_status,
    extract_message,
)

_MAX_REFUSAL_BODY = 64 * 1024


class RoutingTransport(httpx.AsyncBaseTransport):
    """The app's one transport: dispatches each request to a pool for its Route."""

    def __init__(self) -> None:
        self._pools: dict[Route, httpx.AsyncHTTPTransport] = {}

    def has(self, route: Route) -> bool:
        return route in self._pools

    def prepare(self, route: Route) -> None:
        """Create the pool for a route now (raises ConfigError for unusable settings)."""
        self._pool(route)

    def _pool(self, route: Route) -> httpx.AsyncHTTPTransport:
        pool = self._pools.get(route)
        if pool is None:
            verify: ssl.SSLContext | bool
            if not route.verify:
                verify = False
            elif route.ca_bundle:
                try:
                    verify = ssl.create_default_context(cafile=route.ca_bundle)
                except (OSError, ssl.SSLError) as exc:
                    raise ConfigError(f"cannot load CA bundle {route.ca_bundle}: {exc}") from exc
            else:
                verify = True
            try:
                pool = httpx.AsyncHTTPTransport(verify=verify, proxy=route.proxy)
            except (ValueError, ImportError, httpx.InvalidURL) as exc:
                proxy = route.proxy or ""
                reason = redact_text(str(exc), [_password(proxy)])
                raise ConfigError(f"unusable proxy {redact_url(proxy)!r}: {reason}") from None
            self._pools[route] = pool
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route = request.extensions.get(ROUTE_EXTENSION) or Route()
        guard = request.extensions.get(GUARD_EXTENSION)
        withheld = _withhold_credentials(request, guard) if guard is not None else []
        response = await self._pool(route).handle_async_request(request)
        if withheld and response.status_code in (401, 403):
            raise await _refused_without_credentials(request, response, withheld)
        return response

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _withhold_credentials(request: httpx.Request, guard: CredentialGuard) -> list[str]:
    """Drop every credential header from a request to an origin the user did not configure
    (a redirect target); returns the names dropped."""
    origin = _origin(request.url)
    if any(_origin(httpx.URL(configured)) == origin for configured in guard.origins):
        return []
    dropped = [name for name, value in request.headers.items() if guard.is_credential(name, value)]
    for name in dropped:
        del request.headers[name]
    return dropped


async def _refused_without_credentials(
    request: httpx.Request, response: httpx.Response, withheld: list[str]
) -> CompletionError:
    """The error for a redirect target that wants the credentials it was not given."""
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            parts.append(chunk)
            size += len(chunk)
            if size >= _MAX_REFUSAL_BODY:
                break
    except httpx.HTTPError:
        pass
    finally:
        await response.aclose()
    text = b"".join(parts).decode("utf-8", "replace")
    message = extract_message(text) or default_reason(response.status_code)
    origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii', 'replace')}"
    names = ", ".join(sorted({n.lower() for n in withheld}))
    return error_for_status(
        response.status_code,
        f"{message} (the server redirected the request to {origin}, another origin than the "
        f"one configured; Promptpad does not send credentials ({names}) there — if that is "
        "the right server, use its URL as the base URL)",
        url=redact_url(str(request.url)),
        body=text,
    )


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _request_secrets(request: httpx.Request) -> list[str]:
    """Credential header values of a request (and the token after an auth scheme word)."""
    guard = request.extensions.get(GUARD_EXTENSION)
    route = request.extensions.get(ROUTE_EXTENSION)
    out: list[str] = []
    for name, value in request.headers.items():
        flagged = guard.is_credential(name, value) if guard else name.lower() == "authorization"
        if flagged:
            out += [value, value.partition(" ")[2]]
    if isinstance(route, Route) and route.proxy:
        out.append(_password(route.proxy) or "")
    return [s for s in out if s]


def make_http_client() -> httpx.AsyncClient:
    """The one AsyncClient of a process (built in ``app.__main__`` / the CLI, then injected).

    trust_env=False: proxies are set per provider, explicitly, never picked up from HTTP_PROXY
    behind the user's back (a relay key sent through an unexpected proxy is a leak).
    """
    return httpx.AsyncClient(transport=RoutingTransport(), follow_redirects=True, trust_env=False)


def supports_routes(http: httpx.AsyncClient) -> bool:
    return isinstance(getattr(http, "_transport", None), RoutingTransport)


def transport_error(exc: httpx.HTTPError) -> CompletionError:
    """The typed error for an httpx transport failure; no secret of the request in its text."""
    error = _transport_error(exc)
    try:
        secrets = _request_secrets(exc.request)
    except RuntimeError:
        secrets = []
    error.message = redact_text(error.message, secrets)
    error.args = (error.message,)
    return error


def _transport_error(exc: httpx.HTTPError) -> CompletionError:
    url = None
    try:
        url = redact_url(str(exc.request.url))
    except RuntimeError:
        pass
    if isinstance(exc, httpx.TimeoutException):
        what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        return RequestTimeout(f"timed out while {what}", url=url)
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(
            f"could not connect: {exc}" if str(exc) else "could not connect", url=url
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return NetworkError(f"the connection broke off: {exc}", url=url)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return NetworkError(f"the connection failed: {str(exc) or type(exc).__name__}", url=url)
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(f"the proxy refused: {str(exc) or type(exc).__name__}", url=url)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return ConfigError(str(exc), url=url)
    if isinstance(exc, httpx.DecodingError):
        return ProtocolError(f"could not decode the reply: {exc}", url=url)
    return NetworkError(str(exc) or type(exc).__name__, url=url)
