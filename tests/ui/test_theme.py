"""Every colour Promptpad adds is readable in light and dark themes (WCAG 2 contrast), and the
widgets follow the palette when it changes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.core.events import TokenLogprob
from app.ui.theme import DARK, LIGHT, Theme, contrast, is_dark, theme_for
from app.ui.widgets.editor import PromptEdit
from app.ui.widgets.error_bar import ErrorBar
from app.ui.widgets.field_state import mark_invalid
from app.ui.widgets.notices import NoticeBar
from app.ui.widgets.output_view import OutputView
from tests.ui.palettes import palette

TEXT = 4.5  # WCAG AA, normal text
BORDER = 3.0  # WCAG AA, non-text contrast


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_colour_has_enough_contrast(dark: bool) -> None:
    pal = palette(dark)
    t: Theme = theme_for(pal)
    assert t.dark is dark
    text = pal.color(QPalette.ColorRole.Text)
    base = pal.color(QPalette.ColorRole.Base)
    # The editor's own text colour over the output highlight and every token shade.
    assert contrast(text, t.output) >= TEXT
    for _, shade in t.token_shades:
        assert contrast(text, shade) >= TEXT
    assert contrast(t.error_text, t.error_bg) >= TEXT
    assert contrast(t.notice_text, t.notice_bg) >= TEXT
    assert contrast(t.error_border, t.error_bg) >= BORDER
    assert contrast(t.notice_border, t.notice_bg) >= BORDER
    assert contrast(t.invalid, base) >= BORDER
    # The highlight must still be seen as a highlight: distinct from the plain background.
    assert contrast(t.output, base) > 1.1


def test_the_old_fixed_colours_fail_in_a_dark_theme() -> None:
    """What the issue saw: white text on pale green output, on pale yellow notices."""
    text = palette(dark=True).color(QPalette.ColorRole.Text)
    assert contrast(text, LIGHT.output) < TEXT
    assert contrast(text, LIGHT.notice_bg) < TEXT
    assert is_dark(palette(True))
    assert not is_dark(palette(False))
    assert theme_for(palette(True)) is DARK


def test_bars_follow_the_palette(qtbot: QtBot, qapp: QApplication) -> None:
    bars = [ErrorBar(), NoticeBar()]
    for bar in bars:
        qtbot.addWidget(bar)
    for bar in bars:
        bar.setPalette(palette(dark=True))
    assert DARK.error_bg.name() in bars[0].styleSheet()
    assert DARK.notice_bg.name() in bars[1].styleSheet()
    for bar in bars:
        bar.setPalette(palette(dark=False))
    assert LIGHT.error_bg.name() in bars[0].styleSheet()
    assert LIGHT.notice_bg.name() in bars[1].styleSheet()


def _background_at(view: OutputView, logical: int) -> QColor:
    cur = QTextCursor(view.document())
    cur.setPosition(view.qt_position(logical) + 1)  # the format of the character before
    return cur.charFormat().background().color()


def test_editor_highlights_are_dark_in_a_dark_palette_and_follow_a_switch(
    qtbot: QtBot,
) -> None:
    """The editor's actual char formats: model output and token shades readable under the
    palette's text, and recoloured, meaning kept, when the palette changes mid-session."""
    ed = PromptEdit()
    qtbot.addWidget(ed)
    dark = palette(dark=True)
    ed.setPalette(dark)
    ed.setPlainText("Q: ")
    ed.begin_output()
    tokens = [TokenLogprob("A", -0.01, {}), TokenLogprob("B", -0.4, {}), TokenLogprob("C", -3, {})]
    start = ed.append_output("ABC")
    assert start is not None
    ed.annotate_tokens(start, "ABC", tokens)
    ed.end_output()
    ed.flush()
    text = dark.color(QPalette.ColorRole.Text)
    seen = [_background_at(ed, i) for i in range(3, 6)]
    assert seen[0] == DARK.output  # a likely token: the output highlight
    assert seen[1] == DARK.band_colour(1)
    assert seen[2] == DARK.band_colour(3)
    for colour in seen:
        assert contrast(text, colour) >= TEXT
    assert ed.marked.background().color() == DARK.output  # what the next run gets

    ed.setPalette(palette(dark=False))  # the desktop switched to light
    seen = [_background_at(ed, i) for i in range(3, 6)]
    assert seen == [LIGHT.output, LIGHT.band_colour(1), LIGHT.band_colour(3)]
    assert _background_at(ed, 0).name() == QColor("black").name()  # the prompt: no background
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(3, 6)]
    assert ed.toPlainText() == "Q: ABC"
    ed.undo()  # the recolouring is part of the run's undo step, not a colour-only Ctrl+Z
    assert ed.toPlainText() == "Q: "
    assert not ed.document().isUndoAvailable()


def test_an_invalid_field_is_tinted_again_when_the_application_palette_changes(
    qtbot: QtBot, qapp: QApplication
) -> None:
    old = qapp.palette()
    box = QLineEdit()
    qtbot.addWidget(box)
    try:
        qapp.setPalette(palette(dark=False))
        mark_invalid(box, True)
        light_base = box.palette().color(QPalette.ColorRole.Base)
        qapp.setPalette(palette(dark=True))
        base = box.palette().color(QPalette.ColorRole.Base)
        assert base != light_base
        assert contrast(base, palette(True).color(QPalette.ColorRole.Text)) >= TEXT
    finally:
        qapp.setPalette(old)
