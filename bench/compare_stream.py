"""The Compare view, offscreen: eight columns streaming 20,000 chunks each, all at once.

For each text, first the baseline: eight core-only streams (``CompletionClient.stream`` alone,
no window) run concurrently against the same server in the same process, at the same moment.
Then the real window: the Compare tab with eight custom-URL columns, Run all pressed, until
every column's text is on screen. Printed per text: each column's chunks/s (its chunks over its
own stream time), the aggregate (all chunks over the wall time from Run all to the last text
shown), the aggregate's ratio to the baseline's, and the longest event-loop stall seen by a 5 ms
QTimer heartbeat.

Texts:
    lines     "tok " chunks with a line break every 12 tokens, like prose
    paragraph "tok " chunks, no line break at all (one paragraph per column)

Targets: no stall over 30 ms; the aggregate >= 0.7 of the eight core-only streams.

    python bench/compare_stream.py [--text lines|paragraph|all] [--n 20000] [--columns 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PROMPTPAD_HOME"] = tempfile.mkdtemp(prefix="promptpad-bench-")

from bench._server import serve_framed, start_process  # noqa: E402

TEXTS = ("lines", "paragraph")
STALL_TARGET_MS = 30.0
RATIO_TARGET = 0.7


def _token(kind: str, i: int) -> str:
    return "tok \n" if kind == "lines" and i % 12 == 11 else "tok "


def serve(kind: str, n: int) -> None:
    """The server process (its own GIL): every completion gets the same pre-framed stream."""
    from promptpad_testing.server import chunk_obj, sse

    events = [sse([chunk_obj(_token(kind, i))], done=False) for i in range(n)]
    events.append(sse([chunk_obj("", finish="length")], done=True))
    serve_framed(events)


async def core_streams(url: str, columns: int) -> tuple[float, list[int]]:
    """Wall seconds for ``columns`` core-only streams at once, and each one's TextDelta count."""
    from app.core.client import CompletionClient, TextDelta
    from app.core.endpoint import Endpoint, make_http_client
    from app.core.params import CompletionRequest

    async with make_http_client() as http:
        client = CompletionClient(http, Endpoint(url))

        async def one() -> int:
            count = 0
            async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
                if type(ev) is TextDelta:
                    count += 1
            return count

        t0 = time.perf_counter()
        counts = await asyncio.gather(*(one() for _ in range(columns)))
        return time.perf_counter() - t0, list(counts)


async def window_run(url: str, columns: int, limit: float) -> dict[str, object]:
    from app.core.endpoint import make_http_client
    from app.core.keystore import MemoryKeyStore
    from app.core.storage import app_home
    from app.ui.app import gui_services, settle_after_startup
    from app.ui.main_window import MainWindow
    from bench._heartbeat import Heartbeat

    http = make_http_client()
    win = MainWindow(gui_services(app_home(), MemoryKeyStore(), http))
    win.resize(1600, 900)
    win.show()
    win.connection.base_url.setText(url)
    win.params.model_combo.setEditText("m")
    win.editor.setPlainText("Benchmark:")
    settle_after_startup()
    win.mode_tabs.setCurrentWidget(win.compare_view)
    await asyncio.sleep(0.3)
    ctl = win.compare
    while len(ctl.columns) < columns:
        ctl.add_column(base_url=url, model="m")
    for col in ctl.columns:
        ctl.set_where(col.name, base_url=url)
        ctl.set_model(col.name, "m")
    await asyncio.sleep(0.3)
    if ctl.problems():
        raise SystemExit(f"cannot run: {ctl.problems()}")
    views = [w.output for w in win.compare_view.columns.values()]

    heart = Heartbeat()
    t0 = heart.start()
    if not win.compare_view.run_all():
        raise SystemExit("Run all refused")
    finished = True
    while ctl.busy or any(v.has_pending_work() for v in views):
        if time.perf_counter() - t0 > limit:
            finished = False
            break
        await asyncio.sleep(0.005)  # (each poll is a loop turn too: not every 1 ms)
    elapsed = time.perf_counter() - t0
    heart.stop()
    if not finished:
        ctl.stop()
        while ctl.busy:
            await asyncio.sleep(0.01)
    result = ctl.result
    attempts = [a for c in result.columns for a in c.attempts] if result is not None else []
    shown = sum(len(v.toPlainText()) for v in views)
    errors = [a.error for a in attempts if a.error]
    win.close()
    await http.aclose()
    if errors:
        raise SystemExit(f"a column failed: {errors[0]!r}")
    return {
        "finished": finished,
        "elapsed": elapsed,
        "per_column": [a.chunks / a.total for a in attempts if a.total],
        "chunks": sum(a.chunks for a in attempts),
        **heart.figures(),
        "shown": shown,
    }


async def bench(kind: str, n: int, columns: int, limit: float) -> str:
    proc, url = start_process(
        [sys.executable, __file__, "--serve", kind, "--n", str(n)], stdin=True
    )
    try:
        # Twice, the faster counts: the first also pays for the imports and the connections.
        base_s, base_counts = min(
            [await core_streams(url, columns), await core_streams(url, columns)]
        )
        run = await window_run(url, columns, limit)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    base_rate = sum(base_counts) / base_s
    rate = float(run["chunks"]) / float(run["elapsed"])  # type: ignore[arg-type]
    per = run["per_column"]
    assert isinstance(per, list)
    ratio = rate / base_rate
    stall = float(run["stall_ms"])  # type: ignore[arg-type]
    flags = "".join(
        [
            "" if stall <= STALL_TARGET_MS else " STALL",
            "" if ratio >= RATIO_TARGET else " RATE",
            "" if run["finished"] else f" UNFINISHED({limit:.0f}s)",
            "" if run["chunks"] == columns * n else f" CHUNKS({run['chunks']})",
        ]
    )
    cols = " ".join(f"{r / 1000:.1f}k" for r in per)
    return (
        f"{kind:<10} {rate:>10,.0f} {base_rate:>10,.0f} {ratio:>6.2f} {stall:>9.1f} "
        f"{float(run['p99_ms']):>6.1f} {float(run['worst_at']):>7.2f} "  # type: ignore[arg-type]
        f"{float(run['elapsed']):>6.2f} {statistics.median(per):>10,.0f}  [{cols}]{flags}"
        f"\n#stall={stall:.1f} ratio={ratio:.3f}"
    )


HEADER = (
    f"{'text':<10} {'aggregate':>10} {'core ×8':>10} {'ratio':>6} {'stall ms':>9} {'p99':>6} "
    f"{'stall@s':>7} {'secs':>6} {'col median':>10}  [each column, chunks/s]"
)


def main(kinds: list[str], n: int, columns: int, limit: float) -> None:
    print(f"{columns} columns × {n:,} chunks each, concurrently; rates in chunks/s", flush=True)
    print(HEADER, flush=True)
    stalls, ratios = [], []
    for kind in kinds:  # each text in a fresh process
        row = subprocess.run(
            [sys.executable, __file__, "--row", kind, "--n", str(n), "--columns", str(columns)]
            + ["--limit", str(limit)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        lines = [ln for ln in row.stdout.splitlines() if ln.strip()]
        if len(lines) < 2 or not lines[-1].startswith("#stall="):
            raise SystemExit(f"{kind}: failed: {row.stderr.strip()[-2000:]}")
        print(lines[-2], flush=True)
        stall, ratio = lines[-1].removeprefix("#stall=").split(" ratio=")
        stalls.append(float(stall))
        ratios.append(float(ratio))
    print(
        f"longest stall: {max(stalls):.0f} ms (target <= {STALL_TARGET_MS:.0f}); lowest "
        f"aggregate ratio: {min(ratios):.2f} (target >= {RATIO_TARGET})"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--text", choices=[*TEXTS, "all"], default="all")
    ap.add_argument("--n", type=int, default=20_000, help="chunks per column")
    ap.add_argument("--columns", type=int, default=8)
    ap.add_argument("--limit", type=float, default=120.0, help="seconds before a run is stopped")
    ap.add_argument("--serve", choices=TEXTS, help=argparse.SUPPRESS)
    ap.add_argument("--row", choices=TEXTS, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.serve:
        serve(a.serve, a.n)
        raise SystemExit(0)
    kinds = list(TEXTS) if a.text == "all" else [a.text]
    if not a.row:
        main(kinds, a.n, a.columns, a.limit)
        raise SystemExit(0)
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    print(loop.run_until_complete(bench(a.row, a.n, a.columns, a.limit)), flush=True)
