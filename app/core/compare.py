"""Compare side by side: one prompt, 2–8 columns (provider × model × overrides), run at once.

A ``Column`` says where a request goes (a saved provider's name, or a custom base URL), which
model, and only the parameters it changes (a ``RequestDraft`` of overrides laid over the shared
one: a column shows which values are its own). A ``Comparison`` is the prompt, the shared draft,
the columns and the repeat count. ``run_comparison`` streams every column at once with asyncio:
each column (and each repeat) is its own task on the one HTTP client, so a failing, slow or
stalled column ends with its own error or timeout and never holds up the others. Every attempt is
a core ``Run`` (recorded through ``Run.to_record`` like the window's and the CLI's runs) plus the
figures a comparison is read by (``Attempt``). ``ComparisonStore`` keeps comparisons by name
under the home; ``compare_export`` renders results as Markdown and JSON.

Resolving endpoints (a provider's key is on the keyring) is the caller's job: the window does it
on its keyring lane, the CLI up front. Recording is too: ``record`` is a History (fine for the CLI;
its SQLite write is short but blocking) or a callback (the window hands the row to its history
lane).
"""

from __future__ import annotations

import asyncio
import enum
import math
import re
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx

from app.core.client import CompletionClient
from app.core.credentials import redact_url
from app.core.draft import ALWAYS_SENT, RequestDraft
from app.core.draft import FORMAT_VERSION as DRAFT_VERSION
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError
from app.core.events import Event, RunDone, TextDelta
from app.core.history import History, RunRecord
from app.core.playground import estimate_tokens
from app.core.run import Run, RunMode
from app.core.storage import JsonFile, make_private_dir

MIN_COLUMNS: Final = 2
MAX_COLUMNS: Final = 8
MAX_REPEAT: Final = 100
FORMAT_VERSION: Final = 1
# A name is a file name under comparisons/: no separators, no leading dot, nothing control.
_BAD_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


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


# -- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    minimum: float
    median: float
    maximum: float

    @classmethod
    def of(cls, values: list[float | None]) -> Spread | None:
        real = [v for v in values if v is not None]
        if not real:
            return None
        return cls(min(real), statistics.median(real), max(real))


@dataclass
class Attempt:
    """One run of one column: the core Run and the figures it is compared by.

    ``timeline`` is (seconds since sent, characters received so far), one point per network read
    that brought text: what a chart of tokens over time plots, stalls included.
    """

    column: str
    repeat: int
    run: Run
    ttft: float | None = None
    total: float | None = None
    tokens_per_second: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = True  # no usage from the server: counted by estimate_tokens
    finish_reason: str | None = None
    cost: float | None = None
    error: str = ""
    status: int | None = None
    timeline: list[tuple[float, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and self.run.outcome.value == "finished"

    @property
    def text(self) -> str:
        return self.run.text()


@dataclass
class ColumnResult:
    column: Column
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.attempts) and all(a.ok for a in self.attempts)

    @property
    def outputs(self) -> list[str]:
        return [a.text for a in self.attempts]

    def spread(self, figure: str) -> Spread | None:
        """min / median / max of ``ttft``, ``tokens_per_second`` or ``total`` over the repeats
        that produced it."""
        return Spread.of([getattr(a, figure) for a in self.attempts])


@dataclass
class ComparisonResult:
    comparison: Comparison
    columns: list[ColumnResult]
    started: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.columns)

    def column(self, name: str) -> ColumnResult | None:
        return next((c for c in self.columns if c.column.name == name), None)


# -- running --------------------------------------------------------------------------------------

#: ``on_event(column name, repeat index, events of one network read)``: the live view's feed.
OnEvent = Callable[[str, int, list[Event]], None]
Recorder = History | Callable[[RunRecord], None]


class ComparisonRunner:
    """Runs one comparison; ``stop(column)`` stops one column, ``stop()`` every one.

    A stopped attempt keeps what arrived (its Run is marked stopped and recorded as such).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoints: Mapping[str, Endpoint],
        comparison: Comparison,
        on_event: OnEvent | None = None,
        record: Recorder | None = None,
    ) -> None:
        self.http = http
        self.endpoints = endpoints
        self.comparison = comparison
        self.on_event = on_event
        self.record = record
        self._tasks: dict[str, asyncio.Task[None]] = {}

    async def run(self) -> ComparisonResult:
        cmp = self.comparison
        missing = [c.name for c in cmp.columns if c.name not in self.endpoints]
        if missing:
            raise ValueError(f"no endpoint for column(s): {', '.join(missing)}")
        result = ComparisonResult(cmp, [ColumnResult(c) for c in cmp.columns], time.time())
        for col in result.columns:
            self._tasks[col.column.name] = asyncio.create_task(self._column(col))
        try:
            # Each column task catches its own errors; gather only waits (stop() cancels one).
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        except asyncio.CancelledError:
            self.stop()
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            raise
        return result

    def stop(self, column: str | None = None) -> None:
        for name, task in self._tasks.items():
            if column is None or name == column:
                task.cancel()

    async def _column(self, result: ColumnResult) -> None:
        col = result.column
        cmp = self.comparison
        attempts = [self._attempt(col, i) for i in range(cmp.repeat)]
        result.attempts.extend(attempts)
        try:
            if cmp.order is Order.CONCURRENT:
                await asyncio.gather(*(self._stream(a) for a in attempts))
            else:
                for a in attempts:
                    await self._stream(a)
        except asyncio.CancelledError:
            pass  # stopped: every attempt already marked and recorded itself
        finally:
            # Attempts that never started (a sequential column stopped early) are dropped.
            result.attempts[:] = [a for a in attempts if a.run.finished]

    def _attempt(self, col: Column, repeat: int) -> Attempt:
        draft = col.draft(self.comparison.shared)
        draft.set("stream", True)
        request = draft.to_request(self.comparison.prompt)
        endpoint = self.endpoints[col.name]
        run = Run(
            request, RunMode.NEW, provider=col.provider, url=redact_url(endpoint.completions())
        )
        return Attempt(col.name, repeat, run)

    async def _stream(self, attempt: Attempt) -> None:
        run = attempt.run
        client = CompletionClient(self.http, self.endpoints[attempt.column])
        run.started = time.time()
        start = time.perf_counter()
        received = 0
        done: RunDone | None = None
        try:
            async for batch in client.stream_batches(run.request):
                run.feed(batch)
                chars = sum(len(e.text) for e in batch if isinstance(e, TextDelta))
                if chars:
                    received += chars
                    now = time.perf_counter() - start
                    if attempt.ttft is None:
                        attempt.ttft = now
                    attempt.timeline.append((now, received))
                done = next((e for e in batch if isinstance(e, RunDone)), done)
                if self.on_event is not None:
                    self.on_event(attempt.column, attempt.repeat, batch)
        except CompletionError as exc:
            run.fail(exc.message, exc.status)
            attempt.error, attempt.status = exc.message, exc.status
        except asyncio.CancelledError:
            run.stop()
            raise
        finally:
            attempt.total = time.perf_counter() - start
            self._figures(attempt, done)
            self._record(run)

    def _figures(self, a: Attempt, done: RunDone | None) -> None:
        run = a.run
        if done is not None:
            m = done.metrics  # the client's own timings, the same the window shows
            a.ttft = m.ttft if m.ttft is not None else a.ttft
            a.total = m.total if m.total is not None else a.total
            a.tokens_per_second = m.tokens_per_second
        usage = run.usage
        if usage is not None and usage.completion_tokens is not None:
            a.completion_tokens = usage.completion_tokens
            a.prompt_tokens = usage.prompt_tokens or 0
            a.tokens_estimated = False
        else:
            a.completion_tokens = sum(estimate_tokens(t) for t in run.texts().values())
            prompt = run.request.prompt
            a.prompt_tokens = estimate_tokens(prompt) if isinstance(prompt, str) else 0
        a.finish_reason = run.finish_reasons().get(0)
        col = self.comparison.column(a.column)
        if col is not None and col.price is not None:
            a.cost = col.price.cost(a.prompt_tokens, a.completion_tokens)

    def _record(self, run: Run) -> None:
        if self.record is None:
            return
        if isinstance(self.record, History):
            self.record.add(run.to_record())
        else:
            self.record(run.to_record())


async def run_comparison(
    http: httpx.AsyncClient,
    endpoints_by_column: Mapping[str, Endpoint],
    comparison: Comparison,
    on_event: OnEvent | None = None,
    *,
    record: Recorder | None = None,
) -> ComparisonResult:
    """Run every column of ``comparison`` at once; each column's errors stay in its result."""
    runner = ComparisonRunner(http, endpoints_by_column, comparison, on_event, record)
    return await runner.run()


# -- saved comparisons ----------------------------------------------------------------------------


def usable_name(name: str) -> bool:
    """Can ``name`` be a saved comparison's name? It becomes a file name: not empty, no
    surrounding spaces, no leading dot, no separator or character a file system refuses, at most
    200 UTF-8 bytes. A yes/no: the window words the reason in its own (translated) text."""
    return bool(
        name.strip()
        and name.strip() == name
        and not name.startswith(".")
        and not _BAD_NAME.search(name)
        and len(name.encode("utf-8")) <= 200
    )


class ComparisonStore:
    """Comparisons saved by name as ``<home>/comparisons/<name>.json`` (atomic writes; an
    unreadable file is moved aside, never overwritten)."""

    def __init__(self, home: Path) -> None:
        self.folder = home / "comparisons"

    def names(self) -> list[str]:
        try:
            return sorted(
                p.stem for p in self.folder.glob("*.json") if ".unreadable-" not in p.name
            )
        except OSError:
            return []

    def save(self, name: str, comparison: Comparison) -> Path:
        """Raises ValueError for a bad name, OSError when it cannot be written."""
        if not usable_name(name):
            raise ValueError(f"{name!r} cannot be a comparison's name (it becomes a file name)")
        make_private_dir(self.folder)
        path = self.folder / f"{name}.json"
        JsonFile(path).save(comparison.to_json())
        return path

    def load(self, name: str) -> tuple[Comparison | None, list[str]]:
        """The saved comparison and notes on what was dropped; None when missing or unreadable."""
        if not usable_name(name):
            return None, []
        file = JsonFile(self.folder / f"{name}.json")
        data = file.load()
        if data is None:
            notes = [f"{file.unreadable.reason}; moved aside"] if file.unreadable else []
            return None, notes
        return Comparison.from_json(data)

    def delete(self, name: str) -> None:
        if usable_name(name):
            (self.folder / f"{name}.json").unlink(missing_ok=True)


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
