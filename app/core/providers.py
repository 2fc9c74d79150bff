"""Provider profiles: where to send requests and how, checked and read defensively from JSON.

A profile holds everything about a server except secrets: its API key and its proxy password
live in the KeyStore, kept by ``provider_store.ProviderStore`` with the profiles' file. Built-in
templates (OpenAI, the four relays of the seed pages, local servers) are data in
``resources/providers.json``. Also here: the header text a profile is edited as, and the proxy
URL with its credentials put in.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from app.core.credentials import is_credential_header
from app.core.endpoint import Endpoint, normalize_base_url, parse_header
from app.core.errors import ConfigError
from app.core.resources import resources_dir
from app.core.storage import (
    finite,
    read_json,
)

# Numbers a profile may hold. A timeout beyond a day is a typo or a hostile file: qasync starts
# a Qt timer in int milliseconds, and past 2**31 ms (~24 days) that raises OverflowError.
_LIMITS: dict[str, tuple[float, float]] = {
    "connect_timeout": (0.001, 86400.0),
    "read_timeout": (0.001, 86400.0),
    "models_at": (0.0, 1e11),
}
log = logging.getLogger("promptpad.providers")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Provider:
    """One server profile. No secret is ever a field of this class."""

    name: str
    base_url: str
    completions_url: str = ""  # full-URL override for POST completions
    default_model: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    proxy: str = ""  # scheme://host:port, without credentials
    proxy_user: str = ""
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    verify: bool = True
    ca_bundle: str = ""
    notes: str = ""
    key_env: str = ""  # read the key from this environment variable instead of the keyring
    key_header: str = ""  # header that carries the key as is (default: Authorization: Bearer)
    template: str = ""
    models: list[str] = field(default_factory=list)  # cached GET /v1/models
    models_at: float = 0.0  # when the cache was filled (epoch seconds)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Provider:
        """Build from a dict, ignoring unknown keys; raises ConfigError when unusable.

        A field of the wrong type (a hand-edited file) gets its default instead, so that it
        cannot break the profile, or the loading of the whole file, later.
        """
        if not isinstance(data, dict):
            raise ConfigError("a provider must be a JSON object")
        name, base_url = data.get("name"), data.get("base_url")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("a provider needs a name")
        if not isinstance(base_url, str):
            raise ConfigError(f"provider {name!r} has no base_url")
        p = cls(name=name, base_url=base_url)
        for f in fields(cls):
            if f.name in ("name", "base_url") or f.name not in data:
                continue
            value = _typed_like(getattr(p, f.name), data[f.name])
            if value is not None and f.name in _LIMITS:
                low, high = _LIMITS[f.name]
                value = value if low <= value <= high else None
            if value is not None:
                setattr(p, f.name, value)
            else:
                log.warning("provider %r: a bad %s was replaced by its default", name, f.name)
        return p

    def problems(self) -> list[str]:
        """What would stop this profile from working, for the manager dialog."""
        out: list[str] = []
        if not self.name.strip():
            out.append("a name is required")
        try:
            normalize_base_url(self.base_url)
        except ConfigError as exc:
            out.append(f"base URL: {exc.message}")
        if self.completions_url.strip() and "://" not in self.completions_url:
            out.append("full URL override: must start with http:// or https://")
        if self.proxy.strip():
            scheme = urlsplit(self.proxy.strip()).scheme
            if scheme not in ("http", "https", "socks5", "socks5h"):
                out.append("proxy: must start with http://, https:// or socks5://")
            if "@" in urlsplit(self.proxy.strip()).netloc:
                out.append("proxy: put the user and password in their own fields")
        if self.key_env and not _ENV_NAME.match(self.key_env):
            out.append("key variable: not a valid environment variable name")
        for name, value in self.headers.items():
            if is_secret_header(name, value):
                out.append(
                    f"header {name!r}: credentials belong in the API key field (kept in the "
                    f"keyring), not in headers, which are saved as plain text; if the server "
                    f"wants the key in {name!r}, set the key header to {name!r}"
                )
        if self.key_header and not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", self.key_header):
            out.append("key header: not a valid header name")
        for t in ("connect_timeout", "read_timeout"):
            if not getattr(self, t) > 0:
                out.append(f"{t.replace('_', ' ')}: must be more than 0 seconds")
        if self.ca_bundle and not Path(self.ca_bundle).expanduser().is_file():
            out.append(f"CA bundle: no such file {self.ca_bundle}")
        return out

    def final_url(self) -> str:
        """The URL a completion request goes to (the live preview)."""
        return Endpoint(self.base_url, completions_url=self.completions_url or None).completions()

    def endpoint(self, api_key: str | None, proxy_password: str | None = None) -> Endpoint:
        return Endpoint(
            base_url=self.base_url,
            api_key=api_key,
            key_header=self.key_header,
            completions_url=self.completions_url or None,
            headers=dict(self.headers),
            proxy=proxy_url(self.proxy, self.proxy_user, proxy_password) or None,
            connect_timeout=float(self.connect_timeout),
            read_timeout=float(self.read_timeout),
            verify=bool(self.verify),
            ca_bundle=os.path.expanduser(self.ca_bundle) if self.ca_bundle else None,
        )


def _typed_like(default: Any, value: Any) -> Any:
    """``value`` if it has the type of ``default`` (normalised), else None."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, float):
        return float(value) if finite(value, -math.inf, math.inf) else None
    if isinstance(default, str):
        return value if isinstance(value, str) else None
    if isinstance(default, dict):  # headers: text only (str() of a nested value is not one)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return None
        return dict(value)
    if isinstance(default, list):  # model ids
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None
        return list(value)
    return None


def is_secret_header(name: str, value: str = "") -> bool:
    """Headers that carry credentials (``Authorization``, ``X-Api-Key``, cookies, tokens): the
    one rule of ``core.credentials``, shared with the CLI, code export and the transport."""
    return is_credential_header(name, value)


def proxy_url(proxy: str, user: str = "", password: str | None = None) -> str:
    """The proxy URL with credentials put in (percent-encoded), for the transport only."""
    proxy = proxy.strip()
    if not proxy or not user:
        return proxy
    parts = urlsplit(proxy)
    cred = quote(user, safe="")
    if password:
        cred += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{cred}@{parts.netloc}", parts.path, "", ""))


def headers_from_text(text: str) -> tuple[dict[str, str], list[str]]:
    """``K: V`` lines → dict; blank lines and ``#`` comments are skipped."""
    out: dict[str, str] = {}
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            k, v = parse_header(line)
        except ValueError as exc:
            problems.append(f"header line {n}: {exc}")
            continue
        out[k] = v
    return out, problems


def headers_to_text(headers: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in headers.items())


def load_templates(path: Path | None = None) -> list[Provider]:
    """The built-in templates, from resources/providers.json."""
    path = path or resources_dir() / "providers.json"
    data = read_json(path, None)
    if not isinstance(data, dict) or not isinstance(data.get("providers"), list):
        raise ConfigError(f"cannot read provider templates from {path}")
    out = []
    for item in data["providers"]:
        p = Provider.from_json(item)
        p.template = p.name
        out.append(p)
    return out
