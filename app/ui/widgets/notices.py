"""The notice bar: what happened to the user's files (a file set aside, a save that failed).

Unlike the error bar, which a new run clears, a notice stays until it is dismissed or its cause
is gone (the next draft save succeeds): the user must not believe the text is safe when it is
not, nor look for profiles that were moved to another file without being told where.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.core.storage import Unreadable
from app.ui.widgets.bar import MessageBar


class NoticeBar(MessageBar):
    """Lasting notices about the files under the home, one line each, keyed by their cause."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("notice", "noticeBar", "noticeCloseButton", parent)
        self.close_button.setAccessibleName(self.tr("Dismiss the notices"))
        self.setAccessibleName(self.tr("File notices"))
        self._notices: dict[str, str] = {}
        self.text.setObjectName("noticeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button.clicked.connect(self.clear)

    def notices(self) -> list[str]:
        return list(self._notices.values())

    def put(self, key: str, text: str) -> None:
        """Show ``text`` (replacing an earlier notice with the same ``key``)."""
        self._notices[key] = text
        self._refresh()

    def drop(self, key: str) -> None:
        if self._notices.pop(key, None) is not None:
            self._refresh()

    def clear(self) -> None:
        self._notices.clear()
        self._refresh()

    def unreadable(self, item: Unreadable) -> None:
        """Say that a file could not be read, and where it went."""
        name, why = item.path.name, item.reason
        if item.moved_to is None:
            text = self.tr(
                "%1 could not be read (%2) nor moved aside. It is left as it is and will not "
                "be written: what you change now is not saved there."
            )
        elif item.copied:
            text = self.tr(
                "Part of %1 could not be read (%2). The file as it was is kept at %3."
            ).replace("%3", str(item.moved_to))
        else:
            text = self.tr(
                "%1 could not be read (%2). It was moved to %3 and a new one was started."
            ).replace("%3", str(item.moved_to))
        self.put(f"unreadable:{item.path}", text.replace("%1", name).replace("%2", why))

    def draft_failed(self, reason: str) -> None:
        self.put(
            "draft",
            self.tr(
                "The draft could not be saved (%1). Your text is only in this window: "
                "copy it somewhere safe before closing Promptpad."
            ).replace("%1", reason),
        )

    def draft_saved(self) -> None:
        self.drop("draft")

    def save_failed(self, what: str, reason: str) -> None:
        """``what`` (already translated) could not be saved; the user's work goes on."""
        self.put(
            f"save:{what}",
            self.tr("%1 could not be saved (%2).").replace("%1", what).replace("%2", reason),
        )

    def saved(self, what: str) -> None:
        self.drop(f"save:{what}")

    def _refresh(self) -> None:
        self.text.setText("\n".join(self._notices.values()))
        self.setVisible(bool(self._notices))
