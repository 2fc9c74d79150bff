"""Draft autosave: debounced, but at least every couple of seconds, written off the GUI thread.

A save that fails (read-only or full disk, the home gone) is reported through ``failed``: the
window says so for as long as it lasts, since the user believes the text is safe.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.storage import Draft, Store

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

AUTOSAVE_MS = 500
AUTOSAVE_MAX_WAIT_S = 2.0
log = logging.getLogger("promptpad")


class DraftAutosave(QObject):
    """Saves ``snapshot()`` to the store's draft file after the text stops changing.

    Signals:
        failed(str): a save failed; the reason, for the user (emitted from the writer thread,
            delivered queued on the GUI thread)
        saved(): a save succeeded (after a failure: the notice can go)
    """

    failed = Signal(str)
    saved = Signal()

    def __init__(
        self, store: Store, snapshot: Callable[[], Draft], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._snapshot = snapshot
        self._dirty_since: float | None = None
        # One writer thread: drafts are written in order, never two at once.
        self._writer: ThreadPoolExecutor | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def changed(self) -> None:
        """The text changed (typing or streaming): O(1) here, the save comes later."""
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if now - self._dirty_since >= AUTOSAVE_MAX_WAIT_S:
            self.save(background=True)  # steady typing or streaming: save every 2 s
        else:
            self._timer.start()

    def save(self, background: bool = False) -> None:
        """Write the draft atomically; in the writer thread when ``background``."""
        self._timer.stop()
        self._dirty_since = None
        draft = self._snapshot()
        if background:
            # fsync of a large draft can take tens of ms: never on the GUI thread mid-stream.
            self._pool().submit(self._write, draft)
        else:
            self._pool().submit(self._write, draft).result()

    def _write(self, draft: Draft) -> None:
        try:
            self._store.save_draft(draft)
        except Exception as exc:  # whatever it is, the user must hear that the text is not safe
            log.warning("the draft could not be saved: %s", exc)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.failed.emit(why)
            return
        self.saved.emit()

    def _pool(self) -> ThreadPoolExecutor:
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor  # not needed to open the window

            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft")
        return self._writer

    def _on_timer_timeout(self) -> None:
        self.save(background=True)
