"""ProviderStore: the profiles in ``providers.json``, and their secrets in the KeyStore.

An API key and a proxy password live in the KeyStore (service "Promptpad", entry = the profile's
name, and "<name> (proxy)"), or in memory for this session when there is no keyring. The file is
read defensively and saved by a three-way merge with what is on disk now. Export writes profiles
without any secret; import reads them back. The profile itself is ``providers.Provider``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from app.core.endpoint import Endpoint
from app.core.errors import ConfigError
from app.core.keystore import KeyStore, KeyStoreError
from app.core.providers import Provider, is_secret_header
from app.core.storage import JsonFile, Unreadable, atomic_write_json, parse_json

PROXY_SUFFIX = " (proxy)"
log = logging.getLogger("promptpad.providers")


def _expect_providers(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("providers", []), list):
        return "its 'providers' is not a list"
    return None


def _parse_profiles(data: dict[str, Any], where: str) -> tuple[list[Provider], str, int]:
    """The usable profiles in a providers.json, its selected name, how many were left out."""
    out: list[Provider] = []
    skipped = 0
    for item in data.get("providers", []):
        try:
            p = Provider.from_json(item)
        except ConfigError as exc:
            log.warning("%s: a profile was left out: %s", where, exc.message)
            skipped += 1
            continue
        if any(q.name == p.name for q in out):
            log.warning("%s: a second profile called %r was left out", where, p.name)
            skipped += 1
            continue
        out.append(p)
    selected = data.get("selected", "")
    return out, selected if isinstance(selected, str) else "", skipped


class ProviderStore:
    """Profiles in ``providers.json`` and their secrets in a KeyStore.

    A key may also be held for this session only (``session_key``): used when the system has no
    keyring, and never written anywhere.

    The file is read with JsonFile: an unreadable one is moved aside (``unreadable`` says where)
    and never replaced by an empty list; profiles that cannot be used are left out, and a copy
    of the file as it was is kept first. Saving merges with the file as it is on disk now, so
    that ``promptpad providers add`` while a window is open is not undone by the window's next
    save: a profile this store did not change since it read the file is taken from disk.
    """

    def __init__(self, home: Path, keys: KeyStore) -> None:
        self.path = home / "providers.json"
        self.keys = keys
        self._session: dict[str, str] = {}
        self._file = JsonFile(self.path, _expect_providers)
        self.providers: list[Provider] = []
        self.selected = ""
        # What the file held when last read or written, the base of the three-way merge.
        self._base: dict[str, dict[str, Any]] = {}
        self._base_selected = ""
        data = self._file.load()
        if data is not None:
            profiles, selected, skipped = _parse_profiles(data, str(self.path))
            if skipped:
                self._file.keep_copy(f"{skipped} profile(s) could not be read and were left out")
            self.providers = profiles
            self.selected = selected
            self._base = {p.name: p.to_json() for p in profiles}
            self._base_selected = selected

    @property
    def unreadable(self) -> Unreadable | None:
        """providers.json could not be (fully) read at start: why and where it went."""
        return self._file.unreadable

    # persistence --------------------------------------------------------------------------

    def save(self) -> None:
        """Write the profiles, merged with the file's current content; ConfigError on failure
        (read-only or full disk, or a file that could not be read and must not be replaced)."""
        self._merge_from_disk()
        data = {
            "version": 1,
            "selected": self.selected,
            "providers": [p.to_json() for p in self.providers],
        }
        try:
            self._file.save(data)
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise ConfigError(f"cannot save the profiles to {self.path}: {why}") from exc
        self._base = {p.name: p.to_json() for p in self.providers}
        self._base_selected = self.selected

    def _merge_from_disk(self) -> None:
        """Three-way merge: base (last read/written), theirs (the file now), ours (memory)."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return  # missing or unreadable now: ours is all there is
        try:
            data = parse_json(raw)
        except ValueError:
            return  # torn or corrupt: JsonFile.save refuses or replaces it atomically
        if _expect_providers(data) is not None:
            return
        profiles, their_selected, _ = _parse_profiles(data, str(self.path))
        theirs = {p.name: p.to_json() for p in profiles}
        if theirs == self._base and their_selected == self._base_selected:
            return
        base = self._base
        ours = {p.name: p.to_json() for p in self.providers}
        merged: dict[str, dict[str, Any]] = {}
        for name, their in theirs.items():
            if name in ours:
                merged[name] = ours[name] if ours[name] != base.get(name) else their
            elif name not in base or their != base[name]:
                merged[name] = their  # added there, or changed there while deleted here
        for name, our in ours.items():
            if name not in theirs and (name not in base or our != base[name]):
                merged[name] = our  # added here, or changed here while deleted there
        if self.selected == self._base_selected:
            self.selected = their_selected
        self.providers = [Provider.from_json(item) for item in merged.values()]

    def names(self) -> list[str]:
        return [p.name for p in self.providers]

    def get(self, name: str) -> Provider | None:
        for p in self.providers:
            if p.name == name:
                return p
        return None

    def unique_name(self, base: str) -> str:
        names = set(self.names())
        if base not in names:
            return base
        n = 2
        while f"{base} ({n})" in names:
            n += 1
        return f"{base} ({n})"

    # editing ------------------------------------------------------------------------------

    def add(self, provider: Provider) -> Provider:
        provider.name = self.unique_name(provider.name.strip() or "Provider")
        self.providers.append(provider)
        self.save()
        return provider

    def update(self, old_name: str, provider: Provider) -> None:
        """Replace the profile called ``old_name``; a rename moves its secrets along."""
        index = self.names().index(old_name)
        new_name = provider.name.strip()
        if not new_name:
            raise ConfigError("a provider needs a name")
        if new_name != old_name and new_name in self.names():
            raise ConfigError(f"there is already a provider called {new_name!r}")
        provider.name = new_name
        if new_name != old_name:
            for suffix in ("", PROXY_SUFFIX):
                secret = self._get_secret(old_name + suffix)
                if secret:
                    self._set_secret(new_name + suffix, secret)
                    self._delete_secret(old_name + suffix)
            if self.selected == old_name:
                self.selected = new_name
        self.providers[index] = provider
        self.save()

    def duplicate(self, name: str) -> Provider:
        src = self.get(name)
        if src is None:
            raise ConfigError(f"no provider called {name!r}")
        copy = Provider.from_json(src.to_json())
        copy.name = self.unique_name(f"{name} copy")
        self.providers.append(copy)
        for suffix in ("", PROXY_SUFFIX):
            secret = self._get_secret(name + suffix)
            if secret:
                self._set_secret(copy.name + suffix, secret)
        self.save()
        return copy

    def delete(self, name: str) -> None:
        self.providers = [p for p in self.providers if p.name != name]
        for suffix in ("", PROXY_SUFFIX):
            self._delete_secret(name + suffix)
        if self.selected == name:
            self.selected = ""
        self.save()

    def set_models(self, name: str, models: list[str]) -> None:
        p = self.get(name)
        if p is not None:
            p.models = list(models)
            p.models_at = time.time()
            try:
                self.save()
            except ConfigError as exc:  # a cache: the list is still shown, only not kept
                log.warning("%s", exc.message)

    # secrets ------------------------------------------------------------------------------

    @property
    def keyring_available(self) -> bool:
        return self.keys.available()

    def set_key(self, name: str, key: str) -> str:
        """Store a key; returns where it went: "keyring" or "session" (no keyring here)."""
        return self._set_secret(name, key)

    def set_proxy_password(self, name: str, password: str) -> str:
        return self._set_secret(name + PROXY_SUFFIX, password)

    def stored_key(self, name: str, strict: bool = False) -> str | None:
        """The key in the keyring or this session (not the environment variable).

        ``strict``: a keyring that refuses to answer raises ConfigError instead of looking like
        "no key". An editor must read strictly: a field shown empty because of a refusal would
        delete the stored key on Save.
        """
        return self._get_secret(name, strict=strict)

    def proxy_password(self, name: str, strict: bool = False) -> str | None:
        return self._get_secret(name + PROXY_SUFFIX, strict=strict)

    def key_kept_for_session(self, name: str) -> bool:
        """The key is held in memory for this session only (no keyring took it)."""
        return name in self._session

    def delete_key(self, name: str) -> None:
        self._delete_secret(name)

    def resolve_key(self, provider: Provider, env: dict[str, str] | None = None) -> str | None:
        """The key to send: the profile's environment variable if named and set, else stored."""
        environ = os.environ if env is None else env
        if provider.key_env:
            value = environ.get(provider.key_env)
            if value:
                return value
        return self._get_secret(provider.name, strict=True)

    def endpoint(self, name: str, env: dict[str, str] | None = None) -> Endpoint:
        p = self.get(name)
        if p is None:
            raise ConfigError(f"no provider called {name!r}")
        return p.endpoint(
            self.resolve_key(p, env), self._get_secret(name + PROXY_SUFFIX, strict=True)
        )

    def _set_secret(self, entry: str, secret: str) -> str:
        if not secret:
            self._delete_secret(entry)
            return "none"
        if self.keys.available():
            try:
                self.keys.set(entry, secret)
                self._session.pop(entry, None)
                return "keyring"
            except KeyStoreError:
                pass
        self._session[entry] = secret  # memory only; the UI says so
        return "session"

    def _get_secret(self, entry: str, strict: bool = False) -> str | None:
        """The secret, or None. ``strict``: a keyring that refuses (locked, denied) raises
        ConfigError instead of looking like "no key" — a run must not silently go out keyless."""
        if entry in self._session:
            return self._session[entry]
        if not self.keys.available():
            return None
        try:
            return self.keys.get(entry)
        except KeyStoreError as exc:
            if strict:
                raise ConfigError(f"the system keyring refused to give the key: {exc}") from exc
            return None

    def _delete_secret(self, entry: str) -> None:
        self._session.pop(entry, None)
        if self.keys.available():
            try:
                self.keys.delete(entry)
            except KeyStoreError:
                pass

    # export / import ------------------------------------------------------------------------

    def export(self, path: Path, names: list[str] | None = None) -> int:
        """Write profiles (never keys or proxy passwords) to ``path``; returns how many.

        Custom headers that carry credentials (``is_secret_header``) are left out too: an
        export file is meant to be shared.
        """
        chosen = [p for p in self.providers if names is None or p.name in names]
        items = []
        for p in chosen:
            d = p.to_json()
            d.pop("models", None)
            d.pop("models_at", None)
            d["headers"] = {k: v for k, v in p.headers.items() if not is_secret_header(k)}
            items.append(d)
        atomic_write_json(path, {"promptpad_providers": 1, "providers": items})
        return len(items)

    def import_file(self, path: Path) -> list[str]:
        """Add the profiles in an export file (renaming on clashes); returns the new names."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
        items = data.get("providers") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ConfigError(f"{path} holds no 'providers' list")
        parsed = []
        for item in items:  # all or nothing: every entry is checked before any is added
            if isinstance(item, dict):
                # Whatever another tool put there, secrets never come in through a file.
                item = {k: v for k, v in item.items() if "key" not in k.lower() or k == "key_env"}
            p = Provider.from_json(item)
            p.headers = {k: v for k, v in p.headers.items() if not is_secret_header(k)}
            p.models, p.models_at = [], 0.0
            parsed.append(p)
        return [self.add(p).name for p in parsed]
