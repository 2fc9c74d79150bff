"""The provider manager's edit form: its fields, and reading a Provider from them and writing
one into them; the notice saying where its keys go; the small widget helpers the manager's parts
share (tones, names, a masked field with a reveal button).

The form is a mixin of ProviderDialog rather than a widget of its own: its fields are the dialog's
attributes (``dialog.name_edit``, ``dialog.key_edit``…), which the dialog's coordination (secrets,
dirty tracking, Save) and the tests reach directly. It expects the dialog's ``store`` and
``_current`` (the shown profile's name), from which a read keeps what the form does not show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QWidget,
)

from app.core.providers import Provider, headers_from_text, headers_to_text
from app.ui.theme import theme_for


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


def say(label: QLabel, text: str, tone: str = "") -> None:
    """Show ``text`` in ``label`` in ``tone`` (see ``set_tone``)."""
    label.setText(text)
    set_tone(label, tone)


def named(widget: QWidget, name: str, accessible: str) -> QWidget:
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
        named(self.edit, name, accessible)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(placeholder)
        self.reveal = QToolButton()
        named(self.reveal, name + "Reveal", self.tr("Show %1").replace("%1", accessible))
        self.reveal.setText(self.tr("Show"))
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._on_reveal_toggled)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.reveal)

    def _on_reveal_toggled(self, on: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.reveal.setText(self.tr("Hide") if on else self.tr("Show"))


class KeyringNotice(QLabel):
    """Where the keys typed in the form go: the system keyring or, without one, this session
    only (then as a warning, with the theme's notice colours)."""

    def __init__(self) -> None:
        super().__init__()
        # Shown from the start with room for its longest text: appearing later, when the
        # keyring lane has looked, it would push the whole dialog down under the mouse.
        self.setText(self.tr("Looking for the system keyring…"))
        named(self, "keyringNotice", self.tr("Keyring status"))
        self.setWordWrap(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self._style(warn=False)

    def _style(self, warn: bool) -> None:
        # Same border and padding either way (a different box would change the height); the
        # warning colours come from the theme, light or dark as the palette is.
        if warn:
            t = theme_for(self.palette())
            self.setStyleSheet(
                f"background: {t.notice_bg.name()}; color: {t.notice_text.name()};"
                f" border: 1px solid {t.notice_border.name()}; padding: 6px;"
            )
        else:
            self.setStyleSheet("border: 1px solid transparent; padding: 6px;")

    def show_keyring(self, available: bool) -> str:
        """Say where keys go now that the keyring lane has looked; the hint for the key fields."""
        if available:
            self.setText(
                self.tr(
                    'API keys are kept in the system keyring (service "Promptpad"), never in files.'
                )
            )
            hint = self.tr("stored in the system keyring")
        else:
            self.setText(
                self.tr(
                    "No system keyring was found on this machine. Keys you enter are kept for "
                    "this session only and are forgotten when Promptpad closes; nothing is written "
                    "to disk. Alternatively, name an environment variable that holds the key."
                )
            )
            hint = self.tr("kept for this session only (no system keyring)")
        self._style(warn=not available)
        return hint


class ProviderFormMixin:
    """ProviderDialog's edit form (a mixin: see the module docstring)."""

    def _build_fields(self) -> QScrollArea:
        """The form's fields in a scroll area."""
        fields = QWidget()
        form = QFormLayout(fields)
        self.name_edit = named(QLineEdit(), "providerNameEdit", self.tr("Name"))
        self.base_url_edit = named(QLineEdit(), "providerBaseUrlEdit", self.tr("Base URL"))
        self.base_url_edit.setPlaceholderText("https://api.example.com/v1")
        self.full_url_edit = named(QLineEdit(), "providerFullUrlEdit", self.tr("Full URL override"))
        self.full_url_edit.setPlaceholderText(self.tr("optional: the exact completions URL"))
        self.url_preview = named(QLabel(), "providerUrlPreview", self.tr("Request URL"))
        self.url_preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_preview.setForegroundRole(QPalette.ColorRole.Link)
        # Until the keyring lane has looked, the hint does not claim where the key will go.
        self.key_edit = SecretEdit("providerKeyEdit", self.tr("API key"), "")
        self.key_env_edit = named(
            QLineEdit(), "providerKeyEnvEdit", self.tr("Key environment variable")
        )
        self.key_env_edit.setPlaceholderText(self.tr("optional, e.g. OPENAI_API_KEY"))
        self.key_header_edit = named(QLineEdit(), "providerKeyHeaderEdit", self.tr("Key header"))
        self.key_header_edit.setPlaceholderText(self.tr("Authorization: Bearer (default)"))
        self.key_header_edit.setToolTip(
            self.tr("For servers that want the key in another header, e.g. api-key")
        )
        self.model_edit = named(QLineEdit(), "providerModelEdit", self.tr("Default model"))
        self.model_edit.setToolTip(
            self.tr("Test connection also tries a one-token completion with this model")
        )
        self.headers_edit = named(QPlainTextEdit(), "providerHeadersEdit", self.tr("Extra headers"))
        self.headers_edit.setPlaceholderText("X-Org: my-team")
        self.headers_edit.setFixedHeight(54)
        self.proxy_edit = named(QLineEdit(), "providerProxyEdit", self.tr("Proxy"))
        self.proxy_edit.setPlaceholderText("socks5://127.0.0.1:1080")
        self.proxy_user_edit = named(QLineEdit(), "providerProxyUserEdit", self.tr("Proxy user"))
        self.proxy_password = SecretEdit("providerProxyPasswordEdit", self.tr("Proxy password"), "")
        self.connect_timeout = QDoubleSpinBox()
        named(self.connect_timeout, "providerConnectTimeout", self.tr("Connect timeout"))
        self.read_timeout = QDoubleSpinBox()
        named(self.read_timeout, "providerReadTimeout", self.tr("Read timeout"))
        for spin in (self.connect_timeout, self.read_timeout):
            spin.setRange(0.5, 3600)
            spin.setSuffix(" s")
        self.verify_check = named(
            QCheckBox(self.tr("Verify TLS certificates")),
            "providerVerifyCheck",
            self.tr("Verify TLS certificates"),
        )
        ca_row = QWidget()
        car = QHBoxLayout(ca_row)
        car.setContentsMargins(0, 0, 0, 0)
        self.ca_edit = named(QLineEdit(), "providerCaBundleEdit", self.tr("CA bundle"))
        self.ca_edit.setPlaceholderText(self.tr("optional PEM file"))
        ca_browse = QToolButton()
        ca_browse.setText("…")
        ca_browse.clicked.connect(self._on_ca_browse_clicked)
        car.addWidget(self.ca_edit, 1)
        car.addWidget(ca_browse)
        self.notes_edit = named(QPlainTextEdit(), "providerNotesEdit", self.tr("Notes"))
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
        return scroll

    def _connect_fields(self, on_changed: Callable[[], None]) -> None:
        """Call ``on_changed`` on the edits that re-check the form (URL preview, problems, Save)."""
        for edit in (
            self.name_edit,
            self.base_url_edit,
            self.full_url_edit,
            self.key_env_edit,
            self.key_header_edit,
            self.proxy_edit,
            self.ca_edit,
        ):
            edit.textChanged.connect(on_changed)
        self.headers_edit.textChanged.connect(on_changed)

    def _fill_form(self, p: Provider) -> None:
        """Show ``p`` in the fields; its secrets are read apart (the keyring lane)."""
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

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA bundle"), "", self.tr("PEM files (*.pem *.crt);;All files (*)")
        )
        if path:
            self.ca_edit.setText(path)
