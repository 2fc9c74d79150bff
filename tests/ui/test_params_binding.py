"""The parameter panel bound to the request draft: edits go into the draft, the draft's changes
show in the widgets (without echoing back into the widget being typed in), hostile values are
shown safely, and settings.json holds the draft's own shape (the old panel shape still read)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.draft import RequestDraft
from app.core.history import RunRecord
from app.ui.main_window import MainWindow
from app.ui.widgets.params import ParamPanel
from promptpad_testing.server import TestServer
from tests.ui.conftest import wait_idle


def _panel(qtbot: QtBot, draft: RequestDraft) -> ParamPanel:
    panel = ParamPanel(draft)
    qtbot.addWidget(panel)
    return panel


def test_every_edit_goes_into_the_draft(qtbot: QtBot) -> None:
    draft = RequestDraft()
    panel = _panel(qtbot, draft)
    panel.model_combo.setEditText("m1")
    panel.temperature.slider.setValue(70)
    panel.n_spin.setValue(3)
    panel.logprobs_spin.setValue(0)
    panel.echo_check.setChecked(True)
    panel.seed_edit.setText("42")
    panel.set_stop_sequences(["\n", "###"])
    panel.suffix_edit.setText("\\nend")
    panel.user_edit.setText(" u1 ")
    panel.logit_bias_edit.setPlainText('{"50256": -100}')
    panel.extra_edit.setPlainText('{"top_k": 40}')
    panel.stream_check.setChecked(False)
    assert draft.set_fields() == {
        "model": "m1",
        "temperature": 0.7,
        "stream": False,
        "n": 3,
        "logprobs": 0,
        "echo": True,
        "seed": 42,
        "stop": ["\n", "###"],
        "suffix": "\nend",
        "user": "u1",
        "logit_bias": {"50256": -100},
        "extra": {"top_k": 40},
    }
    # "default" in a widget is "not set" in the draft
    panel.temperature.reset.click()
    panel.n_spin.setValue(0)
    panel.logprobs_spin.setValue(-1)
    panel.echo_check.setChecked(False)
    panel.seed_edit.clear()
    panel.set_stop_sequences([])
    panel.logit_bias_edit.clear()
    assert set(draft.set_fields()) == {"model", "stream", "suffix", "user", "extra"}
    assert panel.temperature.state.text() == "default · not sent"


def test_draft_changes_show_in_the_widgets(qtbot: QtBot) -> None:
    draft = RequestDraft()
    panel = _panel(qtbot, draft)
    draft.set("top_p", 0.25)
    draft.set("stop", "\n")
    draft.set("extra", {"top_k": 5})
    assert panel.top_p.spin.value() == 0.25
    assert panel.top_p.slider.value() == 25
    assert panel.top_p.is_set
    assert panel.stop_list.item(0).text() == "\\n"
    assert json.loads(panel.extra_edit.toPlainText()) == {"top_k": 5}
    draft.assign(RequestDraft.from_body({"model": "h", "prompt": "p", "n": 2, "seed": 7}))
    assert panel.model_combo.currentText() == "h"
    assert panel.n_spin.value() == 2
    assert panel.seed_edit.text() == "7"
    assert not panel.top_p.is_set
    assert panel.stop_list.count() == 0
    assert panel.extra_edit.toPlainText() == ""


def test_typing_is_not_echoed_back_into_the_widget(qtbot: QtBot) -> None:
    draft = RequestDraft()
    panel = _panel(qtbot, draft)
    seen: list[str | None] = []
    draft.subscribe(seen.append)
    panel.suffix_edit.setFocus()
    qtbot.keyClicks(panel.suffix_edit, "ab\\n")
    panel.suffix_edit.setCursorPosition(1)
    qtbot.keyClicks(panel.suffix_edit, "X")
    assert draft.value("suffix") == "aXb\n"
    assert panel.suffix_edit.text() == "aXb\\n"  # shown as typed, escape and all
    assert panel.suffix_edit.cursorPosition() == 2  # an echo would have moved the cursor
    assert seen == ["suffix"] * 5  # one event per keystroke, no loop


def test_text_a_widget_cannot_parse_is_its_own_problem(qtbot: QtBot) -> None:
    draft = RequestDraft({"model": "m"})
    panel = _panel(qtbot, draft)
    panel.extra_edit.setPlainText('{"top_k": ')
    panel.seed_edit.setText("12x")
    fields = {p.field for p in panel.problems()}
    assert fields == {"extra", "seed"}
    assert not draft.is_set("extra")  # nothing half-typed is sent
    assert panel.extra_edit.property("invalid") is True
    draft.set("extra", {"top_k": 3})  # a value from elsewhere replaces the broken text
    assert {p.field for p in panel.problems()} == {"seed"}
    assert panel.extra_edit.property("invalid") is False


HOSTILE_BODY = {
    "model": "m",
    "prompt": "p",
    "temperature": math.nan,
    "top_p": 1e308,
    "presence_penalty": -1e308,
    "frequency_penalty": "hot",
    "max_tokens": 10**30,
    "n": 10**30,
    "best_of": -(10**30),
    "logprobs": 10**30,
    "seed": 10**30,
    "stop": [1, 2],
    "user": 5,
}


def test_hostile_values_are_shown_clamped_and_marked(qtbot: QtBot) -> None:
    """NaN, 1e308 and 10**30 reached Qt's int-backed slider and raised OverflowError."""
    draft = RequestDraft()
    panel = _panel(qtbot, draft)
    draft.assign(RequestDraft.from_body(HOSTILE_BODY))  # as a history restore does
    assert panel.top_p.spin.value() == 1.0  # the nearest end of the range
    assert panel.temperature.spin.value() == 1.0  # NaN: the default
    assert panel.n_spin.value() == 128
    bad = {p.field for p in panel.problems()}
    assert {"temperature", "top_p", "presence_penalty", "frequency_penalty", "n"} <= bad
    assert {"best_of", "logprobs", "stop", "user"} <= bad
    for name in ("temperature", "top_p", "n", "best_of", "logprobs"):
        assert panel.field_widget(name).property("invalid") is True, name  # type: ignore[union-attr]


def test_a_hostile_history_run_restores_without_raising(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.restore_run(RunRecord(request=dict(HOSTILE_BODY), outputs={0: "x"}, outcome="finished"))
    assert window.draft.value("top_p") == 1e308
    assert not window.run_button.isEnabled()
    assert "Top P" in window.run_button.toolTip()


def test_a_new_playground_sends_256_tokens_and_says_so(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    assert window.params.max_tokens.spin.value() == 256
    assert window.params.max_tokens.state.text() == "sent"
    window.editor.setPlainText("p")
    window.run_button.click()
    wait_idle(qtbot, window)
    assert server.last.json()["max_tokens"] == 256


def test_settings_hold_the_draft_shape(qtbot: QtBot, make_window, home: Path) -> None:
    win: MainWindow = make_window()
    win.params.model_combo.setEditText("m7")
    win.params.top_p.spin.setValue(0.5)
    win.params.max_tokens.reset.click()  # the user's "not sent" survives a restart
    win.close()
    saved = json.loads((home / "settings.json").read_text())["params"]
    assert saved == {"version": 1, "fields": {"model": "m7", "top_p": 0.5, "stream": True}}
    again: MainWindow = make_window()
    assert again.draft.set_fields() == saved["fields"]
    assert not again.params.max_tokens.is_set


def test_old_settings_are_read_once_and_rewritten(qtbot: QtBot, make_window, home: Path) -> None:
    home.mkdir()
    old = {
        "model": "m-old",
        "numbers": {
            "temperature": {"value": 0.3, "set": True},
            "top_p": {"value": 0.9, "set": False},
            "max_tokens": {"value": 700, "set": True},
        },
        "stream": False,
        "n": 2,
        "best_of": 0,
        "logprobs": -1,
        "echo": False,
        "seed": "9",
        "stop": ["\n"],
        "suffix": "\\nEND",
        "user": "",
        "logit_bias": '{"1": 5}',
        "extra": "{not json",
    }
    (home / "settings.json").write_text(json.dumps({"params": old}))
    win: MainWindow = make_window()
    assert win.draft.set_fields() == {
        "model": "m-old",
        "temperature": 0.3,
        "max_tokens": 700,
        "stream": False,
        "n": 2,
        "seed": 9,
        "stop": "\n",
        "suffix": "\nEND",
        "logit_bias": {"1": 5},
    }
    assert win.params.suffix_edit.text() == "\\nEND"
    win.close()
    saved = json.loads((home / "settings.json").read_text())["params"]
    assert saved["version"] == 1
    assert saved["fields"]["max_tokens"] == 700
