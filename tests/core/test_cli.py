"""The headless CLI, run as a real subprocess against the loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from promptpad_testing.server import Reply, TestServer, chunk_obj, openai_error, sse, stream_reply

ROOT = Path(__file__).resolve().parents[2]


def cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        cwd=ROOT,
    )


def complete(
    server: TestServer, prompt: str, *args: str, **kw: object
) -> subprocess.CompletedProcess[str]:
    """``promptpad complete`` against the loopback server, model "m"."""
    return cli(
        "complete", "--base-url", server.base_url, "--model", "m", "--prompt", prompt, *args, **kw
    )  # type: ignore[arg-type]


def test_complete_streams_text_to_stdout(server: TestServer) -> None:
    server.queue(stream_reply(["你好", "，世界"]))
    r = complete(
        server,
        "hi",
        "--max-tokens",
        "7",
        "--temperature",
        "0",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "你好，世界\n"
    assert server.last.json() == {
        "model": "m",
        "prompt": "hi",
        "max_tokens": 7,
        "temperature": 0.0,
        "stream": True,
    }


def test_every_parameter_flag_reaches_the_body(server: TestServer) -> None:
    r = complete(
        server,
        "p",
        "--suffix",
        "S",
        "--max-tokens",
        "3",
        "--temperature",
        "0.5",
        "--top-p",
        "0.9",
        "--n",
        "2",
        "--stop",
        "\\n",
        "--stop",
        "END",
        "--logprobs",
        "2",
        "--echo",
        "--presence-penalty",
        "0.1",
        "--frequency-penalty",
        "-0.2",
        "--logit-bias",
        '{"50256": -100}',
        "--seed",
        "42",
        "--user",
        "u1",
        "--extra",
        '{"top_k": 40}',
        "--header",
        "X-A: b",
    )
    assert r.returncode == 0, r.stderr
    assert server.last.json() == {
        "model": "m",
        "prompt": "p",
        "suffix": "S",
        "max_tokens": 3,
        "temperature": 0.5,
        "top_p": 0.9,
        "n": 2,
        "stream": True,
        "logprobs": 2,
        "echo": True,
        "stop": ["\n", "END"],
        "presence_penalty": 0.1,
        "frequency_penalty": -0.2,
        "logit_bias": {"50256": -100},
        "seed": 42,
        "user": "u1",
        "top_k": 40,
    }
    assert server.last.headers["x-a"] == "b"


def test_prompt_from_stdin_and_key_from_env(server: TestServer) -> None:
    r = cli(
        "complete",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--api-key-env",
        "MY_KEY",
        stdin="from stdin",
        env={"MY_KEY": "sk-secret"},
    )
    assert r.returncode == 0, r.stderr
    assert server.last.json()["prompt"] == "from stdin"
    assert server.last.headers["authorization"] == "Bearer sk-secret"
    assert "sk-secret" not in r.stdout + r.stderr


def test_no_key_flag_on_the_command_line(server: TestServer) -> None:
    r = complete(
        server,
        "x",
        "--api-key",
        "sk-1",
    )
    assert r.returncode == 2
    assert server.requests == []


def test_invalid_input_lists_every_problem_and_sends_nothing(server: TestServer) -> None:
    r = cli(
        "complete",
        "--base-url",
        server.base_url,
        "--prompt",
        "x",
        "--temperature",
        "3",
        "--logprobs",
        "9",
        "--logit-bias",
        "{bad",
        "--api-key-env",
        "UNSET_VAR_XYZ",
    )
    assert r.returncode == 2
    for field in ("model", "temperature", "logprobs", "logit_bias", "--api-key-env"):
        assert field in r.stderr
    assert server.requests == []


def test_server_error_exit_1_after_partial_text(server: TestServer) -> None:
    body = sse([chunk_obj("partial"), {"error": {"message": "boom", "code": 500}}])
    server.queue(Reply(headers=[("Content-Type", "text/event-stream")], writes=[body]))
    r = complete(server, "x")
    assert r.returncode == 1
    assert r.stdout.startswith("partial")
    assert "HTTP 500: boom" in r.stderr


def test_http_error_message_on_stderr(server: TestServer) -> None:
    server.queue(openai_error("Incorrect API key provided", 401))
    r = complete(server, "x")
    assert r.returncode == 1
    assert "HTTP 401: Incorrect API key provided" in r.stderr
    assert "/v1/completions" in r.stderr


def test_json_events(server: TestServer) -> None:
    r = complete(
        server,
        "x",
        "--max-tokens",
        "2",
        "--json",
    )
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["type"] for x in lines] == ["text", "text", "finish", "done"]
    assert lines[0]["text"] == "This"
    assert lines[-1]["finish_reasons"] == {"0": "length"}


def test_no_stream_json_prints_the_reply(server: TestServer) -> None:
    r = complete(
        server,
        "x",
        "--no-stream",
        "--json",
    )
    reply = json.loads(r.stdout)
    assert reply["choices"][0]["text"] == "This is a test."
    assert "stream" not in server.last.json()


def test_verbose_metrics_to_stderr(server: TestServer) -> None:
    r = complete(server, "x", "--verbose")
    assert r.returncode == 0
    assert "first token" in r.stderr
    assert "tokens" in r.stderr
    assert "finish 0:stop" in r.stderr
    assert r.stdout == "This is a test.\n"


def test_models(server: TestServer) -> None:
    r = cli("models", "--base-url", server.base_url.removesuffix("/v1"))
    assert r.returncode == 0
    assert r.stdout.split() == ["mock-1", "mock-2"]


def test_network_error_exit_1() -> None:
    with TestServer() as srv:
        url = srv.base_url
    r = cli("complete", "--base-url", url, "--model", "m", "--prompt", "x", "--timeout", "2")
    assert r.returncode == 1
    assert "could not connect" in r.stderr


def test_print_code_sends_nothing_and_holds_no_key(server: TestServer) -> None:
    r = complete(
        server,
        "hi",
        "--max-tokens",
        "3",
        "--api-key-env",
        "MY_KEY",
        "--print-code",
        "curl",
        env={"MY_KEY": "sk-not-in-code"},
    )
    assert r.returncode == 0, r.stderr
    assert server.requests == []
    assert "sk-not-in-code" not in r.stdout
    assert '-H "Authorization: Bearer $MY_KEY"' in r.stdout
    assert '"max_tokens": 3' in r.stdout
    assert '"stream": true' in r.stdout
