"""Async client for OpenAI-compatible /v1/completions: stream, complete, list and retrieve models.

It runs on one injected ``httpx.AsyncClient``. ``stream()`` yields typed events as the server
sends them; ``stream_batches()`` yields them one network read at a time (what a UI wants: bounded
work per event-loop turn). Whatever a server sends, the result is events or a typed
``CompletionError`` that carries the HTTP status, the server's own message and the text received
so far. Cancelling the consuming task closes the connection at once.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from app.core.endpoint import Endpoint
from app.core.errors import (
    CompletionError,
    ConfigError,
    NetworkError,
    ProtocolError,
    RequestTimeout,
    error_for_status,
    error_from_stream_object,
    extract_message,
    message_from_json,
    parse_retry_after,
)
from app.core.params import UNSET, CompletionRequest
from app.core.sse import SSEDecoder, SSEEvent
from app.core.transport import RoutingTransport

_MAX_ERROR_BODY = 64 * 1024
# Our own small pool (not the loop's default executor, which qasync implements with QThreads).
_PREPARE_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="promptpad-tls")
_loads = json.loads


# -- events --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """One sampled token with its log probability and the top alternatives."""

    token: str
    logprob: float | None
    top: dict[str, float] = field(default_factory=dict)
    offset: int | None = None


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 3x, and there is one per token
class TextDelta:
    """New text for one choice."""

    index: int
    text: str
    logprobs: list[TokenLogprob] | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    """A choice ended, with the server's reason ("stop", "length", …)."""

    index: int
    reason: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: Usage


@dataclass(frozen=True, slots=True)
class Skipped:
    """A chunk that could not be understood and was skipped (the run goes on)."""

    reason: str
    raw: str


@dataclass
class RunMetrics:
    """Timings of one run, in seconds from the moment the request was sent."""

    ttfb: float | None = None
    ttft: float | None = None
    total: float | None = None
    completion_tokens: int = 0
    tokens_from_usage: bool = False

    @property
    def tokens_per_second(self) -> float | None:
        if self.total is None or self.ttft is None or self.completion_tokens <= 0:
            return None
        span = self.total - self.ttft
        if span <= 0:
            return None
        return self.completion_tokens / span


@dataclass(frozen=True, slots=True)
class RunDone:
    """The last event of every successful run."""

    metrics: RunMetrics
    usage: Usage | None
    finish_reasons: dict[int, str]
    model: str | None
    id: str | None
    system_fingerprint: str | None
    texts: dict[int, str]


Event = TextDelta | Finished | UsageReport | Skipped | RunDone


@dataclass
class Choice:
    index: int
    text: str
    finish_reason: str | None = None
    logprobs: list[TokenLogprob] | None = None


@dataclass
class Completion:
    """A whole (non-streamed) response."""

    choices: list[Choice]
    usage: Usage | None
    model: str | None
    id: str | None
    system_fingerprint: str | None
    metrics: RunMetrics
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return self.choices[0].text if self.choices else ""


@dataclass(frozen=True)
class ModelInfo:
    id: str
    owned_by: str | None = None
    created: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


# -- parsing helpers -----------------------------------------------------------------------------


def parse_logprobs(raw: Any) -> list[TokenLogprob] | None:
    """Legacy completions logprobs ({tokens, token_logprobs, top_logprobs, text_offset})."""
    if not isinstance(raw, dict):
        return None
    tokens = raw.get("tokens")
    if not isinstance(tokens, list):
        return None
    lps = raw.get("token_logprobs") or []
    tops = raw.get("top_logprobs") or []
    offs = raw.get("text_offset") or []
    out: list[TokenLogprob] = []
    for i, tok in enumerate(tokens):
        lp = lps[i] if i < len(lps) else None
        top = tops[i] if i < len(tops) else None
        off = offs[i] if i < len(offs) else None
        out.append(
            TokenLogprob(
                token=str(tok),
                logprob=float(lp) if isinstance(lp, (int, float)) else None,
                top={str(k): float(v) for k, v in top.items() if isinstance(v, (int, float))}
                if isinstance(top, dict)
                else {},
                offset=off if isinstance(off, int) else None,
            )
        )
    return out


def parse_usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None

    def num(key: str) -> int | None:
        v = raw.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    return Usage(num("prompt_tokens"), num("completion_tokens"), num("total_tokens"))


def _choice_text(choice: dict[str, Any]) -> str:
    text = choice.get("text")
    if isinstance(text, str):
        return text
    # Some relays answer /completions in the chat shape; take its content rather than drop it.
    for key in ("delta", "message"):
        part = choice.get(key)
        if isinstance(part, dict) and isinstance(part.get("content"), str):
            return str(part["content"])
    return ""


class _Run:
    """State of one streamed run: texts so far, metadata, metrics; turns chunks into events."""

    __slots__ = (
        "_parts",
        "chunk_count",
        "finish",
        "fingerprint",
        "id",
        "metrics",
        "model",
        "started",
        "url",
        "usage",
    )

    def __init__(self, url: str) -> None:
        self.url = url
        self.started = time.perf_counter()
        self.metrics = RunMetrics()
        self._parts: dict[int, list[str]] = {}
        self.finish: dict[int, str] = {}
        self.usage: Usage | None = None
        self.model: str | None = None
        self.id: str | None = None
        self.fingerprint: str | None = None
        self.chunk_count = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def texts(self) -> dict[int, str]:
        return {i: "".join(parts) for i, parts in self._parts.items()}

    def error(self, exc: CompletionError) -> CompletionError:
        exc.partial = self.texts
        if exc.url is None:
            exc.url = self.url
        return exc

    def chunk(self, data: Any, out: list[Event]) -> None:
        """One decoded JSON object of the stream (or the whole body of a non-stream reply)."""
        if not isinstance(data, dict):
            out.append(Skipped("a chunk that is not a JSON object", json.dumps(data)[:200]))
            return
        if data.get("error") is not None:
            raise self.error(error_from_stream_object(data, self.url))
        if self.id is None:
            self.id = data.get("id") if isinstance(data.get("id"), str) else None
            self.model = data.get("model") if isinstance(data.get("model"), str) else None
        fp = data.get("system_fingerprint")
        if isinstance(fp, str):
            self.fingerprint = fp
        choices = data.get("choices")
        if isinstance(choices, list):
            for choice in choices:
                if isinstance(choice, dict):
                    self._choice(choice, out)
        usage = data.get("usage")
        if usage is not None:
            parsed = parse_usage(usage)
            if parsed is not None:
                self.usage = parsed
                out.append(UsageReport(parsed))

    def _choice(self, choice: dict[str, Any], out: list[Event]) -> None:
        index = choice.get("index", 0)
        if not isinstance(index, int):
            index = 0
        text = _choice_text(choice)
        logprobs = parse_logprobs(choice.get("logprobs"))
        if text or logprobs:
            if text and self.metrics.ttft is None:
                self.metrics.ttft = self.elapsed()
            parts = self._parts.get(index)
            if parts is None:
                self._parts[index] = [text]
            else:
                parts.append(text)
            self.chunk_count += 1
            out.append(TextDelta(index, text, logprobs))
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason:
            self.finish[index] = reason
            out.append(Finished(index, reason))

    def parts_for(self, index: int) -> list[str]:
        parts = self._parts.get(index)
        if parts is None:
            parts = self._parts[index] = []
        return parts

    def done(self) -> RunDone:
        m = self.metrics
        m.total = self.elapsed()
        if self.usage is not None and self.usage.completion_tokens is not None:
            m.completion_tokens = self.usage.completion_tokens
            m.tokens_from_usage = True
        else:
            m.completion_tokens = self.chunk_count  # one streamed chunk ≈ one token
        return RunDone(
            m, self.usage, dict(self.finish), self.model, self.id, self.fingerprint, self.texts
        )


# -- the fast path --------------------------------------------------------------------------------


class _ChunkTemplate:
    """Recognises stream chunks that differ from an already-parsed one only in their text.

    Servers send thousands of reads that are byte-for-byte alike except for the text literal
    (``data: {"id":…,"choices":[{"text":"<here>","index":0,…}]}\\n\\n``). Once ``json.loads``
    has parsed one plain text chunk, a later read with the same bytes before and after the
    literal, and a literal without backslash, quote or line break (so it is one whole event and
    its end quote is the first quote), is the same JSON document with another string: its text is
    read without parsing the JSON again. Anything else takes the full path. This is what keeps
    stream() near raw-read speed (bench/stream_throughput.py).
    """

    __slots__ = ("index", "prefix", "suffix", "plen", "slen")

    def __init__(self) -> None:
        self.prefix = b"\0"  # matches nothing until learn() succeeds
        self.suffix = b""
        self.index = 0
        self.plen = 0
        self.slen = 0

    def learn(self, chunk: bytes, obj: Any) -> None:
        """Remember ``chunk`` (one whole ``data: …\\n\\n`` event) if it is a plain text chunk.

        A chunk that does not qualify leaves the current template alone: it stays valid.
        """
        if not isinstance(obj, dict) or obj.get("usage") is not None or "error" in obj:
            return
        choices = obj.get("choices")
        if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], dict):
            return
        choice = choices[0]
        text, index = choice.get("text"), choice.get("index", 0)
        if not isinstance(text, str) or not text or not isinstance(index, int):
            return
        if choice.get("finish_reason") is not None or choice.get("logprobs") is not None:
            return
        key = chunk.find(b'"text":')
        if key < 0 or chunk.find(b'"text":', key + 1) >= 0:
            return
        start = key + 7
        while chunk[start : start + 1] == b" ":
            start += 1
        if chunk[start : start + 1] != b'"':
            return
        end = chunk.find(b'"', start + 1)
        if end < 0 or chunk[start + 1 : end].decode("utf-8", "replace") != text:
            return  # escapes in the literal: learn from a simpler chunk
        self.prefix, self.suffix = chunk[: start + 1], chunk[end:]
        self.plen, self.slen, self.index = start + 1, len(self.suffix), index


# -- the client ----------------------------------------------------------------------------------


class CompletionClient:
    """Talks to one Endpoint through the injected AsyncClient."""

    def __init__(self, http: httpx.AsyncClient, endpoint: Endpoint) -> None:
        self.http = http
        self.endpoint = endpoint

    # public API ----------------------------------------------------------------------------------

    async def stream(self, request: CompletionRequest) -> AsyncIterator[Event]:
        """Events of a streamed run, ending with RunDone; raises CompletionError."""
        async for batch in self.stream_batches(request):
            for event in batch:
                yield event

    def stream_batches(self, request: CompletionRequest) -> AsyncIterator[list[Event]]:
        """Like stream(), one list of events per network read (bounded work per loop turn).

        Raises InvalidRequest at once, before anything is sent, if the request has problems.
        """
        if request.stream is UNSET or request.stream is False:
            request = _with_stream(request)
        request.validate()
        url = self.endpoint.completions()
        return self._read_stream(url, request.to_body(), _Run(url))

    async def complete(self, request: CompletionRequest) -> Completion:
        """A non-streamed run (``stream`` is sent as false only if the user set it)."""
        if request.stream is True:
            raise ConfigError("complete() is for non-streamed requests; use stream()")
        request.validate()
        url = self.endpoint.completions()
        run = _Run(url)
        async with self._send("POST", url, request.to_body(), run) as response:
            await self._raise_for_status(response, url, run)
            body = await self._read_all(response, run)
        data = self._parse_json_body(body, run)
        events: list[Event] = []
        run.chunk(data, events)
        done = run.done()
        choices = []
        for raw in data.get("choices") or []:
            if isinstance(raw, dict):
                idx = raw.get("index", 0) if isinstance(raw.get("index", 0), int) else 0
                choices.append(
                    Choice(
                        idx,
                        _choice_text(raw),
                        raw.get("finish_reason"),
                        parse_logprobs(raw.get("logprobs")),
                    )
                )
        return Completion(
            choices, done.usage, done.model, done.id, done.system_fingerprint, done.metrics, data
        )

    async def list_models(self) -> list[ModelInfo]:
        data = await self._get_json(self.endpoint.url("models"))
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list):
            # Ollama's native /api/tags shape, or anything with a "models" list.
            items = data.get("models") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProtocolError(
                "the models list has no 'data' array", url=self.endpoint.url("models")
            )
        return [m for m in (_model(item) for item in items) if m is not None]

    async def retrieve_model(self, model_id: str) -> ModelInfo:
        # Ids may hold "/" (llama.cpp uses the model's path); "?", "#" and spaces must not
        # change the URL's meaning.
        url = self.endpoint.url("models/" + quote(model_id, safe="/:@"))
        data = await self._get_json(url)
        model = _model(data)
        if model is None:
            raise ProtocolError("the model object has no 'id'", url=url)
        return model

    # plumbing ------------------------------------------------------------------------------------

    async def _prepare_route(self) -> None:
        route = self.endpoint.route()
        transport = getattr(self.http, "_transport", None)
        if isinstance(transport, RoutingTransport):
            if not transport.has(route):
                # Loading the CA store takes 35-100 ms: in a thread, so a GUI loop never stalls,
                # and before the run's clock starts.
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(_PREPARE_POOL, transport.prepare, route)
        elif route.proxy or not route.verify or route.ca_bundle:
            raise ConfigError("this HTTP client cannot apply per-call proxy or TLS settings")

    def _send(self, method: str, url: str, body: Any, run: _Run) -> _Sending:
        return _Sending(self, method, url, body, run)

    async def _raise_for_status(self, response: httpx.Response, url: str, run: _Run) -> None:
        if response.status_code < 400:
            return
        body = await self._read_all(response, run, limit=_MAX_ERROR_BODY)
        text = body.decode("utf-8", "replace")
        raise run.error(
            error_for_status(
                response.status_code,
                extract_message(text),
                url=url,
                retry_after=parse_retry_after(response.headers.get("retry-after")),
                body=text,
            )
        )

    async def _read_all(
        self, response: httpx.Response, run: _Run, limit: int | None = None
    ) -> bytes:
        parts: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                if run.metrics.ttfb is None:
                    run.metrics.ttfb = run.elapsed()
                parts.append(chunk)
                size += len(chunk)
                if limit is not None and size >= limit:
                    break
        except httpx.HTTPError as exc:
            raise run.error(_transport_error(exc)) from exc
        return b"".join(parts)

    def _parse_json_body(self, body: bytes, run: _Run) -> dict[str, Any]:
        try:
            data = _loads(body)
        except ValueError as exc:
            snippet = extract_message(body.decode("utf-8", "replace"))
            raise run.error(
                ProtocolError(f"the reply is not JSON: {snippet or 'empty body'}")
            ) from exc
        if not isinstance(data, dict):
            raise run.error(ProtocolError("the reply is not a JSON object"))
        return data

    async def _read_stream(self, url: str, body: Any, run: _Run) -> AsyncIterator[list[Event]]:
        # One generator from request to RunDone: each nesting level would cost every token
        # another async hop (bench/stream_throughput.py measures this loop).
        decoder = SSEDecoder()
        tpl = _ChunkTemplate()
        idle = True  # decoder.idle, tracked here: the property is too slow for every token
        head = b""
        mode = ""  # "" until the first non-blank byte tells: "sse" or "json"
        seen = False
        out: list[Event]
        async with self._send("POST", url, body, run) as response:
            await self._raise_for_status(response, url, run)
            # Without a content-encoding, skip httpx's decoder layer (one call less per read).
            encoded = response.headers.get("content-encoding", "identity") != "identity"
            reads = response.aiter_bytes() if encoded else response.aiter_raw()
            tpl_parts: list[str] = []
            try:
                async for chunk in reads:
                    if mode == "sse":
                        # Fast path: a read that matches the template (see _ChunkTemplate).
                        if (
                            idle
                            and chunk.startswith(tpl.prefix)
                            and chunk.endswith(tpl.suffix)
                            and len(chunk) >= tpl.plen + tpl.slen  # no overlap
                        ):
                            lit = chunk[tpl.plen : len(chunk) - tpl.slen]
                            text = None
                            if b'"' not in lit and b"\\" not in lit:
                                if b"\n" not in lit and b"\r" not in lit:
                                    try:
                                        text = lit.decode("utf-8")
                                    except UnicodeDecodeError:
                                        pass
                            else:
                                # Escapes (\n, \", \uXXXX): let the JSON scanner read just the
                                # string; it refuses anything that is not exactly one string.
                                try:
                                    text = _loads(b'"' + lit + b'"')
                                except ValueError:
                                    pass
                            if type(text) is str:
                                # ttft is set: the template came from a parsed text chunk
                                run.chunk_count += 1
                                tpl_parts.append(text)
                                yield [TextDelta(tpl.index, text, None)]
                                continue
                        out = []
                        if (
                            idle
                            and chunk[:6] == b"data: "
                            and chunk.find(b"\n") == len(chunk) - 2
                            and chunk[-1:] == b"\n"
                            and b"\r" not in chunk
                        ):
                            failure = self._decode_one(chunk, run, out, tpl)
                            tpl_parts = run.parts_for(tpl.index)
                        else:
                            events = decoder.feed(chunk)
                            idle = decoder.idle
                            if not events:
                                continue
                            failure = self._decode(events, run, out)
                        seen = True
                        if out:
                            yield out
                        if failure is not None:
                            raise failure
                        continue
                    if not mode:
                        head += chunk
                        stripped = head.lstrip()
                        if not stripped:
                            continue
                        mode = "json" if stripped[:1] in (b"{", b"[") else "sse"
                        if mode == "sse":
                            events = decoder.feed(head)
                            idle = decoder.idle
                            head = b""
                            if events:
                                seen = True
                                out = []
                                failure = self._decode(events, run, out)
                                if out:
                                    yield out
                                if failure is not None:
                                    raise failure
                            continue
                    else:
                        head += chunk  # a plain JSON body: read it whole
                out = []
                if mode == "json":
                    seen = True
                    run.chunk(self._parse_json_body(head, run), out)
                    failure = None
                else:
                    events = decoder.close()
                    seen = seen or bool(events)
                    failure = self._decode(events, run, out)
                if out:
                    yield out
                if failure is not None:
                    raise failure
            except httpx.HTTPError as exc:
                raise run.error(_transport_error(exc)) from exc
        if not seen:
            raise run.error(ProtocolError("the server ended the stream without sending any event"))
        yield [run.done()]

    def _decode_one(
        self, chunk: bytes, run: _Run, out: list[Event], template: _ChunkTemplate
    ) -> CompletionError | None:
        """A read that is one whole plain ``data: …\\n\\n`` event; teaches the template."""
        payload = chunk[6:-2]
        if payload == b"[DONE]":
            return None
        try:
            obj = _loads(payload)
        except ValueError:
            text = payload.decode("utf-8", "replace")
            if text.strip():
                out.append(Skipped("malformed JSON in a stream chunk", text[:200]))
            return None
        try:
            run.chunk(obj, out)
        except CompletionError as exc:
            return exc
        template.learn(chunk, obj)
        return None

    def _decode(
        self, events: list[SSEEvent], run: _Run, out: list[Event]
    ) -> CompletionError | None:
        """Append the events for these SSE events to ``out``; return an in-stream error, if any.

        The error is returned, not raised, so the caller can hand over the text that arrived in
        the same network read before raising it: nothing received is ever lost.
        """
        for ev in events:
            data = ev.data
            if data == "[DONE]":
                continue
            try:
                obj = _loads(data)
            except ValueError:
                if ev.event == "error":
                    return run.error(error_from_stream_object({"error": data}))
                if data.strip():
                    out.append(Skipped("malformed JSON in a stream chunk", data[:200]))
                continue
            if ev.event == "error" and isinstance(obj, dict) and "error" not in obj:
                obj = {"error": obj}
            try:
                run.chunk(obj, out)
            except CompletionError as exc:
                return exc
        return None

    async def _get_json(self, url: str) -> Any:
        run = _Run(url)
        async with self._send("GET", url, None, run) as response:
            await self._raise_for_status(response, url, run)
            body = await self._read_all(response, run)
        try:
            return _loads(body)
        except ValueError as exc:
            text = extract_message(body.decode("utf-8", "replace"))
            raise ProtocolError(f"the reply is not JSON: {text or 'empty body'}", url=url) from exc


def _with_stream(request: CompletionRequest) -> CompletionRequest:
    from dataclasses import replace

    return replace(request, stream=True)


def _model(item: Any) -> ModelInfo | None:
    if isinstance(item, str):
        return ModelInfo(item)
    if not isinstance(item, dict):
        return None
    ident = item.get("id") or item.get("name") or item.get("model")
    if not isinstance(ident, str) or not ident:
        return None
    owned = item.get("owned_by")
    created = item.get("created")
    return ModelInfo(
        ident,
        owned if isinstance(owned, str) else None,
        created if isinstance(created, int) else None,
        item,
    )


def _transport_error(exc: httpx.HTTPError) -> CompletionError:
    url = None
    try:
        url = str(exc.request.url)
    except RuntimeError:
        pass
    if isinstance(exc, httpx.TimeoutException):
        what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        return RequestTimeout(f"timed out while {what}", url=url)
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(
            f"could not connect: {exc}" if str(exc) else "could not connect", url=url
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return NetworkError(f"the connection broke off: {exc}", url=url)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return NetworkError(f"the connection failed: {str(exc) or type(exc).__name__}", url=url)
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(f"the proxy refused: {str(exc) or type(exc).__name__}", url=url)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return ConfigError(str(exc), url=url)
    if isinstance(exc, httpx.DecodingError):
        return ProtocolError(f"could not decode the reply: {exc}", url=url)
    return NetworkError(str(exc) or type(exc).__name__, url=url)


class _Sending:
    """Async context manager: send the request (streamed), map transport errors, always close."""

    def __init__(
        self, client: CompletionClient, method: str, url: str, body: Any, run: _Run
    ) -> None:
        self.client, self.method, self.url, self.body, self.run = client, method, url, body, run
        self.response: httpx.Response | None = None

    async def __aenter__(self) -> httpx.Response:
        ep = self.client.endpoint
        content = None
        headers = ep.request_headers()
        if self.body is not None:
            content = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json", **headers}
        try:
            await self.client._prepare_route()
        except CompletionError as exc:
            raise self.run.error(exc) from None
        try:
            request = self.client.http.build_request(
                self.method,
                self.url,
                content=content,
                headers=headers,
                timeout=ep.timeout(),
                extensions=ep.extensions(),
            )
            self.run.started = time.perf_counter()
            try:
                self.response = await self.client.http.send(request, stream=True)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                # A kept-alive connection the server had already dropped fails before any byte
                # of a response: send once more, on a fresh connection. Anything that reached
                # the response stage is never retried.
                self.response = await self.client.http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self.run.error(_transport_error(exc)) from exc
        except CompletionError as exc:
            raise self.run.error(exc) from None
        if self.run.metrics.ttfb is None:
            self.run.metrics.ttfb = self.run.elapsed()
        return self.response

    async def __aexit__(self, *exc: object) -> None:
        if self.response is not None:
            await self.response.aclose()


__all__ = [
    "Choice",
    "Completion",
    "CompletionClient",
    "Event",
    "Finished",
    "ModelInfo",
    "RunDone",
    "RunMetrics",
    "Skipped",
    "TextDelta",
    "TokenLogprob",
    "Usage",
    "UsageReport",
    "message_from_json",
]
