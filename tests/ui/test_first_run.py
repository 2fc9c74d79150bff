"""First run: with no provider and no base URL the window offers the built-in templates and says
where the key goes, instead of an empty editor beside a disabled Run (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.providers import load_templates
from app.ui.dialogs.providers import ProviderDialog
from app.ui.main_window import MainWindow
from tests.ui.locales import chinese


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[list[QTranslator]]:
    with chinese(qapp) as translators:
        yield translators


def test_a_new_playground_offers_every_template_and_explains_the_key(make_window) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    assert win.welcome.isVisible()
    assert set(win.welcome.buttons) == {t.name for t in load_templates()}
    for name in ("OpenAI", "OneChat", "Ninhao", "gptacg", "llama.cpp (local)", "Ollama (local)"):
        assert win.welcome.buttons[name].isVisible(), name
    note = win.welcome.key_note.text()
    assert "system keyring" in note
    assert "for this session only" in note
    # The default maximum length is sent, and says so.
    assert win.draft.set_fields().get("max_tokens") == 256
    assert win.params.max_tokens.state.text() == "sent"


def test_a_template_opens_the_manager_on_a_new_profile_that_the_window_uses(
    make_window, qtbot: QtBot
) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    qtbot.mouseClick(win.welcome.buttons["OpenAI"], Qt.MouseButton.LeftButton)
    dialog = win.findChild(ProviderDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.name_edit.text() == "OpenAI"
    assert dialog.base_url_edit.text() == "https://api.openai.com/v1"
    assert win.providers.names() == ["OpenAI"]
    assert win.connection.provider() == "OpenAI"
    assert not win.welcome.isVisible()
    # The key goes in there; Save keeps it (and the choice) for the next start.
    qtbot.waitUntil(dialog.key_edit.isEnabled)
    dialog.key_edit.edit.setText("sk-first-run")
    assert dialog.save_current()
    assert win.providers.stored_key("OpenAI") == "sk-first-run"
    dialog.close()
    win.close()

    # A restart with that provider chosen: no first-run panel.
    again: MainWindow = make_window()
    assert again.connection.provider() == "OpenAI"
    assert not again.welcome.isVisible()


def test_a_local_server_template_is_added_and_selected(make_window, qtbot: QtBot) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    qtbot.mouseClick(win.welcome.buttons["Ollama (local)"], Qt.MouseButton.LeftButton)
    assert win.connection.provider() == "Ollama (local)"
    assert win.connection.base_url.text() == "http://127.0.0.1:11434/v1"
    assert not win.welcome.isVisible()


def test_a_base_url_hides_the_panel_and_clearing_it_brings_it_back(
    make_window, qtbot: QtBot
) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    win.activateWindow()
    qtbot.mouseClick(win.welcome.custom_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.connection.base_url.hasFocus)
    qtbot.keyClicks(win.connection.base_url, "http://127.0.0.1:9/v1")
    assert not win.welcome.isVisible()
    win.connection.base_url.clear()
    assert win.welcome.isVisible()


def test_the_panel_speaks_chinese(zh_cn: list[QTranslator], make_window) -> None:  # noqa: ANN001
    win: MainWindow = make_window()
    assert win.welcome.isVisible()
    assert win.welcome.title.text() == "提示词要发往哪里？"
    assert "系统密钥环" in win.welcome.key_note.text()
    assert win.welcome.custom_button.text() == "输入其基础 URL"
