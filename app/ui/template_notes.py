"""The built-in provider templates' notes in the user's language.

resources/providers.json is data shared with the CLI and the first-run helper, so its notes stay
in English there; this table renders each one through ``QCoreApplication.translate`` when a
profile is made from a template (from then on the notes are the user's own text). A note the
table does not know is kept as written; tests/ui/test_messages_zh.py checks that every
template's note is here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _table() -> dict[str, str]:
    # Spelled out: lupdate only collects literal QCoreApplication.translate calls.
    return {
        "OpenAI's own API. Keys: https://platform.openai.com/api-keys": (
            QCoreApplication.translate(
                "template", "OpenAI's own API. Keys: https://platform.openai.com/api-keys"
            )
        ),
        "Relay service (中转站). Full /v1/completions parameter list; responses carry "
        "system_fingerprint.": QCoreApplication.translate(
            "template",
            "Relay service (中转站). Full /v1/completions parameter list; responses carry "
            "system_fingerprint.",
        ),
        "Relay service (中转站). Its example request sends no Authorization header.": (
            QCoreApplication.translate(
                "template",
                "Relay service (中转站). Its example request sends no Authorization header.",
            )
        ),
        "Relay service (中转站). Documents the older parameter list and GET /v1/models/{id}.": (
            QCoreApplication.translate(
                "template",
                "Relay service (中转站). Documents the older parameter list and "
                "GET /v1/models/{id}.",
            )
        ),
        "Relay service (中转站).": QCoreApplication.translate(
            "template", "Relay service (中转站)."
        ),
        "llama.cpp's llama-server or llama-cpp-python's server. Any model name is accepted.": (
            QCoreApplication.translate(
                "template",
                "llama.cpp's llama-server or llama-cpp-python's server. Any model name is "
                "accepted.",
            )
        ),
        "Ollama's OpenAI-compatible endpoint. No key needed.": QCoreApplication.translate(
            "template", "Ollama's OpenAI-compatible endpoint. No key needed."
        ),
        "vLLM's OpenAI-compatible server (vllm serve MODEL).": QCoreApplication.translate(
            "template", "vLLM's OpenAI-compatible server (vllm serve MODEL)."
        ),
        "LM Studio's local server. No key needed.": QCoreApplication.translate(
            "template", "LM Studio's local server. No key needed."
        ),
    }


def known(note: str) -> bool:
    return note in _table()


def template_note(note: str) -> str:
    """A template's note in the user's language (as written when the table lacks it)."""
    return _table().get(note, note)
