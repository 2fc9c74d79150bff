"""Test doubles of the system keyring: ``keyring`` backends that the app never ships or uses.

``MemoryKeyring`` holds passwords in this process only (set it with ``keyring.set_keyring``).

``FileKeyring`` exists because a CLI subprocess cannot see the memory of the test that started
it: it keeps its passwords in the JSON file named by ``$PROMPTPAD_TEST_KEYRING`` and is selected
in the subprocess with ``PYTHON_KEYRING_BACKEND=tests.core.fake_keyring.FileKeyring``. That file
plays the OS keychain, so it is the one place a key may be: tests keep it outside
``PROMPTPAD_HOME`` and check that no file under ``PROMPTPAD_HOME`` holds the key. The real
Secret Service is tested in tests/keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "PROMPTPAD_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict of this process: gone with it, never on disk."""

    priority = 1  # a working backend (> 0), below any real one

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no password for {username!r}")


class FileKeyring(KeyringBackend):
    """Passwords in the JSON file ``$PROMPTPAD_TEST_KEYRING`` (or ``path``), for subprocesses."""

    priority = 1

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__()
        where = path or os.environ.get(FILE_ENV)
        if not where:
            raise RuntimeError(f"FileKeyring needs ${FILE_ENV} (a JSON file outside the app home)")
        self.path = Path(where)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        self.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.get(service, {}).pop(username, None) is None:
            raise PasswordDeleteError(f"no password for {username!r}")
        self._save(data)


# keyring registers every KeyringBackend subclass for auto-detection as soon as it is defined;
# these doubles must only ever be chosen explicitly (set_keyring / PYTHON_KEYRING_BACKEND), never
# picked up by a test that exercises real detection after this module was imported.
for _double in (MemoryKeyring, FileKeyring):
    KeyringBackend._classes.discard(_double)
