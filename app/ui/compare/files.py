"""The Compare controller's files: save and open comparisons by name, export a result, and the
working copy (the comparison being edited, autosaved). Every file is read and written on the
comparisons lane, never on the GUI thread; the words are in the CompareController context."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, SignalInstance

from app.core.compare import Comparison
from app.core.compare_export import result_json, result_markdown
from app.core.compare_store import ComparisonStore, usable_name
from app.core.storage import JsonFile, atomic_write_bytes, dump_json
from app.ui import ops

if TYPE_CHECKING:
    from app.core.compare_run import ComparisonResult

log = logging.getLogger("promptpad")

LANE = "comparisons"  # the worker lane of comparison files
WORKING_COPY = "compare.json"  # the comparison being edited, autosaved under the home


class CompareFiles:
    """A mixin of CompareController (a QObject with these signals and attributes)."""

    comparison: Comparison
    result: ComparisonResult | None
    store: ComparisonStore
    _working: JsonFile
    status: SignalInstance
    errorShown: SignalInstance
    namesListed: SignalInstance
    columnsChanged: SignalInstance
    loaded: SignalInstance

    columns: Any  # (properties of the controller)
    busy: Any
    replace: Callable[[Comparison], None]

    def save(self, name: str) -> bool:
        """Save under ``name`` (on the comparisons lane); False at once for an unusable name."""
        if not usable_name(name):
            return False
        data = Comparison.from_json(self.comparison.to_json())[0]
        data.shared = self.comparison.shared.copy()
        self._on_lane(
            lambda: self.store.save(name, data),
            lambda _path: QCoreApplication.translate(
                "CompareController", "Comparison saved as %1"
            ).replace("%1", name),
            QCoreApplication.translate(
                "CompareController", "The comparison could not be saved: %1"
            ),
        )
        return True

    def _on_lane(self, work: Callable[[], Any], said: Callable[[Any], str], failed: str) -> None:
        """``work`` on the comparisons lane; then ``said(its result)`` in the status bar, or
        ``failed`` (its %1: why) in the error bar."""
        ops.run_in_background(
            work,
            lambda result: self.status.emit(said(result)),
            lambda exc: self.errorShown.emit(failed.replace("%1", ops.describe(exc))),
            lane=LANE,
            parent=self,
        )

    def list_saved(self) -> None:
        ops.run_in_background(self.store.names, self.namesListed.emit, lane=LANE, parent=self)

    def open_saved(self, name: str) -> None:
        def done(found: tuple[Comparison | None, list[str]]) -> None:
            comparison, notes = found
            for note in notes:
                log.info("comparison %r: %s", name, note)
            if comparison is None:
                self.errorShown.emit(
                    QCoreApplication.translate(
                        "CompareController", "The comparison %1 could not be read"
                    ).replace("%1", name)
                    + ("" if not notes else ": " + "; ".join(notes))
                )
                return
            self.replace(comparison)
            self.status.emit(
                QCoreApplication.translate("CompareController", "Opened the comparison %1").replace(
                    "%1", name
                )
            )

        ops.run_in_background(lambda: self.store.load(name), done, lane=LANE, parent=self)

    def export(self, path: Path, kind: str) -> None:
        """The last result as Markdown (``kind`` "md") or JSON, written on the lane."""
        result = self.result
        if result is None:
            return
        if kind == "md":
            data = result_markdown(result).encode("utf-8", "replace")  # (a lone surrogate)
        else:
            data = dump_json(result_json(result))

        def write() -> Path:
            atomic_write_bytes(path, data)
            return path

        self._on_lane(
            write,
            lambda p: QCoreApplication.translate("CompareController", "Exported to %1").replace(
                "%1", str(p)
            ),
            QCoreApplication.translate("CompareController", "The export could not be written: %1"),
        )

    def load_working_copy(self, then: Callable[[], None] | None = None) -> None:
        """The comparison being edited when the window last closed (or crashed)."""

        def done(data: Any) -> None:
            if data is not None and not self.columns and not self.busy:
                comparison, notes = Comparison.from_json(data)
                for note in notes:
                    log.info("%s: %s", WORKING_COPY, note)
                # The working copy's shared settings are the window's own (settings.json):
                # only the prompt, the columns and the repeats come back.
                comparison.shared = self.comparison.shared
                self.comparison = comparison
                self.columnsChanged.emit()
                self.loaded.emit()
            if then is not None:
                then()

        ops.run_in_background(self._working.load, done, lane=LANE, parent=self)

    def _save_working_copy(self, background: bool = True) -> None:
        data = self.comparison.to_json()
        data["saved"] = time.time()
        if not background:
            ops.wait_for_lane(LANE, 2.0)
            try:
                self._working.save(data)
            except OSError as exc:
                log.warning("the comparison could not be autosaved: %s", exc)
            return
        ops.run_in_background(
            lambda: self._working.save(data),
            None,
            lambda exc: self.errorShown.emit(
                QCoreApplication.translate(
                    "CompareController", "The comparison could not be autosaved: %1"
                ).replace("%1", ops.describe(exc))
            ),
            lane=LANE,
            parent=self,
        )
