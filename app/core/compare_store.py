"""Saved comparisons: ``ComparisonStore`` keeps them by name as ``<home>/comparisons/<name>.json``.

A name becomes a file name, so ``usable_name`` says yes or no to it (the window words the reason
itself). Writes are atomic; a file that cannot be read is moved aside, never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.core.compare import Comparison
from app.core.storage import JsonFile, make_private_dir

# A name is a file name under comparisons/: no separators, no leading dot, nothing control.
_BAD_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


def usable_name(name: str) -> bool:
    """Can ``name`` be a saved comparison's name? It becomes a file name: not empty, no
    surrounding spaces, no leading dot, no separator or character a file system refuses, at most
    200 UTF-8 bytes. A yes/no: the window words the reason in its own (translated) text."""
    return bool(
        name.strip()
        and name.strip() == name
        and not name.startswith(".")
        and not _BAD_NAME.search(name)
        and len(name.encode("utf-8")) <= 200
    )


class ComparisonStore:
    """Comparisons saved by name as ``<home>/comparisons/<name>.json`` (atomic writes; an
    unreadable file is moved aside, never overwritten)."""

    def __init__(self, home: Path) -> None:
        self.folder = home / "comparisons"

    def names(self) -> list[str]:
        try:
            return sorted(
                p.stem for p in self.folder.glob("*.json") if ".unreadable-" not in p.name
            )
        except OSError:
            return []

    def save(self, name: str, comparison: Comparison) -> Path:
        """Raises ValueError for a bad name, OSError when it cannot be written."""
        if not usable_name(name):
            raise ValueError(f"{name!r} cannot be a comparison's name (it becomes a file name)")
        make_private_dir(self.folder)
        path = self.folder / f"{name}.json"
        JsonFile(path).save(comparison.to_json())
        return path

    def load(self, name: str) -> tuple[Comparison | None, list[str]]:
        """The saved comparison and notes on what was dropped; None when missing or unreadable."""
        if not usable_name(name):
            return None, []
        file = JsonFile(self.folder / f"{name}.json")
        data = file.load()
        if data is None:
            notes = [f"{file.unreadable.reason}; moved aside"] if file.unreadable else []
            return None, notes
        return Comparison.from_json(data)

    def delete(self, name: str) -> None:
        if usable_name(name):
            (self.folder / f"{name}.json").unlink(missing_ok=True)
