"""The real client against llama.cpp's OpenAI-compatible server (llama-cpp-python 0.3.x).

What the server does, pinned here (found by experiment first):

* ``GET /v1/models`` lists one model whose id is the ``--model`` path, ``owned_by`` "me";
  there is no ``GET /v1/models/{id}`` route (404 ``{"detail": "Not Found"}``).
* Replies echo the request's ``model`` whatever it is (one model is loaded; any name reaches it).
* A wrong key is 401 ``{"detail": "Invalid API key"}``.
* A prompt longer than n_ctx: not streamed, 400 with an OpenAI error object
  (``context_length_exceeded``); streamed, 200 ``text/event-stream`` and then an empty body.
* Request validation errors (pydantic) are 500 ``{"error": {"type": "internal_server_error"}}``.
* ``n`` and ``best_of`` are ignored: one choice, index 0. ``echo`` is ignored when streaming.
* Streams carry no ``usage`` (not even with ``stream_options``); non-streamed replies do.
* ``suffix`` is not appended: the server wraps prompt and suffix in token id 0 (``<pad>`` for
  Gemma) as if it were a fill-in-the-middle model, and generates after that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.client import (
    Completion,
    Finished,
    RunDone,
    Skipped,
    TextDelta,
    TokenLogprob,
    UsageReport,
)
from app.core.errors import (
    AuthenticationError,
    BadRequestError,
    CompletionError,
    NotFoundError,
    ProtocolError,
    ServerError,
)
from app.core.params import CompletionRequest, InvalidRequest
from tests.integration.conftest import N_CTX, LlamaServer, call, collect

pytestmark = pytest.mark.integration

PROMPT = "Say this is a test"
REPO = Path(__file__).resolve().parents[2]


def req(server: LlamaServer, **kw: Any) -> CompletionRequest:
    kw.setdefault("model", server.model_id)
    kw.setdefault("prompt", PROMPT)
    kw.setdefault("max_tokens", 8)
    kw.setdefault("temperature", 0)
    return CompletionRequest(**kw)


def deltas(events: list[Any]) -> list[TextDelta]:
    return [e for e in events if isinstance(e, TextDelta)]


def texts_by_index(events: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for e in deltas(events):
        out[e.index] = out.get(e.index, "") + e.text
    return out


def done_of(events: list[Any]) -> RunDone:
    assert isinstance(events[-1], RunDone)
    assert sum(isinstance(e, RunDone) for e in events) == 1
    return events[-1]


def failure(fn: Any, *args: Any) -> CompletionError:
    with pytest.raises(CompletionError) as info:
        fn(*args)
    return info.value


def assert_logprob(tok: TokenLogprob) -> None:
    assert isinstance(tok.token, str)
    assert tok.token
    assert isinstance(tok.logprob, float)
    assert tok.logprob <= 0.0
    assert tok.top, "top alternatives are present"
    assert all(isinstance(v, float) and v <= 0.0 for v in tok.top.values())
    # The sampled token is among the alternatives, with its own logprob.
    assert tok.top[tok.token] == tok.logprob
    assert isinstance(tok.offset, int)


@pytest.fixture(scope="module")
def baseline(llama_server: LlamaServer) -> Completion:
    """The non-streamed greedy completion of PROMPT, 12 tokens."""
    result: Completion = call(llama_server.endpoint(), "complete", req(llama_server, max_tokens=12))
    return result


# -- models --------------------------------------------------------------------------------------


def test_list_models(llama_server: LlamaServer) -> None:
    models = call(llama_server.endpoint(), "list_models")
    assert [m.id for m in models] == [llama_server.model_id]
    (model,) = models
    assert model.owned_by == "me"
    assert model.created is None
    assert model.raw == {
        "id": llama_server.model_id,
        "object": "model",
        "owned_by": "me",
        "permissions": [],
    }


def test_retrieve_model_has_no_route(llama_server: LlamaServer) -> None:
    """llama-cpp-python serves no GET /v1/models/{id}: even the listed id is a 404."""
    for model_id in (llama_server.model_id, "no-such-model"):
        err = failure(call, llama_server.endpoint(), "retrieve_model", model_id)
        assert isinstance(err, NotFoundError)
        assert err.status == 404
        assert err.message == "Not Found"
        assert err.body == '{"detail":"Not Found"}'
        assert err.describe() == "HTTP 404: Not Found"
        assert err.url is not None
        assert err.url.startswith(llama_server.base_url + "/models/")


# -- plain runs ----------------------------------------------------------------------------------


def test_complete_not_streamed(llama_server: LlamaServer) -> None:
    result = call(llama_server.endpoint(), "complete", req(llama_server, max_tokens=6))
    assert len(result.choices) == 1
    choice = result.choices[0]
    assert choice.index == 0
    assert choice.text
    assert choice.finish_reason == "length"
    assert choice.logprobs is None
    assert result.text == choice.text
    prompt_tokens = len(llama_server.tokenize(PROMPT))  # with BOS
    assert result.usage is not None
    assert (
        result.usage.prompt_tokens,
        result.usage.completion_tokens,
        result.usage.total_tokens,
    ) == (prompt_tokens, 6, prompt_tokens + 6)
    assert result.model == llama_server.model_id
    assert result.id is not None
    assert result.id.startswith("cmpl-")
    assert result.system_fingerprint is None
    assert result.raw["object"] == "text_completion"
    m = result.metrics
    assert m.completion_tokens == 6
    assert m.tokens_from_usage
    assert m.ttfb is not None
    assert m.total is not None
    assert 0 <= m.ttfb <= m.total


def test_stream_usage_finish_and_metrics(llama_server: LlamaServer) -> None:
    events = collect(llama_server.endpoint(), req(llama_server, max_tokens=6))
    done = done_of(events)
    assert not any(isinstance(e, Skipped) for e in events)
    text = texts_by_index(events)
    assert set(text) == {0}
    assert text[0]
    assert done.texts == text
    assert [(e.index, e.reason) for e in events if isinstance(e, Finished)] == [(0, "length")]
    assert done.finish_reasons == {0: "length"}
    # llama.cpp sends no usage in a stream (not even with stream_options.include_usage).
    assert not any(isinstance(e, UsageReport) for e in events)
    assert done.usage is None
    assert done.model == llama_server.model_id
    assert done.id is not None
    assert done.id.startswith("cmpl-")
    assert done.system_fingerprint is None
    m = done.metrics
    assert m.ttfb is not None
    assert m.ttft is not None
    assert m.total is not None
    assert 0 <= m.ttfb <= m.ttft <= m.total
    # Without usage the client counts text chunks: one per token here, at most max_tokens.
    assert not m.tokens_from_usage
    assert m.completion_tokens == len(deltas(events))
    assert 1 <= m.completion_tokens <= 6
    assert m.tokens_per_second is None or m.tokens_per_second > 0


def test_stream_options_still_give_no_usage(llama_server: LlamaServer) -> None:
    request = req(llama_server, max_tokens=2, extra={"stream_options": {"include_usage": True}})
    done = done_of(collect(llama_server.endpoint(), request))
    assert done.usage is None
    assert done.finish_reasons == {0: "length"}


def test_any_model_name_reaches_the_one_model(llama_server: LlamaServer) -> None:
    result = call(
        llama_server.endpoint(), "complete", req(llama_server, model="no-such-model", max_tokens=2)
    )
    assert result.model == "no-such-model"
    assert result.choices[0].finish_reason == "length"


def test_temperature_zero_is_deterministic(llama_server: LlamaServer, baseline: Completion) -> None:
    ep = llama_server.endpoint()
    again = call(ep, "complete", req(llama_server, max_tokens=12))
    assert again.text == baseline.text
    assert baseline.text
    events = collect(ep, req(llama_server, max_tokens=12))
    assert texts_by_index(events) == {0: baseline.text}
    assert done_of(events).finish_reasons == {0: baseline.choices[0].finish_reason}


# -- logprobs ------------------------------------------------------------------------------------


def test_logprobs_not_streamed(llama_server: LlamaServer) -> None:
    result = call(llama_server.endpoint(), "complete", req(llama_server, max_tokens=3, logprobs=2))
    choice = result.choices[0]
    assert choice.logprobs is not None
    assert len(choice.logprobs) == 3
    for tok in choice.logprobs:
        assert_logprob(tok)
        # The top `logprobs` alternatives, plus the sampled token when it is not among them.
        assert len(tok.top) in (2, 3)
    assert "".join(t.token for t in choice.logprobs) == choice.text
    offsets = [t.offset for t in choice.logprobs]
    assert offsets[0] == len(PROMPT)  # text_offset counts from the start of the prompt
    assert offsets == sorted(offsets)
    raw = result.raw["choices"][0]["logprobs"]
    assert set(raw) == {"tokens", "token_logprobs", "top_logprobs", "text_offset"}


def test_logprobs_streamed(llama_server: LlamaServer) -> None:
    ep = llama_server.endpoint()
    events = collect(ep, req(llama_server, max_tokens=3, logprobs=2))
    with_lp = [d for d in deltas(events) if d.logprobs]
    assert with_lp, "streamed chunks carry logprobs"
    streamed: list[TokenLogprob] = []
    for d in with_lp:
        assert d.logprobs is not None
        assert len(d.logprobs) == 1  # one token per chunk
        assert d.logprobs[0].token == d.text
        assert_logprob(d.logprobs[0])
        streamed.extend(d.logprobs)
    assert len(streamed) == 3
    assert done_of(events).finish_reasons == {0: "length"}
    # The same tokens and (up to float noise) logprobs as the non-streamed run.
    whole = call(ep, "complete", req(llama_server, max_tokens=3, logprobs=2)).choices[0]
    assert [t.token for t in streamed] == [t.token for t in whole.logprobs]
    assert [t.logprob for t in streamed] == pytest.approx(
        [t.logprob for t in whole.logprobs], abs=1e-3
    )
    assert [t.offset for t in streamed] == [t.offset for t in whole.logprobs]


# -- echo ----------------------------------------------------------------------------------------


def test_echo_not_streamed(llama_server: LlamaServer, baseline: Completion) -> None:
    ep = llama_server.endpoint()
    result = call(ep, "complete", req(llama_server, max_tokens=12, echo=True))
    assert result.text.startswith(PROMPT)
    assert result.text == PROMPT + baseline.text
    assert result.choices[0].finish_reason == "length"
    # With logprobs the prompt tokens are scored too; the first one has null logprobs.
    scored = call(ep, "complete", req(llama_server, max_tokens=2, echo=True, logprobs=1))
    lps = scored.choices[0].logprobs
    assert lps is not None
    prompt_len = len(llama_server.tokenize(PROMPT)) - 1  # without BOS
    assert len(lps) == prompt_len + 2
    assert lps[0].logprob is None
    assert lps[0].top == {}
    assert lps[0].offset == 0
    for tok in lps[1:]:
        assert isinstance(tok.logprob, float)
        assert tok.logprob <= 0.0
        assert tok.token in tok.top
    assert "".join(t.token for t in lps) == scored.text
    assert scored.text.startswith(PROMPT)


def test_echo_is_ignored_when_streaming(llama_server: LlamaServer, baseline: Completion) -> None:
    events = collect(llama_server.endpoint(), req(llama_server, max_tokens=12, echo=True))
    text = texts_by_index(events)[0]
    assert not text.startswith(PROMPT)
    assert text == baseline.text


# -- stop ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_stop(llama_server: LlamaServer, baseline: Completion, stream: bool) -> None:
    full = baseline.text
    mid = len(full) // 2
    stop = full[mid : mid + 3]
    assert len(stop) == 3
    expected = full[: full.find(stop)]
    request = req(llama_server, max_tokens=12, stop=[stop, "zq-never-7x"])
    ep = llama_server.endpoint()
    if stream:
        events = collect(ep, request)
        text, reasons = texts_by_index(events).get(0, ""), done_of(events).finish_reasons
    else:
        result = call(ep, "complete", request)
        text, reasons = result.text, {0: result.choices[0].finish_reason}
    assert stop not in text
    assert text == expected
    assert reasons == {0: "stop"}


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
