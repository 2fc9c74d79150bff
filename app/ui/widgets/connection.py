"""The connection bar: which provider (or a custom URL and session key), and the final URL.

A provider's key lives in the system keyring, which may block (an unlock prompt): it is read on
the keyring lane (app/ui/ops.py), never on the GUI thread; the URL preview needs no key at all.

For a saved provider the URL is shown, not edited (it belongs to the profile: change it under
Providers…), and is drawn flat so that it does not invite typing. The key field stays usable: a
key typed there becomes the provider's stored key (an empty field keeps the stored one), and its
hint says where the key really is: the keyring, this session only (no keyring), or nowhere.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.endpoint import Endpoint
from app.core.errors import ConfigError
from app.core.provider_store import ProviderStore
from app.ui import ops
from app.ui.error_text import describe_message
from app.ui.keys import LANE as KEYRING_LANE

KEY_HINT_DELAY_MS = 200


class ConnectionBar(QWidget):
    """Provider choice, or a custom base URL with a key for this session only.

    Signals:
        providerChanged(str): the chosen provider's name ("" for custom).
        manageRequested(): the user wants the provider manager.
        changed(): anything that changes where requests go.
    """

    providerChanged = Signal(str)
    manageRequested = Signal()
    changed = Signal()

    def __init__(self, providers: ProviderStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.providers = providers
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        outer.addLayout(lay)
        self.provider_combo = QComboBox()
        self.provider_combo.setObjectName("providerCombo")
        self.provider_combo.setAccessibleName(self.tr("Provider"))
        self.provider_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.manage = QToolButton()
        self.manage.setObjectName("manageProvidersButton")
        self.manage.setAccessibleName(self.tr("Manage providers"))
        self.manage.setText(self.tr("Providers…"))
        self.base_url = QLineEdit()
        self.base_url.setObjectName("baseUrlEdit")
        self.base_url.setAccessibleName(self.tr("Base URL"))
        self.base_url.setPlaceholderText("http://127.0.0.1:8080/v1")
        self.api_key = QLineEdit()
        self.api_key.setObjectName("apiKeyEdit")
        self.api_key.setAccessibleName(self.tr("API key (this session only)"))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal = QToolButton()
        self.reveal.setObjectName("revealKeyButton")
        self.reveal.setAccessibleName(self.tr("Show the API key"))
        self.reveal.setText(self.tr("Show"))
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._on_reveal_toggled)
        lay.addWidget(self.provider_combo)
        lay.addWidget(self.manage)
        lay.addWidget(self.base_url, 3)
        lay.addWidget(self.api_key, 2)
        lay.addWidget(self.reveal)
        self.preview = QLabel()
        self.preview.setObjectName("urlPreview")
        self.preview.setAccessibleName(self.tr("Request URL"))
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # A long URL must not force the window wider than the screen.
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        outer.addWidget(self.preview)
        self._custom_url = ""
        self._custom_key = ""  # the custom connection's key, kept while a provider is shown
        self.base_url.textChanged.connect(self._on_base_url_text_changed)
        self.api_key.textChanged.connect(self._on_api_key_text_changed)
        self.api_key.editingFinished.connect(self._on_api_key_editing_finished)
        self.provider_combo.currentIndexChanged.connect(self._on_provider_index_changed)
        self.manage.clicked.connect(self.manageRequested)
        self.reload()

    # providers ----------------------------------------------------------------------------

    def provider(self) -> str:
        return str(self.provider_combo.currentData() or "")

    def reload(self, select: str | None = None) -> None:
        """Refill the provider list (after the manager changed it)."""
        want = self.provider() if select is None else select
        self.provider_combo.blockSignals(True)
        self.provider_combo.clear()
        self.provider_combo.addItem(self.tr("Custom (this session)"), "")
        for name in self.providers.names():
            self.provider_combo.addItem(name, name)
        index = self.provider_combo.findData(want) if want else 0
        self.provider_combo.setCurrentIndex(max(0, index))
        self.provider_combo.blockSignals(False)
        self._apply()

    def select(self, name: str) -> None:
        index = self.provider_combo.findData(name) if name else 0
        self.provider_combo.setCurrentIndex(max(0, index))

    def _on_provider_index_changed(self, _index: int) -> None:
        self._apply()
        self.providerChanged.emit(self.provider())

    def _apply(self) -> None:
        name = self.provider()
        p = self.providers.get(name) if name else None
        self.base_url.blockSignals(True)
        self.api_key.blockSignals(True)
        # A read-only field that looks like any other invites typing that goes nowhere: a
        # provider's URL is drawn flat, and says where it is changed.
        self.base_url.setReadOnly(p is not None)
        self.base_url.setFrame(p is None)
        if p is None:
            self.base_url.setText(self._custom_url)
            self.base_url.setToolTip("")
            self.api_key.setText(self._custom_key)
            self.api_key.setPlaceholderText(self.tr("API key (kept for this session only)"))
            self.api_key.setToolTip("")
        else:
            self.base_url.setText(p.base_url)
            self.base_url.setToolTip(
                self.tr("The URL of %1: change it under Providers…").replace("%1", p.name)
            )
            self.api_key.clear()
            self.api_key.setToolTip(
                self.tr("Type a key and press Enter to store it for %1").replace("%1", p.name)
            )
            if p.key_env:
                self.api_key.setPlaceholderText(self.tr("key from $%1").replace("%1", p.key_env))
            else:
                self.api_key.setPlaceholderText("")
                # Asking the keyring loads its backend (~150 ms) and may go over D-Bus: not
                # while the window is being built; the hint follows a moment later.
                QTimer.singleShot(KEY_HINT_DELAY_MS, self._update_key_hint)
        self.api_key.blockSignals(False)
        self.base_url.blockSignals(False)
        self._update_preview()
        self.changed.emit()

    def _update_key_hint(self) -> None:
        name = self.provider()
        p = self.providers.get(name) if name else None
        if p is None or p.key_env:
            return
        store = self.providers

        def where() -> str:  # (keyring lane) strict: a refusal is not "no key"
            if not store.stored_key(name, strict=True):
                return "none"
            if store.key_kept_for_session(name) or not store.keyring_available:
                return "session"
            return "keyring"

        ops.run_in_background(
            where,
            lambda found: self._on_key_hint_read(name, found),
            lambda exc: self._on_key_hint_read(name, "refused"),
            lane=KEYRING_LANE,
            parent=self,
        )

    def _on_key_hint_read(self, name: str, where: str) -> None:
        if name != self.provider() or self.api_key.text():
            return  # the user moved on meanwhile
        hints = {
            "keyring": self.tr("key from the system keyring"),
            "session": self.tr("key kept for this session only (no system keyring)"),
            "refused": self.tr("the system keyring refused to give the key"),
            "none": self.tr("no key stored: type one and press Enter"),
        }
        self.api_key.setPlaceholderText(hints[where])

    def _on_api_key_text_changed(self, text: str) -> None:
        if not self.provider():
            self._custom_key = text

    def _on_api_key_editing_finished(self) -> None:
        """A key typed for a saved provider becomes its stored key (empty: keep the stored
        one). The keyring write happens on the keyring lane (BackgroundKeys)."""
        name = self.provider()
        key = self.api_key.text().strip()
        if not name or not key or self.providers.get(name) is None:
            return
        self.providers.set_key(name, key)
        self.api_key.clear()
        self._update_key_hint()
        self.changed.emit()

    # endpoint -----------------------------------------------------------------------------

    def custom_endpoint(self) -> Endpoint:
        """The custom connection (no provider): URL and the key typed here, nothing read."""
        # The custom key lives only in this widget's memory: never saved.
        return Endpoint(self.base_url.text().strip(), api_key=self.api_key.text().strip() or None)

    def resolve_endpoint(
        self,
        on_done: Callable[[Endpoint], None],
        on_error: Callable[[Exception], None],
    ) -> ops.BackgroundOp | None:
        """Where requests go, with the key. A provider's key is read from the keyring on the
        keyring lane and ``on_done`` comes later (None returned: it is called at once for the
        custom connection, which needs nothing read)."""
        name = self.provider()
        if name and self.providers.get(name) is not None:
            return ops.run_in_background(
                lambda: self.providers.endpoint(name),
                on_done,
                on_error,
                lane=KEYRING_LANE,
                parent=self,
            )
        try:
            endpoint = self.custom_endpoint()
        except ConfigError as exc:
            on_error(exc)
        else:
            on_done(endpoint)
        return None

    def problems(self) -> list[str]:
        """What stops a run, without touching the keyring (this runs on every keystroke)."""
        name = self.provider()
        p = self.providers.get(name) if name else None
        try:
            if p is not None:
                p.final_url()
            else:
                Endpoint(self.base_url.text().strip()).completions()
        except ConfigError as exc:
            return [describe_message(exc.message)]
        return []

    def set_custom_url(self, url: str) -> None:
        self._custom_url = url
        if not self.provider():
            self.base_url.setText(url)

    def custom_url(self) -> str:
        return self._custom_url

    def _on_reveal_toggled(self, on: bool) -> None:
        self.api_key.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)

    def _on_base_url_text_changed(self, text: str) -> None:
        if not self.provider():
            self._custom_url = text.strip()
        self._update_preview()
        self.changed.emit()

    def _update_preview(self) -> None:
        if not self.base_url.text().strip():
            self.preview.setText(self.tr("→ (no base URL)"))
            return
        name = self.provider()
        p = self.providers.get(name) if name else None
        try:
            url = p.final_url() if p is not None else self.custom_endpoint().completions()
            self.preview.setText("→ POST " + url)
        except ConfigError as exc:
            self.preview.setText("⚠ " + describe_message(exc.message))
