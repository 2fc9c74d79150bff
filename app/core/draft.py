"""The request draft: the parameters a user is editing, as plain data the UI binds to.

Each field holds a value and whether the user set it. A field that is not set is not sent (strict
relays reject fields they do not know) and shows its documented default. The parameter panel,
settings.json, history restore, presets, the CLI and the compare view's columns all read and
write this one shape, so a field is described once — here, from ``params.SPECS`` — instead of in
every widget and every flag.

The draft notifies subscribers of every change (``subscribe``), so widgets reflect it rather
than hold the state themselves (napari's layer controls work this way). It never raises on what
it is given: ``set`` stores anything and ``problems`` says what is wrong, field by field, so a
bad value is shown where it was typed. ``from_json`` reads what came from disk defensively: a
value of the wrong type or out of range falls back to the default, with a note saying which.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.core.params import SPECS, UNSET, CompletionRequest, Problem, Unset
from app.core.storage import MAX_DEPTH, depth_exceeds

FORMAT_VERSION: Final = 1


class Kind(enum.Enum):
    """How a field's value is typed and checked."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STOP = "stop"  # a text or a list of texts
    OBJECT = "object"  # a JSON object (logit_bias, extra)


@dataclass(frozen=True)
class DraftField:
    """One editable request field: its kind, the default it shows when not set, its range."""

    name: str
    kind: Kind
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False

    def accepts(self, value: Any) -> bool:
        """Is this a value of the right JSON type (range aside)? Used for what comes from disk."""
        if value is None:
            return self.nullable
        if self.kind is Kind.TEXT:
            return isinstance(value, str)
        if self.kind is Kind.BOOL:
            return isinstance(value, bool)
        if self.kind is Kind.INT:
            return isinstance(value, int) and not isinstance(value, bool) and self._in_range(value)
        if self.kind is Kind.FLOAT:
            return (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and self._in_range(value)
            )
        if self.kind is Kind.STOP:
            return isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(s, str) for s in value)
            )
        return isinstance(value, dict)  # Kind.OBJECT

    def _in_range(self, value: float) -> bool:
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


def _number_field(name: str) -> DraftField:
    spec = SPECS[name]
    kind = Kind.INT if spec.kind is int else Kind.FLOAT
    return DraftField(name, kind, spec.default, spec.minimum, spec.maximum, spec.nullable)


#: Every field of the draft, in the order the panel shows them. ``model`` is a field like the
#: others; the prompt is not (it is the editor's text, given to ``to_request``).
FIELDS: Final[dict[str, DraftField]] = {
    f.name: f
    for f in (
        DraftField("model", Kind.TEXT, ""),
        _number_field("temperature"),
        _number_field("top_p"),
        _number_field("frequency_penalty"),
        _number_field("presence_penalty"),
        # Any positive length (relays report no context), but within what a server's int holds:
        # 10**30 in a settings file is damage, not a wish.
        DraftField("max_tokens", Kind.INT, SPECS["max_tokens"].default, 0, 2**31 - 1),
        DraftField("stream", Kind.BOOL, True),
        _number_field("n"),
        _number_field("best_of"),
        _number_field("logprobs"),
        DraftField("echo", Kind.BOOL, False),
        _number_field("seed"),
        DraftField("stop", Kind.STOP, None, nullable=True),
        DraftField("suffix", Kind.TEXT, None, nullable=True),
        DraftField("user", Kind.TEXT, None, nullable=True),
        DraftField("logit_bias", Kind.OBJECT, None, nullable=True),
        DraftField("extra", Kind.OBJECT, None, nullable=True),
    )
}
#: Fields that are always sent: the model (the server has no default for it) and stream (the
#: playground's choice between a streamed and a whole reply, shown as a check box).
ALWAYS_SENT: Final = frozenset({"model", "stream"})
#: What a new playground sends before the user touches anything. The API's own max_tokens
#: default (16) cuts nearly every answer off mid-sentence; the OpenAI Playground starts at 256.
#: It is *set* (shown as sent), so the user sees what goes out and can reset it.
STARTING_VALUES: Final[dict[str, Any]] = {"max_tokens": 256}


class RequestDraft:
    """The parameters being edited: a value and a "set" flag per field, and change listeners.

    ``changed`` callbacks get the field name (or ``None`` after a bulk change such as
    ``load``); they run synchronously in the thread that made the change.
    """

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {name: f.default for name, f in FIELDS.items()}
        self._set: set[str] = set()
        self._listeners: list[Callable[[str | None], None]] = []
        for name, value in (values or {}).items():
            self.set(name, value)

    @classmethod
    def starting(cls) -> RequestDraft:
        """The draft of a new playground: ``STARTING_VALUES`` set, everything else default."""
        return cls(STARTING_VALUES)

    # -- reading -------------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        """What the field shows: the value set, or its default."""
        return self._values[self._field(name).name]

    def is_set(self, name: str) -> bool:
        return self._field(name).name in self._set or name in ALWAYS_SENT

    def set_fields(self) -> dict[str, Any]:
        """The fields the user set, with their values (what would be sent, besides the prompt)."""
        return {name: self._values[name] for name in FIELDS if self.is_set(name)}

    def __iter__(self) -> Iterator[str]:
        return iter(FIELDS)

    # -- changing -------------------------------------------------------------------------------

    def set(self, name: str, value: Any) -> None:
        """Set a field (it will be sent). Any value is stored; ``problems`` says if it is bad."""
        field = self._field(name)
        if field.name in self._set and _same(self._values[field.name], value):
            return
        self._values[field.name] = value
        self._set.add(field.name)
        self._emit(field.name)

    def unset(self, name: str) -> None:
        """Back to the default and not sent."""
        field = self._field(name)
        if field.name not in self._set and _same(self._values[field.name], field.default):
            return
        self._values[field.name] = field.default
        self._set.discard(field.name)
        self._emit(field.name)

    def clear(self) -> None:
        """Every field back to its default."""
        self._values = {name: f.default for name, f in FIELDS.items()}
        self._set.clear()
        self._emit(None)

    def load(self, values: Mapping[str, Any]) -> None:
        """Replace the whole draft: the given fields set, every other back to its default."""
        self._values = {name: f.default for name, f in FIELDS.items()}
        self._set = set()
        for name, value in values.items():
            if name in FIELDS:
                self._values[name] = value
                self._set.add(name)
        self._emit(None)

    def assign(self, other: RequestDraft) -> None:
        """Become a copy of ``other`` (values and set flags), with one bulk change event. Used
        to put a history run or saved settings into the draft the panel is bound to."""
        self._values = dict(other._values)
        self._set = set(other._set)
        self._emit(None)

    def subscribe(self, callback: Callable[[str | None], None]) -> Callable[[], None]:
        """Call ``callback(field_name)`` after every change; returns the unsubscribe function."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def copy(self) -> RequestDraft:
        out = RequestDraft()
        out._values = dict(self._values)
        out._set = set(self._set)
        return out

    def overlaid(self, overrides: RequestDraft) -> RequestDraft:
        """This draft with the fields ``overrides`` sets taking precedence (a compare column)."""
        out = self.copy()
        for name in overrides._set:
            out._values[name] = overrides._values[name]
            out._set.add(name)
        return out

    # -- the request ----------------------------------------------------------------------------

    def to_request(self, prompt: Any, suffix: str | None | Unset = UNSET) -> CompletionRequest:
        """The request for ``prompt``: every set field, ``extra`` merged. ``suffix`` (insert
        mode) overrides the suffix field."""
        req = CompletionRequest(model=str(self._values["model"]).strip(), prompt=prompt)
        for name, value in self.set_fields().items():
            if name in ("model", "extra"):
                continue
            setattr(req, name, value)
        extra = self._values["extra"] if "extra" in self._set else None
        req.extra = dict(extra) if isinstance(extra, dict) else {}
        if suffix is not UNSET:
            req.suffix = suffix
        return req

    def problems(self, prompt: Any = "") -> list[Problem]:
        """Every reason the request could not be sent, by field (the prompt's included)."""
        out = [
            Problem(name, _type_reason(FIELDS[name]))
            for name in sorted(self._set, key=list(FIELDS).index)
            if not _type_ok(FIELDS[name], self._values[name])
        ]
        bad = {p.field for p in out}
        clean = self.copy()
        for name in bad:
            clean.unset(name)
        return out + clean.to_request(prompt).problems()

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> RequestDraft:
        """A draft from a sent request body (a history row): what it holds is set, the rest not.
        Keys that are not fields go to ``extra``; ``prompt`` and ``stream`` are the run's own."""
        draft = cls()
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in body.items():
            if key == "prompt":
                continue
            if key in FIELDS and key != "extra":
                values[key] = value
            else:
                extra[key] = value
        if extra:
            values["extra"] = extra
        draft.load(values)
        return draft

    # -- files ----------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The one on-disk shape (settings, presets, compare columns): the set fields only.
        Non-finite numbers are left out, so the result is always valid JSON."""
        fields = {
            name: value
            for name, value in self.set_fields().items()
            if not (isinstance(value, float) and not math.isfinite(value))
        }
        return {"version": FORMAT_VERSION, "fields": fields}

    @classmethod
    def from_json(cls, data: Any) -> tuple[RequestDraft, list[str]]:
        """Read the on-disk shape defensively: anything unusable falls back to the default.

        Returns the draft and one note per value that was dropped (for the log). Never raises.
        """
        notes: list[str] = []
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            if data is not None:
                notes.append("the saved parameters are not in a known shape; defaults used")
            return cls(), notes
        values: dict[str, Any] = {}
        for name, value in data["fields"].items():
            field = FIELDS.get(name) if isinstance(name, str) else None
            if field is None:
                notes.append(f"unknown parameter {str(name)[:40]!r} ignored")
            elif not field.accepts(value) or depth_exceeds(value, MAX_DEPTH):
                notes.append(f"{name}: the saved value is unusable; default used")
            else:
                values[name] = value
        draft = cls()
        draft.load(values)
        return draft, notes

    # -- private -------------------------------------------------------------------------------

    def _field(self, name: str) -> DraftField:
        try:
            return FIELDS[name]
        except KeyError:
            raise KeyError(f"no such request field: {name!r}") from None

    def _emit(self, name: str | None) -> None:
        for callback in list(self._listeners):
            callback(name)


def _same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python, but they are different JSON: keep the type in the comparison.
    return type(a) is type(b) and a == b


def _type_ok(field: DraftField, value: Any) -> bool:
    """Right type for the field (ranges are the request's own checks)."""
    if value is None:
        return field.nullable or field.kind is Kind.INT or field.kind is Kind.FLOAT
    if field.kind is Kind.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if field.kind is Kind.FLOAT:
        return isinstance(value, int | float) and not isinstance(value, bool)
    wide = DraftField(field.name, field.kind, field.default, nullable=True)
    return wide.accepts(value)


def _type_reason(field: DraftField) -> str:
    return {
        Kind.TEXT: "must be text",
        Kind.INT: "must be a whole number",
        Kind.FLOAT: "must be a number",
        Kind.BOOL: "must be true or false",
        Kind.STOP: "must be a text or a list of texts",
        Kind.OBJECT: "must be a JSON object",
    }[field.kind]
