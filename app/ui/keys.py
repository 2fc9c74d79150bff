"""The window's KeyStore: the real one (the OS keyring) is only ever called off the GUI thread.

A keyring call may block for as long as the user takes to answer an unlock prompt, or for a
D-Bus timeout. ``BackgroundKeys`` wraps the real KeyStore so that the ProviderStore's ordinary,
synchronous calls never block the window:

* off the GUI thread (on the "keyring" lane, app/ui/ops.py) every call goes to the real store,
  and what it reads is remembered;
* on the GUI thread, ``get`` answers from what the lane has already read (else it raises
  KeyStoreError: the window reads keys through ``run_in_background`` first), and ``set`` /
  ``delete`` take effect here at once and are written behind, in order, on the lane. A write the
  keyring refuses keeps the key for this session and is reported through ``ops.hub().failed``.

One lane means one order: a read queued after a write sees that write.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication

from app.core.keystore import KeyStore, KeyStoreError
from app.ui import ops

log = logging.getLogger("promptpad")
LANE = "keyring"


class BackgroundKeys:
    """A KeyStore over ``inner`` that never blocks the GUI thread (see the module docstring)."""

    def __init__(self, inner: KeyStore) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._known: dict[str, str | None] = {}  # what the keyring holds, as far as we know
        self._session: dict[str, str] = {}  # keys the keyring refused: this session only
        self._available: bool | None = None
        self._described = ""

    # reads ------------------------------------------------------------------------------------

    def available(self) -> bool:
        if not ops.on_gui_thread():
            ok = self.inner.available()
            with self._lock:
                self._available = ok
            return ok
        # Not known yet on the GUI thread: assume a keyring; a write it refuses is kept for the
        # session and reported, so nothing is lost by the guess.
        return True if self._available is None else self._available

    def known_available(self) -> bool | None:
        """Whether a keyring exists, if the lane has found out yet (None: not yet)."""
        return self._available

    def describe(self) -> str:
        if not ops.on_gui_thread():
            self._described = self.inner.describe()
        return self._described or "keyring (not asked yet)"

    def get(self, name: str) -> str | None:
        with self._lock:
            if name in self._session:
                return self._session[name]
        if not ops.on_gui_thread():
            value = self.inner.get(name)
            with self._lock:
                self._known[name] = value
            return value
        with self._lock:
            if name in self._known:
                return self._known[name]
        log.warning("keyring: %r asked for on the GUI thread before it was read", name)
        raise KeyStoreError(
            QCoreApplication.translate("keys", "the system keyring has not been read yet")
        )

    # writes -----------------------------------------------------------------------------------

    def set(self, name: str, key: str) -> None:
        with self._lock:
            self._known[name] = key
            self._session.pop(name, None)
        if not ops.on_gui_thread():
            self.inner.set(name, key)
            return
        ops.run_in_background(
            lambda: self.inner.set(name, key),
            on_error=lambda exc: self._on_set_failed(name, key, exc),
            lane=LANE,
        )

    def delete(self, name: str) -> None:
        with self._lock:
            self._known[name] = None
            self._session.pop(name, None)
        if not ops.on_gui_thread():
            self.inner.delete(name)
            return
        ops.run_in_background(lambda: self.inner.delete(name), lane=LANE)

    def _on_set_failed(self, name: str, key: str, exc: Exception) -> None:
        with self._lock:
            if self._known.get(name) != key:
                return  # written again since: that write reports for itself
            self._session[name] = key
        log.warning("keyring: refused to store %r: %s", name, exc)
        ops.hub().failed.emit(
            QCoreApplication.translate(
                "keys",
                "The system keyring did not store the key for %1 (%2); "
                "it is kept for this session only.",
            )
            .replace("%1", name)
            .replace("%2", ops.describe(exc))
        )
