"""Turning decoded stream chunks into events: the state of one run, and the fast path.

``RunState`` keeps a run's texts, metadata and metrics and turns each JSON chunk into events.
A run that hands its text on as it comes (the CLI writes it out, the window shows and records it)
can ask it not to keep the text: then memory stays flat however long the stream.

Choice indexes outside 0…n-1 of the request are skipped and counted, never used: a server's
``"index": 2147483648`` must not become a Qt int overflow, a tab per index, or a per-index
allocation. ``n`` is what the request asked for, so every choice a sane server sends is kept.
``ChunkTemplate`` lets the client skip ``json.loads`` for chunks that differ from an already
parsed one only in their text (see its docstring).
"""

from __future__ import annotations

import json
import time
from typing import Any

from app.core.errors import CompletionError, error_from_stream_object
from app.core.events import (
    Event,
    Finished,
    RunDone,
    RunMetrics,
    Skipped,
    TextDelta,
    Usage,
    UsageReport,
    choice_text,
    parse_logprobs,
    parse_usage,
)


class RunState:
    """State of one streamed run: texts so far, metadata, metrics; turns chunks into events."""

    __slots__ = (
        "_first_text_read",
        "_parsed_text",
        "_parts",
        "chunk_count",
        "reads",
        "done_seen",
        "keep_text",
        "n",
        "skipped",
        "finish",
        "fingerprint",
        "id",
        "metrics",
        "model",
        "started",
        "url",
        "usage",
    )

    def __init__(self, url: str, *, keep_text: bool = True, n: int = 1) -> None:
        self.url = url
        self.keep_text = keep_text
        self.n = n  # choices 0…n-1 are the request's; any other index is skipped
        self.skipped = 0  # chunks that could not be used (malformed, unknown choice)
        self.done_seen = False  # "data: [DONE]" arrived: whatever follows is ignored
        self.started = time.perf_counter()
        self.metrics = RunMetrics()
        self._parts: dict[int, list[str]] = {}
        self.finish: dict[int, str] = {}
        self.usage: Usage | None = None
        self.model: str | None = None
        self.id: str | None = None
        self.fingerprint: str | None = None
        self.chunk_count = 0
        # For metrics.streamed: the client counts the reads that take the parsing path; a read
        # of the fast path always follows an earlier read with text (its template came from it).
        self.reads = 0
        self._first_text_read = -1
        self._parsed_text = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def texts(self) -> dict[int, str]:
        return {i: "".join(parts) for i, parts in self._parts.items()}

    def error(self, exc: CompletionError) -> CompletionError:
        exc.partial = self.texts
        exc.received = bool(exc.partial) or self.metrics.ttft is not None
        exc.skipped = self.skipped
        if exc.url is None:
            exc.url = self.url
        return exc

    def chunk(self, data: Any, out: list[Event]) -> None:
        """One decoded JSON object of the stream (or the whole body of a non-stream reply)."""
        if not isinstance(data, dict):
            self.skip("a chunk that is not a JSON object", json.dumps(data)[:200], out)
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
        elif not 0 <= index < self.n:
            self.skip(f"a choice index outside 0…{self.n - 1}", str(index)[:40], out)
            return
        text = choice_text(choice)
        logprobs = parse_logprobs(choice.get("logprobs"))
        if text or logprobs:
            if text:
                if self.metrics.ttft is None:
                    self.metrics.ttft = self.elapsed()
                    self._first_text_read = self.reads
                elif self.reads != self._first_text_read:
                    self.metrics.streamed = True
            if self.keep_text:
                parts = self._parts.get(index)
                if parts is None:
                    self._parts[index] = [text]
                else:
                    parts.append(text)
            self.chunk_count += 1
            self._parsed_text += 1
            out.append(TextDelta(index, text, logprobs))
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason:
            self.finish[index] = reason
            out.append(Finished(index, reason))

    def skip(self, reason: str, raw: str, out: list[Event]) -> None:
        """Report a chunk that could not be used (the run goes on; its text may be missing)."""
        self.skipped += 1
        out.append(Skipped(reason, raw))

    def parts_for(self, index: int) -> list[str] | None:
        """The list the fast path appends ``index``'s text to; None when text is not kept."""
        if not self.keep_text:
            return None
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
        if self.chunk_count > self._parsed_text:  # the fast path read some: a later read
            m.streamed = True
        return RunDone(
            m,
            self.usage,
            dict(self.finish),
            self.model,
            self.id,
            self.fingerprint,
            self.texts,
            self.skipped,
        )


class ChunkTemplate:
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

    def learn(self, chunk: bytes, obj: Any, n: int) -> None:
        """Remember ``chunk`` (one whole ``data: …\\n\\n`` event) if it is a plain text chunk
        of a choice below ``n`` (the template's chunks are never checked again).

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
        if not 0 <= index < n:
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
