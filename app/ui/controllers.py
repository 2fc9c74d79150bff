"""Controllers: small QObjects that consume the core's async iterators for the widgets.

Widgets never touch httpx: they call a controller's slots and listen to its signals. Text is
coalesced to the frame rate here: the stream may deliver thousands of chunks per second, the
widgets get at most one ``textReady`` per choice per frame, each capped in size so that one
event-loop turn never does unbounded work. Text waiting beyond the cap is a queue of strings read
from an offset, so a backlog costs each frame only what that frame emits (copying the rest at
every frame made an endless line quadratic).

The run does not keep its text in the core (``keep_text=False``): the widgets show it and the
recorder keeps it, and a third copy cost ~60 bytes per chunk.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.errors import CompletionError
from app.core.params import CompletionRequest, InvalidRequest

if TYPE_CHECKING:
    import asyncio

    import httpx

    from app.core.client import CompletionClient
    from app.core.endpoint import Endpoint

# app.core.client (and so httpx, ~60 ms) is imported on first use, after the window is shown.

FRAME_MS = 16
MAX_FRAME_MS = 250
PACE_FACTOR = 3
PACE_FROM_S = 0.020  # inserts cheaper than this keep the frame rate
MAX_CHARS_PER_FRAME = 16_384  # per choice; the rest waits for the next frame
QT_INT_MAX = 2**31 - 1  # a signal's int; the core only passes indexes below the request's n


class RunController(QObject):
    """Runs one completion at a time.

    Signals:
        started(): a run began.
        textReady(int, str): new text for a choice index, coalesced per frame.
        logprobsReady(int, object): per-token logprobs (list[TokenLogprob]) of the text of the
            textReady emitted just before it for the same choice.
        finished(object): the RunDone of a successful run, after all its text.
        failed(object): the CompletionError of a failed run, after the text received so far.
        stopped(): the user stopped the run; the text received so far was delivered.
        busyChanged(bool)
    """

    started = Signal()
    textReady = Signal(int, str)
    logprobsReady = Signal(int, object)
    finished = Signal(object)
    failed = Signal(object)
    stopped = Signal()
    busyChanged = Signal(bool)

    def __init__(self, http: httpx.AsyncClient | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.http = http  # may be attached after construction (see app.__main__)
        self._task: asyncio.Task[None] | None = None
        self._pending: dict[int, list[str]] = {}  # text of this frame's events
        self._backlog: dict[int, deque[str]] = {}  # text past earlier frames' caps
        self._backlog_at: dict[int, int] = {}  # characters of the backlog's first string shown
        self._pending_lp: dict[int, list[Any]] = {}
        self._outcome: tuple[str, object] | None = None
        self._flush = QTimer(self)
        self._flush.setInterval(FRAME_MS)
        self._flush.timeout.connect(self._on_flush_timeout)
        self._final_flush = QTimer(self)  # once, as soon as the stream has ended
        self._final_flush.setSingleShot(True)
        self._final_flush.setInterval(0)
        self._final_flush.timeout.connect(self._on_flush_timeout)
        self.chunks = 0  # TextDelta count of the current run (benchmarks read it)
        self.skipped = 0  # chunks of the current run the core could not use: text may be lost
        self.last_started = 0.0

    @property
    def busy(self) -> bool:
        return self._task is not None or self._outcome is not None

    def start(self, endpoint: Endpoint, request: CompletionRequest) -> None:
        """Begin a run (streamed if ``request.stream`` is true, else one reply)."""
        if self.busy:
            return
        self.chunks = 0
        self.skipped = 0
        self.last_started = time.perf_counter()
        self._pending.clear()
        self._backlog.clear()
        self._backlog_at.clear()
        self._pending_lp.clear()
        self._outcome = None
        from app.core.client import CompletionClient, RunDone, Skipped, TextDelta

        self._text_cls: type = TextDelta
        self._done_cls: type = RunDone
        self._skipped_cls: type = Skipped
        assert self.http is not None, "no HTTP client attached yet"
        client = CompletionClient(self.http, endpoint)
        import asyncio  # (not at module load: the window opens before asyncio is imported)

        self._task = asyncio.ensure_future(self._run(client, request))
        self._flush.setInterval(FRAME_MS)
        self._flush.start()
        self.busyChanged.emit(True)
        self.started.emit()

    def pace(self, insert_seconds: float) -> None:
        """Adapt the frame interval to what showing a frame costs (the widget measures it).

        Inserts under PACE_FROM_S keep 16 ms frames. A slower one (a huge paragraph re-laid out
        on every insert) stretches the interval to PACE_FACTOR times its cost, up to
        MAX_FRAME_MS, with a proportionally larger text cap: the loop is busy with inserts about
        a third of the time and the text still keeps up with the stream.
        """
        if insert_seconds < PACE_FROM_S:
            ms = FRAME_MS  # ordinary text: frame rate
        else:
            ms = min(MAX_FRAME_MS, int(insert_seconds * 1000 * PACE_FACTOR))
        if ms != self._flush.interval():
            self._flush.setInterval(ms)

    def stop(self) -> None:
        """Cancel the run: the connection closes at once, the text so far is kept."""
        if self._task is not None:
            self._task.cancel()

    async def _run(self, client: CompletionClient, request: CompletionRequest) -> None:
        import asyncio

        from app.core.client import Finished, RunDone, TextDelta

        try:
            if request.stream is True:
                # The loop gets a turn at every network read (httpcore reads 64 KiB at most,
                # ~350 chunks, ~5 ms here); text reaches the widgets in per-frame batches.
                async for batch in client.stream_batches(request, keep_text=False):
                    for ev in batch:
                        self._take(ev)
            else:
                result = await client.complete(request)
                for ch in result.choices:
                    self._take(TextDelta(ch.index, ch.text, ch.logprobs))
                    if ch.finish_reason:
                        self._take(Finished(ch.index, ch.finish_reason))
                done = RunDone(
                    result.metrics,
                    result.usage,
                    {c.index: c.finish_reason for c in result.choices if c.finish_reason},
                    result.model,
                    result.id,
                    result.system_fingerprint,
                    {c.index: c.text for c in result.choices},
                )
                self._take(done)
        except asyncio.CancelledError:
            self._outcome = ("stopped", None)
        except CompletionError as exc:
            self._outcome = ("failed", exc)
        except InvalidRequest as exc:
            self._outcome = ("failed", CompletionError(str(exc)))
        except Exception as exc:  # noqa: BLE001 - a server must never crash the app
            why = self.tr("unexpected error: %1").replace("%1", repr(exc))
            self._outcome = ("failed", CompletionError(why))
        finally:
            self._task = None
            if self._outcome is None:
                why = self.tr("the run ended without a result")
                self._outcome = ("failed", CompletionError(why))
            if self._outcome[0] != "stopped":  # (stopped: the window may be closing)
                # The rest need not wait for the next frame: a short reply is shown sooner.
                self._final_flush.start()

    def _take(self, ev: object) -> None:
        if type(ev) is self._text_cls:
            self.chunks += 1
            if ev.text:
                parts = self._pending.get(ev.index)
                if parts is None:
                    self._pending[ev.index] = [ev.text]
                else:
                    parts.append(ev.text)
            if ev.logprobs:
                self._pending_lp.setdefault(ev.index, []).extend(ev.logprobs)
        elif type(ev) is self._done_cls:
            self._outcome = ("finished", ev)
        elif type(ev) is self._skipped_cls:
            self.skipped += 1
        # Finished, UsageReport: reported in RunDone

    def _take_text(self, index: int, cap: int | None) -> str:
        """Up to ``cap`` characters (all if None) from the front of ``index``'s backlog."""
        queue, at = self._backlog[index], self._backlog_at[index]
        taken: list[str] = []
        size = 0
        while queue and (cap is None or size < cap):
            head = queue[0]
            piece = head[at:] if cap is None else head[at : at + cap - size]
            at += len(piece)
            size += len(piece)
            taken.append(piece)
            if at >= len(head):
                queue.popleft()
                at = 0
        if queue:
            self._backlog_at[index] = at
        else:
            del self._backlog[index]
            del self._backlog_at[index]
        return taken[0] if len(taken) == 1 else "".join(taken)

    def _on_flush_timeout(self) -> None:
        # The cap grows with the frame interval: longer frames, same characters per second.
        cap = MAX_CHARS_PER_FRAME * self._flush.interval() // FRAME_MS
        for index in list(self._pending):
            parts = self._pending.pop(index)
            text = parts[0] if len(parts) == 1 else "".join(parts)
            if not 0 <= index <= QT_INT_MAX:
                continue  # cannot reach a widget (the core already bounds it by n)
            queue = self._backlog.get(index)
            if queue is None:
                queue = self._backlog[index] = deque()
                self._backlog_at[index] = 0
            queue.append(text)
        for index in list(self._backlog):
            lps = self._pending_lp.pop(index, None)
            # Text with logprobs is never split: its tokens must match the text emitted with it.
            text = self._take_text(index, None if lps else cap)
            if text:
                self.textReady.emit(index, text)
            if lps:
                self.logprobsReady.emit(index, lps)  # the tokens of exactly that text
        self._pending_lp.clear()
        more = bool(self._backlog)
        if more or self._task is not None or self._outcome is None:
            return
        self._flush.stop()
        kind, payload = self._outcome
        self._outcome = None
        self.busyChanged.emit(False)
        if kind == "finished":
            self.finished.emit(payload)
        elif kind == "stopped":
            self.stopped.emit()
        else:
            self.failed.emit(payload)


class ModelsController(QObject):
    """Fetches GET /v1/models.

    Signals:
        loaded(list): model ids, sorted.
        failed(object): the CompletionError.
    """

    loaded = Signal(list)
    failed = Signal(object)

    def __init__(self, http: httpx.AsyncClient | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.http = http
        self._task: asyncio.Task[None] | None = None
        self._waiting: Endpoint | None = None
        self.context_lengths: dict[str, int] = {}

    def set_http(self, http: httpx.AsyncClient) -> None:
        """The app's client arrived, on the running loop: start a refresh asked for before."""
        self.http = http
        if self._waiting is not None:
            endpoint, self._waiting = self._waiting, None
            self.refresh(endpoint)

    def refresh(self, endpoint: Endpoint) -> None:
        if self.http is None:
            # The window is built before the event loop exists (it paints first); a task made
            # now would go to a throw-away loop and never run. Wait for the client instead.
            self._waiting = endpoint
            return
        if self._task is not None:
            self._task.cancel()
        import asyncio

        self._task = asyncio.ensure_future(self._fetch(endpoint))

    async def _fetch(self, endpoint: Endpoint) -> None:
        import asyncio

        from app.core.client import CompletionClient

        try:
            if self.http is None:
                raise CompletionError(self.tr("the network is not ready yet; try again"))
            models = await CompletionClient(self.http, endpoint).list_models()
        except CompletionError as exc:
            self.failed.emit(exc)
            return
        except asyncio.CancelledError:
            return
        finally:
            self._task = None
        for m in models:
            ctx = _context_length(m.raw)
            if ctx:
                self.context_lengths[m.id] = ctx
        self.loaded.emit(sorted(m.id for m in models))


def _context_length(raw: dict[str, Any]) -> int | None:
    """Context size where servers report it: vLLM max_model_len, llama.cpp meta.n_ctx_train."""
    for key in ("context_length", "max_model_len", "context_window", "max_context_length"):
        v = raw.get(key)
        if isinstance(v, int) and 0 < v <= QT_INT_MAX:  # it becomes a spin box's maximum
            return v
    meta = raw.get("meta")
    if isinstance(meta, dict):
        v = meta.get("n_ctx") or meta.get("n_ctx_train")
        if isinstance(v, int) and 0 < v <= QT_INT_MAX:
            return v
    return None
