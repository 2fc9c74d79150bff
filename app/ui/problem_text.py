"""Validation problems in the user's language: one rendering for every reason the core gives.

The core (``app.core.params``, ``app.core.draft``) states its reasons in English, with values
in them ("must be between 0 and 2 (got 5)"); it has no Qt and no translator. This table knows
each reason's template and renders it through ``QCoreApplication.translate``, so the panel's
tooltips, the Run button's tooltip and the "cannot run" message all say the same, translated
thing. A reason the table does not know is shown as the core wrote it (tests/ui/test_params_*
fails when the core grows a reason this table lacks).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.core.params import Problem


def fill(template: str, *args: str) -> str:
    """``template`` with %1, %2, … replaced by ``args`` (a translation's own word order)."""
    for i, arg in enumerate(args, 1):
        template = template.replace(f"%{i}", arg)
    return template


def _table() -> list[tuple[str, Callable[[re.Match[str]], str]]]:
    # Built per call: the translations follow the translator installed at the time. Every
    # call is spelled out: lupdate only collects literal QCoreApplication.translate calls.
    return [
        (
            "a model name is required",
            lambda m: QCoreApplication.translate("problem", "a model name is required"),
        ),
        (
            "must be text, a list of texts, a list of token ids, or a list of token-id lists",
            lambda m: QCoreApplication.translate(
                "problem",
                "must be text, a list of texts, a list of token ids, or a list of token-id lists",
            ),
        ),
        ("must be text", lambda m: QCoreApplication.translate("problem", "must be text")),
        (
            "must be true or false",
            lambda m: QCoreApplication.translate("problem", "must be true or false"),
        ),
        (
            "must be a whole number",
            lambda m: QCoreApplication.translate("problem", "must be a whole number"),
        ),
        (
            "must be a finite number",
            lambda m: QCoreApplication.translate("problem", "must be a finite number"),
        ),
        ("must be a number", lambda m: QCoreApplication.translate("problem", "must be a number")),
        (
            r"must be at least n \((.+)\)",
            lambda m: fill(QCoreApplication.translate("problem", "must be at least n (%1)"), m[1]),
        ),
        (
            r"must be at least (\S+) \(got (.+)\)",
            lambda m: fill(
                QCoreApplication.translate("problem", "must be at least %1 (got %2)"), m[1], m[2]
            ),
        ),
        (
            r"must be between (\S+) and (\S+) \(got (.+)\)",
            lambda m: fill(
                QCoreApplication.translate("problem", "must be between %1 and %2 (got %3)"),
                m[1],
                m[2],
                m[3],
            ),
        ),
        (
            r"0 is only meaningful with echo \(to score the prompt\)",
            lambda m: QCoreApplication.translate(
                "problem", "0 is only meaningful with echo (to score the prompt)"
            ),
        ),
        (
            "cannot be used with stream; turn streaming off",
            lambda m: QCoreApplication.translate(
                "problem", "cannot be used with stream; turn streaming off"
            ),
        ),
        (
            "must be a JSON object mapping token ids to numbers",
            lambda m: QCoreApplication.translate(
                "problem", "must be a JSON object mapping token ids to numbers"
            ),
        ),
        (
            r"must be a JSON object \{ … \}",
            lambda m: QCoreApplication.translate("problem", "must be a JSON object { … }"),
        ),
        (
            "must be a JSON object",
            lambda m: QCoreApplication.translate("problem", "must be a JSON object"),
        ),
        (
            "must be a text or a list of texts",
            lambda m: QCoreApplication.translate("problem", "must be a text or a list of texts"),
        ),
        (
            r"'(.*)' has its own field; set it there",
            lambda m: fill(
                QCoreApplication.translate("problem", "'%1' has its own field; set it there"), m[1]
            ),
        ),
        (
            r"at most (\d+) sequences \(got (\d+)\)",
            lambda m: fill(
                QCoreApplication.translate("problem", "at most %1 sequences (got %2)"), m[1], m[2]
            ),
        ),
        (
            "a stop sequence cannot be empty",
            lambda m: QCoreApplication.translate("problem", "a stop sequence cannot be empty"),
        ),
        (
            r"a key must be a token id \(a whole number ≥ 0\)",
            lambda m: QCoreApplication.translate(
                "problem", "a key must be a token id (a whole number ≥ 0)"
            ),
        ),
        (
            "the bias must be a number",
            lambda m: QCoreApplication.translate("problem", "the bias must be a number"),
        ),
        (
            r"the bias must be between -100 and 100 \(got (.+)\)",
            lambda m: fill(
                QCoreApplication.translate(
                    "problem", "the bias must be between -100 and 100 (got %1)"
                ),
                m[1],
            ),
        ),
        (
            r"not valid JSON: (.+) at line (\d+) col (\d+)",
            lambda m: fill(
                QCoreApplication.translate("problem", "not valid JSON: %1 at line %2, column %3"),
                m[1],
                m[2],
                m[3],
            ),
        ),
    ]


def known(reason: str) -> bool:
    """Does the table have a translation for this reason?"""
    return any(re.fullmatch(pattern, reason) for pattern, _ in _table())


def describe_reason(reason: str) -> str:
    """``reason`` in the user's language (as written when the table does not know it)."""
    for pattern, render in _table():
        m = re.fullmatch(pattern, reason)
        if m:
            return render(m)
    return reason


def field_label(field: str) -> str:
    """The name a user sees for a request field (dotted parts, e.g. a logit_bias key, kept)."""
    root, _, rest = field.partition(".")
    # The panel's own labels (context ParamPanel): one translation, the words the user sees.
    labels = {
        "model": QCoreApplication.translate("ParamPanel", "Model"),
        "prompt": QCoreApplication.translate("problem", "Prompt"),
        "temperature": QCoreApplication.translate("ParamPanel", "Temperature"),
        "top_p": QCoreApplication.translate("ParamPanel", "Top P"),
        "frequency_penalty": QCoreApplication.translate("ParamPanel", "Frequency penalty"),
        "presence_penalty": QCoreApplication.translate("ParamPanel", "Presence penalty"),
        "max_tokens": QCoreApplication.translate("ParamPanel", "Maximum length"),
        "stream": QCoreApplication.translate("ParamPanel", "Stream"),
        "n": QCoreApplication.translate("ParamPanel", "Completions (n)"),
        "best_of": QCoreApplication.translate("ParamPanel", "Best of"),
        "logprobs": QCoreApplication.translate("ParamPanel", "Logprobs"),
        "echo": QCoreApplication.translate("ParamPanel", "Echo"),
        "seed": QCoreApplication.translate("ParamPanel", "Seed"),
        "stop": QCoreApplication.translate("ParamPanel", "Stop sequences"),
        "suffix": QCoreApplication.translate("ParamPanel", "Suffix"),
        "user": QCoreApplication.translate("ParamPanel", "User"),
        "logit_bias": QCoreApplication.translate("ParamPanel", "Logit bias"),
        "extra": QCoreApplication.translate("ParamPanel", "Extra JSON"),
        "base_url": QCoreApplication.translate("problem", "Base URL"),
        "network": QCoreApplication.translate("problem", "Network"),
    }
    label = labels.get(root, root)
    return f"{label} ({rest})" if rest else label


def describe(problem: Problem) -> str:
    """One problem as the user reads it: the field's label, then the reason, translated."""
    return fill(
        QCoreApplication.translate("problem", "%1: %2"),
        field_label(problem.field),
        describe_reason(problem.reason),
    )
