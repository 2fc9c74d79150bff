"""Headless face of the core: ``promptpad complete``, ``promptpad models``, ``promptpad providers``.

Every capability of the window can be scripted here. Exit codes: 0 success; 2 invalid input
(every problem listed on stderr, nothing sent); 1 a server or network error (the server's message
on stderr, after the text received so far has been printed).
A key is never taken on the command line (it would land in shell history and ``ps``): it comes
from the environment variable named by ``--api-key-env``, or, with ``--provider NAME``, from the
saved profile (its key in the system keyring, or the variable the profile names). A ``--header``
that looks like a credential (``core.credentials``, the rule profiles and code export use too) is
refused; ``--key-header NAME`` sends the key in a header of that name instead. Connection flags
given next to ``--provider`` override the profile's values for this run; profiles are only read
here, never written. This module parses the flags and builds the request and the endpoint;
app/cli_complete.py sends a completion and writes it out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import Final, TextIO

from app.cli_complete import EXIT_FAILED, EXIT_INVALID, EXIT_OK, run_complete, write_error
from app.cli_providers import Profiles, provider_endpoint, run_providers, write_key_note
from app.core.client import CompletionClient
from app.core.credentials import is_credential_header
from app.core.draft import FIELDS, RequestDraft
from app.core.endpoint import Endpoint, make_http_client, parse_header
from app.core.errors import CompletionError
from app.core.keystore import KeyStore
from app.core.params import UNSET, CompletionRequest, Problem, parse_json_object
from app.core.playground import unescape_visible

DEFAULT_TIMEOUT = 120.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def _add_connection(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection")
    g.add_argument("--base-url", help="e.g. https://api.openai.com/v1 (with or without /v1)")
    g.add_argument("--url", dest="completions_url", help="full URL override for completions")
    g.add_argument("--api-key-env", metavar="VAR", help="read the API key from this variable")
    g.add_argument(
        "--key-header",
        metavar="NAME",
        help="send the key in this header as is (e.g. api-key) instead of Authorization: Bearer",
    )
    g.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'K: V'",
        help="extra request header (repeatable)",
    )
    g.add_argument("--proxy", help="http://, https:// or socks5:// proxy URL")
    g.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds to wait for a connection and between chunks (default 120, or the profile's)",
    )
    g.add_argument("--connect-timeout", type=float, default=None)
    g.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    g.add_argument("--ca-bundle", help="PEM file of CA certificates to trust")
    g.add_argument("--provider", help="a saved provider profile (see 'promptpad providers')")


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="promptpad",
        description="Playground for OpenAI-compatible completion APIs.",
        epilog="Without a command, promptpad opens its window.",
    )
    ap.add_argument("--version", action="store_true", help="print the version and exit")
    sub = ap.add_subparsers(dest="command", parser_class=_Parser)

    c = sub.add_parser("complete", help="run one completion; text goes to stdout as it arrives")
    _add_connection(c)
    r = c.add_argument_group("request")
    r.add_argument(
        "--params",
        metavar="FILE",
        help='parameters as the window saves them (a settings.json, or its "params" object);'
        " the flags below override them",
    )
    r.add_argument("--model")
    r.add_argument("--prompt", help="the prompt (read from stdin when absent)")
    r.add_argument("--suffix")
    r.add_argument("--max-tokens", type=int)
    r.add_argument("--temperature", type=float)
    r.add_argument("--top-p", type=float)
    r.add_argument("--n", type=int)
    r.add_argument("--best-of", type=int)
    r.add_argument("--stop", action="append", help="stop sequence (repeatable, at most 4)")
    r.add_argument("--logprobs", type=int)
    r.add_argument("--echo", action="store_true", default=None)
    r.add_argument("--presence-penalty", type=float)
    r.add_argument("--frequency-penalty", type=float)
    r.add_argument("--logit-bias", metavar="JSON", help="e.g. '{\"50256\": -100}'")
    r.add_argument("--seed", type=int)
    r.add_argument("--user")
    r.add_argument("--extra", metavar="JSON", help="JSON object merged into the request body")
    o = c.add_argument_group("output")
    o.add_argument("--no-stream", action="store_true", help="one request, one JSON reply")
    o.add_argument("--json", action="store_true", help="events (or the reply) as JSON lines")
    o.add_argument(
        "--record",
        action="store_true",
        help="record the run in the history the window shows (keeps its text in memory)",
    )
    o.add_argument("--verbose", "-v", action="store_true", help="metrics to stderr")
    o.add_argument(
        "--print-code",
        choices=["curl", "python", "javascript"],
        metavar="LANG",
        help="print the request as curl, python or javascript code (the key read "
        "from an environment variable) instead of sending it",
    )

    m = sub.add_parser("models", help="list the models a server offers")
    _add_connection(m)
    m.add_argument("--json", action="store_true")

    from app.cli_compare import add_parser as add_compare

    add_compare(sub)

    p = sub.add_parser("providers", help="list saved provider profiles (never their keys)")
    p.add_argument("--templates", action="store_true", help="list the built-in templates instead")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    return ap


def request_from_args(
    args: argparse.Namespace, prompt: str
) -> tuple[CompletionRequest, list[Problem]]:
    """The request the flags describe, through the same RequestDraft the window's panel edits
    (one set of fields, one validation); a flag not given leaves its field unset (not sent)."""
    problems: list[Problem] = []
    draft = RequestDraft()
    if args.params is not None:
        draft, problems = _draft_from_file(args.params)
    if args.model is not None or not draft.value("model"):
        draft.set("model", args.model or "")
    for name in FIELDS:
        value = getattr(args, name, None)
        if name in _FLAG_FIELDS and value is not None:
            draft.set(name, value)
    if args.stop:
        stops = [unescape_visible(s) for s in args.stop]
        draft.set("stop", stops[0] if len(stops) == 1 else stops)
    for name in ("logit_bias", "extra"):
        text = getattr(args, name)
        if text is not None:
            value, found = parse_json_object(text, name)
            problems += found
            if value is not None:
                draft.set(name, value)
    draft.set("stream", not args.no_stream)
    req = draft.to_request(prompt)
    if args.no_stream:
        req.stream = UNSET  # not sent: the API's default is false
    problems += draft.problems(prompt)
    return req, problems


def _draft_from_file(path: str) -> tuple[RequestDraft, list[Problem]]:
    """A --params file: the draft's JSON shape, alone or as settings.json's "params". Unlike
    the window, which falls back to defaults, the command line refuses what it cannot use."""
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        if isinstance(exc, ValueError | UnicodeDecodeError):
            why = "not a UTF-8 JSON file"
        return RequestDraft(), [Problem("params", f"cannot read {path}: {why}")]
    if isinstance(data, dict) and "fields" not in data and isinstance(data.get("params"), dict):
        data = data["params"]
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        return RequestDraft(), [
            Problem("params", f'{path} holds no parameters (expected {{"fields": {{…}}}})')
        ]
    draft, notes = RequestDraft.from_json(data)
    return draft, [Problem("params", note) for note in notes]


#: Draft fields that map one to one onto a flag of the same name (stop, logit_bias, extra and
#: stream are read above; model is required).
_FLAG_FIELDS: Final = frozenset(FIELDS) - {"model", "stop", "logit_bias", "extra", "stream"}


def endpoint_from_args(
    args: argparse.Namespace, env: dict[str, str], profiles: Profiles | None = None
) -> tuple[Endpoint | None, list[Problem]]:
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    for h in args.header:
        try:
            k, v = parse_header(h)
        except ValueError as exc:
            problems.append(Problem("--header", str(exc)))
            continue
        if is_credential_header(k, v):
            problems.append(Problem("--header", _credential_refusal(k)))
            continue
        headers[k] = v
    for flag in ("timeout", "connect_timeout"):
        value = getattr(args, flag)
        if value is not None and not (math.isfinite(value) and value > 0):
            problems.append(Problem(_flag(flag), "must be a number of seconds above 0"))
            setattr(args, flag, None)  # reported once; the endpoint gets the default
    key = None
    if args.api_key_env:
        key = env.get(args.api_key_env)
        if not key:
            problems.append(Problem("--api-key-env", f"the variable {args.api_key_env} is not set"))
    if args.provider:
        ep, problems = provider_endpoint(
            args, env, profiles or Profiles(env), headers, key, problems
        )
        return ep, problems + _endpoint_problems(ep, args)
    base = args.base_url
    if not base and not args.completions_url:
        problems.append(Problem("--base-url", "a base URL (or --provider) is required"))
        return None, problems
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    ep = Endpoint(
        base_url=base or args.completions_url,
        api_key=key,
        completions_url=args.completions_url,
        key_header=args.key_header or "",
        headers=headers,
        proxy=args.proxy,
        connect_timeout=timeout if args.connect_timeout is None else args.connect_timeout,
        read_timeout=timeout,
        verify=not args.insecure,
        ca_bundle=args.ca_bundle,
    )
    return ep, problems + _endpoint_problems(ep, args)


_SETTING_FLAGS = {
    "base URL": "--base-url",
    "completions URL": "--url",
    "proxy": "--proxy",
    "headers": "--header",
    "API key": "--api-key-env",
    "connect timeout": "--connect-timeout",
    "read timeout": "--timeout",
    "CA bundle": "--ca-bundle",
}


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _credential_refusal(name: str) -> str:
    return (
        f"{name!r} looks like a credential, and a key is never taken on the command line (it "
        f"would land in shell history and the process list): put it in an environment "
        f"variable and pass --api-key-env VAR, with --key-header {name!r} if the server wants "
        "it in that header"
    )


def _endpoint_problems(ep: Endpoint | None, args: argparse.Namespace) -> list[Problem]:
    """Everything about the connection that cannot work, found before anything is sent."""
    if ep is None:
        return []
    out = []
    for setting, text in ep.problems():
        if setting == "API key" and not args.api_key_env:
            where = f"provider {args.provider!r}" if args.provider else setting
        else:
            where = _SETTING_FLAGS.get(setting, setting)
        out.append(Problem(where, text))
    return out


def _read_stdin(stdin: TextIO | None) -> tuple[str, list[Problem]]:
    """The prompt from stdin, as UTF-8 whatever the locale says (a byte-order mark dropped)."""
    if stdin is not None:
        return stdin.read(), []
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        return "", [
            Problem("stdin", f"not UTF-8 text (byte 0x{bad} at offset {exc.start}); convert it")
        ]


def _body_problems(req: CompletionRequest, prompt_source: str) -> list[Problem]:
    """What in the body JSON cannot be sent: NaN/Infinity (not JSON), text that is not Unicode
    (a command-line argument of non-UTF-8 bytes arrives as lone surrogates)."""
    out = []
    for name, value in req.to_body().items():
        try:
            json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except ValueError as exc:
            where = prompt_source if name == "prompt" else _body_field_flag(name, req)
            if isinstance(exc, UnicodeEncodeError):
                out.append(Problem(where, "holds bytes that are not UTF-8 text"))
            else:
                out.append(Problem(where, "NaN and Infinity are not JSON numbers"))
    return out


def _body_field_flag(name: str, req: CompletionRequest) -> str:
    if isinstance(req.extra, dict) and name in req.extra:
        return "--extra"
    return _flag(name)


def _print_problems(problems: list[Problem], err: TextIO) -> None:
    err.write("promptpad: invalid input:\n")
    for p in problems:
        err.write(f"  {p}\n")


async def _run_models(
    args: argparse.Namespace, endpoint: Endpoint, out: TextIO, err: TextIO
) -> int:
    async with make_http_client() as http:
        try:
            models = await CompletionClient(http, endpoint).list_models()
        except CompletionError as exc:
            write_error(exc, endpoint, err)
            return EXIT_FAILED
    for m in sorted(models, key=lambda m: m.id):
        if args.json:
            out.write(json.dumps({"id": m.id, "owned_by": m.owned_by}, ensure_ascii=False) + "\n")
        else:
            out.write(m.id + "\n")
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: dict[str, str] | None = None,
    keys: KeyStore | None = None,
) -> int:
    """Run one command; ``keys`` replaces the system keyring (tests, embedding)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    environ = dict(os.environ if env is None else env)
    args = build_parser().parse_args(argv)
    if args.version:
        from app import __version__

        out.write(f"promptpad {__version__}\n")
        return EXIT_OK
    if args.command is None:
        build_parser().print_help(err)
        return EXIT_INVALID
    profiles = Profiles(environ, keys)
    if args.command == "providers":
        run_providers(args, profiles, out, err)
        return EXIT_OK
    if args.command == "compare":
        from app.cli_compare import run_compare

        return run_compare(args, environ, profiles, stdin, out, err)
    endpoint, problems = endpoint_from_args(args, environ, profiles)
    if args.command == "models":
        if problems or endpoint is None:
            _print_problems(problems, err)
            return EXIT_INVALID
        write_key_note(args, profiles, environ, err)
        return asyncio.run(_run_models(args, endpoint, out, err))
    if args.model is None and args.provider:
        saved = profiles.store.get(args.provider)
        if saved is not None and saved.default_model:
            args.model = saved.default_model
    if args.prompt is not None:
        prompt = args.prompt
    else:
        prompt, found = _read_stdin(stdin)
        problems += found
    req, more = request_from_args(args, prompt)
    problems += more + _body_problems(req, "stdin" if args.prompt is None else "--prompt")
    if problems or endpoint is None:
        _print_problems(problems, err)
        return EXIT_INVALID
    if args.print_code:
        from app.core.codegen import to_code

        profile = profiles.store.get(args.provider) if args.provider else None
        key_env = args.api_key_env or (profile.key_env if profile else "")
        out.write(to_code(args.print_code, endpoint, req.to_body(), key_env))
        return EXIT_OK
    write_key_note(args, profiles, environ, err)
    try:
        return asyncio.run(run_complete(args, endpoint, req, out, err))
    except KeyboardInterrupt:
        return 130
