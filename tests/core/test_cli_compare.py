"""``promptpad compare`` as a process against several loopback servers (custom URL columns, so no
provider profiles are needed): the table, --json, --set, repeats, exit codes, record, save/load."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.history import History
from promptpad_testing.server import Reply, TestServer, openai_error, started, stream_reply
from tests.core.test_cli import cli


@pytest.fixture
def servers() -> Iterator[dict[str, TestServer]]:
    with started("fast", "slow", "failing", "stalled") as srvs:
        yield srvs


def _compare(home: Path, *args: str):  # noqa: ANN202
    return cli("compare", *args, env={"PROMPTPAD_HOME": str(home)})


def _cols(servers: dict[str, TestServer], *names: str) -> list[str]:
    out: list[str] = []
    for n in names:
        out += ["--column", f"{n}={servers[n].base_url}"]
    return out


def test_every_column_is_printed_and_one_failure_exits_1(
    servers: dict[str, TestServer], tmp_path: Path
) -> None:
    servers["slow"].queue(stream_reply(["s", "l", "o", "w"], delay=0.05))
    servers["failing"].queue(openai_error("upstream overloaded, try later", 503, "server_error"))
    stall = stream_reply(["half "])
    servers["stalled"].queue(Reply(stall.status, stall.headers, stall.writes[:1], hang=3))
    r = _compare(
        tmp_path, *_cols(servers, "fast", "slow", "failing", "stalled"),
        "--model", "m", "--prompt", "Say hi", "--timeout", "0.5", "--record",
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:5] == ["column", "where", "TTFT", "tok/s", "total"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"fast", "slow", "failing", "stalled"}
    assert "stop" in rows["fast"]
    assert "stop" in rows["slow"]
    assert "upstream overloaded, try later" in rows["failing"]
    assert "≈" in rows["fast"]  # no usage from the mock: an estimate, marked
    outcomes = sorted(rec.outcome for rec in History(tmp_path / "history.sqlite3").recent())
    assert outcomes == ["failed", "failed", "finished", "finished"]


def test_json_lines_set_overrides_and_repeats(
    servers: dict[str, TestServer], tmp_path: Path
) -> None:
    r = _compare(
        tmp_path,
        "--column", f"A={servers['fast'].base_url}",
        "--column", f"B={servers['slow'].base_url}:model-x",
        "--model", "m", "--set", "B.temperature=0.2", "--set", "top_p=0.5",
        "--repeat", "3", "--concurrent", "--prompt", "你好", "--json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    a, b = (json.loads(line) for line in r.stdout.splitlines())
    assert (a["column"], b["column"]) == ("A", "B")
    assert b["own"] == {"temperature": 0.2, "model": "model-x"}
    assert len(a["attempts"]) == len(b["attempts"]) == 3
    assert {x["text"] for x in b["attempts"]} == {"This is a test."}
    assert set(a["spread"]["ttft"]) == {"min", "median", "max"}
    sent_a = [q.json() for q in servers["fast"].requests]
    sent_b = [q.json() for q in servers["slow"].requests]
    assert len(sent_a) == len(sent_b) == 3
    assert all("temperature" not in s and s["top_p"] == 0.5 and s["model"] == "m" for s in sent_a)
    assert all(s["temperature"] == 0.2 and s["model"] == "model-x" for s in sent_b)


def test_invalid_input_exits_2_and_sends_nothing(
    servers: dict[str, TestServer], tmp_path: Path
) -> None:
    cases = [
        [*_cols(servers, "fast"), "--model", "m", "--prompt", "p"],  # one column
        [*_cols(servers, "fast", "slow"), "--prompt", "p"],  # no model
        [*_cols(servers, "fast", "slow"), "--model", "m", "--prompt", "p", "--set", "C.top_p=1"],
        [*_cols(servers, "fast", "slow"), "--model", "m", "--prompt", "p", "--set", "fast.x=1"],
        [*_cols(servers, "fast", "slow"), "--model", "m", "--prompt", "p", "--repeat", "0"],
        [*_cols(servers, "fast", "slow"), "--model", "m", "--prompt", "p", "--price", "fast=1"],
        ["--column", "nourl", *_cols(servers, "slow"), "--model", "m", "--prompt", "p"],
        ["--provider", "nobody", *_cols(servers, "slow"), "--model", "m", "--prompt", "p"],
    ]
    for args in cases:
        r = _compare(tmp_path, *args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "invalid input" in r.stderr
    assert servers["fast"].requests == []
    assert servers["slow"].requests == []


def test_a_saved_comparison_runs_again_by_name(
    servers: dict[str, TestServer], tmp_path: Path
) -> None:
    r = _compare(
        tmp_path, *_cols(servers, "fast", "slow"), "--model", "m", "--prompt", "写诗",
        "--price", "fast=1,2,0.5", "--save", "two",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "comparisons" / "two.json").is_file()
    r = _compare(tmp_path, "--load", "two", "--json")
    assert r.returncode == 0, r.stderr
    fast, slow = (json.loads(line) for line in r.stdout.splitlines())
    assert fast["attempts"][0]["cost"] is not None
    assert slow["attempts"][0]["cost"] is None
    assert servers["fast"].last.json()["prompt"] == "写诗"
    r = _compare(tmp_path, "--load", "missing", "--json")
    assert r.returncode == 2
    assert "'missing'" in r.stderr
