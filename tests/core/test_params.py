"""The request: what is sent, and every reason a request is refused before it is sent."""

from __future__ import annotations

import json
import math

import pytest

from app.core.params import UNSET, CompletionRequest, InvalidRequest, parse_json_object


def fields_of(problems: list) -> list[str]:
    return [p.field for p in problems]


def test_only_set_fields_are_sent() -> None:
    r = CompletionRequest(model="m", prompt="p", temperature=0)
    assert r.to_body() == {"model": "m", "prompt": "p", "temperature": 0}


def test_explicit_null_is_sent_as_null() -> None:
    r = CompletionRequest(model="m", prompt="p", logprobs=None, stream=False, stop="\n")
    assert json.loads(r.to_json()) == {
        "model": "m",
        "prompt": "p",
        "logprobs": None,
        "stream": False,
        "stop": "\n",
    }


def test_numbers_go_out_as_json_numbers() -> None:
    r = CompletionRequest(model="m", prompt="p", temperature=0.7, top_p=1, max_tokens=7)
    text = r.to_json()
    assert '"temperature": 0.7' in text
    assert '"top_p": 1' in text
    assert '"max_tokens": 7' in text


def test_extra_is_merged_into_body() -> None:
    r = CompletionRequest(model="m", prompt="p", extra={"top_k": 40, "repeat_penalty": 1.1})
    assert r.to_body()["top_k"] == 40
    assert r.to_body()["repeat_penalty"] == 1.1


def test_from_body_round_trip() -> None:
    body = {"model": "m", "prompt": ["a", "b"], "n": 2, "top_k": 3}
    r = CompletionRequest.from_body(body)
    assert r.n == 2
    assert r.extra == {"top_k": 3}
    assert r.to_body() == body


@pytest.mark.parametrize(
    "prompt",
    ["", "text", ["a", "b"], [1, 2, 3], [[1, 2], [3]]],
)
def test_prompt_shapes_accepted(prompt: object) -> None:
    assert CompletionRequest(model="m", prompt=prompt).problems() == []  # type: ignore[arg-type]


@pytest.mark.parametrize("prompt", [[], [1, "a"], [[1], []], [-1], {"a": 1}, [True]])
def test_bad_prompt_shapes_refused(prompt: object) -> None:
    assert fields_of(CompletionRequest(model="m", prompt=prompt).problems()) == ["prompt"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", -0.1),
        ("temperature", 2.01),
        ("temperature", math.nan),
        ("temperature", "1"),
        ("temperature", True),
        ("top_p", 1.5),
        ("top_p", -0.01),
        ("presence_penalty", 2.5),
        ("frequency_penalty", -2.5),
        ("max_tokens", -1),
        ("max_tokens", 1.5),
        ("n", 0),
        ("logprobs", 6),
        ("logprobs", -1),
        ("seed", 2**64),
        ("seed", 1.0),
    ],
)
def test_out_of_range_values_refused(field: str, value: object) -> None:
    r = CompletionRequest(model="m", prompt="p", **{field: value})  # type: ignore[arg-type]
    assert fields_of(r.problems()) == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", 0),
        ("temperature", 2),
        ("top_p", 0),
        ("top_p", 1),
        ("presence_penalty", -2),
        ("frequency_penalty", 2),
        ("logprobs", 0),
        ("logprobs", 5),
        ("logprobs", None),
        ("n", 1),
        ("seed", -5),
        ("max_tokens", 1),
    ],
)
def test_range_edges_accepted(field: str, value: object) -> None:
    assert CompletionRequest(model="m", prompt="p", **{field: value}).problems() == []  # type: ignore[arg-type]


def test_every_problem_is_reported_at_once() -> None:
    r = CompletionRequest(
        model="",
        prompt="p",
        temperature=3,
        top_p=2,
        n=0,
        logit_bias={"x": 1},
        stop=["a", "b", "c", "d", "e"],
    )
    with pytest.raises(InvalidRequest) as info:
        r.validate()
    assert fields_of(info.value.problems) == [
        "model",
        "temperature",
        "top_p",
        "n",
        "stop",
        "logit_bias.x",
    ]
    assert "between 0 and 2 (got 3)" in str(info.value)


def test_best_of_rules() -> None:
    assert fields_of(CompletionRequest(model="m", n=3, best_of=2).problems()) == ["best_of"]
    assert CompletionRequest(model="m", n=2, best_of=2).problems() == []
    streamed = CompletionRequest(model="m", best_of=3, stream=True)
    assert "stream" in streamed.problems()[0].reason


def test_max_tokens_zero_only_with_echo() -> None:
    assert fields_of(CompletionRequest(model="m", max_tokens=0).problems()) == ["max_tokens"]
    assert CompletionRequest(model="m", max_tokens=0, echo=True).problems() == []


def test_stop_rules() -> None:
    assert CompletionRequest(model="m", stop=["a", "b", "c", "d"]).problems() == []
    assert fields_of(CompletionRequest(model="m", stop=[""]).problems()) == ["stop"]
    assert fields_of(CompletionRequest(model="m", stop=[1]).problems()) == ["stop"]  # type: ignore[list-item]


def test_logit_bias_rules() -> None:
    ok = CompletionRequest(model="m", logit_bias={"50256": -100, "1": 100})
    assert ok.problems() == []
    bad = CompletionRequest(model="m", logit_bias={"50256": -101, "a": 1, "2": "x"})
    assert fields_of(bad.problems()) == ["logit_bias.50256", "logit_bias.a", "logit_bias.2"]


def test_extra_may_not_shadow_a_field() -> None:
    r = CompletionRequest(model="m", extra={"temperature": 5, "stream": True, "top_k": 1})
    assert fields_of(r.problems()) == ["extra.temperature", "extra.stream"]


def test_parse_json_object() -> None:
    assert parse_json_object("", "x") == (None, [])
    assert parse_json_object('{"1": 2}', "x") == ({"1": 2}, [])
    value, problems = parse_json_object('{"1": ', "logit_bias")
    assert value is None
    assert "not valid JSON" in problems[0].reason
    assert "object" in parse_json_object("[1]", "x")[1][0].reason


def test_effective_defaults() -> None:
    r = CompletionRequest(model="m")
    assert r.effective("temperature") == 1.0
    assert r.effective("max_tokens") == 16
    assert r.temperature is UNSET
    assert not r.is_set("temperature")
