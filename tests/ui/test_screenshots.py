"""The README's screenshots: scripts/screenshot.py renders the first run, a run mid-stream, a
finished comparison and its diff, light and dark, in English and Chinese, and the README shows
each of them (issues 10 and 12)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]
SHOTS = [
    f"{kind}-{theme}-{lang}.png"
    for kind in ("first-run", "playground", "compare", "diff")
    for theme in ("light", "dark")
    for lang in ("en", "zh_CN")
]


def mean_lightness(image: QImage) -> float:
    """The average HSL lightness (0-1) over a grid of pixels."""
    values = [
        QColor(image.pixel(x, y)).lightnessF()
        for x in range(0, image.width(), 10)
        for y in range(0, image.height(), 10)
    ]
    return sum(values) / len(values)


def test_the_readme_shows_every_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(docs/screenshots/([^)]+)\)", readme)
    assert sorted(shown) == sorted(SHOTS)
    for name in shown:
        assert QImage(str(ROOT / "docs" / "screenshots" / name)).width() > 0, name


def test_the_script_renders_each_screenshot_in_its_theme(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshot.py"), str(tmp_path)],
        check=True,
        env=env,
        capture_output=True,
        timeout=110,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SHOTS)
    for name in SHOTS:
        image = QImage(str(tmp_path / name))
        size = (900, 420) if name.startswith("diff-") else (1100, 700)
        assert (image.width(), image.height()) == size, name
        lightness = mean_lightness(image)
        if "-dark-" in name:
            assert lightness < 0.35, name
        else:
            assert lightness > 0.65, name
