"""Entry point: ``promptpad`` / ``python -m app``.

With a sub-command (complete, models, providers) it is the headless CLI and never imports Qt.
Without one it opens the window. This is the one place that builds the QApplication, the qasync
loop, the httpx.AsyncClient (closed on exit) and the KeyStore, and passes them down.
"""

from __future__ import annotations

import os
import sys

GUI_OPTIONS = {"--self-test"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # macOS once passed a process serial number (-psn_0_12345) to apps started from Finder.
    gui_args = [a for a in args if not a.startswith("-psn_")]
    if any(a not in GUI_OPTIONS for a in gui_args):
        # A sub-command, --help, --version, or something unknown: the CLI's parser runs it or
        # prints the usage and exits 2 (a typo must not open a window instead).
        from app.cli import main as cli_main

        return cli_main(args)
    return run_gui(gui_args)


def run_gui(args: list[str]) -> int:
    import gc

    # Start-up allocates tens of thousands of long-lived objects (modules, Qt wrappers); letting
    # the collector walk them again and again while they are made costs ~20 ms. It is switched
    # back on, with those objects frozen out of its sight, once the window is up.
    gc.disable()
    from app.display import graphical_session_problem

    # Before Qt: without a display Qt aborts (SIGABRT) with words a newcomer cannot act on.
    problem = graphical_session_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from app.core.storage import app_home
    from app.ui import app as ui
    from app.ui.main_window import MainWindow

    self_test = "--self-test" in args
    if self_test:
        ui.self_test_environment()
    home = app_home()
    ui.setup_logging(home)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    translators = ui.prepare_application(qt_app)
    instance = ui.claim_home(home)  # one window per home (app/ui/single_instance.py says why)
    if instance is None:
        return 0  # the window already open on this home was brought to the front instead
    # The window first: it needs neither the event loop nor the network to be drawn. asyncio,
    # qasync (~40 ms) and httpx (~60 ms) come after the first frame is on screen.
    window = MainWindow(ui.gui_services(home, ui.make_keystore()))
    window.show()
    instance.raiseRequested.connect(lambda: ui.bring_to_front(window))
    qt_app.processEvents()
    if os.environ.get("PROMPTPAD_STARTUP_PROBE"):
        return ui.startup_probe(window)  # bench/startup.py

    import asyncio

    # qasync otherwise probes PyQt5, PyQt6 and PySide2 before PySide6.
    os.environ.setdefault("QT_API", "pyside6")
    import qasync

    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    try:
        return int(loop.run_until_complete(_gui(qt_app, window, self_test)))
    finally:
        # In order, while the QApplication still exists: the loop's default executor runs the
        # DNS lookups (getaddrinfo) of every request to a host name. qasync makes it of QThreads,
        # and a QThread still running when Python tears the interpreter down makes Qt abort the
        # process (SIGABRT, a core dump holding the API key). close() stops and joins them.
        loop.close()
        asyncio.set_event_loop(None)
        # Then the window's worker lanes (history, keyring, drafts): a history write queued by
        # the last run's end finishes before the process does.
        from app.ui import ops

        ops.shutdown(wait=True)
        del translators


async def _gui(qt_app: object, window: object, self_test: bool) -> int:
    """On the running loop: make the one HTTP client, hand it down, wait for the window."""
    import asyncio

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.transport import make_http_client
    from app.ui import app as ui
    from app.ui.main_window import MainWindow

    assert isinstance(qt_app, QApplication)
    assert isinstance(window, MainWindow)
    http = make_http_client()
    try:
        window.attach_http(http)  # Run was disabled ("starting up…") until now
        # After the first frames, not before them: the full collection costs ~15 ms.
        QTimer.singleShot(1000, ui.settle_after_startup)
        if self_test:
            return await ui.self_test(window)
        if not window.isVisible():  # closed before the loop even started
            return 0
        closed = asyncio.Event()
        qt_app.lastWindowClosed.connect(closed.set)
        await closed.wait()
        return 0
    finally:
        await http.aclose()


if __name__ == "__main__":
    raise SystemExit(main())
