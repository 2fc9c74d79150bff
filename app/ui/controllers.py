"""Controllers: small QObjects that consume the core's async iterators for the widgets.

Widgets never touch httpx: they call a controller's slots and listen to its signals. Text is
coalesced to the frame rate here: the stream may deliver thousands of chunks per second, the
widgets get at most one ``textReady`` per choice per frame, each capped in size so that one
event-loop turn never does unbounded work.
"""

from __future__ import annotations

import time
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
        self._pending: dict[int, list[str]] = {}
        self._pending_lp: dict[int, list[Any]] = {}
        self._outcome: tuple[str, object] | None = None
        self._flush = QTimer(self)
        self._flush.setInterval(FRAME_MS)
        self._flush.timeout.connect(self._on_flush_timeout)
        self.chunks = 0  # TextDelta count of the current run (benchmarks read it)
        self.last_started = 0.0

    @property
    def busy(self) -> bool:
        return self._task is not None or self._outcome is not None

    def start(self, endpoint: Endpoint, request: CompletionRequest) -> None:
        """Begin a run (streamed if ``request.stream`` is true, else one reply)."""
        if self.busy:
            return
        self.chunks = 0
        self.last_started = time.perf_counter()
        self._pending.clear()
        self._pending_lp.clear()
        self._outcome = None
        from app.core.client import CompletionClient, RunDone, TextDelta

        self._text_cls: type = TextDelta
        self._done_cls: type = RunDone
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
                async for batch in client.stream_batches(request):
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
        # Finished, UsageReport, Skipped: reported in RunDone, or ignored

    def _on_flush_timeout(self) -> None:
        more = False
        for index in list(self._pending):
            parts = self._pending.pop(index)
            text = parts[0] if len(parts) == 1 else "".join(parts)
            lps = self._pending_lp.pop(index, None)
            # Text with logprobs is never split: its tokens must match the text emitted with it.
            # The cap grows with the frame interval: longer frames, same characters per second.
            cap = MAX_CHARS_PER_FRAME * self._flush.interval() // FRAME_MS
            if lps is None and len(text) > cap:
                self._pending[index] = [text[cap:]]
                text = text[:cap]
                more = True
            self.textReady.emit(index, text)
            if lps:
                self.logprobsReady.emit(index, lps)  # the tokens of exactly that text
        self._pending_lp.clear()
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
        if isinstance(v, int) and v > 0:
            return v
    meta = raw.get("meta")
    if isinstance(meta, dict):
        v = meta.get("n_ctx") or meta.get("n_ctx_train")
        if isinstance(v, int) and v > 0:
            return v
    return None
