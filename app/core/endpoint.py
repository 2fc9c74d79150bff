"""Where a request goes and how: base-URL normalisation, headers, proxy, timeouts, TLS.

Users paste base URLs in every shape (``https://host``, ``https://host/``, ``https://host/v1/``,
even the full ``…/v1/completions``); ``normalize_base_url`` turns them into one. Proxy and TLS
settings are per call, yet the app has one ``httpx.AsyncClient``: ``transport.RoutingTransport``
is that client's transport and routes each request, by the request extension set here, to a
pooled transport for its (proxy, TLS) combination. A second extension, ``CredentialGuard``,
names the origins the user configured and the headers that carry the key: the transport sees
every redirect hop and withholds credentials from any other origin. This module does not import
httpx at load time, so the window can open before httpx is imported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import SplitResult, urlsplit, urlunsplit

from app.core.credentials import (
    clean_key,
    header_name_problem,
    header_value_problem,
    is_credential_header,
    redact_url,
)
from app.core.errors import ConfigError

if TYPE_CHECKING:
    import httpx

ROUTE_EXTENSION: Final = "promptpad.route"
GUARD_EXTENSION: Final = "promptpad.credentials"
PROXY_SCHEMES: Final = ("http", "https", "socks5", "socks5h")
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
    parts = _http_url(text, "the base URL")
    path = parts.path.rstrip("/")
    for tail in ("/chat/completions", "/completions", "/models"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _http_url(text: str, what: str, schemes: tuple[str, ...] = ("http", "https")) -> SplitResult:
    """``urlsplit(text)`` if it is an absolute URL of one of ``schemes`` with a usable host and
    port; else ConfigError (the URL in the message has its password hidden)."""
    shown = redact_url(text)
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError as exc:
        reason = "the port is out of range" if "out of range" in str(exc) else "it is malformed"
        raise ConfigError(f"{what} cannot be used, {reason}: {shown!r}") from None
    if parts.scheme.lower() not in schemes:
        kinds = "http(s)" if schemes == ("http", "https") else "http(s) or socks5"
        raise ConfigError(f"not an {kinds} URL: {shown!r}")
    if not parts.hostname:
        raise ConfigError(f"{what} has no host: {shown!r}")
    if port == 0:
        raise ConfigError(f"{what} cannot be used, the port is out of range: {shown!r}")
    return parts


def check_proxy_url(proxy: str) -> None:
    """ConfigError unless ``proxy`` is an http/https/socks5 proxy URL with a host."""
    _http_url(proxy.strip(), "the proxy URL", PROXY_SCHEMES)


@dataclass(frozen=True)
class CredentialGuard:
    """Where credentials may go: the configured origins, and the headers that carry the key.

    Travels with each request (and, as httpx copies extensions, with each redirect hop) so that
    the transport can strip credential headers from a hop to any other origin.
    """

    origins: tuple[str, ...]  # URLs whose (scheme, host, port) may receive credentials
    key_headers: frozenset[str] = frozenset()  # lower-case names, besides what the rule flags

    def is_credential(self, name: str, value: str) -> bool:
        return name.lower() in self.key_headers or is_credential_header(name, value)


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
        """The base URL with ``path`` appended to its path; a query string (some relays take
        the key or a group there) stays at the end: ``…/v1/completions?x=1``, not
        ``…/v1?x=1/completions``."""
        parts = urlsplit(normalize_base_url(self.base_url))
        joined = parts.path.rstrip("/") + "/" + path.lstrip("/")
        return urlunsplit((parts.scheme, parts.netloc, joined, parts.query, ""))

    def completions(self) -> str:
        if self.completions_url and self.completions_url.strip():
            override = self.completions_url.strip()
            if "://" not in override:
                shown = redact_url(override)
                raise ConfigError(f"the completions URL must be a full URL: {shown!r}")
            _http_url(override, "the completions URL")
            return override
        return self.url("completions")

    def request_headers(self) -> dict[str, str]:
        """The headers of every request; ConfigError (never quoting a value) if one cannot be
        sent. The key is trimmed of surrounding whitespace first (an environment variable's
        trailing newline, a pasted space)."""
        out = {"Accept": "application/json, text/event-stream"}
        self._check_headers()
        key = clean_key(self.api_key) if self.api_key else ""
        if key:
            name = self.key_header.strip()
            if name:
                out[name] = key  # e.g. Azure-style "api-key"
            else:
                out["Authorization"] = f"Bearer {key}"
        out.update(self.headers)
        return out

    def _check_headers(self) -> None:
        for name, value in self.headers.items():
            problem = header_name_problem(name) or header_value_problem(name, value)
            if problem:
                raise ConfigError(problem)
        problem = header_name_problem(self.key_header.strip()) if self.key_header.strip() else None
        if problem:
            raise ConfigError(f"key header: {problem}")

    def problems(self) -> list[tuple[str, str]]:
        """(setting, reason) for every setting that cannot work, checked before anything is
        sent; no reason quotes a key or a password."""
        out: list[tuple[str, str]] = []

        def check(setting: str, test: Any) -> None:
            try:
                test()
            except ConfigError as exc:
                out.append((setting, exc.message))

        check("base URL", lambda: normalize_base_url(self.base_url))
        check("completions URL", self.completions)
        if self.proxy:
            check("proxy", lambda: check_proxy_url(self.proxy or ""))
        check("headers", self._check_headers)
        if self.api_key:
            check("API key", lambda: clean_key(self.api_key or ""))
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                out.append((name.replace("_", " "), "must be a number of seconds above 0"))
        if self.verify and self.ca_bundle:
            from pathlib import Path

            if not Path(self.ca_bundle).expanduser().is_file():
                out.append(("CA bundle", f"no such file: {self.ca_bundle}"))
        return out

    def secrets(self) -> list[str]:
        """The secret strings of this endpoint (key, proxy password), to redact from text."""
        out = [self.api_key] if self.api_key else []
        if self.proxy:
            try:
                password = urlsplit(self.proxy.strip()).password
            except ValueError:
                password = None
            if password:
                from urllib.parse import unquote

                out += [password, unquote(password)]
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

    def guard(self) -> CredentialGuard:
        """The origins the user configured (base URL, completions override) may get the key."""
        origins = []
        for configured in (lambda: normalize_base_url(self.base_url), self.completions):
            try:
                origins.append(configured())
            except ConfigError:
                pass  # the request fails on the same problem before anything is sent
        key_headers = {self.key_header.strip().lower()} if self.key_header.strip() else set()
        return CredentialGuard(tuple(origins), frozenset(key_headers))

    def extensions(self) -> dict[str, Any]:
        return {ROUTE_EXTENSION: self.route(), GUARD_EXTENSION: self.guard()}


def parse_header(text: str) -> tuple[str, str]:
    """``"K: V"`` → ``("K", "V")``; raises ValueError on anything else (a bad name included).

    The message quotes the name only: the value may be a credential.
    """
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        missing = "a colon" if not colon else "a name"
        raise ValueError(f"a header must look like 'Name: value'; this one has no {missing}")
    problem = header_name_problem(name.strip())
    if problem:
        raise ValueError(problem)
    return name.strip(), value.strip()


_TRANSPORT_NAMES = ("RoutingTransport", "make_http_client", "supports_routes")


def __getattr__(name: str) -> Any:
    # The transport half lives in app.core.transport (it needs httpx); kept importable from here.
    if name in _TRANSPORT_NAMES:
        from app.core import transport

        return getattr(transport, name)
    raise AttributeError(name)
