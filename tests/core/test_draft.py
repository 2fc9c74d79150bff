"""The request draft: values and "set" flags, change events, validation by field, the one JSON
shape for files, and defensive reading of what came from disk."""

from __future__ import annotations

import json
import math

import pytest

from app.core.draft import FIELDS, RequestDraft
from app.core.params import SPECS, UNSET, Problem


def test_a_new_draft_shows_defaults_and_sends_only_model_and_stream() -> None:
    draft = RequestDraft()
    assert draft.value("temperature") == SPECS["temperature"].default
    assert not draft.is_set("temperature")
    draft.set("model", "m")
    body = draft.to_request("Hi").to_body()
    assert body == {"model": "m", "prompt": "Hi", "stream": True}


def test_set_and_unset_decide_what_is_sent() -> None:
    draft = RequestDraft({"model": "m"})
    draft.set("temperature", 0.2)
    draft.set("stop", ["\n"])
    draft.set("logprobs", None)  # sent as null (Ninhao's example does this)
    body = draft.to_request("p").to_body()
    assert body["temperature"] == 0.2
    assert body["stop"] == ["\n"]
    assert body["logprobs"] is None
    draft.unset("temperature")
    assert "temperature" not in draft.to_request("p").to_body()
    assert draft.value("temperature") == 1.0


def test_extra_is_merged_and_insert_suffix_overrides() -> None:
    draft = RequestDraft({"model": "m", "suffix": "typed", "extra": {"top_k": 40}})
    req = draft.to_request("p", suffix="from the marker")
    assert req.suffix == "from the marker"
    assert req.to_body()["top_k"] == 40
    assert draft.to_request("p").suffix == "typed"
    assert draft.to_request("p").suffix is not UNSET


def test_every_change_is_announced_once_with_its_field() -> None:
    draft = RequestDraft()
    seen: list[str | None] = []
    stop = draft.subscribe(seen.append)
    draft.set("temperature", 0.5)
    draft.set("temperature", 0.5)  # no change, no event
    draft.set("temperature", 1)  # 1 is not 0.5: an event; and int 1 is not float 1.0 in JSON
    draft.unset("temperature")
    draft.unset("temperature")  # already unset: nothing
    draft.load({"n": 2})
    stop()
    draft.set("n", 3)
    assert seen == ["temperature", "temperature", "temperature", None]


def test_problems_name_their_field_and_a_wrong_type_is_not_a_crash() -> None:
    draft = RequestDraft({"model": "m"})
    draft.set("temperature", "hot")
    draft.set("n", 0)
    draft.set("stop", ["a", "b", "c", "d", "e"])
    draft.set("max_tokens", 10**9)  # any positive length is allowed: relays report no context
    problems = draft.problems("p")
    fields = {p.field for p in problems}
    assert fields == {"temperature", "n", "stop"}
    assert Problem("temperature", "must be a number") in problems


def test_the_model_is_required() -> None:
    assert RequestDraft().problems("p") == [Problem("model", "a model name is required")]


def test_overlay_is_a_compare_column() -> None:
    shared = RequestDraft({"model": "a", "temperature": 0.7, "max_tokens": 50})
    column = RequestDraft({"model": "b"})
    column.set("temperature", 0.2)
    column.unset("model")  # a column that keeps the shared model sets nothing for it
    merged = shared.overlaid(column)
    body = merged.to_request("p").to_body()
    assert body["temperature"] == 0.2
    assert body["max_tokens"] == 50
    assert body["model"] == "a"
    assert shared.value("temperature") == 0.7  # the shared draft is untouched


def test_json_round_trip_keeps_types_and_only_set_fields() -> None:
    draft = RequestDraft({"model": "m", "temperature": 0, "top_p": 0.5, "seed": 7})
    draft.set("logit_bias", {"50256": -100})
    data = json.loads(json.dumps(draft.to_json()))
    again, notes = RequestDraft.from_json(data)
    assert notes == []
    assert again.set_fields() == draft.set_fields()
    assert isinstance(again.value("temperature"), int)  # 0 stays 0, not 0.0
    assert not again.is_set("n")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("temperature", math.nan),
        ("temperature", 1e308),
        ("top_p", -3),
        ("n", 10**30),
        ("n", True),
        ("max_tokens", "16"),
        ("stop", [1, 2]),
        ("model", {"x": 1}),
    ],
)
def test_a_bad_value_from_disk_falls_back_with_a_note(name: str, value: object) -> None:
    data = {"version": 1, "fields": {"model": "m", name: value}}
    if name == "model":
        data["fields"] = {name: value}
    draft, notes = RequestDraft.from_json(data)
    assert not draft.is_set(name) or name == "model"
    assert draft.value(name) == FIELDS[name].default
    assert len(notes) == 1
    assert name in notes[0]


def test_hostile_shapes_from_disk_never_raise() -> None:
    deep: object = 1
    for _ in range(1000):
        deep = {"a": deep}
    for data in (None, [], "x", {"fields": []}, {"fields": {"extra": deep}}, {"fields": {7: 1}}):
        draft, _ = RequestDraft.from_json(data)
        assert draft.problems("p")[0].field == "model"


def test_to_json_is_always_valid_json() -> None:
    draft = RequestDraft({"model": "m", "temperature": math.inf})
    json.dumps(draft.to_json(), allow_nan=False)  # raises if a non-finite number got through


def test_from_body_restores_a_history_run() -> None:
    body = {"model": "m", "prompt": "p", "stream": False, "temperature": 0.3, "top_k": 5}
    draft = RequestDraft.from_body(body)
    assert draft.value("stream") is False
    assert draft.is_set("temperature")
    assert draft.value("extra") == {"top_k": 5}
    assert not draft.is_set("n")
    assert draft.to_request("p").to_body() == body


def test_an_unknown_field_name_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="no such request field"):
        RequestDraft().set("temprature", 1)


def test_a_new_playground_sends_a_useful_length() -> None:
    draft = RequestDraft.starting()
    assert draft.is_set("max_tokens")
    assert draft.value("max_tokens") == 256  # the OpenAI Playground's; the API's 16 cuts off
    draft.unset("max_tokens")
    assert draft.value("max_tokens") == SPECS["max_tokens"].default


def test_any_positive_length_within_a_server_int_is_kept_from_disk() -> None:
    draft, notes = RequestDraft.from_json({"version": 1, "fields": {"max_tokens": 200_000}})
    assert notes == []
    assert draft.value("max_tokens") == 200_000
    draft, notes = RequestDraft.from_json({"version": 1, "fields": {"max_tokens": 10**30}})
    assert not draft.is_set("max_tokens")
    assert len(notes) == 1


def test_assign_copies_values_and_flags_with_one_event() -> None:
    draft = RequestDraft.starting()
    seen: list[str | None] = []
    draft.subscribe(seen.append)
    draft.assign(RequestDraft.from_body({"model": "m", "prompt": "p", "top_p": 0.5}))
    assert seen == [None]
    assert draft.set_fields() == {"model": "m", "top_p": 0.5, "stream": True}
    assert not draft.is_set("max_tokens")  # a history run without it does not send it
