"""``promptpad complete --params FILE``: the window's saved parameters, in the one JSON shape of
the request draft, drive a command-line run; flags override them; a bad file sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.draft import RequestDraft
from promptpad_testing.server import TestServer, stream_reply
from tests.core.test_cli import cli


def _window_settings(tmp_path: Path) -> Path:
    """settings.json as the window writes it: the draft's to_json() under "params"."""
    draft = RequestDraft.starting()
    draft.set("model", "from-the-window")
    draft.set("temperature", 0.3)
    draft.set("stop", ["\n\n"])
    draft.set("extra", {"top_k": 40})
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"params": draft.to_json(), "connection": {"base_url": ""}}))
    return path


def test_the_windows_saved_parameters_drive_the_cli(server: TestServer, tmp_path: Path) -> None:
    settings = _window_settings(tmp_path)
    server.queue(stream_reply(["ok"]))
    r = cli("complete", "--base-url", server.base_url, "--params", str(settings), "--prompt", "p")
    assert r.returncode == 0, r.stderr
    body = server.last.json()
    assert body == {
        "model": "from-the-window",
        "prompt": "p",
        "temperature": 0.3,
        "max_tokens": 256,
        "stream": True,
        "stop": ["\n\n"],
        "top_k": 40,
    }


def test_flags_override_the_file(server: TestServer, tmp_path: Path) -> None:
    path = tmp_path / "params.json"
    path.write_text(json.dumps(_draft_json()))
    server.queue(stream_reply(["ok"]))
    r = cli(
        "complete",
        "--base-url",
        server.base_url,
        "--params",
        str(path),
        "--model",
        "flag-model",
        "--temperature",
        "1.5",
        "--prompt",
        "p",
    )
    assert r.returncode == 0, r.stderr
    body = server.last.json()
    assert body["model"] == "flag-model"
    assert body["temperature"] == 1.5
    assert body["seed"] == 7  # from the file


def _draft_json() -> dict[str, object]:
    draft = RequestDraft({"model": "file-model", "temperature": 0.1, "seed": 7})
    return draft.to_json()


def test_an_unusable_file_exits_2_and_sends_nothing(server: TestServer, tmp_path: Path) -> None:
    cases = {
        "garbage": b"\x00\xff not json",
        "no-fields": b'{"something": 1}',
        "bad-value": json.dumps({"version": 1, "fields": {"temperature": "hot"}}).encode(),
        "nan": b'{"version": 1, "fields": {"model": "m", "top_p": NaN}}',
    }
    for name, raw in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(raw)
        r = cli("complete", "--base-url", server.base_url, "--params", str(path), "--prompt", "p")
        assert r.returncode == 2, (name, r.stderr)
        assert "params" in r.stderr, name
        assert "Traceback" not in r.stderr
    missing = cli("complete", "--base-url", server.base_url, "--params", "/nonexistent.json")
    assert missing.returncode == 2
    assert server.requests == []
