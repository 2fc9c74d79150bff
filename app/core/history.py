"""Run history: every run's request, output and outcome, in SQLite under the app's home.

Each run is one row written in one transaction, so the file always holds whole runs (SQLite's
journal makes the write atomic: a crash mid-write leaves the previous state). What is stored is
the request *body* exactly as sent plus where it went (provider name, endpoint URL) — never a
header, so never a key.

Two things go wrong with a database file that the app cannot fix by itself, and each has its own
error: another program holding a write lock (``HistoryBusy``: try again later; the record is
kept) and a file that is not, or no longer, a database (garbage, a truncated copy). The latter is
moved aside with a timestamp and a new database started: ``History.moved_aside`` names where
the old file went, so that the user can be told.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

_T = TypeVar("_T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    request TEXT NOT NULL,          -- the JSON body as sent
    outputs TEXT NOT NULL,          -- JSON object: choice index -> text
    outcome TEXT NOT NULL,          -- finished | failed | stopped
    finish TEXT NOT NULL DEFAULT '',-- JSON object: choice index -> finish_reason
    error TEXT NOT NULL DEFAULT '',
    metrics TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created);
"""
MAX_RUNS = 5000  # oldest runs beyond this are dropped, in the same transaction as the insert
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (primary codes)
_CORRUPT = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


class HistoryError(Exception):
    """The history database could not be used (read-only, disk full, ...)."""


class HistoryBusy(HistoryError):
    """Another connection holds the database's write lock: the same call may work later."""


@dataclass
class RunRecord:
    request: dict[str, Any]
    outputs: dict[int, str]
    outcome: str
    provider: str = ""
    url: str = ""
    finish: dict[int, str] = field(default_factory=dict)
    error: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    id: int | None = None

    @property
    def model(self) -> str:
        model = self.request.get("model", "")
        return model if isinstance(model, str) else ""

    @property
    def prompt_text(self) -> str:
        prompt = self.request.get("prompt", "")
        return prompt if isinstance(prompt, str) else json.dumps(prompt, ensure_ascii=False)


class History:
    """The runs table. Thread-compatible: open one per thread that uses it.

    Raises HistoryBusy (locked by another connection for longer than ``timeout`` seconds) or
    HistoryError; a corrupt file is replaced, see ``moved_aside``.
    """

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self.moved_aside: Path | None = None  # where a broken file went (set by a recovery)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._guarded(self._connect)

    def _connect(self) -> sqlite3.Connection:
        import sqlite3  # here: the window opens without it

        db = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    def _guarded(self, call: Callable[[], _T]) -> _T:
        """``call()`` with SQLite's errors as ours; a corrupt file is moved aside, a new one
        started, and ``call`` tried once more on it."""
        import sqlite3

        try:
            return call()
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code in _BUSY:
                raise HistoryBusy(f"{self.path} is locked by another program: {exc}") from exc
            if code not in _CORRUPT:
                raise HistoryError(f"{self.path}: {exc}") from exc
        self._move_aside()
        try:
            return call()
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: {exc}") from exc

    def _move_aside(self) -> None:
        if getattr(self, "_db", None) is not None:
            self._db.close()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        self.path.replace(target)
        # The journal files belong to the broken file: kept next to it, never replayed into the
        # new one.
        for extra in ("-wal", "-shm", "-journal"):
            side = self.path.with_name(self.path.name + extra)
            if side.exists():
                side.replace(target.with_name(target.name + extra))
        self.moved_aside = target
        self._db = self._connect()

    def add(self, record: RunRecord) -> int:
        created = record.created or time.time()
        row = (
            created,
            record.provider,
            record.url,
            record.model,
            json.dumps(record.request, ensure_ascii=False),
            json.dumps({str(k): v for k, v in record.outputs.items()}, ensure_ascii=False),
            record.outcome,
            json.dumps({str(k): v for k, v in record.finish.items()}),
            record.error,
            json.dumps(record.metrics),
        )

        def insert() -> int:
            with self._transaction():
                cur = self._db.execute(
                    "INSERT INTO runs (created, provider, url, model, request, outputs, outcome,"
                    " finish, error, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                self._db.execute(
                    "DELETE FROM runs WHERE id NOT IN"
                    " (SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                    (MAX_RUNS,),
                )
            return int(cur.lastrowid or 0)

        record.id = self._guarded(insert)
        record.created = created
        return record.id

    def recent(self, limit: int = 200) -> list[RunRecord]:
        return [self._record(r) for r in self._select("ORDER BY id DESC LIMIT ?", (limit,))]

    def get(self, run_id: int) -> RunRecord | None:
        rows = self._select("WHERE id = ?", (run_id,))
        return self._record(rows[0]) if rows else None

    def _select(self, tail: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        sql = (
            "SELECT id, created, provider, url, request, outputs, outcome, finish, error, metrics"
            " FROM runs " + tail
        )
        return self._guarded(lambda: self._db.execute(sql, params).fetchall())

    def delete(self, run_id: int) -> None:
        def delete() -> None:
            with self._transaction():
                self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

        self._guarded(delete)

    def clear(self) -> None:
        def clear() -> None:
            with self._transaction():
                self._db.execute("DELETE FROM runs")

        self._guarded(clear)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    @staticmethod
    def _record(row: tuple[Any, ...]) -> RunRecord:
        rid, created, provider, url, request, outputs, outcome, finish, error, metrics = row
        return RunRecord(
            request=_obj(request),
            outputs={int(k): str(v) for k, v in _obj(outputs).items() if str(k).isdigit()},
            outcome=str(outcome),
            provider=str(provider),
            url=str(url),
            finish={int(k): str(v) for k, v in _obj(finish).items() if str(k).isdigit()},
            error=str(error),
            metrics=_obj(metrics),
            created=float(created),
            id=int(rid),
        )


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        import sqlite3

        if kind is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error:
                self._rollback()  # the connection must not be left inside a transaction
                raise
        self._rollback()

    def _rollback(self) -> None:
        import sqlite3

        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite already rolled back (it does on some errors); the first error counts


def _obj(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
