"""How fast does Promptpad's stream() consume a completion stream, against raw httpx?

A loopback server (a separate process) answers with N completion chunks, pre-encoded, written as
fast as the socket takes them. We time, in one run and on the same server:
  (a) a raw httpx byte read of the response (the ceiling: no parsing at all),
  (b) Promptpad's CompletionClient.stream(), counting TextDelta events,
  (c) httpx-sse + json.loads per event (the library reference),
and print chunks/s for each and the ratio (b)/(a). Target: (b)/(a) >= 0.8 at N = 50,000.
Best of --repeat runs each, interleaved, so a noisy moment hurts all three alike.

    python bench/stream_throughput.py [--n 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import httpx_sse  # noqa: E402

from app.core.client import CompletionClient, TextDelta  # noqa: E402
from app.core.endpoint import Endpoint, make_http_client  # noqa: E402
from app.core.params import CompletionRequest  # noqa: E402
from bench._server import start_server  # noqa: E402

BODY = {"model": "m", "prompt": "p", "stream": True}


async def raw_read(http: httpx.AsyncClient, url: str) -> tuple[int, int]:
    size = 0
    async with http.stream("POST", url + "/completions", json=BODY) as r:
        async for chunk in r.aiter_bytes():
            size += len(chunk)
    return size, 0


async def promptpad(http: httpx.AsyncClient, url: str) -> tuple[int, int]:
    client = CompletionClient(http, Endpoint(url))
    count = 0
    async for ev in client.stream(CompletionRequest(model="m", prompt="p")):
        if type(ev) is TextDelta:
            count += 1
    return 0, count


async def httpx_sse_read(http: httpx.AsyncClient, url: str) -> tuple[int, int]:
    count = 0
    async with httpx_sse.aconnect_sse(http, "POST", url + "/completions", json=BODY) as es:
        async for sse in es.aiter_sse():
            if sse.data == "[DONE]":
                break
            obj = json.loads(sse.data)
            if obj["choices"][0]["text"]:
                count += 1
    return 0, count


async def main(n: int, repeat: int, url: str) -> dict[str, float]:
    runners = {"raw": raw_read, "promptpad": promptpad, "httpx_sse": httpx_sse_read}
    best = {name: float("inf") for name in runners}
    async with make_http_client() as http:
        for fn in runners.values():  # warm-up: connections, imports, SSL context
            await fn(http, url)
        for _ in range(repeat):
            for name, fn in runners.items():
                t0 = time.perf_counter()
                _, count = await fn(http, url)
                dt = time.perf_counter() - t0
                if name != "raw" and count != n:
                    raise SystemExit(f"{name} saw {count} chunks, expected {n}")
                best[name] = min(best[name], dt)
    return best


def run(n: int, repeat: int) -> None:
    proc, url = start_server("--flood", str(n))
    try:
        best = asyncio.run(main(n, repeat, url))
    finally:
        proc.terminate()
        proc.wait()
    rate = {k: n / v for k, v in best.items()}
    print(f"N = {n:,} chunks, best of {repeat}")
    labels = {
        "raw": "(a) raw httpx byte read",
        "promptpad": "(b) Promptpad stream()",
        "httpx_sse": "(c) httpx-sse + json.loads",
    }
    for key, label in labels.items():
        print(f"  {label:<28} {rate[key]:>10,.0f} chunks/s  ({best[key] * 1000:.0f} ms)")
    print(f"  ratio (b)/(a) = {rate['promptpad'] / rate['raw']:.2f}   (target >= 0.80)")
    print(f"  ratio (b)/(c) = {rate['promptpad'] / rate['httpx_sse']:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    run(a.n, a.repeat)
