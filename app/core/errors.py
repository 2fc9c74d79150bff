"""Typed errors of a completion run: what went wrong, the HTTP status, the server's own words.

Every error keeps the text that had already arrived (``partial``, per choice index), so a caller
can show it instead of losing it. ``describe()`` is the one-line form shown to people.
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from typing import Any


class CompletionError(Exception):
    """Base of every error the client raises.

    ``kind`` is a short stable name (for the CLI's --json output and the UI's icons).
    """

    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        partial: dict[int, str] | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url
        self.partial: dict[int, str] = partial if partial is not None else {}
        # Text had arrived before the error: true with an empty ``partial`` too when the run did
        # not keep its text (the CLI writes it out as it comes and keeps none).
        self.received = bool(self.partial)
        self.skipped = 0  # chunks of the run that could not be used before the error
        self.body = body

    def describe(self) -> str:
        head = f"HTTP {self.status}" if self.status is not None else self.title
        return f"{head}: {self.message}"

    @property
    def title(self) -> str:
        return self.kind.replace("_", " ").capitalize()

    def partial_text(self, index: int = 0) -> str:
        return self.partial.get(index, "")


class AuthenticationError(CompletionError):
    kind = "authentication"


class RateLimitError(CompletionError):
    kind = "rate_limit"

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after

    def describe(self) -> str:
        text = super().describe()
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g} s)"
        return text


class BadRequestError(CompletionError):
    kind = "bad_request"


class NotFoundError(CompletionError):
    kind = "not_found"


class ServerError(CompletionError):
    kind = "server"


class NetworkError(CompletionError):
    kind = "network"


class RequestTimeout(CompletionError):
    kind = "timeout"


class ProtocolError(CompletionError):
    """The server answered something that is not the completions wire format."""

    kind = "protocol"


class ConfigError(CompletionError):
    """The connection settings cannot work (bad URL, proxy the HTTP client cannot route)."""

    kind = "config"


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_MAX_MESSAGE = 500


def extract_message(body: str) -> str:
    """The server's own message from an error body: OpenAI JSON, FastAPI JSON, HTML or text."""
    text = body.strip()
    if not text:
        return ""
    from app.core.events import parse_json  # (events imports nothing of ours: no cycle)

    try:
        data = parse_json(text)
    except ValueError:
        data = None
    if data is not None:
        found = message_from_json(data)
        if found:
            return found
        return _clip(text)
    if text[:1] == "<":
        import html  # only error pages need it; not imported at start-up

        title = _TITLE.search(text)
        stripped = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
        if title:
            head = _SPACE.sub(" ", html.unescape(title.group(1))).strip()
            return _clip(head if head and head in stripped[: len(head) + 40] else stripped)
        return _clip(stripped)
    return _clip(_SPACE.sub(" ", text))


def message_from_json(data: Any) -> str:
    """Message from a decoded error object; "" when it has none we recognise."""
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            msg = err.get("message") or err.get("msg") or err.get("detail")
            if msg:
                return _clip(str(msg))
            return _clip(_dumps(err))
        if isinstance(err, str) and err:
            return _clip(err)
        detail = data.get("detail")
        if isinstance(detail, str) and detail:
            return _clip(detail)
        if isinstance(detail, list) and detail:
            # FastAPI validation: [{"loc": [...], "msg": "..."}]
            parts = []
            for item in detail:
                if isinstance(item, dict):
                    where = item.get("loc")
                    where = where if isinstance(where, list) else []
                    loc = ".".join(str(x) for x in where if x != "body")
                    parts.append(f"{loc}: {item.get('msg', '')}".strip(": "))
                else:
                    parts.append(str(item))
            return _clip("; ".join(parts))
        msg = data.get("message")
        if isinstance(msg, str) and msg:
            return _clip(msg)
    return ""


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):  # built by hand, not by parse_json
        return repr(value)[:_MAX_MESSAGE]


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def error_for_status(
    status: int,
    message: str,
    *,
    url: str | None = None,
    retry_after: float | None = None,
    body: str | None = None,
) -> CompletionError:
    """The typed error for an HTTP error status."""
    kw: dict[str, Any] = {"status": status, "url": url, "body": body}
    if not message:
        message = default_reason(status)
    if status in (401, 403):
        return AuthenticationError(message, **kw)
    if status == 407:  # the proxy, not the server, wants credentials
        return AuthenticationError(f"the proxy refused the credentials: {message}", **kw)
    if status == 429:
        return RateLimitError(message, retry_after=retry_after, **kw)
    if status == 404:
        return NotFoundError(message, **kw)
    if status in (408, 504):
        return RequestTimeout(message, **kw)
    if status >= 500:
        return ServerError(message, **kw)
    return BadRequestError(message, **kw)


def error_from_stream_object(data: Any, url: str | None = None) -> CompletionError:
    """The typed error for an ``{"error": …}`` object that arrived inside a 200 stream."""
    message = message_from_json(data) or "the server reported an error"
    err = data.get("error") if isinstance(data, dict) else None
    status: int | None = None
    code = ""
    if isinstance(err, dict):
        raw = err.get("code") if err.get("code") is not None else err.get("status")
        if isinstance(raw, int) and 100 <= raw < 600:
            status = raw
        elif isinstance(raw, str) and raw.isdigit() and 100 <= int(raw) < 600:
            status = int(raw)
        code = f"{err.get('type', '')} {err.get('code', '')}".lower()
    if status is not None:
        return error_for_status(status, message, url=url)
    if "auth" in code or "key" in code:
        return AuthenticationError(message, url=url)
    if "rate" in code or "quota" in code:
        return RateLimitError(message, url=url)
    if "invalid" in code or "request" in code:
        return BadRequestError(message, url=url)
    return ServerError(message, url=url)


def default_reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
