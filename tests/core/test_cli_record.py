"""``promptpad complete --record``: the CLI's run is the same core Run the window makes, and it
goes into the same history (the window's History panel shows it); without the flag nothing is
written and the CLI keeps no text."""

from __future__ import annotations

from pathlib import Path

from app.core.history import History
from promptpad_testing.server import TestServer, json_reply, openai_error, stream_reply
from tests.core.test_cli import cli


def _complete(server: TestServer, home: Path, *args: str):  # noqa: ANN202
    return cli(
        "complete",
        "--base-url",
        server.base_url.replace("http://", "http://alice:pa55word@"),
        "--model",
        "m",
        "--prompt",
        "Say hi",
        *args,
        env={"PROMPTPAD_HOME": str(home)},
    )


def test_a_recorded_stream_is_in_the_windows_history(server: TestServer, tmp_path: Path) -> None:
    server.queue(stream_reply(["Hel", "lo"]))
    r = _complete(server, tmp_path, "--record", "--temperature", "0.5")
    assert r.returncode == 0, r.stderr
    (rec,) = History(tmp_path / "history.sqlite3").recent()
    assert rec.outcome == "finished"
    assert rec.outputs == {0: "Hello"}
    assert rec.request["temperature"] == 0.5
    assert rec.metrics["mode"] == "new"
    assert "pa55word" not in rec.url  # recorded redacted, like the window's runs


def test_a_failed_run_is_recorded_with_its_error(server: TestServer, tmp_path: Path) -> None:
    server.queue(openai_error("quota exceeded", 429))
    r = _complete(server, tmp_path, "--record")
    assert r.returncode == 1
    (rec,) = History(tmp_path / "history.sqlite3").recent()
    assert rec.outcome == "failed"
    assert "quota exceeded" in rec.error


def test_a_whole_reply_is_recorded_too(server: TestServer, tmp_path: Path) -> None:
    server.queue(json_reply(whole("Hello there")))
    r = _complete(server, tmp_path, "--record", "--no-stream")
    assert r.returncode == 0, r.stderr
    (rec,) = History(tmp_path / "history.sqlite3").recent()
    assert rec.outcome == "finished"
    assert rec.outputs == {0: "Hello there"}


def test_without_the_flag_nothing_is_recorded(server: TestServer, tmp_path: Path) -> None:
    server.queue(stream_reply(["x"]))
    assert _complete(server, tmp_path).returncode == 0
    assert not (tmp_path / "history.sqlite3").exists()


def whole(text: str) -> dict[str, object]:
    return {
        "id": "cmpl-1",
        "object": "text_completion",
        "model": "m",
        "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4},
    }
