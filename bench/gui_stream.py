"""The real window, offscreen, showing model output that would freeze a naive text view.

For each text, one run of the core's stream() alone (the baseline, same server, same moment) and
one run of the whole window (Run pressed → all text on screen and formatted). Printed per text:
end-to-end rate, the ratio to the baseline, the longest event-loop stall seen by a 5 ms QTimer
heartbeat, and RSS growth per million characters shown.

Texts (what models really produce):
    lines     "tok " chunks with a line break every 12 tokens, like prose (400 kB)
    paragraph "tok " chunks, no line break at all (400 kB, one paragraph)
    nospace   one line without spaces or breaks: 250,000 chunks of 4 characters (1 M characters
              of base64 and "====" runs: not one line-break opportunity)
    onechunk  2,000 tokens in one network read (one event, as a non-streamed reply delivers them)
With --logprobs K every token carries its log probability and K alternatives.

Targets: stall <= 30 ms (<= 50 ms with logprobs); >= 50,000 chunks/s for lines and >= 0.8 of the
core baseline for the others; RSS growth <= 40 MB per million characters shown.

    python bench/gui_stream.py [--text lines|paragraph|nospace|onechunk|all] [--logprobs 5]
                               [--both] [--limit 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
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

TEXTS = ("lines", "paragraph", "nospace", "onechunk")
# Log probabilities cycled over the tokens: every shade of the probability view appears.
LOGPROBS = (-0.05, -0.4, -1.2, -2.5, -0.01, -0.7)


def _token(kind: str, i: int) -> str:
    if kind == "lines":
        return "tok \n" if i % 12 == 11 else "tok "
    if kind == "nospace":  # base64 and runs of "=": no break opportunity anywhere
        return ("aGVs", "bG8s", "IHdv", "cmxk", "====")[i % 5]
    return "tok "


def _logprobs(tokens: list[str], offset: int, k: int) -> dict[str, object]:
    lps = [LOGPROBS[(offset + j) % len(LOGPROBS)] for j in range(len(tokens))]
    tops = []
    for t, lp in zip(tokens, lps, strict=True):
        alts = {t: lp}
        for a in range(k - 1):
            alts[f"alt{a}"] = lp - 1.0 - a
        tops.append(alts)
    return {
        "tokens": tokens,
        "token_logprobs": lps,
        "top_logprobs": tops,
        "text_offset": list(range(offset, offset + len(tokens))),
    }


def chunks_for(kind: str, n: int) -> int:
    """How many TextDelta events the text is (``n``: the lines and paragraph count)."""
    return {"lines": n, "paragraph": n, "nospace": n * 5 // 2, "onechunk": 1}[kind]


def serve(kind: str, k: int, n: int) -> None:
    """The server process (its own GIL): answer every completion with the text, pre-framed."""
    from promptpad_testing.server import chunk_obj, sse

    events: list[bytes] = []
    if kind == "onechunk":
        toks = [_token(kind, i) for i in range(2000)]
        lp = _logprobs(toks, 0, k) if k else None
        events.append(sse([chunk_obj("".join(toks), logprobs=lp)], done=False))
    else:
        for i in range(chunks_for(kind, n)):
            t = _token(kind, i)
            lp = _logprobs([t], i, k) if k else None
            events.append(sse([chunk_obj(t, logprobs=lp)], done=False))
    events.append(sse([chunk_obj("", finish="length")], done=True))
    serve_framed(events)


def start_server(kind: str, k: int, n: int) -> tuple[subprocess.Popen[str], str]:
    argv = [sys.executable, __file__, "--serve", kind, "--logprobs", str(k), "--n", str(n)]
    return start_process(argv, stdin=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def core_baseline(url: str) -> tuple[float, int]:
    """Seconds for the core's stream() alone, and the TextDelta count."""
    from app.core.client import CompletionClient, TextDelta
    from app.core.endpoint import Endpoint, make_http_client
    from app.core.params import CompletionRequest

    async with make_http_client() as http:
        client = CompletionClient(http, Endpoint(url))
        t0 = time.perf_counter()
        count = 0
        async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
            if type(ev) is TextDelta:
                count += 1
        return time.perf_counter() - t0, count


def _formatting(win: object) -> bool:
    """Is the window still formatting tokens it has already shown (deferred work)?"""
    editor = win.editor  # type: ignore[attr-defined]
    busy = getattr(editor, "has_pending_work", None)
    return bool(busy()) if callable(busy) else False


async def gui_run(url: str, limit: float) -> dict[str, float]:
    from app.core.endpoint import make_http_client
    from app.core.keystore import MemoryKeyStore
    from app.core.storage import app_home
    from app.ui.app import gui_services, settle_after_startup
    from app.ui.main_window import MainWindow
    from bench._heartbeat import Heartbeat

    http = make_http_client()
    win = MainWindow(gui_services(app_home(), MemoryKeyStore(), http))
    win.resize(1200, 800)
    win.show()
    win.connection.base_url.setText(url)
    win.params.model_combo.setEditText("m")
    win.editor.setPlainText("Benchmark:")
    settle_after_startup()  # what run_gui does after the window is shown
    await asyncio.sleep(0.3)

    heart = Heartbeat()
    rss_before = rss_mb()
    done = asyncio.Event()
    win.runner.busyChanged.connect(lambda busy: None if busy else done.set())
    t0 = heart.start()
    win.run()
    finished = True
    try:
        await asyncio.wait_for(done.wait(), limit)
        while _formatting(win) and time.perf_counter() - t0 < limit:
            await asyncio.sleep(0.001)
    except TimeoutError:
        finished = False
    elapsed = time.perf_counter() - t0
    heart.stop()
    if not finished:
        win.stop()
        await asyncio.wait_for(done.wait(), 600)
    chunks = win.runner.chunks
    text_len = len(win.editor.toPlainText()) - len("Benchmark:")
    rss_after = rss_mb()
    err = win.error_text.text() if win.error_bar.isVisible() else ""
    win.close()
    await http.aclose()
    if err:
        raise SystemExit(f"run failed: chunks={chunks} error={err!r}")
    return {
        "finished": finished,
        "elapsed": elapsed,
        "chunks": chunks,
        **heart.figures(),
        "rss_growth": rss_after - rss_before,
        "chars": text_len,
    }


async def bench(kind: str, k: int, limit: float, n: int) -> str:
    proc, url = start_server(kind, k, n)
    try:
        # Twice, the faster counts: the first also pays for the imports and the connection.
        base_s, base_n = min([await core_baseline(url), await core_baseline(url)])
        run = await gui_run(url, limit)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    name = kind + (f" +lp{k}" if k else "")
    if kind == "onechunk":  # one event: compare times (2,000 tokens each)
        rate = 2000 / run["elapsed"]
        base_rate = 2000 / base_s
        unit = "tok/s"
    else:
        rate = run["chunks"] / run["elapsed"]
        base_rate = base_n / base_s
        unit = "ch/s"
    # Per million characters; a few thousand characters are below what RSS can resolve.
    per_m = run["rss_growth"] / max(run["chars"], 1) * 1e6 if run["chars"] >= 100_000 else 0.0
    stall_target = 50 if k else 30
    rate_ok = rate >= 50_000 if kind == "lines" else rate >= 0.8 * base_rate
    flags = "".join(
        [
            "" if run["stall_ms"] <= stall_target else " STALL",
            "" if rate_ok else " RATE",
            "" if per_m <= 40 or run["rss_growth"] <= 2 else " RSS",
            "" if run["finished"] else f" UNFINISHED({limit:.0f}s)",
        ]
    )
    return (
        f"{name:<15} {rate:>10,.0f} {unit:<5} {base_rate:>10,.0f} {rate / base_rate:>6.2f} "
        f"{run['stall_ms']:>9.0f} {run['p99_ms']:>6.1f} {run['worst_at']:>7.2f} "
        f"{run['chars']:>10,} {run['rss_growth']:>7.1f} {per_m:>8.1f}{flags}"
        f"\n#stall={run['stall_ms']:.1f}"  # for the table's last line
    )


HEADER = (
    f"{'text':<15} {'window':>16} {'core':>10} {'ratio':>6} {'stall ms':>9} {'p99':>6} "
    f"{'stall@s':>7} {'chars':>10} {'RSS MB':>7} {'MB/Mch':>8}"
)


def main(kinds: list[str], lps: list[int], limit: float, n: int, repeat: int) -> None:
    print(HEADER, flush=True)
    stalls: list[float] = []
    for k in lps * repeat:
        for kind in kinds:
            # Each text in a fresh process: RSS growth is then this text's own, not memory that a
            # previous run freed and this one reused.
            row = subprocess.run(
                [sys.executable, __file__, "--row", kind, "--logprobs", str(k)]
                + ["--limit", str(limit), "--n", str(n)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            lines = [ln for ln in row.stdout.splitlines() if ln.strip()]
            if len(lines) < 2 or not lines[-1].startswith("#stall="):
                raise SystemExit(f"{kind}: failed: {row.stderr.strip()[-2000:]}")
            print(lines[-2], flush=True)
            stalls.append(float(lines[-1].removeprefix("#stall=")))
    print(
        f"longest stall over all texts: {max(stalls):.0f} ms "
        "(targets: <= 30 ms, <= 50 ms with logprobs)"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--text", choices=[*TEXTS, "all"], default="all")
    ap.add_argument("--logprobs", type=int, default=0, help="alternatives per token (0: none)")
    ap.add_argument("--both", action="store_true", help="each text without and with --logprobs")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds before a run is stopped")
    ap.add_argument("--n", type=int, default=100_000, help="chunks of lines and paragraph")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the whole table")
    ap.add_argument("--serve", choices=TEXTS, help=argparse.SUPPRESS)
    ap.add_argument("--row", choices=TEXTS, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.serve:
        serve(a.serve, a.logprobs, a.n)
        raise SystemExit(0)
    kinds = list(TEXTS) if a.text == "all" else [a.text]
    lps = [0, a.logprobs or 5] if a.both else [a.logprobs]
    if not a.row:
        main(kinds, lps, a.limit, a.n, a.repeat)
        raise SystemExit(0)
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing a window must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    print(loop.run_until_complete(bench(a.row, a.logprobs, a.limit, a.n)), flush=True)
