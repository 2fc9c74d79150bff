"""The history panel (issue 10, part 2): entries say what their mark means and show the start of
the output; a search narrows them; the selected run is readable in full; Delete asks first;
Restore does not leave the previous run's status behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.history import History, RunRecord
from app.ui.main_window import MainWindow
from promptpad_testing.server import TestServer
from tests.ui.conftest import wait_idle
from tests.ui.test_provider_dialog_work import question


def record(prompt: str, output: str, outcome: str, error: str = "") -> RunRecord:
    return RunRecord({"model": "mock-1", "prompt": prompt}, {0: output}, outcome, error=error)


def show_history(qtbot: QtBot, window: MainWindow, home: Path, *records: RunRecord) -> None:
    db = History(home / "history.sqlite3")
    for r in records:
        db.add(r)
    db.close()
    window.side_tabs.setCurrentWidget(window.history_panel)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == len(records), timeout=5000)


def test_entries_explain_their_marks_and_show_the_output(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    show_history(
        qtbot,
        window,
        home,
        record("alpha prompt", "alpha answer", "finished"),
        record("beta prompt", "", "failed", error="HTTP 400: nope"),
        record("gamma prompt", "gamma half", "stopped"),
    )
    panel = window.history_panel
    legend = panel.legend.text()
    for word in ("✓ finished", "✗ failed", "■ stopped"):
        assert word in legend
    items = [panel.list.item(i) for i in range(panel.list.count())]
    texts = [i.text() for i in items]
    assert "→ gamma half" in texts[0]  # newest first, with the start of its output
    assert "HTTP 400: nope" in texts[1]  # a failed run shows why instead
    assert "→ alpha answer" in texts[2]
    assert items[1].toolTip().startswith("Failed")
    assert panel.list.spacing() > 0


def test_search_narrows_the_list_and_the_preview_shows_the_whole_run(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    long_answer = "line one\nline two\n" + "x" * 300
    show_history(
        qtbot,
        window,
        home,
        record("alpha prompt", long_answer, "finished"),
        record("beta prompt", "beta answer", "finished"),
    )
    panel = window.history_panel
    qtbot.keyClicks(panel.search, "LINE TWO")  # outputs too, any case
    assert [r.prompt_text for r in panel.visible_records()] == ["alpha prompt"]
    panel.search.setText("beta")
    assert [r.prompt_text for r in panel.visible_records()] == ["beta prompt"]
    panel.search.clear()
    assert len(panel.visible_records()) == 2
    panel.list.setCurrentRow(1)
    assert panel.preview.toPlainText().startswith("alpha prompt")
    assert long_answer in panel.preview.toPlainText()


def test_delete_asks_first_and_cancel_keeps_the_run(
    qtbot: QtBot, window: MainWindow, home: Path
) -> None:
    show_history(qtbot, window, home, record("keep me", "k", "finished"))
    panel = window.history_panel
    panel.list.setCurrentRow(0)
    panel.delete_button.click()
    box = question(qtbot, panel, "confirmDeleteRunBox")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert panel.list.count() == 1  # before: gone at the click
    assert [r.prompt_text for r in History(home / "history.sqlite3").recent()] == ["keep me"]

    panel.delete_button.click()
    box = question(qtbot, panel, "confirmDeleteRunBox")
    box.findChild(QPushButton, "confirmDeleteRunButton").click()
    assert panel.list.count() == 0
    qtbot.waitUntil(lambda: History(home / "history.sqlite3").recent() == [], timeout=5000)


def test_restore_clears_the_previous_runs_status(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.editor.setPlainText("Q:")
    with qtbot.waitSignal(window.runner.finished, timeout=5000):
        window.run()
    wait_idle(qtbot, window)
    assert "finish" in window.run_status.text()
    window.side_tabs.setCurrentWidget(window.history_panel)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=5000)
    window.history_panel.list.setCurrentRow(0)
    window.history_panel.restore_button.click()
    assert window.editor.toPlainText() == "Q:This is a test."
    assert window.run_status.text() == ""  # before: the last run's figures stayed
