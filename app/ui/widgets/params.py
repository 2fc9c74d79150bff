"""The parameter panel: every /v1/completions field, with its state (sent or left at default).

Numeric knobs are a slider paired with a spin box, kept in sync, with a reset button and a label
that says whether the value will be sent. Anything invalid is marked at its field with the reason;
the panel reports its problems so the window can disable Run and say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.params import (
    FIELD_NAMES,
    MAX_STOP_SEQUENCES,
    SPECS,
    CompletionRequest,
    Problem,
    parse_json_object,
)
from app.core.playground import escape_visible, unescape_visible
from app.core.storage import finite
from app.ui.widgets.number_param import NumberParam
from app.ui.widgets.number_param import name_widget as _name

log = logging.getLogger("promptpad")
DEFAULT_CONTEXT = 4096
INVALID_STYLE = "border: 1px solid #d93025; background: #fdecea;"


class JsonEdit(QPlainTextEdit):
    """A small JSON-object editor that validates as you type."""

    def __init__(self, placeholder: str) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(56)


class ParamPanel(QWidget):
    """Every request field. Signals: changed(), refreshModelsRequested()."""

    changed = Signal()
    refreshModelsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramPanel")
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

        def number(
            field: str, camel: str, label: str, decimals: int, **bounds: float
        ) -> NumberParam:
            # Ranges and defaults come from the core's SPECS; the UI narrows max_tokens.
            spec = SPECS[field]
            return NumberParam(
                field,
                camel,
                label,
                decimals=decimals,
                minimum=bounds.get("minimum", spec.minimum or 0),
                maximum=bounds.get("maximum", spec.maximum or 0),
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
        self.max_tokens = number(
            "max_tokens",
            "maxTokens",
            self.tr("Maximum length"),
            0,
            minimum=1,
            maximum=DEFAULT_CONTEXT,
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
            p.changed.connect(self.changed)
        outer.addWidget(samp)

        # more -------------------------------------------------------------------------------
        more = QGroupBox(self.tr("More"))
        form = QFormLayout(more)
        self.stream_check = QCheckBox(self.tr("Stream the text as it is generated"))
        self.stream_check.setChecked(True)
        _name(self.stream_check, "streamCheck", self.tr("Stream"))
        form.addRow(self.stream_check)
        self.n_spin = self._optional_spin(
            "nSpin", self.tr("Completions (n)"), 0, 128, self.tr("default (1)")
        )
        form.addRow(self.tr("n"), self.n_spin)
        self.best_of_spin = self._optional_spin(
            "bestOfSpin", self.tr("Best of"), 0, 20, self.tr("default (1)")
        )
        form.addRow(self.tr("Best of"), self.best_of_spin)
        self.logprobs_spin = self._optional_spin(
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

        stop_box = QWidget()
        stl = QVBoxLayout(stop_box)
        stl.setContentsMargins(0, 0, 0, 0)
        self.stop_list = QListWidget()
        _name(self.stop_list, "stopSequencesEdit", self.tr("Stop sequences"))
        self.stop_list.setToolTip(
            self.tr(
                "Up to 4 sequences; escapes such as \\n are shown "
                "and understood. Double-click to edit."
            )
        )
        self.stop_list.setFixedHeight(72)
        self.stop_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        stop_row = QHBoxLayout()
        self.stop_input = QLineEdit()
        self.stop_input.setPlaceholderText(self.tr("add a stop sequence, e.g. \\n"))
        _name(self.stop_input, "stopSequenceInput", self.tr("New stop sequence"))
        self.stop_add = QToolButton()
        self.stop_add.setText("+")
        _name(self.stop_add, "stopAddButton", self.tr("Add stop sequence"))
        self.stop_remove = QToolButton()
        self.stop_remove.setText("−")
        _name(self.stop_remove, "stopRemoveButton", self.tr("Remove stop sequence"))
        stop_row.addWidget(self.stop_input, 1)
        stop_row.addWidget(self.stop_add)
        stop_row.addWidget(self.stop_remove)
        stl.addWidget(self.stop_list)
        stl.addLayout(stop_row)
        form.addRow(self.tr("Stop"), stop_box)

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

        changed: list[Callable[..., Any]] = [
            self.model_combo.editTextChanged,
            self.stream_check.toggled,
            self.n_spin.valueChanged,
            self.best_of_spin.valueChanged,
            self.logprobs_spin.valueChanged,
            self.echo_check.toggled,
            self.seed_edit.textChanged,
            self.suffix_edit.textChanged,
            self.user_edit.textChanged,
            self.logit_bias_edit.textChanged,
            self.extra_edit.textChanged,
        ]
        for sig in changed:
            sig.connect(self.changed)  # type: ignore[attr-defined]
        self.stop_list.model().rowsInserted.connect(self.changed)
        self.stop_list.model().rowsRemoved.connect(self.changed)
        self.stop_list.itemChanged.connect(self.changed)
        self.stop_add.clicked.connect(self._on_stop_add_clicked)
        self.stop_input.returnPressed.connect(self._on_stop_add_clicked)
        self.stop_remove.clicked.connect(self._on_stop_remove_clicked)
        self.refresh_models.clicked.connect(self.refreshModelsRequested)
        self.changed.connect(self._on_changed)
        self._on_changed()

    def _optional_spin(
        self, object_name: str, accessible: str, lo: int, hi: int, special: str
    ) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(lo, hi)
        spin.setSpecialValueText(special)  # the minimum means "not sent"
        spin.setValue(lo)
        _name(spin, object_name, accessible)
        return spin

    # stop sequences ------------------------------------------------------------------------

    def stop_sequences(self) -> list[str]:
        return [
            unescape_visible(self.stop_list.item(i).text()) for i in range(self.stop_list.count())
        ]

    def set_stop_sequences(self, stops: list[str]) -> None:
        self.stop_list.clear()
        for s in stops:
            self._add_stop_item(s)

    def _add_stop_item(self, raw: str) -> None:
        item = QListWidgetItem(escape_visible(raw))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.stop_list.addItem(item)

    def _on_stop_add_clicked(self) -> None:
        text = self.stop_input.text()
        if not text:
            return
        self._add_stop_item(unescape_visible(text))
        self.stop_input.clear()

    def _on_stop_remove_clicked(self) -> None:
        row = self.stop_list.currentRow()
        if row < 0:
            row = self.stop_list.count() - 1
        if row >= 0:
            self.stop_list.takeItem(row)

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
        self.changed.emit()

    def model(self) -> str:
        return self.model_combo.currentText().strip()

    def build(
        self, prompt: str, suffix: str | None = None
    ) -> tuple[CompletionRequest, list[Problem]]:
        """The request for this prompt, and every problem with it (empty when it can be sent).

        ``suffix`` (from insert mode) overrides the suffix field.
        """
        problems: list[Problem] = []
        req = CompletionRequest(model=self.model(), prompt=prompt)
        for p in self.numbers:
            setattr(req, p.field, p.request_value())
        req.stream = self.stream_check.isChecked()
        if self.n_spin.value() > 0:
            req.n = self.n_spin.value()
        if self.best_of_spin.value() > 0:
            req.best_of = self.best_of_spin.value()
        if self.logprobs_spin.value() >= 0:
            req.logprobs = self.logprobs_spin.value()
        if self.echo_check.isChecked():
            req.echo = True
        seed = self.seed_edit.text().strip()
        if seed:
            try:
                req.seed = int(seed)
            except ValueError:
                problems.append(Problem("seed", self.tr("must be a whole number")))
        stops = self.stop_sequences()
        if stops:
            req.stop = stops[0] if len(stops) == 1 else stops
        if self.stop_list.count() >= MAX_STOP_SEQUENCES:
            self.stop_add.setEnabled(False)
        else:
            self.stop_add.setEnabled(True)
        if suffix is not None:
            req.suffix = suffix
        elif self.suffix_edit.text():
            req.suffix = unescape_visible(self.suffix_edit.text())
        if self.user_edit.text().strip():
            req.user = self.user_edit.text().strip()
        bias, found = parse_json_object(self.logit_bias_edit.toPlainText(), "logit_bias")
        problems += found
        if bias is not None:
            req.logit_bias = bias
        extra, found = parse_json_object(self.extra_edit.toPlainText(), "extra")
        problems += found
        if extra is not None:
            req.extra = extra
        problems += [p for p in req.problems() if p.field != "prompt" or prompt]
        return req, problems

    def problems(self) -> list[Problem]:
        return self.build("")[1]

    def mark_problems(self, problems: list[Problem]) -> None:
        """Mark each field that has a problem (red, with the reason as its tooltip)."""
        by_widget: dict[QWidget, list[str]] = {}
        for p in problems:
            root = p.field.split(".", 1)[0]
            widget = self._field_widgets.get(root)
            if widget is not None:
                by_widget.setdefault(widget, []).append(str(p))
        for widget in self._field_widgets.values():
            reasons = by_widget.get(widget)
            if reasons:
                widget.setStyleSheet(INVALID_STYLE)
                widget.setToolTip("\n".join(reasons))
                widget.setProperty("invalid", True)
            else:
                widget.setStyleSheet("")
                widget.setToolTip(self._default_tips.get(widget, ""))
                widget.setProperty("invalid", False)

    def _on_changed(self) -> None:
        self.mark_problems(self.problems())

    def set_context_length(self, n: int) -> None:
        self.max_tokens.set_maximum(max(1, n))

    # persistence ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "model": self.model(),
            "numbers": {p.field: {"value": p.value(), "set": p.is_set} for p in self.numbers},
            "stream": self.stream_check.isChecked(),
            "n": self.n_spin.value(),
            "best_of": self.best_of_spin.value(),
            "logprobs": self.logprobs_spin.value(),
            "echo": self.echo_check.isChecked(),
            "seed": self.seed_edit.text(),
            "stop": self.stop_sequences(),
            "suffix": self.suffix_edit.text(),
            "user": self.user_edit.text(),
            "logit_bias": self.logit_bias_edit.toPlainText(),
            "extra": self.extra_edit.toPlainText(),
        }

    def apply_body(self, body: dict[str, Any]) -> None:
        """Set every field from a request body (a run from the history): what the body holds is
        set, everything else goes back to its default, unknown keys go to the extra JSON."""
        import json

        known = set(FIELD_NAMES)
        self.blockSignals(True)
        try:
            if isinstance(body.get("model"), str):
                self.model_combo.setEditText(body["model"])
            for p in self.numbers:
                value = body.get(p.field)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    p.set_value(value, is_set=True)
                else:
                    p.reset_to_default()
            self.stream_check.setChecked(body.get("stream") is not False)
            self.n_spin.setValue(body["n"] if isinstance(body.get("n"), int) else 0)
            self.best_of_spin.setValue(
                body["best_of"] if isinstance(body.get("best_of"), int) else 0
            )
            self.logprobs_spin.setValue(
                body["logprobs"] if isinstance(body.get("logprobs"), int) else -1
            )
            self.echo_check.setChecked(body.get("echo") is True)
            self.seed_edit.setText(str(body["seed"]) if isinstance(body.get("seed"), int) else "")
            stop = body.get("stop")
            stops = [stop] if isinstance(stop, str) else stop if isinstance(stop, list) else []
            self.set_stop_sequences([s for s in stops if isinstance(s, str)])
            suffix = body.get("suffix")
            self.suffix_edit.setText(escape_visible(suffix) if isinstance(suffix, str) else "")
            self.user_edit.setText(body["user"] if isinstance(body.get("user"), str) else "")
            bias = body.get("logit_bias")
            self.logit_bias_edit.setPlainText(json.dumps(bias) if isinstance(bias, dict) else "")
            extra = {k: v for k, v in body.items() if k not in known}
            self.extra_edit.setPlainText(json.dumps(extra, ensure_ascii=False) if extra else "")
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def restore(self, state: dict[str, Any]) -> None:
        """Apply a saved state; unknown or malformed entries are ignored."""
        self.blockSignals(True)
        try:
            if isinstance(state.get("model"), str):
                self.model_combo.setEditText(state["model"])
            numbers = state.get("numbers") if isinstance(state.get("numbers"), dict) else {}
            for p in self.numbers:
                entry = numbers.get(p.field) if isinstance(numbers, dict) else None
                if not isinstance(entry, dict):
                    continue
                # settings.json is a file anyone can edit: NaN, 1e308 or 10**30 reached Qt's
                # int slider and raised OverflowError in the window's constructor.
                if finite(entry.get("value"), p.spin.minimum(), p.spin.maximum()):
                    p.set_value(entry["value"], is_set=entry.get("set") is True)
                else:
                    _bad_setting(p.field)
            _apply(state, "stream", bool, self.stream_check.setChecked)
            _apply_int(state, "n", self.n_spin)
            _apply_int(state, "best_of", self.best_of_spin)
            _apply_int(state, "logprobs", self.logprobs_spin)
            _apply(state, "echo", bool, self.echo_check.setChecked)
            _apply(state, "seed", str, self.seed_edit.setText)
            _apply(state, "suffix", str, self.suffix_edit.setText)
            _apply(state, "user", str, self.user_edit.setText)
            _apply(state, "logit_bias", str, self.logit_bias_edit.setPlainText)
            _apply(state, "extra", str, self.extra_edit.setPlainText)
            stops = state.get("stop")
            if isinstance(stops, list) and all(isinstance(s, str) for s in stops):
                self.set_stop_sequences(stops)
        finally:
            self.blockSignals(False)
        self.changed.emit()


def _apply(state: dict[str, Any], key: str, kind: type, setter: Callable[[Any], Any]) -> None:
    value = state.get(key)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        setter(value)
    elif key in state:
        _bad_setting(key)


def _apply_int(state: dict[str, Any], key: str, spin: QSpinBox) -> None:
    value = state.get(key)
    if isinstance(value, int) and finite(value, spin.minimum(), spin.maximum()):
        spin.setValue(value)
    elif key in state:
        _bad_setting(key)


def _bad_setting(key: str) -> None:
    log.warning("settings.json: a bad value for %s was replaced by its default", key)
