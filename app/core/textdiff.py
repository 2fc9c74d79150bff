"""A word-level diff of two outputs, for Chinese and Japanese text too (they have no spaces).

Tokens: each CJK character (ideographs, kana, hangul, CJK punctuation) is a token of its own, a
run of other letters or digits is a word, and every whitespace run and every other character
(punctuation, symbols) is a token of its own. A patience diff (see ``diff``) then matches tokens,
so "the quick fox" vs "the slow fox" differs in one word and "今天天气很好" vs "今天天气不好" in
one character. Segments carry character offsets into each text, so a view can highlight both.
"""

from __future__ import annotations

import bisect
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


#: A stretch with no token unique to it on both sides is matched exhaustively (difflib, which
#: looks at every pair of equal tokens) only up to this many token pairs; a larger one is shown
#: as replaced. Such stretches are rare (a long run of the same few tokens, changed inside).
EXACT_PAIRS: Final = 40_000
#: Anchor lengths tried in turn, in tokens (a word and its space are two).
ANCHOR_RUNS: Final = (1, 3, 7, 15)


def diff(a: str, b: str) -> Diff:
    """The word-level diff of ``a`` (the old side) and ``b`` (the new side).

    Patience diff over tokens: the common head and tail are cut off, tokens that occur once in
    each side anchor the match (their longest increasing run), and the stretches between anchors
    are diffed the same way, down to small ones that difflib matches exactly. Where no single
    token is unique (long prose repeats its words), runs of 3, 7, 15 tokens anchor instead.
    difflib alone is quadratic in repeated tokens (every space, every "的"): 15 s for a
    50,000-character pair, where this takes about 10 ms (bench/diff_long.py).
    """
    ta, tb = tokenize(a), tokenize(b)
    # Offsets of every token boundary, so token ranges become character ranges.
    pa, pb = _offsets(ta), _offsets(tb)
    ops = [
        Opcode(tag, pa[i1], pa[i2], pb[j1], pb[j2])
        for tag, i1, i2, j1, j2 in _opcodes(_matches(ta, tb), len(ta), len(tb))
    ]
    return Diff(a, b, ops)


def _matches(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of tokens matched between ``a`` and ``b``, increasing in both."""
    pairs: list[tuple[int, int]] = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            pairs.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            pairs.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        # Single tokens first; where none is unique (prose repeats its words), runs of tokens.
        for k in ANCHOR_RUNS:
            anchors = _anchors(a, b, alo, ahi, blo, bhi, k)
            if anchors:
                break
        if anchors:
            i0, j0 = alo, blo
            for i, j in anchors:
                todo.append((i0, i, j0, j))
                pairs.extend((i + n, j + n) for n in range(k))
                i0, j0 = i + k, j + k
            todo.append((i0, ahi, j0, bhi))
        elif (ahi - alo) * (bhi - blo) <= EXACT_PAIRS:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            for i, j, n in matcher.get_matching_blocks():
                pairs.extend((alo + i + k, blo + j + k) for k in range(n))
    pairs.sort()
    return pairs


def _anchors(
    a: list[str], b: list[str], alo: int, ahi: int, blo: int, bhi: int, k: int
) -> list[tuple[int, int]]:
    """The longest increasing run of ``k``-token runs that occur exactly once in a[alo:ahi] and
    once in b[blo:bhi], as (i, j) where each starts, none overlapping the next."""

    def once(seq: list[str], lo: int, hi: int) -> dict[tuple[str, ...], int]:
        at: dict[tuple[str, ...], int] = {}
        twice: set[tuple[str, ...]] = set()
        for i in range(lo, hi - k + 1):
            key = tuple(seq[i : i + k])
            if key in at:
                twice.add(key)
            at[key] = i
        for key in twice:
            del at[key]
        return at

    once_a = once(a, alo, ahi)
    once_b = once(b, blo, bhi)
    common = sorted((i, once_b[key]) for key, i in once_a.items() if key in once_b)
    if not common:
        return []
    # Patience sorting: the longest run of common pairs increasing in j too.
    tails: list[int] = []  # j of the last pair of the best run of each length
    ends: list[int] = []  # index in common of that pair
    back = [-1] * len(common)
    for n, (_i, j) in enumerate(common):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            ends.append(n)
        else:
            tails[length], ends[length] = j, n
        back[n] = ends[length - 1] if length else -1
    run: list[tuple[int, int]] = []
    n = ends[-1]
    while n >= 0:
        run.append(common[n])
        n = back[n]
    run.reverse()
    if k == 1:
        return run
    kept: list[tuple[int, int]] = []
    for i, j in run:
        if not kept or (i >= kept[-1][0] + k and j >= kept[-1][1] + k):
            kept.append((i, j))
    return kept


def _opcodes(pairs: list[tuple[int, int]], na: int, nb: int) -> list[tuple[Op, int, int, int, int]]:
    """difflib-style opcodes from matched pairs."""
    out: list[tuple[Op, int, int, int, int]] = []
    i = j = 0
    k = 0
    while k <= len(pairs):
        mi, mj = pairs[k] if k < len(pairs) else (na, nb)
        if i < mi or j < mj:
            tag: Op = "replace" if i < mi and j < mj else ("delete" if i < mi else "insert")
            out.append((tag, i, mi, j, mj))
        if k == len(pairs):
            break
        n = 1
        while k + n < len(pairs) and pairs[k + n] == (mi + n, mj + n):
            n += 1
        out.append(("equal", mi, mi + n, mj, mj + n))
        i, j = mi + n, mj + n
        k += n
    return out


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out
