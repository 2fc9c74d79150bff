"""``promptpad complete`` run and written out: the text as it streams (or the one reply), the
events as JSON lines, the metrics, the server's error, and the run recorded with ``--record``.

app/cli.py parses the flags and builds the request and the endpoint; this module sends it.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from app.core.client import (
    CompletionClient,
    Finished,
    RunDone,
    Skipped,
    TextDelta,
    UsageReport,
)
from app.core.credentials import redact_text, redact_url
from app.core.endpoint import Endpoint, make_http_client
from app.core.errors import CompletionError
from app.core.history import History, HistoryError
from app.core.params import CompletionRequest
from app.core.run import Run, RunMode
from app.core.storage import app_home

#: The command line's exit codes (app/cli.py's docstring says what each means).
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _safe(text: str, endpoint: Endpoint) -> str:
    """Error text as shown: URL passwords hidden, and the endpoint's key or proxy password too,
    should a server or a library have echoed one."""
    return redact_text(text, endpoint.secrets())


def write_error(exc: CompletionError, endpoint: Endpoint, err: TextIO) -> None:
    err.write(f"promptpad: {_safe(exc.describe(), endpoint)}\n")
    if exc.url:
        err.write(f"promptpad: request URL: {_safe(redact_url(exc.url), endpoint)}\n")


def _event_json(event: Any) -> dict[str, Any]:
    if isinstance(event, TextDelta):
        out: dict[str, Any] = {"type": "text", "index": event.index, "text": event.text}
        if event.logprobs is not None:
            out["logprobs"] = [
                {"token": t.token, "logprob": t.logprob, "top": t.top} for t in event.logprobs
            ]
        return out
    if isinstance(event, Finished):
        return {"type": "finish", "index": event.index, "reason": event.reason}
    if isinstance(event, UsageReport):
        u = event.usage
        return {
            "type": "usage",
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "total_tokens": u.total_tokens,
        }
    if isinstance(event, Skipped):
        return {"type": "skipped", "reason": event.reason, "raw": event.raw}
    if isinstance(event, RunDone):
        return {
            "type": "done",
            "finish_reasons": {str(k): v for k, v in event.finish_reasons.items()},
            "model": event.model,
            "metrics": _metrics_json(event.metrics),
        }
    return {"type": type(event).__name__}


def _metrics_json(m: Any) -> dict[str, Any]:
    return {
        "ttfb": m.ttfb,
        "ttft": m.ttft,
        "total": m.total,
        "completion_tokens": m.completion_tokens,
        "tokens_per_second": m.tokens_per_second,
    }


def _metrics_line(m: Any) -> str:
    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v * 1000:.0f} ms"

    tps = m.tokens_per_second
    return (
        f"ttfb {ms(m.ttfb)}, first token {ms(m.ttft)}, total {ms(m.total)}, "
        f"{m.completion_tokens} tokens, " + ("- tok/s" if tps is None else f"{tps:.1f} tok/s")
    )


async def run_complete(
    args: argparse.Namespace, endpoint: Endpoint, req: CompletionRequest, out: TextIO, err: TextIO
) -> int:
    # The same Run value the window makes; with --record it is written to the history.
    run = Run(
        req, RunMode.NEW, provider=args.provider or "", url=redact_url(endpoint.completions())
    )
    try:
        return await _stream_complete(args, endpoint, req, out, err, run)
    finally:
        if args.record:
            _record(run, err)


def _record(run: Run, err: TextIO) -> None:
    if not run.finished:
        run.stop()  # interrupted: what arrived is kept, marked stopped
    try:
        history = History(app_home() / "history.sqlite3")
        try:
            history.add(run.to_record())
        finally:
            history.close()
    except (HistoryError, OSError) as exc:
        err.write(f"promptpad: the run could not be recorded: {redact_text(str(exc))}\n")


async def _stream_complete(
    args: argparse.Namespace,
    endpoint: Endpoint,
    req: CompletionRequest,
    out: TextIO,
    err: TextIO,
    run: Run,
) -> int:
    async with make_http_client() as http:
        client = CompletionClient(http, endpoint)
        multi = isinstance(req.n, int) and req.n > 1
        try:
            if args.no_stream:
                result = await client.complete(req)
                run.finish_with(result)
                if args.json:
                    out.write(json.dumps(result.raw, ensure_ascii=False) + "\n")
                else:
                    for ch in result.choices:
                        if multi:
                            out.write(f"--- choice {ch.index} ---\n")
                        out.write(ch.text + "\n")  # as streaming ends: text, then a newline
                    out.flush()
                if args.verbose:
                    err.write(_metrics_line(result.metrics) + "\n")
                return EXIT_OK
            last_index = None
            skipped = 0
            # The CLI writes text out as it comes: the core need not keep it (flat memory).
            async for event in client.stream(req, keep_text=False):
                if args.record:
                    run.feed([event])
                if args.json:
                    out.write(json.dumps(_event_json(event), ensure_ascii=False) + "\n")
                    out.flush()
                elif isinstance(event, TextDelta):
                    if multi and event.index != last_index:
                        out.write(f"\n[{event.index}] ")
                        last_index = event.index
                    out.write(event.text)
                    out.flush()
                elif isinstance(event, Skipped):
                    skipped += 1
                    if skipped <= 3 or args.verbose:  # said, never silent; not a flood either
                        err.write(
                            f"promptpad: skipped a chunk ({event.reason}); text may be missing: "
                            f"{event.raw[:80]!r}\n"
                        )
                elif isinstance(event, RunDone):
                    if not args.json:
                        out.write("\n")
                    if args.verbose:
                        reasons = ", ".join(f"{k}:{v}" for k, v in event.finish_reasons.items())
                        err.write(_metrics_line(event.metrics) + f"; finish {reasons or '-'}\n")
            return EXIT_OK
        except CompletionError as exc:
            run.fail(redact_text(exc.describe()), exc.status)
            if args.json:
                out.write(
                    json.dumps(
                        {
                            "type": "error",
                            "kind": exc.kind,
                            "status": exc.status,
                            "message": _safe(exc.message, endpoint),
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
            elif exc.partial or exc.received:
                out.write("\n")
            out.flush()
            write_error(exc, endpoint, err)
            return EXIT_FAILED
