"""The provider manager never loses a user's work (issue 10, part 2): Enter saves, leaving
unsaved edits asks, Delete asks, what was added is what the window uses; the key field and the
key hint tell the truth; Test connection tries a completion too; a refused keyring read never
turns into a deleted key. The questions are real message boxes, answered by clicking them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.keystore import KeyStoreError, MemoryKeyStore
from app.core.providers import Provider
from app.ui import ops
from app.ui.app import gui_services
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer, openai_error
from tests.ui.conftest import wait_idle
from tests.ui.test_providers_ui import NoKeyring, open_manager, secrets_loaded


class RefusingKeyring(MemoryKeyStore):
    """A keyring that holds keys but refuses to read them (locked, access denied)."""

    def get(self, name: str) -> str | None:
        raise KeyStoreError("Failed to unlock the collection!")


@pytest.fixture
def window_with(qtbot: QtBot, http, home: Path):  # noqa: ANN201
    """A window over a given KeyStore, kept alive for the whole test (qtbot holds weak refs)."""
    windows: list[MainWindow] = []

    def make(keys: MemoryKeyStore) -> MainWindow:
        win = MainWindow(gui_services(home, keys, http))
        qtbot.addWidget(win)
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.runner.stop()


def use_provider(window: MainWindow, name: str, base_url: str) -> None:
    """A saved profile with a cached model list, chosen in the window."""
    window.providers.add(Provider(name, base_url, models=["mock-1"]))
    window.connection.reload()
    window.connection.select(name)


def run_and_wait(qtbot: QtBot, window: MainWindow, signal: str = "finished") -> None:
    window.params.model_combo.setEditText("mock-1")
    window.editor.setPlainText("p")
    with qtbot.waitSignal(getattr(window.runner, signal), timeout=5000):
        window.run()
    wait_idle(qtbot, window)


def question(qtbot: QtBot, parent: QWidget, name: str) -> QMessageBox:
    """The message box called ``name`` that ``parent`` shows now."""

    def shown() -> list[QMessageBox]:
        return [b for b in parent.findChildren(QMessageBox, name) if b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=5000)
    return shown()[0]


def no_question(parent: QWidget) -> bool:
    return not [b for b in parent.findChildren(QMessageBox) if b.isVisible()]


def answer(qtbot: QtBot, parent: QWidget, name: str, button: QMessageBox.StandardButton) -> None:
    box = question(qtbot, parent, name)
    box.button(button).click()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)


def settle() -> None:
    """Let pending layout requests run (label texts changed: the layouts redo their sums)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def reddish(label: QLabel) -> int:
    """How many of the label's rendered pixels are clearly red."""
    image = label.grab().toImage()
    count = 0
    for y in range(0, image.height()):
        for x in range(0, image.width()):
            c = QColor(image.pixel(x, y))
            if c.red() > c.green() + 60 and c.red() > c.blue() + 60:
                count += 1
    return count


# Enter, Close, switching, Delete ------------------------------------------------------------


def test_enter_saves_the_edit_and_never_duplicates(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template("OpenAI")
    secrets_loaded(qtbot, dialog)
    dialog.name_edit.setText("Mine")
    dialog.key_edit.edit.setText("sk-enter")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    # Before: Enter pressed Duplicate (the dialog's default button): "OpenAI copy" appeared
    # and the rename was gone.
    assert window.providers.names() == ["Mine"]
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: window.keys.get("Mine") == "sk-enter", timeout=5000)
    assert dialog.save_button.isDefault()


def test_closing_with_unsaved_edits_asks_and_each_answer_holds(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.providers.add(Provider("Relay", "https://relay.example.com/v1"))
    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)

    close.click()  # nothing edited: closes without a question
    assert not dialog.isVisible()
    assert no_question(dialog)

    dialog.open()
    dialog.base_url_edit.setText(server.base_url)
    close.click()
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Cancel)
    assert dialog.isVisible()
    assert dialog.base_url_edit.text() == server.base_url  # the edit is still there

    qtbot.keyClick(dialog.base_url_edit, Qt.Key.Key_Escape)  # Escape asks the same way
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Discard)
    assert not dialog.isVisible()
    assert window.providers.get("Relay").base_url == "https://relay.example.com/v1"

    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    dialog.reject()  # the window's close button
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Save)
    assert not dialog.isVisible()
    assert window.providers.get("Relay").base_url == server.base_url


def test_switching_profile_with_unsaved_edits_asks(qtbot: QtBot, window: MainWindow) -> None:
    window.providers.add(Provider("A", "https://a.example.com/v1"))
    window.providers.add(Provider("B", "https://b.example.com/v1"))
    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)
    assert dialog.name_edit.text() == "A"

    dialog.list.setCurrentRow(1)  # no edits: no question
    assert no_question(dialog)
    assert dialog.name_edit.text() == "B"
    dialog.list.setCurrentRow(0)
    secrets_loaded(qtbot, dialog)

    dialog.model_edit.setText("gpt-a")
    dialog.list.setCurrentRow(1)
    box = question(qtbot, dialog, "unsavedChangesBox")
    assert dialog.list.currentRow() == 0  # the list stays on the edited profile meanwhile
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.name_edit.text() == "A"
    assert dialog.model_edit.text() == "gpt-a"

    dialog.list.setCurrentRow(1)
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Discard)
    assert dialog.name_edit.text() == "B"
    assert dialog.list.currentRow() == 1
    assert window.providers.get("A").default_model == ""
    secrets_loaded(qtbot, dialog)

    dialog.model_edit.setText("gpt-b")
    dialog.list.setCurrentRow(0)
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Save)
    assert window.providers.get("B").default_model == "gpt-b"
    assert dialog.name_edit.text() == "A"


def test_adding_over_unsaved_edits_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    window.providers.add(Provider("A", "https://a.example.com/v1"))
    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)
    dialog.model_edit.setText("gpt-a")
    blank = dialog.add_button.menu().actions()[0]
    blank.trigger()
    answer(qtbot, dialog, "unsavedChangesBox", QMessageBox.StandardButton.Save)
    assert window.providers.get("A").default_model == "gpt-a"
    assert window.providers.names() == ["A", "New provider"]
    assert dialog.name_edit.text() == "New provider"


def test_delete_asks_and_cancel_keeps_the_profile_and_its_key(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.providers.add(Provider("Relay", "https://relay.example.com/v1"))
    window.providers.set_key("Relay", "sk-keep")
    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)

    dialog.delete_button.click()
    answer(qtbot, dialog, "confirmDeleteBox", QMessageBox.StandardButton.Cancel)
    assert window.providers.names() == ["Relay"]
    assert ops.wait_for_lane("keyring", 5)
    assert window.keys.get("Relay") == "sk-keep"

    dialog.delete_button.click()
    box = question(qtbot, dialog, "confirmDeleteBox")
    assert "Relay" in box.text()
    box.findChild(QPushButton, "confirmDeleteButton").click()
    assert window.providers.names() == []
    qtbot.waitUntil(lambda: window.keys.get("Relay") is None, timeout=5000)


# the main window uses what was added ---------------------------------------------------------


def test_an_added_provider_is_selected_and_the_first_run_uses_it(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.api_key = "sk-first"
    dialog = open_manager(qtbot, window)
    dialog.add_from_template("llama.cpp (local)")
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    dialog.key_edit.edit.setText("sk-first")
    assert dialog.save_current()
    dialog.reject()
    assert not dialog.isVisible()
    # Before: the window stayed on the custom connection, and the run went there, keyless.
    assert window.connection.provider() == "llama.cpp (local)"
    assert window.connection.base_url.text() == server.base_url
    run_and_wait(qtbot, window)
    assert server.last.headers["authorization"] == "Bearer sk-first"


def test_renaming_the_selected_provider_keeps_it_selected(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    use_provider(window, "Old", server.base_url)
    dialog = open_manager(qtbot, window)
    secrets_loaded(qtbot, dialog)
    dialog.name_edit.setText("New")
    assert dialog.save_current()
    assert window.connection.provider() == "New"


# the connection bar's URL and key fields ------------------------------------------------------


def test_a_key_typed_in_the_bar_is_stored_for_the_provider(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.api_key = "sk-typed"
    use_provider(window, "Relay", server.base_url)
    key = window.connection.api_key
    assert key.isEnabled()  # before: disabled for every saved provider
    qtbot.keyClicks(key, "sk-typed")
    qtbot.keyClick(key, Qt.Key.Key_Return)
    assert key.text() == ""  # stored, not kept in the field
    qtbot.waitUntil(lambda: window.keys.get("Relay") == "sk-typed", timeout=5000)
    qtbot.waitUntil(lambda: key.placeholderText() == "key from the system keyring", timeout=5000)
    run_and_wait(qtbot, window)
    assert server.last.headers["authorization"] == "Bearer sk-typed"


def test_a_providers_url_does_not_look_editable(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.providers.add(Provider("Relay", server.base_url, models=["mock-1"]))
    window.connection.reload()
    url = window.connection.base_url
    assert url.hasFrame()  # the custom connection: type away
    assert not url.isReadOnly()
    window.connection.select("Relay")
    assert url.isReadOnly()
    assert not url.hasFrame()  # before: framed like any input, yet typing went nowhere
    assert "Providers" in url.toolTip()
    window.connection.select("")
    assert url.hasFrame()
    assert not url.isReadOnly()
    assert url.text() == server.base_url  # the custom URL is back


def test_without_a_keyring_no_hint_claims_one(
    qtbot: QtBot, window_with, server: TestServer
) -> None:
    win = window_with(NoKeyring())
    dialog = open_manager(qtbot, win)
    qtbot.waitUntil(lambda: "No system keyring" in dialog.keyring_notice.text(), timeout=5000)
    assert "keyring" not in dialog.key_edit.edit.placeholderText().replace("no system keyring", "")
    assert "session only" in dialog.key_edit.edit.placeholderText()
    dialog.add_from_template(None)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    dialog.key_edit.edit.setText("sk-session")
    assert dialog.save_current()
    dialog.reject()
    assert win.connection.provider() == "New provider"
    # Before: "key from the system keyring", on a machine that has none.
    qtbot.waitUntil(
        lambda: (
            win.connection.api_key.placeholderText()
            == "key kept for this session only (no system keyring)"
        ),
        timeout=5000,
    )


def test_a_401_without_a_key_says_that_no_key_was_sent(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    # After a restart without a keyring the session key is gone: the run goes out keyless.
    server.api_key = "sk-needed"
    use_provider(window, "Relay", server.base_url)
    run_and_wait(qtbot, window, "failed")
    assert "authorization" not in server.last.headers
    text = window.error_text.text()
    assert "HTTP 401" in text
    assert "No API key was sent" in text
    assert "Relay" in text

    window.providers.set_key("Relay", "sk-wrong")  # a key that is sent and refused
    run_and_wait(qtbot, window, "failed")
    assert server.last.headers["authorization"] == "Bearer sk-wrong"
    assert "HTTP 401" in window.error_text.text()
    assert "No API key was sent" not in window.error_text.text()


# a refused keyring read -------------------------------------------------------------------


def test_a_refused_key_read_is_shown_and_save_never_deletes_the_key(
    qtbot: QtBot, window_with, server: TestServer
) -> None:
    keyring = RefusingKeyring()
    MemoryKeyStore.set(keyring, "Relay", "sk-kept")
    win = window_with(keyring)
    win.providers.add(Provider("Relay", server.base_url, models=["mock-1"]))
    dialog = open_manager(qtbot, win)
    qtbot.waitUntil(lambda: "refused" in dialog.test_result.text(), timeout=5000)
    assert "Failed to unlock the collection!" in dialog.test_result.text()
    assert not dialog.key_edit.isEnabled()
    assert not dialog.save_button.isEnabled()
    dialog.notes_edit.setPlainText("edited")
    assert not dialog.save_current()  # before: the key read as "none", and Save deleted it
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert ops.wait_for_lane("keyring", 5)
    assert keyring._keys == {"Relay": "sk-kept"}
    # The connection bar says so too, instead of "no key stored".
    win.connection.reload()
    win.connection.select("Relay")
    qtbot.waitUntil(
        lambda: (
            win.connection.api_key.placeholderText() == "the system keyring refused to give the key"
        ),
        timeout=5000,
    )


# Test connection --------------------------------------------------------------------------


def test_test_connection_also_tries_a_one_token_completion(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    dialog.model_edit.setText("mock-1")
    chat_only = "This is a chat model and not supported in the v1/completions endpoint."
    server.handler = lambda req: openai_error(chat_only, 404) if req.method == "POST" else None
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✗" in dialog.completion_result.text(), timeout=5000)
    qtbot.waitUntil(lambda: "✓" in dialog.test_result.text(), timeout=5000)
    # Reported apart: the model list works, the completion does not (before: "✓ Connected").
    assert "2 model(s)" in dialog.test_result.text()
    assert chat_only in dialog.completion_result.text()
    assert f"{server.base_url}/completions" in dialog.completion_result.text()
    (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.json()["model"] == "mock-1"
    assert post.json()["max_tokens"] == 1

    server.handler = None
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=5000)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✓" in dialog.completion_result.text(), timeout=5000)
    assert "mock-1" in dialog.completion_result.text()


def test_test_connection_without_a_model_says_how_to_try_a_completion(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✓" in dialog.test_result.text(), timeout=5000)
    assert "default model" in dialog.completion_result.text()
    assert [r.method for r in server.requests] == ["GET"]


# colours and layout -------------------------------------------------------------------------


def test_saved_is_not_shown_in_red_after_a_failed_test(
    qtbot: QtBot, window_with, server: TestServer
) -> None:
    win = window_with(NoKeyring())
    dialog = open_manager(qtbot, win)
    qtbot.waitUntil(lambda: "No system keyring" in dialog.keyring_notice.text(), timeout=5000)
    dialog.add_from_template(None)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    server.api_key = "right"
    dialog.key_edit.edit.setText("wrong")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✗" in dialog.test_result.text(), timeout=5000)
    assert reddish(dialog.test_result) > 0  # (the check can see red)
    dialog.key_edit.edit.setText("right")
    assert dialog.save_current()
    assert "Saved" in dialog.test_result.text()
    assert reddish(dialog.test_result) == 0


def test_messages_never_move_the_buttons_nor_resize_the_dialog(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(server.base_url)
    qtbot.waitUntil(lambda: "keyring" in dialog.keyring_notice.text(), timeout=5000)
    settle()

    def places() -> tuple[object, ...]:
        settle()
        return (
            dialog.size(),
            dialog.save_button.mapTo(dialog, QPoint(0, 0)),
            dialog.test_button.mapTo(dialog, QPoint(0, 0)),
            dialog.name_edit.mapTo(dialog, QPoint(0, 0)),
        )

    before = places()
    dialog.base_url_edit.setText("ftp://nope")  # a problem appears above the buttons
    dialog.headers_edit.setPlainText("no colon here\nnor here\napi-key: sk-x")
    assert dialog.problems_label.text()
    assert places() == before
    dialog.headers_edit.setPlainText("")
    dialog.base_url_edit.setText(server.base_url)
    server.api_key = "right"
    dialog.key_edit.edit.setText("wrong")
    dialog.model_edit.setText("mock-1")
    dialog.test_button.click()  # two results of two lines each
    qtbot.waitUntil(lambda: "✗" in dialog.completion_result.text(), timeout=5000)
    qtbot.waitUntil(lambda: "✗" in dialog.test_result.text(), timeout=5000)
    assert places() == before
