"""Shared pieces of the provider tests: test KeyStores, fixtures, a file scanner."""

from __future__ import annotations

from pathlib import Path

from app.core.keystore import KeyStoreError, MemoryKeyStore
from app.core.providers import Provider

KEY = "sk-pp-test-0123456789abcdef"
PROXY_PASSWORD = "pr0xy-p@ss:w/rd"


class UnavailableKeyStore:
    """A KeyStore with no keyring behind it (headless Linux): refuses everything."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def get(self, name: str) -> str | None:
        self.calls.append(f"get {name}")
        raise KeyStoreError("no keyring")

    def set(self, name: str, key: str) -> None:
        self.calls.append(f"set {name}")
        raise KeyStoreError("no keyring")

    def delete(self, name: str) -> None:
        self.calls.append(f"delete {name}")
        raise KeyStoreError("no keyring")

    def available(self) -> bool:
        return False

    def describe(self) -> str:
        return "unavailable"


class LockedKeyStore(MemoryKeyStore):
    """Says it is available, then refuses to store (a locked keyring, a denied prompt)."""

    def set(self, name: str, key: str) -> None:
        raise KeyStoreError("the collection is locked")


def files_holding(root: Path, secret: str) -> list[Path]:
    """Every file under ``root`` whose bytes contain ``secret`` (UTF-8)."""
    needle = secret.encode("utf-8")
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def relay(name: str = "Relay", **kw: object) -> Provider:
    return Provider(name=name, base_url="https://relay.example/v1", **kw)  # type: ignore[arg-type]
