"""What the window remembers between sessions: last parameters and connection (settings.json),
the draft, and geometry (QSettings). API keys are never part of it.

The parameters are the request draft's own JSON shape (``RequestDraft.to_json``), read back with
``RequestDraft.from_json``. Settings written by earlier versions hold the old panel's widget
state instead; ``draft_from_panel_state`` reads that shape once, and the next save writes the
new one.

Everything read here comes from files a user (or anything else) may have edited: a value of the
wrong type or out of range is skipped (its default stays) with a note in the log, a file that
cannot be read was set aside by the store and the window says where. None of it may stop the
window from opening, and a save that fails is shown, not raised.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from app.core.draft import FORMAT_VERSION, RequestDraft
from app.core.playground import unescape_visible
from app.ui.menus import MAX_FONT, MIN_FONT, editor_font_state, set_editor_font

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger("promptpad")


def _qsettings(win: MainWindow) -> QSettings:
    return QSettings(str(win.store.home / "window.ini"), QSettings.Format.IniFormat)


def _settings_name() -> str:
    return QCoreApplication.translate("window_state", "The settings")


def save_settings(win: MainWindow) -> None:
    data = win.store.load_settings()
    data["params"] = win.draft.to_json()
    data["connection"] = {"base_url": win.connection.custom_url()}
    data["editor"] = editor_font_state(win.editor)
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
    if "params" in data:
        _restore_params(win, data["params"])  # after the provider: the last model used wins
    _restore_font(win, data.get("editor"))
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


def _restore_font(win: MainWindow, saved: Any) -> None:
    """The editor's font as View left it; anything odd in the file is passed over."""
    if not isinstance(saved, dict):
        return
    mono, size = saved.get("monospace"), saved.get("size")
    if isinstance(mono, bool):
        win.menu_actions.monospace.setChecked(mono)  # sets the font through its toggled signal
    if isinstance(size, int) and not isinstance(size, bool) and MIN_FONT <= size <= MAX_FONT:
        set_editor_font(win.editor, size=size)


def _restore_params(win: MainWindow, params: Any) -> None:
    if isinstance(params, dict) and "fields" not in params and "version" not in params:
        saved, notes = draft_from_panel_state(params)
    else:
        saved, notes = RequestDraft.from_json(params)
    for note in notes:
        log.warning("settings.json: %s", note)
    if not (isinstance(saved.value("model"), str) and saved.value("model").strip()):
        saved.set("model", win.draft.value("model"))  # no saved model: keep the provider's
    win.draft.assign(saved)


def draft_from_panel_state(state: dict[str, Any]) -> tuple[RequestDraft, list[str]]:
    """The request draft from the parameters as versions before the draft saved them (the
    panel's widget state: spin boxes with "off" values, escaped stop texts, raw JSON text).

    Every value is then checked as any saved draft is (``RequestDraft.from_json``): what is
    unusable falls back to its default, with a note.
    """
    fields: dict[str, Any] = {}
    notes: list[str] = []
    if isinstance(state.get("model"), str):
        fields["model"] = state["model"]
    numbers = state.get("numbers")
    for name, entry in (numbers if isinstance(numbers, dict) else {}).items():
        if isinstance(entry, dict) and entry.get("set") is True and "value" in entry:
            fields[name] = entry["value"]
    if isinstance(state.get("stream"), bool):
        fields["stream"] = state["stream"]
    for name, off in (("n", 0), ("best_of", 0), ("logprobs", -1)):
        value = state.get(name)
        if value != off and value is not None:  # the spin box's "default"/"off" is not sent
            fields[name] = value
    if state.get("echo") is True:
        fields["echo"] = True
    seed = state.get("seed")
    if isinstance(seed, str) and seed.strip():
        try:
            fields["seed"] = int(seed.strip())
        except ValueError:
            notes.append("seed: the saved value is unusable; default used")
    stops = state.get("stop")
    if isinstance(stops, list) and stops:
        fields["stop"] = stops[0] if len(stops) == 1 else stops
    suffix = state.get("suffix")
    if isinstance(suffix, str) and suffix:
        fields["suffix"] = unescape_visible(suffix)
    user = state.get("user")
    if isinstance(user, str) and user.strip():
        fields["user"] = user.strip()
    for name in ("logit_bias", "extra"):
        text = state.get(name)
        if isinstance(text, str) and text.strip():
            try:
                fields[name] = json.loads(text)
            except (ValueError, RecursionError):
                notes.append(f"{name}: the saved value is unusable; default used")
    draft, more = RequestDraft.from_json({"version": FORMAT_VERSION, "fields": fields})
    return draft, notes + more


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
