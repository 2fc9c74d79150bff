"""The window's menu bar and shortcuts: File, Edit, Run, View, Help.

Every action a button offers is here too, with a shortcut a playground user reaches for without
the mouse. Undo and Redo of *runs* use Ctrl+Alt+Z / Ctrl+Alt+Shift+Z: plain Ctrl+Z stays the
editor's own undo of typing. The editor's font (monospace or the proportional default, and its
size) is a View setting, remembered with the other settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from app import __version__

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MIN_FONT, MAX_FONT = 7, 40


# lupdate reads translate("Ctx", "…") calls with literal strings.
translate = QCoreApplication.translate


@dataclass
class Actions:
    """The actions of the menu bar (tests and the window reach them by name)."""

    run: QAction
    continue_: QAction
    regenerate: QAction
    stop: QAction
    undo_run: QAction
    redo_run: QAction
    code: QAction
    providers: QAction
    quit: QAction
    monospace: QAction
    bigger: QAction
    smaller: QAction
    about: QAction


def install_menus(win: MainWindow) -> Actions:
    """Build the menu bar of ``win`` and connect its actions to the window's slots."""

    def action(name: str, text: str, *keys: str) -> QAction:
        a = QAction(text, win)
        a.setObjectName(name)
        a.setShortcuts([QKeySequence(k) for k in keys])
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        win.addAction(a)  # shortcuts work while the menu bar is hidden (macOS, tests)
        return a

    acts = Actions(
        run=action("runAction", translate("Menus", "&Run"), "Ctrl+Return", "Ctrl+Enter"),
        continue_=action(
            "continueAction",
            translate("Menus", "&Continue"),
            "Ctrl+Shift+Return",
            "Ctrl+Shift+Enter",
        ),
        regenerate=action("regenerateAction", translate("Menus", "Re&generate"), "Ctrl+R"),
        stop=action("stopAction", translate("Menus", "&Stop"), "Esc"),
        undo_run=action("undoRunAction", translate("Menus", "&Undo the last run"), "Ctrl+Alt+Z"),
        redo_run=action("redoRunAction", translate("Menus", "&Redo the run"), "Ctrl+Alt+Shift+Z"),
        code=action("codeAction", translate("Menus", "View &code…"), "Ctrl+Shift+C"),
        providers=action("providersAction", translate("Menus", "&Providers…"), "Ctrl+Shift+P"),
        quit=action("quitAction", translate("Menus", "&Quit"), "Ctrl+Q"),
        monospace=action("monospaceAction", translate("Menus", "&Monospace font"), "Ctrl+Shift+M"),
        bigger=action("biggerAction", translate("Menus", "&Bigger text"), "Ctrl++", "Ctrl+="),
        smaller=action("smallerAction", translate("Menus", "&Smaller text"), "Ctrl+-"),
        about=action("aboutAction", translate("Menus", "&About Promptpad")),
    )
    acts.monospace.setCheckable(True)
    bar = win.menuBar()
    bar.setObjectName("menuBar")
    file_menu = bar.addMenu(translate("Menus", "&File"))
    file_menu.addAction(acts.providers)
    file_menu.addSeparator()
    file_menu.addAction(acts.quit)
    edit_menu = bar.addMenu(translate("Menus", "&Edit"))
    edit_menu.addAction(acts.undo_run)
    edit_menu.addAction(acts.redo_run)
    run_menu = bar.addMenu(translate("Menus", "&Run"))
    for a in (acts.run, acts.continue_, acts.regenerate, acts.stop):
        run_menu.addAction(a)
    run_menu.addSeparator()
    run_menu.addAction(acts.code)
    view_menu = bar.addMenu(translate("Menus", "&View"))
    for a in (acts.monospace, acts.bigger, acts.smaller):
        view_menu.addAction(a)
    help_menu = bar.addMenu(translate("Menus", "&Help"))
    help_menu.addAction(acts.about)

    acts.run.triggered.connect(win.run_or_explain)
    acts.continue_.triggered.connect(win.continue_)
    acts.regenerate.triggered.connect(win.regenerate)
    acts.stop.triggered.connect(win.stop)
    acts.undo_run.triggered.connect(win.undo)
    acts.redo_run.triggered.connect(win.redo)
    acts.code.triggered.connect(win.show_code)
    acts.providers.triggered.connect(win.manage_providers)
    acts.quit.triggered.connect(win.close)
    acts.monospace.toggled.connect(lambda on: set_editor_font(win.editor, monospace=on))
    acts.bigger.triggered.connect(lambda: set_editor_font(win.editor, step=1))
    acts.smaller.triggered.connect(lambda: set_editor_font(win.editor, step=-1))
    acts.about.triggered.connect(lambda: show_about(win))
    return acts


def set_editor_font(
    editor: QPlainTextEdit, *, monospace: bool | None = None, size: int | None = None, step: int = 0
) -> None:
    """The editor's font: monospace or the application's, at ``size`` points (or ``step``
    points bigger or smaller), within 7 to 40 points."""
    font = QFont(editor.font())
    if monospace is not None:
        family = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        base = QFont(family) if monospace else QFont()
        base.setPointSizeF(font.pointSizeF())
        font = base
        editor.setProperty("monospace", monospace)
    points = size if size is not None else round(font.pointSizeF()) + step
    font.setPointSizeF(float(max(MIN_FONT, min(MAX_FONT, points))))
    editor.setFont(font)


def editor_font_state(editor: QPlainTextEdit) -> dict[str, object]:
    """What settings.json keeps of the editor's font."""
    return {
        "monospace": bool(editor.property("monospace")),
        "size": round(editor.font().pointSizeF()),
    }


def show_about(win: MainWindow) -> QMessageBox:
    box = QMessageBox(win)
    box.setObjectName("aboutBox")
    box.setWindowTitle(translate("Menus", "About Promptpad"))
    box.setText(
        translate("Menus", "Promptpad %1").replace("%1", __version__)
        + "\n\n"
        + translate(
            "Menus",
            "A playground for OpenAI-compatible text-completion APIs: relays, OpenAI and "
            "local servers.",
        )
    )
    box.setIcon(QMessageBox.Icon.Information)
    box.open()  # never exec(): the qasync loop must keep running
    return box
