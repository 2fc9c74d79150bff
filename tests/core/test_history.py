"""Run history in SQLite: whole runs, newest first, bounded, never a header."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core import history as history_mod
from app.core.history import History, RunRecord


def test_add_and_read_back(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    rid = h.add(
        RunRecord(
            {"model": "m", "prompt": "你好，", "max_tokens": 3},
            {0: "世界"},
            "finished",
            provider="P",
            url="http://x/v1/completions",
            finish={0: "length"},
            metrics={"ttft": 0.1},
        )
    )
    (rec,) = h.recent()
    assert rec.id == rid
    assert rec.request == {"model": "m", "prompt": "你好，", "max_tokens": 3}
    assert (rec.outputs, rec.finish, rec.outcome) == ({0: "世界"}, {0: "length"}, "finished")
    assert rec.model == "m"
    assert rec.prompt_text == "你好，"
    assert h.get(rid) == rec


def test_newest_first_delete_and_clear(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    ids = [h.add(RunRecord({"model": "m", "prompt": str(i)}, {}, "stopped")) for i in range(3)]
    assert [r.id for r in h.recent()] == ids[::-1]
    h.delete(ids[1])
    assert [r.prompt_text for r in h.recent()] == ["2", "0"]
    h.clear()
    assert h.recent() == []


def test_history_is_bounded(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(history_mod, "MAX_RUNS", 3)
    h = History(tmp_path / "h.sqlite3")
    for i in range(5):
        h.add(RunRecord({"model": "m", "prompt": str(i)}, {}, "finished"))
    assert [r.prompt_text for r in h.recent()] == ["4", "3", "2"]


def test_a_failed_write_leaves_no_half_run(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    h.add(RunRecord({"model": "m", "prompt": "kept"}, {0: "ok"}, "finished"))
    real = h._db

    class FailsAfterInsert:
        """Delegates to the connection, but the statement after the INSERT fails."""

        def execute(self, sql: str, *args: object) -> object:
            if sql.startswith("DELETE FROM runs WHERE id NOT IN"):
                raise sqlite3.OperationalError("disk I/O error (simulated)")
            return real.execute(sql, *args)

    h._db = FailsAfterInsert()  # type: ignore[assignment]
    with pytest.raises(sqlite3.OperationalError):
        h.add(RunRecord({"model": "m", "prompt": "half"}, {}, "finished"))
    h._db = real
    # The INSERT of the failed run was rolled back with it: only whole runs are on disk.
    assert [r.prompt_text for r in History(tmp_path / "h.sqlite3").recent()] == ["kept"]
