"""Keys with odd bytes, proxy passwords, credential headers: no secret in any error text.

A key that an environment variable ends with "\\n", or that a paste filled with a zero-width or
non-breaking space, used to reach httpx, whose error quoted it ("Illegal header value
b'Bearer sk-…'", or a UnicodeEncodeError traceback) to the window, stderr, ``--json`` output and
history. Keys are now trimmed, and what still cannot be sent is refused by name, before sending.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.core.codegen import to_code
from app.core.credentials import (
    clean_key,
    is_credential_header,
    redact_text,
    redact_url,
)
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError, ConfigError
from app.core.providers import is_secret_header
from promptpad_testing.server import TestServer
from tests.core.conftest import req
from tests.core.test_cli_invalid import raw_cli
from tests.helpers import call, collect

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-odd-bytes-5d1e9a7c"
PASSWORD = "Pr0xyPassw0rd"

TRIMMED = ["\n", " ", "\t", "\r\n", "\u00a0", " \n"]  # around the key: whitespace, trimmed
REFUSED = ["\u200b", "\u00e9", "\x00", "\x7f", "\n", "\u00a0", "\ufeff", "中"]  # inside the key


@pytest.mark.parametrize("extra", TRIMMED)
def test_whitespace_around_a_key_is_trimmed_and_the_run_works(
    server: TestServer, extra: str
) -> None:
    ep = Endpoint(server.base_url, api_key=extra + KEY + extra)
    assert collect(ep, req())
    assert server.last.headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("key_header", ["", "api-key"])
@pytest.mark.parametrize("odd", REFUSED)
def test_a_key_that_cannot_be_sent_is_refused_by_name(
    server: TestServer, odd: str, key_header: str
) -> None:
    key = KEY[:6] + odd + KEY[6:]
    ep = Endpoint(server.base_url, api_key=key, key_header=key_header)
    with pytest.raises(ConfigError) as info:
        collect(ep, req())
    text = f"{info.value.describe()} {info.value!r} {info.value.args}"
    assert f"U+{ord(odd):04X}" in text  # the problem, by code point
    assert KEY[:6] not in text  # never a piece of the key
    assert KEY[6:] not in text
    assert server.requests == []  # nothing was sent
    assert ("API key", info.value.message) in ep.problems()
    with pytest.raises(ConfigError):
        call(ep, "list_models")


def test_clean_key() -> None:
    assert clean_key(" \u00a0sk-1\r\n") == "sk-1"
    assert clean_key("a b") == "a b"  # a header value may hold a space
    for bad in ("sk\u200b1", "sk\x001", "sk\u00e91"):
        with pytest.raises(ConfigError, match="U\\+"):
            clean_key(bad)


def test_a_header_value_that_cannot_be_sent_is_refused_without_quoting_it(
    server: TestServer,
) -> None:
    ep = Endpoint(server.base_url, headers={"X-Org": "caf\u00e9-" + KEY})
    with pytest.raises(ConfigError) as info:
        collect(ep, req())
    assert "X-Org" in info.value.message
    assert "U+00E9" in info.value.message
    assert KEY not in info.value.message
    assert server.requests == []


# -- one rule for credential headers ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "proxy-authorization",
        "X-Api-Key",
        "api-key",
        "X-Auth-Token",
        "X-Relay-Key",  # codegen's old rule missed this one
        "Cookie",
        "X-Secret",
        "Ocp-Apim-Subscription-Key",
        "X-Session-Token",
    ],
)
def test_credential_headers(name: str) -> None:
    assert is_credential_header(name)
    assert is_secret_header(name)  # the profiles' rule is the same rule
    ep = Endpoint("https://h", headers={name: KEY, "X-Org": "o"})
    for fmt in ("curl", "python", "javascript"):
        code = to_code(fmt, ep, {"model": "m", "prompt": "p"})
        assert KEY not in code
        assert "X-Org" in code


def test_a_credential_is_known_by_its_value_too() -> None:
    assert is_credential_header("X-Custom", f"Bearer {KEY}")
    assert is_credential_header("X-Custom", f"Basic {KEY}")
    ep = Endpoint("https://h", headers={"X-Custom": f"Bearer {KEY}"})
    assert KEY not in to_code("curl", ep, {"model": "m"})
    for name in ("X-Org", "OpenAI-Organization", "User-Agent", "HTTP-Referer", "Accept"):
        assert not is_credential_header(name, "o"), name


# -- URLs ------------------------------------------------------------------------------------------


def test_redact_url() -> None:
    assert redact_url(f"http://bob:{PASSWORD}@proxy:8080") == "http://bob:***@proxy:8080"
    assert redact_url(f"https://{KEY}@h/v1") == "https://***@h/v1"
    assert redact_url(f"https://h/v1?key={KEY}&x=1") == "https://h/v1?key=***&x=1"
    assert redact_url("https://h/v1?api-version=2024") == "https://h/v1?api-version=2024"
    text = f"unusable proxy 'socks5://bob:{PASSWORD}@[::1]:1080': refused"
    assert PASSWORD not in redact_text(text)
    assert KEY not in redact_text(f"the server said: {KEY}", [KEY + "\n"])


def test_an_unusable_proxy_never_shows_its_password(server: TestServer) -> None:
    # An unknown scheme makes httpx refuse the proxy when the pool is made; the message quoted
    # the URL, password included.
    ep = Endpoint(server.base_url, proxy=f"ftp://bob:{PASSWORD}@127.0.0.1:1")
    with pytest.raises(CompletionError) as info:
        collect(ep, req())
    text = f"{info.value.describe()} {info.value.url} {info.value.args}"
    assert "bob" in text  # which proxy is still clear
    assert PASSWORD not in text
    assert any(PASSWORD not in reason and "proxy" in where for where, reason in ep.problems())


def test_a_dead_proxy_never_shows_its_password(server: TestServer) -> None:
    with TestServer() as dead:
        port = dead.port  # nothing listens here any more
    ep = Endpoint(server.base_url, api_key=KEY, proxy=f"http://bob:{PASSWORD}@127.0.0.1:{port}")
    with pytest.raises(CompletionError) as info:
        collect(ep, req())
    text = f"{info.value.describe()} {info.value.url} {info.value.args}"
    assert PASSWORD not in text
    assert KEY not in text


# -- the CLI, as a process ------------------------------------------------------------------------


def run_cli(*args: str, key: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    """The CLI with the key in $MY_KEY (--api-key-env MY_KEY) and no keyring."""
    return raw_cli(
        [*args, "--api-key-env", "MY_KEY"],
        b"",
        PROMPTPAD_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        MY_KEY=key,
    )


@pytest.mark.parametrize("odd", ["\u200b", "\u00e9", "\u00a0", "\x7f"])
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_the_cli_refuses_an_odd_key_without_printing_it(
    server: TestServer, tmp_path: Path, odd: str, json_flag: list[str]
) -> None:
    key = KEY[:6] + odd + KEY[6:]
    base = ["--base-url", server.base_url]
    r = run_cli(
        "complete", *base, "--model", "m", "--prompt", "hi", *json_flag, key=key, home=tmp_path
    )
    assert r.returncode == 2, r.stderr
    assert f"U+{ord(odd):04X}".encode() in r.stderr
    assert b"Traceback" not in r.stderr
    for piece in (KEY[:6], KEY[6:]):
        assert piece.encode() not in r.stdout + r.stderr
    assert server.requests == []
    m = run_cli("models", *base, *json_flag, key=key, home=tmp_path)
    assert m.returncode == 2
    assert KEY[6:].encode() not in m.stdout + m.stderr
    assert server.requests == []


def test_the_cli_trims_a_key_with_a_trailing_newline(server: TestServer, tmp_path: Path) -> None:
    r = run_cli(
        "complete",
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--prompt",
        "hi",
        "--json",
        key=KEY + "\n",
        home=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert server.last.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(r.stdout.splitlines()[-1])["type"] == "done"


def test_the_cli_never_prints_a_proxy_password(server: TestServer, tmp_path: Path) -> None:
    for proxy in (f"http://bob:{PASSWORD}@127.0.0.1:99999", f"ftp://bob:{PASSWORD}@127.0.0.1:1"):
        r = run_cli(
            "complete",
            "--base-url",
            server.base_url,
            "--prompt",
            "hi",
            "--proxy",
            proxy,
            key=KEY,
            home=tmp_path,
        )
        assert r.returncode == 2, r.stderr
        assert b"--proxy" in r.stderr
        assert PASSWORD.encode() not in r.stdout + r.stderr
    assert server.requests == []
