"""The window against a hostile or broken server: no traceback, no error dialog, nothing silent.

Qt warnings and exceptions reaching sys.excepthook fail these tests (tests/ui/conftest.py), so a
reply that used to raise in a slot (an int signal overflow, exp(1e308), a RecursionError) fails
here as it failed for users.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.controllers import MAX_CHARS_PER_FRAME
from app.ui.main_window import MainWindow
from promptpad_testing.server import Reply, TestServer, chunk_obj, sse, text_reply
from tests.core import test_fuzz as fuzz
from tests.ui.conftest import wait_idle

SSE = [("Content-Type", "text/event-stream")]
DEEP = "[" * 5000 + "]" * 5000


def run_and_wait(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.mouseClick(win.findChild(object, "runButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)


def test_hostile_stream_shows_the_text_and_says_what_was_skipped(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    lp = {
        "tokens": ["b"],
        "token_logprobs": [1e308],
        "top_logprobs": [{"b": float("nan"), "c": float("inf")}],
    }
    body = (
        sse([chunk_obj("a")], done=False)
        + sse([DEEP], done=False)  # RecursionError in json.loads
        + sse([chunk_obj("b", logprobs=lp)], done=False)  # exp(1e308) in a tooltip
        + b'data: {"choices":[{"text":"c\\ud800d","index":0}]}\n\n'  # lone surrogate
        + sse([chunk_obj("LOST", index=2**31)], done=False)  # a Qt int overflow
        + b"data: {oops\n\n"  # malformed
        + sse([chunk_obj("e", finish="stop")])
        + sse([chunk_obj("after done")])  # ignored
    )
    server.queue(Reply(headers=SSE, writes=[body]))
    window.params.logprobs_spin.setValue(1)
    window.editor.setPlainText(">")
    run_and_wait(qtbot, window)
    assert window.editor.toPlainText() == ">abc\ufffdde"
    assert not window.error_bar.isVisible()
    status = window.run_status.text()
    assert "unreadable chunks skipped: 3 (some text was lost)" in status


def test_absurd_logprobs_shade_and_tooltip_without_overflow(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    lps = [
        {"tokens": ["x"], "token_logprobs": [1e308], "top_logprobs": [{"x": 1e308, "y": -1e308}]},
        {"tokens": ["y"], "token_logprobs": [float("nan")], "top_logprobs": [{"z": float("inf")}]},
        {"tokens": ["z"], "token_logprobs": [10**400], "top_logprobs": [[1, 2]]},
    ]
    writes = [
        sse([chunk_obj(t, logprobs=lp)], done=False) for t, lp in zip("xyz", lps, strict=True)
    ]
    server.queue(Reply(headers=SSE, writes=[*writes, b"data: [DONE]\n\n"]))
    window.params.logprobs_spin.setValue(2)
    window.editor.setPlainText("")
    run_and_wait(qtbot, window)
    assert window.editor.toPlainText() == "xyz"
    assert "100.0%" in window.editor.tooltip_at(0)  # 1e308 is read as a log probability of 0
    for pos in range(3):
        window.editor.tooltip_at(pos)
    assert not window.error_bar.isVisible()


def test_huge_choice_index_makes_no_tab(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    objs = [chunk_obj("zero", 0), chunk_obj("big", 2**31), chunk_obj("one", 1, finish="stop")]
    server.queue(Reply(headers=SSE, writes=[sse(objs)]))
    window.params.n_spin.setValue(2)
    window.editor.setPlainText("p")
    run_and_wait(qtbot, window)
    assert window.output_tabs.count() == 2
    panes = [window.findChild(object, f"choicePane{i}").toPlainText() for i in range(2)]
    assert panes == ["zero", "one"]
    assert "unreadable chunks skipped: 1" in window.run_status.text()


def test_deep_error_body_and_non_streamed_body_are_errors_not_tracebacks(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.queue(text_reply('{"error":{"message":' + DEEP + "}}", 500, "application/json"))
    window.editor.setPlainText("p")
    run_and_wait(qtbot, window)
    assert "HTTP 500" in window.error_text.text()
    window.params.stream_check.setChecked(False)
    server.queue(text_reply('{"choices":' + DEEP + "}", 200, "application/json"))
    run_and_wait(qtbot, window)
    assert "Unexpected reply" in window.error_text.text()
    assert "Traceback" not in window.error_text.text()
    assert window.editor.toPlainText() == "p"


def test_failed_run_says_chunks_were_skipped(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    body = sse([chunk_obj("kept"), "{bad", {"error": {"message": "overloaded", "code": 503}}])
    server.queue(Reply(headers=SSE, writes=[body]))
    window.editor.setPlainText("Q:")
    run_and_wait(qtbot, window)
    assert window.editor.toPlainText() == "Q:kept"
    text = window.error_text.text()
    assert "HTTP 503: overloaded" in text
    assert "(the text received so far is kept)" in text  # the core no longer keeps it: received
    assert "unreadable chunks skipped: 1" in text


def test_deep_models_list_is_a_message(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    server.handler = lambda req: (
        text_reply('{"data":' + DEEP + "}", 200, "application/json")
        if req.method == "GET"
        else None
    )
    with qtbot.waitSignal(window.models.failed, timeout=5000) as blocker:
        qtbot.mouseClick(window.params.refresh_models, Qt.MouseButton.LeftButton)
    assert "not JSON" in blocker.args[0].message or "nested" in blocker.args[0].message


def test_backlog_beyond_the_frame_cap_arrives_whole_and_in_order(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    # Several frames' worth in one read, more while it is still being shown: the backlog is
    # read from an offset, never re-copied, and nothing is lost or reordered.
    big = "".join(chr(ord("a") + i % 26) for i in range(MAX_CHARS_PER_FRAME * 3 + 5))
    writes = [sse([chunk_obj(big)], done=False), sse([chunk_obj("|tail")])]
    server.queue(Reply(headers=SSE, writes=writes, delay=0.01))
    window.editor.setPlainText("")
    chunks: list[str] = []
    window.runner.textReady.connect(lambda i, t: chunks.append(t))
    run_and_wait(qtbot, window)
    assert "".join(chunks) == big + "|tail"
    assert max(len(c) for c in chunks) <= MAX_CHARS_PER_FRAME * 250 // 16
    assert window.editor.toPlainText() == big + "|tail"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(fuzz.lines, min_size=1, max_size=8))
def test_any_stream_leaves_the_window_usable(
    qtbot: QtBot, window: MainWindow, server: TestServer, parts: list[bytes]
) -> None:
    # The core's fuzz lines (deep nesting, NaN, huge numbers, lone surrogates, odd indexes),
    # through the window, with logprobs asked for so tooltips and shades are drawn from them.
    server.queue(Reply(headers=SSE, writes=parts))
    window.params.logprobs_spin.setValue(1)
    window.editor.setPlainText("p")
    run_and_wait(qtbot, window)
    window.editor.toPlainText().encode("utf-8")
    for pos in range(min(len(window.editor.toPlainText()), 20)):
        window.editor.tooltip_at(pos)
    assert "Traceback" not in window.error_text.text()
    assert window.findChild(object, "runButton").isEnabled()
