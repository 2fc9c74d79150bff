"""Async client for OpenAI-compatible /v1/completions: stream, complete, list and retrieve models.

It runs on one injected ``httpx.AsyncClient``. ``stream()`` yields typed events as the server
sends them; ``stream_batches()`` yields them one network read at a time (what a UI wants: bounded
work per event-loop turn). Whatever a server sends, the result is events or a typed
``CompletionError`` that carries the HTTP status, the server's own message and the text received
so far. Cancelling the consuming task closes the connection at once.

Time: the response head (status line and headers) must arrive within the connect plus the read
timeout of sending, however slowly it trickles in; after that, the read timeout is the longest
wait between two reads of the body, with no limit on the whole run (``sending`` does the one
HTTP exchange; the streaming loop and its decoding are here, on the hot path).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx

from app.core.chunks import ChunkTemplate, RunState
from app.core.endpoint import Endpoint
from app.core.errors import (
    CompletionError,
    ConfigError,
    ProtocolError,
    error_from_stream_object,
    extract_message,
)
from app.core.events import (
    Choice,
    Completion,
    Event,
    Finished,
    ModelInfo,
    RunDone,
    RunMetrics,
    Skipped,
    TextDelta,
    TokenLogprob,
    Usage,
    UsageReport,
    choice_text,
    model_info,
    parse_json,
    parse_logprobs,
)
from app.core.params import UNSET, CompletionRequest
from app.core.sending import Sending, parse_json_body, raise_for_status, read_all
from app.core.sse import BOM, SSEDecoder, SSEEvent, SSETooLarge
from app.core.transport import transport_error

_loads = parse_json  # never json.loads on what a server sent: see events.parse_json


# -- the client ----------------------------------------------------------------------------------


class CompletionClient:
    """Talks to one Endpoint through the injected AsyncClient."""

    def __init__(self, http: httpx.AsyncClient, endpoint: Endpoint) -> None:
        self.http = http
        self.endpoint = endpoint

    # public API ----------------------------------------------------------------------------------

    async def stream(
        self, request: CompletionRequest, *, keep_text: bool = True
    ) -> AsyncIterator[Event]:
        """Events of a streamed run, ending with RunDone; raises CompletionError.

        ``keep_text=False``: the run does not keep the text it hands out (memory stays flat on
        an endless stream); RunDone.texts and an error's ``partial`` are then empty, and
        ``CompletionError.received`` still says whether any text had arrived.
        """
        async for batch in self.stream_batches(request, keep_text=keep_text):
            for event in batch:
                yield event

    def stream_batches(
        self, request: CompletionRequest, *, keep_text: bool = True
    ) -> AsyncIterator[list[Event]]:
        """Like stream(), one list of events per network read (bounded work per loop turn).

        Raises InvalidRequest at once, before anything is sent, if the request has problems.
        """
        if request.stream is UNSET or request.stream is False:
            request = _with_stream(request)
        request.validate()
        url = self.endpoint.completions()
        body = request.to_body()
        run = RunState(url, keep_text=keep_text, n=_choices_asked(body))
        return self._read_stream(url, body, run)

    async def complete(self, request: CompletionRequest) -> Completion:
        """A non-streamed run (``stream`` is sent as false only if the user set it)."""
        if request.stream is True:
            raise ConfigError("complete() is for non-streamed requests; use stream()")
        request.validate()
        url = self.endpoint.completions()
        body = request.to_body()
        run = RunState(url, n=_choices_asked(body))
        async with self._send("POST", url, body, run) as response:
            await raise_for_status(response, url, run)
            reply = await read_all(response, run)
        data = parse_json_body(reply, run)
        events: list[Event] = []
        run.chunk(data, events)
        done = run.done()
        choices = []
        raw_choices = data.get("choices")
        for raw in raw_choices if isinstance(raw_choices, list) else []:
            if isinstance(raw, dict):
                idx = raw.get("index", 0) if isinstance(raw.get("index", 0), int) else 0
                if not 0 <= idx < run.n:
                    continue  # run.chunk() above counted it as skipped
                reason = raw.get("finish_reason")
                choices.append(
                    Choice(
                        idx,
                        choice_text(raw),
                        reason if isinstance(reason, str) and reason else None,
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
        return [m for m in (model_info(item) for item in items) if m is not None]

    async def retrieve_model(self, model_id: str) -> ModelInfo:
        # Ids may hold "/" (llama.cpp uses the model's path); "?", "#" and spaces must not
        # change the URL's meaning.
        url = self.endpoint.url("models/" + quote(model_id, safe="/:@"))
        data = await self._get_json(url)
        model = model_info(data)
        if model is None:
            raise ProtocolError("the model object has no 'id'", url=url)
        return model

    # plumbing ------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, body: Any, run: RunState) -> Sending:
        return Sending(self.http, self.endpoint, method, url, body, run)

    async def _read_stream(self, url: str, body: Any, run: RunState) -> AsyncIterator[list[Event]]:
        # One generator from request to RunDone: each nesting level would cost every token
        # another async hop (bench/stream_throughput.py measures this loop).
        decoder = SSEDecoder()
        tpl = ChunkTemplate()
        idle = True  # decoder.idle, tracked here: the property is too slow for every token
        head = b""
        whole: list[bytes] = []  # a plain JSON body, read whole (joined once: never quadratic)
        mode = ""  # "" until the first non-blank byte tells: "sse" or "json"
        seen = False
        out: list[Event]
        async with self._send("POST", url, body, run) as response:
            await raise_for_status(response, url, run)
            # Without a content-encoding, skip httpx's decoder layer (one call less per read).
            encoded = response.headers.get("content-encoding", "identity") != "identity"
            reads = response.aiter_bytes() if encoded else response.aiter_raw()
            tpl_parts: list[str] | None = None
            try:
                async for chunk in reads:
                    if mode == "sse":
                        # Fast path: a read that matches the template (see chunks.ChunkTemplate).
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
                                if tpl_parts is not None:
                                    tpl_parts.append(text)
                                yield [TextDelta(tpl.index, text, None)]
                                continue
                        run.reads += 1
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
                        if run.done_seen:
                            break  # whatever follows "data: [DONE]" is not read
                        continue
                    if not mode:
                        head += chunk  # only until the first non-blank byte: a few bytes
                        stripped = head.lstrip()
                        if stripped.startswith(BOM):  # a UTF-8 byte-order mark: not content
                            stripped = stripped[3:].lstrip()
                        elif BOM.startswith(stripped):
                            continue  # nothing yet, or a BOM split across reads
                        if not stripped:
                            continue
                        mode = "json" if stripped[:1] in (b"{", b"[") else "sse"
                        if mode == "sse":
                            events = decoder.feed(stripped)
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
                                if run.done_seen:
                                    break
                            continue
                        whole.append(stripped)
                    else:
                        whole.append(chunk)  # a plain JSON body: read it whole
                out = []
                if mode == "json":
                    seen = True
                    run.chunk(parse_json_body(b"".join(whole), run), out)
                    failure = None
                elif run.done_seen:
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
                raise run.error(transport_error(exc)) from exc
            except SSETooLarge as exc:
                raise run.error(ProtocolError(str(exc))) from None
        if not seen:
            raise run.error(ProtocolError("the server ended the stream without sending any event"))
        yield [run.done()]

    def _decode_one(
        self, chunk: bytes, run: RunState, out: list[Event], template: ChunkTemplate
    ) -> CompletionError | None:
        """A read that is one whole plain ``data: …\\n\\n`` event; teaches the template."""
        payload = chunk[6:-2]
        if payload == b"[DONE]":
            run.done_seen = True
            return None
        try:
            obj = _loads(payload)
        except ValueError:
            text = payload.decode("utf-8", "replace")
            if text.strip():
                run.skip("malformed JSON in a stream chunk", text[:200], out)
            return None
        try:
            run.chunk(obj, out)
        except CompletionError as exc:
            return exc
        template.learn(chunk, obj, run.n)
        return None

    def _decode(
        self, events: list[SSEEvent], run: RunState, out: list[Event]
    ) -> CompletionError | None:
        """Append the events for these SSE events to ``out``; return an in-stream error, if any.

        The error is returned, not raised, so the caller can hand over the text that arrived in
        the same network read before raising it: nothing received is ever lost.
        """
        for ev in events:
            data = ev.data
            if data == "[DONE]":
                run.done_seen = True
                return None  # the end: events after it in the same read are ignored
            try:
                obj = _loads(data)
            except ValueError:
                if ev.event == "error":
                    return run.error(error_from_stream_object({"error": data[:1000]}))
                if data.strip():
                    run.skip("malformed JSON in a stream chunk", data[:200], out)
                continue
            if ev.event == "error" and isinstance(obj, dict) and "error" not in obj:
                obj = {"error": obj}
            try:
                run.chunk(obj, out)
            except CompletionError as exc:
                return exc
        return None

    async def _get_json(self, url: str) -> Any:
        run = RunState(url)
        async with self._send("GET", url, None, run) as response:
            await raise_for_status(response, url, run)
            body = await read_all(response, run)
        try:
            return _loads(body)
        except ValueError as exc:
            text = extract_message(body.decode("utf-8", "replace"))
            raise ProtocolError(f"the reply is not JSON: {text or 'empty body'}", url=url) from exc


def _choices_asked(body: dict[str, Any]) -> int:
    """The n the server was asked for (``extra`` may have set it): the valid choice indexes."""
    n = body.get("n")
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 1 else 1


def _with_stream(request: CompletionRequest) -> CompletionRequest:
    from dataclasses import replace

    return replace(request, stream=True)


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
]
