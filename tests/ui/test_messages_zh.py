"""Every message a user reads in the Chinese UI is Chinese, and an error says what happened once.

The core words its errors in English ("could not connect: …"); the UI renders each of those
templates through one translated table (app/ui/error_text.py). The server's own message and
status stay as sent. The built-in provider templates' notes come out in the user's language.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from app.core.errors import AuthenticationError, NetworkError, RateLimitError
from app.ui import error_text, template_notes
from app.ui.main_window import MainWindow
from app.ui.messages import describe_error, format_status
from promptpad_testing.server import TestServer, openai_error
from tests.ui.conftest import wait_idle
from tests.ui.test_translations import zh_cn  # noqa: F401 - the zh_CN translator fixture

ROOT = Path(__file__).resolve().parents[2]
ERRORS = {
    "CompletionError",
    "AuthenticationError",
    "RateLimitError",
    "BadRequestError",
    "NotFoundError",
    "ServerError",
    "NetworkError",
    "RequestTimeout",
    "ProtocolError",
    "ConfigError",
    "SSETooLarge",  # its message becomes a ProtocolError's
}


def _sample(node: ast.expr) -> str | None:
    """The message a literal or f-string argument gives, each value replaced by "X"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            else:
                parts.append("X")
        return "".join(parts)
    if isinstance(node, ast.IfExp):  # f"could not connect: {exc}" if … else "could not connect"
        return None
    return None


def _templates() -> Iterator[tuple[str, int, str]]:
    """(file, line, sample message) for every message our core writes into an error."""
    for path in sorted((ROOT / "app" / "core").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            args: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ERRORS and node.args:
                    args = [node.args[0]]
                    if isinstance(node.args[0], ast.IfExp):
                        args = [node.args[0].body, node.args[0].orelse]
            elif isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
                # credentials: the reasons a header or key cannot be sent (raised as ConfigError)
                args = [
                    r.value
                    for r in ast.walk(node)
                    if isinstance(r, ast.Return) and r.value is not None
                ]
                args = [
                    b
                    for a in args
                    for b in ([a.body, a.orelse] if isinstance(a, ast.IfExp) else [a])
                ]
            for arg in args:
                sample = _sample(arg)
                if sample is not None and sample.strip("X"):
                    yield path.name, arg.lineno, sample


def test_every_core_error_message_has_a_translation() -> None:
    found = list(_templates())
    assert len(found) > 40  # the scan sees the messages (not an empty walk)
    missing = [f"{f}:{line}: {msg}" for f, line, msg in found if not error_text.known(msg)]
    assert not missing, "no line in app/ui/error_text.py for:\n" + "\n".join(missing)


def test_errors_in_chinese_say_it_once(zh_cn) -> None:  # noqa: ANN001, F811
    err = NetworkError("could not connect: [Errno 111] Connection refused")
    # Was "网络错误 — Network: could not connect: …": an English kind word after the title.
    assert describe_error(err) == "网络错误 — 无法连接：[Errno 111] Connection refused"
    # The server's words and the status stay as sent; our own "(retry after …)" is translated.
    limited = RateLimitError("Slow down", status=429, retry_after=2.0)
    assert describe_error(limited) == "请求频率超限 — HTTP 429: Slow down （2 秒后重试）"
    proxy = AuthenticationError("the proxy refused the credentials: Proxy Auth", status=407)
    assert describe_error(proxy).endswith("HTTP 407: 代理拒绝了凭据：Proxy Auth")
    # Nested phrases: the key check names the character, in Chinese.
    assert (
        error_text.describe_message(
            "the API key contains a control character (U+000A); copy it again or retype it"
        )
        == "API 密钥包含一个控制字符（U+000A）；请重新复制或重新输入"
    )


def test_a_refused_connection_in_the_chinese_window(
    zh_cn,  # noqa: F811
    make_window,
    qtbot: QtBot,  # noqa: ANN001
) -> None:
    with TestServer() as srv:
        url = srv.base_url  # closed again: nothing listens there now
    win: MainWindow = make_window()
    win.connection.base_url.setText(url)
    win.params.model_combo.setEditText("mock-1")
    win.editor.setPlainText("p")
    win.run()
    wait_idle(qtbot, win)
    text = win.error_text.text()
    assert text.startswith("网络错误 — 无法连接")
    assert "Network" not in text
    assert "could not connect" not in text


def test_the_server_message_is_kept_as_sent(
    zh_cn,  # noqa: F811
    make_window,
    server: TestServer,
    qtbot: QtBot,  # noqa: ANN001
) -> None:
    win: MainWindow = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    win.editor.setPlainText("p")
    # A server that happens to use words our table knows is still quoted as it wrote them
    # after the status.
    server.queue(openai_error("Rate limit reached for requests", 429))
    win.run()
    wait_idle(qtbot, win)
    text = win.error_text.text()
    assert text.startswith("请求频率超限 — HTTP 429: Rate limit reached for requests")


def test_template_notes_in_chinese(zh_cn, make_window, qtbot: QtBot) -> None:  # noqa: ANN001, F811
    data = json.loads((ROOT / "resources" / "providers.json").read_text(encoding="utf-8"))
    notes = [p["notes"] for p in data["providers"] if p.get("notes")]
    assert notes
    assert [n for n in notes if not template_notes.known(n)] == []
    win: MainWindow = make_window()
    dialog = win.manage_providers()
    qtbot.addWidget(dialog)
    dialog.add_from_template("Ollama (local)")
    assert dialog.notes_edit.toPlainText() == "Ollama 的 OpenAI 兼容接口。无需密钥。"
    dialog.add_from_template("OpenAI")
    assert dialog.notes_edit.toPlainText().startswith("OpenAI 官方 API。")
    dialog.close()


def test_english_keeps_the_core_wording() -> None:
    assert QCoreApplication.translate("error", "could not connect: %1") == "could not connect: %1"
    err = NetworkError("could not connect: refused")
    assert describe_error(err) == "Network error — could not connect: refused"


def test_a_non_streamed_run_shows_no_speed(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.params.stream_check.setChecked(False)
    window.editor.setPlainText("p")
    with qtbot.waitSignal(window.session.runner.finished, timeout=10000) as done:
        window.run()
    wait_idle(qtbot, window)
    assert done.args[0].metrics.tokens_per_second is None
    assert "– tok/s" in window.run_status.text()
    assert format_status(done.args[0]) == window.run_status.text()
