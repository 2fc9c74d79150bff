"""The playground window: prompt editor, parameter panel, live streaming output, run status."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CompletionError, ConfigError
from app.core.history import History, RunRecord
from app.core.keystore import KeyStore
from app.core.params import Problem
from app.core.playground import INSERT_MARKER, estimate_tokens, split_insert
from app.core.providers import ProviderStore
from app.core.storage import Draft, Store
from app.ui.controllers import ModelsController, RunController

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from app.core.client import RunDone, TokenLogprob
    from app.ui.dialogs.code import CodeDialog
    from app.ui.dialogs.providers import ProviderDialog
from app.ui.widgets.connection import ConnectionBar
from app.ui.widgets.editor import PromptEdit, qt_len
from app.ui.widgets.history import HistoryPanel
from app.ui.widgets.params import ParamPanel

AUTOSAVE_MS = 500
AUTOSAVE_MAX_WAIT_S = 2.0


@dataclass
class _RunInfo:
    mode: str  # "inline", "insert" or "panes"
    before: Draft  # the editor before the run (Undo / Regenerate restore it)


class MainWindow(QMainWindow):
    def __init__(
        self, http: httpx.AsyncClient, keys: KeyStore, store: Store, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Promptpad"))
        self.store = store
        self.keys = keys
        self.http = http
        self.providers = ProviderStore(store.home, keys)
        self.runner = RunController(http, self)
        self.models = ModelsController(http, self)
        self._run: _RunInfo | None = None
        self._undo: list[Draft] = []
        self._last_mode = "inline"
        self._panes: list[QPlainTextEdit] = []
        self._dirty_since: float | None = None
        self._last_output: tuple[int, str] | None = None
        self._history_db: History | None = None
        self._recording: dict[str, Any] | None = None
        # One writer thread: drafts are written in order, never two at once.
        self._writer: ThreadPoolExecutor | None = None

        self.connection = ConnectionBar(self.providers)
        self.editor = PromptEdit()
        self.params = ParamPanel()
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

        self.error_bar = QFrame()
        self.error_bar.setObjectName("errorBar")
        self.error_bar.setAccessibleName(self.tr("Error"))
        self.error_bar.setStyleSheet(
            "#errorBar { background: #fce8e6; border: 1px solid #d93025;"
            " border-radius: 4px; } QLabel { color: #a50e0e; }"
        )
        el = QHBoxLayout(self.error_bar)
        el.setContentsMargins(8, 4, 4, 4)
        self.error_text = QLabel()
        self.error_text.setObjectName("errorText")
        self.error_text.setWordWrap(True)
        self.error_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("errorCloseButton")
        close.setAccessibleName(self.tr("Dismiss the error"))
        close.setText("✕")
        close.clicked.connect(self.error_bar.hide)
        el.addWidget(self.error_text, 1)
        el.addWidget(close)
        self.error_bar.hide()
        outer.addWidget(self.error_bar)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.run_button = self._button("runButton", self.tr("Run"), self.tr("Run (Ctrl+Enter)"))
        self.run_button.setDefault(True)
        self.run_button.setStyleSheet("QPushButton#runButton { font-weight: bold; }")
        self.stop_button = self._button("stopButton", self.tr("Stop"), self.tr("Stop (Esc)"))
        self.continue_button = self._button(
            "continueButton", self.tr("Continue"), self.tr("Generate more from the end of the text")
        )
        self.regenerate_button = self._button(
            "regenerateButton",
            self.tr("Regenerate"),
            self.tr("Remove the last completion and run again"),
        )
        self.undo_button = self._button(
            "undoButton", self.tr("Undo"), self.tr("Restore the text as it was before the last run")
        )
        for b in (
            self.run_button,
            self.stop_button,
            self.continue_button,
            self.regenerate_button,
            self.undo_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.code_button = self._button(
            "codeButton", self.tr("Code"), self.tr("This request as curl, Python or JavaScript")
        )
        buttons.addWidget(self.code_button)
        self.stats = QLabel()
        self.stats.setObjectName("promptStats")
        self.stats.setAccessibleName(self.tr("Prompt length"))
        ll.addLayout(buttons)
        ll.addWidget(self.editor, 3)
        self.output_tabs = QTabWidget()
        self.output_tabs.setObjectName("outputTabs")
        self.output_tabs.setAccessibleName(self.tr("Completions"))
        self.output_tabs.hide()
        ll.addWidget(self.output_tabs, 2)

        scroll = QScrollArea()
        scroll.setObjectName("paramScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.params)
        scroll.setMinimumWidth(280)

        self.history_panel = HistoryPanel(self._history)
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

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAccessibleName(text)
        b.setToolTip(tip)
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
        self.params.changed.connect(self._on_params_changed)
        self.params.refreshModelsRequested.connect(self.refresh_models)
        self.params.model_combo.currentTextChanged.connect(self._on_model_text_changed)
        self.connection.changed.connect(self._on_params_changed)
        self.connection.providerChanged.connect(self._on_provider_changed)
        self.connection.manageRequested.connect(self.manage_providers)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave_timeout)
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
        self.models.http = http
        self._update_run_enabled()

    def _update_run_enabled(self) -> None:
        busy = self.runner.busy
        problems = [] if busy else self.problems()
        if self.http is None:
            problems.append(Problem("network", self.tr("starting up…")))
        ok = not busy and not problems
        for b in (self.run_button, self.continue_button):
            b.setEnabled(ok)
        self.run_action.setEnabled(ok)
        self.regenerate_button.setEnabled(ok and self._run is not None)
        self.undo_button.setEnabled(not busy and bool(self._undo))
        self.stop_button.setEnabled(busy)
        if problems:
            why = "\n".join(str(p) for p in problems)
            self.run_button.setToolTip(self.tr("Cannot run:") + "\n" + why)
        else:
            self.run_button.setToolTip(self.tr("Run (Ctrl+Enter)"))

    def _on_run_action_triggered(self) -> None:
        if self.run_button.isEnabled():
            self.run()

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
        self.runner.stop()

    def _start(self, mode: str) -> None:
        if self.runner.busy:
            return
        problems = self.problems()
        if problems:
            self.show_error(self.tr("Cannot run: ") + "; ".join(str(p) for p in problems))
            return
        try:
            endpoint = self.connection.endpoint()  # may ask the keyring: it can refuse
        except ConfigError as exc:
            self.show_error(self.tr("Cannot run: ") + exc.message)
            return
        before = self.editor.snapshot()
        text = before.text
        suffix: str | None = None
        insert_at: int | None = None
        if mode == "insert":
            split = split_insert(text)
            assert split is not None
            prompt, suffix = split
            insert_at = qt_len(prompt)
        else:
            prompt = text
        request, problems = self.params.build(prompt, suffix)
        if problems:
            self.show_error(self.tr("Cannot run: ") + "; ".join(str(p) for p in problems))
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
            self._open_panes(int(n))
        else:
            self.output_tabs.hide()
            if insert_at is not None:
                self.editor.remove_text(insert_at, len(INSERT_MARKER))
            self.editor.begin_output(insert_at)
        self._recording = {
            "request": request.to_body(),
            "provider": self.connection.provider(),
            "url": endpoint.completions(),
            "mode": mode,
            "texts": {},
        }
        self.runner.start(endpoint, request)

    def _open_panes(self, n: int) -> None:
        self.output_tabs.clear()
        self._panes = []
        for i in range(n):
            pane = QPlainTextEdit()
            pane.setReadOnly(True)
            pane.setObjectName(f"choicePane{i}")
            pane.setAccessibleName(self.tr("Choice %1").replace("%1", str(i)))
            self.output_tabs.addTab(pane, self.tr("Choice %1").replace("%1", str(i)))
            self._panes.append(pane)
        self.output_tabs.show()

    def _on_runner_text_ready(self, index: int, text: str) -> None:
        if self._recording is not None:
            self._recording["texts"].setdefault(index, []).append(text)
        if self._run is not None and self._run.mode == "panes":
            if 0 <= index < len(self._panes):
                pane = self._panes[index]
                bar = pane.verticalScrollBar()
                follow = bar.value() >= bar.maximum() - 4
                cur = pane.textCursor()
                cur.movePosition(cur.MoveOperation.End)
                cur.insertText(text)
                if follow:
                    bar.setValue(bar.maximum())
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
        m = done.metrics
        self._record_run(
            "finished",
            finish=done.finish_reasons,
            metrics={
                "ttft": m.ttft,
                "total": m.total,
                "completion_tokens": m.completion_tokens,
                "tokens_per_second": m.tokens_per_second,
                "usage": None
                if done.usage is None
                else {
                    "prompt_tokens": done.usage.prompt_tokens,
                    "completion_tokens": done.usage.completion_tokens,
                    "total_tokens": done.usage.total_tokens,
                },
            },
        )

    def _on_runner_stopped(self) -> None:
        self.run_status.setText(self.tr("Stopped — the text received so far is kept."))
        self._record_run("stopped")

    def _on_runner_failed(self, error: CompletionError) -> None:
        self.show_error(describe_error(error))
        self.run_status.setText(self.tr("Failed"))
        self._record_run("failed", error=error.describe())

    def show_code(self) -> CodeDialog | None:
        """The request Run would send, as code that reads the key from the environment."""
        from app.ui.dialogs.code import CodeDialog

        text = self.editor.toPlainText()
        split = split_insert(text)
        prompt, suffix = split if split is not None else (text, None)
        request, problems = self.params.build(prompt, suffix)
        if problems or self.connection.problems():
            why = [str(p) for p in problems] + self.connection.problems()
            self.show_error(self.tr("Cannot show the code: ") + "; ".join(why))
            return None
        name = self.connection.provider()
        profile = self.providers.get(name) if name else None
        endpoint = profile.endpoint(None) if profile else self.connection.endpoint()
        dialog = CodeDialog(endpoint, request.to_body(), profile.key_env if profile else "", self)
        dialog.open()
        return dialog

    # history ----------------------------------------------------------------------------------

    def _history(self) -> History:
        if self._history_db is None:
            self._history_db = History(self.store.home / "history.sqlite3")
        return self._history_db

    def _record_run(
        self,
        outcome: str,
        *,
        finish: dict[int, str] | None = None,
        error: str = "",
        metrics: dict[str, Any] | None = None,
    ) -> None:
        """One row per run, written in one SQLite transaction (never half a run)."""
        rec, self._recording = self._recording, None
        if rec is None:
            return
        record = RunRecord(
            request=rec["request"],
            outputs={i: "".join(parts) for i, parts in rec["texts"].items()},
            outcome=outcome,
            provider=rec["provider"],
            url=rec["url"],
            finish=finish or {},
            error=error,
            metrics={"mode": rec["mode"], **(metrics or {})},
        )
        self._history().add(record)
        self.history_panel.added(record)

    def restore_run(self, record: RunRecord) -> None:
        """Put a past run back: its prompt and output in the editor, its parameters in the
        panel. The current text goes on the Undo stack first."""
        if self.runner.busy:
            return
        self._undo.append(self.editor.snapshot())
        prompt = record.prompt_text
        output = record.outputs.get(0, "")
        suffix = record.request.get("suffix")
        tail = suffix if record.metrics.get("mode") == "insert" and isinstance(suffix, str) else ""
        start = qt_len(prompt)
        self.editor.restore(
            Draft(
                prompt + output + tail,
                [(start, start + qt_len(output))] if output else [],
                start + qt_len(output),
            )
        )
        body = dict(record.request)
        if tail:
            body.pop("suffix", None)  # it came from the [insert] marker, not the suffix field
        self.params.apply_body(body)
        self._run = None
        self._update_run_enabled()
        self.save_draft(background=True)

    def show_error(self, text: str) -> None:
        self.error_text.setText(text)
        self.error_bar.show()

    # models -----------------------------------------------------------------------------------

    def refresh_models(self) -> None:
        try:
            self.models.refresh(self.connection.endpoint())
        except ConfigError as exc:
            self.show_error(exc.describe())

    def _on_models_loaded(self, ids: list[str]) -> None:
        name = self.connection.provider()
        if name:
            self.providers.set_models(name, ids)
        self._fill_models(ids)
        self.statusBar().showMessage(self.tr("%n model(s) available", "", len(ids)), 5000)

    def _fill_models(self, ids: list[str], model: str | None = None) -> None:
        combo = self.params.model_combo
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(ids)
        combo.setEditText(model or current or (ids[0] if ids else ""))
        combo.blockSignals(False)
        self._on_model_text_changed(combo.currentText())
        self.params.changed.emit()

    # providers --------------------------------------------------------------------------------

    def _on_provider_changed(self, name: str) -> None:
        """Switching provider switches base URL, key and model list together."""
        self.providers.selected = name
        self.providers.save()
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
        dialog.open()  # never exec(): the qasync loop must keep running
        return dialog

    def _on_providers_changed(self) -> None:
        self.connection.reload()
        self._update_run_enabled()

    def _on_models_failed(self, error: CompletionError) -> None:
        self.show_error(self.tr("Could not list models: ") + describe_error(error))

    def _on_model_text_changed(self, model: str) -> None:
        ctx = self.models.context_lengths.get(model)
        if ctx:
            self.params.set_context_length(ctx)

    # persistence ------------------------------------------------------------------------------

    def _on_params_changed(self) -> None:
        self._update_run_enabled()
        self._settings_save.start()

    def _on_editor_text_changed(self) -> None:
        # Called for every streamed frame too: only O(1) work here; the rest is debounced, and
        # the O(n) stats wait for the end of a run.
        if not self._stats_timer.isActive() and not self.runner.busy:
            self._stats_timer.start()
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if now - self._dirty_since >= AUTOSAVE_MAX_WAIT_S:
            self.save_draft(background=True)  # steady typing or streaming: save every 2 s
        else:
            self._autosave.start()

    def _update_stats(self) -> None:
        text = self.editor.toPlainText()
        self.stats.setText(
            self.tr("%1 chars · ≈%2 tokens")
            .replace("%1", str(len(text)))
            .replace("%2", str(estimate_tokens(text)))
        )

    def _on_autosave_timeout(self) -> None:
        self.save_draft(background=True)

    def _draft_writer(self) -> ThreadPoolExecutor:
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft")
        return self._writer

    def save_draft(self, background: bool = False) -> None:
        """Write the editor's content atomically; in a worker thread when ``background``."""
        self._autosave.stop()
        self._dirty_since = None
        draft = self.editor.snapshot()
        if background:
            # fsync of a large draft can take tens of ms: never on the GUI thread mid-stream.
            self._draft_writer().submit(self.store.save_draft, draft)
        else:
            self._draft_writer().submit(self.store.save_draft, draft).result()

    def save_settings(self) -> None:
        data = self.store.load_settings()
        data["params"] = self.params.state()
        data["connection"] = {"base_url": self.connection.custom_url()}
        self.store.save_settings(data)

    def _qsettings(self) -> QSettings:
        return QSettings(str(self.store.home / "window.ini"), QSettings.Format.IniFormat)

    def _restore(self) -> None:
        data = self.store.load_settings()
        conn = data.get("connection")
        if isinstance(conn, dict) and isinstance(conn.get("base_url"), str):
            self.connection.set_custom_url(conn["base_url"])
        if self.providers.selected:
            self.connection.select(self.providers.selected)
        params = data.get("params")
        if isinstance(params, dict):
            self.params.restore(params)  # after the provider: the last model used wins
        draft = self.store.load_draft()
        if draft is not None:
            self.editor.restore(draft)
        qs = self._qsettings()
        geo = qs.value("geometry")
        if isinstance(geo, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geo))
        split = qs.value("splitter")
        if isinstance(split, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(split))
        self._update_stats()

    def save_geometry(self) -> None:
        qs = self._qsettings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("splitter", self.splitter.saveState())
        qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.stop()
        self.save_draft()  # waits for the writer: the last state is on disk before we go
        self.save_settings()
        self.save_geometry()
        super().closeEvent(event)


def format_status(done: RunDone) -> str:
    m = done.metrics

    def ms(v: float | None) -> str:
        return "–" if v is None else (f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s")

    parts = [
        QCoreApplication.translate("MainWindow", "first token %1").replace("%1", ms(m.ttft)),
        QCoreApplication.translate("MainWindow", "total %1").replace("%1", ms(m.total)),
    ]
    tps = m.tokens_per_second
    if tps is not None:
        parts.append(
            QCoreApplication.translate("MainWindow", "%1 tok/s").replace("%1", f"{tps:.1f}")
        )
    reasons = sorted(set(done.finish_reasons.values()))
    parts.append(
        QCoreApplication.translate("MainWindow", "finish: %1").replace(
            "%1", ", ".join(reasons) or "–"
        )
    )
    u = done.usage
    if u is not None:
        parts.append(
            QCoreApplication.translate("MainWindow", "tokens: %1 prompt / %2 completion / %3 total")
            .replace("%1", _n(u.prompt_tokens))
            .replace("%2", _n(u.completion_tokens))
            .replace("%3", _n(u.total_tokens))
        )
    return " · ".join(parts)


def _n(v: int | None) -> str:
    return "–" if v is None else str(v)


def describe_error(error: CompletionError) -> str:
    """One line for the error bar: a translated title, then the error's own words (untranslated)."""
    titles = {
        "authentication": QCoreApplication.translate("MainWindow", "Authentication failed"),
        "rate_limit": QCoreApplication.translate("MainWindow", "Rate limited"),
        "bad_request": QCoreApplication.translate("MainWindow", "The server refused the request"),
        "not_found": QCoreApplication.translate("MainWindow", "Not found"),
        "server": QCoreApplication.translate("MainWindow", "Server error"),
        "network": QCoreApplication.translate("MainWindow", "Network error"),
        "timeout": QCoreApplication.translate("MainWindow", "Timed out"),
        "protocol": QCoreApplication.translate("MainWindow", "Unexpected reply"),
        "config": QCoreApplication.translate("MainWindow", "Connection settings"),
    }
    title = titles.get(error.kind, QCoreApplication.translate("MainWindow", "Error"))
    text = f"{title} — {error.describe()}"
    if error.partial:
        text += " " + QCoreApplication.translate("MainWindow", "(the text received so far is kept)")
    return text
