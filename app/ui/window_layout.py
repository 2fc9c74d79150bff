"""The playground window's layout: the connection bar, the error and notice bars, the first-run
panel, the button row, the editor with the choice panes, the parameter and history tabs, the
status bar.

It works down to 800 × 600 (tests/ui/test_small_window.py): the button row wraps instead of
widening the window, the parameter tab is as wide as the panel needs (a scroll area without a
horizontal bar would otherwise clip it), and the status line gives up width instead of taking it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.error_bar import ErrorBar
from app.ui.widgets.flow import FlowLayout, flow_button
from app.ui.widgets.history import HistoryPanel
from app.ui.widgets.notices import NoticeBar
from app.ui.widgets.welcome import WelcomePanel

if TYPE_CHECKING:
    from app.ui.dialogs.providers import ProviderDialog
    from app.ui.main_window import MainWindow

# The strings keep the window's translation context (lupdate reads translate("Ctx", "…")).
translate = QCoreApplication.translate


def build_layout(win: MainWindow) -> None:
    """Create the window's widgets around the ones it already has and lay them out."""
    central = QWidget()
    outer = QVBoxLayout(central)
    outer.setContentsMargins(8, 8, 8, 4)
    outer.addWidget(win.connection)
    win.error_bar = ErrorBar()
    win.error_text = win.error_bar.text
    outer.addWidget(win.error_bar)
    win.notices = NoticeBar()  # files set aside, saves that failed: they stay until dismissed
    outer.addWidget(win.notices)
    win.welcome = WelcomePanel(win.connection)  # first run: where prompts can go
    outer.addWidget(win.welcome)
    win.welcome.follow()
    win.welcome.templateChosen.connect(lambda name: open_template(win, name))

    left = QWidget()
    ll = QVBoxLayout(left)
    ll.setContentsMargins(0, 0, 0, 0)
    buttons = QWidget()
    buttons.setObjectName("runButtons")
    row = FlowLayout(buttons)
    win.run_button = flow_button(
        "runButton",
        translate("MainWindow", "Run"),
        translate("MainWindow", "Run (Ctrl+Enter)"),
        row,
    )
    win.stop_button = flow_button(
        "stopButton", translate("MainWindow", "Stop"), translate("MainWindow", "Stop (Esc)"), row
    )
    win.continue_button = flow_button(
        "continueButton",
        translate("MainWindow", "Continue"),
        translate("MainWindow", "Generate more from the end (Ctrl+Shift+Enter)"),
        row,
    )
    win.regenerate_button = flow_button(
        "regenerateButton",
        translate("MainWindow", "Regenerate"),
        translate("MainWindow", "Replace the last completion (Ctrl+R)"),
        row,
    )
    win.undo_button = flow_button(
        "undoButton",
        translate("MainWindow", "Undo"),
        translate("MainWindow", "The text as it was before the last run (Ctrl+Alt+Z)"),
        row,
    )
    win.redo_button = flow_button(
        "redoButton",
        translate("MainWindow", "Redo"),
        translate("MainWindow", "Bring back what Undo took away (Ctrl+Alt+Shift+Z)"),
        row,
    )
    win.run_button.setDefault(True)
    win.run_button.setStyleSheet("QPushButton#runButton { font-weight: bold; }")
    win.code_button = flow_button(
        "codeButton",
        translate("MainWindow", "Code"),
        translate("MainWindow", "This request as curl, Python or JavaScript"),
        row,
    )
    win.stats = QLabel()
    win.stats.setObjectName("promptStats")
    win.stats.setAccessibleName(translate("MainWindow", "Prompt length"))
    ll.addWidget(buttons)
    ll.addWidget(win.editor, 3)
    ll.addWidget(win.output_tabs, 2)

    scroll = QScrollArea()
    scroll.setObjectName("paramScroll")
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(win.params)
    # Without a horizontal scroll bar a panel wider than the viewport is cut off at the right
    # (the English "Frequency penalty · default · not sent" row needs ~280 px): the tab is as
    # wide as the panel's minimum, plus the vertical bar and the frame.
    scroll.setMinimumWidth(
        win.params.minimumSizeHint().width()
        + scroll.verticalScrollBar().sizeHint().width()
        + 2 * scroll.frameWidth()
    )
    win.history_panel = HistoryPanel(win.recorder)
    win.side_tabs = QTabWidget()
    win.side_tabs.setObjectName("sideTabs")
    win.side_tabs.addTab(scroll, translate("MainWindow", "Parameters"))
    win.side_tabs.addTab(win.history_panel, translate("MainWindow", "History"))

    # Playground and Compare are two modes of one window: they share the connection bar, the
    # Parameters tab (the settings every compare column starts from) and the History tab.
    win.mode_tabs = QTabWidget()
    win.mode_tabs.setObjectName("modeTabs")
    win.mode_tabs.setDocumentMode(True)
    win.mode_tabs.addTab(left, translate("MainWindow", "Playground"))
    win.mode_tabs.addTab(win.compare_view, translate("MainWindow", "Compare"))
    win.mode_tabs.setTabToolTip(
        1, translate("MainWindow", "One prompt, several providers, models and settings at once")
    )

    win.splitter = QSplitter(Qt.Orientation.Horizontal)
    win.splitter.setObjectName("mainSplitter")
    win.splitter.addWidget(win.mode_tabs)
    win.splitter.addWidget(win.side_tabs)
    win.splitter.setStretchFactor(0, 3)
    win.splitter.setStretchFactor(1, 1)
    win.splitter.setChildrenCollapsible(False)  # a collapsed panel looks like a missing one
    outer.addWidget(win.splitter, 1)
    win.setCentralWidget(central)

    win.run_status = QLabel()
    win.run_status.setObjectName("runStatus")
    win.run_status.setAccessibleName(translate("MainWindow", "Run status"))
    # A long status (first token, speed, tokens, finish reason) must not widen the window.
    win.run_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    win.run_status.setContentsMargins(6, 0, 0, 0)  # not flush against the window's edge
    win.statusBar().addPermanentWidget(win.run_status, 1)
    win.statusBar().addPermanentWidget(win.stats)
    win.resize(1180, 760)


def open_template(win: MainWindow, template: str) -> ProviderDialog:
    """The first-run panel's choice: the provider manager opens on a new profile made from
    ``template`` (the window selects it), ready for its key."""
    dialog = win.manage_providers()
    dialog.add_from_template(template)
    return dialog
