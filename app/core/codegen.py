"""Export a request as code (curl, Python, JavaScript) that reads its key from the environment.

The exported snippet never contains a key: it refers to an environment variable (the profile's
key variable, or OPENAI_API_KEY). Custom headers that look like credentials are left out, by
the one rule the profiles and the CLI use (``core.credentials.is_credential_header``).
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any, Final

from app.core.credentials import is_credential_header
from app.core.endpoint import Endpoint

DEFAULT_KEY_ENV: Final = "OPENAI_API_KEY"
FORMATS: Final = ("curl", "python", "javascript")


def _plain_headers(endpoint: Endpoint) -> dict[str, str]:
    """Custom headers that may appear in code: credential-looking ones are dropped."""
    return {k: v for k, v in endpoint.headers.items() if not is_credential_header(k, v)}


def _key_header(endpoint: Endpoint) -> tuple[str, str]:
    """(header name, value prefix) the key goes in."""
    if endpoint.key_header.strip():
        return endpoint.key_header.strip(), ""
    return "Authorization", "Bearer "


def to_code(fmt: str, endpoint: Endpoint, body: dict[str, Any], key_env: str = "") -> str:
    """The request as ``fmt`` code; the key comes from ``$key_env`` (default OPENAI_API_KEY)."""
    env = key_env.strip() or DEFAULT_KEY_ENV
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        env = DEFAULT_KEY_ENV
    url = endpoint.completions()
    headers = _plain_headers(endpoint)
    name, prefix = _key_header(endpoint)
    if fmt == "curl":
        return _curl(url, headers, name, prefix, env, body)
    if fmt == "python":
        return _python(url, headers, name, prefix, env, body)
    if fmt == "javascript":
        return _javascript(url, headers, name, prefix, env, body)
    raise ValueError(f"unknown code format {fmt!r}; one of {', '.join(FORMATS)}")


def _curl(
    url: str, headers: dict[str, str], name: str, prefix: str, env: str, body: dict[str, Any]
) -> str:
    lines = [f"curl {shlex.quote(url)}"]
    if body.get("stream"):
        lines[0] += " --no-buffer"
    lines.append(f'  -H "{name}: {prefix}${env}"')  # expanded by the shell, never written here
    lines.append("  -H 'Content-Type: application/json'")
    for k, v in headers.items():
        lines.append(f"  -H {shlex.quote(f'{k}: {v}')}")
    lines.append(f"  -d {shlex.quote(json.dumps(body, ensure_ascii=False, indent=2))}")
    return " \\\n".join(lines) + "\n"


def _python(
    url: str, headers: dict[str, str], name: str, prefix: str, env: str, body: dict[str, Any]
) -> str:
    hdrs = ",\n".join(
        f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in headers.items()
    )
    key_expr = f'"{prefix}" + os.environ["{env}"]' if prefix else f'os.environ["{env}"]'
    out = [
        "import json",
        "import os",
        "",
        "import httpx",
        "",
        f"URL = {json.dumps(url)}",
        "HEADERS = {",
        f"    {json.dumps(name)}: {key_expr},",
        '    "Content-Type": "application/json",',
    ]
    if hdrs:
        out.append(hdrs + ",")
    out += ["}", f"BODY = {_py_literal(body)}", ""]
    if body.get("stream"):
        out += [
            'with httpx.stream("POST", URL, headers=HEADERS, json=BODY, timeout=120) as r:',
            "    r.raise_for_status()",
            "    for line in r.iter_lines():",
            '        if line.startswith("data: ") and line != "data: [DONE]":',
            "            chunk = json.loads(line[6:])",
            '            for choice in chunk.get("choices", []):',
            '                print(choice.get("text", ""), end="", flush=True)',
            "print()",
        ]
    else:
        out += [
            "r = httpx.post(URL, headers=HEADERS, json=BODY, timeout=120)",
            "r.raise_for_status()",
            'for choice in r.json()["choices"]:',
            '    print(choice["text"])',
        ]
    return "\n".join(out) + "\n"


def _py_literal(value: Any) -> str:
    """A Python literal for JSON data (repr keeps str/int/float/bool/None exact)."""
    return repr(value)


def _javascript(
    url: str, headers: dict[str, str], name: str, prefix: str, env: str, body: dict[str, Any]
) -> str:
    key_expr = f"`{prefix}${{process.env.{env}}}`" if prefix else f"process.env.{env}"
    hdr_lines = [f"    {json.dumps(name)}: {key_expr},", '    "Content-Type": "application/json",']
    hdr_lines += [
        f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in headers.items()
    ]
    out = [
        "// Node.js 18+ (built-in fetch); run as an ES module (.mjs)",
        f"const res = await fetch({json.dumps(url)}, {{",
        '  method: "POST",',
        "  headers: {",
        *hdr_lines,
        "  },",
        f"  body: JSON.stringify({json.dumps(body, ensure_ascii=False, indent=2)}),",
        "});",
        "if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);",
    ]
    if body.get("stream"):
        out += [
            "const decoder = new TextDecoder();",
            'let buffer = "";',
            "for await (const part of res.body) {",
            "  buffer += decoder.decode(part, { stream: true });",
            "  let nl;",
            '  while ((nl = buffer.indexOf("\\n")) >= 0) {',
            "    const line = buffer.slice(0, nl).trim();",
            "    buffer = buffer.slice(nl + 1);",
            '    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;',
            "    for (const choice of JSON.parse(line.slice(6)).choices ?? []) {",
            '      process.stdout.write(choice.text ?? "");',
            "    }",
            "  }",
            "}",
            'process.stdout.write("\\n");',
        ]
    else:
        out += [
            "const data = await res.json();",
            "for (const choice of data.choices) console.log(choice.text);",
        ]
    return "\n".join(out) + "\n"
