"""Entry point: ``promptpad`` / ``python -m app``.

With a sub-command (complete, models, providers) it is the headless CLI and never imports Qt.
Without one it opens the window. This is the one place that builds the QApplication, the qasync
loop, the httpx.AsyncClient (closed on exit) and the KeyStore, and passes them down.
"""

from __future__ import annotations

import os
import sys

CLI_COMMANDS = {"complete", "models", "providers", "--version", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in CLI_COMMANDS:
        from app.cli import main as cli_main

        return cli_main(args)
    return run_gui(args)


def run_gui(args: list[str]) -> int:
    import asyncio
    import gc

    # Start-up allocates tens of thousands of long-lived objects (modules, Qt wrappers); letting
    # the collector walk them again and again while they are made costs ~20 ms. It is switched
    # back on, with those objects frozen out of its sight, once the window is up.
    gc.disable()

    # qasync otherwise probes PyQt5, PyQt6 and PySide2 before PySide6 (~30 ms at start-up).
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.core.storage import app_home
    from app.ui import app as ui

    self_test = "--self-test" in args
    if self_test:
        ui.self_test_environment()
    home = app_home()
    ui.setup_logging(home)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    translators = ui.prepare_application(qt_app)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    try:
        return int(loop.run_until_complete(_gui(qt_app, home, self_test)))
    finally:
        del translators


async def _gui(qt_app: object, home: object, self_test: bool) -> int:
    import asyncio
    from pathlib import Path

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.storage import Store
    from app.ui import app as ui
    from app.ui.main_window import MainWindow

    assert isinstance(qt_app, QApplication)
    assert isinstance(home, Path)
    keys = ui.make_keystore()
    window = MainWindow(None, keys, Store(home))
    window.show()
    if os.environ.get("PROMPTPAD_STARTUP_PROBE"):
        return await ui.startup_probe(qt_app, window)
    # httpx costs ~60 ms to import: the window is up first, then the one client is made and
    # handed down (Run stays disabled for those few milliseconds).
    await asyncio.sleep(0)
    from app.core.transport import make_http_client

    http = make_http_client()
    try:
        window.attach_http(http)
        # After the first frames, not before them: the full collection costs ~15 ms.
        QTimer.singleShot(1000, ui.settle_after_startup)
        if self_test:
            return await ui.self_test(window)
        closed = asyncio.Event()
        qt_app.lastWindowClosed.connect(closed.set)
        await closed.wait()
        return 0
    finally:
        await http.aclose()


if __name__ == "__main__":
    raise SystemExit(main())
