"""llama.cpp's server where it differs from OpenAI: errors, ignored n/best_of, suffix; the CLI.

See test_llama_server.py for what the server does, pinned by both files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.core.errors import (
    AuthenticationError,
    BadRequestError,
    ProtocolError,
    ServerError,
)
from app.core.params import InvalidRequest
from tests.integration.conftest import N_CTX, LlamaServer, call, collect
from tests.integration.llama_support import (
    PROMPT,
    REPO,
    deltas,
    done_of,
    failure,
    req,
)

pytestmark = pytest.mark.integration


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["complete", "stream", "list_models"])
@pytest.mark.parametrize("key", ["sk-wrong", ""], ids=["wrong-key", "no-key"])
def test_wrong_key(llama_server: LlamaServer, how: str, key: str) -> None:
    ep = llama_server.endpoint(api_key=key)
    if how == "stream":
        err = failure(collect, ep, req(llama_server))
    elif how == "complete":
        err = failure(call, ep, "complete", req(llama_server))
    else:
        err = failure(call, ep, "list_models")
    assert isinstance(err, AuthenticationError)
    assert err.kind == "authentication"
    assert err.status == 401
    assert err.message == "Invalid API key"  # the server's own words, from {"detail": ...}
    assert err.body == '{"detail":"Invalid API key"}'
    assert err.describe() == "HTTP 401: Invalid API key"
    assert err.partial == {}
    path = "/models" if how == "list_models" else "/completions"
    assert err.url == llama_server.base_url + path


def overflow_prompt(server: LlamaServer) -> tuple[str, int]:
    prompt = "hello world " * 1100
    n = len(server.tokenize(prompt))
    assert n > N_CTX
    return prompt, n


def test_context_overflow_not_streamed(llama_server: LlamaServer) -> None:
    prompt, n = overflow_prompt(llama_server)
    err = failure(
        call, llama_server.endpoint(), "complete", req(llama_server, prompt=prompt, max_tokens=3)
    )
    assert isinstance(err, BadRequestError)
    assert err.status == 400
    assert err.message == (
        f"This model's maximum context length is {N_CTX} tokens, however you requested "
        f"{n + 3} tokens ({n} in your prompt; 3 for the completion). "
        "Please reduce your prompt; or completion length."
    )
    assert err.body is not None
    body = json.loads(err.body)
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["code"] == "context_length_exceeded"
    assert err.partial == {}


def test_context_overflow_streamed(llama_server: LlamaServer) -> None:
    """Streamed, the server answers 200 text/event-stream and ends the body without an event.

    Its message only reaches its log; the client reports a protocol error without a status.
    """
    prompt, _ = overflow_prompt(llama_server)
    err = failure(collect, llama_server.endpoint(), req(llama_server, prompt=prompt, max_tokens=3))
    assert isinstance(err, ProtocolError)
    assert err.status is None
    assert err.message == "the server ended the stream without sending any event"
    assert err.describe() == "Protocol: the server ended the stream without sending any event"
    assert err.partial == {}
    assert err.url == llama_server.base_url + "/completions"


def test_server_validation_errors_are_http_500(llama_server: LlamaServer) -> None:
    ep = llama_server.endpoint()
    # Token-id prompts are valid OpenAI (the client accepts them); llama-cpp-python's model
    # only takes text, and pydantic's complaint comes back as a 500.
    err = failure(call, ep, "complete", req(llama_server, prompt=[1, 2, 3]))
    assert isinstance(err, ServerError)
    assert err.status == 500
    assert "validation error" in err.message
    assert "Input should be a valid string" in err.message
    assert err.body is not None
    assert json.loads(err.body)["error"]["type"] == "internal_server_error"
    # Two prompts trip an assert: a 500 with an empty message; the client shows the object.
    err = failure(call, ep, "complete", req(llama_server, prompt=["a", "b"]))
    assert isinstance(err, ServerError)
    assert err.status == 500
    assert err.message == (
        '{"message": "", "type": "internal_server_error", "param": null, "code": null}'
    )


# -- n, best_of, suffix --------------------------------------------------------------------------


def test_n_and_best_of_are_ignored_not_streamed(llama_server: LlamaServer) -> None:
    ep = llama_server.endpoint()
    plain = call(ep, "complete", req(llama_server, max_tokens=4))
    for extra in ({"n": 2}, {"n": 2, "best_of": 3}, {"best_of": 2}):
        result = call(ep, "complete", req(llama_server, max_tokens=4, **extra))
        assert [c.index for c in result.choices] == [0], extra
        assert result.text == plain.text, extra
        assert result.usage == plain.usage, extra


def test_n_is_ignored_streamed(llama_server: LlamaServer) -> None:
    events = collect(llama_server.endpoint(), req(llama_server, max_tokens=4, n=2))
    assert {d.index for d in deltas(events)} == {0}
    done = done_of(events)
    assert set(done.texts) == {0}
    assert done.finish_reasons == {0: "length"}


def test_best_of_with_stream_is_refused_before_sending(llama_server: LlamaServer) -> None:
    with pytest.raises(InvalidRequest, match="best_of: cannot be used with stream"):
        collect(llama_server.endpoint(), req(llama_server, best_of=2))


SUFFIX_PROMPT = "def add(a, b):\n    "
SUFFIX = "\n    return c  # zq9 sfx-marker 7x4"


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_suffix_is_mangled_not_appended(llama_server: LlamaServer, stream: bool) -> None:
    request = req(llama_server, prompt=SUFFIX_PROMPT, suffix=SUFFIX, max_tokens=8)
    ep = llama_server.endpoint()
    if stream:
        events = collect(ep, request)
        done = done_of(events)
        text, reason = done.texts.get(0, ""), done.finish_reasons.get(0)
        assert set(done.texts) <= {0}
    else:
        result = call(ep, "complete", request)
        text, reason = result.text, result.choices[0].finish_reason
        # BOS, <pad>, prompt, <pad>, suffix, <pad>: token id 0 stands in for the FIM tokens.
        prompt_tokens = llama_server.tokenize(SUFFIX_PROMPT)  # [BOS, ...]
        suffix_tokens = llama_server.tokenize(SUFFIX)[1:]
        assert result.usage is not None
        assert result.usage.prompt_tokens == len(prompt_tokens) + len(suffix_tokens) + 3
        assert result.usage.completion_tokens is not None
        assert 1 <= result.usage.completion_tokens <= 8
    assert isinstance(text, str)
    assert reason in ("length", "stop")
    assert "sfx-marker" not in text  # the suffix is not appended to the completion


# -- the CLI -------------------------------------------------------------------------------------


def run_cli(server: LlamaServer, *args: str, key: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PROMPTPAD_IT_KEY"] = server.api_key if key is None else key
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def cli_complete_args(server: LlamaServer) -> list[str]:
    return [
        "complete",
        "--base-url",
        f"http://127.0.0.1:{server.port}/v1",
        "--api-key-env",
        "PROMPTPAD_IT_KEY",
        "--model",
        server.model_id,
        "--prompt",
        PROMPT,
        "--max-tokens",
        "7",
        "--temperature",
        "0",
    ]


def test_cli_complete_matches_the_client(llama_server: LlamaServer) -> None:
    proc = run_cli(llama_server, *cli_complete_args(llama_server))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    expected = call(
        llama_server.endpoint(), "complete", req(llama_server, max_tokens=7, temperature=0)
    ).text
    assert expected
    assert proc.stdout.strip()
    assert proc.stdout == expected + "\n"  # streamed text, then one newline at the end
    # --no-stream prints the same text, ended the same way.
    whole = run_cli(llama_server, *cli_complete_args(llama_server), "--no-stream")
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout == expected + "\n"


def test_cli_wrong_key(llama_server: LlamaServer) -> None:
    proc = run_cli(llama_server, *cli_complete_args(llama_server), key="sk-wrong")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "promptpad: HTTP 401: Invalid API key\n"
        f"promptpad: request URL: {llama_server.base_url}/completions\n"
    )


def test_cli_models(llama_server: LlamaServer) -> None:
    proc = run_cli(
        llama_server,
        "models",
        "--base-url",
        llama_server.base_url,
        "--api-key-env",
        "PROMPTPAD_IT_KEY",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == llama_server.model_id + "\n"
