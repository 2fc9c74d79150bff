"""The provider manager's secrets: the shown profile's key and proxy password, read from the
keyring on its own lane while the form waits for them.

The read is strict: a keyring that refuses to answer is shown as such and Save stays off, so a
key that could not be read is never deleted by saving an empty field. A mixin of ProviderDialog
(like provider_form.py): it fills the dialog's own fields and buttons.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.ui import ops
from app.ui.dialogs.provider_form import say
from app.ui.keys import LANE as KEYRING_LANE


class ProviderSecretsMixin:
    """Part of ProviderDialog: the shown profile's secrets, read in the background."""

    _current: str | None  # the shown profile's name
    _secrets: ops.BackgroundOp | None  # the shown profile's secrets, on the way
    _baseline: tuple[Any, ...] | None  # the form as loaded
    store: Any  # ProviderStore
    key_edit: Any
    proxy_password: Any
    duplicate_button: Any
    test_result: Any
    _on_form_changed: Any

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
        say(
            self.test_result,
            "✗ "
            + ops.describe(exc)
            + "\n"
            + QCoreApplication.translate(
                "ProviderDialog",
                "The key cannot be changed now: Save is off so that the stored key is kept.",
            ),
            "error",
        )

    def _secrets_ready(self) -> bool:
        """The shown profile's key and proxy password are in their fields."""
        return self._current is None or (self._secrets is None and self.key_edit.isEnabled())
