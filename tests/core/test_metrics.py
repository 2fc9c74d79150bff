"""Run speed (tokens per second): only over a streamed interval, never for a reply read at once.

A non-streamed reply has its first and last token in the same read, microseconds apart: the old
figure (tokens / (total - first token)) said 3,833,515.9 tok/s for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.core.client import RunDone
from app.core.endpoint import Endpoint
from app.core.events import MIN_SPEED_SPAN_S, RunMetrics
from app.core.run import Run, RunMode
from promptpad_testing.server import Reply, TestServer, chunk_obj, sse, stream_reply
from tests.core.conftest import call, collect, req

ROOT = Path(__file__).resolve().parents[2]
SSE = [("Content-Type", "text/event-stream")]


def test_non_streamed_reply_has_no_speed(server: TestServer) -> None:
    completion = call(server_endpoint(server), "complete", req(max_tokens=5))
    m = completion.metrics
    assert m.completion_tokens == 5
    assert m.ttft is not None
    assert m.total is not None
    assert not m.streamed
    assert m.tokens_per_second is None


def test_stream_sent_in_one_write_has_no_speed(server: TestServer) -> None:
    body = sse([chunk_obj(t) for t in ["a", "b", "c"]] + [chunk_obj("", finish="stop")])
    server.queue(Reply(headers=SSE, writes=[body]))
    done = collect(server_endpoint(server), req())[-1]
    assert isinstance(done, RunDone)
    assert done.metrics.completion_tokens == 3
    assert done.metrics.tokens_per_second is None


def test_burst_over_several_reads_has_no_speed(server: TestServer) -> None:
    # A relay that buffers the reply and then sends it: many reads, no time between them.
    server.queue(stream_reply(["a", "b", "c", "d"]))
    done = collect(server_endpoint(server), req())[-1]
    assert done.metrics.streamed
    assert done.metrics.total - done.metrics.ttft < MIN_SPEED_SPAN_S
    assert done.metrics.tokens_per_second is None


def test_streamed_interval_gives_a_plausible_speed(server: TestServer) -> None:
    server.queue(stream_reply(["a", "b", "c"], delay=0.02))
    m = collect(server_endpoint(server), req())[-1].metrics
    assert m.streamed
    tps = m.tokens_per_second
    assert tps is not None
    # 3 tokens over at least two 20 ms gaps (plus the end): at most 75 tok/s
    assert 0 < tps <= 3 / 0.04


def test_streamed_with_logprobs_takes_the_parsing_path_and_still_has_a_speed(
    server: TestServer,
) -> None:
    # Chunks with logprobs never take the fast path: the reads are counted on the parsing path.
    lp = {"tokens": ["a"], "token_logprobs": [-0.1], "top_logprobs": [{"a": -0.1}]}
    writes = [sse([chunk_obj(t, logprobs=lp)], done=False) for t in "abc"]
    writes.append(sse([chunk_obj("", finish="stop")]))
    server.queue(Reply(headers=SSE, writes=writes, delay=0.02))
    m = collect(server_endpoint(server), req(logprobs=1))[-1].metrics
    assert m.streamed
    assert m.tokens_per_second is not None


def test_metrics_value_rules() -> None:
    m = RunMetrics(ttft=0.1, total=0.1 + 1e-6, completion_tokens=4)
    assert m.tokens_per_second is None  # not streamed
    m.streamed = True
    assert m.tokens_per_second is None  # a microsecond is no interval
    m.total = 1.1
    assert m.tokens_per_second == 4.0


def test_cli_verbose_says_no_speed_for_a_non_streamed_run(server: TestServer) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "app", "complete", "--base-url", server.base_url, "--model", "m"]
        + ["--prompt", "x", "--no-stream", "--verbose"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "- tok/s" in r.stderr
    assert "0 tok/s" not in r.stderr


def server_endpoint(server: TestServer) -> Endpoint:
    return Endpoint(server.base_url)


def test_history_record_of_a_one_read_run_has_no_speed(server: TestServer) -> None:
    body = sse([chunk_obj(t) for t in ["a", "b"]] + [chunk_obj("", finish="stop")])
    server.queue(Reply(headers=SSE, writes=[body]))
    request = req()
    run = Run(request, RunMode.NEW)
    run.feed(collect(server_endpoint(server), request))
    record = run.to_record()
    assert record.metrics["completion_tokens"] == 2
    assert record.metrics["tokens_per_second"] is None
