"""Render the README's screenshots: the first run, a run mid-stream, a comparison and its diff,
in a light and a dark theme, in English and in Simplified Chinese, into docs/screenshots/*.png
(offscreen Qt).

QT_QPA_PLATFORM=offscreen python scripts/screenshot.py [OUT_DIR]

Each window is built on a fresh home (so the first run really is one) under Qt's Fusion style,
whose light palette is the default and whose dark one is set here as a desktop in dark mode
would give it: Promptpad's own colours (output highlight, token shades, bars, the first-run
panel) then come from app/ui/theme.py's dark variant. The run streams from the loopback test
server. Chinese text needs a CJK font (fonts-noto-cjk, installed by scripts/install.sh).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PROMPTPAD_HOME"] = tempfile.mkdtemp(prefix="promptpad-shot-")

import qasync  # noqa: E402
from PySide6.QtCore import QCoreApplication, QLocale, QSize, QTranslator  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.endpoint import make_http_client  # noqa: E402
from app.core.keystore import MemoryKeyStore  # noqa: E402
from app.ui.app import gui_services, install_translators  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from promptpad_testing.server import TestServer, stream_reply  # noqa: E402

SIZE = QSize(1100, 700)
PROMPT = "写代码的五个好习惯 (Five habits of good programmers):"
TEXT = (
    "\n\n1. 先把问题拆成小块，每块都能单独验证。\n2. Write the test first; watch it fail.\n"
    "3. Make it pass with the simplest change that could work.\n4. 重构，然后再跑一遍所有测试。\n"
    "5. Commit with a message that says why."
)
LANGUAGES = ("en", "zh_CN")
THEMES = ("light", "dark")


def dark_palette() -> QPalette:
    """Fusion's colours as a dark desktop gives them."""
    p = QPalette()
    window, base, text = QColor("#2d2d2d"), QColor("#1e1e1e"), QColor("#e8e8e8")
    disabled = QColor("#7a7a7a")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#262626"),
        QPalette.ColorRole.ToolTipBase: QColor("#3a3a3a"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9a9a9a"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#3a3a3a"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#4a4a4a"),
        QPalette.ColorRole.Midlight: QColor("#404040"),
        QPalette.ColorRole.Mid: QColor("#262626"),
        QPalette.ColorRole.Dark: QColor("#1a1a1a"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
        QPalette.ColorRole.Highlight: QColor("#3d6fb4"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    return p


def use_language(app: QApplication, lang: str) -> list[QTranslator]:
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(lang))
    return install_translators(app)


def drop_language(translators: list[QTranslator]) -> None:
    for t in translators:
        QCoreApplication.removeTranslator(t)


def new_window(http: object) -> MainWindow:
    home = Path(tempfile.mkdtemp(prefix="promptpad-shot-"))
    win = MainWindow(gui_services(home, MemoryKeyStore(), http))  # type: ignore[arg-type]
    win.resize(SIZE)
    win.show()
    return win


async def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()
        await asyncio.sleep(0.02)


async def first_run(http: object, out: Path) -> None:
    win = new_window(http)
    await settle()
    win.grab().save(str(out))
    win.close()


async def mid_stream(http: object, srv: TestServer, out: Path) -> None:
    win = new_window(http)
    pieces = [TEXT[i : i + 3] for i in range(0, len(TEXT), 3)]
    srv.queue(stream_reply(pieces, delay=0.02))
    win.connection.base_url.setText(srv.base_url)
    win.params.model_combo.setEditText("gpt-3.5-turbo-instruct")
    win.params.temperature.set_value(0.7)
    win.params.set_stop_sequences(["\n\n\n", "END"])
    win.editor.setPlainText(PROMPT)
    win.run()
    while len(win.editor.toPlainText()) < len(PROMPT) + 110:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.05)
    win.grab().save(str(out))
    win.stop()
    while win.runner.busy:
        await asyncio.sleep(0.02)
    win.close()


COMPARE_PROMPT = "用一句话介绍长城 (The Great Wall in one sentence):"
REPLY_A = " 长城是中国古代修建的防御工程，绵延两万多公里，是世界上最宏伟的建筑之一。"
REPLY_B = " 长城是中国古代的军事防御工程，全长两万多公里，是世界文化遗产。"


async def compare(http: object, srv: TestServer, slow: TestServer, out: Path) -> None:
    """Two relays (a fast and a slow one) and two temperatures, three repeats, finished; then the
    diff of the two outputs."""
    win = new_window(http)
    win.connection.base_url.setText(srv.base_url)  # set up: the playground's server
    win.params.model_combo.setEditText("gpt-3.5-turbo-instruct")
    win.mode_tabs.setCurrentWidget(win.compare_view)
    await settle()
    ctl = win.compare
    while len(ctl.columns) < 3:
        ctl.add_column()
    for col, server in zip(list(ctl.columns), (srv, srv, slow), strict=True):
        ctl.set_where(col.name, base_url=server.base_url)
        ctl.set_model(col.name, "gpt-3.5-turbo-instruct")
    ctl.set_override(ctl.columns[1].name, "temperature", 0.2)
    ctl.set_override(ctl.columns[2].name, "temperature", 0.2)
    win.compare_view.repeat.setValue(3)  # as a user does
    win.compare_view.prompt.setPlainText(COMPARE_PROMPT)
    for server, delay in ((srv, 0.004), (slow, 0.03)):
        for i in range(6):
            text = REPLY_A if i % 2 == 0 else REPLY_B
            pieces = [text[j : j + 2] for j in range(0, len(text), 2)]
            usage = {
                "prompt_tokens": 18,
                "completion_tokens": len(pieces),
                "total_tokens": 18 + len(pieces),
            }
            server.queue(stream_reply(pieces, delay=delay, usage=usage))
    await settle()
    win.compare_view.run_all()
    while ctl.busy or ctl.result is None:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    await settle()
    win.grab().save(str(out))
    dialog = win.compare_view.show_diff()
    if dialog is not None:
        dialog.resize(900, 420)
        await asyncio.sleep(0.3)
        await settle()
        dialog.grab().save(str(out).replace("compare-", "diff-"))
        dialog.close()
    win.close()


async def main(app: QApplication, out_dir: Path) -> None:
    light = app.style().standardPalette()
    http = make_http_client()
    with TestServer() as srv, TestServer() as slow:
        for lang in LANGUAGES:
            translators = use_language(app, lang)
            for theme in THEMES:
                app.setPalette(dark_palette() if theme == "dark" else light)
                for kind in ("first-run", "playground", "compare"):
                    out = out_dir / f"{kind}-{theme}-{lang}.png"
                    if kind == "first-run":
                        await first_run(http, out)
                    elif kind == "compare":
                        await compare(http, srv, slow, out)
                    else:
                        await mid_stream(http, srv, out)
                    print(out)
            drop_language(translators)
    await http.aclose()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots"
    target.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    app.setStyle("Fusion")
    app.setQuitOnLastWindowClosed(False)  # closing a window must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main(app, target))
