"""Every colour Promptpad adds is readable in light and dark themes (WCAG 2 contrast), and the
widgets follow the palette when it changes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.theme import DARK, LIGHT, Theme, contrast, is_dark, theme_for
from app.ui.widgets.error_bar import ErrorBar
from app.ui.widgets.notices import NoticeBar

TEXT = 4.5  # WCAG AA, normal text
BORDER = 3.0  # WCAG AA, non-text contrast


def palette(dark: bool) -> QPalette:
    """A light or dark palette as a desktop would give (Fusion's own, or its dark mirror)."""
    p = QPalette()
    base, text = (
        (QColor("#1e1e1e"), QColor("#e8e8e8")) if dark else (QColor("white"), QColor("black"))
    )
    window = QColor("#2b2b2b") if dark else QColor("#efefef")
    for role, colour in (
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
    ):
        p.setColor(role, colour)
    return p


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
