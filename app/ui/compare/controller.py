"""CompareController: the comparison being edited, its runs, its saved copies.

The state is the core's: a ``Comparison`` whose shared draft is the window's ``RequestDraft``
(the Parameters tab edits the settings every column shares), its columns with their own
overrides, and while it runs a ``ComparisonRunner`` whose live ``result`` holds every attempt.
This object edits that state for the view (add, duplicate, remove, move, change a column), runs
it on the qasync loop, and turns the runner's callbacks into signals at the frame rate: the
stream may bring thousands of chunks a second per column, the view gets at most one
``textReady`` per attempt per frame, each capped, so eight columns never flood a turn.

Keys are read on the keyring lane (all columns' endpoints in one background job) before the run
starts; the saved comparisons and the working copy (autosaved, so a crash keeps the prompt and
the columns) are read and written on the ``comparisons`` lane; every attempt goes to the history
through the window's ``RunRecorder``.

Signals:
    columnsChanged(): a column was added, removed, moved or changed (the view rebuilds headers).
    busyChanged(bool): a comparison started or ended (keys being read counts as busy).
    started(): a run began: the view clears the columns' outputs.
    textReady(str, int, str): column, repeat, text — coalesced per frame, at most
        MAX_CHARS_PER_FRAME per attempt per frame.
    figuresChanged(): the live figures moved on (at most every FIGURES_EVERY frames while
        running; at once when an attempt ends).
    attemptEnded(str, int): column, repeat: that attempt finished, failed or was stopped.
    finished(object): the ``ComparisonResult`` once every column has ended.
    errorShown(str): a message for the error bar (why it cannot run, a save that failed).
    status(str): a line for the status bar (saved, opened, exported).
    namesListed(list): the saved comparisons' names, for the Open menu.
    loaded(): a comparison (saved, or the working copy at start-up) replaced the current one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.compare import MAX_COLUMNS, MIN_COLUMNS, Column, Comparison, Order, Price
from app.core.compare_store import ComparisonStore
from app.core.draft import ALWAYS_SENT, RequestDraft
from app.core.endpoint import Endpoint
from app.core.errors import ConfigError
from app.core.events import TextDelta
from app.core.storage import JsonFile
from app.ui import ops
from app.ui.compare.files import WORKING_COPY, CompareFiles
from app.ui.error_text import describe_message
from app.ui.keys import LANE as KEYRING_LANE
from app.ui.problem_text import describe as describe_problem

if TYPE_CHECKING:
    import asyncio

    from app.core.compare_run import Attempt, ComparisonResult, ComparisonRunner
    from app.core.events import Event
    from app.core.services import Services
    from app.ui.recorder import RunRecorder

log = logging.getLogger("promptpad")

# A frame of the Compare view: 20 a second still reads as smooth streaming side by side, and
# with eight columns every frame's inserts, layouts and paints are time the network waits for
# (bench/compare_stream.py, aggregate against core-only: 0.51-0.65 at 30 frames a second,
# 0.62-0.77 at 20).
FRAME_MS = 50
# A torrent (an attempt brought more than TORRENT_CHARS in a frame: 20,000 characters a second,
# far past reading along; a fast model writes ~40 a frame) is shown 10 times a second: the text
# jumps a view-ful either way, and each frame's fixed work (eight tails laid out and painted,
# the figures) halves (bench/compare_stream.py, paragraph text: 0.73-0.75 of core-only at 20
# frames a second, 0.76-0.79 at 10).
TORRENT_CHARS = 1000
TORRENT_FRAME_MS = 100


def frame_ms(most: int) -> int:
    """The next frame's interval, after a frame that gave an attempt at most ``most`` chars."""
    return TORRENT_FRAME_MS if most > TORRENT_CHARS else FRAME_MS


FIGURES_EVERY = 4  # the figures (labels, chart) move on every 4th frame: 5 times a second
MAX_CHARS_PER_FRAME = 32_768  # per attempt; the rest waits for the next frame
AUTOSAVE_MS = 500


class CompareController(CompareFiles, QObject):
    """The comparison being edited and run (see the module docstring for its signals)."""

    columnsChanged = Signal()
    busyChanged = Signal(bool)
    started = Signal()
    textReady = Signal(str, int, str)
    figuresChanged = Signal()
    attemptEnded = Signal(str, int)
    finished = Signal(object)
    errorShown = Signal(str)
    status = Signal(str)
    namesListed = Signal(list)
    loaded = Signal()

    def __init__(
        self,
        services: Services,
        shared: RequestDraft,
        recorder: RunRecorder,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.recorder = recorder
        self.store = ComparisonStore(services.home)
        self.comparison = Comparison(shared=shared)
        self.runner: ComparisonRunner | None = None
        self.result: ComparisonResult | None = None  # live while running, then the last one
        self._task: asyncio.Task[None] | None = None
        self._resolving: ops.BackgroundOp | None = None
        self._pending: dict[tuple[str, int], list[str]] = {}
        self._backlog: dict[tuple[str, int], str] = {}
        self._emitted: dict[tuple[str, int], int] = {}  # characters of each attempt shown so far
        self._ended: list[tuple[str, int]] = []
        self._moved = False  # figures moved since they were last told
        self._frames = 0  # frames since the figures were last told
        self._final: ComparisonResult | None = None
        self._flush = QTimer(self, interval=FRAME_MS)
        self._flush.timeout.connect(self._on_flush_timeout)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self._save_working_copy)
        self._working = JsonFile(services.home / WORKING_COPY)
        shared.subscribe(self._on_shared_changed)

    # state ------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None or self._resolving is not None or self._final is not None

    @property
    def columns(self) -> list[Column]:
        return self.comparison.columns

    def column(self, name: str) -> Column | None:
        return self.comparison.column(name)

    def problems(self) -> list[str]:
        """What keeps Run all from starting, every problem at once, in the user's language
        (the same rules as the core's ``Comparison.problems``, which the CLI prints)."""
        cmp = self.comparison
        out: list[str] = []
        n = len(cmp.columns)
        if not MIN_COLUMNS <= n <= MAX_COLUMNS:
            out.append(
                self.tr("a comparison has %1 to %2 columns, not %3")
                .replace("%1", str(MIN_COLUMNS))
                .replace("%2", str(MAX_COLUMNS))
                .replace("%3", str(n))
            )
        seen: set[str] = set()
        for col in cmp.columns:
            if col.name in seen:
                out.append(self.tr("two columns are called %1").replace("%1", col.name))
            seen.add(col.name)
            if not col.provider and not col.base_url:
                out.append(
                    self.tr("%1: choose a provider or enter a base URL").replace("%1", col.name)
                )
            elif col.provider and self.services.providers.get(col.provider) is None:
                out.append(
                    self.tr("%1: there is no provider called %2")
                    .replace("%1", col.name)
                    .replace("%2", col.provider)
                )
            for p in col.draft(cmp.shared).problems(cmp.prompt):
                out.append(f"{col.name}: {describe_problem(p)}")
        if self.services.http is None:
            out.append(self.tr("starting up…"))
        return out

    def attempt(self, column: str, repeat: int) -> Attempt | None:
        result = self.result
        col = result.column(column) if result is not None else None
        if col is None:
            return None
        return next((a for a in col.attempts if a.repeat == repeat), None)

    def attempts(self, column: str) -> list[Attempt]:
        result = self.result
        col = result.column(column) if result is not None else None
        return sorted(col.attempts, key=lambda a: a.repeat) if col is not None else []

    def shown_text(self, column: str, repeat: int) -> str:
        """The text of an attempt as far as the view has been given it (``textReady``): what a
        column browsing to it shows before the rest streams on."""
        a = self.attempt(column, repeat)
        if a is None:
            return ""
        return a.text[: self._emitted.get((column, repeat), 0)]

    # editing ----------------------------------------------------------------------------------

    def set_prompt(self, text: str) -> None:
        if text != self.comparison.prompt:
            self.comparison.prompt = text
            self._changed(columns=False)

    def set_repeat(self, n: int, order: Order | None = None) -> None:
        self.comparison.repeat = n
        if order is not None:
            self.comparison.order = order
        self._changed(columns=False)

    def add_column(self, provider: str = "", base_url: str = "", model: str = "") -> Column | None:
        if len(self.columns) >= MAX_COLUMNS:
            return None
        if not model and provider:
            profile = self.services.providers.get(provider)
            model = profile.default_model if profile is not None else ""
        col = Column(self.comparison.free_name(), provider, base_url, model)
        self.columns.append(col)
        self._changed()
        return col

    def duplicate_column(self, name: str) -> Column | None:
        col = self.column(name)
        if col is None or len(self.columns) >= MAX_COLUMNS:
            return None
        copy = Column.from_json(col.to_json(), [])
        assert copy is not None
        copy.name = self.comparison.free_name()
        self.columns.insert(self.columns.index(col) + 1, copy)
        self._changed()
        return copy

    def remove_column(self, name: str) -> None:
        col = self.column(name)
        if col is not None and not self.busy:
            self.columns.remove(col)
            self._changed()

    def move_column(self, name: str, delta: int) -> None:
        col = self.column(name)
        if col is None:
            return
        i = self.columns.index(col)
        j = max(0, min(len(self.columns) - 1, i + delta))
        if i != j:
            self.columns.insert(j, self.columns.pop(i))
            self._changed()

    def rename_column(self, name: str, new: str) -> bool:
        """False when ``new`` is empty or taken (the old name stays)."""
        col = self.column(name)
        new = new.strip()
        if col is None or not new or (new != name and self.column(new) is not None):
            return False
        col.name = new
        self._changed()
        return True

    def set_where(self, name: str, provider: str = "", base_url: str = "") -> None:
        col = self.column(name)
        if col is not None:
            col.provider, col.base_url = provider, "" if provider else base_url
            self._changed()

    def set_model(self, name: str, model: str) -> None:
        col = self.column(name)
        if col is not None and col.model != model.strip():
            col.model = model.strip()
            self._changed()

    def set_override(self, name: str, field: str, value: Any) -> None:
        """The column's own value of ``field`` (``None``-free: use ``unset_override`` for
        "the shared value")."""
        col = self.column(name)
        if col is not None and field not in ALWAYS_SENT:
            col.overrides.set(field, value)
            self._changed()

    def unset_override(self, name: str, field: str) -> None:
        col = self.column(name)
        if col is not None:
            col.overrides.unset(field)
            self._changed()

    def set_price(self, name: str, price: Price | None) -> None:
        col = self.column(name)
        if col is not None:
            col.price = price
            self._changed()

    def replace(self, comparison: Comparison) -> None:
        """Put a saved comparison in place; its shared settings go into the window's draft."""
        if self.busy:
            return
        self.comparison.shared.assign(comparison.shared)
        comparison.shared = self.comparison.shared
        self.comparison = comparison
        self.result = None
        self._changed()
        self.loaded.emit()

    def _changed(self, columns: bool = True) -> None:
        if columns:
            self.columnsChanged.emit()
        self._autosave.start()

    def _on_shared_changed(self, _field: str | None) -> None:
        self._autosave.start()

    # running ----------------------------------------------------------------------------------

    def run_all(self) -> bool:
        """Start every column (after reading the keys); False, with errorShown, when it cannot."""
        if self.busy:
            return False
        problems = self.problems()
        if problems:
            return False
        cmp = self.comparison
        providers = self.services.providers
        wanted = [(c.name, c.provider, c.base_url) for c in cmp.columns]

        def endpoints() -> dict[str, Endpoint]:  # (keyring lane)
            out = {}
            for name, provider, base_url in wanted:
                out[name] = providers.endpoint(provider) if provider else Endpoint(base_url)
            return out

        self._resolving = ops.run_in_background(
            endpoints, self._on_endpoints, self._on_endpoints_failed, lane=KEYRING_LANE, parent=self
        )
        self.busyChanged.emit(True)
        return True

    def stop(self, column: str | None = None) -> None:
        """Stop one column, or all (Esc): what arrived is kept and recorded as stopped."""
        if self._resolving is not None and column is None:
            self._resolving.cancel()
            self._resolving = None
            self.busyChanged.emit(self.busy)
        if self.runner is not None:
            self.runner.stop(column)

    def _on_endpoints_failed(self, exc: Exception) -> None:
        self._resolving = None
        why = describe_message(exc.message) if isinstance(exc, ConfigError) else ops.describe(exc)
        self.errorShown.emit(self.tr("Cannot run the comparison: ") + why)
        self.busyChanged.emit(self.busy)

    def _on_endpoints(self, endpoints: dict[str, Endpoint]) -> None:
        self._resolving = None
        http = self.services.http
        if http is None:
            self.busyChanged.emit(self.busy)
            return
        import asyncio

        from app.core.compare_run import ComparisonRunner

        cmp = self._run_copy()
        self.runner = ComparisonRunner(
            http, endpoints, cmp, self._on_event, self.recorder.record, self._on_end
        )
        self._pending.clear()
        self._backlog.clear()
        self._emitted.clear()
        self._ended.clear()
        self._task = asyncio.ensure_future(self._run(self.runner))
        self._flush.start(FRAME_MS)
        self.started.emit()

    def _run_copy(self) -> Comparison:
        """The comparison as it is now: edits made while it runs do not change the run."""
        copy, _ = Comparison.from_json(self.comparison.to_json())
        copy.shared = self.comparison.shared.copy()
        return copy

    async def _run(self, runner: ComparisonRunner) -> None:
        import asyncio

        try:
            self._final = await runner.run()
        except asyncio.CancelledError:
            self._final = runner.result
        except Exception:  # noqa: BLE001 - a column's failure stays in its result; this is a bug
            log.exception("the comparison failed")
            self._final = runner.result
            self.errorShown.emit(self.tr("The comparison stopped on an unexpected error"))
        finally:
            self._task = None
        if self._flush.isActive():
            # The last text, the ends and the result now, not at the next frame (up to
            # FRAME_MS later: the final figures would show a beat after the last token).
            self._on_flush_timeout()

    def _on_event(self, column: str, repeat: int, events: list[Event]) -> None:
        # Called for every chunk of every column: as little work as can be (the frame does
        # the rest).
        pending = self._pending.get((column, repeat))
        if pending is None:
            pending = self._pending[column, repeat] = []
        for e in events:
            if type(e) is TextDelta and e.index == 0 and e.text:
                pending.append(e.text)
        self._moved = True

    def _on_end(self, attempt: Attempt) -> None:
        if self.runner is not None and self.result is not self.runner.result:
            self.result = self.runner.result
        self._ended.append((attempt.column, attempt.repeat))
        self._moved = True
        self._frames = FIGURES_EVERY  # an end is shown on the next frame

    def _on_flush_timeout(self) -> None:
        if self.runner is not None and self.result is not self.runner.result:
            self.result = self.runner.result
        for key in list(self._pending):
            parts = self._pending.pop(key)
            self._backlog[key] = self._backlog.get(key, "") + "".join(parts)
        most = 0
        for key in list(self._backlog):
            text = self._backlog.pop(key)
            if len(text) > MAX_CHARS_PER_FRAME:
                text, self._backlog[key] = text[:MAX_CHARS_PER_FRAME], text[MAX_CHARS_PER_FRAME:]
            self._emitted[key] = self._emitted.get(key, 0) + len(text)
            most = max(most, len(text))
            self.textReady.emit(key[0], key[1], text)
        if self._flush.interval() != frame_ms(most):
            self._flush.setInterval(frame_ms(most))
        # An attempt's end is told once all of its text is out.
        ended = [k for k in self._ended if k not in self._backlog]
        self._ended = [k for k in self._ended if k in self._backlog]
        for column, repeat in ended:
            self.attemptEnded.emit(column, repeat)
        self._frames += 1
        if self._moved and (self._frames >= FIGURES_EVERY or self._task is None):
            self._moved = False
            self._frames = 0
            self.figuresChanged.emit()
        if self._task is None and self._final is not None and not self._backlog:
            self._flush.stop()
            result, self._final = self._final, None
            self.result = result
            self.runner = None
            self.busyChanged.emit(False)
            self.finished.emit(result)

    def close(self) -> None:
        """The window closes: stop every column (each attempt is recorded as stopped) and write
        the working copy now."""
        self.stop()
        self._autosave.stop()
        self._save_working_copy(background=False)
