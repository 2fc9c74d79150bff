"""What counts as a secret, in one place: credential headers, keys that can be sent, redaction.

Profiles refuse credential headers (they are saved as plain text), the CLI refuses them on its
command line (shell history, ``ps``), code export leaves them out, and the transport withholds
them from any origin other than the configured one: all four ask ``is_credential_header``, so
they cannot disagree. ``clean_key`` is the only way a key reaches a header: it trims what an
environment variable or a paste adds around it and refuses, by name and never by value, a
character no HTTP header can carry (httpx would otherwise raise with the key in the message).
``redact_url`` / ``redact_text`` keep user:password in URLs, and any known secret, out of error
text and the log.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.core.errors import ConfigError

REDACTED: Final = "***"

# Names: exact, or containing one of the words. "X-Relay-Key", "api-key", "X-Auth-Token",
# "Proxy-Authorization", "X-Goog-Api-Key", "Cookie", "X-Secret", "X-Password", "Ocp-Apim-
# Subscription-Key" all match; "Accept", "OpenAI-Organization", "anthropic-version" do not.
_CREDENTIAL_WORDS: Final = (
    "auth",
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "credential",
    "session",
    "signature",
)
# Values that carry a credential whatever the header is called.
_CREDENTIAL_VALUE = re.compile(r"^\s*(bearer|basic|digest|token|apikey)\s+\S", re.I)
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>[^/\s@'\"<>]+)@")


def is_credential_header(name: str, value: str = "") -> bool:
    """Whether a header carries a credential: by its name, or by an auth scheme in its value."""
    low = name.strip().lower()
    if any(word in low for word in _CREDENTIAL_WORDS):
        return True
    return bool(value) and bool(_CREDENTIAL_VALUE.match(value))


def header_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an HTTP header name, or None."""
    if not name:
        return "the header name is empty"
    if not _HEADER_NAME.match(name):
        return f"{name!r} is not a valid header name (letters, digits and -_.!#$%&'*+^`|~ only)"
    return None


def _char_problem(text: str) -> str | None:
    """The first character of ``text`` no header can carry, described without showing the text."""
    for ch in text:
        code = ord(ch)
        if code < 0x20 and ch != "\t" or code == 0x7F:
            return f"a control character (U+{code:04X})"
        if code > 0x7E:
            name = unicodedata.name(ch, "").lower()
            what = "an invisible character" if unicodedata.category(ch) == "Cf" else "a character"
            label = f" ({name})" if name else ""
            return f"{what} outside ASCII (U+{code:04X}{label}), which HTTP headers cannot carry"
    return None


def clean_key(key: str, what: str = "the API key") -> str:
    """The key trimmed of surrounding whitespace; ConfigError if it still cannot be sent.

    The message names the problem and the character's code point, never the key or a part of it.
    """
    text = key.strip()
    problem = _char_problem(text)
    if problem:
        raise ConfigError(f"{what} contains {problem}; copy it again or retype it")
    return text


def header_value_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be sent in header ``name`` (never quoting the value), or None."""
    problem = _char_problem(value)
    return f"header {name!r}: the value contains {problem}" if problem else None


def redact_url(url: str) -> str:
    """``url`` with the password of its user:password (and credential query values) hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        info, _, host = netloc.rpartition("@")
        user, colon, _ = info.partition(":")
        netloc = f"{user}:{REDACTED}@{host}" if colon else f"{REDACTED}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_credential_header(k) for k, _ in pairs):
            query = urlencode(
                [(k, REDACTED if is_credential_header(k) else v) for k, v in pairs], safe="*"
            )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with URL passwords hidden and every given secret (trimmed too) replaced."""

    def userinfo(m: re.Match[str]) -> str:
        user, colon, _ = m.group("info").partition(":")
        return f"{m.group('scheme')}{user}:{REDACTED}@" if colon else f"{m.group('scheme')}***@"

    out = _URL_USERINFO.sub(userinfo, text)
    for secret in secrets:
        for form in {secret, secret.strip()} if secret else ():
            if len(form) >= 4:  # a one-letter "secret" would shred the message
                out = out.replace(form, REDACTED)
    return out


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with ``redact_text`` before a handler writes it.

    httpx logs every request URL at INFO ("HTTP Request: POST https://user:pw@host/…"); this
    keeps such passwords, and credential query values, out of promptpad.log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = _redact_urls_in(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def _redact_urls_in(text: str) -> str:
    return redact_text(_URL.sub(lambda m: redact_url(m.group(0)), text))
