"""Where Promptpad keeps its files, and how it writes them: atomically, never half-written.

Everything lives under one directory: ``$PROMPTPAD_HOME`` when set (tests, portable installs),
else the platform's user config dir. Settings are plain JSON (git-cola's habit); the draft of the
prompt being edited is its own small file, rewritten atomically on every debounced autosave so a
crash or ``kill -9`` loses at most the last half second of typing. API keys are never written
here (see keystore.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOME_ENV = "PROMPTPAD_HOME"


def app_home() -> Path:
    """The directory for every Promptpad file (created on first use)."""
    env = os.environ.get(HOME_ENV)
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_config_dir

        path = Path(user_config_dir("Promptpad", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory, fsync, then rename over the target.

    Readers see the old file or the new one, never a mix; a crash leaves the old file intact.
    """
    import tempfile  # (imports random, shutil...: not needed to open the window)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


def read_json(path: Path, default: Any = None) -> Any:
    """The file's JSON, or ``default`` when it is missing or unreadable (never raises)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


@dataclass
class Draft:
    """The editor's content: its text and which character ranges are model output."""

    text: str = ""
    completions: list[tuple[int, int]] = field(default_factory=list)  # [start, end) ranges
    cursor: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Draft | None:
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return None
        ranges = []
        for item in data.get("completions") or []:
            if (
                isinstance(item, list | tuple)
                and len(item) == 2
                and all(isinstance(x, int) for x in item)
            ):
                ranges.append((int(item[0]), int(item[1])))
        cursor = data.get("cursor", 0)
        return cls(data["text"], ranges, cursor if isinstance(cursor, int) else 0)


class Store:
    """The files under app_home(): settings.json and draft.json."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or app_home()
        self.home.mkdir(parents=True, exist_ok=True)

    @property
    def settings_path(self) -> Path:
        return self.home / "settings.json"

    @property
    def draft_path(self) -> Path:
        return self.home / "draft.json"

    def load_settings(self) -> dict[str, Any]:
        data = read_json(self.settings_path, {})
        return data if isinstance(data, dict) else {}

    def save_settings(self, data: dict[str, Any]) -> None:
        atomic_write_json(self.settings_path, data)

    def load_draft(self) -> Draft | None:
        return Draft.from_json(read_json(self.draft_path))

    def save_draft(self, draft: Draft) -> None:
        atomic_write_json(self.draft_path, draft.to_json())
