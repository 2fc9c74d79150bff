"""A comparison's results as Markdown (to paste into an issue or a chat) and as JSON (to script).

Both carry the columns' own settings, the figures per repeat and their spread, and every output.
The JSON shape is also what ``promptpad compare --json`` prints, one column per line.
"""

from __future__ import annotations

from typing import Any

from app.core.compare_run import Attempt, ColumnResult, ComparisonResult, Spread

FIGURES = ("ttft", "tokens_per_second", "total")


def attempt_json(a: Attempt) -> dict[str, Any]:
    return {
        "repeat": a.repeat,
        "ok": a.ok,
        "outcome": a.run.outcome.value,
        "ttft": a.ttft,
        "tokens_per_second": a.tokens_per_second,
        "total": a.total,
        "prompt_tokens": a.prompt_tokens,
        "completion_tokens": a.completion_tokens,
        "tokens_estimated": a.tokens_estimated,
        "finish_reason": a.finish_reason,
        "cost": a.cost,
        "error": a.error,
        "status": a.status,
        "text": a.text,
    }


def _spread_json(s: Spread | None) -> dict[str, float] | None:
    return None if s is None else {"min": s.minimum, "median": s.median, "max": s.maximum}


def column_json(c: ColumnResult) -> dict[str, Any]:
    return {
        "column": c.column.name,
        "where": c.column.where(),
        "own": c.column.own_fields(),
        "ok": c.ok,
        "spread": {f: _spread_json(c.spread(f)) for f in FIGURES},
        "attempts": [attempt_json(a) for a in c.attempts],
    }


def result_json(result: ComparisonResult) -> dict[str, Any]:
    return {
        "comparison": result.comparison.to_json(),
        "started": result.started,
        "ok": result.ok,
        "columns": [column_json(c) for c in result.columns],
    }


def fmt_seconds(v: float | None) -> str:
    return "–" if v is None else f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def fmt_rate(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}"


def fmt_spread(s: Spread | None, fmt: Any) -> str:
    """One figure, or "min / median / max" when the repeats differ."""
    if s is None:
        return "–"
    if s.minimum == s.maximum:
        return str(fmt(s.median))
    return f"{fmt(s.minimum)} / {fmt(s.median)} / {fmt(s.maximum)}"


def tokens_cell(c: ColumnResult) -> str:
    """Completion tokens (median over repeats); "≈" when any count is an estimate."""
    if not c.attempts:
        return "–"
    counts = sorted(a.completion_tokens for a in c.attempts)
    mark = "≈" if any(a.tokens_estimated for a in c.attempts) else ""
    return f"{mark}{counts[len(counts) // 2]}"


def cost_cell(c: ColumnResult) -> str:
    costs = [a.cost for a in c.attempts if a.cost is not None]
    return f"{sum(costs):.6f}" if costs else "–"


def finish_cell(c: ColumnResult) -> str:
    return ",".join(sorted({a.finish_reason or "–" for a in c.attempts})) or "–"


def error_cell(c: ColumnResult) -> str:
    errors = [a.error for a in c.attempts if a.error]
    if not errors:
        return ""
    head = errors[0].replace("\n", " ")
    return head if len(errors) == 1 else f"{head} (×{len(errors)})"


def summary_rows(result: ComparisonResult) -> list[list[str]]:
    """The table rows: column, where, TTFT, tok/s, total, tokens, finish, cost, error."""
    return [
        [
            c.column.name,
            c.column.where(),
            fmt_spread(c.spread("ttft"), fmt_seconds),
            fmt_spread(c.spread("tokens_per_second"), fmt_rate),
            fmt_spread(c.spread("total"), fmt_seconds),
            tokens_cell(c),
            finish_cell(c),
            cost_cell(c),
            error_cell(c),
        ]
        for c in result.columns
    ]


HEADERS = ["column", "where", "TTFT", "tok/s", "total", "tokens", "finish", "cost", "error"]


def result_markdown(result: ComparisonResult) -> str:
    cmp = result.comparison
    out = ["# Comparison", "", "## Prompt", "", "```", cmp.prompt, "```", ""]
    shared = {k: v for k, v in cmp.shared.set_fields().items() if k != "stream"}
    out += [f"Shared settings: `{_inline(shared)}`; repeat × {cmp.repeat} ({cmp.order.value})", ""]
    out += ["## Results", "", "Spread over repeats: min / median / max. ≈: estimated tokens.", ""]
    out.append("| " + " | ".join(HEADERS) + " |")
    out.append("|" + "---|" * len(HEADERS))
    for row in summary_rows(result):
        out.append("| " + " | ".join(_cell(v) for v in row) + " |")
    for c in result.columns:
        out += ["", f"## {c.column.name}", ""]
        own = c.column.own_fields()
        if own:
            out += [f"Own settings: `{_inline(own)}`", ""]
        for a in c.attempts:
            title = f"### Repeat {a.repeat + 1}" if len(c.attempts) > 1 else "### Output"
            out += [title, ""]
            if a.error:
                out += [f"Error: {a.error}", ""]
            out += ["```", a.text, "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _inline(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in values.items()).replace("`", "'")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
