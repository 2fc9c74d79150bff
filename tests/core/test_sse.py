"""The SSE decoder, byte by byte: every line ending, field and split the wire can produce."""

from __future__ import annotations

import pytest

from app.core.sse import SSEDecoder, SSEEvent


def decode(*chunks: bytes, close: bool = True) -> list[SSEEvent]:
    d = SSEDecoder()
    out: list[SSEEvent] = []
    for c in chunks:
        out += d.feed(c)
    if close:
        out += d.close()
    return out


def test_lf_events() -> None:
    assert decode(b"data: a\n\ndata: b\n\n") == [SSEEvent("message", "a"), SSEEvent("message", "b")]


def test_crlf_and_lone_cr_line_endings() -> None:
    assert [e.data for e in decode(b"data: a\r\n\r\ndata: b\r\rdata: c\n\n")] == ["a", "b", "c"]


def test_crlf_split_between_reads_is_one_line_ending() -> None:
    # "data: a\r" | "\ndata: b\r\n\r\n" must stay ONE event with two data lines.
    events = decode(b"data: a\r", b"\ndata: b\r\n\r\n")
    assert [e.data for e in events] == ["a\nb"]


def test_comments_and_keepalives_are_ignored() -> None:
    events = decode(b": keep-alive\n\n:ping\ndata: x\n\n: bye\n\n")
    assert [e.data for e in events] == ["x"]


def test_event_and_id_fields() -> None:
    (ev,) = decode(b"event: completion\nid: 7\nretry: 100\ndata: {}\n\n")
    assert ev == SSEEvent("completion", "{}", "7")


def test_event_name_resets_after_dispatch() -> None:
    events = decode(b"event: error\ndata: 1\n\ndata: 2\n\n")
    assert [e.event for e in events] == ["error", "message"]


def test_multiline_data_joined_with_newline() -> None:
    (ev,) = decode(b'data: {"a":\ndata: 1}\n\n')
    assert ev.data == '{"a":\n1}'


def test_data_without_space_and_empty_data() -> None:
    assert [e.data for e in decode(b"data:x\n\ndata\n\n")] == ["x"]  # empty data: no event


def test_utf8_split_at_every_byte_boundary() -> None:
    raw = 'data: {"text": "你好，世界 🌍"}\n\n'.encode()
    for cut in range(1, len(raw)):
        (ev,) = decode(raw[:cut], raw[cut:])
        assert ev.data == '{"text": "你好，世界 🌍"}', cut


def test_one_byte_at_a_time() -> None:
    raw = "data: 一\r\n\r\nevent: e\r\ndata: 二\r\n\r\n".encode()
    events = decode(*(raw[i : i + 1] for i in range(len(raw))))
    assert events == [SSEEvent("message", "一"), SSEEvent("e", "二")]


def test_unterminated_last_event_is_dispatched_at_close() -> None:
    assert [e.data for e in decode(b"data: a\n\ndata: tail")] == ["a", "tail"]
    assert [e.data for e in decode(b"data: a\n\ndata: tail\n")] == ["a", "tail"]


def test_nothing_dispatched_before_blank_line() -> None:
    assert decode(b"data: a\n", close=False) == []


@pytest.mark.parametrize("junk", [b"\xff\xfe data: x\n\n", b"data: \xff\n\n"])
def test_invalid_utf8_never_raises(junk: bytes) -> None:
    decode(junk)


@pytest.mark.parametrize("split", range(0, 8))
def test_leading_bom_is_dropped_wherever_the_reads_split(split: int) -> None:
    stream = b"\xef\xbb\xbfdata: first\n\ndata: second\n\n"
    chunks = [stream[:split], stream[split:]] if split else [stream]
    assert [e.data for e in decode(*chunks)] == ["first", "second"]


def test_a_bom_later_in_the_stream_is_content() -> None:
    # Only the stream's first bytes may be a BOM (spec); later it belongs to the line.
    assert [e.data for e in decode(b"data: a\n\n", b"\xef\xbb\xbfdata: b\n\n")] == ["a"]


def test_a_one_byte_stream_is_not_lost() -> None:
    assert decode(b"\xef") == []
    assert decode(b"\xef\xbb") == []


def test_endless_line_costs_linear_time() -> None:
    # 24 MiB in 300,000 reads of 80 bytes: re-joining the buffer at every read would copy
    # ~3.6 TB (hours); kept as a list of reads it is joined once. (pytest-timeout ends it.)
    d = SSEDecoder()
    piece = b"x" * 80
    assert d.feed(b"data: ") == []
    for _ in range(300_000):
        assert d.feed(piece) == []
    events = d.feed(b"\n\n")
    assert len(events) == 1
    assert len(events[0].data) == 80 * 300_000


def test_line_and_event_size_are_bounded() -> None:
    from app.core.sse import SSETooLarge

    d = SSEDecoder(max_event=1000)
    d.feed(b"data: " + b"x" * 900)
    with pytest.raises(SSETooLarge):
        d.feed(b"x" * 200)
    d = SSEDecoder(max_event=1000)
    for _ in range(62):  # many short data lines (16 bytes each), never a blank line
        d.feed(b"data: 0123456789\n")
    with pytest.raises(SSETooLarge):
        d.feed(b"data: 0123456789\n")
