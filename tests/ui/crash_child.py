"""Child process for test_crash.py: open the real window, type, then wait to be killed -9."""

from __future__ import annotations

import asyncio
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.keystore import MemoryKeyStore  # noqa: E402
from app.core.storage import (
    app_home,
)
from app.ui.app import gui_services
from app.ui.main_window import MainWindow  # noqa: E402


async def main(text: str) -> None:
    win = MainWindow(gui_services(app_home(), MemoryKeyStore()))
    win.show()
    for ch in text:  # real key events, as a person types (CJK as an input method delivers it)
        if ch.isascii():
            QTest.keyClick(win.editor, ch)
        else:
            QApplication.sendEvent(
                win.editor, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch)
            )
    print("typed", flush=True)
    while True:  # the parent kills us (SIGKILL): no closeEvent, no final save
        await asyncio.sleep(0.05)


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main(sys.argv[1]))
