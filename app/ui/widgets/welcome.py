"""The first-run panel: where runs can go, and where the key will be kept.

A new playground had an empty editor, a red model field and a disabled Run, and nothing said
what to do. While no provider is chosen and no base URL is typed, this panel offers the built-in
templates (resources/providers.json: OpenAI, the relay services, local servers), each of which
opens the provider manager on a new profile from it, plus "type a base URL" for anything else;
and it says where an API key goes. It hides itself as soon as a provider or a URL is set, and
comes back if both are cleared.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.providers import Provider, load_templates
from app.ui.widgets.connection import ConnectionBar
from app.ui.widgets.flow import FlowLayout

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def kind_of(template: Provider) -> str:
    """ "local" (a server on this computer), "relay" (a 中转站) or "hosted"."""
    host = urlsplit(template.base_url).hostname or ""
    if host in LOOPBACK:
        return "local"
    if "中转站" in template.notes or "relay" in template.notes.lower():
        return "relay"
    return "hosted"


def short_name(template: Provider) -> str:
    """The button's label: the group already says "on this computer"."""
    return template.name.removesuffix(" (local)")


class WelcomePanel(QFrame):
    """Shown while runs have nowhere to go.

    Signals:
        templateChosen(str): the user wants a provider from this template (its name).
    """

    templateChosen = Signal(str)

    def __init__(self, connection: ConnectionBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.setObjectName("welcomePanel")
        self.setAccessibleName(self.tr("Getting started"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The palette's own colours, so that it reads in light and dark themes alike.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 8)
        outer.setSpacing(4)

        self.title = QLabel(self.tr("Where should your prompts go?"))
        self.title.setObjectName("welcomeTitle")
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        outer.addWidget(self.title)
        self.buttons: dict[str, QPushButton] = {}
        groups = {
            "hosted": self.tr("Hosted"),
            "relay": self.tr("Relay services (中转站)"),
            "local": self.tr("On this computer"),
        }
        by_kind: dict[str, list[Provider]] = {k: [] for k in groups}
        for t in load_templates():
            by_kind[kind_of(t)].append(t)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        for row, (kind, title) in enumerate(groups.items()):
            label = QLabel(title)
            label.setObjectName(f"welcome{kind.capitalize()}Label")
            grid.addWidget(label, row, 0)
            holder = QWidget()
            flow = FlowLayout(holder)
            for t in by_kind[kind]:
                flow.addWidget(self._template_button(t))
            grid.addWidget(holder, row, 1)
        self.custom_button = QPushButton(self.tr("Type its base URL"))
        self.custom_button.setObjectName("welcomeCustomButton")
        self.custom_button.setAccessibleName(self.tr("Type a server's base URL"))
        self.custom_button.setToolTip(
            self.tr("Any server that speaks POST /v1/completions: type its base URL above")
        )
        self.custom_button.clicked.connect(self._on_custom_clicked)
        other = QLabel(self.tr("Another server"))
        other.setObjectName("welcomeOtherLabel")
        grid.addWidget(other, len(groups), 0)
        grid.addWidget(self.custom_button, len(groups), 1, Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(grid)

        self.key_note = self._label(
            "welcomeKeyNote",
            self.tr(
                "API key: the provider manager asks for it. Promptpad keeps it in the system "
                "keyring, never in a file; without a keyring, for this session only. Local "
                "servers usually need none. More providers: Providers… above."
            ),
        )
        outer.addWidget(self.key_note)

        # (follow() once laid out: shown without a parent it would be a window of its own)
        connection.changed.connect(self.follow)

    def _label(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    def _template_button(self, template: Provider) -> QPushButton:
        b = QPushButton(short_name(template))
        b.setObjectName("welcomeTemplateButton")
        b.setAccessibleName(self.tr("Add %1").replace("%1", template.name))
        b.setToolTip(
            self.tr("Add %1 (%2) and enter its key")
            .replace("%1", template.name)
            .replace("%2", template.base_url)
        )
        b.clicked.connect(lambda _=False, name=template.name: self.templateChosen.emit(name))
        self.buttons[template.name] = b
        return b

    def follow(self) -> None:
        """Shown only while there is neither a provider nor a base URL."""
        empty = not self.connection.provider() and not self.connection.base_url.text().strip()
        self.setVisible(empty)

    def _on_custom_clicked(self) -> None:
        self.connection.base_url.setFocus()
