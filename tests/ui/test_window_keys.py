"""The window with a pasted key that carries odd bytes: trimmed, or refused by name; never shown.

A key ending in a pasted space, or holding a zero-width space or a non-ASCII letter, reached
httpx, whose error quoted it in the error bar and in the ``error`` column of history.sqlite3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.history import History
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer
from tests.ui.test_window import run_and_wait

KEY = "sk-window-odd-8e41c2"


@pytest.mark.parametrize("extra", [" ", "\u00a0", "\t"])
def test_a_pasted_key_is_trimmed(
    qtbot: QtBot, window: MainWindow, server: TestServer, extra: str
) -> None:
    window.connection.api_key.setText(extra + KEY + extra)
    window.editor.setPlainText("k")
    run_and_wait(qtbot, window)
    assert server.last.headers["authorization"] == f"Bearer {KEY}"
    assert not window.error_bar.isVisible()


@pytest.mark.parametrize("odd", ["\u200b", "\u00e9", "\x00", "\u00a0"])
def test_a_key_that_cannot_be_sent_is_refused_and_never_shown_or_stored(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path, odd: str
) -> None:
    window.connection.api_key.setText(KEY[:9] + odd + KEY[9:])
    window.editor.setPlainText("k")
    run_and_wait(qtbot, window)
    assert server.requests == []
    assert window.error_bar.isVisible()
    text = window.error_text.text()
    assert f"U+{ord(odd):04X}" in text
    assert KEY[:9] not in text
    assert KEY[9:] not in text
    # The failed run reaches history (its error column), without the key.
    qtbot.waitUntil(lambda: len(History(home / "history.sqlite3").recent()) == 1, timeout=5000)
    window.close()
    for f in home.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert KEY[:9].encode() not in data, f
            assert KEY[9:].encode() not in data, f
