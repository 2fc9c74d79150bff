"""Where a request goes and how: base-URL normalisation, headers, proxy, timeouts, TLS.

Users paste base URLs in every shape (``https://host``, ``https://host/``, ``https://host/v1/``,
even the full ``…/v1/completions``); ``normalize_base_url`` turns them into one. Proxy and TLS
settings are per call, yet the app has one ``httpx.AsyncClient``: ``RoutingTransport`` is that
client's transport and routes each request, by a request extension, to a pooled transport for its
(proxy, TLS) combination.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import httpx

from app.core.errors import ConfigError

ROUTE_EXTENSION: Final = "promptpad.route"
_LOCAL_HOSTS: Final = ("localhost", "127.", "0.0.0.0", "[::1]", "::1")


def normalize_base_url(url: str) -> str:
    """``https://host`` and ``https://host/v1/completions`` both become ``https://host/v1``.

    A path the user typed is kept (``https://host/api/v1``, ``https://host/openai``); only a bare
    host gains ``/v1``. A missing scheme becomes http for loopback hosts and https otherwise.
    """
    text = url.strip()
    if not text:
        raise ConfigError("the base URL is empty")
    if "://" not in text:
        scheme = "http" if text.startswith(_LOCAL_HOSTS) else "https"
        text = f"{scheme}://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"not an http(s) URL: {url.strip()!r}")
    path = parts.path.rstrip("/")
    for tail in ("/chat/completions", "/completions", "/models"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


@dataclass(frozen=True)
class Route:
    """The transport-level settings that need their own connection pool."""

    proxy: str | None = None
    verify: bool = True
    ca_bundle: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """One server to talk to. The API key is held here only in memory, never persisted."""

    base_url: str
    api_key: str | None = field(default=None, repr=False)
    completions_url: str | None = None  # full-URL override for POST completions
    headers: Mapping[str, str] = field(default_factory=dict)
    proxy: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    verify: bool = True
    ca_bundle: str | None = None

    def url(self, path: str) -> str:
        return normalize_base_url(self.base_url) + "/" + path.lstrip("/")

    def completions(self) -> str:
        if self.completions_url and self.completions_url.strip():
            override = self.completions_url.strip()
            if "://" not in override:
                raise ConfigError(f"the completions URL must be a full URL: {override!r}")
            return override
        return self.url("completions")

    def request_headers(self) -> dict[str, str]:
        out = {"Accept": "application/json, text/event-stream"}
        if self.api_key:
            out["Authorization"] = f"Bearer {self.api_key}"
        out.update(self.headers)
        return out

    def timeout(self) -> httpx.Timeout:
        # read = the longest wait between two chunks; there is no limit on the whole run.
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.connect_timeout,
            pool=self.connect_timeout,
        )

    def route(self) -> Route:
        return Route(self.proxy or None, self.verify, self.ca_bundle or None)

    def extensions(self) -> dict[str, Any]:
        return {ROUTE_EXTENSION: self.route()}


def parse_header(text: str) -> tuple[str, str]:
    """``"K: V"`` → ``("K", "V")``; raises ValueError on anything else."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise ValueError(f"a header must look like 'Name: value', got {text!r}")
    return name.strip(), value.strip()


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
