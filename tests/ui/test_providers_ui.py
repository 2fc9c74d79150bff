"""The provider manager and provider switching in the main window."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.keystore import MemoryKeyStore
from app.core.providers import Provider
from app.ui.app import gui_services
from app.ui.dialogs.providers import ProviderDialog
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer
from tests.ui.conftest import wait_idle


class NoKeyring(MemoryKeyStore):
    def available(self) -> bool:
        return False


def open_manager(qtbot: QtBot, win: MainWindow) -> ProviderDialog:
    dialog = win.manage_providers()
    qtbot.addWidget(dialog)
    return dialog


def secrets_loaded(qtbot: QtBot, dialog: ProviderDialog) -> None:
    """The shown profile's key and proxy password came back from the keyring thread."""
    qtbot.waitUntil(dialog.key_edit.isEnabled, timeout=5000)


def fill(qtbot: QtBot, dialog: ProviderDialog, base_url: str, key: str = "") -> None:
    secrets_loaded(qtbot, dialog)
    dialog.base_url_edit.setText(base_url)
    dialog.key_edit.edit.setText(key)


def stored(qtbot: QtBot, win: MainWindow, name: str, key: str | None) -> None:
    """The keyring holds ``key`` for ``name`` once the writes queued so far are done."""
    qtbot.waitUntil(lambda: win.keys.get(name) == key, timeout=5000)


def test_templates_offer_the_seed_relays_and_local_servers(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_manager(qtbot, window)
    names = [a.text() for a in dialog.add_button.menu().actions() if a.text()]
    for expected in (
        "OpenAI",
        "OneChat",
        "薛定猫 (xuedingmao)",
        "Ninhao",
        "gptacg",
        "llama.cpp (local)",
        "Ollama (local)",
        "vLLM (local)",
        "LM Studio (local)",
    ):
        assert expected in names
    p = dialog.add_from_template("Ninhao")
    assert p.base_url == "https://api.ninhao.cc/v1"
    assert dialog.url_preview.text() == "POST https://api.ninhao.cc/v1/completions"


def test_live_url_preview(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    dialog.base_url_edit.setText("https://relay.example.com/")
    assert dialog.url_preview.text() == "POST https://relay.example.com/v1/completions"
    dialog.base_url_edit.setText("https://relay.example.com/v1/")
    assert dialog.url_preview.text() == "POST https://relay.example.com/v1/completions"
    dialog.full_url_edit.setText("https://relay.example.com/openai/gen")
    assert dialog.url_preview.text() == "POST https://relay.example.com/openai/gen"
    dialog.base_url_edit.setText("ftp://nope")
    assert not dialog.save_button.isEnabled()
    assert "base URL" in dialog.problems_label.text()


def test_key_is_masked_and_stored_in_the_keystore_only(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template("llama.cpp (local)")
    fill(qtbot, dialog, server.base_url, "sk-dialog-secret")
    assert dialog.key_edit.edit.echoMode() == dialog.key_edit.edit.EchoMode.Password
    dialog.key_edit.reveal.click()
    assert dialog.key_edit.edit.echoMode() == dialog.key_edit.edit.EchoMode.Normal
    assert dialog.save_current()
    stored(qtbot, window, "llama.cpp (local)", "sk-dialog-secret")
    for f in home.rglob("*"):
        if f.is_file():
            assert b"sk-dialog-secret" not in f.read_bytes(), f


def test_test_connection_counts_models_or_shows_the_error(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    fill(qtbot, dialog, server.base_url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✓" in dialog.test_result.text(), timeout=5000)
    assert "2 model(s)" in dialog.test_result.text()
    server.api_key = "right"
    dialog.key_edit.edit.setText("wrong")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "✗" in dialog.test_result.text(), timeout=5000)
    text = dialog.test_result.text()
    assert "HTTP 401: Incorrect API key provided." in text
    assert f"URL: {server.base_url}/models" in text


def test_duplicate_rename_delete(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template("OpenAI")
    secrets_loaded(qtbot, dialog)
    dialog.key_edit.edit.setText("sk-o")
    assert dialog.save_current()
    secrets_loaded(qtbot, dialog)
    dialog.duplicate_current()
    assert window.providers.names() == ["OpenAI", "OpenAI copy"]
    stored(qtbot, window, "OpenAI copy", "sk-o")
    secrets_loaded(qtbot, dialog)
    assert dialog.key_edit.edit.text() == "sk-o"
    dialog.name_edit.setText("Work")
    assert dialog.save_current()
    assert window.providers.names() == ["OpenAI", "Work"]
    stored(qtbot, window, "Work", "sk-o")
    assert window.keys.get("OpenAI copy") is None
    dialog.delete_current()
    assert "Work" not in window.providers.names()
    stored(qtbot, window, "Work", None)


def test_export_without_keys_and_import(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template("OneChat")
    secrets_loaded(qtbot, dialog)
    dialog.key_edit.edit.setText("sk-exported-never")
    dialog.proxy_edit.setText("socks5://127.0.0.1:1080")
    dialog.proxy_user_edit.setText("me")
    dialog.proxy_password.edit.setText("proxy-pass-never")
    assert dialog.save_current()
    out = tmp_path / "export.json"
    assert dialog.export_to(out) == 1
    raw = out.read_bytes()
    assert b"sk-exported-never" not in raw
    assert b"proxy-pass-never" not in raw
    assert json.loads(raw)["providers"][0]["base_url"] == "https://chatapi.onechat.fun/v1"
    assert dialog.import_from(out) == ["OneChat (2)"]


def test_no_keyring_is_said_plainly_and_keys_stay_in_memory(
    qtbot: QtBot, http, home: Path, server: TestServer
) -> None:

    win = MainWindow(gui_services(home, NoKeyring(), http))
    qtbot.addWidget(win)
    dialog = open_manager(qtbot, win)
    qtbot.waitUntil(lambda: "No system keyring" in dialog.keyring_notice.text(), timeout=5000)
    dialog.add_from_template(None)
    fill(qtbot, dialog, server.base_url, "sk-session-only")
    assert dialog.save_current(), dialog.problems_label.text()
    assert "this session only" in dialog.test_result.text()
    assert win.providers.resolve_key(win.providers.get("New provider")) == "sk-session-only"
    for f in home.rglob("*"):
        if f.is_file():
            assert b"sk-session-only" not in f.read_bytes(), f


def test_switching_provider_switches_url_key_and_models(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.api_key = "sk-prov"
    window.providers.add(Provider("Local", server.base_url, default_model="mock-2"))
    window.providers.set_key("Local", "sk-prov")
    window.connection.reload()
    window.connection.select("Local")
    assert window.connection.base_url.text() == server.base_url
    assert window.connection.base_url.isReadOnly()
    assert window.params.model() == "mock-2"
    # no cached models: fetched at once, with the provider's key, and cached in the profile
    qtbot.waitUntil(lambda: window.params.model_combo.count() == 2, timeout=5000)
    assert window.providers.get("Local").models == ["mock-1", "mock-2"]
    window.editor.setPlainText("p")
    with qtbot.waitSignal(window.runner.finished, timeout=5000):
        window.run()  # the key is read on the keyring thread, then the run starts
    wait_idle(qtbot, window)
    assert server.last.headers["authorization"] == "Bearer sk-prov"
    assert window.editor.toPlainText() == "pThis is a test."
    window.connection.select("")
    assert not window.connection.base_url.isReadOnly()


def test_selected_provider_is_restored(qtbot: QtBot, make_window, server: TestServer) -> None:
    win = make_window()
    win.providers.add(Provider("Saved", server.base_url, models=["mock-1"]))
    win.connection.reload()
    win.connection.select("Saved")
    win.close()
    again = make_window()
    assert again.connection.provider() == "Saved"
    assert again.connection.base_url.text() == server.base_url


def test_credentials_in_headers_are_refused_and_a_key_header_offered(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.add_from_template(None)
    fill(qtbot, dialog, server.base_url)
    dialog.headers_edit.setPlainText("X-Org: team\napi-key: sk-in-a-header")
    assert not dialog.save_button.isEnabled()
    assert "credentials belong in the API key field" in dialog.problems_label.text()
    dialog.headers_edit.setPlainText("X-Org: team")
    dialog.key_header_edit.setText("api-key")
    dialog.key_edit.edit.setText("sk-in-the-keyring")
    assert dialog.save_current()
    window.connection.reload()
    window.connection.select("New provider")
    window.params.model_combo.setEditText("mock-1")
    window.editor.setPlainText("p")
    with qtbot.waitSignal(window.runner.finished, timeout=5000):
        window.run()
    wait_idle(qtbot, window)
    assert server.last.headers["api-key"] == "sk-in-the-keyring"
    assert "authorization" not in server.last.headers
    assert server.last.headers["x-org"] == "team"
    for f in home.rglob("*"):
        if f.is_file():
            assert b"sk-in-the-keyring" not in f.read_bytes(), f


def test_a_locked_keyring_stops_the_run_with_a_clear_message(
    qtbot: QtBot, http, home: Path, server: TestServer
) -> None:
    from app.core.keystore import KeyStoreError

    class LockedKeyring(MemoryKeyStore):
        def get(self, name: str) -> str | None:
            raise KeyStoreError("Failed to unlock the collection!")

    win = MainWindow(gui_services(home, LockedKeyring(), http))
    qtbot.addWidget(win)
    win.providers.add(Provider("Relay", server.base_url))
    win.connection.reload()
    win.connection.select("Relay")
    win.params.model_combo.setEditText("mock-1")
    win.editor.setPlainText("p")
    win.run()
    qtbot.waitUntil(lambda: not win.error_bar.isHidden(), timeout=5000)
    assert "keyring refused to give the key" in win.error_text.text()
    assert "Failed to unlock the collection!" in win.error_text.text()
    assert server.requests == []
    assert not win.runner.busy
    assert win.editor.toPlainText() == "p"


def test_the_key_hint_follows_the_keyring_after_the_window_is_built(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.providers.add(Provider("Hinted", server.base_url))
    window.providers.set_key("Hinted", "sk-h")
    window.connection.reload()
    window.connection.select("Hinted")
    qtbot.waitUntil(
        lambda: window.connection.api_key.placeholderText() == "key from the system keyring",
        timeout=2000,
    )
