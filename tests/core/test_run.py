"""A run as a value: events folded in, outcomes, the history record; undo/redo of runs.

The end-to-end test streams from the real loopback server through the real client and records
the run into a real SQLite history.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from app.core.client import CompletionClient
from app.core.draft import RequestDraft
from app.core.endpoint import Endpoint
from app.core.events import Finished, RunDone, RunMetrics, TextDelta, TokenLogprob, Usage
from app.core.history import History
from app.core.params import CompletionRequest
from app.core.run import Outcome, Run, RunMode, RunUndo
from app.core.transport import make_http_client
from promptpad_testing.server import TestServer, stream_reply


def _done(texts: dict[int, str]) -> RunDone:
    return RunDone(
        metrics=RunMetrics(ttft=0.1, total=0.5, completion_tokens=4),
        usage=Usage(2, 4, 6),
        finish_reasons={0: "stop"},
        model="m-1",
        id="x",
        system_fingerprint=None,
        texts=texts,
    )


def test_events_fold_into_texts_logprobs_and_finish() -> None:
    run = Run(CompletionRequest(model="m", prompt="p"), RunMode.CONTINUE)
    lp = TokenLogprob("Hel", -0.1, {"Hel": -0.1, "He": -2.0})
    run.feed([TextDelta(0, "Hel", [lp]), TextDelta(1, "A"), TextDelta(0, "lo")])
    run.feed([Finished(1, "length"), TextDelta(1, "B")])
    assert run.text(0) == "Hello"
    assert run.texts() == {0: "Hello", 1: "AB"}
    assert run.choices[0].logprobs == [lp]
    assert run.outcome is Outcome.RUNNING
    run.feed([_done({0: "Hello", 1: "AB"})])
    assert run.outcome is Outcome.DONE
    assert run.finish_reasons() == {0: "stop", 1: "length"}
    assert run.usage == Usage(2, 4, 6)
    assert run.model == "m-1"


def test_stopped_and_failed_runs_keep_their_text() -> None:
    stopped = Run(CompletionRequest(model="m", prompt="p"))
    stopped.feed([TextDelta(0, "partial")])
    stopped.stop()
    stopped.fail("too late")  # an error after the stop does not change the outcome
    assert stopped.outcome is Outcome.STOPPED
    assert stopped.to_record().outputs == {0: "partial"}
    failed = Run(CompletionRequest(model="m", prompt="p"))
    failed.feed([TextDelta(0, "half")])
    failed.fail("HTTP 500: boom", 500)
    record = failed.to_record()
    assert (record.outcome, record.error, record.outputs) == (
        "failed",
        "HTTP 500: boom",
        {0: "half"},
    )


def test_the_record_has_the_body_as_sent_and_the_mode(tmp_path: Path) -> None:
    req = CompletionRequest(model="m", prompt="p", temperature=0.2)
    run = Run(req, RunMode.REGENERATE, provider="Relay", url="https://relay.example/v1/completions")
    run.feed([TextDelta(0, "out"), _done({0: "out"})])
    history = History(tmp_path / "history.sqlite3")
    run_id = history.add(run.to_record())
    back = history.get(run_id)
    assert back is not None
    assert back.request == {"model": "m", "prompt": "p", "temperature": 0.2}
    assert back.outputs == {0: "out"}
    assert back.outcome == "finished"
    assert back.metrics["mode"] == "regenerate"
    assert back.metrics["usage"]["total_tokens"] == 6
    assert back.provider == "Relay"


def test_a_real_stream_through_the_client_into_history(tmp_path: Path, server: TestServer) -> None:
    server.queue(stream_reply(["Hello", ",", " world"]))
    draft = RequestDraft({"model": "mock-1", "max_tokens": 5})
    run = Run(draft.to_request("Say hi"), RunMode.NEW, url=server.base_url)

    async def go() -> None:
        async with make_http_client() as http:
            client = CompletionClient(http, Endpoint(server.base_url))
            async for batch in client.stream_batches(run.request):
                run.feed(batch)

    asyncio.run(go())
    assert run.text() == "Hello, world"
    assert run.outcome is Outcome.DONE
    history = History(tmp_path / "h.sqlite3")
    back = history.get(history.add(run.to_record()))
    assert back is not None
    assert back.outputs == {0: "Hello, world"}
    assert back.request["max_tokens"] == 5


@dataclass
class Snap:
    text: str

    def size(self) -> int:
        return len(self.text)


def test_undo_and_redo_walk_runs_both_ways() -> None:
    undo: RunUndo[Snap] = RunUndo()
    assert undo.undo(Snap("now")) is None
    undo.push(Snap("before run 1"))
    undo.push(Snap("before run 2"))
    assert undo.undo(Snap("after run 2")) == Snap("before run 2")
    assert undo.undo(Snap("before run 2")) == Snap("before run 1")
    assert not undo.can_undo
    assert undo.redo(Snap("before run 1")) == Snap("before run 2")
    assert undo.redo(Snap("before run 2")) == Snap("after run 2")
    assert not undo.can_redo
    undo.undo(Snap("after run 2"))
    undo.push(Snap("a new run"))  # a new run after an undo drops what could be redone
    assert not undo.can_redo


def test_undo_is_bounded_by_size_not_by_count() -> None:
    undo: RunUndo[Snap] = RunUndo(budget=100)
    for i in range(1000):
        undo.push(Snap(f"{i:03d}"))  # tiny snapshots: far more than 20 are kept
    assert undo.kept() <= 100
    assert undo.undo(Snap("x")) == Snap("999")
    big: RunUndo[Snap] = RunUndo(budget=100)
    big.push(Snap("a" * 60))
    big.push(Snap("b" * 60))  # the older one goes; the newest stays even alone over budget
    big.push(Snap("c" * 500))
    assert big.undo(Snap("")) == Snap("c" * 500)
    assert not big.can_undo
