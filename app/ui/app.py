"""GUI start-up: the one QApplication, qasync loop, httpx.AsyncClient and KeyStore, wired once.

``promptpad --self-test`` opens the window, runs one completion against an in-process loopback
server and exits 0 only if the text arrived (the packaged bundle's smoke test).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType

import qasync
from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.core.endpoint import make_http_client
from app.core.keystore import KeyringKeyStore, KeyStore, MemoryKeyStore
from app.core.resources import resources_dir
from app.core.storage import HOME_ENV, Store, app_home

log = logging.getLogger("promptpad")


def make_keystore() -> KeyStore:
    """The OS keyring when one exists; otherwise memory only (the UI says so)."""
    ring = KeyringKeyStore()
    return ring if ring.available() else MemoryKeyStore()


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


def run_gui(args: list[str]) -> int:
    self_test = "--self-test" in args
    if self_test:
        os.environ.setdefault(HOME_ENV, tempfile.mkdtemp(prefix="promptpad-selftest-"))
        os.environ["PROMPTPAD_NO_DIALOGS"] = "1"
    home = app_home()
    logging.basicConfig(
        filename=str(home / "promptpad.log"),
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Promptpad")
    app.setOrganizationName("Promptpad")
    app.setApplicationVersion(__version__)
    # The qasync loop ends when _main returns (on lastWindowClosed), after the client is closed.
    app.setQuitOnLastWindowClosed(False)
    icon_path = resources_dir() / "icons" / "promptpad.png"
    if icon_path.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon_path)))
    _translators = install_translators(app)  # noqa: F841 - kept alive for the app's lifetime
    sys.excepthook = _excepthook
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return loop.run_until_complete(_main(app, home, self_test))


async def _main(app: QApplication, home: Path, self_test: bool) -> int:
    from app.ui.main_window import MainWindow

    http = make_http_client()
    keys = make_keystore()
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    try:
        window = MainWindow(http, keys, Store(home))
        window.show()
        settle_after_startup()
        if self_test:
            return await _self_test(window)
        await closed.wait()
        return 0
    finally:
        await http.aclose()


async def _self_test(window: object) -> int:
    from app.testserver import TestServer
    from app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    with TestServer() as server:
        window.connection.base_url.setText(server.base_url)
        window.params.model_combo.setEditText("mock-1")
        window.editor.setPlainText("Say this is a test.")
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
