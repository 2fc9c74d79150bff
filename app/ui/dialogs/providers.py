"""The provider manager: add (from a template), edit, duplicate, delete, test, export, import.

Keys are typed here and go straight to the ProviderStore's KeyStore (the OS keyring); the form
never writes them anywhere else. Where the system has no keyring the dialog says so plainly and
the key is kept for this session only.

The keyring is only asked on its own thread (app/ui/ops.py, app/ui/keys.py): a profile's key and
proxy password are read in the background when it is shown, and its key fields, Save and
Duplicate wait for them (saving an empty field before the key arrived would delete it). The read
is strict: a keyring that refuses to answer is shown as such and Save stays off, so a key that
could not be read is never deleted by saving an empty field.

The dialog never loses an edit: Enter saves (Save is the default button), switching profile,
adding one or closing with unsaved changes asks first, and Delete asks before a profile and its
key go. Questions are window-modal message boxes opened with ``open()``, never ``exec()`` (the
qasync loop must keep running); each has an objectName so that tests can answer it.

Test connection reports two things separately: whether the model list can be read, and whether
a one-token completion with the default model works (a chat-only model lists fine and then
fails on Run).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CompletionError, ConfigError
from app.core.params import CompletionRequest
from app.core.provider_store import ProviderStore
from app.core.providers import (
    Provider,
    headers_from_text,
    headers_to_text,
    load_templates,
)
from app.ui import ops
from app.ui.controllers import ModelsController, RunController
from app.ui.error_text import describe_message
from app.ui.keys import LANE as KEYRING_LANE
from app.ui.messages import error_detail
from app.ui.questions import Choice, ask_to_save, confirm_delete
from app.ui.template_notes import template_note
from app.ui.theme import theme_for

if TYPE_CHECKING:
    import httpx

    from app.core.client import RunDone
    from app.core.endpoint import Endpoint

TEST_PROMPT = "Hello"  # the one-token completion of Test connection


def set_tone(label: QLabel, tone: str) -> None:
    """Colour ``label``'s text for ``tone``: "error" (app/ui/theme.py, light or dark as the
    palette is), "muted" (the palette's placeholder colour) or "" (ordinary text; a ✓ says
    success)."""
    if tone == "error":
        colour = theme_for(label.palette()).error_text
    elif tone == "muted":
        colour = label.palette().color(QPalette.ColorRole.PlaceholderText)
    else:
        label.setStyleSheet("")
        return
    label.setStyleSheet(f"color: {colour.name()};")


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class SecretEdit(QWidget):
    """A masked line edit with a reveal button."""

    def __init__(self, name: str, accessible: str, placeholder: str) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        _named(self.edit, name, accessible)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(placeholder)
        self.reveal = QToolButton()
        _named(self.reveal, name + "Reveal", self.tr("Show %1").replace("%1", accessible))
        self.reveal.setText(self.tr("Show"))
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._on_reveal_toggled)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.reveal)

    def _on_reveal_toggled(self, on: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.reveal.setText(self.tr("Hide") if on else self.tr("Show"))


class ProviderDialog(QDialog):
    """The provider manager.

    Signals:
        providersChanged(): profiles were added, edited or removed.
        providerAdded(str): a profile was just added (from a template, a copy or a file): the
            window should use it, or the first run would go elsewhere.
    """

    providersChanged = Signal()
    providerAdded = Signal(str)

    def __init__(
        self, store: ProviderStore, http: httpx.AsyncClient, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("providerDialog")
        self.setWindowTitle(self.tr("Providers"))
        self.store = store
        self.templates = load_templates()
        self._current: str | None = None
        self._loading = False
        self._secrets: ops.BackgroundOp | None = None  # the shown profile's secrets, on the way
        self._baseline: tuple[Any, ...] | None = None  # the form as loaded: unsaved edits differ
        self._testing: set[str] = set()  # "models", "completion": parts of a test under way
        self._test_name = ""
        self._test_model = ""
        self.tester = ModelsController(http, self)
        self.tester.loaded.connect(self._on_test_loaded)
        self.tester.failed.connect(self._on_test_failed)
        self.completion_tester = RunController(http, self)
        self.completion_tester.finished.connect(self._on_completion_finished)
        self.completion_tester.failed.connect(self._on_completion_failed)
        self.completion_tester.stopped.connect(lambda: self._end_test("completion"))
        self._build()
        self._refresh_list(select=self.store.names()[0] if self.store.providers else None)
        self.resize(860, 600)

    # layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        # Shown from the start with room for its longest text: appearing later, when the
        # keyring lane has looked, it would push the whole dialog down under the mouse.
        self.keyring_notice = QLabel(self.tr("Looking for the system keyring…"))
        _named(self.keyring_notice, "keyringNotice", self.tr("Keyring status"))
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self._style_notice(warn=False)
        ops.run_in_background(
            lambda: self.store.keyring_available,
            self._on_keyring_checked,
            lane=KEYRING_LANE,
            parent=self,
        )
        outer.addWidget(self.keyring_notice)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        _named(self.list, "providersList", self.tr("Providers"))
        ll.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QToolButton()
        _named(self.add_button, "addProviderButton", self.tr("Add provider"))
        self.add_button.setText(self.tr("Add"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        menu.setObjectName("templateMenu")
        blank = QAction(self.tr("Blank"), menu)
        blank.triggered.connect(lambda: self._after_asking(lambda: self.add_from_template(None)))
        menu.addAction(blank)
        menu.addSeparator()
        for t in self.templates:
            act = QAction(t.name, menu)
            act.triggered.connect(
                lambda _=False, name=t.name: self._after_asking(
                    lambda: self.add_from_template(name)
                )
            )
            menu.addAction(act)
        self.add_button.setMenu(menu)
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        _named(self.duplicate_button, "duplicateProviderButton", self.tr("Duplicate provider"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        _named(self.delete_button, "deleteProviderButton", self.tr("Delete provider"))
        for w in (self.add_button, self.duplicate_button, self.delete_button):
            row.addWidget(w)
        ll.addLayout(row)
        io = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import…"))
        _named(self.import_button, "importProvidersButton", self.tr("Import providers"))
        self.export_button = QPushButton(self.tr("Export…"))
        _named(
            self.export_button, "exportProvidersButton", self.tr("Export providers (without keys)")
        )
        io.addWidget(self.import_button)
        io.addWidget(self.export_button)
        ll.addLayout(io)
        split.addWidget(left)

        fields = QWidget()
        form = QFormLayout(fields)
        self.name_edit = _named(QLineEdit(), "providerNameEdit", self.tr("Name"))
        self.base_url_edit = _named(QLineEdit(), "providerBaseUrlEdit", self.tr("Base URL"))
        self.base_url_edit.setPlaceholderText("https://api.example.com/v1")
        self.full_url_edit = _named(
            QLineEdit(), "providerFullUrlEdit", self.tr("Full URL override")
        )
        self.full_url_edit.setPlaceholderText(self.tr("optional: the exact completions URL"))
        self.url_preview = _named(QLabel(), "providerUrlPreview", self.tr("Request URL"))
        self.url_preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_preview.setForegroundRole(QPalette.ColorRole.Link)
        # Until the keyring lane has looked, the hint does not claim where the key will go.
        self.key_edit = SecretEdit("providerKeyEdit", self.tr("API key"), "")
        self.key_env_edit = _named(
            QLineEdit(), "providerKeyEnvEdit", self.tr("Key environment variable")
        )
        self.key_env_edit.setPlaceholderText(self.tr("optional, e.g. OPENAI_API_KEY"))
        self.key_header_edit = _named(QLineEdit(), "providerKeyHeaderEdit", self.tr("Key header"))
        self.key_header_edit.setPlaceholderText(self.tr("Authorization: Bearer (default)"))
        self.key_header_edit.setToolTip(
            self.tr("For servers that want the key in another header, e.g. api-key")
        )
        self.model_edit = _named(QLineEdit(), "providerModelEdit", self.tr("Default model"))
        self.model_edit.setToolTip(
            self.tr("Test connection also tries a one-token completion with this model")
        )
        self.headers_edit = _named(
            QPlainTextEdit(), "providerHeadersEdit", self.tr("Extra headers")
        )
        self.headers_edit.setPlaceholderText("X-Org: my-team")
        self.headers_edit.setFixedHeight(54)
        self.proxy_edit = _named(QLineEdit(), "providerProxyEdit", self.tr("Proxy"))
        self.proxy_edit.setPlaceholderText("socks5://127.0.0.1:1080")
        self.proxy_user_edit = _named(QLineEdit(), "providerProxyUserEdit", self.tr("Proxy user"))
        self.proxy_password = SecretEdit("providerProxyPasswordEdit", self.tr("Proxy password"), "")
        self.connect_timeout = QDoubleSpinBox()
        _named(self.connect_timeout, "providerConnectTimeout", self.tr("Connect timeout"))
        self.read_timeout = QDoubleSpinBox()
        _named(self.read_timeout, "providerReadTimeout", self.tr("Read timeout"))
        for spin in (self.connect_timeout, self.read_timeout):
            spin.setRange(0.5, 3600)
            spin.setSuffix(" s")
        self.verify_check = _named(
            QCheckBox(self.tr("Verify TLS certificates")),
            "providerVerifyCheck",
            self.tr("Verify TLS certificates"),
        )
        ca_row = QWidget()
        car = QHBoxLayout(ca_row)
        car.setContentsMargins(0, 0, 0, 0)
        self.ca_edit = _named(QLineEdit(), "providerCaBundleEdit", self.tr("CA bundle"))
        self.ca_edit.setPlaceholderText(self.tr("optional PEM file"))
        ca_browse = QToolButton()
        ca_browse.setText("…")
        ca_browse.clicked.connect(self._on_ca_browse_clicked)
        car.addWidget(self.ca_edit, 1)
        car.addWidget(ca_browse)
        self.notes_edit = _named(QPlainTextEdit(), "providerNotesEdit", self.tr("Notes"))
        self.notes_edit.setFixedHeight(54)

        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Base URL"), self.base_url_edit)
        form.addRow(self.tr("Full URL"), self.full_url_edit)
        form.addRow("", self.url_preview)
        form.addRow(self.tr("API key"), self.key_edit)
        form.addRow(self.tr("…or from variable"), self.key_env_edit)
        form.addRow(self.tr("Key header"), self.key_header_edit)
        form.addRow(self.tr("Default model"), self.model_edit)
        form.addRow(self.tr("Headers"), self.headers_edit)
        form.addRow(self.tr("Proxy"), self.proxy_edit)
        form.addRow(self.tr("Proxy user"), self.proxy_user_edit)
        form.addRow(self.tr("Proxy password"), self.proxy_password)
        form.addRow(self.tr("Connect timeout"), self.connect_timeout)
        form.addRow(self.tr("Read timeout"), self.read_timeout)
        form.addRow("", self.verify_check)
        form.addRow(self.tr("CA bundle"), ca_row)
        form.addRow(self.tr("Notes"), self.notes_edit)
        # The fields scroll: however long the form, the dialog keeps its size, and the messages
        # and buttons below keep their places (the mouse is often on Save when they change).
        scroll = QScrollArea()
        scroll.setObjectName("providerFormScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(fields)

        line = self.fontMetrics().lineSpacing()
        self.problems_label = _named(QLabel(), "providerProblems", self.tr("Problems"))
        self.problems_label.setWordWrap(True)
        self.problems_label.setMinimumHeight(line * 2)
        self.problems_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        set_tone(self.problems_label, "error")
        self.test_result = _named(QLabel(), "testConnectionResult", self.tr("Model list test"))
        self.completion_result = _named(
            QLabel(), "testCompletionResult", self.tr("Completion test")
        )
        results = QFormLayout()
        results.addRow(self.tr("Model list:"), self.test_result)
        results.addRow(self.tr("Completion:"), self.completion_result)
        for label in (self.test_result, self.completion_result):
            label.setWordWrap(True)
            label.setMinimumHeight(line * 2)
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("Test connection"))
        _named(self.test_button, "testConnectionButton", self.tr("Test connection"))
        self.test_button.setToolTip(
            self.tr("Lists the models, and tries a one-token completion with the default model")
        )
        self.save_button = QPushButton(self.tr("Save"))
        _named(self.save_button, "saveProviderButton", self.tr("Save provider"))
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        self.form_widget = QWidget()  # everything about the shown profile
        pane = QVBoxLayout(self.form_widget)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.addWidget(scroll, 1)
        pane.addWidget(self.problems_label)
        pane.addLayout(results)
        pane.addLayout(actions)
        split.addWidget(self.form_widget)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        # Enter saves the profile being edited; no other button may take it (it used to
        # trigger Duplicate, and the edit was gone).
        for b in (
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.export_button,
            self.test_button,
            *buttons.buttons(),
        ):
            if isinstance(b, QPushButton):
                b.setAutoDefault(False)
        self.save_button.setDefault(True)

        self.list.currentTextChanged.connect(self._on_list_current_text_changed)
        self.duplicate_button.clicked.connect(self._on_duplicate_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save_current)
        for edit in (
            self.name_edit,
            self.base_url_edit,
            self.full_url_edit,
            self.key_env_edit,
            self.key_header_edit,
            self.proxy_edit,
            self.ca_edit,
        ):
            edit.textChanged.connect(self._on_form_changed)
        self.headers_edit.textChanged.connect(self._on_form_changed)

    def _style_notice(self, warn: bool) -> None:
        # Same border and padding either way (a different box would change the height); the
        # warning colours come from the theme, light or dark as the palette is.
        if warn:
            t = theme_for(self.palette())
            self.keyring_notice.setStyleSheet(
                f"background: {t.notice_bg.name()}; color: {t.notice_text.name()};"
                f" border: 1px solid {t.notice_border.name()}; padding: 6px;"
            )
        else:
            self.keyring_notice.setStyleSheet("border: 1px solid transparent; padding: 6px;")

    def _on_keyring_checked(self, available: bool) -> None:
        if available:
            self.keyring_notice.setText(
                self.tr(
                    'API keys are kept in the system keyring (service "Promptpad"), never in files.'
                )
            )
            hint = self.tr("stored in the system keyring")
        else:
            self.keyring_notice.setText(
                self.tr(
                    "No system keyring was found on this machine. Keys you enter are kept for "
                    "this session only and are forgotten when Promptpad closes; nothing is written "
                    "to disk. Alternatively, name an environment variable that holds the key."
                )
            )
            hint = self.tr("kept for this session only (no system keyring)")
        self._style_notice(warn=not available)
        self.key_edit.edit.setPlaceholderText(hint)
        self.proxy_password.edit.setPlaceholderText(hint)

    # list ---------------------------------------------------------------------------------

    def _select_row(self, name: str | None) -> None:
        """Highlight ``name`` in the list without showing it (the form is handled apart)."""
        names = self.store.names()
        self.list.blockSignals(True)
        self.list.setCurrentRow(names.index(name) if name in names else -1)
        self.list.blockSignals(False)

    def _refresh_list(self, select: str | None = None) -> None:
        names = self.store.names()
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(names)
        self.list.blockSignals(False)
        if select not in names:
            select = self._current if self._current in names else None
        self._select_row(select)
        self._show(select)
        has = bool(self.store.providers)
        self.delete_button.setEnabled(has)
        self.export_button.setEnabled(has)

    def _on_list_current_text_changed(self, name: str) -> None:
        target = name or None
        if target == self._current:
            return
        if self.is_dirty():
            self._select_row(self._current)  # stays on the edited profile while asking
            self._after_asking(lambda: self._switch_to(target))
            return
        self._show(target)

    def _switch_to(self, name: str | None) -> None:
        if name is not None and name not in self.store.names():
            return
        self._select_row(name)
        self._show(name)

    def _show(self, name: str | None) -> None:
        self._current = name
        p = self.store.get(name) if name else None
        self.form_widget.setEnabled(p is not None)
        self._loading = True
        try:
            p = p or Provider("", "")
            self.name_edit.setText(p.name)
            self.base_url_edit.setText(p.base_url)
            self.full_url_edit.setText(p.completions_url)
            self.key_edit.edit.clear()
            self.key_edit.reveal.setChecked(False)
            self.key_env_edit.setText(p.key_env)
            self.key_header_edit.setText(p.key_header)
            self.model_edit.setText(p.default_model)
            self.headers_edit.setPlainText(headers_to_text(p.headers))
            self.proxy_edit.setText(p.proxy)
            self.proxy_user_edit.setText(p.proxy_user)
            self.proxy_password.edit.clear()
            self.connect_timeout.setValue(p.connect_timeout)
            self.read_timeout.setValue(p.read_timeout)
            self.verify_check.setChecked(p.verify)
            self.ca_edit.setText(p.ca_bundle)
            self.notes_edit.setPlainText(p.notes)
            self._say(self.test_result, "")
            self._say(self.completion_result, "")
        finally:
            self._loading = False
        self._baseline = self._snapshot()
        self._load_secrets(p.name)
        self._on_form_changed()

    def _load_secrets(self, name: str) -> None:
        if self._secrets is not None:
            self._secrets.cancel()
            self._secrets = None
        waiting = bool(name)
        for edit in (self.key_edit, self.proxy_password):
            edit.setEnabled(not waiting)
        self.duplicate_button.setEnabled(not waiting and bool(self.store.providers))
        if not waiting:
            return
        store = self.store
        # Strict: a keyring that refuses must not look like "no key" (the empty field would
        # delete the stored key on Save).
        self._secrets = ops.run_in_background(
            lambda: (store.stored_key(name, strict=True), store.proxy_password(name, strict=True)),
            lambda secrets: self._on_secrets_loaded(name, secrets),
            lambda exc: self._on_secrets_failed(name, exc),
            lane=KEYRING_LANE,
            parent=self,
        )

    def _on_secrets_loaded(self, name: str, secrets: tuple[str | None, str | None]) -> None:
        self._secrets = None
        if name != self._current:
            return
        key, proxy_password = secrets
        self.key_edit.edit.setText(key or "")
        self.proxy_password.edit.setText(proxy_password or "")
        if self._baseline is not None:  # the secrets as read are not an edit
            self._baseline = (*self._baseline[:-2], key or "", proxy_password or "")
        for edit in (self.key_edit, self.proxy_password):
            edit.setEnabled(True)
        self.duplicate_button.setEnabled(True)
        self._on_form_changed()

    def _on_secrets_failed(self, name: str, exc: Exception) -> None:
        # The fields stay disabled and Save off: saving them empty would delete what the
        # keyring holds but would not give.
        self._secrets = None
        if name != self._current:
            return
        self._on_form_changed()
        self._say(
            self.test_result,
            "✗ "
            + ops.describe(exc)
            + "\n"
            + self.tr("The key cannot be changed now: Save is off so that the stored key is kept."),
            "error",
        )

    def _say(self, label: QLabel, text: str, tone: str = "") -> None:
        label.setText(text)
        set_tone(label, tone)

    # form ---------------------------------------------------------------------------------

    def form_provider(self) -> tuple[Provider, list[str]]:
        """The profile as the form describes it, and its problems."""
        headers, problems = headers_from_text(self.headers_edit.toPlainText())
        old = self.store.get(self._current) if self._current else None
        p = Provider(
            name=self.name_edit.text().strip(),
            base_url=self.base_url_edit.text().strip(),
            completions_url=self.full_url_edit.text().strip(),
            default_model=self.model_edit.text().strip(),
            headers=headers,
            proxy=self.proxy_edit.text().strip(),
            proxy_user=self.proxy_user_edit.text().strip(),
            connect_timeout=self.connect_timeout.value(),
            read_timeout=self.read_timeout.value(),
            verify=self.verify_check.isChecked(),
            ca_bundle=self.ca_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
            key_env=self.key_env_edit.text().strip(),
            key_header=self.key_header_edit.text().strip(),
            template=old.template if old else "",
            models=list(old.models) if old else [],
            models_at=old.models_at if old else 0.0,
        )
        return p, problems + p.problems()

    def _snapshot(self) -> tuple[Any, ...]:
        """What the user can edit, to compare with the profile as loaded."""
        data = self.form_provider()[0].to_json()
        for cache in ("models", "models_at"):  # the model list refreshes itself: not an edit
            data.pop(cache, None)
        return (data, self.key_edit.edit.text().strip(), self.proxy_password.edit.text())

    def is_dirty(self) -> bool:
        """The shown profile has edits that are not saved."""
        if self._current is None or self.store.get(self._current) is None:
            return False
        return self._snapshot() != self._baseline

    def _on_form_changed(self) -> None:
        if self._loading:
            return
        p, problems = self.form_provider()
        try:
            self.url_preview.setText("POST " + p.final_url())
        except ConfigError as exc:
            self.url_preview.setText("⚠ " + describe_message(exc.message))
        self.problems_label.setText("\n".join(problems))
        ok = self._current is not None and not problems
        self.save_button.setEnabled(ok and self._secrets_ready())
        self.test_button.setEnabled(ok and not self._testing)

    def _secrets_ready(self) -> bool:
        """The shown profile's key and proxy password are in their fields."""
        return self._current is None or (self._secrets is None and self.key_edit.isEnabled())

    def save_current(self) -> bool:
        if self._current is None or not self._secrets_ready():
            return False
        p, problems = self.form_provider()
        if problems:
            self.problems_label.setText("\n".join(problems))
            return False
        try:
            self.store.update(self._current, p)
        except ConfigError as exc:
            self.problems_label.setText(describe_message(exc.message))
            return False
        where = self.store.set_key(p.name, self.key_edit.edit.text().strip())
        self.store.set_proxy_password(p.name, self.proxy_password.edit.text())
        self._current = p.name
        self._refresh_list(select=p.name)  # (this clears the result lines)
        if where == "session":
            self._say(
                self.test_result,
                self.tr("Saved. The key is kept for this session only (no system keyring)."),
                "muted",
            )
        else:
            self._say(self.test_result, self.tr("✓ Saved."))
        self.providersChanged.emit()
        return True

    def add_from_template(self, template: str | None) -> Provider:
        if template is None:
            p = Provider(self.tr("New provider"), "")
        else:
            src = next(t for t in self.templates if t.name == template)
            p = Provider.from_json(src.to_json())
            p.notes = template_note(p.notes)  # then the user's own text, in their language
        p = self.store.add(p)
        self._refresh_list(select=p.name)
        self.providersChanged.emit()
        self.providerAdded.emit(p.name)
        return p

    def duplicate_current(self) -> None:
        if self._current is None or not self._secrets_ready():
            return
        copy = self.store.duplicate(self._current)
        self._refresh_list(select=copy.name)
        self.providersChanged.emit()
        self.providerAdded.emit(copy.name)

    def delete_current(self) -> None:
        """Delete the shown profile and its secrets at once (the button asks first)."""
        if self._current is None:
            return
        self.store.delete(self._current)
        self._current = None
        names = self.store.names()
        self._refresh_list(select=names[0] if names else None)
        self.providersChanged.emit()

    # questions ------------------------------------------------------------------------------

    def _after_asking(self, then: Callable[[], object]) -> None:
        """Run ``then`` (which leaves the shown profile) once its unsaved edits are saved or
        let go; at once when there are none."""
        if not self.is_dirty():
            then()
            return

        def answered(choice: Choice) -> None:
            if choice == Choice.Save:
                if self.save_current():
                    then()
            elif choice == Choice.Discard:
                self._baseline = self._snapshot()  # let go: no second question
                then()

        ask_to_save(self, "unsavedChangesBox", self._current or "", answered)

    def _on_duplicate_clicked(self) -> None:
        self._after_asking(self.duplicate_current)

    def _on_delete_clicked(self) -> None:
        name = self._current
        if name is None:
            return

        def delete() -> None:
            if self._current == name:
                self.delete_current()

        confirm_delete(
            self,
            "confirmDeleteBox",
            self.tr("Delete provider"),
            self.tr("Delete “%1”?").replace("%1", name),
            self.tr(
                "Its stored API key and proxy password are deleted too. This cannot be undone."
            ),
            delete,
        )

    def reject(self) -> None:
        """Close, Escape or the window's close button: unsaved edits are asked about first."""
        self._after_asking(super().reject)

    # test connection ------------------------------------------------------------------------

    def test_connection(self) -> None:
        """List the models and, with a default model set, try a one-token completion with it:
        two results, shown apart (a model may list fine and still refuse completions)."""
        p, problems = self.form_provider()
        if problems or self._testing:
            return
        key = self.key_edit.edit.text().strip()
        password = self.proxy_password.edit.text() or None
        store = self.store
        self._test_name = self._current or ""
        self._test_model = p.default_model
        self._testing = {"models", "completion"} if p.default_model else {"models"}
        self._on_form_changed()
        # Without a key in the field, the profile's variable or the keyring is asked: off the
        # GUI thread.
        ops.run_in_background(
            lambda: p.endpoint(key or store.resolve_key(p), password),
            self._on_test_endpoint_ready,
            self._on_test_endpoint_failed,
            lane=KEYRING_LANE,
            parent=self,
        )

    def _on_test_endpoint_ready(self, endpoint: Endpoint) -> None:
        self._test_url = endpoint.url("models")
        self._say(
            self.test_result, self.tr("Testing… GET %1").replace("%1", self._test_url), "muted"
        )
        model = self._test_model
        if not model:
            self._say(
                self.completion_result,
                self.tr("Enter a default model to also try a one-token completion."),
                "muted",
            )
        else:
            self._completion_url = endpoint.completions()
            self._say(
                self.completion_result,
                self.tr("Trying a one-token completion with %1… POST %2")
                .replace("%1", model)
                .replace("%2", self._completion_url),
                "muted",
            )
            request = CompletionRequest(model=model, prompt=TEST_PROMPT, max_tokens=1)
            self.completion_tester.start(endpoint, request)
        self.tester.refresh(endpoint)

    def _on_test_endpoint_failed(self, exc: Exception) -> None:
        self._testing.clear()
        self._on_form_changed()
        self._say(self.test_result, "✗ " + ops.describe(exc), "error")
        self._say(self.completion_result, "")

    def _end_test(self, part: str) -> bool:
        """Mark ``part`` of the test done; False if the dialog shows another profile now."""
        self._testing.discard(part)
        self._on_form_changed()
        return self._test_name == (self._current or "")

    def _on_test_loaded(self, ids: list[str]) -> None:
        if self._test_name and self.store.get(self._test_name) is not None:
            self.store.set_models(self._test_name, ids)
            self.providersChanged.emit()
        if not self._end_test("models"):
            return
        text = self.tr("✓ Connected: %n model(s) available.", "", len(ids))
        model = self._test_model
        if model and ids and model not in ids:
            text += "\n" + self.tr("The default model %1 is not in this list.").replace("%1", model)
        self._say(self.test_result, text)

    def _on_test_failed(self, error: CompletionError) -> None:
        if not self._end_test("models"):
            return
        url = error.url or getattr(self, "_test_url", "")
        self._say(
            self.test_result, "✗ " + error_detail(error) + "\n" + self.tr("URL: ") + url, "error"
        )

    def _on_completion_finished(self, done: RunDone) -> None:
        if not self._end_test("completion"):
            return
        self._say(
            self.completion_result,
            self.tr("✓ %1 answered a one-token completion.").replace("%1", self._test_model),
        )

    def _on_completion_failed(self, error: CompletionError) -> None:
        if not self._end_test("completion"):
            return
        url = error.url or getattr(self, "_completion_url", "")
        self._say(
            self.completion_result,
            "✗ " + error_detail(error) + "\n" + self.tr("URL: ") + url,
            "error",
        )

    # files --------------------------------------------------------------------------------

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA bundle"), "", self.tr("PEM files (*.pem *.crt);;All files (*)")
        )
        if path:
            self.ca_edit.setText(path)

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export providers"), "promptpad-providers.json", self.tr("JSON (*.json)")
        )
        if path:
            self.export_to(Path(path))

    def _on_import_clicked(self) -> None:
        self._after_asking(self._import_chosen)

    def _import_chosen(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import providers"), "", self.tr("JSON (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def export_to(self, path: Path) -> int:
        n = self.store.export(path)
        self._say(self.test_result, self.tr("Exported %n provider(s), without keys.", "", n))
        return n

    def import_from(self, path: Path) -> list[str]:
        try:
            names = self.store.import_file(path)
        except ConfigError as exc:
            self._say(self.test_result, "✗ " + describe_message(exc.message), "error")
            return []
        self._refresh_list(select=names[0] if names else None)
        self.providersChanged.emit()
        if names:
            self.providerAdded.emit(names[0])
        return names
