"""Where a request goes and how: base-URL normalisation, headers, proxy, timeouts, TLS.

Users paste base URLs in every shape (``https://host``, ``https://host/``, ``https://host/v1/``,
even the full ``…/v1/completions``); ``normalize_base_url`` turns them into one. Proxy and TLS
settings are per call, yet the app has one ``httpx.AsyncClient``: ``transport.RoutingTransport``
is that client's transport and routes each request, by the request extension set here, to a
pooled transport for its (proxy, TLS) combination. This module does not import httpx at load
time, so the window can open before httpx is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit, urlunsplit

from app.core.errors import ConfigError

if TYPE_CHECKING:
    import httpx

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
    key_header: str = ""  # send the key in this header as is; default "Authorization: Bearer"
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
            if self.key_header.strip():
                out[self.key_header.strip()] = self.api_key  # e.g. Azure-style "api-key"
            else:
                out["Authorization"] = f"Bearer {self.api_key}"
        out.update(self.headers)
        return out

    def timeout(self) -> httpx.Timeout:
        import httpx  # here, not at the top: the window opens before httpx is needed

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


_TRANSPORT_NAMES = ("RoutingTransport", "make_http_client", "supports_routes")


def __getattr__(name: str) -> Any:
    # The transport half lives in app.core.transport (it needs httpx); kept importable from here.
    if name in _TRANSPORT_NAMES:
        from app.core import transport

        return getattr(transport, name)
    raise AttributeError(name)
