"""Incremental server-sent-events decoder: bytes in (as the network delivers them), events out.

Follows the WHATWG event-stream rules that matter to completion streams: LF, CRLF and lone-CR
line endings; ``:`` comment lines (keep-alives); ``event:``, ``id:``, ``retry:`` fields;
several ``data:`` lines joined by ``\\n``. Lines are split on bytes and decoded only once whole,
so a UTF-8 character split across network reads is never mangled. Unlike a browser it also
dispatches a last event that lacks its blank line when the stream ends: losing the final words of
a completion to a sloppy relay would be worse than the spec's strictness.
"""

from __future__ import annotations

from typing import NamedTuple


class SSEEvent(NamedTuple):
    """One dispatched event. ``event`` is "message" unless the server named it."""

    event: str
    data: str
    id: str | None = None


class SSEDecoder:
    """Feed it byte chunks; it returns the events they complete."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_pending_cr")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._event = b""
        self._id: str | None = None
        self._pending_cr = False

    @property
    def idle(self) -> bool:
        """True between events: nothing buffered, nothing half-read."""
        return not self._buffer and not self._data and not self._event and not self._pending_cr

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        if self._pending_cr:
            # The previous chunk ended in CR; a LF at our start belongs to that CRLF.
            self._pending_cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        buf = self._buffer + chunk if self._buffer else chunk
        if b"\r" in buf:
            if buf.endswith(b"\r"):
                self._pending_cr = True
            buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = buf.rfind(b"\n")
        if end < 0:
            self._buffer = buf
            return []
        self._buffer = buf[end + 1 :]
        return self._lines(buf[:end].split(b"\n"))

    def close(self) -> list[SSEEvent]:
        """End of stream: process a final unterminated line and dispatch what is pending."""
        lines = [self._buffer] if self._buffer else []
        self._buffer = b""
        events = self._lines(lines)
        if len(self._data) > 1 or (self._data and self._data[0]):
            events.append(self._dispatch())
        return events

    def _lines(self, lines: list[bytes]) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if len(data) > 1 or (data and data[0]):
                    events.append(self._dispatch())
                    data = self._data
                else:  # an empty data buffer dispatches nothing (spec)
                    data.clear()
                    self._event = b""
                continue
            if line[:6] == b"data: ":
                data.append(line[6:])
                continue
            first = line[:1]
            if first == b":":
                continue  # comment / keep-alive
            name, colon, value = line.partition(b":")
            if colon and value[:1] == b" ":
                value = value[1:]
            if name == b"data":
                data.append(value)
            elif name == b"event":
                self._event = value
            elif name == b"id" and b"\0" not in value:
                self._id = value.decode("utf-8", "replace")
            # "retry" and unknown fields are ignored, as the spec says.
        return events

    def _dispatch(self) -> SSEEvent:
        data = self._data
        payload = data[0] if len(data) == 1 else b"\n".join(data)
        event = self._event.decode("utf-8", "replace") if self._event else "message"
        self._data = []
        self._event = b""
        return SSEEvent(event, payload.decode("utf-8", "replace"), self._id)
