"""Plain-text helpers of OutputView's display blocks: Qt lengths and where long paragraphs split.

Pure Python (no Qt): a paragraph longer than SOFT_LIMIT is shown as several display blocks, cut
at SEPARATOR (QTextDocument's block separator); short lines share a display block, joined by
LINE_SEPARATOR, until it holds LINE_GROUP units. Lengths and positions are Qt's (UTF-16 code
units). See output_view.py for why.
"""

from __future__ import annotations

SOFT_LIMIT = 4096  # Qt units in a display block before the tail is split off (~1-2 ms layout)
SEPARATOR = "\u2029"
# Qt keeps per display block, once it has been laid out (shown), a shaping buffer as large as the
# block's longest line: ~4 KB for a 48-character line of its own, whatever the block holds.
# Short lines joined by a line separator (a line break inside the block, the same on screen, "\n"
# in the text) share one: ~350 B a line for 20 lines (bench/stream_memory.py). A group stays short
# enough that a streamed insert, which lays its block out again, stays cheap.
LINE_SEPARATOR = "\u2028"
LINE_GROUP = 512  # Qt units of short lines in one display block before a real block break
# Text at least this long (and a view-ful) arriving at once starts a display block of its own,
# so the tail it would have grown is not laid out again (OutputView._break_for_torrent).
TORRENT_MIN = 512


def group_lines(text: str, used: int, limit: int = LINE_GROUP) -> str:
    """``text`` with its line breaks as LINE_SEPARATOR, except where the display block it goes
    into (``used`` units in already) reaches ``limit``: there a real "\n" starts the next."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    used += len(lines[0])
    for line in lines[1:]:
        if used >= limit:
            out.append("\n")
            used = 0
        else:
            out.append(LINE_SEPARATOR)
            used += 1
        out.append(line)
        used += len(line)
    return "".join(out)


def display_text(text: str) -> tuple[str, list[int]]:
    """``text`` with paragraphs longer than SOFT_LIMIT cut into display blocks (a SEPARATOR at
    each cut), short ones grouped (``group_lines``), and the Qt positions of the cuts."""
    pieces: list[str] = []
    soft: list[int] = []
    pos = 0
    used = 0  # units in the current display block
    for i, para in enumerate(text.split("\n")):
        if i:  # a real break when the block is full or a long paragraph starts (its own)
            real = used >= LINE_GROUP or len(para) > SOFT_LIMIT
            pieces.append("\n" if real else LINE_SEPARATOR)
            used = 0 if real else used + 1
            pos += 1
        last = 0
        for at in soft_split_points(para):
            chunk = para[last:at]
            pieces.append(chunk)
            pos += qt_len(chunk)
            pieces.append(SEPARATOR)
            soft.append(pos)
            pos += 1
            last = at
            used = 0
        chunk = para[last:]
        pieces.append(chunk)
        pos += qt_len(chunk)
        used += len(chunk)
    return "".join(pieces), soft


def plain_chars(text: str) -> str:
    """Document text as plain text: line separators as "\n", non-breaking spaces as " " (as
    QPlainTextEdit.toPlainText gives them)."""
    if LINE_SEPARATOR in text or "\xa0" in text:
        return text.replace(LINE_SEPARATOR, "\n").replace("\xa0", " ")
    return text


def qt_len(text: str) -> int:
    """Length of ``text`` in Qt positions (UTF-16 code units)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def py_index(text: str, units: int) -> int:
    """The index into ``text`` of the character ``units`` UTF-16 code units in."""
    if text.isascii():
        return units
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def soft_split_points(text: str, limit: int = SOFT_LIMIT) -> list[int]:
    """Indices where a paragraph longer than ``limit`` can be broken into display blocks: after
    a space near each ``limit`` characters, or at ``limit`` when there is none (no layout here:
    used for text set in one go, whose lines are not laid out yet)."""
    points: list[int] = []
    start = 0
    while len(text) - start > limit:
        at = start + limit
        space = text.rfind(" ", at - 256, at)
        if space > start:
            at = space + 1
        points.append(at)
        start = at
    return points
