"""Run history: every run's request, output and outcome, in SQLite under the app's home.

Each run is one row written in one transaction, so the file always holds whole runs (SQLite's
journal makes the write atomic: a crash mid-write leaves the previous state). What is stored is
the request *body* exactly as sent plus where it went (provider name, endpoint URL) — never a
header, so never a key.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

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
    """The runs table. Thread-compatible: open one per thread that uses it."""

    def __init__(self, path: Path) -> None:
        import sqlite3  # here: the window opens without it

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=5, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

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
        with self._transaction():
            cur = self._db.execute(
                "INSERT INTO runs (created, provider, url, model, request, outputs, outcome,"
                " finish, error, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self._db.execute(
                "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                (MAX_RUNS,),
            )
        record.id = int(cur.lastrowid or 0)
        record.created = created
        return record.id

    def recent(self, limit: int = 200) -> list[RunRecord]:
        rows = self._db.execute(
            "SELECT id, created, provider, url, request, outputs, outcome, finish, error, metrics"
            " FROM runs ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [self._record(r) for r in rows]

    def get(self, run_id: int) -> RunRecord | None:
        row = self._db.execute(
            "SELECT id, created, provider, url, request, outputs, outcome, finish, error, metrics"
            " FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        return self._record(row) if row else None

    def delete(self, run_id: int) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def clear(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM runs")

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
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _obj(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
