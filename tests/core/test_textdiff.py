"""core.textdiff: a word-level diff that works for Chinese (each CJK character is a token)."""

from __future__ import annotations

import pytest

from app.core.textdiff import diff, tokenize


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
