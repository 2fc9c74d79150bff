"""Memory on a long stream: RSS after N streamed chunks (default 2 million), CLI and window.

Each figure comes from a fresh child process reading the same loopback flood (bench/_server.py),
so one measurement's heap never inflates the next:

  bare process      python with the client imported, nothing streamed (the floor)
  raw httpx read    the same stream read with httpx.aiter_raw() and thrown away (the baseline:
                    what reading the bytes costs at all)
  core, keep text   CompletionClient.stream() keeping the run's text (the API default)
  CLI               ``promptpad complete`` in-process, stdout to /dev/null (keeps no text)
  window            the real MainWindow offscreen: RSS of the shown window before Run, after
                    the last text is on screen, and the bytes per chunk in between

RSS is VmRSS at the end and VmHWM (the peak) from /proc/self/status. Figures are printed, never
asserted.

    python bench/stream_memory.py [--n 2000000] [--only cli,window,...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ["bare", "raw", "core", "cli", "window"]


def memory() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


# -- children ------------------------------------------------------------------------------------


def child(kind: str, url: str, n: int) -> dict[str, float]:
    import asyncio

    from app.core.client import CompletionClient, TextDelta
    from app.core.endpoint import Endpoint, make_http_client
    from app.core.params import CompletionRequest

    before = memory()["VmRSS"]
    if kind == "bare":
        return {**memory(), "before": before, "chunks": 0}

    async def raw() -> int:
        async with make_http_client() as http:
            body = {"model": "m", "prompt": "p", "stream": True}
            async with http.stream("POST", url + "/completions", json=body) as response:
                size = 0
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                return size

    async def core() -> int:
        count = 0
        async with make_http_client() as http:
            client = CompletionClient(http, Endpoint(url))
            async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
                if type(ev) is TextDelta:
                    count += 1
        return count

    if kind == "raw":
        asyncio.run(raw())
        chunks = n
    elif kind == "core":
        chunks = asyncio.run(core())
    elif kind == "cli":
        from app.cli import main

        with open(os.devnull, "w", encoding="utf-8") as sink:
            code = main(
                ["complete", "--base-url", url, "--model", "m", "--prompt", "p"],
                stdout=sink,
                stderr=sys.stderr,
            )
        if code != 0:
            raise SystemExit(f"the CLI failed: exit {code}")
        chunks = n
    else:
        return window(url, n)
    return {**memory(), "before": before, "chunks": chunks}


def window(url: str, n: int) -> dict[str, float]:
    import asyncio

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PROMPTPAD_HOME"] = tempfile.mkdtemp(prefix="promptpad-bench-")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.core.endpoint import make_http_client
    from app.core.keystore import MemoryKeyStore
    from app.core.storage import app_home
    from app.ui.app import gui_services, settle_after_startup
    from app.ui.main_window import MainWindow

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    result: dict[str, float] = {}

    async def go() -> None:
        http = make_http_client()
        win = MainWindow(gui_services(app_home(), MemoryKeyStore(), http))
        win.resize(1200, 800)
        win.show()
        win.connection.base_url.setText(url)
        win.params.model_combo.setEditText("m")
        settle_after_startup()
        await asyncio.sleep(0.3)
        result["before"] = memory()["VmRSS"]
        done = asyncio.Event()
        win.runner.busyChanged.connect(lambda busy: None if busy else done.set())
        win.run()
        await done.wait()
        result.update(memory())
        result["chunks"] = win.runner.chunks
        result["chars"] = len(win.editor.toPlainText())
        win.close()
        await http.aclose()

    loop.run_until_complete(go())
    return result


# -- the parent ----------------------------------------------------------------------------------


def measure(kind: str, url: str, n: int) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--url", url, "--n", str(n)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(n: int, kinds: list[str]) -> None:
    from bench._server import start_server

    proc, url = start_server("--flood", str(n), "--every-line", "12")
    try:
        figures = {kind: measure(kind, url, n) for kind in kinds}
    finally:
        proc.terminate()
        proc.wait()
    print(f"N = {n:,} streamed chunks (4 characters each, a line break every 12)")
    labels = {
        "bare": "bare process (floor)",
        "raw": "raw httpx read (baseline)",
        "core": "core stream(), keeps text",
        "cli": "CLI complete (keeps none)",
        "window": "window, offscreen",
    }
    floor = figures.get("bare", {}).get("VmRSS")
    for kind, f in figures.items():
        line = f"  {labels[kind]:<28} RSS {f['VmRSS']:7.1f} MB   peak {f['VmHWM']:7.1f} MB"
        if kind == "window":
            grown = (f["VmRSS"] - f["before"]) * 1024 * 1024 / max(f["chunks"], 1)
            line += (
                f"   before Run {f['before']:.1f} MB: {grown:,.0f} bytes/chunk over the run "
                f"({f['chars']:,.0f} characters on screen)"
            )
        elif floor is not None and kind != "bare":
            grown = (f["VmHWM"] - floor) * 1024 * 1024 / max(n, 1)
            line += f"   peak over the floor: {grown:,.1f} bytes/chunk"
        print(line)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=2_000_000)
    ap.add_argument("--only", default=",".join(KINDS), help="comma-separated: " + ",".join(KINDS))
    ap.add_argument("--child", choices=KINDS)
    ap.add_argument("--url")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.url, a.n)))
    else:
        main(a.n, [k for k in KINDS if k in a.only.split(",")])
