"""Promptpad's colours: one light and one dark variant, chosen from the palette in use.

Qt's palette follows the system (a dark desktop gives a dark palette), but a highlight that is a
fixed pale colour does not: white text on pale green output, or on a pale yellow notice, was
unreadable in dark themes. Every colour Promptpad adds — the model-output highlight, the token
probability shades, the error bar, the notice bar, the mark of a field with a problem — comes
from here, and tests/ui/test_theme.py checks the contrast of each against the text drawn on it
(WCAG 2: 4.5:1 for text, 3:1 for a border) in both variants.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Theme:
    """The colours of one variant. Text on a background colour here is the palette's Text (or
    WindowText), unless a ``*_text`` colour is given for that background."""

    dark: bool
    output: QColor  # background of model output in the editor
    error_bg: QColor
    error_border: QColor
    error_text: QColor
    notice_bg: QColor
    notice_border: QColor
    notice_text: QColor
    invalid: QColor  # the border / text of a field with a problem
    #: Backgrounds of generated tokens by probability: (the lowest probability it covers, colour),
    #: the likelier shades first; a token at least UNSHADED likely is not shaded. The thresholds
    #: are the same in every variant: a view stores a token's band, and a new theme recolours it.
    token_shades: tuple[tuple[float, QColor], ...]
    #: Compare: the background of text only in the left (deleted) / only in the right (inserted)
    #: output of a diff (text on them is the palette's Text).
    diff_delete: QColor
    diff_insert: QColor
    #: Compare: one line colour per column of the timeline chart (up to 8), each readable as a
    #: line (3:1) on the palette's Base.
    series: tuple[QColor, ...]

    def series_colour(self, index: int) -> QColor:
        return self.series[index % len(self.series)]

    def shade_for(self, probability: float) -> QColor | None:
        if probability >= UNSHADED:
            return None
        for threshold, colour in self.token_shades:
            if probability >= threshold:
                return colour
        return self.token_shades[-1][1]

    def band_colour(self, band: int) -> QColor:
        """The shade of band 1..len(token_shades) (band 1: the likeliest shaded tokens)."""
        return self.token_shades[band - 1][1]

    def sheet(self, name: str, bg: QColor, border: QColor, text: QColor) -> str:
        """A style sheet for a framed bar (object name ``name``) in these colours."""
        return (
            f"#{name} {{ background: {bg.name()}; border: 1px solid {border.name()};"
            f" border-radius: 4px; }} #{name} QLabel {{ color: {text.name()}; }}"
        )


UNSHADED = 0.9  # a token at least this likely keeps the plain background


def _colours(hexes: str) -> tuple[QColor, ...]:
    return tuple(QColor(h) for h in hexes.split())


LIGHT = Theme(
    dark=False,
    output=QColor("#d2f4d3"),
    error_bg=QColor("#fce8e6"),
    error_border=QColor("#d93025"),
    error_text=QColor("#a50e0e"),
    notice_bg=QColor("#fef7e0"),
    notice_border=QColor("#b06000"),
    notice_text=QColor("#5f4100"),
    invalid=QColor("#c5221f"),
    token_shades=(
        (0.5, QColor("#fff3b0")),
        (0.2, QColor("#ffd59e")),
        (0.0, QColor("#ffb3a7")),
    ),
    diff_delete=QColor("#fbd3d0"),
    diff_insert=QColor("#c8ecd0"),
    series=_colours("#1a73e8 #d93025 #188038 #e37400 #9334e6 #007b83 #b3136b #5f6368"),
)

DARK = Theme(
    dark=True,
    output=QColor("#1f4a2a"),
    error_bg=QColor("#3c1715"),
    error_border=QColor("#f28b82"),
    error_text=QColor("#f6aea9"),
    notice_bg=QColor("#3a2e05"),
    notice_border=QColor("#fdd663"),
    notice_text=QColor("#fde293"),
    invalid=QColor("#f28b82"),
    token_shades=(
        (0.5, QColor("#4a4310")),
        (0.2, QColor("#5c3a0c")),
        (0.0, QColor("#6b2420")),
    ),
    diff_delete=QColor("#5c2320"),
    diff_insert=QColor("#1d4a2b"),
    series=_colours("#8ab4f8 #f28b82 #81c995 #fcad70 #c58af9 #78d9ec #ff8bcb #bdc1c6"),
)


def is_dark(palette: QPalette) -> bool:
    """A dark palette draws light text on a dark base."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return luminance(text) > luminance(base)


def theme_for(palette: QPalette) -> Theme:
    return DARK if is_dark(palette) else LIGHT


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
