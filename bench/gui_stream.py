"""The real window, offscreen, streaming N completion chunks from a loopback server.

Prints end-to-end chunks/s (Run pressed → last text on screen), the longest event-loop stall seen
by a 5 ms QTimer heartbeat during the run, and RSS before and after. The baseline, measured in the
same run on the same server: the core's stream() alone, without Qt. Two texts: "lines" (a line
break every 12 tokens, like prose) and "paragraph" (no line break at all: the worst case for
QTextDocument layout).  Targets: >= 50,000 chunks/s, no stall over 30 ms.

    python bench/gui_stream.py [--n 100000] [--text lines|paragraph|both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PROMPTPAD_HOME"] = tempfile.mkdtemp(prefix="promptpad-bench-")

import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.client import CompletionClient, TextDelta  # noqa: E402
from app.core.endpoint import Endpoint, make_http_client  # noqa: E402
from app.core.keystore import MemoryKeyStore  # noqa: E402
from app.core.params import CompletionRequest  # noqa: E402
from app.core.storage import Store  # noqa: E402
from app.ui.app import settle_after_startup  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from bench._server import start_server  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def core_baseline(url: str, n: int) -> float:
    async with make_http_client() as http:
        client = CompletionClient(http, Endpoint(url))
        t0 = time.perf_counter()
        count = 0
        async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
            if type(ev) is TextDelta:
                count += 1
        dt = time.perf_counter() - t0
    assert count == n, count
    return n / dt


async def gui_run(url: str, n: int) -> dict[str, float]:
    http = make_http_client()
    win = MainWindow(http, MemoryKeyStore(), Store())
    win.resize(1200, 800)
    win.show()
    win.connection.base_url.setText(url)
    win.params.model_combo.setEditText("m")
    win.editor.setPlainText("Benchmark:")
    settle_after_startup()  # what run_gui does after the window is shown
    await asyncio.sleep(0.2)

    gaps: list[float] = []
    at: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        at.append(now)
        last[0] = now

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    rss_before = rss_mb()
    done = asyncio.Event()
    win.runner.busyChanged.connect(lambda busy: None if busy else done.set())
    last[0] = time.perf_counter()
    heart.start()
    t0 = time.perf_counter()
    win.run()
    await done.wait()
    elapsed = time.perf_counter() - t0
    heart.stop()
    chunks = win.runner.chunks
    text_len = len(win.editor.toPlainText())
    rss_after = rss_mb()
    err = win.error_text.text() if win.error_bar.isVisible() else ""
    win.close()
    await http.aclose()
    if err or chunks != n:
        raise SystemExit(f"run failed: chunks={chunks} error={err!r}")
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    return {
        "worst_at": at[worst] - gaps[worst] - t0,
        "rate": n / elapsed,
        "elapsed": elapsed,
        "stall_ms": max(gaps) * 1000,
        "p99_ms": sorted(gaps)[int(len(gaps) * 0.99)] * 1000,
        "beats": len(gaps),
        "rss_before": rss_before,
        "rss_after": rss_after,
        "chars": text_len,
    }


async def main(n: int, texts: list[str], repeat: int) -> None:
    import statistics

    for text in texts:
        every = 12 if text == "lines" else 0
        proc, url = start_server("--flood", str(n), "--every-line", str(every))
        runs, bases = [], []
        try:
            for _ in range(repeat):  # interleaved, so a noisy moment hurts both alike
                bases.append(await core_baseline(url, n))
                runs.append(await gui_run(url, n))
        finally:
            proc.terminate()
            proc.wait()
        rates = [r["rate"] for r in runs]
        med = statistics.median(rates)
        base = statistics.median(bases)
        worst = max(runs, key=lambda r: r["stall_ms"])
        last = runs[-1]
        print(
            f"text = {text}: N = {n:,} chunks, {last['chars']:,} characters on screen, "
            f"{repeat} runs"
        )
        print(
            f"  window end-to-end   {med:>10,.0f} chunks/s median "
            f"(runs: {', '.join(f'{r:,.0f}' for r in rates)})   target >= 50,000"
        )
        print(f"  core stream() only  {base:>10,.0f} chunks/s median (baseline, same runs)")
        print(f"  ratio window/core   {med / base:.2f}")
        stalls = ", ".join(f"{r['stall_ms']:.0f}" for r in runs)
        print(
            f"  longest stall       {worst['stall_ms']:>7.1f} ms over all runs "
            f"(per run: {stalls} ms; "
            f"p99 {worst['p99_ms']:.1f} ms; worst began {worst['worst_at']:.2f} s into its "
            f"run)   target <= 30 ms"
        )
        print(
            f"  RSS                 {runs[0]['rss_before']:.0f} MB before the first run, "
            f"{last['rss_after']:.0f} MB after the last"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--text", choices=["lines", "paragraph", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing a window must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kinds = ["lines", "paragraph"] if a.text == "both" else [a.text]
    loop.run_until_complete(main(a.n, kinds, a.repeat))
