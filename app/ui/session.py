"""The playground's runs: start one, stream it into the editor (or the choice panes), stop it,
undo and redo it, record it.

``PlaygroundSession`` holds the run lifecycle that used to live in the window: the mode of a run
is a ``RunMode``, the run itself a core ``Run`` (its texts, logprobs, outcome and history record),
undo/redo the core ``RunUndo`` of editor snapshots. The window only lays out the widgets, wires
them to this object, and reflects its state (``stateChanged``).

Signals:
    stateChanged(): busy, undo or redo availability changed (the window updates its buttons).
    status(str): the run status line.
    errorShown(str): a message for the error bar.
    errorCleared(): the error bar's message no longer applies.
    blocked(list): the problems (``Problem``) that keep a run from starting, to show at once.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.draft import RequestDraft
from app.core.echo import EchoStrip
from app.core.errors import CompletionError, ConfigError
from app.core.history import RunRecord
from app.core.params import CompletionRequest, Problem
from app.core.playground import INSERT_MARKER, split_insert
from app.core.run import Run, RunMode, RunUndo
from app.core.services import Services
from app.core.storage import Draft
from app.ui import ops
from app.ui.controllers import RunController
from app.ui.error_text import describe_message
from app.ui.messages import describe_error, format_status, no_key_sent
from app.ui.recorder import RunRecorder, record_as_draft
from app.ui.widgets.output_text import qt_len

if TYPE_CHECKING:
    from app.core.client import RunDone, TokenLogprob
    from app.core.endpoint import Endpoint
    from app.ui.widgets.choices import ChoiceTabs
    from app.ui.widgets.connection import ConnectionBar
    from app.ui.widgets.editor import PromptEdit
    from app.ui.widgets.params import ParamPanel

HISTORY_CLOSE_WAIT_S = 3.0  # at most, for a locked history database, when the window closes


class PlaygroundSession(QObject):
    """The runs of one playground window (see the module docstring for its signals)."""

    stateChanged = Signal()
    status = Signal(str)
    errorShown = Signal(str)
    errorCleared = Signal()
    blocked = Signal(list)

    def __init__(
        self,
        services: Services,
        draft: RequestDraft,
        editor: PromptEdit,
        panes: ChoiceTabs,
        params: ParamPanel,
        connection: ConnectionBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.draft = draft
        self.editor = editor
        self.panes = panes
        self.params = params
        self.connection = connection
        self.runner = RunController(services.http, self)
        self.recorder = RunRecorder(services.history_path, self)
        self.undo_stack: RunUndo[Draft] = RunUndo()
        self.run: Run | None = None  # the run streaming now, or the last one (Regenerate)
        self._before: Draft | None = None  # the editor before the last run (Regenerate)
        self._placement = RunMode.NEW  # where the last run wrote: NEW, CONTINUE or INSERT
        self._panes = False  # the last run wrote into the choice panes (n > 1)
        # Per choice: the stream offset and text last appended (its logprobs come next).
        self._last_output: dict[int, tuple[int, str]] = {}
        # With echo on, the prompt the editor already holds comes back first: not shown twice.
        self._echo: EchoStrip | None = None
        self._resolving: ops.BackgroundOp | None = None  # waiting for the key
        self._key_sent = True
        r = self.runner
        r.textReady.connect(self._on_runner_text_ready)
        r.logprobsReady.connect(self._on_runner_logprobs_ready)
        r.finished.connect(self._on_runner_finished)
        r.failed.connect(self._on_runner_failed)
        r.stopped.connect(self._on_runner_stopped)
        r.busyChanged.connect(self._on_runner_busy_changed)
        panes.choiceUsed.connect(self.use_choice)
        services.when_online(self._on_online)

    # state ------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A run streams, or waits for its key."""
        return self.runner.busy or self._resolving is not None

    @property
    def can_regenerate(self) -> bool:
        return self.run is not None and self._before is not None

    def _on_online(self, http: object) -> None:
        self.runner.http = http  # type: ignore[assignment]
        self.stateChanged.emit()

    # the actions ------------------------------------------------------------------------------

    def start(self, mode: RunMode) -> None:
        """Run NEW (insert mode when the text holds [insert]), CONTINUE from the end of
        everything, or REGENERATE the last run in its place."""
        if self.busy:
            return
        if mode is RunMode.NEW and split_insert(self.editor.toPlainText()) is not None:
            mode = RunMode.INSERT
        if mode is RunMode.REGENERATE:
            if not self.can_regenerate:
                return
            assert self._before is not None
            restored = self.undo_stack.undo(self.editor.snapshot())
            self.editor.restore(self._before if restored is None else restored)
            placement = self._placement
        else:
            placement = mode
        if self.services.http is None:
            self.blocked.emit([])  # the window says "starting up…"
            return
        # A provider's key comes from the keyring, off the GUI thread (an unlock prompt may
        # take a while); the custom connection starts at once.
        self._resolving = self.connection.resolve_endpoint(
            lambda endpoint: self._on_endpoint_resolved(mode, placement, endpoint),
            self._on_endpoint_failed,
        )
        if self._resolving is not None:
            self.status.emit(self.tr("Reading the key from the system keyring…"))
            self.stateChanged.emit()

    def stop(self) -> None:
        if self._resolving is not None:  # still waiting for the keyring: give up on this run
            self._resolving.cancel()
            self._resolving = None
            self.status.emit(self.tr("Stopped"))
            self.stateChanged.emit()
        self.runner.stop()

    def undo(self) -> None:
        """Restore the text as it was before the last run (the editor's own Ctrl+Z history
        of typing is a separate thing and stays)."""
        if self.busy:
            return
        before = self.undo_stack.undo(self.editor.snapshot())
        if before is not None:
            self._put_back(before)

    def redo(self) -> None:
        """Bring back what the last Undo took away."""
        if self.busy:
            return
        after = self.undo_stack.redo(self.editor.snapshot())
        if after is not None:
            self._put_back(after)

    def _put_back(self, snapshot: Draft) -> None:
        self.editor.restore(snapshot)
        self.run = None
        self._before = None
        self.stateChanged.emit()

    def use_choice(self, index: int) -> None:
        """Put choice ``index`` of the last n > 1 run into the editor where that run's output
        belongs (the end, or the [insert] marker), highlighted as model output; Undo takes it
        out again."""
        if self.busy or not 0 <= index < len(self.panes.panes):
            return
        text = self.panes.text(index)
        self.undo_stack.push(self.editor.snapshot())
        at = None
        if self._placement is RunMode.INSERT:
            split = split_insert(self.editor.toPlainText())
            if split is not None:
                at = qt_len(split[0])
                self.editor.remove_text(at, len(INSERT_MARKER))
        self.editor.begin_output(at)
        self.editor.append_output(text)
        self.editor.end_output()
        self.editor.flush()
        self.stateChanged.emit()

    def restore_record(self, record: RunRecord) -> None:
        """Put a past run back: its prompt and output in the editor, its parameters in the
        draft. The current text can be brought back with Undo."""
        if self.busy:
            return
        self.undo_stack.push(self.editor.snapshot())
        snapshot, body = record_as_draft(record)
        self.editor.restore(snapshot)
        self.draft.assign(RequestDraft.from_body(body))
        self.status.emit("")  # the last run's figures are not this record's
        self.errorCleared.emit()
        self.run = None
        self._before = None
        self.stateChanged.emit()

    def request_for(
        self, text: str, insert: bool
    ) -> tuple[CompletionRequest, list[Problem], int | None]:
        """The request Run sends for ``text``, its problems, and where the output goes (the
        [insert] marker's position when ``insert`` and the text has one, else None: the end)."""
        split = split_insert(text) if insert else None
        prompt, suffix = split if split is not None else (text, None)
        request, problems = self.params.build(prompt, suffix)
        return request, problems, qt_len(prompt) if split is not None else None

    # starting ---------------------------------------------------------------------------------

    def _on_endpoint_failed(self, exc: Exception) -> None:
        self._resolving = None
        why = describe_message(exc.message) if isinstance(exc, ConfigError) else ops.describe(exc)
        self.errorShown.emit(self.tr("Cannot run: ") + why)
        self.status.emit("")
        self.stateChanged.emit()

    def _on_endpoint_resolved(self, mode: RunMode, placement: RunMode, endpoint: Endpoint) -> None:
        self._resolving = None
        self._key_sent = bool(endpoint.api_key)  # a 401 without one says so (no_key_sent)
        if self.runner.busy:
            return
        before = self.editor.snapshot()
        request, problems, insert_at = self.request_for(before.text, placement is RunMode.INSERT)
        if problems:
            self.blocked.emit(problems)
            self.stateChanged.emit()
            return
        n = request.effective("n") or 1
        self._placement, self._panes, self._before = placement, n > 1, before
        self.undo_stack.push(before)
        self.run = Run(
            request,
            mode,
            provider=self.connection.provider(),
            url=endpoint.completions(),
            inserted=insert_at is not None,
        )
        prompt = request.prompt
        self._echo = EchoStrip(prompt) if request.echo is True and isinstance(prompt, str) else None
        self._last_output = {}
        self.errorCleared.emit()
        self.status.emit(self.tr("Running…"))
        if n > 1:
            self.panes.open(int(n))
        else:
            self.panes.hide()
            if insert_at is not None:
                self.editor.remove_text(insert_at, len(INSERT_MARKER))
            self.editor.begin_output(insert_at)
        self.runner.start(endpoint, request)

    # streaming --------------------------------------------------------------------------------

    def _on_runner_text_ready(self, index: int, text: str) -> None:
        if self._echo is not None:
            text = self._echo.text(index, text)
            if not text:  # all of it the echoed prompt
                self._last_output.pop(index, None)  # its logprobs (the prompt's) are not shown
                return
        if self.run is not None:
            self.run.add_text(index, text)
        if self._panes:
            start = self.panes.append(index, text)
            if start is not None:
                self._last_output[index] = (start, text)
            return
        if index == 0:
            t0 = time.perf_counter()
            start = self.editor.append_output(text)
            if start is not None:
                self._last_output[0] = (start, text)
            # A very long paragraph makes every insert re-lay-out the whole of it: then insert
            # less often, so the loop stays free between inserts and the stream keeps its pace.
            self.runner.pace(time.perf_counter() - t0)

    def _on_runner_logprobs_ready(self, index: int, tokens: list[TokenLogprob]) -> None:
        # Arrives right after the textReady holding exactly these tokens' text. The view keeps
        # them (compactly, for hover); a copy in the Run cost 190 MB and 100 ms stalls on a
        # 1 M-character output (bench/gui_stream.py --logprobs 5).
        if self._echo is not None:
            tokens = self._echo.tokens(index, tokens)
        last = self._last_output.pop(index, None)
        if last is None:
            return
        if self._panes:
            self.panes.annotate(index, last[0], last[1], tokens)
        elif index == 0:
            self.editor.annotate_tokens(last[0], last[1], tokens)

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.editor.setReadOnly(False)
        if not busy:
            self.editor.end_output()
        self.stateChanged.emit()

    # ending -----------------------------------------------------------------------------------

    def _on_runner_finished(self, done: RunDone) -> None:
        self.status.emit(format_status(done))
        if self.run is not None:
            self.run.feed([done])
        self._record()

    def _on_runner_stopped(self) -> None:
        self.status.emit(self.tr("Stopped — the text received so far is kept."))
        if self.run is not None:
            self.run.stop()
        self._record()

    def _on_runner_failed(self, error: CompletionError) -> None:
        text = describe_error(error)
        if error.status == 401 and not self._key_sent:
            text += " " + no_key_sent(self.connection.provider())
        self.errorShown.emit(text)
        self.status.emit(self.tr("Failed"))
        if self.run is not None:
            self.run.fail(error.describe(), error.status)
        self._record()

    def _record(self) -> None:
        # Written on the history thread; the panel shows it once it is in (recorder.recorded).
        if self.run is not None and self.run.finished:
            self.recorder.record(self.run.to_record())

    def close(self) -> None:
        """The window closes: a run still streaming is recorded now as stopped, with the text
        received so far (its stopped() would come after the window is gone), and the history
        is on disk before the process ends."""
        if self.runner.busy and self.run is not None and not self.run.finished:
            self.editor.flush_output()  # what the run records is what the saved draft holds
            self.run.stop()
            self._record()
        self.stop()
        self.recorder.close(timeout=HISTORY_CLOSE_WAIT_S)
