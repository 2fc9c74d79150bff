"""The playground window end to end: real widgets, real HTTP to the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.storage import Store
from app.ui.main_window import MainWindow
from promptpad_testing.server import Reply, TestServer, chunk_obj, openai_error, sse, stream_reply
from tests.ui.conftest import wait_idle

SSE = [("Content-Type", "text/event-stream")]


def run_and_wait(qtbot: QtBot, win: MainWindow, button: str = "runButton") -> None:
    qtbot.mouseClick(win.findChild(object, button), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)


def test_objects_have_names(window: MainWindow) -> None:
    names = [
        "promptEdit",
        "runButton",
        "stopButton",
        "continueButton",
        "regenerateButton",
        "modelCombo",
        "temperatureSlider",
        "temperatureSpin",
        "topPSlider",
        "topPSpin",
        "frequencyPenaltySlider",
        "frequencyPenaltySpin",
        "presencePenaltySlider",
        "presencePenaltySpin",
        "maxTokensSlider",
        "maxTokensSpin",
        "nSpin",
        "bestOfSpin",
        "stopSequencesEdit",
        "seedEdit",
        "logprobsSpin",
        "echoCheck",
        "suffixEdit",
        "logitBiasEdit",
        "userEdit",
        "extraEdit",
        "errorBar",
        "runStatus",
    ]
    for name in names:
        w = window.findChild(object, name)
        assert w is not None, name
        assert w.accessibleName(), name


def test_type_move_sliders_run_exact_body_and_streamed_text(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    qtbot.keyClicks(window.editor, "Once upon")
    window.params.temperature.slider.setValue(70)  # as a drag would
    window.params.max_tokens.spin.setValue(3)
    window.params.presence_penalty.slider.setValue(-50)
    window.params.stop_input.setText("\\n")
    qtbot.mouseClick(window.params.stop_add, Qt.MouseButton.LeftButton)
    run_and_wait(qtbot, window)
    assert server.last.json() == {
        "model": "mock-1",
        "prompt": "Once upon",
        "temperature": 0.7,
        "presence_penalty": -0.5,
        "max_tokens": 3,
        "stream": True,
        "stop": "\n",
    }
    assert window.editor.toPlainText() == "Once uponThis is a"
    assert window.editor.completion_ranges() == [(9, 18)]
    assert window.editor.scan_completion_ranges() == [(9, 18)]
    assert window.params.temperature.spin.value() == 0.7
    assert "finish: length" in window.run_status.text()
    assert "first token" in window.run_status.text()


def test_slider_and_spin_stay_in_sync_and_reset(window: MainWindow) -> None:
    t = window.params.temperature
    t.spin.setValue(1.25)
    assert t.slider.value() == 125
    assert t.is_set
    assert t.state.text() == "sent"
    t.slider.setValue(30)
    assert t.spin.value() == 0.3
    t.reset.click()
    assert t.spin.value() == 1.0
    assert not t.is_set
    assert "not sent" in t.state.text()
    assert "temperature" not in window.params.build("x")[0].to_body()


def test_stop_mid_stream_keeps_text(qtbot: QtBot, window: MainWindow, server: TestServer) -> None:
    server.queue(stream_reply([f" w{i}" for i in range(400)], delay=0.02))
    window.editor.setPlainText("Count:")
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: " w5" in window.editor.toPlainText(), timeout=5000)
    assert window.stop_button.isEnabled()
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    text = window.editor.toPlainText()
    assert text.startswith("Count: w0 w1 w2 w3 w4 w5")
    assert " w399" not in text
    assert "Stopped" in window.run_status.text()
    assert window.editor.completion_ranges() == [(6, len(text))]


def test_error_bar_shows_status_and_server_message(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.queue(openai_error("Incorrect API key provided: sk-abc***", 401))
    window.editor.setPlainText("hi")
    run_and_wait(qtbot, window)
    assert window.error_bar.isVisible()
    text = window.error_text.text()
    assert "HTTP 401" in text
    assert "Incorrect API key provided: sk-abc***" in text
    assert "Traceback" not in text
    assert window.editor.toPlainText() == "hi"


def test_failed_stream_keeps_partial_text(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    body = sse([chunk_obj("kept"), {"error": {"message": "overloaded", "code": 503}}])
    server.queue(Reply(headers=SSE, writes=[body]))
    window.editor.setPlainText("Q:")
    run_and_wait(qtbot, window)
    assert window.editor.toPlainText() == "Q:kept"
    assert "HTTP 503: overloaded" in window.error_text.text()


def test_invalid_logit_bias_disables_run_with_reason(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setPlainText("x")
    assert window.run_button.isEnabled()
    window.params.logit_bias_edit.setPlainText('{"50256": -100')
    assert not window.run_button.isEnabled()
    assert "Logit bias" in window.run_button.toolTip()
    assert "not valid JSON" in window.params.logit_bias_edit.toolTip()
    assert window.params.logit_bias_edit.property("invalid") is True
    window.params.logit_bias_edit.setPlainText('{"50256": -101}')
    assert not window.run_button.isEnabled()
    assert "between -100 and 100" in window.run_button.toolTip()
    window.params.logit_bias_edit.setPlainText('{"50256": -100}')
    assert window.run_button.isEnabled()
    assert window.params.logit_bias_edit.property("invalid") is False


def test_best_of_with_stream_is_refused_until_streaming_is_off(window: MainWindow) -> None:
    window.params.best_of_spin.setValue(3)
    assert not window.run_button.isEnabled()
    assert "stream" in window.params.best_of_spin.toolTip()
    window.params.stream_check.setChecked(False)
    assert window.run_button.isEnabled()


def test_continue_regenerate_undo(qtbot: QtBot, window: MainWindow, server: TestServer) -> None:
    window.editor.setPlainText("A")
    server.queue(stream_reply(["1"]))
    run_and_wait(qtbot, window)
    assert window.editor.toPlainText() == "A1"
    server.queue(stream_reply(["2"]))
    run_and_wait(qtbot, window, "continueButton")
    assert window.editor.toPlainText() == "A12"
    assert server.last.json()["prompt"] == "A1"
    server.queue(stream_reply(["3"]))
    run_and_wait(qtbot, window, "regenerateButton")
    assert window.editor.toPlainText() == "A13"
    assert server.last.json()["prompt"] == "A1"
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "A1"
    assert window.editor.completion_ranges() == [(1, 2)]
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "A"
    assert not window.undo_button.isEnabled()


def test_insert_mode(qtbot: QtBot, window: MainWindow, server: TestServer) -> None:
    server.queue(stream_reply(["middle"]))
    window.editor.setPlainText("def f():\n    [insert]\n    return x\n")
    run_and_wait(qtbot, window)
    body = server.last.json()
    assert body["prompt"] == "def f():\n    "
    assert body["suffix"] == "\n    return x\n"
    assert window.editor.toPlainText() == "def f():\n    middle\n    return x\n"
    assert window.editor.completion_ranges() == [(13, 19)]
    assert window.editor.scan_completion_ranges() == [(13, 19)]
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "def f():\n    [insert]\n    return x\n"


def test_n_choices_stream_into_their_own_panes(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.params.n_spin.setValue(3)
    window.params.max_tokens.spin.setValue(2)
    window.editor.setPlainText("p")
    run_and_wait(qtbot, window)
    assert window.output_tabs.count() == 3
    assert [window.findChild(object, f"choicePane{i}").toPlainText() for i in range(3)] == [
        "This is"
    ] * 3
    assert window.editor.toPlainText() == "p"


def test_non_streamed_run(qtbot: QtBot, window: MainWindow, server: TestServer) -> None:
    window.params.stream_check.setChecked(False)
    window.editor.setPlainText("p")
    run_and_wait(qtbot, window)
    assert "stream" in server.last.json()
    assert server.last.json()["stream"] is False
    assert window.editor.toPlainText() == "pThis is a test."
    assert "tokens: 5 prompt / 5 completion / 10 total" in window.run_status.text()


def test_models_fill_the_combo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.params.refresh_models, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.params.model_combo.count() == 2, timeout=5000)
    combo = window.params.model_combo
    assert [combo.itemText(i) for i in range(2)] == ["mock-1", "mock-2"]
    assert combo.currentText() == "mock-1"  # what the user typed is kept


def test_geometry_and_parameters_restored(
    qtbot: QtBot, make_window, server: TestServer, home: Path
) -> None:
    win = make_window()
    win.connection.base_url.setText(server.base_url)
    win.params.model_combo.setEditText("mock-2")
    win.params.top_p.spin.setValue(0.5)
    win.params.set_stop_sequences(["\n", "###"])
    win.params.logit_bias_edit.setPlainText('{"1": 5}')
    win.resize(720, 540)  # the offscreen screen is 800x600; restoreGeometry clamps to it
    qtbot.wait(20)  # let the layout settle its minimum sizes
    size = (win.size().width(), win.size().height())
    assert size[1] == 540  # (the width is held at the layout's minimum)
    win.close()
    again = make_window()
    assert (again.size().width(), again.size().height()) == size  # not the default 1180x760
    assert again.connection.base_url.text() == server.base_url
    assert again.params.model() == "mock-2"
    assert again.params.top_p.is_set
    assert again.params.top_p.value() == 0.5
    assert not again.params.temperature.is_set
    assert again.params.stop_sequences() == ["\n", "###"]
    assert again.params.stop_list.item(0).text() == "\\n"  # the escape is visible
    assert again.params.logit_bias_edit.toPlainText() == '{"1": 5}'
    saved = json.loads((home / "settings.json").read_text())
    assert "api_key" not in json.dumps(saved)


def test_draft_restored_after_a_crash(qtbot: QtBot, make_window, home: Path) -> None:
    win = make_window()
    qtbot.keyClicks(win.editor, "unsaved thoughts")
    # Autosave is debounced; wait for the file, then "crash": no closeEvent, no final save.
    qtbot.waitUntil(
        lambda: (
            (Store(home).load_draft() or None) is not None
            and Store(home).load_draft().text == "unsaved thoughts"
        ),
        timeout=3000,
    )
    win.hide()
    again = make_window()
    assert again.editor.toPlainText() == "unsaved thoughts"


def test_api_key_is_never_written(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    window.connection.api_key.setText("sk-very-secret-123")
    window.editor.setPlainText("k")
    run_and_wait(qtbot, window)
    assert server.last.headers["authorization"] == "Bearer sk-very-secret-123"
    window.close()
    for f in home.rglob("*"):
        if f.is_file():
            assert b"sk-very-secret-123" not in f.read_bytes(), f


def test_prompt_stats(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setPlainText("你好，世界 hello")
    qtbot.waitUntil(lambda: window.stats.text().startswith("11 chars · ≈"), timeout=2000)


def test_view_follows_the_end_unless_scrolled_up(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.editor.setPlainText("\n".join(f"line {i}" for i in range(200)))
    bar = window.editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    server.queue(stream_reply([f"\nmore {i}" for i in range(60)]))
    run_and_wait(qtbot, window)
    assert bar.value() == bar.maximum()  # followed the new text
    bar.setValue(10)  # the user scrolls up to read
    server.queue(stream_reply([f"\nagain {i}" for i in range(60)]))
    run_and_wait(qtbot, window, "continueButton")
    assert bar.value() == 10  # left where the user put it
    assert window.editor.toPlainText().endswith("again 59")


def test_logprobs_become_token_tooltips_and_shades(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    import math

    from PySide6.QtGui import QTextCursor

    from app.ui.widgets.output_tokens import COMPLETION_PROPERTY

    lp = [
        {
            "tokens": ["Hel"],
            "token_logprobs": [-0.05],
            "top_logprobs": [{"Hel": -0.05, "Hi": -3.2}],
        },
        {"tokens": ["lo"], "token_logprobs": [-1.9], "top_logprobs": [{"lo": -1.9, "p": -0.3}]},
    ]
    objs = [chunk_obj(t, logprobs=lp[i]) for i, t in enumerate(["Hel", "lo"])]
    # one event per write, [DONE] only at the end (nothing after [DONE] is read)
    server.queue(Reply(headers=SSE, writes=[sse([o], done=o is objs[-1]) for o in objs]))
    window.params.logprobs_spin.setValue(2)
    window.editor.setPlainText("> ")
    run_and_wait(qtbot, window)
    assert server.last.json()["logprobs"] == 2
    assert window.editor.toPlainText() == "> Hello"

    def fmt_at(pos: int):  # format of the character at pos
        cur = QTextCursor(window.editor.document())
        cur.setPosition(pos + 1)
        return cur.charFormat()

    first, second = fmt_at(2), fmt_at(5)
    tip_first, tip_second = window.editor.tooltip_at(2), window.editor.tooltip_at(5)
    assert "'Hel'  95.1%" in tip_first
    assert "'Hi'  4.1%" in tip_first
    assert "'lo'  15.0%" in tip_second
    assert "'p'  74.1%" in tip_second
    token = window.editor.token_at(5)
    assert token is not None
    assert math.isclose(token.logprob, -1.9)
    assert second.background().color().name() == "#ffb3a7"  # unlikely token: warm shade
    assert first.property(COMPLETION_PROPERTY) is True  # still marked as model text
    assert window.editor.completion_ranges() == [(2, 7)]  # formats did not disturb the ranges


def test_runs_are_recorded_and_can_be_restored(
    qtbot: QtBot, window: MainWindow, server: TestServer, home: Path
) -> None:
    from app.core.history import History

    window.editor.setPlainText("Q1:")
    window.params.temperature.spin.setValue(0.3)
    window.params.set_stop_sequences(["\n"])
    run_and_wait(qtbot, window)
    server.queue(openai_error("nope", 400))
    window.params.temperature.reset_to_default()
    window.editor.setPlainText("Q2:")
    run_and_wait(qtbot, window)
    # Rows are written on the history thread: wait for both, do not race the writer.
    qtbot.waitUntil(lambda: len(History(home / "history.sqlite3").recent()) == 2, timeout=5000)
    runs = History(home / "history.sqlite3").recent()
    assert [r.outcome for r in runs] == ["failed", "finished"]
    assert runs[1].request == {
        "model": "mock-1",
        "prompt": "Q1:",
        "temperature": 0.3,
        "max_tokens": 256,  # a new playground's length, sent (the API's 16 cuts answers off)
        "stream": True,
        "stop": "\n",
    }
    assert runs[1].outputs == {0: "This is a test."}
    assert "HTTP 400: nope" in runs[0].error
    window.side_tabs.setCurrentWidget(window.history_panel)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 2, timeout=2000)
    window.history_panel.list.setCurrentRow(1)
    window.history_panel.restore_button.click()
    assert window.editor.toPlainText() == "Q1:This is a test."
    assert window.editor.completion_ranges() == [(3, 18)]
    assert window.params.temperature.is_set
    assert window.params.temperature.value() == 0.3
    assert window.params.stop_sequences() == ["\n"]
    window.undo_button.click()
    assert window.editor.toPlainText() == "Q2:"


def test_view_code_never_holds_the_key(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.connection.api_key.setText("sk-window-secret")
    window.editor.setPlainText("Say [insert] please")
    window.params.temperature.spin.setValue(0.2)
    dialog = window.show_code()
    assert dialog is not None
    qtbot.addWidget(dialog)
    for fmt in ("curl", "python", "javascript"):
        code = dialog.editors[fmt].toPlainText()
        assert "sk-window-secret" not in code
        assert "OPENAI_API_KEY" in code
        assert "/v1/completions" in code
    curl = dialog.editors["curl"].toPlainText()
    assert '"prompt": "Say "' in curl
    assert '"suffix": " please"' in curl
    assert '"temperature": 0.2' in curl
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == dialog.current_code()
