"""The provider manager: add (from a template), edit, duplicate, delete, test, export, import.

Keys are typed here and go straight to the ProviderStore's KeyStore (the OS keyring); the form
never writes them anywhere else. Where the system has no keyring the dialog says so plainly and
the key is kept for this session only.

The keyring is only asked on its own thread (app/ui/ops.py, app/ui/keys.py): a profile's key and
proxy password are read in the background when it is shown, and its key fields, Save and
Duplicate wait for them (saving an empty field before the key arrived would delete it). The read
is strict: a keyring that refuses to answer is shown as such and Save stays off, so a key that
could not be read is never deleted by saving an empty field.

The dialog never loses an edit: Enter saves (Save is the default button), switching profile,
adding one or closing with unsaved changes asks first, and Delete asks before a profile and its
key go. Questions are window-modal message boxes opened with ``open()``, never ``exec()`` (the
qasync loop must keep running); each has an objectName so that tests can answer it.

ProviderDialog coordinates its parts: the list, the questions and the files here; the edit form
and the keyring notice in provider_form.py; reading the shown profile's secrets in
provider_secrets.py; Test connection in provider_test.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ConfigError
from app.core.provider_store import ProviderStore
from app.core.providers import Provider, load_templates
from app.ui import ops
from app.ui.dialogs.provider_form import KeyringNotice, ProviderFormMixin, named, say, set_tone
from app.ui.dialogs.provider_secrets import ProviderSecretsMixin
from app.ui.dialogs.provider_test import ConnectionTest
from app.ui.error_text import describe_message
from app.ui.keys import LANE as KEYRING_LANE
from app.ui.questions import Choice, ask_to_save, confirm_delete
from app.ui.template_notes import template_note

if TYPE_CHECKING:
    import httpx


class ProviderDialog(ProviderSecretsMixin, ProviderFormMixin, QDialog):
    """The provider manager.

    Signals:
        providersChanged(): profiles were added, edited or removed.
        providerAdded(str): a profile was just added (from a template, a copy or a file): the
            window should use it, or the first run would go elsewhere.
    """

    providersChanged = Signal()
    providerAdded = Signal(str)

    def __init__(
        self, store: ProviderStore, http: httpx.AsyncClient, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("providerDialog")
        self.setWindowTitle(self.tr("Providers"))
        self.store = store
        self.templates = load_templates()
        self._current: str | None = None
        self._loading = False
        self._secrets: ops.BackgroundOp | None = None  # the shown profile's secrets, on the way
        self._baseline: tuple[Any, ...] | None = None  # the form as loaded: unsaved edits differ
        self._build()
        self.test = ConnectionTest(
            store, http, self.test_result, self.completion_result, lambda: self._current, self
        )
        self.test.busyChanged.connect(self._on_form_changed)
        self.test.modelsStored.connect(self.providersChanged)
        self._refresh_list(select=self.store.names()[0] if self.store.providers else None)
        self.resize(860, 600)

    # layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.keyring_notice = KeyringNotice()
        ops.run_in_background(
            lambda: self.store.keyring_available,
            self._on_keyring_checked,
            lane=KEYRING_LANE,
            parent=self,
        )
        outer.addWidget(self.keyring_notice)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        named(self.list, "providersList", self.tr("Providers"))
        ll.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QToolButton()
        named(self.add_button, "addProviderButton", self.tr("Add provider"))
        self.add_button.setText(self.tr("Add"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        menu.setObjectName("templateMenu")
        blank = QAction(self.tr("Blank"), menu)
        blank.triggered.connect(lambda: self._after_asking(lambda: self.add_from_template(None)))
        menu.addAction(blank)
        menu.addSeparator()
        for t in self.templates:
            act = QAction(t.name, menu)
            act.triggered.connect(
                lambda _=False, name=t.name: self._after_asking(
                    lambda: self.add_from_template(name)
                )
            )
            menu.addAction(act)
        self.add_button.setMenu(menu)
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        named(self.duplicate_button, "duplicateProviderButton", self.tr("Duplicate provider"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        named(self.delete_button, "deleteProviderButton", self.tr("Delete provider"))
        for w in (self.add_button, self.duplicate_button, self.delete_button):
            row.addWidget(w)
        ll.addLayout(row)
        io = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import…"))
        named(self.import_button, "importProvidersButton", self.tr("Import providers"))
        self.export_button = QPushButton(self.tr("Export…"))
        named(
            self.export_button, "exportProvidersButton", self.tr("Export providers (without keys)")
        )
        io.addWidget(self.import_button)
        io.addWidget(self.export_button)
        ll.addLayout(io)
        split.addWidget(left)

        scroll = self._build_fields()

        line = self.fontMetrics().lineSpacing()
        self.problems_label = named(QLabel(), "providerProblems", self.tr("Problems"))
        self.problems_label.setWordWrap(True)
        self.problems_label.setMinimumHeight(line * 2)
        self.problems_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        set_tone(self.problems_label, "error")
        self.test_result = named(QLabel(), "testConnectionResult", self.tr("Model list test"))
        self.completion_result = named(QLabel(), "testCompletionResult", self.tr("Completion test"))
        results = QFormLayout()
        results.addRow(self.tr("Model list:"), self.test_result)
        results.addRow(self.tr("Completion:"), self.completion_result)
        for label in (self.test_result, self.completion_result):
            label.setWordWrap(True)
            label.setMinimumHeight(line * 2)
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("Test connection"))
        named(self.test_button, "testConnectionButton", self.tr("Test connection"))
        self.test_button.setToolTip(
            self.tr("Lists the models, and tries a one-token completion with the default model")
        )
        self.save_button = QPushButton(self.tr("Save"))
        named(self.save_button, "saveProviderButton", self.tr("Save provider"))
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        self.form_widget = QWidget()  # everything about the shown profile
        pane = QVBoxLayout(self.form_widget)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.addWidget(scroll, 1)
        pane.addWidget(self.problems_label)
        pane.addLayout(results)
        pane.addLayout(actions)
        split.addWidget(self.form_widget)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        # Enter saves the profile being edited; no other button may take it (it used to
        # trigger Duplicate, and the edit was gone).
        for b in (
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.export_button,
            self.test_button,
            *buttons.buttons(),
        ):
            if isinstance(b, QPushButton):
                b.setAutoDefault(False)
        self.save_button.setDefault(True)

        self.list.currentTextChanged.connect(self._on_list_current_text_changed)
        self.duplicate_button.clicked.connect(self._on_duplicate_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save_current)
        self._connect_fields(self._on_form_changed)

    def _on_keyring_checked(self, available: bool) -> None:
        hint = self.keyring_notice.show_keyring(available)
        self.key_edit.edit.setPlaceholderText(hint)
        self.proxy_password.edit.setPlaceholderText(hint)

    # list ---------------------------------------------------------------------------------

    def _select_row(self, name: str | None) -> None:
        """Highlight ``name`` in the list without showing it (the form is handled apart)."""
        names = self.store.names()
        self.list.blockSignals(True)
        self.list.setCurrentRow(names.index(name) if name in names else -1)
        self.list.blockSignals(False)

    def _refresh_list(self, select: str | None = None) -> None:
        names = self.store.names()
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(names)
        self.list.blockSignals(False)
        if select not in names:
            select = self._current if self._current in names else None
        self._select_row(select)
        self._show(select)
        has = bool(self.store.providers)
        self.delete_button.setEnabled(has)
        self.export_button.setEnabled(has)

    def _on_list_current_text_changed(self, name: str) -> None:
        target = name or None
        if target == self._current:
            return
        if self.is_dirty():
            self._select_row(self._current)  # stays on the edited profile while asking
            self._after_asking(lambda: self._switch_to(target))
            return
        self._show(target)

    def _switch_to(self, name: str | None) -> None:
        if name is not None and name not in self.store.names():
            return
        self._select_row(name)
        self._show(name)

    def _show(self, name: str | None) -> None:
        self._current = name
        p = self.store.get(name) if name else None
        self.form_widget.setEnabled(p is not None)
        p = p or Provider("", "")
        self._loading = True
        try:
            self._fill_form(p)
            say(self.test_result, "")
            say(self.completion_result, "")
        finally:
            self._loading = False
        self._baseline = self._snapshot()
        self._load_secrets(p.name)
        self._on_form_changed()

    # form ---------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        """The shown profile has edits that are not saved."""
        if self._current is None or self.store.get(self._current) is None:
            return False
        return self._snapshot() != self._baseline

    def _on_form_changed(self) -> None:
        if self._loading:
            return
        p, problems = self.form_provider()
        try:
            self.url_preview.setText("POST " + p.final_url())
        except ConfigError as exc:
            self.url_preview.setText("⚠ " + describe_message(exc.message))
        self.problems_label.setText("\n".join(problems))
        ok = self._current is not None and not problems
        self.save_button.setEnabled(ok and self._secrets_ready())
        self.test_button.setEnabled(ok and not self.test.busy)

    def save_current(self) -> bool:
        if self._current is None or not self._secrets_ready():
            return False
        p, problems = self.form_provider()
        if problems:
            self.problems_label.setText("\n".join(problems))
            return False
        try:
            self.store.update(self._current, p)
        except ConfigError as exc:
            self.problems_label.setText(describe_message(exc.message))
            return False
        where = self.store.set_key(p.name, self.key_edit.edit.text().strip())
        self.store.set_proxy_password(p.name, self.proxy_password.edit.text())
        self._current = p.name
        self._refresh_list(select=p.name)  # (this clears the result lines)
        if where == "session":
            say(
                self.test_result,
                self.tr("Saved. The key is kept for this session only (no system keyring)."),
                "muted",
            )
        else:
            say(self.test_result, self.tr("✓ Saved."))
        self.providersChanged.emit()
        return True

    def add_from_template(self, template: str | None) -> Provider:
        if template is None:
            p = Provider(self.tr("New provider"), "")
        else:
            src = next(t for t in self.templates if t.name == template)
            p = Provider.from_json(src.to_json())
            p.notes = template_note(p.notes)  # then the user's own text, in their language
        p = self.store.add(p)
        self._refresh_list(select=p.name)
        self.providersChanged.emit()
        self.providerAdded.emit(p.name)
        return p

    def duplicate_current(self) -> None:
        if self._current is None or not self._secrets_ready():
            return
        copy = self.store.duplicate(self._current)
        self._refresh_list(select=copy.name)
        self.providersChanged.emit()
        self.providerAdded.emit(copy.name)

    def delete_current(self) -> None:
        """Delete the shown profile and its secrets at once (the button asks first)."""
        if self._current is None:
            return
        self.store.delete(self._current)
        self._current = None
        names = self.store.names()
        self._refresh_list(select=names[0] if names else None)
        self.providersChanged.emit()

    # questions ------------------------------------------------------------------------------

    def _after_asking(self, then: Callable[[], object]) -> None:
        """Run ``then`` (which leaves the shown profile) once its unsaved edits are saved or
        let go; at once when there are none."""
        if not self.is_dirty():
            then()
            return

        def answered(choice: Choice) -> None:
            if choice == Choice.Save:
                if self.save_current():
                    then()
            elif choice == Choice.Discard:
                self._baseline = self._snapshot()  # let go: no second question
                then()

        ask_to_save(self, "unsavedChangesBox", self._current or "", answered)

    def _on_duplicate_clicked(self) -> None:
        self._after_asking(self.duplicate_current)

    def _on_delete_clicked(self) -> None:
        name = self._current
        if name is None:
            return

        def delete() -> None:
            if self._current == name:
                self.delete_current()

        confirm_delete(
            self,
            "confirmDeleteBox",
            self.tr("Delete provider"),
            self.tr("Delete “%1”?").replace("%1", name),
            self.tr(
                "Its stored API key and proxy password are deleted too. This cannot be undone."
            ),
            delete,
        )

    def reject(self) -> None:
        """Close, Escape or the window's close button: unsaved edits are asked about first."""
        self._after_asking(super().reject)

    # test connection ------------------------------------------------------------------------

    def test_connection(self) -> None:
        """List the models and, with a default model set, try a one-token completion with it
        (provider_test.py): two results, shown apart."""
        p, problems = self.form_provider()
        if problems or self.test.busy:
            return
        key = self.key_edit.edit.text().strip()
        password = self.proxy_password.edit.text() or None
        self.test.start(p, self._current or "", key, password)

    # files --------------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export providers"), "promptpad-providers.json", self.tr("JSON (*.json)")
        )
        if path:
            self.export_to(Path(path))

    def _on_import_clicked(self) -> None:
        self._after_asking(self._import_chosen)

    def _import_chosen(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import providers"), "", self.tr("JSON (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def export_to(self, path: Path) -> int:
        n = self.store.export(path)
        say(self.test_result, self.tr("Exported %n provider(s), without keys.", "", n))
        return n

    def import_from(self, path: Path) -> list[str]:
        try:
            names = self.store.import_file(path)
        except ConfigError as exc:
            say(self.test_result, "✗ " + describe_message(exc.message), "error")
            return []
        self._refresh_list(select=names[0] if names else None)
        self.providersChanged.emit()
        if names:
            self.providerAdded.emit(names[0])
        return names
