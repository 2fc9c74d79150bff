"""The Compare view's diff dialog: the right words highlighted on each side (English, Chinese
without spaces, after an emoji), computed off the GUI thread with stale results dropped, text
shown as it is, colours readable in light and dark themes."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.core.textdiff import Diff
from app.ui.dialogs import diff as diff_module
from app.ui.dialogs.diff import DiffDialog
from app.ui.theme import DARK, LIGHT, contrast, theme_for
from tests.ui.palettes import palette

TEXT = 4.5  # WCAG AA, normal text
WAIT_MS = 10_000


@pytest.fixture
def make_dialog(qtbot: QtBot) -> Callable[..., DiffDialog]:
    """A DiffDialog on a parent widget (the dialog deletes itself when closed; the parent,
    which qtbot owns, takes it along otherwise)."""
    host = QWidget()
    qtbot.addWidget(host)

    def make(outputs: list[tuple[str, str]], left: int = 0, right: int = 1) -> DiffDialog:
        return DiffDialog(outputs, left, right, host)

    return make


def shown(qtbot: QtBot, dialog: DiffDialog) -> Diff:
    qtbot.waitUntil(lambda: dialog.current_diff() is not None, timeout=WAIT_MS)
    d = dialog.current_diff()
    assert d is not None
    return d


def highlighted(edit: QPlainTextEdit) -> list[tuple[int, str]]:
    """The runs of text with a background, as (Qt position, text), read from the document's
    char formats."""
    runs: list[tuple[int, str]] = []
    end = -1
    block = edit.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                if runs and frag.position() == end:
                    runs[-1] = (runs[-1][0], runs[-1][1] + frag.text())
                else:
                    runs.append((frag.position(), frag.text()))
                end = frag.position() + frag.length()
            it += 1
        block = block.next()
    return runs


def background_at(edit: QPlainTextEdit, position: int) -> QColor | None:
    """The background of the character at Qt ``position`` (None: none)."""
    cur = QTextCursor(edit.document())
    cur.setPosition(position + 1)  # a cursor's char format is that of the character before it
    brush = cur.charFormat().background()
    return None if brush.style() == Qt.BrushStyle.NoBrush else brush.color()


def test_an_english_word_diff_highlights_exactly_the_changed_word(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("fast", "the quick fox jumps"), ("slow", "the slow fox jumps")])
    assert dialog.summary.text() == "Comparing…"
    d = shown(qtbot, dialog)
    assert (d.a, d.b) == ("the quick fox jumps", "the slow fox jumps")
    assert highlighted(dialog.left_text) == [(4, "quick")]
    assert highlighted(dialog.right_text) == [(4, "slow")]
    t = dialog.theme
    assert background_at(dialog.left_text, 4) == t.diff_delete
    assert background_at(dialog.left_text, 8) == t.diff_delete  # "k", the word's last letter
    assert background_at(dialog.left_text, 3) is None  # the space before
    assert background_at(dialog.left_text, 9) is None  # ... and after
    assert background_at(dialog.right_text, 4) == t.diff_insert
    assert background_at(dialog.right_text, 8) is None
    assert "1 word(s) differ" in dialog.summary.text()
    assert "the same" in dialog.summary.text()


def test_changed_words_split_by_a_space_are_one_highlight_and_one_difference(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("a", "a quick brown fox"), ("b", "a slow red fox")])
    shown(qtbot, dialog)
    assert highlighted(dialog.left_text) == [(2, "quick brown")]
    assert highlighted(dialog.right_text) == [(2, "slow red")]
    assert "2 word(s) differ" in dialog.summary.text()


def test_chinese_without_spaces_highlights_only_the_changed_character(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("A", "今天天气很好"), ("B", "今天天气不好")])
    shown(qtbot, dialog)
    assert highlighted(dialog.left_text) == [(4, "很")]
    assert highlighted(dialog.right_text) == [(4, "不")]
    assert "1 word(s) differ" in dialog.summary.text()
    assert "83% the same" in dialog.summary.text()  # 10 of the 12 characters are shared


def test_an_emoji_before_a_change_does_not_shift_the_highlight(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    # Each 😀 is two UTF-16 units: Python offsets used as Qt positions would be off by three.
    dialog = make_dialog([("a", "😀 I 😀😀 like cats a lot"), ("b", "😀 I 😀😀 like dogs a lot")])
    shown(qtbot, dialog)
    left, right = highlighted(dialog.left_text), highlighted(dialog.right_text)
    assert [text for _, text in left] == ["cats"]
    assert [text for _, text in right] == ["dogs"]
    assert left[0][0] == len("😀 I 😀😀 like ") + 3


def test_a_windows_line_break_before_a_change_does_not_shift_the_highlight(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    # The document keeps one paragraph separator for "\r\n": one position, not two.
    dialog = make_dialog([("a", "one\r\ntwo\r\nred"), ("b", "one\r\ntwo\r\nblue")])
    shown(qtbot, dialog)
    assert highlighted(dialog.left_text) == [(8, "red")]
    assert highlighted(dialog.right_text) == [(8, "blue")]


def test_identical_outputs_say_so_and_highlight_nothing(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("a", "same text 一样"), ("b", "same text 一样")])
    d = shown(qtbot, dialog)
    assert d.ratio == 1.0
    assert dialog.summary.text() == "The two outputs are the same."
    assert highlighted(dialog.left_text) == []
    assert highlighted(dialog.right_text) == []
    assert not dialog.next_button.isEnabled()


def test_an_empty_side_leaves_the_other_highlighted_whole(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("failed", ""), ("ok", "an answer")])
    shown(qtbot, dialog)
    assert dialog.left_text.toPlainText() == ""
    assert highlighted(dialog.left_text) == []
    assert highlighted(dialog.right_text) == [(0, "an answer")]
    assert "The left output is empty." in dialog.summary.text()
    assert "0% the same" in dialog.summary.text()
    dialog.set_outputs([("a", ""), ("b", "")], 0, 1)
    shown(qtbot, dialog)
    assert dialog.summary.text() == "Both outputs are empty."


def test_the_combos_pick_any_output_and_swap_recomputes(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    outputs = [("A · run 1", "red apple"), ("A · run 2", "green apple"), ("B", "red pear")]
    dialog = make_dialog(outputs, 0, 2)
    assert [dialog.left_combo.itemText(i) for i in range(3)] == [o[0] for o in outputs]
    d = shown(qtbot, dialog)
    assert (d.a, d.b) == ("red apple", "red pear")
    dialog.left_combo.setCurrentIndex(1)  # the other repeat of the same column
    assert dialog.current_diff() is None
    assert dialog.summary.text() == "Comparing…"
    d = shown(qtbot, dialog)
    assert (d.a, d.b) == ("green apple", "red pear")
    assert dialog.left_text.toPlainText() == "green apple"
    assert highlighted(dialog.left_text) == [(0, "green apple")]
    dialog.swap_button.click()
    assert (dialog.left_combo.currentIndex(), dialog.right_combo.currentIndex()) == (2, 1)
    d = shown(qtbot, dialog)
    assert (d.a, d.b) == ("red pear", "green apple")
    assert dialog.left_text.toPlainText() == "red pear"
    assert highlighted(dialog.left_text) == [(0, "red pear")]
    assert background_at(dialog.left_text, 0) == dialog.theme.diff_delete
    assert background_at(dialog.right_text, 0) == dialog.theme.diff_insert
    # The same text stays on a side but its partner changed: its old colours go at once.
    dialog.right_combo.setCurrentIndex(0)
    assert highlighted(dialog.left_text) == []
    d = shown(qtbot, dialog)
    assert (d.a, d.b) == ("red pear", "red apple")
    assert highlighted(dialog.left_text) == [(4, "pear")]


def test_a_result_for_an_earlier_choice_is_dropped(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first diff is still running when the choice changes; it ends after that and must
    not be shown, not even for a moment."""
    real = diff_module.diff
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def slow_first(a: str, b: str) -> Diff:
        if not finished:
            started.set()
            release.wait(WAIT_MS / 1000)
        result = real(a, b)
        finished.append(a)
        return result

    monkeypatch.setattr(diff_module, "diff", slow_first)
    dialog = make_dialog([("a", "one"), ("b", "two"), ("c", "three")], 0, 1)
    seen: list[tuple[str, str]] = []

    def on_shown() -> None:
        d = dialog.current_diff()
        assert d is not None
        seen.append((d.a, d.b))

    dialog.diffShown.connect(on_shown)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    dialog.right_combo.setCurrentIndex(2)
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=WAIT_MS)
    d = shown(qtbot, dialog)
    qtbot.wait(50)  # anything still queued for the GUI thread arrives
    assert finished == ["one", "one"]  # the stale diff did run to its end ...
    assert seen == [("one", "three")]  # ... and was never shown
    assert (d.a, d.b) == ("one", "three")
    assert highlighted(dialog.right_text) == [(0, "three")]


def test_text_is_shown_as_it_is_not_as_html(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    left, right = "<b>x</b> &amp; <i>", "<b>y</b> &amp; <i>"
    dialog = make_dialog([("a", left), ("b", right)])
    shown(qtbot, dialog)
    assert dialog.left_text.toPlainText() == left
    assert dialog.right_text.toPlainText() == right
    assert [text for _, text in highlighted(dialog.left_text)] == ["x"]
    assert [text for _, text in highlighted(dialog.right_text)] == ["y"]


def test_a_long_pair_with_many_differences_is_highlighted_to_its_end(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    """50k characters, an emoji in every word, every 7th word changed: no drift at the end."""
    words = [f"😀{'segment' * 6}{i:05d}" for i in range(1100)]
    other = [w.upper() if i % 7 == 3 else w for i, w in enumerate(words)]
    a, b = " ".join(words), " ".join(other)
    assert len(a) > 50_000
    dialog = make_dialog([("a", a), ("b", b)])
    shown(qtbot, dialog)
    changed = [w for i, w in enumerate(words) if i % 7 == 3]
    left = highlighted(dialog.left_text)
    assert [text for _, text in left] == [w.removeprefix("😀") for w in changed]
    right = highlighted(dialog.right_text)
    assert [text for _, text in right] == [w.upper().removeprefix("😀") for w in changed]
    last = len(words) - 1 - (len(words) - 1 - 3) % 7
    assert left[-1][0] == len(" ".join(words[:last])) + 1 + last + 1 + 1  # UTF-16: +1 per 😀
    assert dialog.left_text.toPlainText() == a
    assert f"{len(changed)} word(s) differ" in dialog.summary.text()


def test_next_difference_selects_each_change_on_both_sides_in_turn(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("a", "one two three four 天气"), ("b", "one 2 three 4 天晴")])
    shown(qtbot, dialog)
    assert dialog.next_button.isEnabled()
    picked = []
    for _ in range(4):
        dialog.next_button.click()
        picked.append(
            (
                dialog.left_text.textCursor().selectedText(),
                dialog.right_text.textCursor().selectedText(),
            )
        )
    assert picked == [("two", "2"), ("four", "4"), ("气", "晴"), ("two", "2")]  # it wraps
    assert dialog.position.text() == "Difference 1 of 3"
    dialog.prev_button.click()
    assert dialog.left_text.textCursor().selectedText() == "气"
    # From where the user put the cursor: the next change after it.
    cur = dialog.left_text.textCursor()
    cur.setPosition(5)  # inside "two"
    dialog.left_text.setTextCursor(cur)
    dialog.next_button.click()
    assert dialog.left_text.textCursor().selectedText() == "four"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_highlights_are_readable_and_follow_the_palette(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot, dark: bool
) -> None:
    pal = palette(dark)
    t = theme_for(pal)
    assert t is (DARK if dark else LIGHT)
    text = pal.color(QPalette.ColorRole.Text)
    base = pal.color(QPalette.ColorRole.Base)
    assert contrast(text, t.diff_delete) >= TEXT
    assert contrast(text, t.diff_insert) >= TEXT
    # Still seen as highlights: distinct from the plain background.
    assert contrast(t.diff_delete, base) > 1.1
    assert contrast(t.diff_insert, base) > 1.1

    dialog = make_dialog([("a", "keep old keep"), ("b", "keep new keep")])
    other = palette(not dark)
    dialog.setPalette(other)
    shown(qtbot, dialog)
    dialog.setPalette(pal)  # the desktop switched theme while the dialog was open
    assert dialog.theme is t
    assert background_at(dialog.left_text, 5) == t.diff_delete
    assert background_at(dialog.right_text, 5) == t.diff_insert
    assert dialog.left_text.palette().color(QPalette.ColorRole.Text) == text
    assert highlighted(dialog.left_text) == [(5, "old")]  # recoloured, not added to


def test_open_returns_at_once_and_the_diff_arrives_while_it_is_shown(
    make_dialog: Callable[..., DiffDialog], qtbot: QtBot
) -> None:
    dialog = make_dialog([("a", "x y"), ("b", "x z")])
    dialog.open()  # as CompareView.show_diff does: exec() would block here
    assert dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    shown(qtbot, dialog)
    assert dialog.isVisible()
    for name in ("diffLeft", "diffRight", "diffSwap", "diffLeftText", "diffRightText"):
        widget = dialog.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for name in ("diffSummary", "diffNext", "diffPrev", "diffClose"):
        assert dialog.findChild(QWidget, name) is not None, name
    assert dialog.left_text.isReadOnly()
    assert dialog.right_text.isReadOnly()
    close = dialog.findChild(QWidget, "diffClose")
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):  # closed: it deletes itself
        close.click()
