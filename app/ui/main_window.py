"""The playground window: layout and wiring.

The state lives elsewhere: the request in a ``RequestDraft`` the parameter panel reflects, the
runs in ``PlaygroundSession`` (start, stream, stop, undo/redo, record), the provider choice and
model list in ``ConnectionController``, the files and the key store in the ``Services`` that
``app/__main__.py`` builds. This class lays out the widgets, connects them to those objects, and
shows what they say: the run status, errors, notices, which buttons may be used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QSplitter, QTabWidget, QWidget

from app.core.draft import RequestDraft
from app.core.history import RunRecord
from app.core.params import Problem
from app.core.playground import estimate_tokens
from app.core.run import RunMode
from app.core.services import Services
from app.ui import ops, window_state
from app.ui.compare.controller import CompareController
from app.ui.compare.view import CompareView
from app.ui.connection_ctl import ConnectionController
from app.ui.drafts import AUTOSAVE_MS, DraftAutosave
from app.ui.menus import install_menus
from app.ui.problem_text import describe as describe_problem
from app.ui.session import PlaygroundSession
from app.ui.widgets.choices import ChoiceTabs
from app.ui.widgets.connection import ConnectionBar
from app.ui.widgets.editor import PromptEdit
from app.ui.widgets.params import ParamPanel
from app.ui.window_layout import build_layout

if TYPE_CHECKING:
    import httpx

    from app.ui.dialogs.code import CodeDialog
    from app.ui.dialogs.providers import ProviderDialog
    from app.ui.widgets.error_bar import ErrorBar
    from app.ui.widgets.history import HistoryPanel
    from app.ui.widgets.notices import NoticeBar
    from app.ui.widgets.welcome import WelcomePanel


class MainWindow(QMainWindow):
    # Built by window_layout.build_layout:
    error_bar: ErrorBar
    error_text: QLabel
    notices: NoticeBar
    history_panel: HistoryPanel
    side_tabs: QTabWidget
    splitter: QSplitter
    run_status: QLabel
    stats: QLabel
    run_button: QPushButton
    stop_button: QPushButton
    continue_button: QPushButton
    regenerate_button: QPushButton
    undo_button: QPushButton
    redo_button: QPushButton
    code_button: QPushButton
    welcome: WelcomePanel
    mode_tabs: QTabWidget

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Promptpad"))
        self.services = services
        self.store = services.store
        self.keys = services.keys
        self.providers = services.providers
        self.connection = ConnectionBar(self.providers)
        self.editor = PromptEdit()
        self.draft = RequestDraft.starting()  # the request being edited; the panel shows it
        self.params = ParamPanel(self.draft)
        self.output_tabs = ChoiceTabs()
        self.session = PlaygroundSession(
            services, self.draft, self.editor, self.output_tabs, self.params, self.connection, self
        )
        self.runner, self.recorder = self.session.runner, self.session.recorder
        self.connections = ConnectionController(services, self.connection, self.params, self)
        self.models = self.connections.models
        self.autosave = DraftAutosave(self.store, self.editor.snapshot, self)
        self.compare = CompareController(services, self.draft, self.recorder, self)
        self.compare_view = CompareView(self.compare)
        build_layout(self)
        self.menu_actions = install_menus(self)
        self._wire()
        window_state.restore(self)
        self._update_stats()
        self._update_run_enabled()

    @property
    def http(self) -> httpx.AsyncClient | None:
        return self.services.http

    def _wire(self) -> None:
        for button, slot in (
            (self.run_button, self.run),
            (self.stop_button, self.stop),
            (self.continue_button, self.continue_),
            (self.regenerate_button, self.regenerate),
            (self.undo_button, self.undo),
            (self.redo_button, self.redo),
            (self.code_button, self.show_code),
        ):
            button.clicked.connect(slot)
        s = self.session
        s.stateChanged.connect(self._on_session_state_changed)
        s.status.connect(self.run_status.setText)
        s.errorShown.connect(self.show_error)
        s.errorCleared.connect(self.error_bar.hide)
        s.blocked.connect(self._explain_blocked)
        c = self.connections
        c.changed.connect(self._update_run_enabled)
        c.errorShown.connect(self.show_error)
        c.saveFailed.connect(self.notices.save_failed)
        c.modelsListed.connect(self._on_models_listed)
        self.connection.manageRequested.connect(self.manage_providers)
        self.connection.changed.connect(self._on_params_changed)
        self.connection.providerChanged.connect(self.error_bar.hide)  # not the new one's error
        self.compare.errorShown.connect(self.show_error)
        self.compare.status.connect(self._on_compare_status)
        self.compare.busyChanged.connect(self._on_compare_busy_changed)
        self.mode_tabs.currentChanged.connect(self._on_mode_changed)
        self.compare.load_working_copy()
        self.history_panel.restoreRequested.connect(self.restore_run)
        self.recorder.recorded.connect(self.history_panel.added)
        self.recorder.notice.connect(self._on_recorder_notice)
        # Bound slots, not lambdas: the hub outlives the window, and Qt disconnects a bound
        # slot when its window is destroyed.
        ops.hub().failed.connect(self._on_background_failed)
        self.params.changed.connect(self._on_params_changed)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._stats_timer = QTimer(self, singleShot=True, interval=250)
        self._stats_timer.timeout.connect(self._update_stats)
        self._settings_save = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._settings_save.timeout.connect(self.save_settings)

    # actions (buttons, menus, shortcuts) ------------------------------------------------------

    def run(self) -> None:
        """Run the prompt: insert mode if it holds [insert], else append at the end."""
        self.session.start(RunMode.NEW)

    def comparing(self) -> bool:
        """The Compare tab is shown: Ctrl+Enter runs all columns, Esc stops them."""
        return self.mode_tabs.currentWidget() is self.compare_view

    def run_or_explain(self) -> None:
        """Ctrl+Enter: run, or say at once why not and show the field."""
        if self.comparing():
            if not self.compare.busy:
                self.error_bar.hide()
                self.compare_view.run_all()
            return
        if self.run_button.isEnabled():
            self.run()
        elif not self.session.busy:
            self._explain_blocked(self.problems())

    def continue_(self) -> None:
        """Generate more from the end of the whole text (the marker, if any, is plain text)."""
        self.session.start(RunMode.CONTINUE)

    def regenerate(self) -> None:
        """Replace the last completion with a new one, the same way."""
        self.session.start(RunMode.REGENERATE)

    def undo(self) -> None:
        self.session.undo()
        self.save_draft(background=True)

    def redo(self) -> None:
        self.session.redo()
        self.save_draft(background=True)

    def stop(self) -> None:
        if self.comparing():
            self.compare.stop()
            return
        self.session.stop()

    def restore_run(self, record: RunRecord) -> None:
        self.session.restore_record(record)
        self.save_draft(background=True)

    def manage_providers(self) -> ProviderDialog:
        return self.connections.manage(self)

    def refresh_models(self) -> None:
        self.connections.refresh_models()

    def attach_http(self, http: httpx.AsyncClient) -> None:
        """Hand over the app's one HTTP client (created just after the window is shown)."""
        self.services.attach_http(http)
        self._update_run_enabled()

    def show_code(self) -> CodeDialog | None:
        """The request Run would send, as code that reads the key from the environment."""
        from app.ui.dialogs.code import CodeDialog

        request, problems, _ = self.session.request_for(self.editor.toPlainText(), insert=True)
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

    # what the window shows --------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        out = self.params.problems()
        if not self.connection.base_url.text().strip():
            out.append(Problem("base_url", self.tr("enter the server's base URL")))
        else:
            out += [Problem("base_url", why) for why in self.connection.problems()]
        return out

    def show_error(self, text: str) -> None:
        self.error_bar.show_message(text)

    def _explain_blocked(self, problems: list[Problem]) -> None:
        """Say at once why Run cannot start, and bring the first bad field into view."""
        if self.http is None and not problems:
            problems = [Problem("network", self.tr("starting up…"))]
        if problems:
            why = "; ".join(describe_problem(p) for p in problems)
            self.show_error(self.tr("Cannot run: ") + why)
            self.params.reveal(problems[0].field)

    def _on_session_state_changed(self) -> None:
        if not self.session.runner.busy:
            self._stats_timer.start()
            self.save_draft(background=True)
        self._update_run_enabled()

    def _update_run_enabled(self) -> None:
        busy = self.session.busy
        problems = [] if busy else self.problems()
        if self.http is None:
            problems.append(Problem("network", self.tr("starting up…")))
        ok = not busy and not problems
        for widget in (self.run_button, self.continue_button, self.menu_actions.continue_):
            widget.setEnabled(ok)
        # Ctrl+Enter stays live: it says why not (and in the Compare tab it runs all)
        self.menu_actions.run.setEnabled(not busy or self.comparing())
        for widget in (self.regenerate_button, self.menu_actions.regenerate):
            widget.setEnabled(ok and self.session.can_regenerate)
        for widget in (self.undo_button, self.menu_actions.undo_run):
            widget.setEnabled(not busy and self.session.undo_stack.can_undo)
        for widget in (self.redo_button, self.menu_actions.redo_run):
            widget.setEnabled(not busy and self.session.undo_stack.can_redo)
        self.stop_button.setEnabled(busy)
        why = "\n".join(describe_problem(p) for p in problems)
        self.run_button.setToolTip(
            self.tr("Cannot run:") + "\n" + why if problems else self.tr("Run (Ctrl+Enter)")
        )

    def _on_mode_changed(self, _index: int) -> None:
        self._update_run_enabled()
        if not self.comparing():
            return
        # A first look at Compare starts from the playground: its prompt and two columns.
        if not self.compare.comparison.prompt and not self.compare.busy:
            self.compare_view.prompt.setPlainText(self.editor.toPlainText())
        if not self.compare.columns:
            names = self.providers.names()
            first = self.connection.provider() or (names[0] if names else "")
            second = next((n for n in names if n != first), first)
            url = "" if first else self.connection.custom_url()
            self.compare.add_column(first, url)
            self.compare.add_column(second, url)

    def _on_compare_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _on_compare_busy_changed(self, _busy: bool) -> None:
        self._update_run_enabled()

    def _on_recorder_notice(self, text: str) -> None:
        self.notices.put("history", text)

    def _on_background_failed(self, text: str) -> None:
        """The one place where background work that failed without a handler shows."""
        self.notices.put("background", text)

    def _on_models_listed(self, count: int) -> None:
        self.statusBar().showMessage(self.tr("%n model(s) available", "", count), 5000)

    def _on_params_changed(self) -> None:
        self._update_run_enabled()
        self._settings_save.start()

    def _on_editor_text_changed(self) -> None:
        # Called for every streamed frame too: only O(1) work here; the rest is debounced, and
        # the O(n) stats wait for the end of a run.
        if not self._stats_timer.isActive() and not self.session.runner.busy:
            self._stats_timer.start()
        self.autosave.changed()

    def _update_stats(self) -> None:
        text = self.editor.toPlainText()
        self.stats.setText(
            self.tr("%1 chars · ≈%2 tokens")
            .replace("%1", str(len(text)))
            .replace("%2", str(estimate_tokens(text)))
        )

    # persistence ------------------------------------------------------------------------------

    def save_draft(self, background: bool = False) -> None:
        """Write the editor's content atomically; in a worker thread when ``background``."""
        self.autosave.save(background)

    def save_settings(self) -> None:
        window_state.save_settings(self)

    def save_geometry(self) -> None:
        window_state.save_geometry(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.compare.close()  # every column stopped (recorded as stopped), the working copy kept
        self.session.close()  # a run mid-stream is recorded as stopped, the history on disk
        self.save_draft()  # waits for the writer: the last state is on disk before we go
        self.save_settings()
        self.save_geometry()
        super().closeEvent(event)
