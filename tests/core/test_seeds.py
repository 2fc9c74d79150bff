"""Fidelity to the four seed pages: each page's own example, sent through its built-in template.

The pages' facts (URL, method, the curl example's headers, the example request and response
bodies) are test data in tests/fixtures/seeds, extracted from the pages by
scripts/seed_fixtures.py, so these tests run on every clone; ``scripts/test.sh`` re-checks the
fixtures against the pages when ``../shared/seeds`` sits beside the checkout. Each request goes to
the loopback TestServer at the template's own path (``/v1``), and the page's example response
comes back from it, whole and as an SSE stream.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.core.client import Completion, CompletionClient, Event, RunDone, TextDelta, Usage
from app.core.endpoint import make_http_client
from app.core.keystore import MemoryKeyStore
from app.core.params import CompletionRequest
from app.core.provider_store import ProviderStore
from app.core.providers import load_templates
from promptpad_testing.server import Reply, TestServer, json_reply, sse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
KEY = "sk-seed-5b1e0c77d2a94f3e"
# Which built-in template (resources/providers.json) serves which page.
TEMPLATES = {
    "000_83170a98c500fd28": "OneChat",
    "001_c058e92a681a30db": "薛定猫 (xuedingmao)",
    "002_6eb3ee5147131eb6": "Ninhao",
    "003_7a0bf931c6b45650": "gptacg",
}


@dataclass(frozen=True)
class Seed:
    file: str
    template: str
    base_url: str  # as the page gives it (its POST URL without /completions)
    request: dict[str, Any]  # the page's example request body, in the page's key order
    response: dict[str, Any]  # the page's example response
    curl_auth: bool | None  # does the page's curl send Authorization? (None: the page has no curl)
    facts: dict[str, Any]  # the whole fixture

    @property
    def key(self) -> str | None:
        """The key the run is made with: none where the page's own request sends none."""
        return None if self.curl_auth is False else KEY


def _load(stem: str) -> Seed:
    facts = json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    curl = facts["curl"]
    auth = None if curl is None else any(k == "Authorization" for k, _ in curl["headers"])
    return Seed(
        facts["source"],
        TEMPLATES[stem],
        facts["base_url"],
        facts["example_requests"][0],
        facts["example_responses"][0],
        auth,
        facts,
    )


SEED_LIST = [_load(stem) for stem in TEMPLATES]
SEED_IDS = [s.file[:3] for s in SEED_LIST]


def exact(value: Any) -> str:
    """JSON text that tells 0 from 0.0 and keeps key order: for comparisons that must be exact."""
    return json.dumps(value, ensure_ascii=False)


# -- running a seed through its template -----------------------------------------------------------


def store_for(seed: Seed, server: TestServer, tmp_path: Path) -> ProviderStore:
    """The seed's template saved as a profile, aimed at the loopback server with the same path."""
    template = {t.name: t for t in load_templates()}[seed.template]
    assert template.base_url == seed.base_url
    parts = urlsplit(template.base_url)
    assert parts.path == "/v1"
    local = urlsplit(server.base_url)
    profile = replace(
        template, base_url=urlunsplit((local.scheme, local.netloc, parts.path, "", ""))
    )
    store = ProviderStore(tmp_path, MemoryKeyStore())
    store.add(profile)
    if seed.key is not None:
        assert store.set_key(profile.name, seed.key) == "keyring"
    return store


async def _complete(store: ProviderStore, name: str, request: CompletionRequest) -> Completion:
    async with make_http_client() as http:
        return await CompletionClient(http, store.endpoint(name, env={})).complete(request)


async def _stream(store: ProviderStore, name: str, request: CompletionRequest) -> list[Event]:
    async with make_http_client() as http:
        client = CompletionClient(http, store.endpoint(name, env={}))
        return [e async for e in client.stream(request)]


def assert_sent(seed: Seed, server: TestServer, body: dict[str, Any]) -> None:
    sent = server.last
    assert sent.method == "POST"
    assert sent.path == "/v1/completions"
    assert sent.headers["content-type"] == "application/json"
    if seed.key is None:
        assert "authorization" not in sent.headers
    else:
        assert sent.headers["authorization"] == f"Bearer {seed.key}"
    assert exact(sent.json()) == exact(body)  # same keys, order, values and JSON types
    assert sent.body == exact(body).encode("utf-8")


def stream_of(response: dict[str, Any], pieces: list[str]) -> Reply:
    """The page's response as SSE chunks: the text split into ``pieces``, usage at the end."""
    assert "".join(pieces) == response["choices"][0]["text"]
    head = {k: v for k, v in response.items() if k not in ("choices", "usage")}
    objs: list[dict[str, Any]] = []
    for piece in pieces:
        choice = {"text": piece, "index": 0, "logprobs": None, "finish_reason": None}
        objs.append({**head, "choices": [choice]})
    last = {"text": "", "index": 0, "logprobs": None, "finish_reason": "length"}
    objs.append({**head, "choices": [last], "usage": response["usage"]})
    writes = [sse([o], done=False) for o in objs] + [b"data: [DONE]\n\n"]
    return Reply(headers=[("Content-Type", "text/event-stream")], writes=writes)


@pytest.mark.parametrize("seed", SEED_LIST, ids=SEED_IDS)
def test_the_template_matches_the_page(seed: Seed) -> None:
    template = {t.name: t for t in load_templates()}[seed.template]
    assert template.final_url() == seed.base_url + "/completions"
    assert template.default_model == seed.request["model"]


@pytest.mark.parametrize("seed", SEED_LIST, ids=SEED_IDS)
def test_the_page_example_as_one_reply(seed: Seed, server: TestServer, tmp_path: Path) -> None:
    store = store_for(seed, server, tmp_path)
    server.queue(json_reply(seed.response))
    request = CompletionRequest.from_body(seed.request)
    assert request.problems() == []
    result = asyncio.run(_complete(store, seed.template, request))
    assert_sent(seed, server, seed.request)
    assert result.text == "\n\nThis is indeed a test"
    assert result.usage == Usage(prompt_tokens=5, completion_tokens=7, total_tokens=12)
    assert result.choices[0].finish_reason == "length"
    assert result.choices[0].logprobs is None
    assert result.model == seed.response["model"]
    assert result.id == "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7"
    assert result.system_fingerprint == seed.response.get("system_fingerprint")
    assert result.raw == seed.response
    assert result.metrics.completion_tokens == 7


@pytest.mark.parametrize("seed", SEED_LIST, ids=SEED_IDS)
@pytest.mark.parametrize(
    "pieces",
    [["\n\nThis is indeed a test"], ["\n", "\n", "This", " is", " indeed", " a", " test"]],
    ids=["one-chunk", "token-chunks"],
)
def test_the_page_example_as_a_stream(
    seed: Seed, pieces: list[str], server: TestServer, tmp_path: Path
) -> None:
    store = store_for(seed, server, tmp_path)
    server.queue(stream_of(seed.response, pieces))
    request = CompletionRequest.from_body(seed.request)
    events = asyncio.run(_stream(store, seed.template, request))
    # Streaming is the one change to the page's request: "stream" is sent as true (last, or in
    # the place the page gave it).
    assert_sent(seed, server, {**seed.request, "stream": True})
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text == "\n\nThis is indeed a test"
    done = events[-1]
    assert isinstance(done, RunDone)
    assert done.texts == {0: "\n\nThis is indeed a test"}
    assert done.usage == Usage(prompt_tokens=5, completion_tokens=7, total_tokens=12)
    assert done.finish_reasons == {0: "length"}
    assert done.model == seed.response["model"]
    assert done.system_fingerprint == seed.response.get("system_fingerprint")


# -- the facts themselves ----------------------------------------------------------------------


def test_every_page_has_a_fixture_and_a_template() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted(TEMPLATES)
    assert {t.name for t in load_templates()} >= set(TEMPLATES.values())


@pytest.mark.parametrize("seed", SEED_LIST, ids=SEED_IDS)
def test_each_page_agrees_with_itself(seed: Seed) -> None:
    """The page's example blocks, its curl command and its URL tell the same story."""
    facts = seed.facts
    assert facts["method"] == "POST"
    assert facts["url"] == f"{seed.base_url}/completions"
    assert len(facts["example_responses"]) == 1
    for found in facts["example_requests"]:  # the "示例" block and, where there is one, curl's
        assert exact(found) == exact(seed.request)
    curl = facts["curl"]
    if curl is None:
        assert len(facts["example_requests"]) == 1
        assert not facts["mentions_authorization"]
        return
    assert len(facts["example_requests"]) == 2
    assert curl["method"] == "POST"
    assert curl["url"] == facts["url"]
    assert ["Content-Type", "application/json"] in curl["headers"]
    assert exact(curl["body"]) == exact(seed.request)
    if seed.curl_auth:
        assert ["Authorization", "Bearer "] in curl["headers"]  # the page leaves the key blank


def test_the_chinese_prompt_has_the_pages_ascii_comma() -> None:
    # The seeds README writes "你好，" (full-width); the page itself, and so the request, has ",".
    seed = next(s for s in SEED_LIST if s.file.startswith("001"))
    assert seed.request["prompt"] == "你好,"
