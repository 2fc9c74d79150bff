"""Where runs go: the provider choice, the provider manager, and the model list.

``ConnectionController`` keeps the connection bar, the provider store and the model list in
step: switching provider switches base URL, key and models together; a profile just added in the
manager is the one the next run uses; the model list comes from the provider's cache or from
``GET /v1/models`` (which waits for the HTTP client when asked for at start-up).

Signals:
    changed(): what a run would use changed (the window re-checks Run).
    errorShown(str): a message for the error bar.
    saveFailed(str, str): the provider list could not be saved (what, why): a lasting notice.
    modelsListed(int): how many models the last refresh found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.errors import CompletionError, ConfigError
from app.core.services import Services
from app.ui import ops
from app.ui.controllers import ModelsController
from app.ui.error_text import describe_message
from app.ui.messages import describe_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.ui.dialogs.providers import ProviderDialog
    from app.ui.widgets.connection import ConnectionBar
    from app.ui.widgets.params import ParamPanel


class ConnectionController(QObject):
    """The provider choice and the model list (see the module docstring for its signals)."""

    changed = Signal()
    errorShown = Signal(str)
    saveFailed = Signal(str, str)
    modelsListed = Signal(int)

    def __init__(
        self,
        services: Services,
        connection: ConnectionBar,
        params: ParamPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.providers = services.providers
        self.connection = connection
        self.params = params
        self.models = ModelsController(services.http, self)
        services.when_online(self.models.set_http)  # a refresh asked for before it waits
        self.models.loaded.connect(self._on_models_loaded)
        self.models.failed.connect(self._on_models_failed)
        params.refreshModelsRequested.connect(self.refresh_models)
        params.model_combo.currentTextChanged.connect(self._on_model_text_changed)
        connection.providerChanged.connect(self._on_provider_changed)

    # models -----------------------------------------------------------------------------------

    def refresh_models(self) -> None:
        self.connection.resolve_endpoint(self.models.refresh, self._on_models_endpoint_failed)

    def _on_models_endpoint_failed(self, exc: Exception) -> None:
        self.errorShown.emit(
            describe_error(exc) if isinstance(exc, CompletionError) else ops.describe(exc)
        )

    def _on_models_loaded(self, ids: list[str]) -> None:
        name = self.connection.provider()
        if name:
            self.providers.set_models(name, ids)
        self.fill_models(ids)
        self.modelsListed.emit(len(ids))

    def _on_models_failed(self, error: CompletionError) -> None:
        self.errorShown.emit(self.tr("Could not list models: ") + describe_error(error))

    def fill_models(self, ids: list[str], model: str | None = None) -> None:
        self.params.set_models(ids, model)
        self._on_model_text_changed(self.params.model())

    def _on_model_text_changed(self, model: str) -> None:
        # None for a model without a reported context: no stale warning from the last one
        self.params.set_context_length(self.models.context_lengths.get(model))

    # providers --------------------------------------------------------------------------------

    def _on_provider_changed(self, name: str) -> None:
        """Switching provider switches base URL, key and model list together."""
        self.providers.selected = name
        self._save_choice()
        p = self.providers.get(name) if name else None
        if p is None:
            return
        self.fill_models(p.models, p.default_model or None)
        if not p.models:
            self.refresh_models()

    def _save_choice(self) -> None:
        try:
            self.providers.save()
        except ConfigError as exc:  # read-only or full home: the choice holds for this session
            self.saveFailed.emit(self.tr("The provider list"), describe_message(exc.message))

    def manage(self, parent: QWidget) -> ProviderDialog:
        from app.ui.dialogs.providers import ProviderDialog  # not needed to open the window

        dialog = ProviderDialog(self.providers, self.services.http, parent)
        dialog.providersChanged.connect(self._on_providers_changed)
        dialog.providerAdded.connect(self._on_provider_added)
        dialog.open()  # never exec(): the qasync loop must keep running
        return dialog

    def _on_providers_changed(self) -> None:
        # The store's choice follows a rename (and is "" after a delete).
        self.connection.reload(select=self.providers.selected)
        p = self.providers.get(self.connection.provider())
        if p is not None and p.models and self.params.model_combo.count() == 0:
            self.fill_models(p.models, p.default_model or None)  # Test connection listed them
        self.changed.emit()

    def _on_provider_added(self, name: str) -> None:
        """A profile just added in the manager is the one the next run uses. Its models are
        not fetched yet: it has no key so far (Test connection lists them)."""
        self.connection.reload(select=name)
        self.providers.selected = name
        self._save_choice()  # the next start opens on it too
        p = self.providers.get(name)
        if p is not None:
            self.fill_models(p.models, p.default_model or None)
        self._on_providers_changed()
