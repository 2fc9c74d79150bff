"""Where the read-only resources are: ``resources/`` beside the package, or in a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """resources/ of a source checkout, or of a PyInstaller bundle (sys._MEIPASS)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
