"""A word-level diff of two outputs, for Chinese and Japanese text too (they have no spaces).

Tokens: each CJK character (ideographs, kana, hangul, CJK punctuation) is a token of its own, a
run of other letters or digits is a word, and every whitespace run and every other character
(punctuation, symbols) is a token of its own. ``difflib.SequenceMatcher`` then matches tokens,
so "the quick fox" vs "the slow fox" differs in one word and "今天天气很好" vs "今天天气不好" in
one character. Segments carry character offsets into each text, so a view can highlight both.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Final, Literal

# CJK ideographs (with extensions A and beyond), kana, hangul, CJK symbols and full-width forms.
_CJK: Final = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_TOKEN: Final = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|.", re.DOTALL)

Op = Literal["equal", "insert", "delete", "replace"]


def tokenize(text: str) -> list[str]:
    """The tokens of ``text``; joined they give ``text`` back."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Opcode:
    """One span: ``op`` and the character ranges [a_start, a_end) in A and [b_start, b_end) in B."""

    op: Op
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class Segment:
    """A piece of one side's text: "equal", or "delete" (only in A) / "insert" (only in B)."""

    kind: Literal["equal", "insert", "delete"]
    text: str
    start: int  # character offset in that side's text


@dataclass(frozen=True)
class Diff:
    a: str
    b: str
    opcodes: list[Opcode]

    def segments_a(self) -> list[Segment]:
        """A's text cut into equal and deleted (A only) pieces, in order."""
        return [
            Segment(
                "equal" if o.op == "equal" else "delete", self.a[o.a_start : o.a_end], o.a_start
            )
            for o in self.opcodes
            if o.a_end > o.a_start
        ]

    def segments_b(self) -> list[Segment]:
        """B's text cut into equal and inserted (B only) pieces, in order."""
        return [
            Segment(
                "equal" if o.op == "equal" else "insert", self.b[o.b_start : o.b_end], o.b_start
            )
            for o in self.opcodes
            if o.b_end > o.b_start
        ]

    @property
    def ratio(self) -> float:
        """How much of the two texts is shared, 0..1 (by characters)."""
        total = len(self.a) + len(self.b)
        same = sum(o.a_end - o.a_start for o in self.opcodes if o.op == "equal")
        return 1.0 if total == 0 else 2 * same / total


def diff(a: str, b: str) -> Diff:
    """The word-level diff of ``a`` (the old side) and ``b`` (the new side)."""
    ta, tb = tokenize(a), tokenize(b)
    # Offsets of every token boundary, so token ranges become character ranges.
    pa, pb = _offsets(ta), _offsets(tb)
    # autojunk off: in long outputs, common tokens (spaces, "的") must still be matched.
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    ops = [
        Opcode(tag, pa[i1], pa[i2], pb[j1], pb[j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return Diff(a, b, ops)


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out
