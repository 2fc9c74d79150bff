"""The typed events and results of a completion run, and the parsing of their JSON parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


@dataclass
class RunMetrics:
    """Timings of one run, in seconds from the moment the request was sent."""

    ttfb: float | None = None
    ttft: float | None = None
    total: float | None = None
    completion_tokens: int = 0
    tokens_from_usage: bool = False

    @property
    def tokens_per_second(self) -> float | None:
        if self.total is None or self.ttft is None or self.completion_tokens <= 0:
            return None
        span = self.total - self.ttft
        if span <= 0:
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
    texts: dict[int, str]


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
        lp = lps[i] if i < len(lps) else None
        top = tops[i] if i < len(tops) else None
        off = offs[i] if i < len(offs) else None
        out.append(
            TokenLogprob(
                token=str(tok),
                logprob=float(lp) if isinstance(lp, (int, float)) else None,
                top={str(k): float(v) for k, v in top.items() if isinstance(v, (int, float))}
                if isinstance(top, dict)
                else {},
                offset=off if isinstance(off, int) else None,
            )
        )
    return out


def parse_usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None

    def num(key: str) -> int | None:
        v = raw.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    return Usage(num("prompt_tokens"), num("completion_tokens"), num("total_tokens"))


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
        created if isinstance(created, int) else None,
        item,
    )
