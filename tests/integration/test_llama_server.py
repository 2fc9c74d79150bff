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

import pytest

from app.core.client import (
    Completion,
    Finished,
    Skipped,
    TokenLogprob,
    UsageReport,
)
from app.core.errors import (
    NotFoundError,
)
from tests.integration.conftest import LlamaServer, call, collect
from tests.integration.llama_support import (
    PROMPT,
    assert_logprob,
    deltas,
    done_of,
    failure,
    req,
    texts_by_index,
)

pytestmark = pytest.mark.integration


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
