"""API keys: a KeyStore protocol with an OS-keyring implementation and an in-memory one.

Keys live in the operating system's keychain (service "Promptpad", one entry per provider) and
nowhere else: never in config files, history, exported code or logs. Where no keyring backend
exists (headless Linux), ``KeyringKeyStore.available()`` says so and the app offers a key for this
session only, held by a MemoryKeyStore - never a silent plain-text fallback.
"""

from __future__ import annotations

from typing import Protocol

SERVICE = "Promptpad"


class KeyStoreError(Exception):
    """The keyring could not be used (no backend, locked, refused)."""


class KeyStore(Protocol):
    def get(self, name: str) -> str | None: ...
    def set(self, name: str, key: str) -> None: ...
    def delete(self, name: str) -> None: ...
    def available(self) -> bool: ...
    def describe(self) -> str: ...


class MemoryKeyStore:
    """Keys for this session only: held in memory, gone when the app exits."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._keys.get(name)

    def set(self, name: str, key: str) -> None:
        self._keys[name] = key

    def delete(self, name: str) -> None:
        self._keys.pop(name, None)

    def available(self) -> bool:
        return True

    def describe(self) -> str:
        return "memory (this session only)"


class KeyringKeyStore:
    """The OS keyring through the ``keyring`` package."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def _backend(self):  # type: ignore[no-untyped-def]
        import keyring

        return keyring.get_keyring()

    def available(self) -> bool:
        try:
            backend = self._backend()
        except Exception:
            return False
        from keyring.backends import fail, null

        return not isinstance(backend, fail.Keyring | null.Keyring) and backend.priority > 0

    def describe(self) -> str:
        try:
            backend = self._backend()
        except Exception as exc:
            return f"unavailable ({exc})"
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def get(self, name: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            value: str | None = keyring.get_password(self.service, name)
        except KeyringError as exc:
            raise KeyStoreError(str(exc)) from exc
        return value

    def set(self, name: str, key: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        if not self.available():
            raise KeyStoreError("no system keyring is available on this machine")
        try:
            keyring.set_password(self.service, name, key)
        except KeyringError as exc:
            raise KeyStoreError(str(exc)) from exc

    def delete(self, name: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(self.service, name)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise KeyStoreError(str(exc)) from exc
