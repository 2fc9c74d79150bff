"""The app's one httpx transport: routes each request to a pool for its proxy/TLS settings."""

from __future__ import annotations

import ssl

import httpx

from app.core.endpoint import ROUTE_EXTENSION, Route
from app.core.errors import (
    CompletionError,
    ConfigError,
    NetworkError,
    ProtocolError,
    RequestTimeout,
)


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
                raise ConfigError(f"unusable proxy {route.proxy!r}: {exc}") from exc
            self._pools[route] = pool
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route = request.extensions.get(ROUTE_EXTENSION) or Route()
        return await self._pool(route).handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()


def make_http_client() -> httpx.AsyncClient:
    """The one AsyncClient of a process (built in ``app.__main__`` / the CLI, then injected).

    trust_env=False: proxies are set per provider, explicitly, never picked up from HTTP_PROXY
    behind the user's back (a relay key sent through an unexpected proxy is a leak).
    """
    return httpx.AsyncClient(transport=RoutingTransport(), follow_redirects=True, trust_env=False)


def supports_routes(http: httpx.AsyncClient) -> bool:
    return isinstance(getattr(http, "_transport", None), RoutingTransport)


def transport_error(exc: httpx.HTTPError) -> CompletionError:
    """The typed error for an httpx transport failure."""
    url = None
    try:
        url = str(exc.request.url)
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
