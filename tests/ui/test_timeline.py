"""The Compare timeline chart, checked on the pixels it paints: every line in its colour in light
and dark palettes, stalls flat and jumps steep even when 20,000 points are decimated, awkward
inputs, the placeholder, the legend, coalesced repaints, and lines that grow while streaming."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, QObject, QTimer
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from app.ui.theme import contrast, theme_for
from app.ui.widgets.timeline import (
    Series,
    TimelineChart,
    compact_number,
    nice_axis,
    spaced_from_top,
)
from tests.ui.palettes import palette

ROOT = Path(__file__).resolve().parents[2]
W, H = 600, 180


def chart(qtbot: QtBot, series: list[Series] | None = None, dark: bool = False) -> TimelineChart:
    c = TimelineChart()
    qtbot.addWidget(c)
    c.setPalette(palette(dark))
    c.resize(W, H)
    if series is not None:
        c.set_series(series)
    return c


def pixels(c: TimelineChart) -> list[list[int]]:
    """Rows of 0xAARRGGBB values."""
    img = c.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert (img.width(), img.height()) == (W, H)
    words = memoryview(img.constBits()).cast("I")
    per_row = img.bytesPerLine() // 4
    return [list(words[y * per_row : y * per_row + img.width()]) for y in range(img.height())]


def rgb(colour: QColor) -> int:
    return colour.rgba() | 0xFF000000


def count(rows: list[list[int]], colour: QColor, top: int = 0, bottom: int = H) -> int:
    return sum(row.count(rgb(colour)) for row in rows[top:bottom])


def longest_run(values: list[int], target: int) -> int:
    best = run = 0
    for v in values:
        run = run + 1 if v == target else 0
        best = max(best, run)
    return best


def colour(c: TimelineChart, index: int) -> QColor:
    return theme_for(c.palette()).series_colour(index)


def ramp(t0: float, t1: float, y0: float, y1: float, n: int) -> list[tuple[float, float]]:
    return [(t0 + (t1 - t0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1)) for i in range(n)]


def three() -> list[Series]:
    return [
        Series("llama.cpp · qwen", 0, ramp(0.3, 6.0, 0, 300, 300)),
        Series("openai · gpt-4o-mini", 1, ramp(0.8, 2.5, 0, 80, 80) + ramp(5.2, 8.5, 81, 250, 170)),
        Series("vllm · mistral", 2, ramp(1.5, 3.7, 0, 90, 45), failed=True),
    ]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_each_series_is_drawn_in_its_colour(qtbot: QtBot, dark: bool) -> None:
    c = chart(qtbot, three(), dark)
    rows = pixels(c)
    for i in range(3):
        # Below the legend, above the x axis labels: the lines themselves, not the swatches.
        assert count(rows, colour(c, i), top=60, bottom=H - 40) > 40, i
    other = theme_for(palette(not dark)).series_colour(0)
    assert count(rows, other) == 0
    assert rows[H // 2][W - 3] == rgb(c.palette().color(QPalette.ColorRole.Base))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_series_colours_stand_out_from_the_base(dark: bool) -> None:
    """WCAG 2 non-text contrast: a line needs 3:1 against what it is drawn on (Base)."""
    pal = palette(dark)
    base = pal.color(QPalette.ColorRole.Base)
    t = theme_for(pal)
    assert len(t.series) == 8
    low = {c.name(): round(contrast(c, base), 2) for c in t.series if contrast(c, base) < 3.0}
    assert not low


def test_a_palette_change_recolours(qtbot: QtBot) -> None:
    c = chart(qtbot, three(), dark=False)
    light = colour(c, 0)
    c.setPalette(palette(dark=True))
    rows = pixels(c)
    assert count(rows, colour(c, 0), top=60, bottom=H - 40) > 40
    assert count(rows, light) == 0


@pytest.mark.parametrize("n", [200, 20_000], ids=["few", "decimated"])
def test_a_stall_is_flat_and_a_jump_is_steep(qtbot: QtBot, n: int) -> None:
    """0-1 s rising to 100, stalled to 4 s, a jump to 180, rising to 200 at 5 s."""
    q = n // 4
    points = ramp(0, 1, 0, 100, q) + ramp(1.001, 4, 100, 100, 2 * q)
    points += ramp(4.0001, 5, 180, 200, q)
    c = chart(qtbot, [Series("slow", 3, points)])
    rows = pixels(c)
    target = rgb(colour(c, 3))
    # The stall spans 3 s of a 5 s axis: 60 % of a plot nearly as wide as the widget.
    assert max(longest_run(r, target) for r in rows[40 : H - 30]) > 0.45 * W
    # The jump: 80 of 200 tokens is 40 % of the plot's height, in a column or two.
    columns = [[r[x] for r in rows] for x in range(W)]
    assert max(longest_run(col, target) for col in columns) > 0.2 * H


def test_20000_points_look_like_200(qtbot: QtBot) -> None:
    """Decimation and dropping points on straight runs keep the line where it was."""
    few = pixels(chart(qtbot, [Series("a", 0, ramp(0, 30, 0, 5000, 200))]))
    many = pixels(chart(qtbot, [Series("a", 0, ramp(0, 30, 0, 5000, 20_000))]))
    drawn = count(few, palette_colour(0))
    assert drawn > 200
    differ = sum(
        far(a, b) for ra, rb in zip(few, many, strict=True) for a, b in zip(ra, rb, strict=True)
    )
    assert differ < 0.02 * drawn


def far(a: int, b: int) -> bool:
    """Two pixels differ by more than antialiasing's shades of one line at a sub-pixel shift."""
    return any(abs((a >> s & 255) - (b >> s & 255)) > 96 for s in (0, 8, 16))


def palette_colour(i: int) -> QColor:
    """Series colour ``i`` of the light palette (the one chart() uses unless told)."""
    return theme_for(palette(False)).series_colour(i)


def test_the_placeholder_when_there_are_no_points(qtbot: QtBot) -> None:
    empty = chart(qtbot)
    no_points = chart(qtbot, [Series("a", 0, []), Series("b", 1, [])])
    rows = pixels(empty)
    assert rows == pixels(no_points)
    base = rgb(empty.palette().color(QPalette.ColorRole.Base))
    drawn = [(x, y) for y, row in enumerate(rows) for x, v in enumerate(row) if v != base]
    assert drawn  # the text
    # Only the text, in the middle: no axes, no legend, no line.
    assert all(H * 0.3 < y < H * 0.7 for _, y in drawn)
    assert count(rows, palette_colour(0)) == 0


@pytest.mark.parametrize(
    "points",
    [
        [(0.5, 10)],
        [(0.0, 0), (1.0, 0), (2.0, 0)],
        [(2.0, 5), (2.0, 9), (2.0, 12)],
        [(0.0, 0), (1.0, 1e12), (2.0, 2e12)],
        [(1e12, 1), (2e12, 2)],
        [(0.1, 1), (math.nan, 2), (0.3, math.inf), (math.inf, 4), (0.5, -math.inf), (0.6, 6)],
        [(math.nan, math.nan), (math.inf, 1)],
        [(-1.0, -5), (0.5, -2), (1.0, 3)],
        [(3.0, 1), (2.0, 2), (1.0, 3)],
        [(1e-9, 1), (2e-9, 2)],
    ],
    ids=[
        "one-point",
        "all-zero",
        "x-all-equal",
        "huge-y",
        "huge-x",
        "nan-inf",
        "only-nan",
        "negative",
        "x-backwards",
        "tiny-x",
    ],
)
def test_awkward_points_paint(qtbot: QtBot, points: list[tuple[float, float]]) -> None:
    c = chart(qtbot, [Series("a", 0, points, failed=True), Series("b", 1, [(0.0, 0), (1, 1)])])
    rows = pixels(c)
    assert count(rows, palette_colour(1), top=40, bottom=H - 30) > 0


def test_one_point_shows_as_a_dot(qtbot: QtBot) -> None:
    c = chart(qtbot, [Series("a", 4, [(0.5, 10)]), Series("b", 1, [(0.0, 0), (2.0, 50)])])
    assert count(pixels(c), colour(c, 4), top=40, bottom=H - 30) > 3


def test_the_legend_lists_each_column_once(qtbot: QtBot) -> None:
    repeats = [
        Series(name, i, ramp(0.1 * r, 3, 0, 50 + r, 20), faded=r > 0)
        for i, name in enumerate(["alpha", "beta", "gamma"])
        for r in range(3)
    ]
    c = chart(qtbot, repeats)
    assert c.legend() == [(0, "alpha"), (1, "beta"), (2, "gamma")]
    text = c.accessibleDescription()
    assert all(text.count(name) == 1 for name in ("alpha", "beta", "gamma"))
    # Each swatch is in the top rows, where no line reaches (the axis starts below them).
    rows = pixels(c)
    for i in range(3):
        assert count(rows, colour(c, i), bottom=30) > 10


def test_the_legend_has_at_most_eight_entries(qtbot: QtBot) -> None:
    many = [Series(f"column {i}", i, ramp(0, 1, 0, 10, 5)) for i in range(10)]
    c = chart(qtbot, many)
    assert len(c.legend()) == 8
    c.resize(240, 120)  # the smallest: fewer entries shown, the plot still has room
    c.grab()


class PaintCounter(QObject):
    def __init__(self, target: QObject) -> None:
        super().__init__()
        self.paints = 0
        target.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_refresh_coalesces_repaints(qtbot: QtBot) -> None:
    points: list[tuple[float, float]] = [(0.0, 0)]
    c = chart(qtbot, [Series("a", 0, points)])
    c.show()
    qtbot.waitExposed(c)
    qtbot.wait(50)
    counter = PaintCounter(c)
    for i in range(1000):
        points.append((i / 100, i))
        c.refresh()
    qtbot.wait(400)
    assert 1 <= counter.paints <= 3

    # Streaming: a refresh every 5 ms for 1 s paints about 10 times, not 200.
    counter.paints = 0
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1
        points.append((10 + ticks / 100, 1000 + ticks))
        c.refresh()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    qtbot.wait(1000)
    timer.stop()
    assert ticks > 50
    assert counter.paints <= 13


def test_growing_lines_paint_as_if_drawn_at_once(qtbot: QtBot) -> None:
    """The cached line of each series, extended as points arrive, is the line drawn afresh."""
    full = three()
    growing = [Series(s.label, s.colour_index, [], s.faded, s.failed) for s in full]
    c = chart(qtbot, growing)
    step = 7
    for end in range(0, 300 + step, step):
        for g, s in zip(growing, full, strict=True):
            g.points.extend(s.points[len(g.points) : end])  # type: ignore[attr-defined]
        c.grab()
    fresh = chart(qtbot, full)
    assert pixels(c) == pixels(fresh)


def test_appending_only_extends_the_line(qtbot: QtBot) -> None:
    points = ramp(0, 4, 0, 100, 400)
    full = chart(qtbot, [Series("a", 0, ramp(0, 8, 0, 200, 800))])
    c = chart(qtbot, [Series("a", 0, points)])
    c.set_live_until(8.0)  # the same axes as the full line
    before = pixels(c)
    points.extend(ramp(4.01, 8, 100.25, 200, 399))
    c.refresh()
    qtbot.waitUntil(lambda: pixels(c) != before, timeout=1000)
    c.set_live_until(None)
    assert pixels(c) == pixels(full)


def test_a_list_refilled_in_place_is_drawn_afresh(qtbot: QtBot) -> None:
    points = ramp(0, 5, 0, 300, 100)
    c = chart(qtbot, [Series("a", 0, points)])
    c.grab()
    points[:] = ramp(0, 3, 0, 40, 30)  # shorter: not an append
    assert pixels(c) == pixels(chart(qtbot, [Series("a", 0, ramp(0, 3, 0, 40, 30))]))


def test_live_until_widens_the_axis_and_extends_a_live_line(qtbot: QtBot) -> None:
    points = ramp(0, 2, 0, 100, 50)
    other = Series("other", 1, ramp(0, 1, 0, 200, 20))  # the stalled line is mid-height
    c = chart(qtbot, [Series("stalled", 0, points, live=True), other])
    target = rgb(colour(c, 0))

    def reach() -> int:
        rows = pixels(c)[40 : H - 30]
        return max(max((x for x, v in enumerate(r) if v == target), default=0) for r in rows)

    def flat() -> int:
        return max(longest_run(r, target) for r in pixels(c)[40 : H - 30])

    assert reach() > 0.9 * W
    assert flat() < 0.2 * W
    c.set_live_until(10.0)  # 2 s of points, 10 s elapsed: flat from 2 s to 10 s
    assert flat() > 0.6 * W
    c.set_series(
        [Series("stalled", 0, points), other]
    )  # not live: the line ends where its points do
    assert reach() < 0.35 * W
    c.set_live_until(None)
    assert reach() > 0.9 * W


def test_api_and_names(qtbot: QtBot) -> None:
    c = chart(qtbot)
    assert c.objectName() == "compareTimeline"
    assert c.accessibleName() == "Tokens received over time"
    assert c.sizeHint().width() >= 2 * c.minimumSizeHint().width()
    assert c.minimumSizeHint().width() == 200
    assert c.minimumSizeHint().height() >= 4 * c.fontMetrics().height()  # the labels never overlap
    s = three()
    c.set_series(s)
    got = c.series()
    assert got == s
    got.clear()
    assert len(c.series()) == 3


def test_nice_axis_and_compact_numbers() -> None:
    assert nice_axis(8.5, 5) == (10, 2)
    assert nice_axis(300, 4) == (300, 100)
    assert nice_axis(0, 4) == (1, 0.5)  # no data yet: 0 to 1
    assert nice_axis(3, 6, min_step=1.0) == (3, 1)
    top, step = nice_axis(1e12, 4)
    assert top >= 1e12
    assert top / step <= 4
    c = QLocale.c()
    assert [compact_number(v, c) for v in (0, 0.25, 250, 1500, 20000, 3e6, 1e12)] == [
        "0",
        "0.25",
        "250",
        "1.5k",
        "20k",
        "3M",
        "1T",
    ]
    assert compact_number(1500, QLocale(QLocale.Language.German)) == "1,5k"


def test_the_paint_benchmark_runs() -> None:
    """bench/timeline_paint.py prints figures (never asserted on here: only that it runs)."""
    out = subprocess.run(
        [sys.executable, "bench/timeline_paint.py", "--points", "300", "--runs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "empty" in out.stdout
    assert "8×300" in out.stdout


def test_value_labels_on_a_short_plot_never_overlap() -> None:
    # y grows downwards: 100 is the plot's bottom (the 0 label), 10 its top (the top value)
    assert spaced_from_top([100.0, 55.0, 10.0], 15.0) == [2, 1, 0]
    assert spaced_from_top([20.0, 10.0], 15.0) == [1]  # the top value only, not 0 on top of it
    assert spaced_from_top([40.0, 30.0, 20.0, 10.0], 15.0) == [3, 1]
    assert spaced_from_top([], 15.0) == []
