"""core.textdiff: a word-level diff that works for Chinese (each CJK character is a token)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.textdiff import Diff, diff, tokenize


def test_tokens_are_words_cjk_characters_spaces_and_punctuation() -> None:
    assert tokenize("今天天气很好, hello wörld42!") == [
        "今", "天", "天", "气", "很", "好", ",", " ", "hello", " ", "wörld42", "!",
    ]  # fmt: skip
    assert tokenize("模型GPT-4o说：好。") == ["模", "型", "GPT", "-", "4o", "说", "：", "好", "。"]
    assert tokenize("a  \n\tb") == ["a", "  \n\t", "b"]


@pytest.mark.parametrize(
    "text", ["", "plain words", "中文没有空格。", "mixed 中英 text\n第二行", "𠀀𠀁 emoji 😀!"]
)
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


def test_english_differs_by_whole_words() -> None:
    d = diff("the quick brown fox", "the slow brown fox")
    assert [(s.kind, s.text) for s in d.segments_a()] == [
        ("equal", "the "),
        ("delete", "quick"),
        ("equal", " brown fox"),
    ]
    assert [(s.kind, s.text) for s in d.segments_b()] == [
        ("equal", "the "),
        ("insert", "slow"),
        ("equal", " brown fox"),
    ]


def test_chinese_differs_by_character_not_by_whole_sentence() -> None:
    a, b = "今天天气很好，我们去公园。", "今天天气不好，我们去图书馆。"
    d = diff(a, b)
    deleted = [s.text for s in d.segments_a() if s.kind == "delete"]
    inserted = [s.text for s in d.segments_b() if s.kind == "insert"]
    assert deleted == ["很", "公园"]
    assert inserted == ["不", "图书馆"]
    # Offsets point into each side's own text, for highlighting.
    for seg in d.segments_a():
        assert a[seg.start : seg.start + len(seg.text)] == seg.text
    for seg in d.segments_b():
        assert b[seg.start : seg.start + len(seg.text)] == seg.text
    assert 0 < d.ratio < 1


def test_each_side_is_rebuilt_from_its_segments() -> None:
    a, b = "Hello 世界, line one\nline two", "Hello 世間, line 1\nline two and more"
    d = diff(a, b)
    assert "".join(s.text for s in d.segments_a()) == a
    assert "".join(s.text for s in d.segments_b()) == b
    assert {s.kind for s in d.segments_a()} <= {"equal", "delete"}
    assert {s.kind for s in d.segments_b()} <= {"equal", "insert"}


def test_edge_cases() -> None:
    assert diff("", "").ratio == 1.0
    assert diff("same 一样", "same 一样").segments_a()[0].kind == "equal"
    only_b = diff("", "新的 text")
    assert only_b.segments_a() == []
    assert [s.kind for s in only_b.segments_b()] == ["insert"]
    assert [o.op for o in diff("a b", "a c b").opcodes] == ["equal", "insert", "equal"]


def _changed(d: Diff) -> list[tuple[str, str]]:
    return [
        (d.a[o.a_start : o.a_end], d.b[o.b_start : o.b_end]) for o in d.opcodes if o.op != "equal"
    ]


def test_long_prose_that_repeats_every_word_still_differs_by_the_changed_words() -> None:
    """No word of a 10,000-word text occurs once (a 310-word vocabulary), so single tokens
    anchor nothing; runs of tokens must, or the whole text would show as replaced."""
    rng = random.Random(7)
    vocab = ["the", "a", "of", "and", "to", "in", "is"] + [f"w{i}" for i in range(303)]
    words = [rng.choice(vocab) for _ in range(10_000)]
    changed = set(rng.sample(range(10_000), 60))
    other = [f"NEW{i}" if i in changed else w for i, w in enumerate(words)]
    d = diff(" ".join(words), " ".join(other))
    assert _changed(d) == [(words[i], f"NEW{i}") for i in sorted(changed)]


def test_long_chinese_with_common_characters_differs_per_changed_character() -> None:
    rng = random.Random(3)
    common = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
    a = "".join(rng.choice(common) for _ in range(20_000))
    at = sorted(rng.sample(range(20_000), 40))
    b = list(a)
    for i in at:
        b[i] = "龘"  # not in the common set: each change is its own
    d = diff(a, "".join(b))
    assert [o.a_start for o in d.opcodes if o.op != "equal"] == at
    assert all(len(x) == 1 and y == "龘" for x, y in _changed(d))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", " ", "的", "很", "\n", "😀", "xy", ","]), max_size=60),
    st.lists(st.sampled_from(["a", "b", " ", "的", "不", "\n", "😀", "xy", "."]), max_size=60),
)
def test_the_segments_always_give_both_texts_back(xs: list[str], ys: list[str]) -> None:
    a, b = "".join(xs), "".join(ys)
    d = diff(a, b)
    assert "".join(s.text for s in d.segments_a()) == a
    assert "".join(s.text for s in d.segments_b()) == b
    for o in d.opcodes:
        if o.op == "equal":
            assert a[o.a_start : o.a_end] == b[o.b_start : o.b_end]
    # A shared first token is matched; so is a shared last one, unless the shared start took it
    # ("的的" against "的": the one 的 can match only once).
    ta, tb = tokenize(a), tokenize(b)
    if ta and tb and ta[0] == tb[0]:
        assert d.opcodes[0].op == "equal"
    same = [x == y for x, y in zip(ta, tb, strict=False)]
    start = same.index(False) if False in same else len(same)
    if ta[start:] and tb[start:] and ta[-1] == tb[-1]:
        assert d.opcodes[-1].op == "equal"
