"""A small OpenAI-compatible HTTP server on loopback that can be told to misbehave.

Used by the tests, the benchmarks, the screenshot script and the bundle's ``--self-test``. It is
real HTTP (stdlib ``http.server``, one thread per connection), so the client under test runs its
real network code. By default it plays a tiny deterministic model; queue a ``Reply`` to make the
next request get exactly the bytes, status, timing or connection reset a test needs.

Run alone: ``python -m promptpad_testing.server --port 8765`` (prints its base URL).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import ssl
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

DEFAULT_TOKENS = ["This", " is", " a", " test", "."]


@dataclass
class Reply:
    """Exactly what to send back: status, headers, body pieces (each flushed on its own)."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    writes: list[bytes] = field(default_factory=list)
    delay: float = 0.0  # seconds to sleep before each write after the first
    chunked: bool = True  # chunked transfer encoding; False = no length, close at the end
    reset: bool = False  # abort the connection (TCP RST) after the writes
    hang: float = 0.0  # seconds to stay silent after the writes (read-timeout tests)
    framed: bytes = b""  # pre-framed chunked body, sent in big socket writes (benchmarks)
    drop: bool = False  # close the connection without any response (a stale keep-alive)
    trickle: float = 0.0  # seconds between single bytes of the status line and headers


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sse(objs: Iterable[Any], *, done: bool = True, crlf: bool = False) -> bytes:
    """An SSE body: one ``data:`` event per object (dicts are JSON-encoded)."""
    nl = b"\r\n" if crlf else b"\n"
    out = []
    for obj in objs:
        data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        out.append(b"data: " + data.encode("utf-8") + nl + nl)
    if done:
        out.append(b"data: [DONE]" + nl + nl)
    return b"".join(out)


def chunk_obj(
    text: str,
    index: int = 0,
    finish: str | None = None,
    *,
    model: str = "mock-1",
    logprobs: Any = None,
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": "cmpl-test",
        "object": "text_completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"text": text, "index": index, "logprobs": logprobs, "finish_reason": finish}],
    }
    if usage is not None:
        obj["usage"] = usage
    return obj


def stream_reply(
    pieces: list[str],
    *,
    finish: str = "stop",
    done: bool = True,
    crlf: bool = False,
    usage: dict[str, int] | None = None,
    delay: float = 0.0,
) -> Reply:
    """A well-formed streamed completion, one write per event."""
    objs = [chunk_obj(p) for p in pieces]
    objs.append(chunk_obj("", finish=finish, usage=usage))
    writes = [sse([o], done=False, crlf=crlf) for o in objs]
    if done:
        writes.append(b"data: [DONE]\r\n\r\n" if crlf else b"data: [DONE]\n\n")
    return Reply(headers=[("Content-Type", "text/event-stream")], writes=writes, delay=delay)


def json_reply(obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Reply(status, [("Content-Type", "application/json"), *(headers or [])], [body])


def text_reply(
    text: str,
    status: int,
    content_type: str = "text/plain",
    headers: list[tuple[str, str]] | None = None,
) -> Reply:
    return Reply(status, [("Content-Type", content_type), *(headers or [])], [text.encode()])


def openai_error(
    message: str,
    status: int,
    etype: str = "invalid_request_error",
    headers: list[tuple[str, str]] | None = None,
) -> Reply:
    return json_reply(
        {"error": {"message": message, "type": etype, "param": None, "code": None}}, status, headers
    )


class MockModel:
    """The default behaviour: a deterministic tiny "model" that honours the common fields."""

    def __init__(self, tokens: list[str] | None = None, models: list[str] | None = None) -> None:
        self.tokens = tokens or list(DEFAULT_TOKENS)
        self.models = models or ["mock-1", "mock-2"]

    def reply(self, req: Recorded) -> Reply:
        path = urlsplit(req.path).path
        if req.method == "GET" and path.endswith("/models"):
            return json_reply(
                {
                    "object": "list",
                    "data": [
                        {
                            "id": m,
                            "object": "model",
                            "created": 1700000000,
                            "owned_by": "promptpad-test",
                        }
                        for m in self.models
                    ],
                }
            )
        if req.method == "GET" and "/models/" in path:
            mid = path.rsplit("/models/", 1)[1]
            if mid not in self.models:
                return openai_error(f"The model '{mid}' does not exist", 404)
            return json_reply(
                {"id": mid, "object": "model", "created": 1700000000, "owned_by": "promptpad-test"}
            )
        if req.method == "POST":  # any path: full-URL overrides point anywhere
            try:
                body = req.json()
            except ValueError:
                return openai_error("We could not parse the JSON body of your request.", 400)
            return self._complete(body)
        return openai_error(f"Invalid URL ({req.method} {path})", 404)

    def _complete(self, body: dict[str, Any]) -> Reply:
        max_tokens = body.get("max_tokens", 16)
        n = body.get("n", 1) or 1
        toks = self.tokens[:max_tokens] if isinstance(max_tokens, int) else self.tokens
        finish = "length" if len(toks) < len(self.tokens) else "stop"
        lp = body.get("logprobs")
        usage = {
            "prompt_tokens": 5,
            "completion_tokens": len(toks) * n,
            "total_tokens": 5 + len(toks) * n,
        }

        def logprobs_for(pieces: list[str], offset: int) -> dict[str, Any] | None:
            if not isinstance(lp, int):
                return None
            return {
                "tokens": pieces,
                "token_logprobs": [-0.5] * len(pieces),
                "top_logprobs": [{p: -0.5, "x": -2.0} for p in pieces],
                "text_offset": list(range(offset, offset + len(pieces))),
            }

        prompt = body.get("prompt", "")
        prefix = prompt if body.get("echo") and isinstance(prompt, str) else ""
        if body.get("stream"):
            objs: list[Any] = []
            for i, tok in enumerate(toks):
                for c in range(n):
                    objs.append(chunk_obj(tok, c, logprobs=logprobs_for([tok], i)))
            for c in range(n):
                objs.append(chunk_obj("", c, finish))
            writes = [sse([o], done=False) for o in objs] + [b"data: [DONE]\n\n"]
            return Reply(headers=[("Content-Type", "text/event-stream")], writes=writes)
        text = prefix + "".join(toks)
        return json_reply(
            {
                "id": "cmpl-test",
                "object": "text_completion",
                "created": 1700000000,
                "model": body.get("model", "mock-1"),
                "system_fingerprint": "fp_test",
                "choices": [
                    {
                        "text": text,
                        "index": c,
                        "logprobs": logprobs_for(toks, 0),
                        "finish_reason": finish,
                    }
                    for c in range(n)
                ],
                "usage": usage,
            }
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def setup(self) -> None:
        super().setup()
        # Without this, header and body writes meet delayed ACKs: 40 ms stalls on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        if "://" in path:  # absolute-form, as sent through an HTTP proxy
            parts = urlsplit(path)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        req = Recorded(self.command, path, {k.lower(): v for k, v in self.headers.items()}, body)
        owner = self.server.owner
        owner.requests.append(req)
        reply = owner.next_reply(req)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        owner = self.server.owner
        if reply.drop:
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        try:
            self.send_response(reply.status)
            names = {k.lower() for k, _ in reply.headers}
            for k, v in reply.headers:
                self.send_header(k, v)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            if reply.trickle:
                # The head one byte at a time (a server that never quite answers): take the
                # bytes http.server buffered for end_headers() and write them ourselves.
                self._headers_buffer.append(b"\r\n")
                head = b"".join(self._headers_buffer)
                self._headers_buffer = []
                for i in range(len(head)):
                    self.wfile.write(head[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle)
            else:
                self.end_headers()
            self.wfile.flush()
            block = 256 * 1024
            for start in range(0, len(reply.framed), block):
                self.wfile.write(reply.framed[start : start + block])
            for i, piece in enumerate(reply.writes):
                if i and reply.delay:
                    time.sleep(reply.delay)
                if reply.chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.wfile.write(piece)
                self.wfile.flush()
            if reply.hang:
                time.sleep(reply.hang)
            if reply.reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.connection.close()
                return
            if reply.chunked:
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            owner.disconnects.append(time.monotonic())
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TestServer


class TestServer:
    """Start with ``with TestServer() as srv:``; ``srv.base_url`` ends in ``/v1``."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        model: MockModel | None = None,
        api_key: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.model = model or MockModel()
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.disconnects: list[float] = []
        self.handler: Callable[[Recorded], Reply | None] | None = None
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self.scheme = "http"
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/v1"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def next_reply(self, req: Recorded) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.api_key is not None:
            auth = req.headers.get("authorization", "")
            if auth != f"Bearer {self.api_key}":
                return openai_error("Incorrect API key provided.", 401, "invalid_request_error")
        if self.handler is not None:
            custom = self.handler(req)
            if custom is not None:
                return custom
        return self.model.reply(req)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def start(self) -> TestServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.02,), daemon=True, name="pp-testserver"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def flood_reply(n: int, text: str = "tok ", every_line: int = 0) -> Reply:
    """N completion chunks, each its own HTTP chunk (as real servers send them), pre-encoded and
    written in 256 KiB socket writes: the socket is the only limit.

    ``every_line`` > 0 puts a newline into every that-many-th token (realistic text).
    """
    frames = []
    for i in range(n + 1):
        if i == n:
            event = sse([chunk_obj("", finish="length")], done=True)
        else:
            t = text + "\n" if every_line and i % every_line == every_line - 1 else text
            event = sse([chunk_obj(t)], done=False)
        frames.append(b"%x\r\n%s\r\n" % (len(event), event))
    return Reply(headers=[("Content-Type", "text/event-stream")], framed=b"".join(frames))


@contextlib.contextmanager
def started(*names: str) -> Iterator[dict[str, TestServer]]:
    """One TestServer per name (e.g. "fast", "slow", "failing", "stalled"), stopped on exit."""
    servers = {n: TestServer().start() for n in names}
    try:
        yield servers
    finally:
        for srv in servers.values():
            srv.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--flood", type=int, default=0, help="answer every completion with N chunks")
    ap.add_argument("--every-line", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0, help="seconds between streamed tokens")
    args = ap.parse_args(argv)
    srv = TestServer(port=args.port)
    if args.flood:
        reply = flood_reply(args.flood, every_line=args.every_line)
        srv.handler = lambda req: reply if req.method == "POST" else None
    elif args.delay:
        tokens = (" The quick brown fox jumps over the lazy dog." * 40).split(" ")
        srv.handler = lambda req: (
            stream_reply([" " + t for t in tokens if t], delay=args.delay)
            if req.method == "POST"
            else None
        )
    srv.start()
    print(srv.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
