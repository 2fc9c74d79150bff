"""Questions that guard a user's work: "delete this?" and "save these changes?".

Each is a window-modal QMessageBox opened with ``open()``, never ``exec()``: a nested event
loop inside a qasync application stalls the asyncio tasks (and an ``exec()`` from an
``asyncSlot`` never returns in tests). The answer comes back to a callback. Every box has an
objectName, so that tests find it and click its buttons like a user would; the destructive
button is never the default (Enter or Escape keep the data).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

Choice = QMessageBox.StandardButton


def confirm_delete(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    informative: str,
    on_delete: Callable[[], object],
) -> QMessageBox:
    """Ask before deleting; ``on_delete()`` runs only if the user chose Delete. The box is
    ``name``, its Delete button ``name + "Button"`` (… "Box" becomes … "Button")."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, Choice.Cancel, parent)
    box.setObjectName(name)
    box.setInformativeText(informative)
    delete = box.addButton(
        QCoreApplication.translate("questions", "Delete"), QMessageBox.ButtonRole.DestructiveRole
    )
    delete.setObjectName(name.removesuffix("Box") + "Button")
    box.setDefaultButton(Choice.Cancel)
    box.setEscapeButton(Choice.Cancel)

    def answered(_result: int) -> None:
        if box.clickedButton() == delete:
            on_delete()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box


def ask_to_save(
    parent: QWidget,
    name: str,
    what: str,
    on_answer: Callable[[Choice], object],
) -> QMessageBox:
    """Ask what to do with unsaved changes to ``what``: ``on_answer`` gets Save, Discard or
    Cancel (Escape and closing the box are Cancel)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("questions", "Unsaved changes"),
        QCoreApplication.translate("questions", "“%1” has changes that are not saved.").replace(
            "%1", what
        ),
        Choice.Save | Choice.Discard | Choice.Cancel,
        parent,
    )
    box.setObjectName(name)
    box.setInformativeText(QCoreApplication.translate("questions", "Save them first?"))
    box.setDefaultButton(Choice.Save)
    box.setEscapeButton(Choice.Cancel)

    def answered(_result: int) -> None:
        choice = box.standardButton(box.clickedButton())
        on_answer(choice if choice != Choice.NoButton else Choice.Cancel)
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box
