"""A run as a value: what was asked, in which mode, what came back, how it ended.

One ``Run`` is made when the user presses Run (or Continue, Regenerate, a compare column's run,
a CLI completion) and folds the client's events into itself: the text and logprobs of every
choice, the finish reasons, usage, the metrics, and the outcome — done, stopped or failed, with
the partial text kept either way. ``to_record`` is its one path into the history, so the window,
the CLI and the compare view record runs the same way.

``RunUndo`` is the undo/redo of runs: the editor's content before each run, bounded by the size
of what it keeps rather than by a count.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from app.core.events import (
    Completion,
    Event,
    Finished,
    RunDone,
    RunMetrics,
    TextDelta,
    TokenLogprob,
    Usage,
    UsageReport,
)
from app.core.history import RunRecord
from app.core.params import CompletionRequest


class RunMode(enum.Enum):
    """Why a run was started; it decides where its text goes in the editor."""

    NEW = "new"  # the prompt as it is; the output is appended
    CONTINUE = "continue"  # everything so far (prompt + output) is the prompt
    INSERT = "insert"  # the text before [insert] is the prompt, after it the suffix
    REGENERATE = "regenerate"  # the last output is replaced by a new one


class Outcome(enum.Enum):
    RUNNING = "running"
    DONE = "finished"  # the history's word for it, kept for the rows already written
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass
class ChoiceText:
    """One choice's text, kept as the pieces that arrived (joined on demand)."""

    pieces: list[str] = field(default_factory=list)
    logprobs: list[TokenLogprob] = field(default_factory=list)
    finish_reason: str | None = None

    @property
    def text(self) -> str:
        if len(self.pieces) > 1:  # join once, keep one piece: reading it again costs nothing
            self.pieces[:] = ["".join(self.pieces)]
        return self.pieces[0] if self.pieces else ""


@dataclass
class Run:
    """One run: its request and mode, and everything that came back."""

    request: CompletionRequest
    mode: RunMode = RunMode.NEW
    provider: str = ""
    url: str = ""  # shown and recorded: never with credentials (see credentials redaction)
    started: float = field(default_factory=time.time)
    choices: dict[int, ChoiceText] = field(default_factory=dict)
    usage: Usage | None = None
    metrics: RunMetrics | None = None
    model: str | None = None
    outcome: Outcome = Outcome.RUNNING
    error: str = ""
    status: int | None = None
    inserted: bool = False  # the output went at an [insert] marker (the suffix is the rest)

    # -- folding events -------------------------------------------------------------------------

    def feed(self, events: Iterable[Event]) -> None:
        """Fold a batch of the client's events into the run."""
        for event in events:
            if isinstance(event, TextDelta):
                choice = self._choice(event.index)
                choice.pieces.append(event.text)
                if event.logprobs:
                    choice.logprobs.extend(event.logprobs)
            elif isinstance(event, Finished):
                self._choice(event.index).finish_reason = event.reason
            elif isinstance(event, UsageReport):
                self.usage = event.usage
            elif isinstance(event, RunDone):
                self.metrics = event.metrics
                self.usage = event.usage or self.usage
                self.model = event.model or self.model
                for index, reason in event.finish_reasons.items():
                    self._choice(index).finish_reason = reason
                self.outcome = Outcome.DONE

    def add_text(self, index: int, text: str) -> None:
        """Text of one choice as the window shows it (coalesced per frame)."""
        self._choice(index).pieces.append(text)

    def add_logprobs(self, index: int, tokens: Iterable[TokenLogprob]) -> None:
        self._choice(index).logprobs.extend(tokens)

    def finish_with(self, result: Completion) -> None:
        """A whole (non-streamed) reply: its choices, usage and metrics, outcome done."""
        for choice in result.choices:
            c = self._choice(choice.index)
            c.pieces.append(choice.text)
            c.finish_reason = choice.finish_reason
        self.usage, self.metrics, self.model = result.usage, result.metrics, result.model
        self.outcome = Outcome.DONE

    def stop(self) -> None:
        """The user stopped it (or closed the window): what arrived is kept."""
        if self.outcome is Outcome.RUNNING:
            self.outcome = Outcome.STOPPED

    def fail(self, message: str, status: int | None = None) -> None:
        """It ended with an error (the message is the one shown: never a secret)."""
        if self.outcome is Outcome.RUNNING:
            self.outcome = Outcome.FAILED
            self.error = message
            self.status = status

    # -- reading ----------------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.outcome is not Outcome.RUNNING

    def text(self, index: int = 0) -> str:
        choice = self.choices.get(index)
        return choice.text if choice else ""

    def texts(self) -> dict[int, str]:
        return {i: c.text for i, c in sorted(self.choices.items())}

    def finish_reasons(self) -> dict[int, str]:
        return {i: c.finish_reason for i, c in self.choices.items() if c.finish_reason}

    def to_record(self) -> RunRecord:
        """The history row for this run (the request body as sent, never a header)."""
        metrics: dict[str, Any] = {"mode": self.mode.value}
        if self.inserted:
            metrics["inserted"] = True  # the output went at an [insert] marker
        m = self.metrics
        if m is not None:
            metrics.update(
                ttft=m.ttft,
                total=m.total,
                completion_tokens=m.completion_tokens,
                tokens_per_second=m.tokens_per_second,
            )
        if self.usage is not None:
            metrics["usage"] = {
                "prompt_tokens": self.usage.prompt_tokens,
                "completion_tokens": self.usage.completion_tokens,
                "total_tokens": self.usage.total_tokens,
            }
        return RunRecord(
            request=self.request.to_body(),
            outputs=self.texts(),
            outcome=self.outcome.value,
            provider=self.provider,
            url=self.url,
            finish=self.finish_reasons(),
            error=self.error,
            metrics=metrics,
            created=self.started,
        )

    def _choice(self, index: int) -> ChoiceText:
        choice = self.choices.get(index)
        if choice is None:
            choice = self.choices[index] = ChoiceText()
        return choice


class Sized(Protocol):
    def size(self) -> int: ...


S = TypeVar("S", bound=Sized)


class RunUndo(Generic[S]):
    """Undo and redo of runs: snapshots of what the editor held before each run.

    Bounded by the total size of the snapshots (``budget``, in characters), not by a count: a
    hundred small prompts cost less than two long documents. The oldest snapshots go first;
    the newest is always kept, however large. The editor's own Ctrl+Z history is not touched.
    """

    def __init__(self, budget: int = 32 * 1024 * 1024) -> None:
        self.budget = budget
        self._undo: list[S] = []
        self._redo: list[S] = []

    def push(self, before: S) -> None:
        """A run is about to change the editor: remember what it held. Clears redo."""
        self._undo.append(before)
        self._redo.clear()
        self._trim()

    def undo(self, current: S) -> S | None:
        """The snapshot to restore (``current`` becomes redoable), or None."""
        if not self._undo:
            return None
        self._redo.append(current)
        return self._undo.pop()

    def redo(self, current: S) -> S | None:
        if not self._redo:
            return None
        self._undo.append(current)
        return self._redo.pop()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def kept(self) -> int:
        return sum(s.size() for s in self._undo) + sum(s.size() for s in self._redo)

    def _trim(self) -> None:
        while len(self._undo) > 1 and self.kept() > self.budget:
            self._undo.pop(0)
