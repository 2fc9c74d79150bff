"""The services every part of the app is handed: built once, at the entry point, passed down.

``app/__main__.py`` builds one ``Services`` for the window (``app/cli.py`` one for a command):
the files under the home (settings and drafts, the provider profiles, the history path), the key
store, and the one HTTP client. Widgets and controllers receive it instead of building stores of
their own, so a test hands in the same object with an in-memory key store and a loopback server.

The window is painted before the event loop and the HTTP client exist (start-up speed), so the
client arrives later through ``attach_http``; work that needs it and is asked for earlier (the
model list of the provider selected last time) waits in ``when_online`` instead of running on a
throw-away loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.keystore import KeyStore
from app.core.provider_store import ProviderStore
from app.core.storage import Store

if TYPE_CHECKING:
    import httpx

Online = Callable[["httpx.AsyncClient"], None]


class Services:
    """The home's stores, the key store and the HTTP client (``None`` until the loop runs)."""

    def __init__(
        self,
        home: Path,
        keys: KeyStore,
        *,
        http: httpx.AsyncClient | None = None,
        provider_keys: KeyStore | None = None,
    ) -> None:
        """``keys`` is the key store itself; ``provider_keys`` what the provider store goes
        through (the window's: keyring calls on a worker thread), ``keys`` when not given."""
        self.home = home
        self.keys = keys
        self.store = Store(home)
        self.providers = ProviderStore(home, provider_keys or keys)
        self.history_path = home / "history.sqlite3"
        self.http = http
        self._waiting: list[Online] = []

    def when_online(self, work: Online) -> None:
        """Run ``work(http)`` now if the client exists, else as soon as it is attached."""
        if self.http is not None:
            work(self.http)
        else:
            self._waiting.append(work)

    def attach_http(self, http: httpx.AsyncClient) -> None:
        """Hand over the one client (on the running loop); start the work that waited for it."""
        self.http = http
        waiting, self._waiting = self._waiting, []
        for work in waiting:
            work(http)

    @property
    def waiting(self) -> int:
        """How many pieces of work wait for the client."""
        return len(self._waiting)
