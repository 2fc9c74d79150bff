"""The typed events and results of a completion run, and the parsing of their JSON parts.

Everything here reads what a server sent, so nothing here may raise on it: ``parse_json`` turns
any document too deep for the rest of the program into a ``ValueError`` and lone-surrogate escapes
into U+FFFD; the number helpers keep only finite, representable values.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

# Real completion documents nest about 5 levels deep (choices → logprobs → top_logprobs → …).
# Python's json recurses once per level and gives up near 1,000 with a RecursionError, not a
# ValueError; a document that parses at 900 levels still breaks the next json.dumps(), str() or
# repr() made from a deeper stack. So anything deeper than this is refused as not JSON we read.
MAX_JSON_DEPTH = 64
# Only the three JSON escapes that can start a surrogate; an escaped backslash is consumed first
# so that ``\\ud800`` (a backslash, then the letters) is left alone.
_SURROGATE_ESCAPE = re.compile(
    r"(\\\\)|(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_MAX_COUNT = 2**53  # token counts, offsets, timestamps: exact as a float, fits every widget


def parse_json(data: str | bytes) -> Any:
    """``json.loads`` for what a server sent: ValueError on anything we cannot use.

    Bytes are decoded as json.loads would (UTF-8/16/32, a UTF-8 BOM allowed). A document nested
    deeper than MAX_JSON_DEPTH is a ValueError, never a RecursionError. A lone surrogate escape
    (``"\\ud800"``) becomes U+FFFD, so the text around it is kept and can still be printed,
    shown by Qt and stored in SQLite (a str holding a lone surrogate cannot be UTF-8 encoded).
    NaN and Infinity are parsed (Python's json accepts them); callers keep numbers they use
    finite with ``finite()`` and ``count()``.
    """
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode(json.detect_encoding(data), "replace")
        if data[:1] == "\ufeff":
            data = data[1:]
    if "\\ud" in data or "\\uD" in data:
        data = _SURROGATE_ESCAPE.sub(_fix_surrogate, data)
    if data.count("[") + data.count("{") > MAX_JSON_DEPTH:
        _check_depth(data)
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _fix_surrogate(m: re.Match[str]) -> str:
    return m.group(0) if m.group(1) or m.group(2) else "\\ufffd"


def _check_depth(text: str) -> None:
    """Raise ValueError if ``text`` nests deeper than MAX_JSON_DEPTH (up to twice that when
    brackets and braces alternate: each pass removes the innermost ``[]`` and ``{}`` pairs)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    for _ in range(MAX_JSON_DEPTH):
        if not brackets:
            return
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:
            return  # unbalanced: not JSON, json.loads says so
        brackets = shorter
    if brackets:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")


def finite(value: Any) -> float | None:
    """A JSON number as a finite float; None for NaN, ±Infinity, overflow, booleans, non-numbers."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except OverflowError:  # an integer literal of hundreds of digits
        return None
    return f if math.isfinite(f) else None


def logprob(value: Any) -> float | None:
    """A log probability: finite, and at most 0 (a server's 1e308 must not become exp() → inf)."""
    f = finite(value)
    return None if f is None else min(f, 0.0)


def count(value: Any) -> int | None:
    """A JSON integer usable as a count or offset (0 … 2**53); None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_COUNT:
        return value
    return None


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """One sampled token with its log probability and the top alternatives."""

    token: str
    logprob: float | None
    top: dict[str, float] = field(default_factory=dict)
    offset: int | None = None


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 3x, and there is one per token
class TextDelta:
    """New text for one choice."""

    index: int
    text: str
    logprobs: list[TokenLogprob] | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    """A choice ended, with the server's reason ("stop", "length", …)."""

    index: int
    reason: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: Usage


@dataclass(frozen=True, slots=True)
class Skipped:
    """A chunk that could not be understood and was skipped (the run goes on)."""

    reason: str
    raw: str


# Shorter than this, "first token to end" is a burst, not a stream: no speed is shown. A model
# streaming 150 tok/s spans it with 4 tokens; a buffered reply split across reads takes < 1 ms.
MIN_SPEED_SPAN_S = 0.02


@dataclass
class RunMetrics:
    """Timings of one run, in seconds from the moment the request was sent.

    ``streamed``: the text arrived over more than one network read. Only then is there an
    interval to measure a speed over: a reply read in one piece (a non-streamed run, a short
    stream the server sent at once) has its first and last token microseconds apart, and
    tokens / microseconds gave figures like 3,833,515.9 tok/s. A relay that buffers the whole
    reply can still deliver it over several reads microseconds apart, so the interval must also
    be at least MIN_SPEED_SPAN_S.
    """

    ttfb: float | None = None
    ttft: float | None = None
    total: float | None = None
    completion_tokens: int = 0
    tokens_from_usage: bool = False
    streamed: bool = False

    @property
    def tokens_per_second(self) -> float | None:
        """Tokens per second from the first token to the end; None without a streamed interval."""
        if not self.streamed or self.total is None or self.ttft is None:
            return None
        span = self.total - self.ttft
        if span < MIN_SPEED_SPAN_S or self.completion_tokens <= 0:
            return None
        return self.completion_tokens / span


@dataclass(frozen=True, slots=True)
class RunDone:
    """The last event of every successful run."""

    metrics: RunMetrics
    usage: Usage | None
    finish_reasons: dict[int, str]
    model: str | None
    id: str | None
    system_fingerprint: str | None
    texts: dict[int, str]  # empty when the run was told not to keep its text
    skipped: int = 0  # chunks that could not be used: some text may be missing


Event = TextDelta | Finished | UsageReport | Skipped | RunDone


@dataclass
class Choice:
    index: int
    text: str
    finish_reason: str | None = None
    logprobs: list[TokenLogprob] | None = None


@dataclass
class Completion:
    """A whole (non-streamed) response."""

    choices: list[Choice]
    usage: Usage | None
    model: str | None
    id: str | None
    system_fingerprint: str | None
    metrics: RunMetrics
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return self.choices[0].text if self.choices else ""


@dataclass(frozen=True)
class ModelInfo:
    id: str
    owned_by: str | None = None
    created: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


# -- parsing helpers -----------------------------------------------------------------------------


def parse_logprobs(raw: Any) -> list[TokenLogprob] | None:
    """Legacy completions logprobs ({tokens, token_logprobs, top_logprobs, text_offset})."""
    if not isinstance(raw, dict):
        return None
    tokens = raw.get("tokens")
    if not isinstance(tokens, list):
        return None
    lps = raw.get("token_logprobs") or []
    tops = raw.get("top_logprobs") or []
    offs = raw.get("text_offset") or []
    out: list[TokenLogprob] = []
    for i, tok in enumerate(tokens):
        lp = lps[i] if isinstance(lps, list) and i < len(lps) else None
        top = tops[i] if isinstance(tops, list) and i < len(tops) else None
        off = offs[i] if isinstance(offs, list) and i < len(offs) else None
        alternatives: dict[str, float] = {}
        if isinstance(top, dict):
            for k, v in top.items():
                f = logprob(v)
                if f is not None:
                    alternatives[str(k)] = f
        out.append(
            TokenLogprob(
                token=tok if isinstance(tok, str) else json.dumps(tok)[:100],
                logprob=logprob(lp),
                top=alternatives,
                offset=count(off),
            )
        )
    return out


def parse_usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None

    return Usage(
        count(raw.get("prompt_tokens")),
        count(raw.get("completion_tokens")),
        count(raw.get("total_tokens")),
    )


def choice_text(choice: dict[str, Any]) -> str:
    text = choice.get("text")
    if isinstance(text, str):
        return text
    # Some relays answer /completions in the chat shape; take its content rather than drop it.
    for key in ("delta", "message"):
        part = choice.get(key)
        if isinstance(part, dict) and isinstance(part.get("content"), str):
            return str(part["content"])
    return ""


def model_info(item: Any) -> ModelInfo | None:
    if isinstance(item, str):
        return ModelInfo(item)
    if not isinstance(item, dict):
        return None
    ident = item.get("id") or item.get("name") or item.get("model")
    if not isinstance(ident, str) or not ident:
        return None
    owned = item.get("owned_by")
    created = item.get("created")
    return ModelInfo(
        ident,
        owned if isinstance(owned, str) else None,
        count(created),
        item,
    )
