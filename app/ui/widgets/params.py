"""The parameter panel: every /v1/completions field, bound to the request draft.

The draft (``app.core.draft.RequestDraft``) owns the values and the "sent" flags; the panel shows
them and writes each user edit back (set, or unset for "default"), as napari's layer controls
bind to their layer. The panel listens to the draft's change events, so a history restore or
saved settings loaded into the draft appear without the panel knowing where they came from.
An edit is not echoed back into the widget that made it (its cursor would jump).

Numeric knobs are a slider paired with a spin box, with a reset button and a label that says
whether the value will be sent. Anything invalid is marked at its field with the reason, in the
user's language; the panel reports its problems so the window can disable Run and say why.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.draft import RequestDraft
from app.core.params import (
    MAX_STOP_SEQUENCES,
    SPECS,
    UNSET,
    CompletionRequest,
    Problem,
    parse_json_object,
)
from app.core.playground import escape_visible, unescape_visible
from app.ui.problem_text import describe
from app.ui.widgets.field_state import guard_wheel, mark_invalid
from app.ui.widgets.number_param import INT_LIMIT, NumberParam, clamp
from app.ui.widgets.number_param import name_widget as _name
from app.ui.widgets.param_fields import (
    JsonEdit,
    StopSequenceList,
    json_text,
    optional_spin,
    set_text,
)

#: How far the Maximum length slider reaches when the server reports no context length (relays
#: never do). Only the slider: the spin box takes any positive length.
SLIDER_CONTEXT = 4096


class ParamPanel(QWidget):
    """Every request field, bound to a ``RequestDraft``.

    Signals:
        changed(): the draft or a field's problems changed (from the panel or from elsewhere)
        refreshModelsRequested(): the user asked for the model list
    """

    changed = Signal()
    refreshModelsRequested = Signal()

    def __init__(self, draft: RequestDraft | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramPanel")
        self._showing = False  # the panel is updating widgets from the draft: not an edit
        self._writing: str | None = None  # the field whose widget is writing to the draft
        self._widget_problems: dict[str, Problem] = {}  # text a widget cannot turn into a value
        self._context: int | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)

        # model ------------------------------------------------------------------------------
        model_box = QGroupBox(self.tr("Model"))
        ml = QHBoxLayout(model_box)
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        _name(self.model_combo, "modelCombo", self.tr("Model"))
        self.model_combo.lineEdit().setPlaceholderText(self.tr("model name"))
        guard_wheel(self.model_combo)
        self.refresh_models = QToolButton()
        self.refresh_models.setText("⟳")
        self.refresh_models.setToolTip(self.tr("Fetch the model list (GET /v1/models)"))
        _name(self.refresh_models, "refreshModelsButton", self.tr("Refresh models"))
        ml.addWidget(self.model_combo, 1)
        ml.addWidget(self.refresh_models)
        outer.addWidget(model_box)

        # sampling ---------------------------------------------------------------------------
        samp = QGroupBox(self.tr("Sampling"))
        sl = QVBoxLayout(samp)

        def number(field: str, camel: str, label: str, decimals: int) -> NumberParam:
            # Ranges and defaults come from the core's SPECS.
            spec = SPECS[field]
            return NumberParam(
                field,
                camel,
                label,
                decimals=decimals,
                minimum=spec.minimum or 0,
                maximum=spec.maximum if spec.maximum is not None else INT_LIMIT,
                default=spec.default,
                step=10**-decimals,
                parent=self,
            )

        self.temperature = number("temperature", "temperature", self.tr("Temperature"), 2)
        self.top_p = number("top_p", "topP", self.tr("Top P"), 2)
        self.frequency_penalty = number(
            "frequency_penalty", "frequencyPenalty", self.tr("Frequency penalty"), 2
        )
        self.presence_penalty = number(
            "presence_penalty", "presencePenalty", self.tr("Presence penalty"), 2
        )
        # Any positive length: relays report no context length, and a user may want a long
        # output. The slider reaches the known context (or SLIDER_CONTEXT); past a known
        # context the panel warns but does not block.
        self.max_tokens = NumberParam(
            "max_tokens",
            "maxTokens",
            self.tr("Maximum length"),
            decimals=0,
            minimum=1,
            maximum=INT_LIMIT,
            default=SPECS["max_tokens"].default,
            step=1,
            parent=self,
            slider_maximum=SLIDER_CONTEXT,
        )
        self.numbers = [
            self.temperature,
            self.top_p,
            self.frequency_penalty,
            self.presence_penalty,
            self.max_tokens,
        ]
        for p in self.numbers:
            sl.addWidget(p.row())
            if p is self.max_tokens:
                self.max_tokens_warning = QLabel()
                self.max_tokens_warning.setWordWrap(True)
                _name(
                    self.max_tokens_warning,
                    "maxTokensWarning",
                    self.tr("Maximum length warning"),
                )
                self.max_tokens_warning.hide()
                sl.addWidget(self.max_tokens_warning)
        outer.addWidget(samp)

        # more -------------------------------------------------------------------------------
        more = QGroupBox(self.tr("More"))
        form = QFormLayout(more)
        self.stream_check = QCheckBox(self.tr("Stream the text as it is generated"))
        self.stream_check.setChecked(True)
        _name(self.stream_check, "streamCheck", self.tr("Stream"))
        form.addRow(self.stream_check)
        self.n_spin = optional_spin(
            "nSpin", self.tr("Completions (n)"), 0, 128, self.tr("default (1)")
        )
        form.addRow(self.tr("n"), self.n_spin)
        self.best_of_spin = optional_spin(
            "bestOfSpin", self.tr("Best of"), 0, 20, self.tr("default (1)")
        )
        form.addRow(self.tr("Best of"), self.best_of_spin)
        self.logprobs_spin = optional_spin(
            "logprobsSpin", self.tr("Log probabilities"), -1, 5, self.tr("off")
        )
        form.addRow(self.tr("Logprobs"), self.logprobs_spin)
        self.echo_check = QCheckBox(self.tr("Echo the prompt back"))
        _name(self.echo_check, "echoCheck", self.tr("Echo"))
        form.addRow(self.echo_check)
        self.seed_edit = QLineEdit()
        self.seed_edit.setPlaceholderText(self.tr("random"))
        _name(self.seed_edit, "seedEdit", self.tr("Seed"))
        form.addRow(self.tr("Seed"), self.seed_edit)

        self.stops = StopSequenceList()
        self.stop_list = self.stops.stop_list
        self.stop_input = self.stops.stop_input
        self.stop_add = self.stops.stop_add
        self.stop_remove = self.stops.stop_remove
        form.addRow(self.tr("Stop"), self.stops)

        self.suffix_edit = QLineEdit()
        self.suffix_edit.setPlaceholderText(self.tr("text after the completion (\\n allowed)"))
        _name(self.suffix_edit, "suffixEdit", self.tr("Suffix"))
        form.addRow(self.tr("Suffix"), self.suffix_edit)
        self.user_edit = QLineEdit()
        _name(self.user_edit, "userEdit", self.tr("User"))
        form.addRow(self.tr("User"), self.user_edit)
        self.logit_bias_edit = JsonEdit('{"50256": -100}')
        _name(self.logit_bias_edit, "logitBiasEdit", self.tr("Logit bias (JSON)"))
        form.addRow(self.tr("Logit bias"), self.logit_bias_edit)
        self.extra_edit = JsonEdit('{"top_k": 40}')
        _name(self.extra_edit, "extraEdit", self.tr("Extra JSON fields"))
        self.extra_edit.setToolTip(
            self.tr("Merged into the request body, for fields a particular server supports")
        )
        form.addRow(self.tr("Extra JSON"), self.extra_edit)
        outer.addWidget(more)
        outer.addStretch(1)

        self._field_widgets: dict[str, QWidget] = {
            "model": self.model_combo,
            "n": self.n_spin,
            "best_of": self.best_of_spin,
            "logprobs": self.logprobs_spin,
            "echo": self.echo_check,
            "seed": self.seed_edit,
            "stop": self.stop_list,
            "suffix": self.suffix_edit,
            "user": self.user_edit,
            "logit_bias": self.logit_bias_edit,
            "extra": self.extra_edit,
            "stream": self.stream_check,
        }
        for p in self.numbers:
            self._field_widgets[p.field] = p.spin
        self._default_tips = {w: w.toolTip() for w in self._field_widgets.values()}

        # user edits -> the draft (each writer knows its one field)
        for p in self.numbers:
            p.edited.connect(lambda value, f=p.field: self._write(f, value))
            p.resetRequested.connect(lambda f=p.field: self._write(f, UNSET))
        self.model_combo.editTextChanged.connect(self._on_model_edited)
        self.stream_check.toggled.connect(lambda on: self._write("stream", bool(on)))
        self.n_spin.valueChanged.connect(lambda v: self._write("n", v if v > 0 else UNSET))
        self.best_of_spin.valueChanged.connect(
            lambda v: self._write("best_of", v if v > 0 else UNSET)
        )
        self.logprobs_spin.valueChanged.connect(
            lambda v: self._write("logprobs", v if v >= 0 else UNSET)
        )
        self.echo_check.toggled.connect(lambda on: self._write("echo", True if on else UNSET))
        self.seed_edit.textChanged.connect(self._on_seed_edited)
        self.suffix_edit.textChanged.connect(
            lambda t: self._write("suffix", unescape_visible(t) if t else UNSET)
        )
        self.user_edit.textChanged.connect(
            lambda t: self._write("user", t.strip() if t.strip() else UNSET)
        )
        self.logit_bias_edit.textChanged.connect(lambda: self._on_json_edited("logit_bias"))
        self.extra_edit.textChanged.connect(lambda: self._on_json_edited("extra"))
        self.stops.edited.connect(self._on_stops_edited)
        self.refresh_models.clicked.connect(self.refreshModelsRequested)

        self._unsubscribe: Callable[[], None] = lambda: None
        self.draft = draft if draft is not None else RequestDraft.starting()
        self.bind(self.draft)

    def bind(self, draft: RequestDraft) -> None:
        """Show ``draft`` and write every edit into it from now on."""
        self._unsubscribe()
        self.draft = draft
        unsubscribe = draft.subscribe(self._on_draft_changed)
        self._unsubscribe = unsubscribe
        # The draft may outlive the panel (the window owns it): stop listening when it goes.
        self.destroyed.connect(lambda *_: unsubscribe())
        self._widget_problems.clear()
        self._show(None)
        self._refresh()

    # the draft -> the widgets -----------------------------------------------------------------

    def _on_draft_changed(self, name: str | None) -> None:
        if name is not None and name == self._writing:
            return  # the widget that made the change shows it already; _write refreshes
        if name is None or name in self._widget_problems:
            # A value from elsewhere replaces text the widget could not parse.
            for key in [name] if name else list(self._widget_problems):
                self._widget_problems.pop(key, None)
        self._show(name)
        self._refresh()

    def _show(self, name: str | None) -> None:
        """Put the draft's value of ``name`` (every field for None) into its widget."""
        self._showing = True
        try:
            for field in [name] if name is not None else list(self.draft):
                self._show_field(field, self.draft.value(field), self.draft.is_set(field))
        finally:
            self._showing = False

    def _show_field(self, field: str, value: Any, is_set: bool) -> None:
        number = next((p for p in self.numbers if p.field == field), None)
        if number is not None:
            number.show(value, is_set=is_set)
        elif field == "model":
            text = value if isinstance(value, str) else ""
            if self.model_combo.currentText() != text:
                self.model_combo.setEditText(text)
        elif field == "stream":
            self.stream_check.setChecked(value is not False)
        elif field == "echo":
            self.echo_check.setChecked(value is True)
        elif field in ("n", "best_of", "logprobs"):
            spin = self._field_widgets[field]
            assert isinstance(spin, QSpinBox)
            shown = spin.minimum()
            if is_set and isinstance(value, int) and not isinstance(value, bool):
                # Out of range (n = 10**30 from a file) shows the nearest end, marked invalid.
                shown = int(clamp(value, spin.minimum() + 1, spin.maximum(), spin.minimum()))
            spin.setValue(shown)
        elif field == "seed":
            ok = isinstance(value, int) and not isinstance(value, bool)
            set_text(self.seed_edit, str(value) if is_set and ok else "")
        elif field == "stop":
            stops = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            self.set_stop_sequences([s if isinstance(s, str) else str(s) for s in stops])
        elif field == "suffix":
            set_text(self.suffix_edit, escape_visible(value) if isinstance(value, str) else "")
        elif field == "user":
            set_text(self.user_edit, value if isinstance(value, str) else "")
        elif field in ("logit_bias", "extra"):
            edit = self._field_widgets[field]
            assert isinstance(edit, JsonEdit)
            text = json_text(value) if is_set else ""
            if edit.toPlainText() != text:
                edit.setPlainText(text)

    # the widgets -> the draft -----------------------------------------------------------------

    def _write(self, field: str, value: Any) -> None:
        """A user edit: set ``field`` to ``value`` in the draft (UNSET: back to default)."""
        if self._showing:
            return
        self._writing = field
        try:
            if value is UNSET:
                self.draft.unset(field)
            else:
                self.draft.set(field, value)
        finally:
            self._writing = None
        number = next((p for p in self.numbers if p.field == field), None)
        if number is not None:  # its sent/default label (and a reset puts the default back)
            self._show(field)
        self._refresh()

    def _on_model_edited(self, text: str) -> None:
        self._write("model", text)

    def _on_seed_edited(self, text: str) -> None:
        if self._showing:
            return
        text = text.strip()
        try:
            value: Any = int(text) if text else UNSET
        except ValueError:
            self._widget_problems["seed"] = Problem("seed", "must be a whole number")
            value = UNSET
        else:
            self._widget_problems.pop("seed", None)
        self._write("seed", value)

    def _on_json_edited(self, field: str) -> None:
        if self._showing:
            return
        edit = self._field_widgets[field]
        assert isinstance(edit, JsonEdit)
        value, found = parse_json_object(edit.toPlainText(), field)
        if found:
            self._widget_problems[field] = found[0]
        else:
            self._widget_problems.pop(field, None)
        self._write(field, UNSET if value is None else value)

    def _on_stops_edited(self, *_: object) -> None:
        if self._showing:
            return
        stops = self.stop_sequences()
        self._write("stop", UNSET if not stops else stops[0] if len(stops) == 1 else stops)

    # stop sequences ------------------------------------------------------------------------

    def stop_sequences(self) -> list[str]:
        return self.stops.stop_sequences()

    def set_stop_sequences(self, stops: list[str]) -> None:
        self.stops.set_stop_sequences(stops)

    # building the request -------------------------------------------------------------------

    def set_models(self, ids: list[str], model: str | None = None) -> None:
        """Fill the model list; the text shown is ``model``, else what was typed, else the first."""
        combo = self.model_combo
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(ids)
        combo.setEditText(model or current or (ids[0] if ids else ""))
        combo.blockSignals(False)
        self._write("model", combo.currentText())
        self.changed.emit()

    def model(self) -> str:
        value = self.draft.value("model")
        return value.strip() if isinstance(value, str) else ""

    def build(
        self, prompt: str, suffix: str | None = None
    ) -> tuple[CompletionRequest, list[Problem]]:
        """The request for this prompt, and every problem with it (empty when it can be sent).

        ``suffix`` (from insert mode) overrides the suffix field.
        """
        req = self.draft.to_request(prompt, UNSET if suffix is None else suffix)
        own = list(self._widget_problems.values())
        problems = own + [
            p
            for p in self.draft.problems(prompt)
            if p.field.split(".", 1)[0] not in self._widget_problems
        ]
        return req, problems

    def problems(self) -> list[Problem]:
        return self.build("")[1]

    def mark_problems(self, problems: list[Problem]) -> None:
        """Mark each field that has a problem (tinted, with the reason as its tooltip)."""
        by_widget: dict[QWidget, list[str]] = {}
        for p in problems:
            widget = self.field_widget(p.field)
            if widget is not None:
                by_widget.setdefault(widget, []).append(describe(p))
        for widget in self._field_widgets.values():
            reasons = by_widget.get(widget)
            mark_invalid(widget, bool(reasons))
            widget.setToolTip("\n".join(reasons) if reasons else self._default_tips[widget])

    def field_widget(self, field: str) -> QWidget | None:
        """The widget that edits ``field`` (dotted fields: their root), if the panel has one."""
        return self._field_widgets.get(field.split(".", 1)[0])

    def reveal(self, field: str) -> bool:
        """Bring ``field``'s widget into view (its tab, the scroll position) and focus it."""
        widget = self.field_widget(field)
        if widget is None:
            return False
        child: QWidget = self
        parent = child.parentWidget()
        while parent is not None:
            tabs = parent.parentWidget()
            if isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget):
                tabs.setCurrentWidget(child)
            child, parent = parent, parent.parentWidget()
        scroll = self.parentWidget().parentWidget() if self.parentWidget() else None
        if isinstance(scroll, QScrollArea):
            scroll.ensureWidgetVisible(widget, 20, 40)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _refresh(self) -> None:
        self.stop_add.setEnabled(self.stop_list.count() < MAX_STOP_SEQUENCES)
        self._update_context_warning()
        self.mark_problems(self.problems())
        self.changed.emit()

    # the model's context --------------------------------------------------------------------

    def set_context_length(self, n: int | None) -> None:
        """The selected model's context length (None: unknown). The slider reaches it; a longer
        maximum length is allowed, with a warning."""
        self._context = n if isinstance(n, int) and n > 0 else None
        self.max_tokens.set_slider_maximum(self._context or SLIDER_CONTEXT)
        self._update_context_warning()

    def _update_context_warning(self) -> None:
        value = self.draft.value("max_tokens")
        over = (
            self._context is not None
            and self.draft.is_set("max_tokens")
            and isinstance(value, int | float)
            and not (isinstance(value, float) and math.isnan(value))
            and value > self._context
        )
        if over:
            self.max_tokens_warning.setText(
                self.tr(
                    "More than this model's context (%1 tokens): the server may refuse "
                    "the request or stop early."
                ).replace("%1", str(self._context))
            )
        self.max_tokens_warning.setVisible(over)
