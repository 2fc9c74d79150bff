"""Draw Promptpad's application icon and write it in the sizes each platform wants.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Writes ``resources/icons/``: ``promptpad-<N>.png`` for N in 16..1024, ``promptpad.png`` (the
window icon, 256 px), ``promptpad.ico`` (Windows: 16..256, small sizes as 32-bit DIBs, 256 as
PNG) and ``promptpad.icns`` (macOS: PNG payloads).
The design is plain geometry (no fonts), so the output depends only on the Qt version; the files
are committed and builds never need to run this.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "resources" / "icons"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
WINDOW_ICON_SIZE = 256
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types with PNG payloads (macOS 10.8+): type -> pixel size.
ICNS_TYPES = (
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)

TOP, BOTTOM = QColor("#4f46e5"), QColor("#0891b2")  # indigo to cyan
INK = QColor("#ffffff")
CARET = QColor("#fde68a")


def draw(size: int) -> QImage:
    """The icon at ``size`` px: a rounded square, a white "P" and a text caret beside it."""
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    img.setDotsPerMeterX(2835)  # 72 dpi, fixed so the PNG bytes do not depend on the screen
    img.setDotsPerMeterY(2835)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)

    margin = max(1.0, size * 0.0625)
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    side = box.width()
    grad = QLinearGradient(box.topLeft(), box.bottomLeft())
    grad.setColorAt(0.0, TOP)
    grad.setColorAt(1.0, BOTTOM)
    p.setBrush(grad)
    p.drawRoundedRect(box, side * 0.22, side * 0.22)

    def at(x: float, y: float) -> QPointF:
        return QPointF(box.left() + x * side, box.top() + y * side)

    def rect(x0: float, y0: float, x1: float, y1: float) -> QRectF:
        return QRectF(at(x0, y0), at(x1, y1))

    # The "P": a stem and a bowl (outer D-shape minus inner D-shape), filled odd-even.
    stem_l, stem_r, top, bottom = 0.24, 0.38, 0.20, 0.80
    bowl_bottom, stroke = 0.58, 0.14
    glyph = QPainterPath()
    glyph.setFillRule(Qt.FillRule.WindingFill)
    glyph.addRect(rect(stem_l, top, stem_r, bottom))
    bowl = QPainterPath()
    bowl.setFillRule(Qt.FillRule.OddEvenFill)
    bowl.addPath(_d_shape(rect(stem_l, top, 0.72, bowl_bottom)))
    bowl.addPath(_d_shape(rect(stem_r, top + stroke, 0.72 - stroke, bowl_bottom - stroke)))
    glyph = glyph.united(bowl)
    p.setBrush(INK)
    p.drawPath(glyph)

    # The caret: a bar at the baseline, to the right of the letter.
    p.setBrush(CARET)
    p.drawRoundedRect(rect(0.70, 0.52, 0.79, 0.80), side * 0.02, side * 0.02)
    p.end()
    return img


def _d_shape(r: QRectF) -> QPainterPath:
    """A rectangle whose right side is a half-circle (the bowl of a P)."""
    radius = r.height() / 2
    path = QPainterPath()
    path.moveTo(r.topLeft())
    path.lineTo(r.right() - radius, r.top())
    path.arcTo(QRectF(r.right() - 2 * radius, r.top(), 2 * radius, 2 * radius), 90, -180)
    path.lineTo(r.bottomLeft())
    path.closeSubpath()
    return path


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buf.close()
    return bytes(data.data())


def dib_bytes(img: QImage) -> bytes:
    """A 32-bit BGRA DIB as an ICO entry wants it: bottom-up rows, height doubled, AND mask."""
    w, h = img.width(), img.height()
    argb = img.convertToFormat(QImage.Format.Format_ARGB32)
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        # Format_ARGB32 is 0xAARRGGBB in native order: B, G, R, A bytes on little-endian.
        line = bytes(argb.constScanLine(y))[: w * 4]
        if sys.byteorder == "big":
            line = b"".join(line[i : i + 4][::-1] for i in range(0, len(line), 4))
        rows.append(line)
    mask_stride = ((w + 31) // 32) * 4  # the alpha channel rules; the mask is all zeros
    return header + b"".join(rows) + bytes(mask_stride * h)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    sizes = sorted(images)
    payloads = [png_bytes(images[s]) if s >= 256 else dib_bytes(images[s]) for s in sizes]
    out = [struct.pack("<HHH", 0, 1, len(sizes))]
    offset = 6 + 16 * len(sizes)
    for s, data in zip(sizes, payloads, strict=True):
        dim = 0 if s >= 256 else s  # 0 means 256
        out.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        offset += len(data)
    return b"".join(out + payloads)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help=f"default {OUT_DIR}")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    images = {s: draw(s) for s in PNG_SIZES}
    pngs = {s: png_bytes(img) for s, img in images.items()}
    for s, data in pngs.items():
        (args.out / f"promptpad-{s}.png").write_bytes(data)
    # The window icon the app loads by default (Qt scales it down for title bars and task bars).
    (args.out / "promptpad.png").write_bytes(pngs[WINDOW_ICON_SIZE])
    (args.out / "promptpad.ico").write_bytes(ico_bytes({s: images[s] for s in ICO_SIZES}))
    (args.out / "promptpad.icns").write_bytes(icns_bytes(pngs))
    for f in sorted(args.out.iterdir()):
        print(f"{f.stat().st_size:>9}  {f.relative_to(ROOT) if f.is_relative_to(ROOT) else f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
