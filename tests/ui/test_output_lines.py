"""OutputView's line groups: short lines share a display block (Qt's per-block memory), and the
user never sees it: the text, copy, the scroll bar and triple-click are as with a block a line.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.ui.widgets.editor import PromptEdit
from app.ui.widgets.output_text import (
    LINE_GROUP,
    LINE_SEPARATOR,
    SOFT_LIMIT,
    display_text,
    group_lines,
)
from app.ui.widgets.output_view import OutputView
from tests.ui.test_output_view import shown, stream

LINES = [f"line {i}: " + "words and more words"[: i % 21] for i in range(400)]
TEXT = "\n".join(LINES)


def measured(qtbot: QtBot, view: OutputView) -> None:
    qtbot.waitUntil(lambda: view._measure_at is None and not view.has_pending_work())


# the rule, without Qt ---------------------------------------------------------------------------


def test_group_lines_keeps_the_length_and_breaks_a_block_at_the_limit() -> None:
    out = group_lines(TEXT, 0, 100)
    assert len(out) == len(TEXT)
    assert out.replace(LINE_SEPARATOR, "\n") == TEXT
    blocks = out.split("\n")
    assert len(blocks) > 1
    assert all(len(b) < 100 + 40 for b in blocks)  # a block ends at the first break past 100
    assert all(len(b) >= 100 for b in blocks[:-1])
    assert group_lines("no break", 5, 10) == "no break"
    assert group_lines("a\nb", 200, 100) == "a\nb"  # the block is full already


@pytest.mark.parametrize("text", [TEXT, "x" * (SOFT_LIMIT * 3) + "\n" + TEXT, "\n\n\n", ""])
def test_display_text_groups_short_lines_and_keeps_long_ones_apart(text: str) -> None:
    out, soft = display_text(text)
    kept = list(out)
    for s in reversed(soft):
        del kept[s]
    assert "".join(kept).replace(LINE_SEPARATOR, "\n").replace("\u2029", "") == text
    blocks = out.replace("\u2029", "\n").split("\n")
    assert all(len(b) <= SOFT_LIMIT + LINE_GROUP for b in blocks)


# the view ----------------------------------------------------------------------------------------


def test_streamed_lines_share_display_blocks_and_the_text_is_exact(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    stream(view, [line + "\n" for line in LINES])
    assert view.toPlainText() == TEXT + "\n"
    # a block a line (what Qt keeps ~4 KB of shaping memory for, per block shown) would be 401
    assert view.document().blockCount() <= len(TEXT) // LINE_GROUP + 2
    cur = view.textCursor()
    cur.setPosition(3)
    cur.setPosition(60, cur.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    view.copy()
    assert QGuiApplication.clipboard().text() == (TEXT + "\n")[3:60]
    assert "\n" in QGuiApplication.clipboard().text()


def test_the_scroll_bar_counts_every_line_as_a_block_a_line_would(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    plain = shown(qtbot, QPlainTextEdit())  # Qt's own: every line a block of its own
    for v in (view, plain):
        v.resize(300, 200)  # narrow: some lines wrap, and the width change forgets counts
    view.setPlainText(TEXT)
    plain.setPlainText(TEXT)
    measured(qtbot, view)
    qtbot.waitUntil(
        lambda: view.verticalScrollBar().maximum() == plain.verticalScrollBar().maximum()
    )
    assert view.verticalScrollBar().maximum() > len(LINES) // 2
    view.resize(500, 200)  # wider: fewer wrapped lines, counted again
    plain.resize(500, 200)
    measured(qtbot, view)
    qtbot.waitUntil(
        lambda: view.verticalScrollBar().maximum() == plain.verticalScrollBar().maximum()
    )


def test_a_scrolled_up_view_stays_on_its_line_while_output_goes_on(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    view.setPlainText(TEXT)
    measured(qtbot, view)
    view.verticalScrollBar().setValue(100)
    top = view.cursorForPosition(QPoint(4, 4)).position()
    stream(view, [f"\nmore {i}" for i in range(300)])
    measured(qtbot, view)
    assert view.verticalScrollBar().value() == 100
    assert view.cursorForPosition(QPoint(4, 4)).position() == top


@pytest.mark.parametrize("kind", [OutputView, PromptEdit])
def test_triple_click_selects_the_line_not_the_group(qtbot: QtBot, kind: type) -> None:
    view = shown(qtbot, kind())
    view.setPlainText(TEXT)
    measured(qtbot, view)
    view.verticalScrollBar().setValue(0)
    line = 3
    start = sum(len(s) + 1 for s in LINES[:line])
    cur = view.textCursor()
    cur.setPosition(start + 2)
    point = view.cursorRect(cur).center()
    vp = view.viewport()
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=point)
    sel = view.textCursor()
    assert view.text_between(sel.selectionStart(), sel.selectionEnd()) == LINES[line] + "\n"


def test_triple_click_selects_a_long_paragraph_across_its_display_blocks(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    long = "word " * (SOFT_LIMIT // 2)  # ~2.5 display blocks
    view.setPlainText("before\n" + long + "\nafter")
    measured(qtbot, view)
    assert view.soft_breaks()
    start, end = view.line_bounds(view.soft_breaks()[0] + 5)
    assert view.text_between(start, end) == long


# a view-ful at once: a display block of its own ------------------------------------------------


def frames(view: OutputView, qapp: object, texts: list[str]) -> None:
    """Stream ``texts`` a frame at a time, the event loop (paints) running in between."""
    view.begin_output()
    for text in texts:
        view.append_output(text)
        view.flush()
        qapp.processEvents()  # type: ignore[attr-defined]
    view.end_output()
    view.flush()


@pytest.mark.parametrize("word", ["tok ", "字", "tok\n"])
def test_a_viewful_at_a_time_is_laid_out_once_and_looks_the_same(
    qtbot: QtBot, qapp: object, word: str
) -> None:
    """Eight compare columns each get a view-ful a frame. Each goes into a display block of its
    own, split off at the start of a visual line, so the tail above (off screen) is not laid
    out again; its line count is still exact, and the text and the wrapping are unchanged."""
    texts = [word * 800 for _ in range(12)]
    view, real = streamed_beside_plain(qtbot, qapp, texts, read_only=False)
    doc = view.document()
    assert view.toPlainText() == "".join(texts)
    # laid out: what was on screen at some time (the first frame's text, the end), not every
    # block streamed past (the original tail was laid out again on every frame)
    first, last = len(texts[0]) + 2, doc.blockCount() - 2
    laid = [b for b in _blocks(view) if b.layout().lineCount() > 0]
    between = [b.blockNumber() for b in laid if b.position() > first and b.blockNumber() < last]
    assert not between, (str(between), doc.blockCount())
    # the scroll bar's count of lines not laid out: exact for a paragraph's old tails, an
    # estimate for lines streamed past (one a block, Qt's own count, is thousands short) ...
    if "\n" in word:
        assert abs(doc.lineCount() - real) <= real // 100
    else:
        assert doc.lineCount() == real
    # ... and once every block is laid out, exactly Qt's own: no line was cut short by a break
    for b in _blocks(view):
        doc.documentLayout().blockBoundingRect(b)
    assert doc.lineCount() == real
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()


def streamed_beside_plain(
    qtbot: QtBot, qapp: object, texts: list[str], *, read_only: bool
) -> tuple[OutputView, int]:
    """An OutputView 200 × 280 with ``texts`` streamed into it a frame each, and the line count
    of the same text in a plain QPlainTextEdit of that size (every block laid out)."""
    plain = shown(qtbot, QPlainTextEdit())
    plain.resize(200, 280)
    plain.setPlainText("".join(texts))
    qapp.processEvents()  # type: ignore[attr-defined]  # (its scroll bar appears)
    for b in _blocks(plain):
        plain.document().documentLayout().blockBoundingRect(b)
    view = shown(qtbot, OutputView())
    view.setReadOnly(read_only)
    view.resize(200, 280)
    qapp.processEvents()  # type: ignore[attr-defined]
    frames(view, qapp, texts)
    return view, plain.document().lineCount()


def _blocks(view: QPlainTextEdit) -> list:
    out, block = [], view.document().begin()
    while block.isValid():
        out.append(block)
        block = block.next()
    return out


@pytest.mark.parametrize("word", ["tok ", "字", "tok\n", "e\u0301"])  # (é: a letter and its accent)
def test_a_compare_column_lays_out_only_what_is_seen_and_no_line_is_ever_short(
    qtbot: QtBot, qapp: object, word: str
) -> None:
    """A read-only view (a compare column) puts most of a frame's text in a block Qt never lays
    out (it scrolls past unseen), with an estimated line count. The break after it is not at a
    line start; scrolled to, it moves to one before it is painted: scrolling through the whole
    text, every line is as long as in a plain QPlainTextEdit."""
    texts = [word * (3200 // len(word)) for _ in range(12)]
    view, real = streamed_beside_plain(qtbot, qapp, texts, read_only=True)
    doc = view.document()
    assert view.toPlainText() == "".join(texts)
    laid = [b for b in _blocks(view) if b.layout().lineCount() > 0]
    if word == "tok\n":  # the text's own line breaks cut it: nothing to realign
        assert not view._raw
    else:
        assert len(view._raw) >= 10
        assert len(laid) <= 4, (len(laid), doc.blockCount())
    assert abs(doc.lineCount() - real) <= real // 50  # the scroll bar: about right unseen
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    bar.setValue(0)  # the user reads it all, a page at a time
    while True:
        qapp.processEvents()  # type: ignore[attr-defined]
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
    assert not view._raw  # every break came into view, and was moved to a line start
    for b in _blocks(view):
        doc.documentLayout().blockBoundingRect(b)
    assert doc.lineCount() == real  # no line anywhere ends short
    assert view.toPlainText() == "".join(texts)
