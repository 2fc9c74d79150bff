"""The CLI's provider side: saved profiles and their keys for ``--provider``, and the
``promptpad providers`` listing. Profiles are only read here, never written."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from app.core.endpoint import Endpoint
from app.core.errors import ConfigError
from app.core.keystore import KeyringKeyStore, KeyStore, MemoryKeyStore
from app.core.params import Problem
from app.core.provider_store import ProviderStore
from app.core.providers import Provider, load_templates
from app.core.storage import HOME_ENV, app_home


class Profiles:
    """The saved provider profiles and the one KeyStore of this process, built on first use.

    The KeyStore is the system keyring when one exists, else an empty MemoryKeyStore: a CLI
    process has no session to remember a key in, so ``has_keyring`` tells the user why no stored
    key was found.
    """

    def __init__(self, env: dict[str, str], keys: KeyStore | None = None) -> None:
        self._env = env
        self._keys = keys
        self._store: ProviderStore | None = None
        self._has_keyring = True

    @property
    def has_keyring(self) -> bool:
        """Whether a system keyring backs the store (if not, keys come only from variables)."""
        _ = self.store  # building the store settles it
        return self._has_keyring

    @property
    def store(self) -> ProviderStore:
        if self._store is None:
            keys = self._keys
            if keys is None:
                ring = KeyringKeyStore()
                keys = ring if ring.available() else MemoryKeyStore()
                self._has_keyring = keys is ring
            else:
                self._has_keyring = keys.available()
            home = self._env.get(HOME_ENV)
            self._store = ProviderStore(Path(home).expanduser() if home else app_home(), keys)
            gone = self._store.unreadable
            if gone is not None:  # the window would say so; here stderr is the only place
                where = f"; kept as {gone.moved_to}" if gone.moved_to else "; left untouched"
                print(
                    f"promptpad: {gone.path} could not be read ({gone.reason}){where}",
                    file=sys.stderr,
                )
        return self._store


def find_provider(
    args: argparse.Namespace, profiles: Profiles
) -> tuple[Provider | None, list[Problem]]:
    """The saved profile ``--provider`` names, or the problem listing the known names."""
    store = profiles.store
    provider = store.get(args.provider)
    if provider is not None:
        return provider, []
    names = store.names()
    known = ", ".join(repr(n) for n in names) if names else "none saved yet"
    text = f"no provider called {args.provider!r}; saved providers: {known}"
    template = next((t for t in _templates() if t.name == args.provider), None)
    if template is not None:
        text += (
            f"; {template.name!r} is a built-in template: add it in the window's provider "
            f"manager, or use --base-url {template.base_url}"
        )
    return None, [Problem("--provider", text + " (see 'promptpad providers')")]


def _templates() -> list[Provider]:
    try:
        return load_templates()
    except ConfigError:
        return []


def provider_endpoint(
    args: argparse.Namespace,
    env: dict[str, str],
    profiles: Profiles,
    headers: dict[str, str],
    key: str | None,
    problems: list[Problem],
) -> tuple[Endpoint | None, list[Problem]]:
    """The profile's endpoint, with every connection flag that was given taking precedence."""
    saved, missing = find_provider(args, profiles)
    if saved is None:
        return None, problems + missing
    store = profiles.store
    p = Provider.from_json(saved.to_json())  # a copy: overrides are for this run only
    if args.base_url:
        p.base_url = args.base_url
        p.completions_url = ""  # the profile's full-URL override would ignore --base-url
    if args.completions_url:
        p.completions_url = args.completions_url
    if headers:
        lowered = {k.lower() for k in headers}
        p.headers = {k: v for k, v in p.headers.items() if k.lower() not in lowered} | headers
    if args.key_header:
        p.key_header = args.key_header
    if args.proxy:
        p.proxy, p.proxy_user = "", ""  # the flag's URL is used as given, credentials included
    if args.timeout is not None:
        p.read_timeout = p.connect_timeout = args.timeout
    if args.connect_timeout is not None:
        p.connect_timeout = args.connect_timeout
    if args.insecure:
        p.verify = False
    if args.ca_bundle:
        p.ca_bundle = args.ca_bundle
    problems += [Problem(f"provider {p.name!r}", text) for text in p.problems()]
    if problems:
        return None, problems
    try:
        if not args.api_key_env:
            key = store.resolve_key(p, env)  # raises ConfigError if the keyring refuses
        ep = p.endpoint(key, store.proxy_password(p.name) if p.proxy_user else None)
    except ConfigError as exc:
        return None, [*problems, Problem(f"provider {p.name!r}", exc.message)]
    if args.proxy:
        ep = replace(ep, proxy=args.proxy)
    return ep, problems


def key_note(args: argparse.Namespace, profiles: Profiles, env: dict[str, str]) -> str | None:
    """Why a profile run goes out without a key, when the reason is worth telling."""
    if not args.provider or args.api_key_env:
        return None
    p = profiles.store.get(args.provider)
    try:
        if p is None or profiles.store.resolve_key(p, env):
            return None
    except ConfigError:
        return None  # already reported as a problem
    if p.key_env and not profiles.has_keyring:
        return (
            f"the variable {p.key_env} named by provider {p.name!r} is not set, and this system "
            "has no keyring to hold a stored key; sending no API key"
        )
    if p.key_env:
        return f"the variable {p.key_env} named by provider {p.name!r} is not set"
    if not profiles.has_keyring:
        return (
            f"this system has no keyring, so provider {p.name!r} has no stored key; "
            "sending no API key (pass one with --api-key-env VAR)"
        )
    return None


def write_key_note(
    args: argparse.Namespace, profiles: Profiles, env: dict[str, str], err: TextIO
) -> None:
    note = key_note(args, profiles, env)
    if note:
        err.write(f"promptpad: {note}\n")


def _provider_rows(profiles: Profiles) -> list[dict[str, Any]]:
    store = profiles.store
    rows = []
    for p in store.providers:
        # None: there is no keyring to ask (the key may well be stored on another desktop)
        stored = store.stored_key(p.name) is not None if profiles.has_keyring else None
        rows.append(
            {
                "name": p.name,
                "base_url": p.base_url,
                "url": _final_url(p),
                "default_model": p.default_model,
                "key_stored": stored,
                "key_env": p.key_env,
                "selected": p.name == store.selected,
            }
        )
    return rows


def _final_url(p: Provider) -> str:
    try:
        return p.final_url()
    except ConfigError as exc:
        return f"({exc.message})"


def _width(text: str) -> int:
    """Terminal columns: CJK (wide and fullwidth) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def run_providers(args: argparse.Namespace, profiles: Profiles, out: TextIO, err: TextIO) -> None:
    """``promptpad providers``: the saved profiles (or the templates); never a key."""
    if args.templates:
        rows = [
            {
                "name": t.name,
                "base_url": t.base_url,
                "default_model": t.default_model,
                "notes": t.notes,
            }
            for t in load_templates()
        ]
        header = ("NAME", "BASE URL", "DEFAULT MODEL")
        cells = [(r["name"], r["base_url"], r["default_model"] or "-") for r in rows]
    else:
        rows = _provider_rows(profiles)
        if not rows:
            err.write(
                "promptpad: no saved providers yet (add them in the window's provider manager; "
                "'promptpad providers --templates' lists the built-in templates)\n"
            )
        header = ("NAME", "BASE URL", "KEY")
        cells = [(r["name"], r["base_url"], _key_cell(r)) for r in rows]
        if rows and not profiles.has_keyring:
            err.write(
                "promptpad: this system has no keyring, so stored keys cannot be read here; "
                "use --api-key-env VAR\n"
            )
    if args.json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if cells:
        widths = [max(_width(c[i]) for c in [header, *cells]) for i in range(2)]
        for c in [header, *cells]:
            out.write(f"{_pad(c[0], widths[0])}  {_pad(c[1], widths[1])}  {c[2]}".rstrip() + "\n")


def _key_cell(row: dict[str, Any]) -> str:
    stored = row["key_stored"]
    text = "stored" if stored else "unknown" if stored is None else "none"
    if row["key_env"]:
        text += f" (env {row['key_env']})"
    return text
