"""The provider manager: add (from a template), edit, duplicate, delete, test, export, import.

Keys are typed here and go straight to the ProviderStore's KeyStore (the OS keyring); the form
never writes them anywhere else. Where the system has no keyring the dialog says so plainly and
the key is kept for this session only.

The keyring is only asked on its own thread (app/ui/ops.py, app/ui/keys.py): a profile's key and
proxy password are read in the background when it is shown, and its key fields, Save and
Duplicate wait for them (saving an empty field before the key arrived would delete it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
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
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import CompletionError, ConfigError
from app.core.providers import (
    Provider,
    ProviderStore,
    headers_from_text,
    headers_to_text,
    load_templates,
)
from app.ui import ops
from app.ui.controllers import ModelsController
from app.ui.keys import LANE as KEYRING_LANE

if TYPE_CHECKING:
    import httpx

    from app.core.endpoint import Endpoint


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
    """Signals: providersChanged() — profiles were added, edited or removed."""

    providersChanged = Signal()

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
        self.tester = ModelsController(http, self)
        self.tester.loaded.connect(self._on_test_loaded)
        self.tester.failed.connect(self._on_test_failed)
        self._build()
        self._refresh_list()
        if self.store.providers:
            self.list.setCurrentRow(0)
        else:
            self._show(None)
        self.resize(860, 600)

    # layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.keyring_notice = QLabel()
        _named(self.keyring_notice, "keyringNotice", self.tr("Keyring status"))
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.hide()  # until the keyring lane has looked (it may be slow)
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
        blank.triggered.connect(lambda: self.add_from_template(None))
        menu.addAction(blank)
        menu.addSeparator()
        for t in self.templates:
            act = QAction(t.name, menu)
            act.triggered.connect(lambda _=False, name=t.name: self.add_from_template(name))
            menu.addAction(act)
        self.add_button.setMenu(menu)
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        _named(self.duplicate_button, "duplicateProviderButton", self.tr("Duplicate provider"))
        self.delete_button = QPushButton(self.tr("Delete"))
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

        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        self.name_edit = _named(QLineEdit(), "providerNameEdit", self.tr("Name"))
        self.base_url_edit = _named(QLineEdit(), "providerBaseUrlEdit", self.tr("Base URL"))
        self.base_url_edit.setPlaceholderText("https://api.example.com/v1")
        self.full_url_edit = _named(
            QLineEdit(), "providerFullUrlEdit", self.tr("Full URL override")
        )
        self.full_url_edit.setPlaceholderText(self.tr("optional: the exact completions URL"))
        self.url_preview = _named(QLabel(), "providerUrlPreview", self.tr("Request URL"))
        self.url_preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_preview.setStyleSheet("color: #0b57d0;")
        self.key_edit = SecretEdit(
            "providerKeyEdit", self.tr("API key"), self.tr("stored in the system keyring")
        )
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
        self.headers_edit = _named(
            QPlainTextEdit(), "providerHeadersEdit", self.tr("Extra headers")
        )
        self.headers_edit.setPlaceholderText("X-Org: my-team")
        self.headers_edit.setFixedHeight(54)
        self.proxy_edit = _named(QLineEdit(), "providerProxyEdit", self.tr("Proxy"))
        self.proxy_edit.setPlaceholderText("socks5://127.0.0.1:1080")
        self.proxy_user_edit = _named(QLineEdit(), "providerProxyUserEdit", self.tr("Proxy user"))
        self.proxy_password = SecretEdit(
            "providerProxyPasswordEdit",
            self.tr("Proxy password"),
            self.tr("stored in the system keyring"),
        )
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
        self.problems_label = _named(QLabel(), "providerProblems", self.tr("Problems"))
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #a50e0e;")
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        _named(self.test_button, "testConnectionButton", self.tr("Test connection"))
        self.test_result = _named(QLabel(), "testConnectionResult", self.tr("Test result"))
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        self.save_button = QPushButton(self.tr("Save"))
        _named(self.save_button, "saveProviderButton", self.tr("Save provider"))

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
        form.addRow("", self.problems_label)
        form.addRow(test_row)
        form.addRow("", self.save_button)
        split.addWidget(self.form_widget)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self.list.currentTextChanged.connect(self._on_list_current_text_changed)
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.delete_button.clicked.connect(self.delete_current)
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

    def _on_keyring_checked(self, available: bool) -> None:
        if available:
            self.keyring_notice.setText(
                self.tr(
                    'API keys are kept in the system keyring (service "Promptpad"), never in files.'
                )
            )
            self.keyring_notice.setStyleSheet("color: #555;")
        else:
            self.keyring_notice.setText(
                self.tr(
                    "No system keyring was found on this machine. Keys you enter are kept for "
                    "this session only and are forgotten when Promptpad closes; nothing is written "
                    "to disk. Alternatively, name an environment variable that holds the key."
                )
            )
            self.keyring_notice.setStyleSheet(
                "background: #fef7e0; border: 1px solid #f9ab00; padding: 6px;"
            )
        self.keyring_notice.show()

    # list ---------------------------------------------------------------------------------

    def _refresh_list(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(self.store.names())
        self.list.blockSignals(False)
        if select is not None and select in self.store.names():
            self.list.setCurrentRow(self.store.names().index(select))
        else:
            self._show(self._current if self._current in self.store.names() else None)
        has = bool(self.store.providers)
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.export_button.setEnabled(has)

    def _on_list_current_text_changed(self, name: str) -> None:
        self._show(name or None)

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
            self.test_result.clear()
        finally:
            self._loading = False
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
        self._secrets = ops.run_in_background(
            lambda: (store.stored_key(name), store.proxy_password(name)),
            lambda secrets: self._on_secrets_loaded(name, secrets),
            self._on_secrets_failed,
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
        for edit in (self.key_edit, self.proxy_password):
            edit.setEnabled(True)
        self.duplicate_button.setEnabled(True)
        self._on_form_changed()

    def _on_secrets_failed(self, exc: Exception) -> None:
        # The fields stay disabled: saving them empty would delete what the keyring holds.
        self._secrets = None
        self.test_result.setStyleSheet("color: #a50e0e;")
        self.test_result.setText("✗ " + ops.describe(exc))

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

    def _on_form_changed(self) -> None:
        if self._loading:
            return
        p, problems = self.form_provider()
        try:
            self.url_preview.setText("POST " + p.final_url())
        except ConfigError as exc:
            self.url_preview.setText("⚠ " + exc.message)
        self.problems_label.setText("\n".join(problems))
        ok = self._current is not None and not problems
        self.save_button.setEnabled(ok and self._secrets_ready())
        self.test_button.setEnabled(ok)

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
            self.problems_label.setText(exc.message)
            return False
        where = self.store.set_key(p.name, self.key_edit.edit.text().strip())
        self.store.set_proxy_password(p.name, self.proxy_password.edit.text())
        self._current = p.name
        self._refresh_list(select=p.name)  # (this clears the result line)
        if where == "session":
            self.test_result.setText(
                self.tr("Saved. The key is kept for this session only (no system keyring).")
            )
        self.providersChanged.emit()
        return True

    def add_from_template(self, template: str | None) -> Provider:
        if template is None:
            p = Provider(self.tr("New provider"), "")
        else:
            src = next(t for t in self.templates if t.name == template)
            p = Provider.from_json(src.to_json())
        p = self.store.add(p)
        self._refresh_list(select=p.name)
        self.providersChanged.emit()
        return p

    def duplicate_current(self) -> None:
        if self._current is None or not self._secrets_ready():
            return
        copy = self.store.duplicate(self._current)
        self._refresh_list(select=copy.name)
        self.providersChanged.emit()

    def delete_current(self) -> None:
        if self._current is None:
            return
        self.store.delete(self._current)
        self._current = None
        self._refresh_list()
        if self.store.providers:
            self.list.setCurrentRow(0)
        self.providersChanged.emit()

    # test connection ------------------------------------------------------------------------

    def test_connection(self) -> None:
        p, problems = self.form_provider()
        if problems:
            return
        key = self.key_edit.edit.text().strip()
        password = self.proxy_password.edit.text() or None
        store = self.store
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
        self.test_result.setStyleSheet("color: #555;")
        self.test_result.setText(self.tr("Testing… GET %1").replace("%1", self._test_url))
        self.tester.refresh(endpoint)

    def _on_test_endpoint_failed(self, exc: Exception) -> None:
        self.test_result.setStyleSheet("color: #a50e0e;")
        self.test_result.setText("✗ " + ops.describe(exc))

    def _on_test_loaded(self, ids: list[str]) -> None:
        self.test_result.setStyleSheet("color: #137333;")
        self.test_result.setText(self.tr("✓ Connected: %n model(s) available.", "", len(ids)))
        if self._current:
            self.store.set_models(self._current, ids)
            self.providersChanged.emit()

    def _on_test_failed(self, error: CompletionError) -> None:
        self.test_result.setStyleSheet("color: #a50e0e;")
        url = error.url or getattr(self, "_test_url", "")
        self.test_result.setText("✗ " + error.describe() + "\n" + self.tr("URL: ") + url)

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
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import providers"), "", self.tr("JSON (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def export_to(self, path: Path) -> int:
        n = self.store.export(path)
        self.test_result.setText(self.tr("Exported %n provider(s), without keys.", "", n))
        return n

    def import_from(self, path: Path) -> list[str]:
        try:
            names = self.store.import_file(path)
        except ConfigError as exc:
            self.test_result.setText("✗ " + exc.message)
            return []
        self._refresh_list(select=names[0] if names else None)
        self.providersChanged.emit()
        return names
