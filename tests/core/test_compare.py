"""core.compare against several real loopback servers: fast, slow, failing and stalling columns
stream at once and none disturbs the others; repeats, spread, cost, stop, save/load, export."""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.compare import Column, Comparison, Order, Price
from app.core.compare_export import result_json, result_markdown
from app.core.compare_run import ComparisonRunner, Spread, run_comparison
from app.core.compare_store import ComparisonStore
from app.core.draft import RequestDraft
from app.core.endpoint import Endpoint, make_http_client
from app.core.history import History, RunRecord
from promptpad_testing.server import (
    Recorded,
    Reply,
    TestServer,
    openai_error,
    started,
    stream_reply,
)


@pytest.fixture
def servers() -> Iterator[dict[str, TestServer]]:
    with started("fast", "slow", "failing", "stalled") as srvs:
        yield srvs


def _comparison(names: list[str], **kw: object) -> Comparison:
    shared = RequestDraft.starting()
    shared.set("model", "m")
    cmp = Comparison("Say hi", shared, [Column(n, base_url=f"http://{n}") for n in names])
    for k, v in kw.items():
        setattr(cmp, k, v)
    return cmp


def _endpoints(servers: dict[str, TestServer], read_timeout: float = 10.0) -> dict[str, Endpoint]:
    return {
        n: Endpoint(s.base_url, read_timeout=read_timeout, connect_timeout=5.0)
        for n, s in servers.items()
    }


def _run(cmp: Comparison, endpoints: dict[str, Endpoint], **kw: object):  # noqa: ANN202
    async def go():  # noqa: ANN202
        async with make_http_client() as http:
            return await run_comparison(http, endpoints, cmp, **kw)  # type: ignore[arg-type]

    return asyncio.run(go())


def _queue_four(servers: dict[str, TestServer]) -> None:
    servers["fast"].queue(stream_reply(["Hel", "lo"]))
    servers["slow"].queue(stream_reply(["s", "l", "o", "w"], delay=0.05))
    servers["failing"].queue(openai_error("upstream overloaded, try later", 503, "server_error"))
    stall = stream_reply(["half "])
    # The head and one chunk, then silence far longer than the read timeout.
    servers["stalled"].queue(Reply(stall.status, stall.headers, stall.writes[:1], hang=3))


def test_a_failing_and_a_stalled_column_do_not_disturb_the_others(
    servers: dict[str, TestServer], tmp_path: Path
) -> None:
    _queue_four(servers)
    cmp = _comparison(list(servers))
    history = History(tmp_path / "history.sqlite3")
    recorded: list[RunRecord] = []
    ends: list[str] = []

    def record(row: RunRecord) -> None:
        recorded.append(row)
        history.add(row)
        ends.append(row.url)

    events: list[str] = []
    endpoints = _endpoints(servers)
    endpoints["stalled"] = Endpoint(servers["stalled"].base_url, read_timeout=0.5)
    result = _run(cmp, endpoints, on_event=lambda c, r, b: events.append(c), record=record)

    by = {c.column.name: c for c in result.columns}
    assert by["fast"].ok
    assert by["fast"].outputs == ["Hello"]
    assert by["slow"].ok
    assert by["slow"].outputs == ["slow"]
    (failed,) = by["failing"].attempts
    assert failed.error == "upstream overloaded, try later"  # the server's own words
    assert failed.status == 503
    assert failed.run.outcome.value == "failed"
    (stalled,) = by["stalled"].attempts
    assert stalled.error
    assert stalled.run.outcome.value == "failed"
    assert stalled.text == "half "  # what arrived before the stall is kept
    assert stalled.ttft is not None
    assert not result.ok
    # The healthy columns ended (and were recorded) before the stalled one gave up.
    order = [next(n for n, s in servers.items() if str(s.port) in url) for url in ends]
    assert order.index("fast") < order.index("stalled")
    assert order.index("slow") < order.index("stalled")
    # The columns' events interleave: the slow one streamed while the others were running.
    assert {"fast", "slow", "stalled"} <= set(events)
    # Every compared run is in the history, through Run.to_record.
    rows = history.recent()
    assert len(rows) == 4
    assert sorted(r.outcome for r in rows) == ["failed", "failed", "finished", "finished"]
    assert {r.request["prompt"] for r in rows} == {"Say hi"}


def test_columns_send_their_own_overrides_over_the_shared_draft(
    servers: dict[str, TestServer],
) -> None:
    cmp = _comparison(["fast", "slow"])
    cmp.shared.set("temperature", 0.9)
    cmp.columns[1].overrides.set("temperature", 0.2)
    cmp.columns[1].model = "model-x"
    pair = {n: servers[n] for n in ("fast", "slow")}
    result = _run(cmp, _endpoints(pair))
    assert result.ok
    a, b = servers["fast"].last.json(), servers["slow"].last.json()
    assert (a["temperature"], a["model"]) == (0.9, "m")
    assert (b["temperature"], b["model"]) == (0.2, "model-x")
    assert a["max_tokens"] == b["max_tokens"] == 256  # shared, not overridden
    assert cmp.columns[1].own_fields() == {"temperature": 0.2, "model": "model-x"}
    assert cmp.columns[0].own_fields() == {}


def _counting(server: TestServer, usage: dict[str, int] | None = None) -> None:
    count = iter(range(1000))

    def reply(req: Recorded) -> Reply:
        n = next(count)
        return stream_reply([f"answer {n}", " ok"], usage=usage, delay=0.001 * n)

    server.handler = reply


def test_repeats_keep_every_output_and_spread_their_figures(
    servers: dict[str, TestServer],
) -> None:
    _counting(
        servers["fast"], usage={"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}
    )
    _counting(servers["slow"])
    cmp = _comparison(["fast", "slow"], repeat=5)
    cmp.columns[0].price = Price(2.0, 4.0, multiplier=0.5)
    result = _run(cmp, _endpoints({n: servers[n] for n in ("fast", "slow")}))
    assert result.ok
    for col in result.columns:
        assert col.outputs == [f"answer {n} ok" for n in range(5)]  # all five, in order
        ttfts = [a.ttft for a in col.attempts]
        assert all(t is not None for t in ttfts)
        assert col.spread("ttft") == Spread(min(ttfts), statistics.median(ttfts), max(ttfts))
        s = col.spread("total")
        assert s is not None
        assert s.minimum <= s.median <= s.maximum
    fast, slow = result.columns
    a = fast.attempts[0]
    assert (a.prompt_tokens, a.completion_tokens, a.tokens_estimated) == (10, 20, False)
    assert a.cost == pytest.approx((10 * 2.0 + 20 * 4.0) / 1e6 * 0.5)
    assert a.finish_reason == "stop"
    b = slow.attempts[0]
    assert b.tokens_estimated
    assert b.completion_tokens > 0
    assert b.cost is None
    assert b.run.to_record().metrics["mode"] == "new"


def test_concurrent_repeats_are_in_flight_together(servers: dict[str, TestServer]) -> None:
    # Each reply waits until all three requests of the column have arrived: sequential repeats
    # would break the barrier (and fail), concurrent ones all pass it.
    barrier = threading.Barrier(3, timeout=10)

    def reply(req: Recorded) -> Reply:
        barrier.wait()
        return stream_reply(["together"])

    servers["slow"].handler = reply
    cmp = _comparison(["fast", "slow"], repeat=3, order=Order.CONCURRENT)
    result = _run(cmp, _endpoints({n: servers[n] for n in ("fast", "slow")}))
    assert result.ok, [a.error for c in result.columns for a in c.attempts]
    assert result.columns[1].outputs == ["together"] * 3


def test_stopping_one_column_leaves_the_others_running(servers: dict[str, TestServer]) -> None:
    servers["slow"].queue(stream_reply(["tick "] * 400, delay=0.02))
    servers["fast"].queue(stream_reply(["Hel", "lo"]))
    cmp = _comparison(["fast", "slow"])
    recorded: list[RunRecord] = []

    async def go():  # noqa: ANN202
        async with make_http_client() as http:
            endpoints = _endpoints({n: servers[n] for n in ("fast", "slow")})
            runner = ComparisonRunner(http, endpoints, cmp, record=recorded.append)
            runner.on_event = lambda col, rep, batch: runner.stop("slow") if col == "slow" else None
            return await runner.run()

    result = asyncio.run(go())
    fast, slow = result.columns
    assert fast.ok
    assert fast.outputs == ["Hello"]
    (stopped,) = slow.attempts
    assert stopped.run.outcome.value == "stopped"
    assert stopped.text.startswith("tick ")  # what arrived is kept
    assert sorted(r.outcome for r in recorded) == ["finished", "stopped"]


def test_a_comparison_is_saved_and_reopened_by_name(tmp_path: Path) -> None:
    cmp = _comparison(["A", "B"], repeat=4, order=Order.CONCURRENT)
    cmp.prompt = "写一首诗"
    cmp.columns[0].provider, cmp.columns[0].base_url = "relay one", ""
    cmp.columns[1].overrides.set("top_p", 0.5)
    cmp.columns[1].price = Price(1.0, 2.0, 1.5)
    store = ComparisonStore(tmp_path)
    path = store.save("诗 · two relays", cmp)
    assert path == tmp_path / "comparisons" / "诗 · two relays.json"
    assert store.names() == ["诗 · two relays"]
    back, notes = store.load("诗 · two relays")
    assert notes == []
    assert back is not None
    assert back.to_json() == cmp.to_json()
    assert back.columns[1].own_fields() == {"top_p": 0.5}
    # The shared model is not overridden by a column that names none.
    assert back.columns[1].draft(back.shared).value("model") == "m"
    for bad in ("", "../x", "a/b", ".hidden"):
        with pytest.raises(ValueError, match="name"):
            store.save(bad, cmp)


def test_an_unreadable_saved_comparison_is_moved_aside_not_lost(tmp_path: Path) -> None:
    store = ComparisonStore(tmp_path)
    store.folder.mkdir()
    (store.folder / "broken.json").write_bytes(b"{not json")
    back, notes = store.load("broken")
    assert back is None
    assert notes
    assert "moved aside" in notes[0]
    kept = [p.name for p in store.folder.iterdir()]
    assert len(kept) == 1
    assert kept[0].startswith("broken.unreadable-")
    assert store.names() == []


def test_damaged_values_fall_back_with_notes() -> None:
    data = {
        "prompt": 5,
        "shared": {"version": 1, "fields": {"temperature": "hot", "model": "m"}},
        "columns": [
            {
                "name": "A",
                "base_url": "http://a",
                "overrides": {"fields": {"model": "", "top_p": 0.3}},
            },
            {"base_url": "http://nameless"},
            {"name": "B", "provider": 7, "price": {"multiplier": -1}},
        ],
        "repeat": 10**9,
        "order": "sideways",
    }
    cmp, notes = Comparison.from_json(data)
    assert cmp.prompt == ""
    assert cmp.repeat == 1
    assert cmp.order is Order.SEQUENTIAL
    assert [c.name for c in cmp.columns] == ["A", "B"]
    assert cmp.columns[0].draft(cmp.shared).value("model") == "m"  # "" dropped, shared kept
    assert cmp.columns[0].own_fields() == {"top_p": 0.3}
    assert cmp.columns[1].provider == ""
    assert cmp.columns[1].price is None
    assert len(notes) == 4  # temperature, the nameless column, repeat, order
    assert Comparison.from_json([1, 2])[0].columns == []


def test_problems_are_listed_before_anything_is_sent() -> None:
    cmp = _comparison(["A"], repeat=0)
    cmp.columns.append(Column("A"))
    cmp.columns[0].overrides.set("temperature", 9)
    problems = cmp.problems()
    assert any("two columns are called 'A'" in p for p in problems)
    assert any("repeat must be" in p for p in problems)
    assert any(p.startswith("A: temperature") for p in problems)
    assert any("a provider or a base URL is required" in p for p in problems)
    assert not _comparison(["A", "B"]).problems()
    assert any("2 to 8 columns" in p for p in _comparison(list("ABCDEFGHI")).problems())


def test_export_markdown_and_json(servers: dict[str, TestServer]) -> None:
    _queue_four(servers)
    servers["fast"].queue(stream_reply(["Hel", "lo"]))
    servers["slow"].queue(stream_reply(["你好"]))
    pair = {n: servers[n] for n in ("fast", "slow", "failing")}
    servers["failing"].queue(openai_error("no", 500, "server_error"))
    cmp = _comparison(list(pair), repeat=2)
    cmp.columns[1].overrides.set("temperature", 0.2)
    result = _run(cmp, _endpoints(pair))
    md = result_markdown(result)
    assert "| column | where | TTFT | tok/s | total | tokens | finish | cost | error |" in md
    assert "## slow" in md
    assert "Own settings: `temperature=0.2`" in md
    assert "### Repeat 2" in md
    assert "你好" in md
    assert "slow" in md
    assert "upstream overloaded, try later" in md
    assert "Error: no" in md
    assert "≈" in md  # the mock sends no usage: estimated counts are marked
    data = json.loads(json.dumps(result_json(result), ensure_ascii=False))
    assert data["ok"] is False
    assert [c["column"] for c in data["columns"]] == ["fast", "slow", "failing"]
    slow = data["columns"][1]
    assert [a["text"] for a in slow["attempts"]] == ["slow", "你好"]
    assert slow["own"] == {"temperature": 0.2}
    assert set(slow["spread"]) == {"ttft", "tokens_per_second", "total"}
    assert data["columns"][2]["attempts"][0]["status"] == 503
    assert Comparison.from_json(data["comparison"])[0].to_json() == cmp.to_json()


def test_a_new_column_takes_the_first_free_name() -> None:
    cmp = Comparison(columns=[Column("A"), Column("C")])
    assert cmp.free_name() == "B"
    cmp.columns = [Column(chr(ord("A") + i)) for i in range(26)]
    assert cmp.free_name() == "A2"
    cmp.columns.append(Column("A2"))
    assert cmp.free_name() == "A3"


def test_the_timeline_is_thinned_but_keeps_the_last_chunk_and_the_stall(
    servers: dict[str, TestServer],
) -> None:
    """Hundreds of chunks in one burst become a few points; the stall before the last chunk
    stays a flat line that ends at that chunk's own arrival, with the exact final count."""
    pause = 0.3
    reply = stream_reply([f"t{i} " for i in range(300)] + ["end"])
    # The 300 chunks in one write, then a pause, then the last chunk (and the end of the stream).
    burst = b"".join(reply.writes[:300])
    servers["fast"].queue(Reply(reply.status, reply.headers, [burst, *reply.writes[300:]], pause))
    cmp = _comparison(["fast"])
    result = _run(cmp, _endpoints({"fast": servers["fast"]}))
    a = result.columns[0].attempts[0]
    assert not a.error
    assert a.chunks == 301
    assert a.timeline[-1][1] == 301
    assert len(a.timeline) < 50  # not one point per chunk
    times = [t for t, _ in a.timeline]
    assert times == sorted(times)
    # The burst's points are all before the pause; the last one is the chunk after it.
    assert a.timeline[-2][1] == 300
    assert times[-1] - times[-2] >= pause * 0.9
    assert a.total is not None
    assert times[-1] <= a.total
