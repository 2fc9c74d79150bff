"""The texts the window shows for a run's end: the status line and the error bar's message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.errors import CompletionError
from app.ui.error_text import describe_message

if TYPE_CHECKING:
    from app.core.client import RunDone


def format_status(done: RunDone) -> str:
    m = done.metrics

    def ms(v: float | None) -> str:
        return "–" if v is None else (f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s")

    parts = [
        QCoreApplication.translate("MainWindow", "first token %1").replace("%1", ms(m.ttft)),
        QCoreApplication.translate("MainWindow", "total %1").replace("%1", ms(m.total)),
    ]
    # Always said, "–" without a streamed interval to measure it over (RunMetrics).
    tps = m.tokens_per_second
    parts.append(
        QCoreApplication.translate("MainWindow", "%1 tok/s").replace(
            "%1", "–" if tps is None else f"{tps:.1f}"
        )
    )
    reasons = sorted(set(done.finish_reasons.values()))
    parts.append(
        QCoreApplication.translate("MainWindow", "finish: %1").replace(
            "%1", ", ".join(reasons) or "–"
        )
    )
    if done.skipped:
        parts.append(skipped_note(done.skipped))
    u = done.usage
    if u is not None:
        parts.append(
            QCoreApplication.translate("MainWindow", "tokens: %1 prompt / %2 completion / %3 total")
            .replace("%1", _n(u.prompt_tokens))
            .replace("%2", _n(u.completion_tokens))
            .replace("%3", _n(u.total_tokens))
        )
    return " · ".join(parts)


def _n(v: int | None) -> str:
    return "–" if v is None else str(v)


def describe_error(error: CompletionError) -> str:
    """One line for the error bar: a translated title, then what happened, said once (the
    server's own message and status as sent, our own wording translated)."""
    titles = {
        "authentication": QCoreApplication.translate("MainWindow", "Authentication failed"),
        "rate_limit": QCoreApplication.translate("MainWindow", "Rate limited"),
        "bad_request": QCoreApplication.translate("MainWindow", "The server refused the request"),
        "not_found": QCoreApplication.translate("MainWindow", "Not found"),
        "server": QCoreApplication.translate("MainWindow", "Server error"),
        "network": QCoreApplication.translate("MainWindow", "Network error"),
        "timeout": QCoreApplication.translate("MainWindow", "Timed out"),
        "protocol": QCoreApplication.translate("MainWindow", "Unexpected reply"),
        "config": QCoreApplication.translate("MainWindow", "Connection settings"),
    }
    title = titles.get(error.kind, QCoreApplication.translate("MainWindow", "Error"))
    text = f"{title} — {error_detail(error)}"
    if error.partial or error.received:
        text += " " + QCoreApplication.translate("MainWindow", "(the text received so far is kept)")
    if error.skipped:
        text += " · " + skipped_note(error.skipped)
    return text


def error_detail(error: CompletionError) -> str:
    """What went wrong without a title: "HTTP 429: <the server's words> (retry after 2 s)", or
    our own wording in the user's language. (``error.describe()`` is the core's English form,
    kept for the CLI and the history; its kind word ("Network: …") doubled a translated title.)
    """
    detail = describe_message(error.message)
    if error.status is not None:
        detail = f"HTTP {error.status}: {detail}"
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        detail += " " + QCoreApplication.translate("MainWindow", "(retry after %1 s)").replace(
            "%1", f"{retry_after:g}"
        )
    return detail


def skipped_note(count: int) -> str:
    """Said whenever the server sent chunks that could not be used: their text is not shown."""
    return QCoreApplication.translate(
        "MainWindow", "unreadable chunks skipped: %1 (some text was lost)"
    ).replace("%1", str(count))


def no_key_sent(provider: str) -> str:
    """Added to a 401 when the request carried no key: the reason, and where a key goes."""
    if provider:
        return QCoreApplication.translate(
            "MainWindow",
            "No API key was sent: none is stored for %1 (without a system keyring, keys last "
            "one session). Type it in the key field, or under Providers….",
        ).replace("%1", provider)
    return QCoreApplication.translate(
        "MainWindow", "No API key was sent: type one in the key field."
    )
