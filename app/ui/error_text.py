"""Our own error wording in the user's language: one rendering for every message the core writes.

The core (``app.core.transport``, ``client``, ``endpoint``, ``credentials``, ``providers``,
``errors``) words its errors in English, with values in them ("could not connect: [Errno 111]
Connection refused"); it has no Qt and no translator. This table knows each of those templates
and renders it through ``QCoreApplication.translate``; the values in it (an OS or httpx reason,
a URL, a path, a name) stay as they are. The server's own message is never in this table: it is
shown as sent. A message the table does not know is shown as the core wrote it;
tests/ui/test_messages_zh.py scans app/core for every message template, so a new one without a
line here fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.ui.problem_text import fill


def _phrase(text: str) -> str:
    """The small phrases the core puts into its templates (what cannot be used, and why)."""
    phrases = {
        "the API key": QCoreApplication.translate("error", "the API key"),
        "the base URL": QCoreApplication.translate("error", "the base URL"),
        "the proxy URL": QCoreApplication.translate("error", "the proxy URL"),
        "the completions URL": QCoreApplication.translate("error", "the completions URL"),
        "the port is out of range": QCoreApplication.translate("error", "the port is out of range"),
        "it is malformed": QCoreApplication.translate("error", "it is malformed"),
        "http(s)": "http(s)",
        "http(s) or socks5": QCoreApplication.translate("error", "http(s) or socks5"),
        "empty body": QCoreApplication.translate("error", "empty body"),
        "connecting": QCoreApplication.translate("error", "connecting"),
        "waiting for data": QCoreApplication.translate("error", "waiting for data"),
        "an invisible character": QCoreApplication.translate("error", "an invisible character"),
        "a character": QCoreApplication.translate("error", "a character"),
    }
    return phrases.get(text, text)


Render = Callable[[re.Match[str]], str]


def _table() -> list[tuple[str, Render]]:
    # Built per call: the translations follow the translator installed at the time. Every
    # call is spelled out: lupdate only collects literal QCoreApplication.translate calls.
    d = describe_message
    return [
        # transport: the connection
        (
            r"timed out while (.+)",
            lambda m: fill(
                QCoreApplication.translate("error", "timed out while %1"), _phrase(m[1])
            ),
        ),
        (
            r"no complete response head within (.+) s \(connect timeout \+ read timeout\)",
            lambda m: fill(
                QCoreApplication.translate(
                    "error",
                    "no complete response head within %1 s (connect timeout + read timeout)",
                ),
                m[1],
            ),
        ),
        (r"could not connect", lambda m: QCoreApplication.translate("error", "could not connect")),
        (
            r"could not connect: (.+)",
            lambda m: fill(QCoreApplication.translate("error", "could not connect: %1"), m[1]),
        ),
        (
            r"the connection broke off: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "the connection broke off: %1"), m[1]
            ),
        ),
        (
            r"the connection failed: (.*)",
            lambda m: fill(QCoreApplication.translate("error", "the connection failed: %1"), m[1]),
        ),
        (
            r"the proxy refused: (.*)",
            lambda m: fill(QCoreApplication.translate("error", "the proxy refused: %1"), m[1]),
        ),
        (
            r"the proxy refused the credentials: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "the proxy refused the credentials: %1"), m[1]
            ),
        ),
        (
            r"could not decode the reply: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "could not decode the reply: %1"), m[1]
            ),
        ),
        (
            r"cannot load CA bundle (.+): (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "cannot load the CA bundle %1: %2"), m[1], m[2]
            ),
        ),
        (
            r"unusable proxy (.+): (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "unusable proxy %1: %2"), m[1], m[2]
            ),
        ),
        (
            r"this HTTP client cannot apply per-call proxy or TLS settings",
            lambda m: QCoreApplication.translate(
                "error", "this HTTP client cannot apply per-call proxy or TLS settings"
            ),
        ),
        # the reply
        (
            r"the reply is not JSON: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "the reply is not JSON: %1"), _phrase(m[1])
            ),
        ),
        (
            r"the reply is not a JSON object",
            lambda m: QCoreApplication.translate("error", "the reply is not a JSON object"),
        ),
        (
            r"the server ended the stream without sending any event",
            lambda m: QCoreApplication.translate(
                "error", "the server ended the stream without sending any event"
            ),
        ),
        (
            r"the server reported an error",
            lambda m: QCoreApplication.translate("error", "the server reported an error"),
        ),
        (
            r"the models list has no 'data' array",
            lambda m: QCoreApplication.translate("error", "the models list has no 'data' array"),
        ),
        (
            r"the model object has no 'id'",
            lambda m: QCoreApplication.translate("error", "the model object has no 'id'"),
        ),
        (
            r"a line longer than (.+) bytes",
            lambda m: fill(
                QCoreApplication.translate("error", "a line longer than %1 bytes"), m[1]
            ),
        ),
        (
            r"an event larger than (.+) bytes",
            lambda m: fill(
                QCoreApplication.translate("error", "an event larger than %1 bytes"), m[1]
            ),
        ),
        (
            r"complete\(\) is for non-streamed requests; use stream\(\)",
            lambda m: QCoreApplication.translate(
                "error", "complete() is for non-streamed requests; use stream()"
            ),
        ),
        # the connection settings
        (
            r"the header name is empty",
            lambda m: QCoreApplication.translate("error", "the header name is empty"),
        ),
        (
            r"the base URL is empty",
            lambda m: QCoreApplication.translate("error", "the base URL is empty"),
        ),
        (
            r"(.+?) cannot be used, (.+?): (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "%1 cannot be used, %2: %3"),
                _phrase(m[1]),
                _phrase(m[2]),
                m[3],
            ),
        ),
        (
            r"not an (.+) URL: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "not an %1 URL: %2"), _phrase(m[1]), m[2]
            ),
        ),
        (
            r"(.+?) has no host: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "%1 has no host: %2"), _phrase(m[1]), m[2]
            ),
        ),
        (
            r"the completions URL must be a full URL: (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "the completions URL must be a full URL: %1"),
                m[1],
            ),
        ),
        (
            r"key header: (.*)",
            lambda m: fill(QCoreApplication.translate("error", "key header: %1"), d(m[1])),
        ),
        (
            r"header (.+?): the value contains (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "header %1: the value contains %2"),
                m[1],
                d(m[2]),
            ),
        ),
        (
            r"(.+) is not a valid header name \(letters, digits and (.+) only\)",
            lambda m: fill(
                QCoreApplication.translate(
                    "error", "%1 is not a valid header name (letters, digits and %2 only)"
                ),
                m[1],
                m[2],
            ),
        ),
        (
            r"(.+?) contains (.+); copy it again or retype it",
            lambda m: fill(
                QCoreApplication.translate("error", "%1 contains %2; copy it again or retype it"),
                _phrase(m[1]),
                d(m[2]),
            ),
        ),
        (
            r"a control character \((.+)\)",
            lambda m: fill(QCoreApplication.translate("error", "a control character (%1)"), m[1]),
        ),
        (
            r"(.+?) outside ASCII \((.*)\), which HTTP headers cannot carry",
            lambda m: fill(
                QCoreApplication.translate(
                    "error", "%1 outside ASCII (%2), which HTTP headers cannot carry"
                ),
                _phrase(m[1]),
                m[2],
            ),
        ),
        # provider profiles
        (
            r"a provider must be a JSON object",
            lambda m: QCoreApplication.translate("error", "a provider must be a JSON object"),
        ),
        (
            r"a provider needs a name",
            lambda m: QCoreApplication.translate("error", "a provider needs a name"),
        ),
        (
            r"provider (.+) has no base_url",
            lambda m: fill(
                QCoreApplication.translate("error", "provider %1 has no base URL"), m[1]
            ),
        ),
        (
            r"cannot read provider templates from (.+)",
            lambda m: fill(
                QCoreApplication.translate("error", "cannot read the provider templates from %1"),
                m[1],
            ),
        ),
        (
            r"cannot save the profiles to (.+?): (.*)",
            lambda m: fill(
                QCoreApplication.translate("error", "cannot save the profiles to %1: %2"),
                m[1],
                m[2],
            ),
        ),
        (
            r"there is already a provider called (.+)",
            lambda m: fill(
                QCoreApplication.translate("error", "there is already a provider called %1"), m[1]
            ),
        ),
        (
            r"no provider called (.+)",
            lambda m: fill(QCoreApplication.translate("error", "no provider called %1"), m[1]),
        ),
        (
            r"the system keyring refused to give the key: (.*)",
            lambda m: fill(
                QCoreApplication.translate(
                    "error", "the system keyring refused to give the key: %1"
                ),
                m[1],
            ),
        ),
        (
            r"(.+) holds no 'providers' list",
            lambda m: fill(
                QCoreApplication.translate("error", "%1 holds no 'providers' list"), m[1]
            ),
        ),
        (
            r"cannot read (.+?): (.*)",
            lambda m: fill(QCoreApplication.translate("error", "cannot read %1: %2"), m[1], m[2]),
        ),
    ]


def known(message: str) -> bool:
    """Does the table have a translation for this message?"""
    return any(re.fullmatch(pattern, message, re.S) for pattern, _ in _table())


def describe_message(message: str) -> str:
    """``message`` (the core's wording) in the user's language; as written when not known."""
    for pattern, render in _table():
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return render(m)
    return message
