"""Grab the window mid-stream into docs/screenshots/playground.png (QT_QPA_PLATFORM=offscreen).

QT_QPA_PLATFORM=offscreen python scripts/screenshot.py [OUT.png]
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
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.endpoint import make_http_client  # noqa: E402
from app.core.keystore import MemoryKeyStore  # noqa: E402
from app.core.storage import app_home  # noqa: E402
from app.testserver import TestServer, stream_reply  # noqa: E402
from app.ui.app import gui_services  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

TEXT = (
    "\n\n1. 先把问题拆成小块，每块都能单独验证。\n2. Write the test first; watch it fail.\n"
    "3. Make it pass with the simplest change that could work.\n4. 重构，然后再跑一遍所有测试。\n"
    "5. Commit with a message that says why."
)


async def main(out: Path) -> None:
    http = make_http_client()
    win = MainWindow(gui_services(app_home(), MemoryKeyStore(), http))
    win.resize(1280, 800)
    win.show()
    with TestServer() as srv:
        pieces = [TEXT[i : i + 3] for i in range(0, len(TEXT), 3)]
        srv.queue(stream_reply(pieces, delay=0.02))
        win.connection.base_url.setText(srv.base_url)
        win.params.model_combo.setEditText("gpt-3.5-turbo-instruct")
        win.params.temperature.set_value(0.7)
        win.params.max_tokens.set_value(256)
        win.params.set_stop_sequences(["\n\n\n", "END"])
        win.editor.setPlainText("写代码的五个好习惯 (Five habits of good programmers):")
        win.run()
        while len(win.editor.toPlainText()) < 140:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)
        out.parent.mkdir(parents=True, exist_ok=True)
        win.grab().save(str(out))
        win.stop()
        while win.runner.busy:
            await asyncio.sleep(0.02)
    win.close()
    await http.aclose()
    print(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots/playground.png"
    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing a window must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main(target))
