"""The Simplified Chinese UI: the .ts is complete and covers every string, the .qm is built from
it, and a window built under a zh_CN locale speaks Chinese (while the server's words stay as sent).

After changing a user-visible string in app/ui, run scripts/update_translations.sh, translate the
new entries and run it again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.errors import AuthenticationError, CompletionError
from app.ui.app import install_translators
from app.ui.main_window import MainWindow
from app.ui.messages import describe_error
from promptpad_testing.server import TestServer, openai_error
from tests.ui.conftest import wait_idle
from tests.ui.locales import chinese

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "promptpad_zh_CN.ts"
QM = TRANSLATIONS / "promptpad_zh_CN.qm"
UI_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app" / "ui").rglob("*.py"))

# What a translation must keep exactly as the source has it: Qt place markers, the editor's
# [insert] marker, escapes shown to the user (\n), URL paths and file patterns.
_KEEP = re.compile(r"%n|%\d|\[insert\]|\\n|/v1/models|\(\*[^)]*\)|\$%1")


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    assert path, f"{name} not found (it ships with PySide6)"
    return path


def _messages(ts: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (ctx.findtext("name") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def _translations(msg: ET.Element) -> list[str]:
    tr = msg.find("translation")
    assert tr is not None
    if msg.get("numerus") == "yes":
        return [f.text or "" for f in tr.iter("numerusform")]
    return [tr.text or ""]


def _problems(ts: Path) -> list[str]:
    """Every entry that is not a finished, non-empty translation of a string still in the code."""
    out = []
    for ctx, msg in _messages(ts):
        src = msg.findtext("source")
        tr = msg.find("translation")
        assert tr is not None
        kind = tr.get("type")
        if kind:  # unfinished (new or changed string), obsolete or vanished (gone from the code)
            out.append(f"{ctx}: {src!r} is {kind}")
        elif not all(t.strip() for t in _translations(msg)):
            out.append(f"{ctx}: {src!r} has an empty translation")
    return out


# the data files --------------------------------------------------------------------------------


def test_ts_is_complete_and_keeps_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 100
    assert ET.parse(TS).getroot().get("language") == "zh_CN"
    assert _problems(TS) == []
    for ctx, msg in messages:
        src = msg.findtext("source") or ""
        forms = _translations(msg)
        if msg.get("numerus") == "yes":
            assert len(forms) == 1, f"{ctx}: {src!r}: Chinese has one plural form"
        for text in forms:
            assert sorted(_KEEP.findall(text)) == sorted(_KEEP.findall(src)), (ctx, src, text)


def test_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    out = tmp_path / "promptpad_zh_CN.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", "-fail-on-invalid", str(TS), "-qm", str(out)],
        check=True,
    )
    assert out.read_bytes() == QM.read_bytes(), (
        "promptpad_zh_CN.qm is out of date: run scripts/update_translations.sh"
    )


def test_every_ui_string_is_in_the_ts(tmp_path: Path) -> None:
    """lupdate over app/ui finds no string the .ts lacks, and none the code no longer has."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-silent",
            *UI_SOURCES,
            "-locations",
            "relative",
            "-ts",
            str(copy),
        ],
        check=True,
        cwd=ROOT,
    )
    assert _problems(copy) == [], (
        "user-visible strings changed: run scripts/update_translations.sh and translate them"
    )


# the running app -------------------------------------------------------------------------------


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """The app's translators for a zh_CN locale; removed again so later tests see English."""
    with chinese(qapp) as translators:
        yield translators
    assert QCoreApplication.translate("MainWindow", "Run") == "Run"


def test_install_translators_finds_the_zh_cn_file(zh_cn: list[QTranslator]) -> None:
    files = [Path(t.filePath()).name for t in zh_cn]
    assert "promptpad_zh_CN.qm" in files
    # Every entry of the .ts is found at run time under the context the code asks with.
    for ctx, msg in _messages(TS):
        src = msg.findtext("source") or ""
        n = 3 if msg.get("numerus") == "yes" else -1
        want = _translations(msg)[0].replace("%n", "3")
        assert QCoreApplication.translate(ctx, src, None, n) == want, (ctx, src)


def test_english_locale_loads_no_app_translation(qapp: QApplication) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        translators = install_translators(qapp)  # type: ignore[arg-type]
        try:
            # By file name: a clone called "promptpad" puts that word in Qt's own paths too.
            loaded = [Path(t.filePath()).name for t in translators]
            assert not [name for name in loaded if name.startswith("promptpad_")], loaded
        finally:
            for t in translators:
                QCoreApplication.removeTranslator(t)
                t.setParent(None)
    finally:
        QLocale.setDefault(before)


def test_window_speaks_chinese(
    zh_cn: list[QTranslator], make_window, server: TestServer, qtbot: QtBot
) -> None:
    win: MainWindow = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-1")
    assert win.windowTitle() == "Promptpad"
    assert win.run_button.text() == "运行"
    assert win.stop_button.text() == "停止"
    assert win.continue_button.text() == "继续"
    assert win.regenerate_button.text() == "重新生成"
    assert win.undo_button.text() == "撤销"
    assert win.connection.manage.text() == "服务商…"
    t = win.params.temperature
    assert t.label.text() == "温度"
    assert win.params.top_p.label.text() == "Top P"
    assert win.params.max_tokens.label.text() == "最大长度"
    assert t.state.text() == "默认 · 不发送"
    assert t.reset.accessibleName() == "将温度重置为默认值"
    t.spin.setValue(0.5)
    assert t.state.text() == "发送"
    assert "[insert]" in win.editor.placeholderText()
    assert win.editor.placeholderText().startswith("输入提示词")
    assert win.params.stop_list.toolTip().startswith("最多 4 个序列；\\n ")

    # A successful run: the status line is Chinese.
    win.editor.setPlainText("Say this is a test.")
    win.run()
    wait_idle(qtbot, win)
    assert win.run_status.text().startswith("首 token ")

    # An HTTP 401: a Chinese title, the status and the server's own (English) message unchanged.
    server.queue(openai_error("Incorrect API key provided: sk-abc***", 401))
    win.run()
    wait_idle(qtbot, win)
    assert win.error_bar.isVisible()
    text = win.error_text.text()
    assert text.startswith("认证失败 — ")
    assert "HTTP 401" in text
    assert "Incorrect API key provided: sk-abc***" in text
    assert win.run_status.text() == "失败"

    win.models.loaded.emit(["a", "b", "c"])
    assert win.statusBar().currentMessage() == "有 3 个可用模型"


def test_describe_error_translates_only_the_title(zh_cn: list[QTranslator]) -> None:
    err = AuthenticationError("Invalid API key", status=401, partial={0: "so far"})
    assert describe_error(err) == "认证失败 — HTTP 401: Invalid API key （已收到的文本会保留）"
    assert describe_error(CompletionError("boom")).startswith("错误 — ")


def test_provider_dialog_speaks_chinese(
    zh_cn: list[QTranslator], make_window, qtbot: QtBot
) -> None:
    win: MainWindow = make_window()
    dialog = win.manage_providers()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "服务商"
    assert dialog.test_button.text() == "测试连接"
    assert dialog.add_button.text() == "添加"
    dialog.close()
