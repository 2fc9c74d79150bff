"""The Compare tab against several real loopback servers: fast, slow, failing and stalled columns
stream at once and none disturbs the others; own settings are sent; repeats browse; Ctrl+Enter
and Esc; add, duplicate, move, remove; save, open, export; the working copy survives a restart;
every attempt goes to the history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from app.core.providers import Provider
from app.ui.main_window import MainWindow
from promptpad_testing.server import (
    Recorded,
    Reply,
    TestServer,
    openai_error,
    started,
    stream_reply,
)

pytestmark = pytest.mark.usefixtures("aloop")


@pytest.fixture
def servers() -> Iterator[dict[str, TestServer]]:
    with started("fast", "slow", "failing", "stalled") as srvs:
        yield srvs


def _providers(win: MainWindow, servers: dict[str, TestServer], timeout: float = 10.0) -> None:
    for name, srv in servers.items():
        win.providers.add(
            Provider(name, srv.base_url, default_model="m", read_timeout=timeout, connect_timeout=5)
        )
    win.connection.reload(select=next(iter(servers)))


def _compare(win: MainWindow, qtbot: QtBot, prompt: str = "Say hi") -> None:
    win.mode_tabs.setCurrentWidget(win.compare_view)
    qtbot.waitUntil(lambda: len(win.compare.columns) >= 2, timeout=3000)
    win.compare_view.prompt.setPlainText(prompt)
    win.activateWindow()  # shortcuts reach only the active window, as for a user
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    win.compare_view.prompt.setFocus()


def _set_columns(win: MainWindow, names: list[str]) -> None:
    ctl = win.compare
    while len(ctl.columns) < len(names):
        ctl.add_column()
    while len(ctl.columns) > len(names):
        ctl.remove_column(ctl.columns[-1].name)
    for col, provider in zip(list(ctl.columns), names, strict=True):
        widget = win.compare_view.column_widget(col.name)
        assert widget is not None
        widget.where.setCurrentIndex(widget.where.findData(provider))
        widget.where.activated.emit(widget.where.currentIndex())  # as a user's choice does
    assert [c.provider for c in ctl.columns] == names


def _done(win: MainWindow, qtbot: QtBot, timeout: int = 15000) -> None:
    views = [w.output for w in win.compare_view.columns.values()]
    qtbot.waitUntil(
        lambda: (
            not win.compare.busy
            and win.compare.result is not None
            and not any(v.has_pending_work() for v in views)
        ),
        timeout=timeout,
    )


def _column(win: MainWindow, provider: str):  # noqa: ANN202
    col = next(c for c in win.compare.columns if c.provider == provider)
    widget = win.compare_view.column_widget(col.name)
    assert widget is not None
    return col, widget


def test_a_first_look_starts_from_the_playground(make_window, qtbot: QtBot, servers) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, servers)
    win.editor.setPlainText("Once upon a time")
    win.mode_tabs.setCurrentWidget(win.compare_view)
    qtbot.waitUntil(lambda: len(win.compare.columns) == 2, timeout=3000)
    assert win.compare_view.prompt.toPlainText() == "Once upon a time"
    # The playground's provider first, then another saved one; their default model filled in.
    assert [c.provider for c in win.compare.columns] == ["fast", "slow"]
    assert [c.model for c in win.compare.columns] == ["m", "m"]


def test_fast_slow_failing_and_stalled_columns_never_disturb_each_other(
    make_window, qtbot: QtBot, servers
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, servers, timeout=1.0)
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow", "failing", "stalled"])
    servers["fast"].queue(
        stream_reply(
            ["Hel", "lo"], usage={"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}
        )
    )
    servers["slow"].queue(stream_reply(["s", "l", "o", "w"], delay=0.1))
    servers["failing"].queue(openai_error("Incorrect API key provided.", 401))
    first = stream_reply(["half"]).writes[0]
    servers["stalled"].queue(
        Reply(headers=[("Content-Type", "text/event-stream")], writes=[first], hang=5)
    )
    assert win.compare.problems() == []
    recorded: list = []
    win.recorder.recorded.connect(recorded.append)
    qtbot.keyClick(
        win.compare_view.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )  # Run all
    assert not win.error_bar.isVisibleTo(win), win.error_text.text()
    _done(win, qtbot)
    _, fast = _column(win, "fast")
    _, slow = _column(win, "slow")
    _, failing = _column(win, "failing")
    _, stalled = _column(win, "stalled")
    assert fast.output.toPlainText() == "Hello"
    assert slow.output.toPlainText() == "slow"
    assert "2 tokens" in fast.figures.text()
    assert "≈" not in fast.figures.text()
    assert "first token" in slow.figures.text()
    assert "finish: stop" in slow.figures.text()
    assert failing.error.isVisibleTo(failing)
    assert "HTTP 401" in failing.error.text()
    assert "Incorrect API key provided." in failing.error.text()
    # The stalled column gave up after its own read timeout and kept what it had received.
    assert stalled.output.toPlainText() == "half"
    assert stalled.error.text()
    assert not fast.error.isVisibleTo(fast)
    a = win.compare.attempt(fast.name, 0)
    b = win.compare.attempt(stalled.name, 0)
    assert a is not None
    assert b is not None
    assert a.total is not None
    assert b.total is not None
    assert a.total < 0.9 < b.total  # the fast one did not wait for the stalled one
    # Every attempt is in the history.
    qtbot.waitUntil(lambda: len(recorded) == 4, timeout=5000)
    assert sorted(r.outcome for r in recorded) == ["failed", "failed", "finished", "finished"]
    assert all(r.id is not None for r in recorded)  # in the database
    assert "First token soonest" in win.compare_view.summary.text()


def test_stop_one_column_keeps_its_text_and_the_others_go_on(
    make_window, qtbot: QtBot, servers
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, servers)
    _compare(win, qtbot)
    _set_columns(win, ["fast", "stalled"])
    servers["fast"].queue(stream_reply(list("abcdefghij"), delay=0.15))
    first = stream_reply(["kept"]).writes[0]
    servers["stalled"].queue(
        Reply(headers=[("Content-Type", "text/event-stream")], writes=[first], hang=10)
    )
    win.compare_view.run_button.click()
    _, stalled = _column(win, "stalled")
    _, fast = _column(win, "fast")
    qtbot.waitUntil(lambda: stalled.output.toPlainText() == "kept", timeout=5000)
    stalled.stop.click()
    qtbot.waitUntil(lambda: "stopped" in stalled.state.text(), timeout=3000)
    assert win.compare.busy  # the fast column goes on
    _done(win, qtbot)
    assert fast.output.toPlainText() == "abcdefghij"
    assert stalled.output.toPlainText() == "kept"
    attempt = win.compare.attempt(stalled.name, 0)
    assert attempt is not None
    assert attempt.run.outcome.value == "stopped"


def test_esc_stops_every_column(make_window, qtbot: QtBot, servers) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, servers)
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow"])
    for name in ("fast", "slow"):
        first = stream_reply(["x"]).writes[0]
        servers[name].queue(
            Reply(headers=[("Content-Type", "text/event-stream")], writes=[first], hang=10)
        )
    qtbot.keyClick(win.compare_view.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: all(w.output.toPlainText() == "x" for w in win.compare_view.columns.values()),
        timeout=5000,
    )
    qtbot.keyClick(win.compare_view.prompt, Qt.Key.Key_Escape)
    _done(win, qtbot, timeout=3000)
    assert all(
        a.run.outcome.value == "stopped"
        for c in win.compare.columns
        for a in win.compare.attempts(c.name)
    )


def test_own_settings_are_sent_and_shown_the_rest_is_shared(
    make_window, qtbot: QtBot, servers
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, {"fast": servers["fast"], "slow": servers["slow"]})
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow"])
    win.params.temperature.set_value(0.9)  # the Parameters tab: shared by every column
    _, b = _column(win, "slow")
    b.fold.click()
    b._fill_add_menu()
    act = next(a for a in b.add_menu.actions() if a.objectName() == "columnAdd_temperature")
    act.trigger()
    spin = b.findChild(object, "columnOwn_temperature")
    assert spin is not None
    spin.setValue(0.2)
    assert "temperature 0.2" in b.own.text()
    win.compare_view.run_button.click()
    _done(win, qtbot)
    assert servers["fast"].last.json()["temperature"] == 0.9
    assert servers["slow"].last.json()["temperature"] == 0.2
    assert servers["slow"].last.json()["prompt"] == "Say hi"
    assert servers["slow"].last.json()["stream"] is True


def _counting(srv: TestServer, word: str) -> None:
    calls = {"n": 0}

    def handler(req: Recorded) -> Reply:
        calls["n"] += 1
        return stream_reply([f"{word} {calls['n']}"])

    srv.handler = handler


@pytest.mark.parametrize("order", [0, 1], ids=["sequential", "concurrent"])
def test_repeats_show_their_spread_and_every_output(
    make_window, qtbot: QtBot, servers, order: int
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, {"fast": servers["fast"], "slow": servers["slow"]})
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow"])
    _counting(servers["fast"], "fast")
    _counting(servers["slow"], "slow")
    view = win.compare_view
    view.repeat.setValue(3)
    view.order.setCurrentIndex(order)
    view.order.activated.emit(order)
    view.run_button.click()
    _done(win, qtbot)
    _, a = _column(win, "fast")
    assert len(win.compare.attempts(a.name)) == 3
    assert a.which.text().endswith("1/3")
    texts = {a.output.toPlainText()}
    for _ in range(2):
        a.next.click()
        texts.add(a.output.toPlainText())
    assert texts == {"fast 1", "fast 2", "fast 3"}
    assert "min / median / max" in a.spread.text()
    assert not a.next.isEnabled()


def test_columns_are_added_duplicated_moved_and_removed(make_window, qtbot: QtBot, servers) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, servers)
    _compare(win, qtbot)
    ctl, view = win.compare, win.compare_view
    view.add_button.click()
    assert len(ctl.columns) == 3
    first = ctl.columns[0].name
    widget = view.column_widget(first)
    assert widget is not None
    widget.findChild(QToolButton, "columnDuplicate").click()
    assert len(ctl.columns) == 4
    assert ctl.columns[1].provider == ctl.columns[0].provider
    widget.findChild(QToolButton, "columnRight").click()
    assert ctl.columns[1].name == first
    # The widgets are laid out in the columns' order.
    order = [view.strip_layout.itemAt(i).widget().name for i in range(len(ctl.columns))]
    assert order == [c.name for c in ctl.columns]
    widget.findChild(QToolButton, "columnRemove").click()
    assert len(ctl.columns) == 3
    assert ctl.column(first) is None
    for _ in range(10):
        view.add_button.click()
    assert len(ctl.columns) == 8
    assert not view.add_button.isEnabled()


def test_run_all_says_why_it_cannot_run(make_window, qtbot: QtBot, servers) -> None:  # noqa: ANN001
    win = make_window()
    _compare(win, qtbot)  # no provider, no URL: two columns going nowhere
    qtbot.keyClick(win.compare_view.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.error_bar.isVisibleTo(win)
    assert "choose a provider or enter a base URL" in win.error_text.text()
    assert not win.compare.busy


def test_save_open_and_export(
    make_window, qtbot: QtBot, servers, home: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, {"fast": servers["fast"], "slow": servers["slow"]})
    _compare(win, qtbot, prompt="今天天气")
    _set_columns(win, ["fast", "slow"])
    ctl = win.compare
    ctl.set_override(ctl.columns[1].name, "temperature", 0.3)
    assert ctl.save("two relays")
    qtbot.waitUntil(lambda: (home / "comparisons" / "two relays.json").exists(), timeout=3000)
    assert not ctl.save("../escape")  # a name is a file name
    ctl.remove_column(ctl.columns[1].name)
    win.compare_view.prompt.setPlainText("other")
    ctl.open_saved("two relays")
    qtbot.waitUntil(lambda: len(ctl.columns) == 2, timeout=3000)
    assert win.compare_view.prompt.toPlainText() == "今天天气"
    assert ctl.columns[1].overrides.value("temperature") == 0.3
    win.compare_view.run_button.click()
    _done(win, qtbot)
    md, js = tmp_path / "out.md", tmp_path / "out.json"
    ctl.export(md, "md")
    ctl.export(js, "json")
    qtbot.waitUntil(lambda: md.exists() and js.exists(), timeout=3000)
    assert "今天天气" in md.read_text("utf-8")
    data = json.loads(js.read_text("utf-8"))
    assert [c["column"] for c in data["columns"]] == [c.name for c in ctl.columns]
    assert all(c["attempts"][0]["text"] for c in data["columns"])


def test_the_comparison_being_edited_survives_a_restart(
    make_window, qtbot: QtBot, servers, home: Path
) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, {"fast": servers["fast"], "slow": servers["slow"]})
    _compare(win, qtbot, prompt="keep me")
    win.compare.set_override(win.compare.columns[0].name, "top_p", 0.5)
    win.close()
    again = make_window()
    qtbot.waitUntil(lambda: len(again.compare.columns) == 2, timeout=3000)
    assert again.compare_view.prompt.toPlainText() == "keep me"
    assert again.compare.columns[0].overrides.value("top_p") == 0.5


def test_diff_of_two_columns_opens_on_the_shown_outputs(make_window, qtbot: QtBot, servers) -> None:  # noqa: ANN001
    win = make_window()
    _providers(win, {"fast": servers["fast"], "slow": servers["slow"]})
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow"])
    servers["fast"].queue(stream_reply(["今天天气很好"]))
    servers["slow"].queue(stream_reply(["今天天气不好"]))
    win.compare_view.run_button.click()
    _done(win, qtbot)
    dialog = win.compare_view.show_diff()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.current_diff() is not None, timeout=5000)
    d = dialog.current_diff()
    assert d is not None
    assert d.a == "今天天气很好"
    assert d.b == "今天天气不好"
    dialog.close()


def test_a_torrent_is_shown_ten_frames_a_second_and_a_stream_twenty(
    make_window,  # noqa: ANN001
    qtbot: QtBot,
    servers,  # noqa: ANN001
) -> None:
    """Far past reading speed (over TORRENT_CHARS in a frame) a column's text comes 10 frames a
    second, each frame's fixed work halved; at a model's pace, 20. All of the text either way."""
    from app.ui.compare import controller as ctl_module

    assert ctl_module.frame_ms(ctl_module.TORRENT_CHARS + 1) == ctl_module.TORRENT_FRAME_MS
    assert ctl_module.frame_ms(40) == ctl_module.FRAME_MS == 50
    win = make_window()
    _providers(win, servers)
    _compare(win, qtbot)
    _set_columns(win, ["fast", "slow"])
    flood = ["word " * 40] * 2000  # 400,000 characters at once
    servers["fast"].queue(stream_reply(flood))
    servers["slow"].queue(stream_reply(["a few words "] * 3))
    intervals: list[tuple[str, int]] = []
    win.compare.textReady.connect(
        lambda column, _r, _t: intervals.append((column, win.compare._flush.interval()))
    )
    assert win.compare_view.run_all()
    _done(win, qtbot)
    fast, _ = _column(win, "fast")
    slow, _ = _column(win, "slow")
    assert win.compare.attempt(fast.name, 0).text == "".join(flood)
    assert win.compare.attempt(slow.name, 0).text == "a few words " * 3
    # the flood's frames: the timer runs at the torrent's pace
    assert (fast.name, ctl_module.TORRENT_FRAME_MS) in intervals
    intervals.clear()  # a run at a model's pace: 20 frames a second again
    for name in ("fast", "slow"):
        servers[name].queue(stream_reply(["a few words "] * 3))
    assert win.compare_view.run_all()
    _done(win, qtbot)
    assert intervals
    assert {i for _, i in intervals} == {ctl_module.FRAME_MS}
