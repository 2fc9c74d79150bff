"""GUI start-up helpers for app.__main__: application set-up, the lazy keyring, the self-test.

``promptpad --self-test`` opens the window, runs one completion against an in-process loopback
server and exits 0 only if the text arrived (the packaged bundle's smoke test).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import __version__
from app.core.credentials import RedactingFilter
from app.core.keystore import KeyringKeyStore, KeyStore
from app.core.resources import resources_dir
from app.core.services import Services
from app.core.storage import HOME_ENV

if TYPE_CHECKING:
    import httpx

    from app.ui.single_instance import SingleInstance

log = logging.getLogger("promptpad")


class DeferredKeyring:
    """The OS keyring, detected on first use rather than at start-up.

    keyring's backend detection imports every backend it knows (~150 ms); a window that opens on
    a custom connection never needs it. Where no backend exists, ``available()`` is False and the
    ProviderStore keeps keys for the session only, saying so.
    """

    def __init__(self) -> None:
        self._ring: KeyringKeyStore | None = None
        self._ok = False

    def _get(self) -> KeyringKeyStore:
        if self._ring is None:
            self._ring = KeyringKeyStore()
            self._ok = self._ring.available()
        return self._ring

    def available(self) -> bool:
        self._get()
        return self._ok

    def describe(self) -> str:
        return self._get().describe()

    def get(self, name: str) -> str | None:
        return self._get().get(name)

    def set(self, name: str, key: str) -> None:
        self._get().set(name, key)

    def delete(self, name: str) -> None:
        self._get().delete(name)


def make_keystore() -> KeyStore:
    """The one KeyStore of the GUI process: the OS keyring, detected lazily."""
    return DeferredKeyring()


def gui_services(home: Path, keys: KeyStore, http: httpx.AsyncClient | None = None) -> Services:
    """The window's services: the provider store reaches the keyring on its own thread only
    (a locked keyring's unlock prompt must not freeze the window)."""
    from app.ui.keys import BackgroundKeys

    return Services(home, keys, http=http, provider_keys=BackgroundKeys(keys))


def install_translators(app: QApplication) -> list[QTranslator]:
    keep = []
    locale = QLocale()
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        keep.append(qt)
    own = QTranslator(app)
    if own.load(locale, "promptpad", "_", str(resources_dir() / "translations")):
        app.installTranslator(own)
        keep.append(own)
    return keep


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Exceptions escaping slots: log them and tell the user; never die on them."""
    text = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unhandled exception\n%s", text)
    app = QApplication.instance()
    if app is not None and not os.environ.get("PROMPTPAD_NO_DIALOGS"):
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Promptpad",
            QApplication.translate("app", "Something went wrong:") + f"\n{exc}",
        )
        box.setDetailedText(text)
        box.open()


def settle_after_startup() -> None:
    """Move everything built at start-up out of the garbage collector's sight.

    The window and Qt's wrappers are long-lived; without this a full collection walks them all
    and stalled the event loop ~30 ms mid-stream (bench/gui_stream.py).
    """
    gc.collect()
    gc.freeze()
    gc.enable()


def prepare_application(app: QApplication) -> list[QTranslator]:
    """Names, icon, translations, exception hook: everything the QApplication needs."""
    app.setApplicationName("Promptpad")
    app.setOrganizationName("Promptpad")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("promptpad")  # Wayland ties the window to promptpad.desktop
    # The qasync loop ends when the main coroutine returns (on lastWindowClosed), after the HTTP
    # client is closed; Qt must not quit underneath it.
    app.setQuitOnLastWindowClosed(False)
    icons = sorted(
        (resources_dir() / "icons").glob("promptpad-*.png"),
        key=lambda p: int(p.stem.rsplit("-", 1)[1]),
    )
    if icons:
        from PySide6.QtGui import QIcon

        icon = QIcon()
        for f in icons:
            icon.addFile(str(f))
        app.setWindowIcon(icon)
    sys.excepthook = _excepthook
    return install_translators(app)


def setup_logging(home: Path) -> logging.Handler:
    """promptpad.log under the app's home (stderr if it cannot be opened); returns the handler.

    Keys never reach a log call, but URLs do: httpx logs every request URL at INFO, and a URL may
    hold user:password or a key in its query. The handler's RedactingFilter hides those.
    """
    handler: logging.Handler
    try:
        handler = logging.FileHandler(home / "promptpad.log", encoding="utf-8")
    except OSError:  # a read-only or unusable home must not stop the window from opening
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def claim_home(home: Path) -> SingleInstance | None:
    """Make ``home`` this window's: private file modes, and no second window on it.

    Files this process creates from now on (history.sqlite3, window.ini) are 0600, and the
    permission pass runs again for promptpad.log, just made. None: another window owns the home
    and was asked to come to the front; this launch is done (exit 0).
    """
    from app.core.storage import private_umask, secure_home
    from app.ui.single_instance import SingleInstance

    private_umask()
    secure_home(home)
    instance = SingleInstance(home)
    try:
        if not instance.claim():
            log.info("another window owns %s and was raised", home)
            return None
    except RuntimeError as exc:
        print(f"promptpad: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    return instance


def bring_to_front(window: QWidget) -> None:
    """A second launch asked for the window: show it, un-minimised, in front."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def self_test_environment() -> None:
    """--self-test runs in a throw-away home and never opens a dialog."""
    import tempfile

    os.environ.setdefault(HOME_ENV, tempfile.mkdtemp(prefix="promptpad-selftest-"))
    os.environ["PROMPTPAD_NO_DIALOGS"] = "1"


def startup_probe(window: QWidget) -> int:
    """bench/startup.py: say when the first frame is up, then leave."""
    print(f"shown {time.time():.6f}", flush=True)
    window.close()
    return 0


async def self_test(window: object) -> int:
    from app.ui.main_window import MainWindow
    from promptpad_testing.server import TestServer

    assert isinstance(window, MainWindow)
    with TestServer() as server:
        # By host name, as every real provider is reached: the lookup runs on the loop's
        # executor, whose threads must be shut down in order at exit (or the process aborts).
        window.connection.base_url.setText(server.base_url.replace("//127.0.0.1:", "//localhost:"))
        window.params.model_combo.setEditText("mock-1")
        window.editor.setPlainText("Say this is a test.")
        import asyncio

        done = asyncio.Event()
        window.runner.busyChanged.connect(lambda busy: None if busy else done.set())
        QTimer.singleShot(0, window.run)
        try:
            await asyncio.wait_for(done.wait(), 30)
        except TimeoutError:
            print("self-test: FAILED (no answer within 30 s)", file=sys.stderr)
            return 1
        text = window.editor.toPlainText()
        ok = text == "Say this is a test.This is a test." and window.editor.completion_ranges()
        window.close()
    if not ok:
        print(f"self-test: FAILED: editor holds {text!r}", file=sys.stderr)
        return 1
    print(f"self-test: OK (Promptpad {__version__}, Qt platform {QApplication.platformName()})")
    return 0
