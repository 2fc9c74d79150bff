"""Keyring calls never run on the GUI thread: a keyring that blocks (an unlock prompt waiting for
the user) leaves the window responsive, and the run, the save or the delete completes once it
answers. The keyring here really blocks (a KeyStore waiting on a threading.Event)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.keystore import MemoryKeyStore
from app.core.providers import Provider
from app.ui import ops
from app.ui.app import gui_services
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer

GIVE_UP_S = 10.0  # a GUI-thread call would hang the test without this; the test fails instead


class PromptingKeyring(MemoryKeyStore):
    """A keyring whose calls wait until the user "answers the unlock prompt" (``answer()``)."""

    def __init__(self) -> None:
        super().__init__()
        self.locked: set[str] = set()  # which calls wait: "get", "set", "delete"
        self._answered = threading.Event()
        self.waiting = threading.Event()  # a call is waiting for the prompt right now
        self.threads: list[str] = []

    def lock(self, *calls: str) -> None:
        self.locked = set(calls)
        self._answered.clear()

    def answer(self) -> None:
        self._answered.set()

    def preload(self, name: str, key: str) -> None:
        """(the test's own access: no prompt, not counted)"""
        MemoryKeyStore.set(self, name, key)

    def peek(self, name: str) -> str | None:
        return MemoryKeyStore.get(self, name)

    def _prompt(self, call: str) -> None:
        self.threads.append(threading.current_thread().name)
        if call in self.locked:
            self.waiting.set()
            answered = self._answered.wait(GIVE_UP_S)
            self.waiting.clear()
            assert answered, "nobody answered the keyring prompt"

    def get(self, name: str) -> str | None:
        self._prompt("get")
        return super().get(name)

    def set(self, name: str, key: str) -> None:
        self._prompt("set")
        super().set(name, key)

    def delete(self, name: str) -> None:
        self._prompt("delete")
        super().delete(name)


@pytest.fixture
def keyring() -> PromptingKeyring:
    return PromptingKeyring()


@pytest.fixture
def win(
    qtbot: QtBot, http, home: Path, server: TestServer, keyring: PromptingKeyring
) -> MainWindow:
    w = MainWindow(gui_services(home, keyring, http))
    qtbot.addWidget(w)
    w.show()
    yield w
    keyring.answer()  # never leave the keyring thread waiting for the next test


def keeps_handling_events(qtbot: QtBot, keyring: PromptingKeyring) -> None:
    """While a keyring call waits for its prompt, the GUI thread keeps running timers."""
    qtbot.waitUntil(keyring.waiting.is_set, timeout=5000)
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)
    timer.stop()
    assert keyring.waiting.is_set()  # ...and all that time the keyring call was still waiting


def test_a_run_waits_for_the_keyring_prompt_without_freezing_the_window(
    qtbot: QtBot, win: MainWindow, server: TestServer, keyring: PromptingKeyring
) -> None:
    server.api_key = "sk-locked"
    win.providers.add(Provider("Relay", server.base_url, models=["mock-1"]))
    keyring.preload("Relay", "sk-locked")
    keyring.lock("get")
    win.connection.reload()
    win.connection.select("Relay")
    win.params.model_combo.setEditText("mock-1")
    win.editor.setPlainText("p")
    win.run()  # returns at once: the key is read on the keyring thread
    keeps_handling_events(qtbot, keyring)
    assert "keyring" in win.run_status.text()
    assert not win.run_button.isEnabled()
    assert win.stop_button.isEnabled()
    win.editor.setPlainText("typed while the keyring asks")  # the window still takes input
    assert server.requests == []
    with qtbot.waitSignal(win.runner.finished, timeout=5000):
        keyring.answer()
    assert server.last.headers["authorization"] == "Bearer sk-locked"
    assert win.editor.toPlainText().endswith("This is a test.")
    assert "MainThread" not in keyring.threads


def test_stop_gives_up_waiting_for_the_keyring(
    qtbot: QtBot, win: MainWindow, server: TestServer, keyring: PromptingKeyring
) -> None:
    win.providers.add(Provider("Relay", server.base_url, models=["mock-1"]))
    keyring.lock("get")
    win.connection.reload()
    win.connection.select("Relay")
    win.params.model_combo.setEditText("mock-1")
    win.run()
    qtbot.waitUntil(keyring.waiting.is_set, timeout=5000)
    win.stop_button.click()
    assert win.run_button.isEnabled()
    keyring.answer()
    assert ops.wait_for_lane("keyring", 5)
    QApplication.processEvents()  # the key's arrival was posted by now: it must be dropped
    assert server.requests == []
    assert not win.runner.busy


def test_saving_and_deleting_a_key_never_wait_for_the_keyring(
    qtbot: QtBot, win: MainWindow, server: TestServer, keyring: PromptingKeyring
) -> None:
    dialog = win.manage_providers()
    qtbot.addWidget(dialog)
    dialog.add_from_template(None)
    qtbot.waitUntil(dialog.key_edit.isEnabled, timeout=5000)  # its (empty) key was read
    dialog.base_url_edit.setText(server.base_url)
    dialog.key_edit.edit.setText("sk-saved")

    keyring.lock("set")
    assert dialog.save_current()  # returns while the keyring still asks
    keeps_handling_events(qtbot, keyring)
    assert keyring.peek("New provider") is None
    keyring.answer()
    qtbot.waitUntil(lambda: keyring.peek("New provider") == "sk-saved", timeout=5000)
    qtbot.waitUntil(dialog.key_edit.isEnabled, timeout=5000)

    keyring.lock("delete")
    dialog.delete_current()
    assert "New provider" not in win.providers.names()
    keeps_handling_events(qtbot, keyring)
    keyring.answer()
    qtbot.waitUntil(lambda: keyring.peek("New provider") is None, timeout=5000)
    assert "MainThread" not in keyring.threads


def test_the_key_hint_waits_for_the_keyring_off_the_gui_thread(
    qtbot: QtBot, win: MainWindow, server: TestServer, keyring: PromptingKeyring
) -> None:
    win.providers.add(Provider("Hinted", server.base_url, models=["mock-1"]))
    keyring.preload("Hinted", "sk-h")
    keyring.lock("get")
    win.connection.reload()
    win.connection.select("Hinted")
    keeps_handling_events(qtbot, keyring)
    keyring.answer()
    qtbot.waitUntil(
        lambda: win.connection.api_key.placeholderText() == "key from the system keyring",
        timeout=5000,
    )


def test_a_failing_background_operation_is_shown_once_never_as_a_traceback(
    qtbot: QtBot, win: MainWindow
) -> None:
    def broken() -> None:
        raise OSError("the disk went away")

    ops.run_in_background(broken)
    qtbot.waitUntil(lambda: "the disk went away" in "\n".join(win.notices.notices()), timeout=5000)
