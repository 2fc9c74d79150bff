"""Run recording: one History row per run, begun at Run and written when it ends."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.history import History, RunRecord
from app.core.storage import Draft
from app.ui.widgets.editor import qt_len

if TYPE_CHECKING:
    from app.core.client import RunDone


class RunRecorder:
    """``begin()`` when a run starts, ``text()`` as it streams, ``end()`` with its outcome."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db: History | None = None
        self._current: dict[str, Any] | None = None

    def history(self) -> History:
        """Opened on first use: SQLite is not needed to show the window."""
        if self._db is None:
            self._db = History(self._path)
        return self._db

    def begin(self, body: dict[str, Any], provider: str, url: str, mode: str) -> None:
        self._current = {
            "request": body,
            "provider": provider,
            "url": url,
            "mode": mode,
            "texts": {},
        }

    def text(self, index: int, text: str) -> None:
        if self._current is not None:
            self._current["texts"].setdefault(index, []).append(text)

    def end(
        self,
        outcome: str,
        *,
        finish: dict[int, str] | None = None,
        error: str = "",
        metrics: dict[str, Any] | None = None,
    ) -> RunRecord | None:
        """Write the run in one SQLite transaction (never half a run); returns it."""
        rec, self._current = self._current, None
        if rec is None:
            return None
        record = RunRecord(
            request=rec["request"],
            outputs={i: "".join(parts) for i, parts in rec["texts"].items()},
            outcome=outcome,
            provider=rec["provider"],
            url=rec["url"],
            finish=finish or {},
            error=error,
            metrics={"mode": rec["mode"], **(metrics or {})},
        )
        self.history().add(record)
        return record


def done_metrics(done: RunDone) -> dict[str, Any]:
    """What a finished run's history row keeps of its metrics."""
    m, u = done.metrics, done.usage
    return {
        "ttft": m.ttft,
        "total": m.total,
        "completion_tokens": m.completion_tokens,
        "tokens_per_second": m.tokens_per_second,
        "usage": None
        if u is None
        else {
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "total_tokens": u.total_tokens,
        },
    }


def record_as_draft(record: RunRecord) -> tuple[Draft, dict[str, Any]]:
    """A past run as editor content (prompt + output marked as model text) and the request
    body for the parameter panel."""
    prompt = record.prompt_text
    output = record.outputs.get(0, "")
    suffix = record.request.get("suffix")
    tail = suffix if record.metrics.get("mode") == "insert" and isinstance(suffix, str) else ""
    start = qt_len(prompt)
    end = start + qt_len(output)
    draft = Draft(prompt + output + tail, [(start, end)] if output else [], end)
    body = dict(record.request)
    if tail:
        body.pop("suffix", None)  # it came from the [insert] marker, not the suffix field
    return draft, body
