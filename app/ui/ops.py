"""The window's one way to do blocking work: off the GUI thread, the outcome back on it.

``run_in_background(fn, on_done, on_error, lane=...)`` runs ``fn()`` on a worker thread and
calls ``on_done(result)`` or ``on_error(exc)`` on the GUI thread. It is Anki's idiom
(``aqt/taskman.py`` under ``aqt/operations``' CollectionOp/QueryOp): the worker never touches a
widget; it hands a closure to a QObject living on the GUI thread through a queued signal, and
that object runs it there.

Work on one resource stays in order and never runs twice at once: each *lane* ("keyring",
"history", "drafts", ...) is one worker thread. A keyring write followed by a read sees the
write; the history database's connection is only ever used by its own thread.

Errors are shown one way: an ``on_error`` the caller gave, or else ``hub().failed`` (the window
shows it in its notice area) and the log. Nothing raised by the work or by the callbacks ever
reaches ``sys.excepthook`` (whose dialog is for bugs, not for a locked keyring).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

log = logging.getLogger("promptpad")

T = TypeVar("T")
Closure = Callable[[], None]


class Hub(QObject):
    """Runs closures posted from worker threads on the GUI thread.

    Signals:
        failed(str): a background operation failed and its caller gave no ``on_error``; the
            text is meant for the user.
    """

    failed = Signal(str)
    _pending = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._closures: list[Closure] = []
        self._pending.connect(self._on_pending, Qt.ConnectionType.QueuedConnection)

    def post(self, closure: Closure) -> None:
        """From any thread: run ``closure`` on the GUI thread soon."""
        with self._lock:
            self._closures.append(closure)
        self._pending.emit()

    def _on_pending(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            try:
                closure()
            except Exception as exc:  # noqa: BLE001 - a callback's bug must not kill the rest
                log.exception("a background operation's callback failed")
                self.failed.emit(describe(exc))


_hub: Hub | None = None
_lanes: dict[str, ThreadPoolExecutor] = {}
_lanes_lock = threading.Lock()


def hub() -> Hub:
    """The one Hub (made on first use, on the GUI thread)."""
    global _hub
    if _hub is None:
        app = QCoreApplication.instance()
        assert app is not None, "the background hub needs the QApplication"
        assert on_gui_thread(), "the background hub is made on the GUI thread"
        _hub = Hub()
    return _hub


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _lane(name: str) -> ThreadPoolExecutor:
    with _lanes_lock:
        pool = _lanes.get(name)
        if pool is None:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"promptpad-{name}")
            _lanes[name] = pool
        return pool


def describe(exc: BaseException) -> str:
    """An exception as one line for the user (no traceback: that goes to the log)."""
    text = str(exc) or type(exc).__name__
    return getattr(exc, "message", None) or text


class BackgroundOp:
    """One submitted operation. ``cancel()`` drops its callbacks (the work itself, once
    started, runs to its end: a keyring call cannot be interrupted)."""

    def __init__(self, future: Future[Any]) -> None:
        self.future = future
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        self.future.cancel()

    def done(self) -> bool:
        return self.future.done()


def run_in_background(
    fn: Callable[[], T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    *,
    lane: str = "work",
    parent: QObject | None = None,
) -> BackgroundOp:
    """Run ``fn()`` on the ``lane``'s thread; its result or exception comes back on the GUI
    thread to ``on_done`` / ``on_error`` (default: ``hub().failed``). With a ``parent``, the
    callbacks are dropped if it was deleted meanwhile (a closed dialog)."""
    h = hub()
    op: BackgroundOp

    def deliver(callback: Closure) -> None:
        if op.cancelled or (parent is not None and not alive(parent)):
            return
        callback()

    def work() -> None:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            error = exc  # (``exc`` is unbound when the block ends; the closure runs later)
            h.post(lambda: deliver(lambda: _fail(error, on_error)))
            return
        if on_done is not None:
            h.post(lambda: deliver(lambda: on_done(result)))

    op = BackgroundOp(_lane(lane).submit(work))
    return op


def _fail(exc: Exception, on_error: Callable[[Exception], None] | None) -> None:
    if on_error is not None:
        on_error(exc)
        return
    log.error("background operation failed", exc_info=exc)
    hub().failed.emit(describe(exc))


def alive(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def wait_for_lane(lane: str, timeout: float) -> bool:
    """Block until the work queued on ``lane`` so far has run (at most ``timeout`` seconds);
    True if it did. Only for closing the window, where the last record must be on disk."""
    with _lanes_lock:
        pool = _lanes.get(lane)
    if pool is None:
        return True
    marker = pool.submit(lambda: None)
    try:
        marker.result(timeout)
    except TimeoutError:
        return False
    return True


def shutdown(wait: bool = True) -> None:
    """Stop every lane after the work already queued (app exit)."""
    with _lanes_lock:
        pools = list(_lanes.values())
        _lanes.clear()
    for pool in pools:
        pool.shutdown(wait=wait)
