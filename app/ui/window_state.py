"""What the window remembers between sessions: last parameters and connection (settings.json),
the draft, and geometry (QSettings). API keys are never part of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _qsettings(win: MainWindow) -> QSettings:
    return QSettings(str(win.store.home / "window.ini"), QSettings.Format.IniFormat)


def save_settings(win: MainWindow) -> None:
    data = win.store.load_settings()
    data["params"] = win.params.state()
    data["connection"] = {"base_url": win.connection.custom_url()}
    win.store.save_settings(data)


def restore(win: MainWindow) -> None:
    data = win.store.load_settings()
    conn = data.get("connection")
    if isinstance(conn, dict) and isinstance(conn.get("base_url"), str):
        win.connection.set_custom_url(conn["base_url"])
    if win.providers.selected:
        win.connection.select(win.providers.selected)
    params = data.get("params")
    if isinstance(params, dict):
        win.params.restore(params)  # after the provider: the last model used wins
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


def save_geometry(win: MainWindow) -> None:
    qs = _qsettings(win)
    qs.setValue("geometry", win.saveGeometry())
    qs.setValue("splitter", win.splitter.saveState())
    qs.sync()
