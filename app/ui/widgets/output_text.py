"""Plain-text helpers of OutputView's display blocks: Qt lengths and where long paragraphs split.

Pure Python (no Qt): a paragraph longer than SOFT_LIMIT is shown as several display blocks, cut
at SEPARATOR (QTextDocument's block separator); lengths and positions are Qt's (UTF-16 code
units). See output_view.py for why.
"""

from __future__ import annotations

SOFT_LIMIT = 4096  # Qt units in a display block before the tail is split off (~1-2 ms layout)
SEPARATOR = "\u2029"


def display_text(text: str) -> tuple[str, list[int]]:
    """``text`` with paragraphs longer than SOFT_LIMIT cut into display blocks (a SEPARATOR at
    each cut), and the Qt positions of those cuts."""
    pieces: list[str] = []
    soft: list[int] = []
    pos = 0
    for i, para in enumerate(text.split("\n")):
        if i:
            pieces.append("\n")
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
        chunk = para[last:]
        pieces.append(chunk)
        pos += qt_len(chunk)
    return "".join(pieces), soft


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
