"""OutputView: endless paragraphs become display blocks, and nothing outside the view sees them.

No timing here: the tests drive the view (``flush`` or waiting for the queue to empty) and check
what it shows and what it gives back (text, copy, find, token hover, scrolling).
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip
from pytestqt.qtbot import QtBot

from app.core.client import TokenLogprob
from app.core.storage import Draft
from app.ui.widgets.editor import PromptEdit
from app.ui.widgets.output_text import SOFT_LIMIT, qt_len
from app.ui.widgets.output_view import OutputView

NOSPACE = "aGVsbG8sIHdvcmxk====" * 25_000  # 500 k characters, not one break opportunity
CHINESE = "先把问题拆成小块，每块都能单独验证🎉" * 600  # no spaces, with surrogate pairs


def shown(qtbot: QtBot, view: OutputView) -> OutputView:
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def stream(view: OutputView, pieces: list[str]) -> None:
    view.begin_output()
    for p in pieces:
        view.append_output(p)
    view.end_output()
    view.flush()


# A break moved to a line start after the scroll bar appears hands one line to the next block.
BLOCK_BOUND = SOFT_LIMIT + 512


def longest_block(view: OutputView) -> int:
    block, longest = view.document().begin(), 0
    while block.isValid():
        longest = max(longest, block.length() - 1)
        block = block.next()
    return longest


def test_an_endless_line_becomes_short_display_blocks_with_the_text_intact(
    qtbot: QtBot,
) -> None:
    view = shown(qtbot, OutputView())
    stream(view, [NOSPACE[i : i + 40] for i in range(0, 40_000, 40)] + [NOSPACE[40_000:]])
    assert view.toPlainText() == NOSPACE
    assert len(view.soft_breaks()) >= len(NOSPACE) // SOFT_LIMIT - 1
    assert longest_block(view) <= BLOCK_BOUND  # what bounds the layout work of one insert


def test_one_huge_chunk_goes_in_over_several_turns(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    view.begin_output()
    view.append_output(NOSPACE)
    view.end_output()
    qtbot.waitUntil(lambda: not view.has_pending_work(), timeout=60_000)
    assert view.toPlainText() == NOSPACE
    assert longest_block(view) <= BLOCK_BOUND
    assert view.output_position() is None  # closed once everything was in


def total_lines(view: OutputView) -> int:
    lines = 0
    block = view.document().begin()
    while block.isValid():
        view.document().documentLayout().blockBoundingRect(block)  # laid out at this width
        lines += block.layout().lineCount()
        block = block.next()
    return lines


def reference_lines(qtbot: QtBot, text: str, width: int) -> int:
    """Lines of ``text`` as Qt lays it out in one block, in a plain view of the same size."""
    ref = QPlainTextEdit()
    qtbot.addWidget(ref)
    ref.resize(width, 400)
    ref.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    ref.show()
    qtbot.waitExposed(ref)
    ref.setPlainText(text)
    block = ref.document().begin()
    ref.document().documentLayout().blockBoundingRect(block)
    return block.layout().lineCount()


def test_display_blocks_keep_the_lines_as_one_paragraph_would_have(qtbot: QtBot) -> None:
    """A soft break sits at the start of a visual line: no line ends early. Also after the
    width changes, and for text set in one go (the breaks move to line starts)."""
    text = ("word " * 3000).strip() + "先把问题拆成小块，每块都能单独验证。" * 200
    view = shown(qtbot, OutputView())
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    stream(view, [text[i : i + 50] for i in range(0, len(text), 50)])
    assert view.soft_breaks()
    assert total_lines(view) == reference_lines(qtbot, text, 600)
    view.resize(450, 400)  # narrower: every break has to move
    qtbot.waitUntil(lambda: not view.has_pending_work())
    assert total_lines(view) == reference_lines(qtbot, text, 450)
    assert view.toPlainText() == text
    view.setPlainText(text)  # restored from a draft: no layout to go by at first
    view.flush()
    assert total_lines(view) == reference_lines(qtbot, text, 450)
    assert view.toPlainText() == text


def test_select_all_and_copy_give_the_text_without_display_breaks(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    text = "intro line\n" + NOSPACE[:20_000] + "\nlast line"
    stream(view, [text[i : i + 7] for i in range(0, len(text), 7)])
    assert view.soft_breaks()
    view.selectAll()
    view.copy()
    assert QGuiApplication.clipboard().text() == text
    # A selection from inside one display block to inside another
    first = view.soft_breaks()[0]
    cur = view.textCursor()
    cur.setPosition(first - 3)
    cur.setPosition(first + 4, cur.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    view.copy()
    at = view.logical_position(first)
    assert QGuiApplication.clipboard().text() == text[at - 3 : at + 3]


def test_find_matches_across_a_display_break(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    text = "x" * (SOFT_LIMIT + 100) + "NEEDLE" + "y" * (SOFT_LIMIT + 100)
    view.begin_output()
    view.append_output(text)
    view.end_output()
    view.flush()
    # Put a break right inside the needle, as a stream could have.
    middle = text.index("NEEDLE") + 3
    view._insert_soft_break(view.qt_position(middle))
    assert view.toPlainText() == text
    view.moveCursor(view.textCursor().MoveOperation.Start)
    assert view.find_text("needle")
    cur = view.textCursor()
    assert view.text_between(cur.selectionStart(), cur.selectionEnd()) == "NEEDLE"
    assert not view.find_text("needle")  # only one
    view.moveCursor(view.textCursor().MoveOperation.End)
    assert view.find_text("NEEDLE", backward=True, case=True)
    assert not view.find_text("needle", backward=True, case=True)


def test_chinese_text_and_emoji_stay_whole(qtbot: QtBot) -> None:
    edit = shown(qtbot, PromptEdit())
    edit.setPlainText("中文提示：")
    edit.begin_output()
    for i in range(0, len(CHINESE), 30):
        edit.append_output(CHINESE[i : i + 30])
    edit.end_output()
    edit.flush()
    assert edit.soft_breaks()
    assert edit.toPlainText() == "中文提示：" + CHINESE
    start = qt_len("中文提示：")
    assert edit.completion_ranges() == [(start, start + qt_len(CHINESE))]
    assert edit.scan_completion_ranges() == edit.completion_ranges()


def test_snapshot_and_restore_through_display_blocks(qtbot: QtBot) -> None:
    edit = shown(qtbot, PromptEdit())
    edit.setPlainText("Prompt: ")
    edit.begin_output()
    edit.append_output(NOSPACE[:30_000])
    edit.end_output()
    edit.flush()
    snap = edit.snapshot()
    assert snap.text == "Prompt: " + NOSPACE[:30_000]
    assert snap.completions == [(8, 30_008)]
    edit.restore(Draft("x", [], 0))
    edit.restore(snap)
    assert edit.soft_breaks()  # a long paragraph is broken up when set as well
    assert edit.snapshot().text == snap.text
    assert edit.completion_ranges() == [(8, 30_008)]
    # Insert mode: output in the middle, at a logical position past the breaks
    edit.begin_output(20_008)
    edit.append_output("<mid>")
    edit.end_output()
    edit.flush()
    text = edit.toPlainText()
    assert text == "Prompt: " + NOSPACE[:20_000] + "<mid>" + NOSPACE[20_000:30_000]
    assert edit.completion_ranges() == [(8, 30_013)]


def test_backspace_and_delete_at_a_display_break_remove_a_character(qtbot: QtBot) -> None:
    edit = shown(qtbot, PromptEdit())
    edit.setPlainText("a" * SOFT_LIMIT + "b" * SOFT_LIMIT)
    (brk,) = edit.soft_breaks()
    cur = edit.textCursor()
    cur.setPosition(brk + 1)  # start of the second display block
    edit.setTextCursor(cur)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.toPlainText() == "a" * (SOFT_LIMIT - 1) + "b" * SOFT_LIMIT
    (brk,) = edit.soft_breaks()
    cur.setPosition(brk)  # end of the first display block
    edit.setTextCursor(cur)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.toPlainText() == "a" * (SOFT_LIMIT - 1) + "b" * (SOFT_LIMIT - 1)
    # Right arrow crosses the break in one step, like any character boundary
    (brk,) = edit.soft_breaks()
    cur.setPosition(brk - 1)
    edit.setTextCursor(cur)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.logical_position(edit.textCursor().position()) == SOFT_LIMIT
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    assert edit.logical_position(edit.textCursor().position()) == SOFT_LIMIT - 2
    # Enter typed at a display break is a real line break
    cur.setPosition(brk + 1)
    edit.setTextCursor(cur)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.toPlainText() == "a" * (SOFT_LIMIT - 1) + "\n" + "b" * (SOFT_LIMIT - 1)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_token_hover_across_display_blocks(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    pieces = [("aGVs", -0.01), ("bG8s", -1.0), ("====", -3.0)] * 1500  # 18,000 characters
    text = "".join(p for p, _ in pieces)
    tokens = [TokenLogprob(p, lp, {p: lp, "alt": lp - 1}) for p, lp in pieces]
    view.begin_output()
    start = view.append_output(text)
    assert start == 0
    assert view.annotate_tokens(start, text, tokens) == len(tokens)
    view.end_output()
    qtbot.waitUntil(lambda: not view.has_pending_work(), timeout=60_000)
    assert view.soft_breaks()
    for logical in (0, 5, 11, SOFT_LIMIT, len(text) - 1):
        tok = view.token_at(view._advance(0, logical))
        assert tok is not None
        assert tok.token == pieces[logical // 4 % 3][0]
    last = view.tooltip_at(view._advance(0, len(text) - 1))
    assert "'===='  5.0%" in last
    # Colour: one shade per probability band, also after a display break
    cur = view.textCursor()
    cur.setPosition(view._advance(0, len(text) - 1))
    cur.setPosition(cur.position() + 1, cur.MoveMode.KeepAnchor)
    assert cur.charFormat().background().color().name() == "#ffb3a7"
    # Resting the mouse on a token shows its tooltip
    cur.setPosition(view._advance(0, len(text) - 3))  # inside the last "===="
    view.setTextCursor(cur)
    rect = view.cursorRect(cur)
    point = QPoint(rect.x() + 2, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert "'===='  5.0%" in QToolTip.text()


def test_follow_the_end_unless_the_user_scrolled_up(qtbot: QtBot) -> None:
    view = shown(qtbot, OutputView())
    bar = view.verticalScrollBar()
    stream(view, ["line\n"] * 300 + [NOSPACE[:20_000]])
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()
    bar.setValue(10)  # the user scrolls up to read
    stream(view, ["more\n"] * 100)
    assert bar.value() == 10


def test_the_view_keeps_following_when_its_scroll_bar_appears_or_the_text_rewraps(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """A column that starts empty gets a scroll bar with its first view-ful: the text wraps
    narrower and the end moves down several lines at once. The view must go on following the
    end (a compare column used to stay stuck near the top for the rest of the stream)."""
    view = shown(qtbot, OutputView())
    view.resize(200, 280)
    bar = view.verticalScrollBar()
    view.begin_output()
    for _ in range(12):  # a frame's worth at a time, the loop running in between
        view.append_output("tok " * 600)
        view.flush()
        qapp.processEvents()
    view.end_output()
    view.flush()
    qapp.processEvents()
    assert bar.maximum() > 300
    assert bar.value() == bar.maximum()
    view.resize(260, 280)  # a wider column: every line wraps again
    qtbot.waitUntil(lambda: not view.has_pending_work() and view._measure_at is None)
    qapp.processEvents()
    assert bar.value() == bar.maximum()

    def more(n: int) -> None:
        for _ in range(n):
            view.append_output("tok " * 600)
            view.flush()
            qapp.processEvents()

    view.begin_output()
    more(2)
    bar.setValue(10)  # the user scrolls up mid-stream: that stays so, whatever comes next
    more(3)
    assert bar.value() == 10
    bar.setValue(bar.maximum())  # and back to the end, still mid-stream: following again
    more(3)
    view.end_output()
    view.flush()
    qapp.processEvents()
    assert bar.value() == bar.maximum()
    # A compare column (read-only) keeps its end in view when it shrinks after its output ended
    # (its figures grew under it); an editor's view is the user's again.
    for read_only in (True, False):
        view.setReadOnly(read_only)
        stream(view, ["tok " * 600] * 2)
        qapp.processEvents()
        assert bar.value() == bar.maximum()
        view.resize(260, 240 if read_only else 200)  # shorter: the end moves down
        qapp.processEvents()
        assert (bar.value() == bar.maximum()) is read_only


def test_text_still_queued_after_the_stream_ended_is_never_lost(qtbot: QtBot) -> None:
    edit = shown(qtbot, PromptEdit())
    edit.setPlainText("P:")
    edit.begin_output()
    edit.append_output(NOSPACE)  # far more than one turn's work
    edit.end_output()
    assert edit.has_pending_work()
    # Continue / Regenerate take a snapshot first; a new output may start at once
    assert edit.snapshot().text == "P:" + NOSPACE
    edit.begin_output()
    edit.append_output("!")
    edit.end_output()
    edit.flush()
    assert edit.toPlainText() == "P:" + NOSPACE + "!"
    assert edit.completion_ranges() == [(2, 3 + len(NOSPACE))]


def test_views_streaming_at_once_share_one_turn_budget() -> None:
    """Eight compare columns must not take eight budgets in a row (a 64 ms stall): a second view
    shares the budget of a turn under way, and once it is spent the next view waits REST_S so the
    loop reads the network; a view alone keeps a whole budget every turn."""
    from app.ui.widgets import output_view as ov

    a, b = object(), object()
    t = max(ov._Turn.deadline, time.perf_counter()) + 1000.0  # after any turn earlier tests took
    first = ov.claim_turn(a, t)
    assert first == pytest.approx(t + ov.BUDGET_S)
    assert ov.claim_turn(b, t + ov.BUDGET_S / 2) == first  # shared, not a budget of its own
    spent = t + ov.BUDGET_S + ov.REST_S / 2
    assert ov.claim_turn(b, spent) is None  # a just spent the turn: b lets the loop run
    assert ov.claim_turn(a, spent) == pytest.approx(spent + ov.BUDGET_S)  # alone: no rest
    later = spent + ov.BUDGET_S + ov.REST_S
    assert ov.claim_turn(b, later) == pytest.approx(later + ov.BUDGET_S)  # rested: its turn


def test_two_views_streaming_at_once_both_show_all_their_text(qtbot: QtBot) -> None:
    views = [shown(qtbot, OutputView()), shown(qtbot, OutputView())]
    for v in views:
        v.begin_output()
    for i in range(2000):
        for n, v in enumerate(views):
            v.append_output(f"{n}:{i} ")
    for v in views:
        v.end_output()
    qtbot.waitUntil(lambda: not any(v.has_pending_work() for v in views), timeout=10_000)
    for n, v in enumerate(views):
        assert v.toPlainText() == "".join(f"{n}:{i} " for i in range(2000))
