"""Running a comparison: every column (and each repeat) streamed at once, and the results.

``run_comparison`` / ``ComparisonRunner`` stream every column of a ``compare.Comparison`` at once
with asyncio: each column (and each repeat) is its own task on the one HTTP client, so a failing,
slow or stalled column ends with its own error or timeout and never holds up the others. Every
attempt is a core ``Run`` (recorded through ``Run.to_record`` like the window's and the CLI's
runs) plus the figures a comparison is read by (``Attempt``: TTFT, tok/s, tokens, cost, error),
and a column's repeats give their ``Spread``.

Resolving endpoints (a provider's key is on the keyring) is the caller's job: the window does it
on its keyring lane, the CLI up front. Recording is too: ``record`` is a History (fine for the CLI;
its SQLite write is short but blocking) or a callback (the window hands the row to its history
lane).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from app.core.client import CompletionClient
from app.core.compare import Column, Comparison, Order
from app.core.credentials import redact_url
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError
from app.core.events import Event, RunDone, TextDelta
from app.core.history import History, RunRecord
from app.core.playground import estimate_tokens
from app.core.run import Run, RunMode

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


# A chart point at most this often per attempt (see Attempt.timeline): far finer than a pixel.
POINT_S = 0.005
# A column's stream gives the event loop a turn after this much work: a read that brings
# hundreds of buffered chunks is otherwise parsed in one go (about 15 ms for 64 KB), and eight
# columns doing that in a row would stall the window for over 100 ms (bench/compare_stream.py).
SLICE_S = 0.001


@dataclass
class Attempt:
    """One run of one column: the core Run and the figures it is compared by.

    ``timeline`` is (seconds since sent, text chunks received so far): what a chart of tokens
    over time plots, stalls included (servers stream about one token per chunk; the count is the
    client's own, so it is live and exact for what arrived, where usage comes only at the end if
    at all). A point is kept at most every POINT_S (and always the first and the last), so an
    hour-long stream stays a few hundred thousand points, and a stall shows as a flat line up to
    the chunk that ends it.
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
    chunks: int = 0  # text events received (a live tokens/s before the server's usage)
    streaming: bool = False
    began: float | None = None  # perf_counter when sent

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
#: ``on_end(attempt)``: an attempt ended (finished, failed or stopped), its figures final.
OnEnd = Callable[["Attempt"], None]
Recorder = History | Callable[[RunRecord], None]


class ComparisonRunner:
    """Runs one comparison; ``stop(column)`` stops one column, ``stop()`` every one.

    A stopped attempt keeps what arrived (its Run is marked stopped and recorded as such).
    ``result`` is the live result from the moment ``run()`` starts (a view reads each attempt's
    figures while it streams); ``on_end`` hears of each attempt as it ends.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoints: Mapping[str, Endpoint],
        comparison: Comparison,
        on_event: OnEvent | None = None,
        record: Recorder | None = None,
        on_end: OnEnd | None = None,
    ) -> None:
        self.http = http
        self.endpoints = endpoints
        self.comparison = comparison
        self.on_event = on_event
        self.on_end = on_end
        self.record = record
        self.result: ComparisonResult | None = None
        self._tasks: dict[str, asyncio.Task[None]] = {}

    async def run(self) -> ComparisonResult:
        cmp = self.comparison
        missing = [c.name for c in cmp.columns if c.name not in self.endpoints]
        if missing:
            raise ValueError(f"no endpoint for column(s): {', '.join(missing)}")
        result = ComparisonResult(cmp, [ColumnResult(c) for c in cmp.columns], time.time())
        self.result = result
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
        attempt.streaming, attempt.began = True, start
        done: RunDone | None = None
        timeline = attempt.timeline
        on_event = self.on_event
        point = -POINT_S  # seconds of the last chart point
        last = 0.0  # seconds of the last text chunk
        slice_end = start + SLICE_S
        try:
            async for batch in client.stream_batches(run.request):
                run.feed(batch)
                texts = 0
                for e in batch:
                    if type(e) is TextDelta:
                        texts += 1
                    elif type(e) is RunDone:
                        done = e
                clock = time.perf_counter()
                if texts:
                    attempt.chunks += texts
                    now = last = clock - start
                    if attempt.ttft is None:
                        attempt.ttft = now
                    if now - point >= POINT_S:
                        timeline.append((now, attempt.chunks))
                        point = now
                if on_event is not None:
                    on_event(attempt.column, attempt.repeat, batch)
                if clock >= slice_end:
                    await asyncio.sleep(0)  # the other columns and the window get a turn
                    slice_end = time.perf_counter() + SLICE_S
        except CompletionError as exc:
            run.fail(exc.message, exc.status)
            attempt.error, attempt.status = exc.message, exc.status
        except asyncio.CancelledError:
            run.stop()
            raise
        finally:
            attempt.total = time.perf_counter() - start
            if timeline and timeline[-1][1] != attempt.chunks:
                timeline.append((last, attempt.chunks))  # the last chunk's own point
            attempt.streaming = False
            self._figures(attempt, done)
            self._record(run)
            if self.on_end is not None:
                self.on_end(attempt)

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
