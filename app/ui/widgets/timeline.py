"""TimelineChart: the Compare view's plot of tokens received over time, one line per attempt.

Painted by hand (a QWidget with paintEvent) rather than with QtCharts: QtCharts is in
PySide6-Addons, not the PySide6-Essentials Promptpad ships, so it would add tens of MB to the
bundle and another import at start-up for one small line chart.

A points list may hold 20,000+ points and grows in place while streaming, so a paint does not
walk it in Python. Each series is cleaned once, then only its new tail (NaN/inf dropped,
negatives clamped to 0, x kept ascending). Its line is built at the current scale and kept: per
pixel column the first and last point (found by bisecting x), less the points that lie within
0.35 px of a straight segment; a stall stays a flat line, a jump a jump. Appended points extend
the kept line; only a new scale (resize, an axis passing its top tick) rebuilds it. A 2 px
antialiased pen costs per vertex, so dropping the points of straight runs is what keeps the
stroke cheap. ``refresh()`` coalesces repaints to at most 10 a second with one single-shot timer.

Measured with bench/timeline_paint.py (offscreen, 600×180, median of 100 paints, same run):
empty chart 0.06 ms; axes and legend with one short line 0.44 ms; 8 × 20,000 points 0.90 ms,
also after each series grew by 20 points. The first paint after set_series() with new lists,
which cleans 160,000 points and builds the lines, 13 ms (once per points list); a rebuild at a
new scale about 4 ms.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from app.ui.theme import Theme, theme_for

REFRESH_MS = 100  # refresh() repaints at most this often
MAX_LEGEND = 8
PAD = 6.0  # around the whole chart
TICK = 4.0  # tick mark length
SWATCH = 16.0  # legend line length
TOLERANCE = 0.35  # px a line may move when points on a straight run are dropped
MIN_PLOT = 40.0  # the legend wraps to fewer rows rather than leave the plot less height
MIN_LABEL = 40.0  # legend labels are elided to no narrower than this
_PREFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))  # SI symbols, not translated


@dataclass
class Series:
    """One attempt's line. ``points`` may grow while streaming (the same list, appended to)."""

    label: str  # legend text: the column's name
    colour_index: int  # the column's position: colour = theme.series_colour(colour_index)
    points: Sequence[tuple[float, float]]  # (seconds since sent, tokens so far), x ascending
    faded: bool = False  # a repeat that is not the one being browsed: thinner, translucent
    failed: bool = False  # its attempt failed: a cross marks its end
    live: bool = False  # still streaming: the line goes on flat to set_live_until's time


class _Trace:
    """One series made ready to draw: its points cleaned, and its line in pixels at the current
    scale, both brought up to date with what was appended since the last paint.

    The line keeps, per pixel column, the first and last point in it, then drops the points that
    lie within TOLERANCE px (vertically) of a straight segment between their neighbours, so a
    steady stream becomes a few long segments (a 2 px antialiased pen costs per vertex) and a
    stall or a jump keeps its corners. Only complete columns (a later point exists) are kept;
    the last column's points are added at each paint.
    """

    def __init__(self, source: Sequence[tuple[float, float]]) -> None:
        self.source = source
        self._reset()

    def _reset(self) -> None:
        self.seen = 0  # how many of the source's points are cleaned
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.y_max = 0.0
        self._key: tuple[float, float, float, float] | None = None  # the scale of the line

    def update(self) -> None:
        """Clean what was appended to the source since the last call."""
        n = len(self.source)
        if n < self.seen:  # not appended to but refilled in place: start again
            self._reset()
        if n == self.seen:
            return
        tail = self.source[self.seen : n]
        self.seen = n
        xs = list(map(itemgetter(0), tail))
        ys = list(map(itemgetter(1), tail))
        last = self.xs[-1] if self.xs else 0.0
        # The usual case checked at C speed (a sum is finite only if every term is; sorted() of
        # a sorted list is one pass); the slow loop only for data that needs mending.
        if (
            math.isfinite(sum(xs))
            and math.isfinite(sum(ys))
            and xs[0] >= last
            and xs == sorted(xs)
            and ((rising := ys == sorted(ys)) and ys[0] >= 0 or min(ys) >= 0)
        ):
            self.xs += xs
            self.ys += ys
            self.y_max = max(self.y_max, ys[-1] if rising else max(ys))
            return
        for x, y in zip(xs, ys, strict=True):
            if math.isfinite(x) and math.isfinite(y):
                last = max(x, last)
                self.xs.append(last)
                self.ys.append(max(y, 0.0))
                self.y_max = max(self.y_max, y)

    def line(self, x0: float, y0: float, sx: float, sy: float) -> list[QPointF]:
        """The line in pixels: data x maps to x0 + x * sx, y to y0 - y * sy."""
        key = (x0, y0, sx, sy)
        if key != self._key:
            self._key = key
            self._done = 0  # the first point not yet in a complete column
            self._verts: list[QPointF] = []
            self._state = (False, 0.0, 0.0, False, 0.0, 0.0, -math.inf, math.inf)
        # The anchor (ax, ay) is the last vertex kept; (lx, ly) the furthest point whose segment
        # from the anchor still passes within TOLERANCE of every point dropped in between, which
        # holds while its slope stays within [lo, hi]. Inlined: it runs per pixel column.
        anchored, ax, ay, has_last, lx, ly, lo, hi = self._state
        xs, ys, n, verts = self.xs, self.ys, len(self.xs), self._verts
        end, per, i = xs[-1], 1.0 / sx, self._done
        while i < n:
            b = (int(xs[i] * sx) + 1) * per  # where the column of point i ends
            if end < b:
                break  # the last column: more points may land in it
            j = bisect_left(xs, b, i)
            if j <= i:  # rounding put xs[i] at or past b
                j = i + 1
            for k in (i, j - 1) if j - 1 > i else (i,):
                x, y = x0 + xs[k] * sx, y0 - ys[k] * sy
                if anchored and (dx := x - ax) > 1e-6 and lo <= (slope := (y - ay) / dx) <= hi:
                    lx, ly, has_last, t = x, y, True, TOLERANCE / dx
                    if slope - t > lo:
                        lo = slope - t
                    if slope + t < hi:
                        hi = slope + t
                    continue
                if has_last:  # the segment ends at the last point that fitted it
                    verts.append(QPointF(lx, ly))
                    ax, ay = lx, ly
                    if (dx := x - ax) > 1e-6:
                        slope, t = (y - ay) / dx, TOLERANCE / dx
                        lx, ly, lo, hi = x, y, slope - t, slope + t
                        continue
                verts.append(QPointF(x, y))  # the first point, or one straight above the anchor
                anchored, ax, ay, has_last, lo, hi = True, x, y, False, -math.inf, math.inf
            i = j
        self._done = i
        self._state = (anchored, ax, ay, has_last, lx, ly, lo, hi)
        out = list(verts)
        if has_last:
            out.append(QPointF(lx, ly))
        for k in sorted({i, n - 1}) if i < n else ():
            out.append(QPointF(x0 + xs[k] * sx, y0 - ys[k] * sy))
        return out


def spaced_from_top(ys: list[float], gap: float) -> list[int]:
    """The indices of the labels to draw at heights ys (screen y, growing downwards): from the
    top one down, each at least gap below the last one drawn."""
    out: list[int] = []
    for i in sorted(range(len(ys)), key=ys.__getitem__):
        if not out or ys[i] - ys[out[-1]] >= gap:
            out.append(i)
    return out


def nice_axis(value: float, max_ticks: int, min_step: float = 0.0) -> tuple[float, float]:
    """(top, step): the smallest 1-2-5 step that reaches a top >= value in <= max_ticks steps."""
    if not (value > 0 and math.isfinite(value)):
        value = 1.0
    max_ticks = max(1, max_ticks)
    mag = 10.0 ** math.floor(math.log10(value / max_ticks))
    step = mag
    for m in (1, 2, 5, 10):
        step = max(m * mag, min_step)
        if math.ceil(value / step - 1e-9) <= max_ticks:
            break
    return math.ceil(value / step - 1e-9) * step, step


class TimelineChart(QWidget):
    """Tokens received over time: one line per attempt, coloured by its column, with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareTimeline")
        self.setAccessibleName(self.tr("Tokens received over time"))
        self._series: list[Series] = []
        self._traces: list[_Trace] = []
        self._live_until: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.update)

    # the API ----------------------------------------------------------------------------------

    def set_series(self, series: list[Series]) -> None:
        """Replace all series; a points list already shown keeps its cleaned copy."""
        old = {id(c.source): c for c in self._traces}
        self._series = list(series)
        self._traces = [old.get(id(s.points)) or _Trace(s.points) for s in self._series]
        labels = [label for _, label in self.legend()]
        self.setAccessibleDescription(
            self.tr("Lines for: %1").replace("%1", ", ".join(labels)) if labels else ""
        )
        self.update()

    def refresh(self) -> None:
        """The points lists grew: repaint soon (coalesced to at most 10 paints a second)."""
        if not self._timer.isActive():
            self._timer.start()

    def series(self) -> list[Series]:
        return list(self._series)

    def set_live_until(self, seconds: float | None) -> None:
        """While streaming, show x up to at least ``seconds`` (the elapsed time); None when done."""
        if seconds is not None and not math.isfinite(seconds):
            seconds = None
        if seconds == self._live_until:
            return
        self._live_until = seconds
        if seconds is None:
            self.update()
        else:
            self.refresh()

    def legend(self) -> list[tuple[int, str]]:
        """(colour_index, label) for each distinct colour, in order of index, at most 8."""
        seen: dict[int, str] = {}
        for s in self._series:
            seen.setdefault(s.colour_index, s.label)
        return sorted(seen.items())[:MAX_LEGEND]

    # Qt overrides -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(600, 180)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Room for the legend, a plot one label high (its 0 and top labels just apart) and the
        # time axis; small enough that the window still fits 800 × 600 (and 720 × 540).
        lh = QFontMetricsF(self.font()).height()
        return QSize(200, math.ceil(4 * lh + 2 * PAD + TICK + 6))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.LocaleChange,
            QEvent.Type.StyleChange,
        ):
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        try:
            self._paint(p)
        finally:
            p.end()

    # painting ---------------------------------------------------------------------------------

    def _paint(self, p: QPainter) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        base = pal.color(QPalette.ColorRole.Base)
        p.fillRect(self.rect(), base)
        p.setFont(self.font())
        for c in self._traces:
            c.update()
        x_max = max((c.xs[-1] for c in self._traces if c.xs), default=None)
        if x_max is None and self._live_until is None:
            p.setPen(_mix(text, base, 0.7))
            p.drawText(
                QRectF(self.rect()).adjusted(PAD, PAD, -PAD, -PAD),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Run the comparison to see tokens over time"),
            )
            return
        x_max = max(x_max or 0.0, self._live_until or 0.0)
        y_max = max((c.y_max for c in self._traces), default=0.0)
        fm = QFontMetricsF(self.font())
        w, h, lh = float(self.width()), float(self.height()), fm.height()
        theme = theme_for(pal)

        top = self._paint_header(p, fm, text, theme)
        bottom = h - PAD - 2 * lh - TICK - 2
        y_top, y_step = nice_axis(y_max, max(1, int((bottom - top) / (lh * 1.6))), min_step=1.0)
        y_ticks = [i * y_step for i in range(round(y_top / y_step) + 1)]
        y_labels = [self._number(v) for v in y_ticks]
        left = PAD + max(fm.horizontalAdvance(t) for t in y_labels) + TICK + 3
        x_top, x_step, x_labels, right = self._x_axis(fm, x_max, w - PAD - left)
        x_title = self.tr("milliseconds") if x_top < 1 else self.tr("seconds")
        plot = QRectF(left, top, max(1.0, right - left), max(1.0, bottom - top))

        # Opaque mixes, not translucent pens: Qt's raster engine draws a translucent aliased
        # line some 20 times slower than an opaque one (measured: 80 µs for 550 px).
        grid, axis = _mix(text, base, 0.15), _mix(text, base, 0.6)
        p.setPen(QPen(grid, 1))
        for v in y_ticks[1:]:
            y = round(plot.bottom() - v / y_top * plot.height()) + 0.5
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(QPen(axis, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        p.setPen(text)
        ys = [plot.bottom() - v / y_top * plot.height() for v in y_ticks]
        for i in spaced_from_top(ys, lh):  # a short plot: never two labels on top of each other
            y, label = ys[i], y_labels[i]
            r = QRectF(PAD, y - lh / 2, left - PAD - TICK - 3, lh)
            p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        for i, label in enumerate(x_labels):
            x = plot.left() + i * x_step / x_top * plot.width()
            p.setPen(QPen(axis, 1))
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + TICK))
            p.setPen(text)
            tw = fm.horizontalAdvance(label)
            p.drawText(
                QRectF(x - tw / 2 - 1, plot.bottom() + TICK, tw + 2, lh),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + TICK + lh, plot.width(), lh + 2),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            x_title,
        )
        self._paint_lines(p, plot, x_top, y_top, theme)

    def _paint_header(self, p: QPainter, fm: QFontMetricsF, text: QColor, theme: Theme) -> float:
        """The y axis title and the legend flowing after it; returns where the plot starts."""
        lh, w, h = fm.height(), self.width() - 2 * PAD, self.height()
        title = fm.elidedText(self.tr("tokens (chunks received)"), Qt.TextElideMode.ElideRight, w)
        entries = self.legend()
        room = h - 2 * PAD - 3 * lh - TICK - MIN_PLOT  # for the rows of title and legend
        max_rows = max(1, min(int(room // lh), 1 if h < 150 else 2 if h < 260 else 3))
        start = fm.horizontalAdvance(title) + 1.5 * lh
        full = [fm.horizontalAdvance(t) for _, t in entries]

        def flow(cap: float, extra: list[float]) -> list[tuple[float, int]]:
            return _flow(start, [SWATCH + 4 + min(f, cap) for f in full] + extra, w, lh)

        def fits(places: list[tuple[float, int]]) -> bool:
            return not places or places[-1][1] < max_rows

        # The widest labels (elided in the middle: names often share a provider prefix) that
        # let the legend fit its rows; failing that, the narrowest, as many as fit, "+N more".
        cap, more = min(max(full, default=0.0), w - SWATCH - 4), ""
        if not fits(flow(cap, [])):
            lo, hi = MIN_LABEL, cap
            if fits(flow(lo, [])):
                while hi - lo > 4:
                    mid = (lo + hi) / 2
                    lo, hi = (mid, hi) if fits(flow(mid, [])) else (lo, mid)
            cap = lo
        places = flow(cap, [])
        if not fits(places):
            for k in range(len(entries) - 1, -1, -1):
                del full[k:]
                more = self.tr("+%1 more").replace("%1", self.locale().toString(len(entries) - k))
                places = flow(cap, [fm.horizontalAdvance(more)])
                if fits(places):
                    break
        elide = Qt.TextElideMode.ElideMiddle
        labels = [fm.elidedText(t, elide, cap) for (_, t), _ in zip(entries, full, strict=False)]
        p.setPen(text)
        p.drawText(QRectF(PAD, PAD, w, lh), Qt.AlignmentFlag.AlignLeft, title)
        rows = max((row + 1 for _, row in places), default=1)
        for (index, _), label, (x, row) in zip(entries, labels, places, strict=False):
            y = PAD + row * lh
            mid = round(y + lh / 2) + 0.5
            p.setPen(self._pen(theme.series_colour(index), 2.5))
            p.drawLine(QPointF(PAD + x, mid), QPointF(PAD + x + SWATCH, mid))
            p.setPen(text)
            p.drawText(QRectF(PAD + x + SWATCH + 4, y, w, lh), Qt.AlignmentFlag.AlignLeft, label)
        if more:
            x, row = places[-1]
            p.drawText(QRectF(PAD + x, PAD + row * lh, w, lh), Qt.AlignmentFlag.AlignLeft, more)
        return PAD + rows * lh + 0.8 * lh

    def _x_axis(
        self, fm: QFontMetricsF, x_max: float, room: float
    ) -> tuple[float, float, list[str], float]:
        """(top, step, labels, right edge of the plot) with labels that do not overlap."""
        ticks = max(1, int(room / (fm.horizontalAdvance("0000") * 2)))
        while True:
            x_top, step = nice_axis(x_max, ticks)
            scale = 1000.0 if x_top < 1 else 1.0
            labels = [self._number(i * step * scale) for i in range(round(x_top / step) + 1)]
            widest = max(fm.horizontalAdvance(t) for t in labels)
            right = self.width() - PAD - fm.horizontalAdvance(labels[-1]) / 2
            slot = (right - (self.width() - PAD - room)) / max(1, len(labels) - 1)
            if slot >= widest + fm.height() or ticks == 1:
                return x_top, step, labels, right
            ticks -= 1

    def _paint_lines(
        self, p: QPainter, plot: QRectF, x_top: float, y_top: float, theme: Theme
    ) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setClipRect(plot.adjusted(-4, -4, 4, 4))
        sx, sy = plot.width() / x_top, plot.height() / y_top
        order = sorted(range(len(self._series)), key=lambda i: not self._series[i].faded)
        for i in order:
            s, c = self._series[i], self._traces[i]
            if not c.xs:
                continue
            colour = QColor(theme.series_colour(s.colour_index))
            if s.faded:
                colour.setAlphaF(0.4)
            points = c.line(plot.left(), plot.bottom(), sx, sy)
            end = points[-1]
            if s.live and self._live_until is not None and self._live_until > c.xs[-1]:
                points.append(QPointF(plot.left() + self._live_until * sx, end.y()))
            if len(points) == 1:
                p.setPen(self._pen(colour, 4.0))
                p.drawPoint(end)
            else:
                p.setPen(self._pen(colour, 1.0 if s.faded else 2.0))
                p.drawPolyline(points)
            if s.failed:
                p.setPen(self._pen(colour, 2.0))
                d = 4.0
                p.drawLine(end + QPointF(-d, -d), end + QPointF(d, d))
                p.drawLine(end + QPointF(-d, d), end + QPointF(d, -d))

    @staticmethod
    def _pen(colour: QColor, width: float) -> QPen:
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _number(self, v: float) -> str:
        return compact_number(v, self.locale())


def compact_number(v: float, locale: QLocale) -> str:
    """Tick text: 250, 0.25, 1.5k, 20k, 3M, 1T (SI prefixes; the locale's decimal sign)."""
    suffix = ""
    for div, prefix in _PREFIXES:
        if abs(v) >= div:
            v, suffix = v / div, prefix
            break
    return locale.toString(float(v), "g", 4) + suffix


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``t`` of ``a`` over ``1 - t`` of ``b``."""
    rgb = zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(t * u + (1 - t) * v for u, v in rgb))


def _flow(start: float, widths: list[float], room: float, gap: float) -> list[tuple[float, int]]:
    """(x, row) of each item of these widths: from ``start`` on the first row, then wrapping."""
    x, row = start, 0
    out = []
    for item in widths:
        if x + item > room and x > 0:
            x, row = 0.0, row + 1
        out.append((x, row))
        x += item + gap
    return out
