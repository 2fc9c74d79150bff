"""Draft autosave: debounced, but at least every couple of seconds, written off the GUI thread.

A save that fails (read-only or full disk, the home gone) is reported through ``failed``: the
window says so for as long as it lasts, since the user believes the text is safe.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.storage import Draft, Store
from app.ui import ops

AUTOSAVE_MS = 500
AUTOSAVE_MAX_WAIT_S = 2.0
CLOSE_WAIT_S = 10.0  # at most, for the last save when the window closes
LANE = "drafts"  # one writer: drafts are written in order, never two at once
log = logging.getLogger("promptpad")


class DraftAutosave(QObject):
    """Saves ``snapshot()`` to the store's draft file after the text stops changing, on the
    "drafts" lane of the window's one background idiom (app/ui/ops.py).

    Signals:
        failed(str): a save failed; the reason, for the user
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
        """Write the draft atomically, off the GUI thread (an fsync of a large draft can take
        tens of ms); unless ``background``, wait until it is on disk (the window closes)."""
        self._timer.stop()
        self._dirty_since = None
        draft = self._snapshot()
        ops.run_in_background(
            lambda: self._store.save_draft(draft),
            self._on_saved,
            self._on_save_failed,
            lane=LANE,
            parent=self,
        )
        if not background:
            ops.wait_for_lane(LANE, CLOSE_WAIT_S)

    def _on_saved(self, _: object) -> None:
        self.saved.emit()

    def _on_save_failed(self, exc: Exception) -> None:
        # Whatever it is, the user must hear that the text is not safe.
        log.warning("the draft could not be saved: %s", exc)
        self.failed.emit(exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))

    def _on_timer_timeout(self) -> None:
        self.save(background=True)
