"""Echo on: the editor already holds the prompt, so only the new text is shown (issue 10).

The server sends the prompt back first, split across chunks however it likes; the editor, the
n > 1 panes and the history record all get only what follows the prompt.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.echo import EchoStrip
from app.core.events import TokenLogprob
from app.core.history import RunRecord
from app.ui.main_window import MainWindow
from promptpad_testing.server import Reply, TestServer, chunk_obj, sse
from tests.ui.conftest import wait_idle

SSE = [("Content-Type", "text/event-stream")]
PROMPT = "Once upon a time"


def _stream(pieces: list[tuple[int, str]]) -> Reply:
    writes = [sse([chunk_obj(text, index)], done=False) for index, text in pieces]
    writes.append(sse([chunk_obj("", finish="stop")]))
    return Reply(headers=SSE, writes=writes)


def _run(qtbot: QtBot, win: MainWindow) -> RunRecord:
    with qtbot.waitSignal(win.session.recorder.recorded, timeout=10000) as rec:
        win.run()
        wait_idle(qtbot, win)
    return rec.args[0]


def test_an_echo_split_across_chunks_is_not_shown_twice(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.params.echo_check.setChecked(True)
    window.editor.setPlainText(PROMPT)
    # The prompt arrives in three pieces, the third with the start of the completion.
    server.queue(_stream([(0, "Once up"), (0, "on a ti"), (0, "me there"), (0, " was")]))
    record = _run(qtbot, window)
    assert server.last.json()["echo"] is True
    assert window.editor.toPlainText() == PROMPT + " there was"
    start = len(PROMPT)
    assert window.editor.completion_ranges() == [(start, start + len(" there was"))]
    # Recorded as shown: restoring it (prompt + output) must not double the prompt either.
    assert record.outputs == {0: " there was"}


def test_echo_in_each_of_n_panes(qtbot: QtBot, window: MainWindow, server: TestServer) -> None:
    window.params.echo_check.setChecked(True)
    window.params.n_spin.setValue(2)
    window.editor.setPlainText(PROMPT)
    server.queue(
        _stream([(0, "Once upon"), (1, "Once"), (1, " upon a time,"), (0, " a time!"), (1, " a")])
    )
    _run(qtbot, window)
    panes = window.output_tabs.panes
    assert [p.toPlainText() for p in panes] == ["!", ", a"]
    assert window.editor.toPlainText() == PROMPT


def test_echo_of_a_non_streamed_reply(qtbot: QtBot, window: MainWindow) -> None:
    window.params.echo_check.setChecked(True)
    window.params.stream_check.setChecked(False)
    window.editor.setPlainText("P:")
    _run(qtbot, window)  # the test server echoes the prompt before "This is a test."
    assert window.editor.toPlainText() == "P:This is a test."


def test_a_server_that_does_not_echo_loses_nothing(
    qtbot: QtBot, window: MainWindow, server: TestServer
) -> None:
    window.params.echo_check.setChecked(True)
    window.editor.setPlainText(PROMPT)
    # "On" could be the start of the echo and is held back; "ly" shows it was not.
    server.queue(_stream([(0, "On"), (0, "ly"), (0, " once")]))
    record = _run(qtbot, window)
    assert window.editor.toPlainText() == PROMPT + "Only once"
    assert record.outputs == {0: "Only once"}


def test_tokens_of_the_echo_are_dropped_and_a_straddling_one_is_cut() -> None:
    echo = EchoStrip("ab")
    toks = [TokenLogprob("a", -0.1), TokenLogprob("bc", -0.2), TokenLogprob("d", -0.3)]
    assert echo.text(0, "abcd") == "cd"
    assert [(t.token, t.logprob) for t in echo.tokens(0, toks)] == [("c", -0.2), ("d", -0.3)]
    assert echo.text(0, "ab") == "ab"  # past the echo: the prompt's words are output now
    assert echo.tokens(0, [TokenLogprob("ab", -1.0)])[0].token == "ab"
    other = EchoStrip("ab")
    assert other.text(1, "a") == ""
    assert other.tokens(1, [TokenLogprob("a", -0.1)]) == []
