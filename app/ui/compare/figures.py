"""The Compare view's words and numbers: a column's live figures, the spread over repeats, who
was faster, a column's own settings — translated, from the core's ``Attempt`` / ``ColumnResult``.

Pure formatting (no widgets), so the column, the summary and the tests say the same thing.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from app.ui.error_text import describe_message

if TYPE_CHECKING:
    from app.core.compare import Column
    from app.core.compare_run import Attempt, ColumnResult, Spread


def seconds(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "–"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def rate(v: float | None) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{v:.1f}"


def live_rate(a: Attempt) -> float | None:
    """Tokens per second so far: text chunks since the first token (servers stream about one
    token per chunk); the server's own figure once the attempt has ended."""
    if not a.streaming:
        return a.tokens_per_second
    if a.ttft is None or a.began is None or a.chunks < 2:
        return None
    spent = time.perf_counter() - a.began - a.ttft
    return (a.chunks - 1) / spent if spent >= 0.02 else None


def elapsed(a: Attempt) -> float | None:
    if a.streaming and a.began is not None:
        return time.perf_counter() - a.began
    return a.total


def attempt_line(a: Attempt) -> str:
    """TTFT · tok/s · total · tokens · finish · cost, as far as they are known now."""
    parts = [
        QCoreApplication.translate("Compare", "first token %1").replace("%1", seconds(a.ttft)),
        QCoreApplication.translate("Compare", "%1 tok/s").replace("%1", rate(live_rate(a))),
        QCoreApplication.translate("Compare", "total %1").replace("%1", seconds(elapsed(a))),
    ]
    if a.streaming:
        parts.append(
            QCoreApplication.translate("Compare", "≈%1 tokens so far").replace("%1", str(a.chunks))
        )
    else:
        count = str(a.completion_tokens)
        parts.append(
            (
                QCoreApplication.translate("Compare", "≈%1 tokens (estimated)")
                if a.tokens_estimated
                else QCoreApplication.translate("Compare", "%1 tokens")
            ).replace("%1", count)
        )
        parts.append(
            QCoreApplication.translate("Compare", "finish: %1").replace(
                "%1", a.finish_reason or "–"
            )
        )
        if a.cost is not None:
            parts.append(
                QCoreApplication.translate("Compare", "cost %1").replace("%1", cost(a.cost))
            )
    return " · ".join(parts)


def cost(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".") if v < 0.01 else f"{v:.4f}"


def outcome(a: Attempt) -> str:
    """Running / finished / stopped / failed, in words."""
    if a.streaming:
        return QCoreApplication.translate("Compare", "streaming…")
    value = a.run.outcome.value
    return {
        "finished": QCoreApplication.translate("Compare", "finished"),
        "stopped": QCoreApplication.translate("Compare", "stopped — the text received is kept"),
        "failed": QCoreApplication.translate("Compare", "failed"),
        "running": QCoreApplication.translate("Compare", "waiting"),
    }.get(value, value)


def error_text(a: Attempt) -> str:
    """The server's message and status as sent; our own wording translated."""
    if not a.error:
        return ""
    message = describe_message(a.error)
    return f"HTTP {a.status}: {message}" if a.status else message


def spread(s: Spread | None, fmt: Any) -> str:
    if s is None:
        return "–"
    if s.minimum == s.maximum:
        return fmt(s.median)
    return f"{fmt(s.minimum)} / {fmt(s.median)} / {fmt(s.maximum)}"


def spread_lines(c: ColumnResult) -> str:
    """The min / median / max of first token and tokens/s over a column's repeats."""
    done = [a for a in c.attempts if not a.streaming]
    failed = sum(1 for a in done if a.error)
    lines = [
        QCoreApplication.translate("Compare", "first token (min / median / max): %1").replace(
            "%1", spread(c.spread("ttft"), seconds)
        ),
        QCoreApplication.translate("Compare", "tok/s (min / median / max): %1").replace(
            "%1", spread(c.spread("tokens_per_second"), rate)
        ),
    ]
    if failed:
        lines.append(
            QCoreApplication.translate("Compare", "%1 of %2 runs failed")
            .replace("%1", str(failed))
            .replace("%2", str(len(c.attempts)))
        )
    return "\n".join(lines)


def own_settings(col: Column) -> str:
    """What the column sets itself, e.g. "model gpt-x · temperature 0.2"; "shared settings"."""
    own = col.own_fields()
    if not own:
        return QCoreApplication.translate("Compare", "shared settings")
    return " · ".join(f"{field_label(k)} {_value(v)}" for k, v in own.items())


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def field_label(field: str) -> str:
    return {
        "model": QCoreApplication.translate("Compare", "model"),
        "temperature": QCoreApplication.translate("Compare", "temperature"),
        "top_p": QCoreApplication.translate("Compare", "top_p"),
        "max_tokens": QCoreApplication.translate("Compare", "max_tokens"),
        "presence_penalty": QCoreApplication.translate("Compare", "presence_penalty"),
        "frequency_penalty": QCoreApplication.translate("Compare", "frequency_penalty"),
        "seed": QCoreApplication.translate("Compare", "seed"),
        "stop": QCoreApplication.translate("Compare", "stop"),
    }.get(field, field)


def verdict(columns: list[ColumnResult]) -> str:
    """Who was faster, and by how much (medians over repeats), or "" with fewer than two."""
    speeds = [
        (c.column.name, s.median)
        for c in columns
        if (s := c.spread("tokens_per_second")) is not None and s.median > 0
    ]
    firsts = [(c.column.name, s.median) for c in columns if (s := c.spread("ttft")) is not None]
    parts = []
    if len(speeds) >= 2:
        speeds.sort(key=lambda x: -x[1])
        (best, v1), (second, v2) = speeds[0], speeds[1]
        parts.append(
            QCoreApplication.translate("Compare", "Fastest stream: %1, %2 tok/s (%3× %4)")
            .replace("%1", best)
            .replace("%2", rate(v1))
            .replace("%3", f"{v1 / v2:.2f}")
            .replace("%4", second)
        )
    if len(firsts) >= 2:
        firsts.sort(key=lambda x: x[1])
        (best, t1), (second, t2) = firsts[0], firsts[1]
        parts.append(
            QCoreApplication.translate("Compare", "First token soonest: %1, %2 (%3 sooner than %4)")
            .replace("%1", best)
            .replace("%2", seconds(t1))
            .replace("%3", seconds(t2 - t1))
            .replace("%4", second)
        )
    return "\n".join(parts)
