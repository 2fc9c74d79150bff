"""Run recording: one History row per run (a Run's own record), written when it ends, never on the
GUI thread.

The database is used on the "history" lane only (app/ui/ops.py): a locked file (another program
holding its write lock) or a slow disk can stall that thread, never the window. A run that could
not be written stays in memory and is tried again, with growing pauses; the user is told once.
A corrupt file is moved aside by ``History`` and the user is told where it went.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.credentials import redact_url
from app.core.history import History, HistoryBusy, HistoryError, RunRecord
from app.core.storage import Draft
from app.ui import ops
from app.ui.widgets.output_text import qt_len

log = logging.getLogger("promptpad")
T = TypeVar("T")

LANE = "history"
LOCK_WAIT_S = 2.0  # per attempt, on the history thread
RETRY_MS = (2_000, 5_000, 15_000, 60_000)  # then every minute while the app runs
MAX_UNSAVED = 200  # runs kept in memory while the database refuses them


class RunRecorder(QObject):
    """``begin()`` when a run starts, ``text()`` as it streams, ``end()`` with its outcome.

    Signals:
        recorded(object): a RunRecord is now in the database (its id is set).
        notice(str): something about the history the user should know (the file was moved
            aside, it is locked, a run could not be saved).
    """

    recorded = Signal(object)
    notice = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._db: History | None = None  # opened and used on the history lane's thread only
        self._unsaved: list[RunRecord] = []
        self._writing = False
        self._failures = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)

    # reading and writing on the history lane ---------------------------------------------------

    def query(
        self,
        fn: Callable[[History], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
        parent: QObject | None = None,
    ) -> ops.BackgroundOp:
        """``fn(history)`` on the history thread; the result to ``on_done`` on the GUI thread."""
        return ops.run_in_background(
            lambda: self._in_lane(fn),
            on_done,
            on_error or self._on_query_failed,
            lane=LANE,
            parent=parent or self,
        )

    def _in_lane(self, fn: Callable[[History], T]) -> T:
        # (history thread)
        try:
            if self._db is None:
                self._db = History(self._path, timeout=LOCK_WAIT_S)
            return fn(self._db)
        finally:
            moved = self._db.moved_aside if self._db is not None else None
            if moved is not None:
                self._db.moved_aside = None  # type: ignore[union-attr]
                ops.hub().post(lambda: self._on_moved_aside(moved))

    def _on_moved_aside(self, moved: Path) -> None:
        if ops.alive(self):
            log.warning("history: unreadable file moved to %s", moved)
            self.notice.emit(
                self.tr(
                    "The run history could not be read; the file was moved to %1 "
                    "and a new history was started."
                ).replace("%1", str(moved))
            )

    def _on_query_failed(self, exc: Exception) -> None:
        log.warning("history: %s", exc)
        self.notice.emit(self.tr("The run history cannot be read: %1").replace("%1", str(exc)))

    # a run ----------------------------------------------------------------------------------

    def record(self, record: RunRecord) -> None:
        """Queue a finished run (``Run.to_record()``) to be written in one transaction (never
        half a run); ``recorded`` says when it is in the database. Its URL is stored redacted:
        a base URL typed with user:password@ stays out of history."""
        record.url = redact_url(record.url)
        record.created = time.time()  # when it ended, not when a retry finally wrote it
        self._unsaved.append(record)
        if len(self._unsaved) > MAX_UNSAVED:
            del self._unsaved[0]
            log.warning("history: more than %d runs unsaved; the oldest is dropped", MAX_UNSAVED)
        if not self._retry.isActive():
            self._write()

    def _write(self, closing: bool = False) -> None:
        if (self._writing and not closing) or not self._unsaved:
            return
        self._writing = True
        batch = list(self._unsaved)

        def save(db: History) -> list[tuple[RunRecord, Exception]]:
            # (history thread) A record that can never be written (a value JSON cannot hold)
            # must not hold back the others; a locked or failing database stops the batch.
            dropped = []
            for record in batch:
                if record.id is None:
                    try:
                        db.add(record)
                    except HistoryError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - reported, never raised
                        dropped.append((record, exc))
            return dropped

        self.query(save, self._on_saved, self._on_save_failed)

    def _take_saved(self) -> None:
        for record in [r for r in self._unsaved if r.id is not None]:
            self._unsaved.remove(record)
            self.recorded.emit(record)

    def _on_saved(self, dropped: list[tuple[RunRecord, Exception]]) -> None:
        self._writing = False
        self._failures = 0
        self._take_saved()
        for record, exc in dropped:
            log.error("history: a run could not be written", exc_info=exc)
            if record in self._unsaved:
                self._unsaved.remove(record)
            self.notice.emit(
                self.tr("A run could not be saved to the history: %1").replace("%1", str(exc))
            )
        self._write()  # runs that ended meanwhile

    def _on_save_failed(self, exc: Exception) -> None:
        self._writing = False
        self._take_saved()
        log.warning("history: %s (%d run(s) kept to retry)", exc, len(self._unsaved))
        if self._failures == 0:
            if isinstance(exc, HistoryBusy):
                text = self.tr(
                    "The run history is locked by another program; the run is kept and will be "
                    "saved when the history is free."
                )
            else:
                text = self.tr(
                    "The run could not be saved to the history (%1); it is kept and will be "
                    "saved later."
                ).replace("%1", str(exc))
            self.notice.emit(text)
        self._retry.start(RETRY_MS[min(self._failures, len(RETRY_MS) - 1)])
        self._failures += 1

    def _on_retry_timeout(self) -> None:
        self._write()

    def close(self, timeout: float) -> bool:
        """The window is closing and the event loop may never turn again: queue what is
        unsaved and wait for the history thread, at most ``timeout`` seconds. True if
        everything is in the database."""
        self._retry.stop()
        # Behind a write in flight on the same thread; records it saves are skipped (their id
        # is set by then).
        self._write(closing=True)
        done = ops.wait_for_lane(LANE, timeout)
        return done and all(r.id is not None for r in self._unsaved)

    def unsaved(self) -> int:
        """Runs that ended and are not in the database yet."""
        return len(self._unsaved)


def record_as_draft(record: RunRecord) -> tuple[Draft, dict[str, Any]]:
    """A past run as editor content (prompt + output marked as model text) and the request
    body for the parameter panel."""
    prompt = record.prompt_text
    output = record.outputs.get(0, "")
    suffix = record.request.get("suffix")
    inserted = record.metrics.get("mode") == "insert" or record.metrics.get("inserted") is True
    tail = suffix if inserted and isinstance(suffix, str) else ""
    start = qt_len(prompt)
    end = start + qt_len(output)
    draft = Draft(prompt + output + tail, [(start, end)] if output else [], end)
    body = dict(record.request)
    if tail:
        body.pop("suffix", None)  # it came from the [insert] marker, not the suffix field
    return draft, body
