"""OutputView's undo steps: a run is one Ctrl+Z step, and undo/redo restore what Qt's cannot.

The view's own edits (streamed text, display breaks, token shades) join the undo step of its last
edit; Ctrl+Z / Ctrl+Shift+Z bring back what the document alone cannot (where the soft breaks are;
the editor's output ranges).

A mixin rather than a class of its own: it works on the one QPlainTextEdit that OutputView is
(its document, cursor and key events) and shares that view's state, so it is only ever mixed
into OutputView, ahead of QPlainTextEdit; it lives here to keep output_view.py about streaming.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QContextMenuEvent, QTextCursor


class UndoStepsMixin:
    """Part of OutputView: the undo history of the view's own edits."""

    _own_revision: int  # the document's revision after the view's last own edit
    _states: dict[int, object]  # save_state() per undo state (availableUndoSteps)
    _replaying: bool  # an undo or redo is going on
    _soft: list[int]  # what save_state keeps

    # the undo history: the view's own edits, Ctrl+Z and Ctrl+Shift+Z ----------------------------

    def _begin_edit(self, cur: QTextCursor) -> None:
        """Open an edit block for one of the view's own changes (streamed text, a display
        break, token shades): part of the undo step of the view's last edit when nothing else
        changed the document since, so a whole run is one Ctrl+Z step."""
        if self._own_revision == self.document().revision():
            cur.joinPreviousEditBlock()
        else:
            cur.beginEditBlock()

    def _end_edit(self, cur: QTextCursor) -> None:
        cur.endEditBlock()
        self._own_revision = self.document().revision()

    def save_state(self) -> object:
        """What an undo step cannot bring back by itself (extended by the editor)."""
        return list(self._soft)

    def restore_state(self, state: object | None) -> None:
        """Undo or redo took the document to a state saved by ``save_state`` (None: one not
        seen; keep what still holds)."""
        if isinstance(state, list):
            self._soft = list(state)
        self._valid_soft()

    def _on_view_contents_changed(self) -> None:
        index = self.document().availableUndoSteps()
        if self._replaying:
            self.restore_state(self._states.get(index))
        else:
            self._states[index] = self.save_state()

    def undo(self) -> None:
        """Ctrl+Z: the document's own undo (typing; a run as one step), never mid-stream."""
        self._replay(super().undo)

    def redo(self) -> None:
        self._replay(super().redo)

    def _replay(self, step: Callable[[], None]) -> None:
        if self._out is not None:
            return
        self.flush()
        self._replaying = True
        try:
            step()
        finally:
            self._replaying = False

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.createStandardContextMenu(e.pos())
        # Qt's own Undo/Redo entries go to the document directly: through ours instead, which
        # bring back what the document alone cannot (display breaks, output ranges).
        for action in menu.actions():
            name = action.objectName()
            if name in ("edit-undo", "edit-redo"):
                action.triggered.disconnect()
                action.triggered.connect(self.undo if name == "edit-undo" else self.redo)
        menu.exec(e.globalPos())
        menu.deleteLater()
