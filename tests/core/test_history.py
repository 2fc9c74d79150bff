"""Run history in SQLite: whole runs, newest first, bounded, never a header; a locked database
says so (and works once free), a corrupt one is moved aside and replaced."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from app.core import history as history_mod
from app.core.history import History, HistoryBusy, HistoryError, RunRecord


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
    with pytest.raises(HistoryError, match="disk I/O error"):
        h.add(RunRecord({"model": "m", "prompt": "half"}, {}, "finished"))
    h._db = real
    # The INSERT of the failed run was rolled back with it: only whole runs are on disk.
    assert [r.prompt_text for r in History(tmp_path / "h.sqlite3").recent()] == ["kept"]


def test_a_database_locked_by_another_connection_is_busy_not_broken(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).add(RunRecord({"model": "m", "prompt": "before"}, {}, "finished"))
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program writing (or a stuck one)
    h = History(path, timeout=0.05)
    with pytest.raises(HistoryBusy, match="locked"):
        h.add(RunRecord({"model": "m", "prompt": "during"}, {}, "finished"))
    other.execute("ROLLBACK")
    other.close()
    # The failed attempt left no transaction open: the same connection works once it is free.
    h.add(RunRecord({"model": "m", "prompt": "during"}, {}, "finished"))
    assert [r.prompt_text for r in h.recent()] == ["during", "before"]
    assert h.moved_aside is None
    assert path.exists()


def test_a_corrupt_file_is_moved_aside_with_a_timestamp_and_a_new_one_started(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database \x00\xff" * 200
    path.write_bytes(garbage)
    h = History(path)
    assert h.moved_aside is not None
    assert re.fullmatch(r"history\.sqlite3\.corrupt-\d{8}-\d{6}", h.moved_aside.name)
    assert h.moved_aside.read_bytes() == garbage  # kept as it was, for the user to look at
    h.add(RunRecord({"model": "m", "prompt": "new"}, {}, "finished"))
    assert [r.prompt_text for r in History(path).recent()] == ["new"]
