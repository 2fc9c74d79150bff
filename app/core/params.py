"""The POST /v1/completions request: every documented field, its range, default and validation.

The relay pages in ``shared/seeds`` document one request shape; this module is the single place
that knows it. A field left at ``UNSET`` is not sent at all (strict relays reject fields they do
not support); a nullable field set to ``None`` is sent as JSON ``null``.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Final, TypeAlias


class Unset(enum.Enum):
    """Marker for "the user did not set this field": it is left out of the request body."""

    UNSET = 0

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

Prompt: TypeAlias = str | list[str] | list[int] | list[list[int]]
Stop: TypeAlias = str | list[str] | None


@dataclass(frozen=True)
class FieldSpec:
    """What the UI and the validator need to know about one numeric field."""

    name: str
    kind: type
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False


# Ranges and defaults as the seed pages document them (OpenAI's legacy completions API).
SPECS: Final[dict[str, FieldSpec]] = {
    s.name: s
    for s in (
        FieldSpec("max_tokens", int, 16, 0, None),
        FieldSpec("temperature", float, 1.0, 0.0, 2.0),
        FieldSpec("top_p", float, 1.0, 0.0, 1.0),
        FieldSpec("n", int, 1, 1, 128),
        FieldSpec("best_of", int, 1, 1, 20),
        FieldSpec("logprobs", int, None, 0, 5, nullable=True),
        FieldSpec("presence_penalty", float, 0.0, -2.0, 2.0),
        FieldSpec("frequency_penalty", float, 0.0, -2.0, 2.0),
        FieldSpec("seed", int, None, -(2**63), 2**63 - 1, nullable=True),
    )
}

MAX_STOP_SEQUENCES: Final = 4
LOGIT_BIAS_RANGE: Final = (-100.0, 100.0)


@dataclass(frozen=True)
class Problem:
    """One reason a request cannot be sent: the field (dotted for nested values) and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidRequest(ValueError):
    """Raised when a request with problems is about to be sent; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class CompletionRequest:
    """A /v1/completions request. Fields left at UNSET are not sent."""

    model: str = ""
    prompt: Prompt = ""
    suffix: str | None | Unset = UNSET
    max_tokens: int | None | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    n: int | None | Unset = UNSET
    best_of: int | None | Unset = UNSET
    stream: bool | Unset = UNSET
    logprobs: int | None | Unset = UNSET
    echo: bool | Unset = UNSET
    stop: Stop | Unset = UNSET
    presence_penalty: float | None | Unset = UNSET
    frequency_penalty: float | None | Unset = UNSET
    logit_bias: dict[str, float] | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    user: str | None | Unset = UNSET
    extra: dict[str, Any] = field(default_factory=dict)

    # -- building -----------------------------------------------------------------------------

    def is_set(self, name: str) -> bool:
        return getattr(self, name) is not UNSET

    def effective(self, name: str) -> Any:
        """The value the server will use: the one set, or the documented default."""
        value = getattr(self, name)
        if value is UNSET:
            spec = SPECS.get(name)
            return spec.default if spec else None
        return value

    def to_body(self) -> dict[str, Any]:
        """The JSON body: model, prompt, every field that was set, then ``extra`` merged in."""
        body: dict[str, Any] = {"model": self.model, "prompt": self.prompt}
        for f in fields(self):
            if f.name in ("model", "prompt", "extra"):
                continue
            value = getattr(self, f.name)
            if value is not UNSET:
                body[f.name] = value
        body.update(self.extra)
        return body

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CompletionRequest:
        """The inverse of to_body: known keys become fields, the rest goes to ``extra``."""
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {k: v for k, v in body.items() if k in known}
        extra = {k: v for k, v in body.items() if k not in known}
        return cls(**kwargs, extra=extra)

    def to_json(self) -> str:
        return json.dumps(self.to_body(), ensure_ascii=False)

    # -- validation ---------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every reason this request cannot be sent (empty when it can)."""
        out: list[Problem] = []
        if not isinstance(self.model, str) or not self.model.strip():
            out.append(Problem("model", "a model name is required"))
        out.extend(_check_prompt(self.prompt))
        for name in ("suffix", "user"):
            value = getattr(self, name)
            if value is not UNSET and value is not None and not isinstance(value, str):
                out.append(Problem(name, "must be text"))
        for name in ("stream", "echo"):
            value = getattr(self, name)
            if value is not UNSET and not isinstance(value, bool):
                out.append(Problem(name, "must be true or false"))
        for spec in SPECS.values():
            out.extend(_check_number(spec, getattr(self, spec.name)))
        out.extend(self._cross_field_problems())
        out.extend(_check_stop(self.stop))
        out.extend(_check_logit_bias(self.logit_bias))
        out.extend(self._extra_problems())
        return out

    def validate(self) -> None:
        """Raise InvalidRequest listing every problem, if there is any."""
        found = self.problems()
        if found:
            raise InvalidRequest(found)

    def _cross_field_problems(self) -> list[Problem]:
        out: list[Problem] = []
        max_tokens = self.max_tokens
        if isinstance(max_tokens, int) and max_tokens == 0 and self.echo is not True:
            out.append(
                Problem("max_tokens", "0 is only meaningful with echo (to score the prompt)")
            )
        best_of, n = self.best_of, self.effective("n")
        if isinstance(best_of, int) and not isinstance(best_of, bool):
            if isinstance(n, int) and best_of < n:
                out.append(Problem("best_of", f"must be at least n ({n})"))
            if self.stream is True and best_of > 1:
                out.append(Problem("best_of", "cannot be used with stream; turn streaming off"))
        return out

    def _extra_problems(self) -> list[Problem]:
        if not isinstance(self.extra, dict):
            return [Problem("extra", "must be a JSON object")]
        own = {f.name for f in fields(self)} - {"extra"}
        return [
            Problem(f"extra.{key}", f"'{key}' has its own field; set it there")
            for key in self.extra
            if key in own
        ]


#: The documented request fields (everything but ``extra``), in their order.
FIELD_NAMES: Final = tuple(f.name for f in fields(CompletionRequest) if f.name != "extra")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_number(spec: FieldSpec, value: Any) -> list[Problem]:
    if value is UNSET:
        return []
    if value is None:
        # Null means "server default" for every numeric field; the API accepts it for all.
        return []
    if spec.kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            return [Problem(spec.name, "must be a whole number")]
    elif not _is_number(value) or not math.isfinite(value):
        return [Problem(spec.name, "must be a finite number")]
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and value < lo:
        return [Problem(spec.name, _range_text(spec, value))]
    if hi is not None and value > hi:
        return [Problem(spec.name, _range_text(spec, value))]
    return []


def _range_text(spec: FieldSpec, value: Any) -> str:
    if spec.maximum is None:
        return f"must be at least {_fmt(spec.minimum)} (got {_fmt(value)})"
    return f"must be between {_fmt(spec.minimum)} and {_fmt(spec.maximum)} (got {_fmt(value)})"


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_prompt(prompt: Any) -> list[Problem]:
    if isinstance(prompt, str):
        return []
    if isinstance(prompt, list) and prompt:
        if all(isinstance(p, str) for p in prompt):
            return []
        if all(_is_token(p) for p in prompt):
            return []
        if all(isinstance(p, list) and p and all(_is_token(t) for t in p) for p in prompt):
            return []
    return [
        Problem(
            "prompt",
            "must be text, a list of texts, a list of token ids, or a list of token-id lists",
        )
    ]


def _is_token(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_stop(stop: Any) -> list[Problem]:
    if stop is UNSET or stop is None:
        return []
    items = [stop] if isinstance(stop, str) else stop
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        return [Problem("stop", "must be a text or a list of texts")]
    out: list[Problem] = []
    if len(items) > MAX_STOP_SEQUENCES:
        out.append(Problem("stop", f"at most {MAX_STOP_SEQUENCES} sequences (got {len(items)})"))
    if any(s == "" for s in items):
        out.append(Problem("stop", "a stop sequence cannot be empty"))
    return out


def _check_logit_bias(bias: Any) -> list[Problem]:
    if bias is UNSET or bias is None:
        return []
    if not isinstance(bias, dict):
        return [Problem("logit_bias", "must be a JSON object mapping token ids to numbers")]
    lo, hi = LOGIT_BIAS_RANGE
    out: list[Problem] = []
    for key, value in bias.items():
        where = f"logit_bias.{key}"
        if not str(key).isdigit():
            out.append(Problem(where, "a key must be a token id (a whole number ≥ 0)"))
        elif not _is_number(value) or not math.isfinite(value):
            out.append(Problem(where, "the bias must be a number"))
        elif not lo <= value <= hi:
            out.append(Problem(where, f"the bias must be between -100 and 100 (got {_fmt(value)})"))
    return out


def parse_json_object(text: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse user-typed JSON that must be an object (logit_bias, extra). Empty text is None."""
    if not text.strip():
        return None, []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            Problem(name, f"not valid JSON: {exc.msg} at line {exc.lineno} col {exc.colno}")
        ]
    if not isinstance(value, dict):
        return None, [Problem(name, "must be a JSON object { … }")]
    return value, []
