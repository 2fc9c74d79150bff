"""Incremental server-sent-events decoder: bytes in (as the network delivers them), events out.

Follows the WHATWG event-stream rules that matter to completion streams: LF, CRLF and lone-CR
line endings; ``:`` comment lines (keep-alives); ``event:``, ``id:``, ``retry:`` fields;
several ``data:`` lines joined by ``\\n``. Lines are split on bytes and decoded only once whole,
so a UTF-8 character split across network reads is never mangled. Unlike a browser it also
dispatches a last event that lacks its blank line when the stream ends: losing the final words of
a completion to a sloppy relay would be worse than the spec's strictness.

A leading UTF-8 byte-order mark is dropped (the spec says so; some relays send one). An unfinished
line is kept as a list of reads, joined once when its line ends, so a line that never ends costs
linear time, not a re-copy of everything so far at every read; a line or event longer than
``max_event`` bytes raises ``SSETooLarge`` instead of filling memory.
"""

from __future__ import annotations

from typing import NamedTuple

BOM = b"\xef\xbb\xbf"
MAX_EVENT = 32 * 1024 * 1024  # a completion chunk is well under 1 MB; a server stuck in a loop


class SSEEvent(NamedTuple):
    """One dispatched event. ``event`` is "message" unless the server named it."""

    event: str
    data: str
    id: str | None = None


class SSETooLarge(ValueError):
    """A line or an event grew past the decoder's ``max_event`` bytes."""


class SSEDecoder:
    """Feed it byte chunks; it returns the events they complete."""

    __slots__ = (
        "_data",
        "_data_size",
        "_event",
        "_id",
        "_pending_cr",
        "_pieces",
        "_size",
        "_start",
        "max_event",
    )

    def __init__(self, max_event: int = MAX_EVENT) -> None:
        self._pieces: list[bytes] = []  # the unfinished line, as it arrived
        self._size = 0
        self._data: list[bytes] = []
        self._data_size = 0
        self._event = b""
        self._id: str | None = None
        self._pending_cr = False
        self._start: bytes | None = b""  # the first bytes while they may be a split BOM
        self.max_event = max_event

    @property
    def idle(self) -> bool:
        """True between events: nothing buffered, nothing half-read."""
        return (
            not self._pieces
            and not self._data
            and not self._event
            and not self._pending_cr
            and not self._start
        )

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        if self._start is not None:
            head = self._start + chunk
            if len(head) < 3 and BOM.startswith(head):
                self._start = head  # maybe a BOM split across reads: wait for more
                return []
            self._start = None  # past the stream's start
            chunk = head[3:] if head.startswith(BOM) else head
        if self._pending_cr:
            # The previous chunk ended in CR; a LF at our start belongs to that CRLF.
            self._pending_cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\n" not in chunk and b"\r" not in chunk:
            if chunk:
                self._pieces.append(chunk)
                self._size += len(chunk)
                if self._size > self.max_event:
                    raise SSETooLarge(f"a line longer than {self.max_event} bytes")
            return []
        if self._pieces:
            self._pieces.append(chunk)
            buf = b"".join(self._pieces)
            self._pieces = []
        else:
            buf = chunk
        if b"\r" in buf:
            if buf.endswith(b"\r"):
                self._pending_cr = True
            buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = buf.rfind(b"\n")
        rest = buf[end + 1 :]
        if rest:
            self._pieces.append(rest)
        self._size = len(rest)
        return self._lines(buf[:end].split(b"\n"))

    def close(self) -> list[SSEEvent]:
        """End of stream: process a final unterminated line and dispatch what is pending."""
        lines = [b"".join(self._pieces)] if self._pieces else []
        if self._start:  # the whole stream was one or two bytes
            lines = [self._start]
        self._pieces = []
        self._size = 0
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
                self._data_size = 0
                continue
            if line[:6] == b"data: ":
                data.append(line[6:])
                self._data_size += len(line)
                if self._data_size > self.max_event:
                    raise SSETooLarge(f"an event larger than {self.max_event} bytes")
                continue
            first = line[:1]
            if first == b":":
                continue  # comment / keep-alive
            name, colon, value = line.partition(b":")
            if colon and value[:1] == b" ":
                value = value[1:]
            if name == b"data":
                data.append(value)
                self._data_size += len(line)
                if self._data_size > self.max_event:
                    raise SSETooLarge(f"an event larger than {self.max_event} bytes")
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
