"""One paint of the Compare timeline chart with 8 × 20,000 points, against an empty chart.

Both are measured in the same run, offscreen, rendering the widget into a QImage of its size
(--size, default 600x180) --runs times; printed: the median and the worst paint of

    empty      the chart with no series (the placeholder text): the baseline
    axes       one series of 2 points: axes, ticks, legend, almost no line
    8×N        8 series of N points each (2 of them faded repeats, 1 failed, 1 with stalls)
    first      the first paint after set_series(), which also cleans the new points lists
    streaming  a paint after each series grew by 20 points (what refresh() repaints)

Target: 8×N well under 5 ms.

    python bench/timeline_paint.py [--points 20000] [--runs 50] [--size 600x180]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.widgets.timeline import Series, TimelineChart  # noqa: E402


def timeline(n: int, rate: float, stalls: bool, rng: random.Random) -> list[tuple[float, int]]:
    """n network reads at about ``rate`` chunks/s, 1-3 chunks each, with a stall or two."""
    t, y, out = rng.uniform(0.2, 1.5), 0, []
    for i in range(n):
        t += rng.expovariate(rate)
        if stalls and i in (n // 3, 2 * n // 3):
            t += 4.0
        y += rng.randint(1, 3)
        out.append((t, y))
    return out


def make(n: int, rng: random.Random) -> list[Series]:
    return [
        Series(
            f"provider {i} · model-{i} · t=0.{i}",
            i % 6,
            timeline(n, rng.uniform(150, 600), stalls=i == 1, rng=rng),
            faded=i >= 6,
            failed=i == 2,
        )
        for i in range(8)
    ]


def paint_ms(chart: TimelineChart, image: QImage) -> float:
    t0 = time.perf_counter()
    chart.render(image)
    return (time.perf_counter() - t0) * 1000


def main(points: int, runs: int, size: tuple[int, int]) -> None:
    app = QApplication.instance() or QApplication([])
    chart = TimelineChart()
    chart.resize(*size)
    image = QImage(chart.size(), QImage.Format.Format_ARGB32_Premultiplied)
    rng = random.Random(1)

    def measure(prepare: object = None) -> list[float]:
        times = []
        for _ in range(runs):
            if callable(prepare):
                prepare()
            times.append(paint_ms(chart, image))
        return times

    results: dict[str, list[float]] = {}
    paint_ms(chart, image)  # warm up fonts and the paint engine
    results["empty"] = measure()
    chart.set_series([Series("provider 0 · model-0", 0, [(0.3, 0), (60.0, 9000)])])
    paint_ms(chart, image)
    results["axes"] = measure()

    data = make(points, rng)
    chart.set_series(data)
    paint_ms(chart, image)
    results[f"8×{points}"] = measure()

    results["first"] = measure(lambda: chart.set_series(make_copy(data)))

    def grow() -> None:
        for s in data:
            t, y = s.points[-1]
            for _ in range(20):
                t, y = t + 0.004, y + 1
                s.points.append((t, y))  # type: ignore[attr-defined]

    chart.set_series(data)
    results["streaming"] = measure(grow)

    base = statistics.median(results["empty"])
    print(f"timeline paint, {size[0]}x{size[1]}, {runs} runs, {app.platformName()}")
    for name, times in results.items():
        med = statistics.median(times)
        print(
            f"  {name:<12} median {med:6.2f} ms   worst {max(times):6.2f} ms   {med / base:5.1f}x"
        )


def make_copy(data: list[Series]) -> list[Series]:
    """The same series with new points lists, so set_series() has to clean them again."""
    return [Series(s.label, s.colour_index, list(s.points), s.faded, s.failed) for s in data]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--size", default="600x180")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    main(args.points, args.runs, (w, h))
