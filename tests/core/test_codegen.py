"""Exported code: never the key itself, and it really runs (curl, Python, Node) against the
loopback server with the key taken from the environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.codegen import FORMATS, to_code
from app.core.endpoint import Endpoint
from promptpad_testing.server import TestServer

KEY = "sk-exported-code-never-holds-this"
RUNNERS = {
    "curl": lambda f: ["bash", str(f)],
    "python": lambda f: [sys.executable, str(f)],
    "javascript": lambda f: ["node", str(f)],
}
SUFFIX = {"curl": ".sh", "python": ".py", "javascript": ".mjs"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stream", [False, True])
def test_code_runs_and_reads_the_key_from_the_environment(
    fmt: str, stream: bool, server: TestServer, tmp_path: Path
) -> None:
    tool = {"curl": "curl", "python": sys.executable, "javascript": "node"}[fmt]
    assert shutil.which(tool), f"{tool} is needed to run the exported {fmt} code"
    ep = Endpoint(server.base_url, api_key=KEY, headers={"X-Org": "team", "X-Api-Key": KEY})
    body = {
        "model": "mock-1",
        "prompt": "你好, \"quoted\" 'single' $HOME",
        "max_tokens": 4,
        "temperature": 0,
        "stop": ["\n"],
        "echo": False,
        "logprobs": None,
    }
    if stream:
        body["stream"] = True
    code = to_code(fmt, ep, body, key_env="MY_RELAY_KEY")
    assert KEY not in code
    assert "MY_RELAY_KEY" in code
    script = tmp_path / f"req{SUFFIX[fmt]}"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "MY_RELAY_KEY": KEY}
    out = subprocess.run(
        RUNNERS[fmt](script), capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    req = server.last
    assert req.json() == body  # exactly the body, through each language's quoting
    assert req.headers["authorization"] == f"Bearer {KEY}"
    assert req.headers["x-org"] == "team"
    assert "x-api-key" not in req.headers  # credential-looking headers are not exported
    if fmt != "curl":
        assert out.stdout.strip() == "This is a test"


def test_key_header_and_default_variable(server: TestServer) -> None:
    ep = Endpoint(server.base_url, api_key=KEY, key_header="api-key")
    code = to_code("curl", ep, {"model": "m", "prompt": "p"})
    assert '-H "api-key: $OPENAI_API_KEY"' in code
    assert KEY not in code
    with pytest.raises(ValueError, match="unknown code format"):
        to_code("cobol", ep, {})
