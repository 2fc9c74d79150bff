"""Invalid command lines exit 2 with every problem listed and nothing sent, never a traceback.

Each of these used to be sent (and fail with exit 1, or a traceback), or, for ``--bogus``,
to open the window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from promptpad_testing.server import TestServer
from tests.core.test_cli import cli

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-cli-refused-3b7e1f"


def refused(server: TestServer, r: subprocess.CompletedProcess[str], flag: str) -> None:
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert flag in r.stderr
    assert server.requests == []


BAD_CONNECTION = [
    ("--base-url", ["--base-url", "ftp://127.0.0.1:{port}/v1"]),
    ("--base-url", ["--base-url", "http://127.0.0.1:99999/v1"]),  # port out of range
    ("--base-url", ["--base-url", "http://127.0.0.1:0/v1"]),
    ("--url", ["--base-url", "{base}", "--url", "v1/completions"]),  # relative
    ("--url", ["--base-url", "{base}", "--url", "ftp://127.0.0.1:{port}/v1/completions"]),
    ("--url", ["--url", "http://127.0.0.1:70000/v1/completions"]),
    ("--proxy", ["--base-url", "{base}", "--proxy", "ftp://127.0.0.1:1"]),
    ("--proxy", ["--base-url", "{base}", "--proxy", "http://127.0.0.1:65536"]),
    ("--ca-bundle", ["--base-url", "{base}", "--ca-bundle", "{tmp}/missing.pem"]),
    ("--header", ["--base-url", "{base}", "--header", "Bad Name: v"]),
    ("--header", ["--base-url", "{base}", "--header", "X-Org: caf\u00e9"]),
    ("--timeout", ["--base-url", "{base}", "--timeout", "0"]),
    ("--timeout", ["--base-url", "{base}", "--timeout=-1"]),
    ("--timeout", ["--base-url", "{base}", "--timeout", "nan"]),
    ("--timeout", ["--base-url", "{base}", "--timeout", "inf"]),
    ("--connect-timeout", ["--base-url", "{base}", "--connect-timeout", "0"]),
    ("--key-header", ["--base-url", "{base}", "--key-header", "bad header"]),
]


@pytest.mark.parametrize("command", ["complete", "models"])
@pytest.mark.parametrize(("flag", "args"), BAD_CONNECTION)
def test_bad_connection_settings_exit_2_with_nothing_sent(
    server: TestServer, tmp_path: Path, command: str, flag: str, args: list[str]
) -> None:
    filled = [a.format(base=server.base_url, port=server.port, tmp=tmp_path) for a in args]
    extra = ["--model", "m", "--prompt", "hi"] if command == "complete" else []
    env = {"MY_KEY": KEY}
    if flag == "--key-header":
        extra += ["--api-key-env", "MY_KEY"]
    r = cli(command, *filled, *extra, env=env)
    refused(server, r, flag.replace("--key-header", "--header"))


@pytest.mark.parametrize(
    "header",
    [
        f"Authorization: Bearer {KEY}",
        f"X-Api-Key: {KEY}",
        f"X-Relay-Key: {KEY}",
        f"api-key: {KEY}",
        f"X-Custom: Bearer {KEY}",
        f"Cookie: session={KEY}",
    ],
)
@pytest.mark.parametrize("print_code", [[], ["--print-code", "curl"]])
def test_a_credential_header_on_the_command_line_is_refused(
    server: TestServer, header: str, print_code: list[str]
) -> None:
    r = cli(
        "complete", "--base-url", server.base_url, "--prompt", "hi", "--header", header, *print_code
    )
    refused(server, r, "--header")
    assert "--api-key-env" in r.stderr  # where the key goes instead
    assert KEY not in r.stdout + r.stderr


def test_the_key_header_flag_sends_the_key_where_the_server_wants_it(
    server: TestServer,
) -> None:
    r = cli(
        "complete",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--prompt",
        "hi",
        "--api-key-env",
        "MY_KEY",
        "--key-header",
        "api-key",
        env={"MY_KEY": KEY},
    )
    assert r.returncode == 0, r.stderr
    assert server.last.headers["api-key"] == KEY
    assert "authorization" not in server.last.headers


def test_nan_in_extra_is_refused(server: TestServer) -> None:
    for flag, value in (("--extra", '{"top_k": NaN}'), ("--extra", '{"x": [Infinity]}')):
        r = cli(
            "complete", "--base-url", server.base_url, "--model", "m", "--prompt", "hi", flag, value
        )
        refused(server, r, flag)
        assert "NaN" in r.stderr


def raw_cli(
    args: list[str | bytes], stdin: bytes, **env: str
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.parametrize("locale", [{}, {"LC_ALL": "C", "LANG": "C"}])
def test_stdin_that_is_not_utf8_is_a_clear_error(
    server: TestServer, locale: dict[str, str]
) -> None:
    r = raw_cli(["complete", "--base-url", server.base_url], b"caf\xe9 \xff", **locale)
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert b"stdin" in r.stderr
    assert b"UTF-8" in r.stderr
    assert server.requests == []


def test_stdin_utf8_with_a_byte_order_mark_is_read(server: TestServer) -> None:
    text = "你好"
    r = raw_cli(
        ["complete", "--base-url", server.base_url, "--model", "m"], b"\xef\xbb\xbf" + text.encode()
    )
    assert r.returncode == 0, r.stderr
    assert server.last.json()["prompt"] == text


@pytest.mark.skipif(sys.platform == "win32", reason="argv is not bytes on Windows")
def test_a_prompt_argument_that_is_not_utf8_is_a_clear_error(server: TestServer) -> None:
    r = raw_cli(
        ["complete", "--base-url", server.base_url, "--model", "m", "--prompt", b"caf\xe9"], b""
    )
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert b"--prompt" in r.stderr
    assert server.requests == []


@pytest.mark.parametrize("args", [["--bogus"], ["bogus"], ["--self-test", "--bogus"]])
def test_an_unknown_argument_prints_usage_instead_of_opening_the_window(args: list[str]) -> None:
    # PROMPTPAD_STARTUP_PROBE makes a window that does open print "shown" and leave at once.
    r = raw_cli(list(args), b"", PROMPTPAD_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    assert r.returncode == 2, r.stdout + r.stderr
    assert b"usage: promptpad" in r.stderr
    assert b"shown" not in r.stdout
