"""``promptpad compare``: one prompt to several providers, models and settings at once.

Columns come from saved profiles (``--provider NAME`` or ``NAME:MODEL``) or custom URLs
(``--column NAME=http://host/v1:MODEL``); ``--set COLUMN.FIELD=VALUE`` overrides one field of
one column (``--set FIELD=VALUE`` sets it for all). Every column streams at the same time on one
HTTP client (``core.compare_run``); a failing or stalled column ends with its own error and the
others run on. Prints one row per column — time to first token, tokens/s, total time (min /
median / max over ``--repeat`` runs), tokens (≈ when estimated), finish reason, cost, error — or
``--json``: one JSON object per column. Exit 0 if every column succeeded, 1 if any failed (all
are still printed), 2 for invalid input (nothing sent).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from pathlib import Path
from typing import Any, TextIO

from app.cli_providers import Profiles, _pad, _width, provider_endpoint
from app.core.compare import MAX_COLUMNS, Column, Comparison, Order, Price
from app.core.compare_export import HEADERS, column_json, summary_rows
from app.core.compare_run import run_comparison
from app.core.compare_store import ComparisonStore
from app.core.credentials import redact_text
from app.core.draft import FIELDS, RequestDraft
from app.core.endpoint import Endpoint, make_http_client
from app.core.history import History, HistoryError
from app.core.params import Problem
from app.core.storage import HOME_ENV, app_home

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
DEFAULT_TIMEOUT = 120.0


def add_parser(sub: Any) -> None:
    c = sub.add_parser(
        "compare", help="one prompt to several providers/models/settings at once; a table"
    )
    c.add_argument(
        "--provider",
        action="append",
        default=[],
        metavar="NAME[:MODEL]",
        help="a column on a saved provider profile (repeatable); the column is called NAME",
    )
    c.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="NAME=URL[:MODEL]",
        help="a column on a custom base URL (repeatable)",
    )
    c.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="[COLUMN.]FIELD=VALUE",
        help="a parameter for one column, or for all without COLUMN (VALUE is JSON or text)",
    )
    c.add_argument(
        "--price",
        action="append",
        default=[],
        metavar="COLUMN=PROMPT,COMPLETION[,MULTIPLIER]",
        help="price per 1M tokens (times a relay's multiplier, 倍率) to show a cost",
    )
    c.add_argument("--model", help="the model of columns that name none")
    c.add_argument("--max-tokens", type=int, help="shared max_tokens (default 256)")
    c.add_argument("--prompt", help="the prompt (read from stdin when absent)")
    c.add_argument("--repeat", type=int, default=None, help="run every column N times")
    c.add_argument(
        "--concurrent", action="store_true", help="a column's repeats at once, not in sequence"
    )
    c.add_argument("--api-key-env", metavar="VAR", help="the key of the --column URLs")
    c.add_argument(
        "--timeout", type=float, default=None, help="seconds to connect and between chunks"
    )
    c.add_argument("--load", metavar="NAME", help="start from a saved comparison")
    c.add_argument("--save", metavar="NAME", help="save the comparison (before running it)")
    c.add_argument("--record", action="store_true", help="record every run in the history")
    c.add_argument("--json", action="store_true", help="one JSON object per column")


def run_compare(
    args: argparse.Namespace,
    env: dict[str, str],
    profiles: Profiles,
    stdin: TextIO | None,
    out: TextIO,
    err: TextIO,
) -> int:
    home = Path(env[HOME_ENV]).expanduser() if env.get(HOME_ENV) else app_home()
    comparison, problems = _comparison(args, home, stdin)
    endpoints: dict[str, Endpoint] = {}
    if not problems:
        problems += [Problem("compare", p) for p in comparison.problems()]
    for col in comparison.columns:
        ep, found = _endpoint(col, args, env, profiles)
        problems += found
        if ep is not None:
            endpoints[col.name] = ep
    if problems:
        err.write("promptpad: invalid input:\n")
        for p in problems:
            err.write(f"  {p}\n")
        return EXIT_INVALID
    if args.save:
        try:
            ComparisonStore(home).save(args.save, comparison)
        except (ValueError, OSError) as exc:
            err.write(f"promptpad: invalid input:\n  --save: {exc}\n")
            return EXIT_INVALID
    history = History(home / "history.sqlite3") if args.record else None
    try:
        return asyncio.run(_run(comparison, endpoints, history, args.json, out, err))
    except KeyboardInterrupt:
        return 130
    finally:
        if history is not None:
            history.close()


async def _run(
    comparison: Comparison,
    endpoints: dict[str, Endpoint],
    history: History | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    def record(row: Any) -> None:
        if history is None:
            return
        try:
            history.add(row)
        except (HistoryError, OSError) as exc:
            err.write(f"promptpad: a run could not be recorded: {redact_text(str(exc))}\n")

    async with make_http_client() as http:
        result = await run_comparison(http, endpoints, comparison, record=record)
    secrets = [s for ep in endpoints.values() for s in ep.secrets()]
    if as_json:
        for c in result.columns:
            line = json.dumps(column_json(c), ensure_ascii=False)
            out.write(redact_text(line, secrets) + "\n")
    else:
        rows = [[redact_text(v, secrets) for v in row] for row in summary_rows(result)]
        out.write(_table(HEADERS, rows))
        if comparison.repeat > 1:
            out.write(f"(× {comparison.repeat}: min / median / max; ≈: estimated tokens)\n")
    return EXIT_OK if result.ok else EXIT_FAILED


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in [headers, *rows]
    ]
    return "\n".join(lines) + "\n"


# -- building the comparison from the flags -------------------------------------------------------


def _comparison(
    args: argparse.Namespace, home: Path, stdin: TextIO | None
) -> tuple[Comparison, list[Problem]]:
    problems: list[Problem] = []
    comparison = Comparison()
    if args.load:
        saved, notes = ComparisonStore(home).load(args.load)
        if saved is None:
            why = "; ".join(notes) or "no such saved comparison"
            problems.append(Problem("--load", f"{args.load!r}: {why}"))
        else:
            comparison = saved
    for spec in args.provider:
        name, model = _provider_spec(spec)
        comparison.columns.append(Column(_unique(name, comparison), provider=name, model=model))
    for spec in args.column:
        col, problem = _column_spec(spec)
        if problem:
            problems.append(Problem("--column", problem))
        elif col is not None:
            col.name = _unique(col.name, comparison)
            comparison.columns.append(col)
    if len(comparison.columns) > MAX_COLUMNS:
        problems.append(Problem("compare", f"at most {MAX_COLUMNS} columns"))
    if args.model is not None:
        comparison.shared.set("model", args.model)
    if args.max_tokens is not None:
        comparison.shared.set("max_tokens", args.max_tokens)
    for spec in args.set:
        problems += _apply_set(spec, comparison)
    for spec in args.price:
        problems += _apply_price(spec, comparison)
    if args.repeat is not None:
        comparison.repeat = args.repeat
    if args.concurrent:
        comparison.order = Order.CONCURRENT
    if args.timeout is not None and not (math.isfinite(args.timeout) and args.timeout > 0):
        problems.append(Problem("--timeout", "must be a number of seconds above 0"))
        args.timeout = None
    if args.prompt is not None:
        comparison.prompt = args.prompt
    elif not args.load:
        comparison.prompt = (stdin or sys.stdin).read()
    return comparison, problems


def _provider_spec(spec: str) -> tuple[str, str]:
    """``NAME`` or ``NAME:MODEL`` (split at the last colon)."""
    name, _, model = spec.rpartition(":")
    return (name, model) if name else (spec, "")


def _column_spec(spec: str) -> tuple[Column | None, str]:
    """``NAME=URL`` or ``NAME=URL:MODEL``: a model is what follows the last colon when it has
    no slash and is not a port number."""
    name, sep, rest = spec.partition("=")
    if not sep or not name.strip() or not rest.strip():
        return None, f"{spec!r}: expected NAME=URL or NAME=URL:MODEL"
    url, model = rest, ""
    head, _, tail = rest.rpartition(":")
    if head and "://" in head and tail and "/" not in tail and not tail.isdigit():
        url, model = head, tail
    return Column(name.strip(), base_url=url, model=model), ""


def _unique(name: str, comparison: Comparison) -> str:
    taken = {c.name for c in comparison.columns}
    out, n = name, 2
    while out in taken:
        out, n = f"{name}#{n}", n + 1
    return out


def _apply_set(spec: str, comparison: Comparison) -> list[Problem]:
    target, sep, text = spec.partition("=")
    if not sep:
        return [Problem("--set", f"{spec!r}: expected [COLUMN.]FIELD=VALUE")]
    column_name, dot, field = target.rpartition(".")
    if not dot:
        column_name, field = "", target
    if field not in FIELDS or field == "stream":
        return [Problem("--set", f"{spec!r}: no parameter called {field!r}")]
    try:
        value = json.loads(text)
    except ValueError:
        value = text  # a plain word: text (a model name, a stop sequence)
    if field == "model" and not isinstance(value, str):
        value = text
    draft: RequestDraft
    if column_name:
        col = comparison.column(column_name)
        if col is None:
            names = ", ".join(c.name for c in comparison.columns) or "none"
            return [Problem("--set", f"{spec!r}: no column {column_name!r} (columns: {names})")]
        if field == "model":
            col.model = value
            return []
        draft = col.overrides
    else:
        draft = comparison.shared
    draft.set(field, value)
    return []


def _apply_price(spec: str, comparison: Comparison) -> list[Problem]:
    name, sep, text = spec.partition("=")
    col = comparison.column(name)
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError:
        numbers = []
    if not sep or col is None or not 2 <= len(numbers) <= 3:
        return [Problem("--price", f"{spec!r}: expected COLUMN=PROMPT,COMPLETION[,MULTIPLIER]")]
    price = Price.from_json(dict(zip(Price().to_json(), numbers, strict=False)))
    if price is None:
        return [Problem("--price", f"{spec!r}: prices are numbers of 0 or more")]
    col.price = price
    return []


def _endpoint(
    col: Column, args: argparse.Namespace, env: dict[str, str], profiles: Profiles
) -> tuple[Endpoint | None, list[Problem]]:
    timeout = args.timeout
    if col.provider:
        flags = argparse.Namespace(
            provider=col.provider,
            base_url=None,
            completions_url=None,
            key_header=None,
            proxy=None,
            timeout=timeout,
            connect_timeout=None,
            insecure=False,
            ca_bundle=None,
            api_key_env=None,
        )
        ep, problems = provider_endpoint(flags, env, profiles, {}, None, [])
        if ep is not None and not col.model and not args.model:
            saved = profiles.store.get(col.provider)
            if saved is not None and saved.default_model:
                col.model = saved.default_model
        return ep, [Problem(f"column {col.name!r}", p.reason) for p in problems]
    key = env.get(args.api_key_env) if args.api_key_env else None
    if args.api_key_env and not key:
        return None, [Problem("--api-key-env", f"the variable {args.api_key_env} is not set")]
    t = DEFAULT_TIMEOUT if timeout is None else timeout
    ep = Endpoint(col.base_url, api_key=key, connect_timeout=t, read_timeout=t)
    return ep, [Problem(f"column {col.name!r}", f"{s}: {why}") for s, why in ep.problems()]
