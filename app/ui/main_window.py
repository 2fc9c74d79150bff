"""The playground window: prompt editor, parameter panel, live streaming output, run status."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.draft import RequestDraft
from app.core.errors import CompletionError, ConfigError
from app.core.history import RunRecord
from app.core.keystore import KeyStore
from app.core.params import CompletionRequest, Problem
from app.core.playground import INSERT_MARKER, estimate_tokens, split_insert
from app.core.providers import ProviderStore
from app.core.storage import Draft, Store
from app.ui import ops, window_state
from app.ui.controllers import ModelsController, RunController
from app.ui.drafts import AUTOSAVE_MS, DraftAutosave
from app.ui.keys import BackgroundKeys
from app.ui.messages import describe_error, format_status, no_key_sent
from app.ui.problem_text import describe as describe_problem
from app.ui.recorder import RunRecorder, done_metrics, record_as_draft
from app.ui.widgets.choices import ChoiceTabs
from app.ui.widgets.error_bar import ErrorBar
from app.ui.widgets.notices import NoticeBar

if TYPE_CHECKING:
    import httpx

    from app.core.client import RunDone, TokenLogprob
    from app.core.endpoint import Endpoint
    from app.ui.dialogs.code import CodeDialog
    from app.ui.dialogs.providers import ProviderDialog
from app.ui.widgets.connection import ConnectionBar
from app.ui.widgets.editor import PromptEdit, qt_len
from app.ui.widgets.history import HistoryPanel
from app.ui.widgets.params import ParamPanel

HISTORY_CLOSE_WAIT_S = 3.0  # at most, for a locked history database, when the window closes


@dataclass
class _RunInfo:
    mode: str  # "inline", "insert" or "panes"
    before: Draft  # the editor before the run (Undo / Regenerate restore it)


class MainWindow(QMainWindow):
    def __init__(
        self,
        http: httpx.AsyncClient | None,
        keys: KeyStore,
        store: Store,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Promptpad"))
        self.store = store
        self.keys = keys
        self.http = http
        # Keyring calls can block (an unlock prompt): they run on the keyring lane only.
        self.providers = ProviderStore(store.home, BackgroundKeys(keys))
        self.runner = RunController(http, self)
        self.models = ModelsController(http, self)
        self._run: _RunInfo | None = None
        self._undo: list[Draft] = []
        self._last_mode = "inline"
        self._last_output: tuple[int, str] | None = None
        self._resolving: ops.BackgroundOp | None = None  # Run is waiting for the key
        self._key_sent = True  # whether the last run carried an API key
        self.recorder = RunRecorder(store.home / "history.sqlite3", self)

        self.connection = ConnectionBar(self.providers)
        self.editor = PromptEdit()
        self.draft = RequestDraft.starting()  # the request being edited; the panel shows it
        self.params = ParamPanel(self.draft)
        self.autosave = DraftAutosave(store, self.editor.snapshot, self)
        self._build()
        self._wire()
        self._restore()
        self._update_run_enabled()

    # layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.addWidget(self.connection)

        self.error_bar = ErrorBar()
        self.error_text = self.error_bar.text
        outer.addWidget(self.error_bar)
        self.notices = NoticeBar()  # files set aside, saves that failed: they stay until dismissed
        outer.addWidget(self.notices)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        b = buttons
        self.run_button = self._button("runButton", self.tr("Run"), self.tr("Run (Ctrl+Enter)"), b)
        self.stop_button = self._button("stopButton", self.tr("Stop"), self.tr("Stop (Esc)"), b)
        self.continue_button = self._button(
            "continueButton",
            self.tr("Continue"),
            self.tr("Generate more from the end of the text"),
            b,
        )
        self.regenerate_button = self._button(
            "regenerateButton",
            self.tr("Regenerate"),
            self.tr("Remove the last completion and run again"),
            b,
        )
        self.undo_button = self._button(
            "undoButton",
            self.tr("Undo"),
            self.tr("Restore the text as it was before the last run"),
            b,
        )
        self.run_button.setDefault(True)
        self.run_button.setStyleSheet("QPushButton#runButton { font-weight: bold; }")
        buttons.addStretch(1)
        self.code_button = self._button(
            "codeButton",
            self.tr("Code"),
            self.tr("This request as curl, Python or JavaScript"),
            buttons,
        )
        self.stats = QLabel()
        self.stats.setObjectName("promptStats")
        self.stats.setAccessibleName(self.tr("Prompt length"))
        ll.addLayout(buttons)
        ll.addWidget(self.editor, 3)
        self.output_tabs = ChoiceTabs()
        ll.addWidget(self.output_tabs, 2)

        scroll = QScrollArea()
        scroll.setObjectName("paramScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.params)
        scroll.setMinimumWidth(280)

        self.history_panel = HistoryPanel(self.recorder)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.addTab(scroll, self.tr("Parameters"))
        self.side_tabs.addTab(self.history_panel, self.tr("History"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.run_status = QLabel()
        self.run_status.setObjectName("runStatus")
        self.run_status.setAccessibleName(self.tr("Run status"))
        self.statusBar().addPermanentWidget(self.run_status, 1)
        self.statusBar().addPermanentWidget(self.stats)

        self.run_action = QAction(self.tr("Run"), self)
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.run_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_action = QAction(self.tr("Stop"), self)
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.addAction(self.run_action)
        self.addAction(self.stop_action)
        self.resize(1180, 760)

    def _button(self, name: str, text: str, tip: str, row: QHBoxLayout) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(text)
        b.setToolTip(tip)
        row.addWidget(b)
        return b

    def _wire(self) -> None:
        self.run_button.clicked.connect(self.run)
        self.run_action.triggered.connect(self._on_run_action_triggered)
        self.stop_button.clicked.connect(self.stop)
        self.stop_action.triggered.connect(self.stop)
        self.continue_button.clicked.connect(self.continue_)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.undo_button.clicked.connect(self.undo)
        self.code_button.clicked.connect(self.show_code)
        self.runner.textReady.connect(self._on_runner_text_ready)
        self.runner.logprobsReady.connect(self._on_runner_logprobs_ready)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.stopped.connect(self._on_runner_stopped)
        self.runner.busyChanged.connect(self._on_runner_busy_changed)
        self.models.loaded.connect(self._on_models_loaded)
        self.models.failed.connect(self._on_models_failed)
        self.history_panel.restoreRequested.connect(self.restore_run)
        self.recorder.recorded.connect(self.history_panel.added)
        self.recorder.notice.connect(self._on_recorder_notice)
        ops.hub().failed.connect(self._on_background_failed)
        self.params.changed.connect(self._on_params_changed)
        self.params.refreshModelsRequested.connect(self.refresh_models)
        self.params.model_combo.currentTextChanged.connect(self._on_model_text_changed)
        self.connection.changed.connect(self._on_params_changed)
        self.connection.providerChanged.connect(self._on_provider_changed)
        self.connection.manageRequested.connect(self.manage_providers)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._stats_timer = QTimer(self)
        self._stats_timer.setSingleShot(True)
        self._stats_timer.setInterval(250)
        self._stats_timer.timeout.connect(self._update_stats)
        self._settings_save = QTimer(self)
        self._settings_save.setSingleShot(True)
        self._settings_save.setInterval(AUTOSAVE_MS)
        self._settings_save.timeout.connect(self.save_settings)

    # running ----------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        out = self.params.problems()
        if not self.connection.base_url.text().strip():
            out.append(Problem("base_url", self.tr("enter the server's base URL")))
        else:
            out += [Problem("base_url", why) for why in self.connection.problems()]
        return out

    def attach_http(self, http: httpx.AsyncClient) -> None:
        """Hand over the app's one HTTP client (created just after the window is shown)."""
        self.http = http
        self.runner.http = http
        self.models.set_http(http)  # starts a model refresh asked for while building
        self._update_run_enabled()

    def _update_run_enabled(self) -> None:
        busy = self.runner.busy or self._resolving is not None
        problems = [] if busy else self.problems()
        if self.http is None:
            problems.append(Problem("network", self.tr("starting up…")))
        ok = not busy and not problems
        for b in (self.run_button, self.continue_button):
            b.setEnabled(ok)
        # Ctrl+Enter stays live while Run is blocked: it says why (_on_run_action_triggered).
        self.run_action.setEnabled(not busy)
        self.regenerate_button.setEnabled(ok and self._run is not None)
        self.undo_button.setEnabled(not busy and bool(self._undo))
        self.stop_button.setEnabled(busy)
        if problems:
            why = "\n".join(describe_problem(p) for p in problems)
            self.run_button.setToolTip(self.tr("Cannot run:") + "\n" + why)
        else:
            self.run_button.setToolTip(self.tr("Run (Ctrl+Enter)"))

    def _on_run_action_triggered(self) -> None:
        if self.run_button.isEnabled():
            self.run()
        elif not (self.runner.busy or self._resolving is not None):
            self._explain_blocked(self.problems())

    def _explain_blocked(self, problems: list[Problem]) -> None:
        """Say at once why Run cannot start, and bring the first bad field into view."""
        if self.http is None and not problems:
            problems = [Problem("network", self.tr("starting up…"))]
        if not problems:
            return
        self.show_error(self.tr("Cannot run: ") + "; ".join(describe_problem(p) for p in problems))
        self.params.reveal(problems[0].field)

    def run(self) -> None:
        """Run the prompt: insert mode if it holds [insert], else append at the end."""
        text = self.editor.toPlainText()
        mode = "insert" if split_insert(text) is not None else "inline"
        self._start(mode)

    def continue_(self) -> None:
        """Generate more from the end of the whole text (the marker, if any, is plain text)."""
        self._start("continue")

    def regenerate(self) -> None:
        """Remove the last completion and run again the same way."""
        if self._run is None or self.runner.busy:
            return
        self.editor.restore(self._run.before)
        if self._undo and self._undo[-1] is self._run.before:
            self._undo.pop()
        self._start(self._last_mode)

    def undo(self) -> None:
        """Restore the text as it was before the last run."""
        if self.runner.busy or not self._undo:
            return
        self.editor.restore(self._undo.pop())
        self._run = None
        self._update_run_enabled()
        self.save_draft(background=True)

    def stop(self) -> None:
        if self._resolving is not None:  # still waiting for the keyring: give up on this run
            self._resolving.cancel()
            self._resolving = None
            self.run_status.setText(self.tr("Stopped"))
            self._update_run_enabled()
        self.runner.stop()

    def _request_for(
        self, text: str, insert: bool
    ) -> tuple[CompletionRequest, list[Problem], int | None]:
        """The request Run sends for ``text``, its problems, and where the output goes (the
        [insert] marker's position when ``insert`` and the text has one, else None: the end)."""
        split = split_insert(text) if insert else None
        prompt, suffix = split if split is not None else (text, None)
        request, problems = self.params.build(prompt, suffix)
        return request, problems, qt_len(prompt) if split is not None else None

    def _start(self, mode: str) -> None:
        if self.runner.busy or self._resolving is not None:
            return
        problems = self.problems()
        if problems:
            self._explain_blocked(problems)
            return
        # A provider's key comes from the keyring, off the GUI thread (an unlock prompt may
        # take a while); the custom connection starts at once.
        self._resolving = self.connection.resolve_endpoint(
            lambda endpoint: self._on_endpoint_resolved(mode, endpoint),
            self._on_endpoint_failed,
        )
        if self._resolving is not None:
            self.run_status.setText(self.tr("Reading the key from the system keyring…"))
            self._update_run_enabled()

    def _on_endpoint_failed(self, exc: Exception) -> None:
        self._resolving = None
        why = exc.message if isinstance(exc, ConfigError) else ops.describe(exc)
        self.show_error(self.tr("Cannot run: ") + why)
        self.run_status.clear()
        self._update_run_enabled()

    def _on_endpoint_resolved(self, mode: str, endpoint: Endpoint) -> None:
        self._resolving = None
        self._key_sent = bool(endpoint.api_key)  # a 401 without one says so (no_key_sent)
        if self.runner.busy:
            return
        before = self.editor.snapshot()
        request, problems, insert_at = self._request_for(before.text, mode == "insert")
        if problems:
            self._explain_blocked(problems)
            return
        n = request.effective("n") or 1
        self._last_mode = mode
        self._run = _RunInfo("panes" if n > 1 else mode, before)
        self._undo.append(before)
        del self._undo[:-20]
        self.error_bar.hide()
        self.run_status.setText(self.tr("Running…"))
        self.save_draft(background=True)
        if n > 1:
            self.output_tabs.open(int(n))
        else:
            self.output_tabs.hide()
            if insert_at is not None:
                self.editor.remove_text(insert_at, len(INSERT_MARKER))
            self.editor.begin_output(insert_at)
        self.recorder.begin(
            request.to_body(), self.connection.provider(), endpoint.completions(), mode
        )
        self.runner.start(endpoint, request)

    def _on_runner_text_ready(self, index: int, text: str) -> None:
        self.recorder.text(index, text)
        if self._run is not None and self._run.mode == "panes":
            self.output_tabs.append(index, text)
            return
        if index == 0:
            t0 = time.perf_counter()
            start = self.editor.append_output(text)
            self._last_output = (start, text) if start is not None else None
            # A very long paragraph makes every insert re-lay-out the whole of it: then insert
            # less often, so the loop stays free between inserts and the stream keeps its pace.
            self.runner.pace(time.perf_counter() - t0)

    def _on_runner_logprobs_ready(self, index: int, tokens: list[TokenLogprob]) -> None:
        # Arrives right after the textReady holding exactly these tokens' text.
        if (
            index == 0
            and self._last_output is not None
            and (self._run is None or self._run.mode != "panes")
        ):
            start, text = self._last_output
            self.editor.annotate_tokens(start, text, tokens)

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.editor.setReadOnly(False)
        if not busy:
            self._stats_timer.start()
            self.editor.end_output()
            self.save_draft(background=True)
        self._update_run_enabled()

    def _on_runner_finished(self, done: RunDone) -> None:
        self.run_status.setText(format_status(done))
        self._record_run("finished", finish=done.finish_reasons, metrics=done_metrics(done))

    def _on_runner_stopped(self) -> None:
        self.run_status.setText(self.tr("Stopped — the text received so far is kept."))
        self._record_run("stopped")

    def _on_runner_failed(self, error: CompletionError) -> None:
        text = describe_error(error)
        if error.status == 401 and not self._key_sent:
            text += " " + no_key_sent(self.connection.provider())
        self.show_error(text)
        self.run_status.setText(self.tr("Failed"))
        self._record_run("failed", error=error.describe())

    def show_code(self) -> CodeDialog | None:
        """The request Run would send, as code that reads the key from the environment."""
        from app.ui.dialogs.code import CodeDialog

        request, problems, _ = self._request_for(self.editor.toPlainText(), insert=True)
        if problems or self.connection.problems():
            why = [describe_problem(p) for p in problems] + self.connection.problems()
            self.show_error(self.tr("Cannot show the code: ") + "; ".join(why))
            return None
        name = self.connection.provider()
        profile = self.providers.get(name) if name else None
        endpoint = profile.endpoint(None) if profile else self.connection.custom_endpoint()
        dialog = CodeDialog(endpoint, request.to_body(), profile.key_env if profile else "", self)
        dialog.open()
        return dialog

    # history ----------------------------------------------------------------------------------

    def _record_run(self, outcome: str, **details: Any) -> None:
        # Written on the history thread; the panel shows it once it is in (recorder.recorded).
        self.recorder.end(outcome, **details)

    def _on_recorder_notice(self, text: str) -> None:
        self.notices.put("history", text)

    def _on_background_failed(self, text: str) -> None:
        """The one place where background work that failed without a handler of its own is
        shown (ops.run_in_background)."""
        self.notices.put("background", text)

    def restore_run(self, record: RunRecord) -> None:
        """Put a past run back: its prompt and output in the editor, its parameters in the
        panel. The current text goes on the Undo stack first."""
        if self.runner.busy:
            return
        self._undo.append(self.editor.snapshot())
        draft, body = record_as_draft(record)
        self.editor.restore(draft)
        self.run_status.clear()  # the last run's figures are not this record's
        self.error_bar.hide()
        self.draft.assign(RequestDraft.from_body(body))
        self._run = None
        self._update_run_enabled()
        self.save_draft(background=True)

    def show_error(self, text: str) -> None:
        self.error_bar.show_message(text)

    # models -----------------------------------------------------------------------------------

    def refresh_models(self) -> None:
        self.connection.resolve_endpoint(self.models.refresh, self._on_models_endpoint_failed)

    def _on_models_endpoint_failed(self, exc: Exception) -> None:
        self.show_error(exc.describe() if isinstance(exc, CompletionError) else ops.describe(exc))

    def _on_models_loaded(self, ids: list[str]) -> None:
        name = self.connection.provider()
        if name:
            self.providers.set_models(name, ids)
        self._fill_models(ids)
        self.statusBar().showMessage(self.tr("%n model(s) available", "", len(ids)), 5000)

    def _fill_models(self, ids: list[str], model: str | None = None) -> None:
        self.params.set_models(ids, model)
        self._on_model_text_changed(self.params.model())

    # providers --------------------------------------------------------------------------------

    def _on_provider_changed(self, name: str) -> None:
        """Switching provider switches base URL, key and model list together."""
        self.providers.selected = name
        try:
            self.providers.save()
        except ConfigError as exc:  # read-only or full home: the choice holds for this session
            self.notices.save_failed(self.tr("The provider list"), exc.message)
        p = self.providers.get(name) if name else None
        if p is None:
            return
        self._fill_models(p.models, p.default_model or None)
        if not p.models:
            self.refresh_models()

    def manage_providers(self) -> ProviderDialog:
        from app.ui.dialogs.providers import ProviderDialog  # not needed to open the window

        dialog = ProviderDialog(self.providers, self.http, self)
        dialog.providersChanged.connect(self._on_providers_changed)
        dialog.providerAdded.connect(self._on_provider_added)
        dialog.open()  # never exec(): the qasync loop must keep running
        return dialog

    def _on_providers_changed(self) -> None:
        # The store's choice follows a rename (and is "" after a delete).
        self.connection.reload(select=self.providers.selected)
        p = self.providers.get(self.connection.provider())
        if p is not None and p.models and self.params.model_combo.count() == 0:
            self._fill_models(p.models, p.default_model or None)  # Test connection listed them
        self._update_run_enabled()

    def _on_provider_added(self, name: str) -> None:
        """A profile just added in the manager is the one the next run uses. Its models are
        not fetched yet: it has no key so far (Test connection lists them)."""
        self.connection.reload(select=name)
        self.providers.selected = name
        p = self.providers.get(name)
        if p is not None:
            self._fill_models(p.models, p.default_model or None)
        self._on_providers_changed()

    def _on_models_failed(self, error: CompletionError) -> None:
        self.show_error(self.tr("Could not list models: ") + describe_error(error))

    def _on_model_text_changed(self, model: str) -> None:
        # None for a model without a reported context: no stale warning from the last one
        self.params.set_context_length(self.models.context_lengths.get(model))

    # persistence ------------------------------------------------------------------------------

    def _on_params_changed(self) -> None:
        self._update_run_enabled()
        self._settings_save.start()

    def _on_editor_text_changed(self) -> None:
        # Called for every streamed frame too: only O(1) work here; the rest is debounced, and
        # the O(n) stats wait for the end of a run.
        if not self._stats_timer.isActive() and not self.runner.busy:
            self._stats_timer.start()
        self.autosave.changed()

    def _update_stats(self) -> None:
        text = self.editor.toPlainText()
        self.stats.setText(
            self.tr("%1 chars · ≈%2 tokens")
            .replace("%1", str(len(text)))
            .replace("%2", str(estimate_tokens(text)))
        )

    def save_draft(self, background: bool = False) -> None:
        """Write the editor's content atomically; in a worker thread when ``background``."""
        self.autosave.save(background)

    def save_settings(self) -> None:
        window_state.save_settings(self)

    def _restore(self) -> None:
        window_state.restore(self)
        self._update_stats()

    def save_geometry(self) -> None:
        window_state.save_geometry(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.busy and self.recorder.recording:
            # Its stopped() comes after the window is gone: record the run now, with the text
            # received and shown so far.
            self._record_run("stopped")
        self.stop()
        self.recorder.close(timeout=HISTORY_CLOSE_WAIT_S)  # on disk before the process ends
        self.save_draft()  # waits for the writer: the last state is on disk before we go
        self.save_settings()
        self.save_geometry()
        super().closeEvent(event)
