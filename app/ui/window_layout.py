"""The playground window's layout: the connection bar, the error and notice bars, the button
row, the editor with the choice panes, the parameter and history tabs, the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.error_bar import ErrorBar
from app.ui.widgets.history import HistoryPanel
from app.ui.widgets.notices import NoticeBar

if TYPE_CHECKING:
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

    left = QWidget()
    ll = QVBoxLayout(left)
    ll.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    win.run_button = _button(
        "runButton",
        translate("MainWindow", "Run"),
        translate("MainWindow", "Run (Ctrl+Enter)"),
        row,
    )
    win.stop_button = _button(
        "stopButton", translate("MainWindow", "Stop"), translate("MainWindow", "Stop (Esc)"), row
    )
    win.continue_button = _button(
        "continueButton",
        translate("MainWindow", "Continue"),
        translate("MainWindow", "Generate more from the end (Ctrl+Shift+Enter)"),
        row,
    )
    win.regenerate_button = _button(
        "regenerateButton",
        translate("MainWindow", "Regenerate"),
        translate("MainWindow", "Replace the last completion (Ctrl+R)"),
        row,
    )
    win.undo_button = _button(
        "undoButton",
        translate("MainWindow", "Undo"),
        translate("MainWindow", "The text as it was before the last run (Ctrl+Alt+Z)"),
        row,
    )
    win.redo_button = _button(
        "redoButton",
        translate("MainWindow", "Redo"),
        translate("MainWindow", "Bring back what Undo took away (Ctrl+Alt+Shift+Z)"),
        row,
    )
    win.run_button.setDefault(True)
    win.run_button.setStyleSheet("QPushButton#runButton { font-weight: bold; }")
    row.addStretch(1)
    win.code_button = _button(
        "codeButton",
        translate("MainWindow", "Code"),
        translate("MainWindow", "This request as curl, Python or JavaScript"),
        row,
    )
    win.stats = QLabel()
    win.stats.setObjectName("promptStats")
    win.stats.setAccessibleName(translate("MainWindow", "Prompt length"))
    ll.addLayout(row)
    ll.addWidget(win.editor, 3)
    ll.addWidget(win.output_tabs, 2)

    scroll = QScrollArea()
    scroll.setObjectName("paramScroll")
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(win.params)
    scroll.setMinimumWidth(260)
    win.history_panel = HistoryPanel(win.recorder)
    win.side_tabs = QTabWidget()
    win.side_tabs.setObjectName("sideTabs")
    win.side_tabs.addTab(scroll, translate("MainWindow", "Parameters"))
    win.side_tabs.addTab(win.history_panel, translate("MainWindow", "History"))

    win.splitter = QSplitter(Qt.Orientation.Horizontal)
    win.splitter.setObjectName("mainSplitter")
    win.splitter.addWidget(left)
    win.splitter.addWidget(win.side_tabs)
    win.splitter.setStretchFactor(0, 3)
    win.splitter.setStretchFactor(1, 1)
    outer.addWidget(win.splitter, 1)
    win.setCentralWidget(central)

    win.run_status = QLabel()
    win.run_status.setObjectName("runStatus")
    win.run_status.setAccessibleName(translate("MainWindow", "Run status"))
    win.statusBar().addPermanentWidget(win.run_status, 1)
    win.statusBar().addPermanentWidget(win.stats)
    win.resize(1180, 760)


def _button(name: str, text: str, tip: str, row: QHBoxLayout) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(text)
    b.setToolTip(tip)
    row.addWidget(b)
    return b
