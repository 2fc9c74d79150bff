"""Start a loopback server in its own process (its own GIL) and return (process, base_url).

``start_server`` runs ``promptpad_testing.server``; ``start_process`` any command that prints its
base URL as its first line (bench/gui_stream.py serves its own texts that way).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_server(*args: str) -> tuple[subprocess.Popen[str], str]:
    return start_process([sys.executable, "-m", "promptpad_testing.server", *args])


def start_process(argv: list[str], *, stdin: bool = False) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise RuntimeError(f"server did not start: {url!r}")
    return proc, url


def serve_framed(events: list[bytes]) -> None:
    """Be the server process (its own GIL): every POST gets the same pre-framed SSE stream of
    ``events``; print the base URL, serve until the bench closes our stdin."""
    from promptpad_testing.server import Reply, TestServer

    framed = b"".join(b"%x\r\n%s\r\n" % (len(e), e) for e in events)
    reply = Reply(headers=[("Content-Type", "text/event-stream")], framed=framed)
    srv = TestServer()
    srv.handler = lambda req: reply if req.method == "POST" else None
    srv.start()
    print(srv.base_url, flush=True)
    sys.stdin.read()
    srv.stop()
