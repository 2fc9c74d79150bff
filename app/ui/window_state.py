"""What the window remembers between sessions: last parameters and connection (settings.json),
the draft, and geometry (QSettings). API keys are never part of it.

Everything read here comes from files a user (or anything else) may have edited: a value of the
wrong type or out of range is skipped (its default stays) with a note in the log, a file that
cannot be read was set aside by the store and the window says where. None of it may stop the
window from opening, and a save that fails is shown, not raised.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger("promptpad")


def _qsettings(win: MainWindow) -> QSettings:
    return QSettings(str(win.store.home / "window.ini"), QSettings.Format.IniFormat)


def _settings_name() -> str:
    return QCoreApplication.translate("window_state", "The settings")


def save_settings(win: MainWindow) -> None:
    data = win.store.load_settings()
    data["params"] = win.params.state()
    data["connection"] = {"base_url": win.connection.custom_url()}
    try:
        win.store.save_settings(data)
    except OSError as exc:
        log.warning("the settings could not be saved: %s", exc)
        win.notices.save_failed(_settings_name(), exc.strerror or str(exc))
    else:
        win.notices.saved(_settings_name())
    _show_unreadable(win)  # the settings file may have been found unreadable just now


def restore(win: MainWindow) -> None:
    data = win.store.load_settings()
    conn = data.get("connection")
    if isinstance(conn, dict) and isinstance(conn.get("base_url"), str):
        win.connection.set_custom_url(conn["base_url"])
    elif "connection" in data:
        log.warning("settings.json: a bad connection was replaced by its default")
    if win.providers.selected:
        win.connection.select(win.providers.selected)
    params = data.get("params")
    if isinstance(params, dict):
        win.params.restore(params)  # after the provider: the last model used wins
    elif "params" in data:
        log.warning("settings.json: bad parameters were replaced by their defaults")
    draft = win.store.load_draft()
    if draft is not None:
        win.editor.restore(draft)
    qs = _qsettings(win)
    geo = qs.value("geometry")
    if isinstance(geo, QByteArray | bytes):
        win.restoreGeometry(QByteArray(geo))
    split = qs.value("splitter")
    if isinstance(split, QByteArray | bytes):
        win.splitter.restoreState(QByteArray(split))
    win.autosave.failed.connect(win.notices.draft_failed)
    win.autosave.saved.connect(win.notices.draft_saved)
    _show_unreadable(win)


def _show_unreadable(win: MainWindow) -> None:
    items = list(win.store.unreadable)
    if win.providers.unreadable is not None:
        items.append(win.providers.unreadable)
    for item in items:
        win.notices.unreadable(item)


def save_geometry(win: MainWindow) -> None:
    qs = _qsettings(win)
    qs.setValue("geometry", win.saveGeometry())
    qs.setValue("splitter", win.splitter.saveState())
    qs.sync()
