"""The editor's model-output ranges: tracked through streaming and every kind of edit."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.core.storage import Draft
from app.ui.widgets.editor import PromptEdit
from app.ui.widgets.output_text import qt_len


def make(qtbot: QtBot, text: str = "") -> PromptEdit:
    ed = PromptEdit()
    qtbot.addWidget(ed)
    ed.setPlainText(text)
    return ed


def agree(ed: PromptEdit) -> bool:
    """Tracked ranges cover exactly the characters formatted as model text.

    Paragraph separators are left out: Qt keeps their char format with the block, not reliably
    with the character, so only the visible characters can be compared.
    """
    text = ed.toPlainText()  # one QChar per position here (ASCII tests)
    visible = {i for i, ch in enumerate(text) if ch != "\n"}
    scanned = {i for a, b in ed.scan_completion_ranges() for i in range(a, b)} & visible
    tracked = {i for a, b in ed.completion_ranges() for i in range(a, b)} & visible
    return scanned == tracked


def stream(ed: PromptEdit, pieces: list[str], at: int | None = None) -> None:
    ed.begin_output(at)
    for p in pieces:
        ed.append_output(p)
    ed.end_output()


def edit(ed: PromptEdit, pos: int, remove: int, insert: str) -> None:
    cur = QTextCursor(ed.document())
    cur.setPosition(pos)
    cur.setPosition(pos + remove, QTextCursor.MoveMode.KeepAnchor)
    cur.insertText(insert, ed.plain)


def test_streamed_ranges(qtbot: QtBot) -> None:
    ed = make(qtbot, "Hello")
    stream(ed, [" wor", "ld", "!"])
    assert ed.toPlainText() == "Hello world!"
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(5, 12)]


def test_edits_before_inside_after_a_completion(qtbot: QtBot) -> None:
    ed = make(qtbot, "abc")
    stream(ed, ["XYZ"])  # abcXYZ, model text at [3, 6)
    edit(ed, 6, 0, "tail")  # typing after: not model text
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(3, 6)]
    edit(ed, 0, 0, ">>")  # typing before shifts it
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(5, 8)]
    edit(ed, 4, 2, "")  # delete across its start
    assert ed.toPlainText() == ">>abYZtail"
    assert agree(ed)


@pytest.mark.parametrize("seed", range(5))
def test_random_edits_agree_with_a_scan(qtbot: QtBot, seed: int) -> None:
    rng = random.Random(seed)
    ed = make(qtbot, "start ")
    for _ in range(150):
        size = ed.document().characterCount() - 1
        if rng.random() < 0.3:
            stream(ed, ["m" * rng.randint(1, 5), "\n"], at=rng.randint(0, size))
        else:
            pos = rng.randint(0, size)
            edit(ed, pos, rng.randint(0, min(4, size - pos)), rng.choice(["", "u", "uu\n"]))
        assert agree(ed)


def test_restore_round_trip_with_wide_characters(qtbot: QtBot) -> None:
    ed = make(qtbot, "前言 🌍 ")
    stream(ed, ["中文", "🎉"])
    snap = ed.snapshot()
    assert snap.completions == [(qt_len("前言 🌍 "), qt_len("前言 🌍 中文🎉"))]
    other = make(qtbot)
    other.restore(Draft(snap.text, snap.completions, snap.cursor))
    assert other.completion_ranges() == other.scan_completion_ranges() == snap.completions


def test_frame_pacing_follows_the_cost_of_an_insert(qtbot: QtBot) -> None:
    from app.ui.controllers import FRAME_MS, MAX_FRAME_MS, RunController

    rc = RunController(None)
    rc.pace(0.002)  # ordinary text: the frame rate
    assert rc._flush.interval() == FRAME_MS
    rc.pace(0.050)  # a huge paragraph re-laid out: insert less often, 3x its cost
    assert rc._flush.interval() == 150
    rc.pace(2.0)
    assert rc._flush.interval() == MAX_FRAME_MS
    rc.pace(0.001)
    assert rc._flush.interval() == FRAME_MS


def _ctrl_z(qtbot: QtBot, ed: PromptEdit, shift: bool = False) -> None:
    mods = Qt.KeyboardModifier.ControlModifier
    if shift:
        mods |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(ed, Qt.Key.Key_Z, mods)


def test_typing_history_survives_a_run_which_is_one_ctrl_z_step(qtbot: QtBot) -> None:
    ed = make(qtbot)
    ed.show()
    qtbot.keyClicks(ed, "Hello")
    stream(ed, [" wor", "ld", "!" * 9000])  # long enough for display breaks
    assert ed.soft_breaks()
    assert ed.toPlainText() == "Hello world" + "!" * 9000
    _ctrl_z(qtbot, ed)  # the whole run, in one step
    assert ed.toPlainText() == "Hello"
    assert ed.completion_ranges() == []
    _ctrl_z(qtbot, ed)  # the typing before it (a run used to wipe it)
    assert ed.toPlainText() == ""
    _ctrl_z(qtbot, ed, shift=True)
    _ctrl_z(qtbot, ed, shift=True)  # redo brings the run back, display breaks and all
    assert ed.toPlainText() == "Hello world" + "!" * 9000
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(5, 9011)]


def test_a_restore_keeps_the_typing_history_and_is_one_step_itself(qtbot: QtBot) -> None:
    """The path of the session's run Undo/Redo and Regenerate (PromptEdit.restore)."""
    ed = make(qtbot)
    ed.show()
    qtbot.keyClicks(ed, "abc")
    before = ed.snapshot()
    stream(ed, ["XYZ"])
    ed.restore(before)  # the run Undo
    assert ed.toPlainText() == "abc"
    assert ed.completion_ranges() == []
    _ctrl_z(qtbot, ed)  # undoes the restore: the run's output is back, still model output
    assert ed.toPlainText() == "abcXYZ"
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(3, 6)]
    _ctrl_z(qtbot, ed)
    _ctrl_z(qtbot, ed)
    assert ed.toPlainText() == ""  # and the typing before it all
    ed.restore(Draft("long " * 2000, [(5, 9000)], 0))
    assert ed.toPlainText() == "long " * 2000
    assert ed.soft_breaks()
    assert ed.completion_ranges() == ed.scan_completion_ranges() == [(5, 9000)]
