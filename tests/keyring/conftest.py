"""The keyring tests: the app's KeyringKeyStore against a real Secret Service (gnome-keyring).

scripts/test.sh runs them in a private D-Bus session with a throwaway, unlocked keyring:
``dbus-run-session -- bash scripts/with-keyring.sh .venv/bin/python -m pytest -m keyring``.
Without a usable Secret Service they fail rather than skip: CI installs one, so its absence is a
broken set-up, not a reason to test less.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from app.core.keystore import KeyringKeyStore
from promptpad_testing.server import TestServer

RUN_HINT = (
    "run them the way scripts/test.sh does: "
    "dbus-run-session -- bash scripts/with-keyring.sh .venv/bin/python -m pytest -m keyring"
)


def _secret_service_problem() -> str | None:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return f"PYTHON_KEYRING_BACKEND={os.environ['PYTHON_KEYRING_BACKEND']} hides the keyring"
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)"
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    if not isinstance(backend, SecretService.Keyring):
        return f"python-keyring chose {backend!r}, not the Secret Service"
    store = KeyringKeyStore()
    if not store.available():
        return f"KeyringKeyStore is unavailable: {store.describe()}"
    probe, value = f"probe {uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        store.set(probe, value)
        ok = store.get(probe) == value
        store.delete(probe)
    except Exception as exc:  # any failure here is the same finding: no usable keyring
        return f"the Secret Service refused a probe: {type(exc).__name__}: {exc}"
    return None if ok else "a probe secret did not read back"


@pytest.fixture(scope="session", autouse=True)
def secret_service() -> None:
    problem = _secret_service_problem()
    if problem:
        pytest.fail(f"no usable Secret Service: {problem}; {RUN_HINT}", pytrace=False)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv
