"""Compare side by side: one prompt, 2–8 columns (provider × model × overrides), as data.

A ``Column`` says where a request goes (a saved provider's name, or a custom base URL), which
model, and only the parameters it changes (a ``RequestDraft`` of overrides laid over the shared
one: a column shows which values are its own), and optionally a ``Price``. A ``Comparison`` is the
prompt, the shared draft, the columns, the repeat count and their ``Order``; it says what keeps it
from running and reads its JSON defensively. ``compare_run`` runs it and holds the results,
``compare_store`` keeps comparisons by name under the home, ``compare_export`` renders results as
Markdown and JSON.
"""

from __future__ import annotations

import enum
import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Final

from app.core.credentials import redact_url
from app.core.draft import ALWAYS_SENT, RequestDraft
from app.core.draft import FORMAT_VERSION as DRAFT_VERSION

MIN_COLUMNS: Final = 2
MAX_COLUMNS: Final = 8
MAX_REPEAT: Final = 100
FORMAT_VERSION: Final = 1


class Order(enum.Enum):
    """How a column's repeats run: one after another (speed unaffected by its own load) or all
    at once (what a relay does under parallel load)."""

    SEQUENTIAL = "sequential"
    CONCURRENT = "concurrent"


@dataclass
class Price:
    """A price per 1M tokens, times a multiplier (relays price by 倍率 on a base price)."""

    prompt_per_million: float = 0.0
    completion_per_million: float = 0.0
    multiplier: float = 1.0

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        base = prompt_tokens * self.prompt_per_million
        base += completion_tokens * self.completion_per_million
        return base / 1_000_000 * self.multiplier

    def to_json(self) -> dict[str, float]:
        return {
            "prompt_per_million": self.prompt_per_million,
            "completion_per_million": self.completion_per_million,
            "multiplier": self.multiplier,
        }

    @classmethod
    def from_json(cls, data: Any) -> Price | None:
        if not isinstance(data, dict):
            return None
        values = [
            data.get(k, d)
            for k, d in (
                ("prompt_per_million", 0.0),
                ("completion_per_million", 0.0),
                ("multiplier", 1.0),
            )
        ]
        if not all(_non_negative(v) for v in values):
            return None
        return cls(*(float(v) for v in values))


@dataclass
class Column:
    """One column: where (``provider`` name or ``base_url``), which model, its own overrides."""

    name: str
    provider: str = ""
    base_url: str = ""
    model: str = ""  # empty: the shared draft's model
    overrides: RequestDraft = field(default_factory=RequestDraft)
    price: Price | None = None

    def draft(self, shared: RequestDraft) -> RequestDraft:
        """The shared draft with this column's own values on top."""
        out = shared.overlaid(self.overrides)
        if self.model:
            out.set("model", self.model)
        return out

    def own_fields(self) -> dict[str, Any]:
        """The values this column sets itself (what its header shows as its own). The model is
        ``self.model``; stream is not a column's choice (a compared run always streams)."""
        own = {k: v for k, v in self.overrides.set_fields().items() if k not in ALWAYS_SENT}
        if self.model:
            own["model"] = self.model
        return own

    def where(self) -> str:
        return self.provider or redact_url(self.base_url)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "provider": self.provider,
            "base_url": self.base_url,
            "model": self.model,
            "overrides": {"version": DRAFT_VERSION, "fields": self._override_fields()},
        }
        if self.price is not None:
            data["price"] = self.price.to_json()
        return data

    def _override_fields(self) -> dict[str, Any]:
        fields = self.overrides.to_json()["fields"]
        return {k: v for k, v in fields.items() if k not in ALWAYS_SENT}

    @classmethod
    def from_json(cls, data: Any, notes: list[str]) -> Column | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            notes.append("a column without a name was left out")
            return None
        provider, base_url, model = (_text(data, k) for k in ("provider", "base_url", "model"))
        raw = data.get("overrides")
        if isinstance(raw, dict) and isinstance(raw.get("fields"), dict):
            # model and stream are not overrides (see own_fields): an old or hand-edited file
            # must not override the shared model with an empty one.
            fields = {k: v for k, v in raw["fields"].items() if k not in ALWAYS_SENT}
            raw = {**raw, "fields": fields}
        overrides, found = RequestDraft.from_json(raw)
        notes += [f"column {data['name']!r}: {n}" for n in found]
        return cls(
            data["name"], provider, base_url, model, overrides, Price.from_json(data.get("price"))
        )


@dataclass
class Comparison:
    """A shared prompt and draft, 2–8 columns, each run ``repeat`` times in ``order``."""

    prompt: str = ""
    shared: RequestDraft = field(default_factory=RequestDraft.starting)
    columns: list[Column] = field(default_factory=list)
    repeat: int = 1
    order: Order = Order.SEQUENTIAL

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def free_name(self) -> str:
        """A name no column has yet: the first free letter A-Z, then A2, A3, ..."""
        taken = {c.name for c in self.columns}
        letter = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in taken), None)
        if letter is not None:
            return letter
        return next(f"A{i}" for i in itertools.count(2) if f"A{i}" not in taken)

    def problems(self) -> list[str]:
        """Everything that keeps it from running, all at once ("column: field: reason")."""
        out: list[str] = []
        if not MIN_COLUMNS <= len(self.columns) <= MAX_COLUMNS:
            out.append(
                f"a comparison has {MIN_COLUMNS} to {MAX_COLUMNS} columns, not {len(self.columns)}"
            )
        if not 1 <= self.repeat <= MAX_REPEAT:
            out.append(f"repeat must be 1 to {MAX_REPEAT}, not {self.repeat}")
        seen: set[str] = set()
        for col in self.columns:
            if not col.name.strip():
                out.append("a column has no name")
            elif col.name in seen:
                out.append(f"two columns are called {col.name!r}")
            seen.add(col.name)
            if not col.provider and not col.base_url:
                out.append(f"{col.name}: a provider or a base URL is required")
            out += [
                f"{col.name}: {p.field}: {p.reason}"
                for p in col.draft(self.shared).problems(self.prompt)
            ]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "prompt": self.prompt,
            "shared": self.shared.to_json(),
            "columns": [c.to_json() for c in self.columns],
            "repeat": self.repeat,
            "order": self.order.value,
        }

    @classmethod
    def from_json(cls, data: Any) -> tuple[Comparison, list[str]]:
        """Read defensively: what is unusable falls back (with a note saying which); never
        raises."""
        notes: list[str] = []
        if not isinstance(data, dict):
            return cls(), ["not a saved comparison; an empty one used"]
        shared, found = RequestDraft.from_json(data.get("shared"))
        notes += found
        raw = data.get("columns")
        items = raw if isinstance(raw, list) else []
        columns = [c for c in (Column.from_json(item, notes) for item in items) if c]
        repeat = data.get("repeat")
        if not (
            isinstance(repeat, int) and not isinstance(repeat, bool) and 1 <= repeat <= MAX_REPEAT
        ):
            if repeat is not None:
                notes.append("repeat: unusable; 1 used")
            repeat = 1
        try:
            order = Order(data.get("order", Order.SEQUENTIAL.value))
        except ValueError:
            notes.append("order: unknown; sequential used")
            order = Order.SEQUENTIAL
        return cls(_text(data, "prompt"), shared, columns, repeat, order), notes


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _non_negative(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
