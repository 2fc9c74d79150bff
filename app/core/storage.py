"""Where Promptpad keeps its files, and how it reads and writes them without ever losing one.

Everything lives under one directory: ``$PROMPTPAD_HOME`` when set (tests, portable installs),
else the platform's user config dir. Settings are plain JSON (git-cola's habit); the draft of the
prompt being edited is its own small file, rewritten atomically on every debounced autosave so a
crash or ``kill -9`` loses at most the last half second of typing. API keys are never written
here (see keystore.py), but prompts and outputs are: the directory is made private to the user
(0700) and every file in it 0600.

Reading trusts nothing. A file that cannot be read as what it should be (truncated, binary,
nested deeper than any file we write, the wrong shape) is moved aside with a timestamp
(``settings.unreadable-20250102-030405.json``) and the caller is told where it went; if it cannot
even be moved, it is never written over for the rest of the session. Values inside a readable
file are checked by the code that uses them; a bad one falls back to its default with a note in
the log.
"""

from __future__ import annotations

import json
import logging
import math
import os
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOME_ENV = "PROMPTPAD_HOME"
# Deeper than anything Promptpad writes (settings nest 3 levels). A hostile 1,000-level file
# is rejected before anything walks it recursively (json.dumps on the next save, repr in a log).
MAX_DEPTH = 32

log = logging.getLogger("promptpad.storage")


class StorageError(OSError):
    """A file that must not be written (it could not be read and could not be moved aside)."""


def app_home() -> Path:
    """The directory for every Promptpad file, private to the user.

    Created on first use; never raises: a home that cannot be created (read-only disk, a parent
    that is a file) must not stop the window from opening. Writes will fail later, visibly.
    """
    env = os.environ.get(HOME_ENV)
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_config_dir

        path = Path(user_config_dir("Promptpad", appauthor=False))
    make_private_dir(path)
    return path


def make_private_dir(path: Path) -> bool:
    """Create ``path`` (0700) if missing and take group/other access away; False on failure."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("cannot create %s: %s", path, exc.strerror or exc)
        return False
    secure_home(path)
    return True


def secure_home(home: Path) -> None:
    """The permission pass: the home 0700, every regular file directly in it 0600.

    Prompts and outputs live in draft.json, settings.json and history.sqlite3 (and its -wal),
    promptpad.log names hosts and models: none of it is anyone else's business on a shared
    machine. Files made by older versions, by SQLite or by logging (created with the umask's
    0644) are fixed here, at every start. Never raises.
    """
    try:
        st = home.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            home.chmod(stat.S_IMODE(st.st_mode) & 0o700)
    except (OSError, AttributeError):  # AttributeError: os.getuid does not exist on Windows
        pass
    try:
        entries = list(os.scandir(home))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False):
                mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                if mode & 0o077:
                    os.chmod(entry.path, mode & 0o700)
        except OSError:
            continue


def private_umask() -> None:
    """Files this process creates from now on are 0600 (SQLite's, logging's, QSettings')."""
    os.umask(0o077)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory, fsync, then rename over the target.

    Readers see the old file or the new one, never a mix; a crash leaves the old file intact.
    The file is 0600 (mkstemp's mode). Raises OSError (read-only or full disk).
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


def dump_json(data: Any) -> bytes:
    """UTF-8 JSON; text holding a lone surrogate (which UTF-8 cannot encode) is \\u-escaped."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, indent=2).encode("ascii")


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, dump_json(data))


def read_json(path: Path, default: Any = None) -> Any:
    """The file's JSON, or ``default`` when it is missing or unreadable (never raises).

    For files Promptpad only reads (its own resources). Files it also writes go through
    JsonFile, which keeps an unreadable file instead of letting the next save replace it.
    """
    try:
        data = parse_json(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return default
    return data


def parse_json(raw: bytes) -> Any:
    """Strict UTF-8 JSON no deeper than MAX_DEPTH; raises ValueError otherwise.

    NaN and Infinity are let through (Python's json reads them): the code that uses a number
    checks that it is finite and in range.
    """
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:  # the C scanner's own limit, around 1,000 levels
        raise ValueError("nested too deeply") from exc
    if depth_exceeds(data, MAX_DEPTH):
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    return data


def depth_exceeds(data: Any, limit: int) -> bool:
    """True if containers nest more than ``limit`` deep (iterative: no recursion to exhaust)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read: why, and where it was put (None: it stayed, untouched)."""

    path: Path
    reason: str
    moved_to: Path | None = None
    copied: bool = False  # partly readable: a copy was set aside, the file itself is repaired


class JsonFile:
    """One JSON file under the home that Promptpad reads and writes.

    ``load()`` gives the data, or None when the file is missing or unreadable; an unreadable
    one is moved aside and reported in ``unreadable``. If it cannot be moved (read-only home),
    ``save()`` refuses for the rest of the session: whatever is in it, it is not ours to lose.
    """

    def __init__(self, path: Path, check: Callable[[Any], str | None] | None = None) -> None:
        self.path = path
        self._check = check or _expect_object
        self.unreadable: Unreadable | None = None
        self._blocked = False

    def load(self) -> Any:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._set_aside(f"cannot be read ({exc.strerror or exc})")
            return None
        try:
            data = parse_json(raw)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
            self._set_aside(f"not valid JSON: {why}")
            return None
        problem = self._check(data)
        if problem:
            self._set_aside(problem)
            return None
        return data

    def save(self, data: Any) -> None:
        """Write atomically; raises OSError (StorageError when this file must not be written)."""
        if self._blocked:
            raise StorageError(
                f"{self.path} could not be read and could not be moved aside; "
                "it is left as it is and not written"
            )
        atomic_write_json(self.path, data)

    def keep_copy(self, reason: str) -> None:
        """Part of the file is unusable: keep a copy of it as it is, before it is rewritten."""
        target = _aside_name(self.path)
        try:
            import shutil

            shutil.copy2(self.path, target)
        except OSError as exc:
            log.warning("cannot copy %s aside: %s", self.path, exc.strerror or exc)
            self._blocked = True
            self.unreadable = Unreadable(self.path, reason)
            return
        log.warning("%s: %s; a copy was kept as %s", self.path, reason, target)
        self.unreadable = Unreadable(self.path, reason, target, copied=True)

    def _set_aside(self, reason: str) -> None:
        target = _aside_name(self.path)
        try:
            os.rename(self.path, target)
        except OSError as exc:
            log.warning(
                "%s is unreadable (%s) and cannot be moved aside (%s): it will not be written",
                self.path,
                reason,
                exc.strerror or exc,
            )
            self._blocked = True
            self.unreadable = Unreadable(self.path, reason)
            return
        log.warning("%s is unreadable (%s): moved to %s", self.path, reason, target)
        self._blocked = False
        self.unreadable = Unreadable(self.path, reason, target)


def _aside_name(path: Path) -> Path:
    """``<stem>.unreadable-<local time><suffix>``, next to the file; never an existing name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.unreadable-{stamp}-{n}{path.suffix}")
        n += 1
    return target


def _expect_object(data: Any) -> str | None:
    return None if isinstance(data, dict) else "not a JSON object"


def _expect_draft(data: Any) -> str | None:
    ok = isinstance(data, dict) and isinstance(data.get("text"), str)
    return None if ok else "not a draft (no text)"


@dataclass
class Draft:
    """The editor's content: its text and which character ranges are model output."""

    text: str = ""
    completions: list[tuple[int, int]] = field(default_factory=list)  # [start, end) ranges
    cursor: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def size(self) -> int:
        """What keeping it costs, in characters (the undo stack's budget counts these)."""
        return len(self.text)

    @classmethod
    def from_json(cls, data: Any) -> Draft | None:
        """The draft in ``data``, or None without its text. Ranges and the cursor are positions
        in the editor (UTF-16 code units); any outside the text is dropped (or clamped)."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return None
        text = data["text"]
        size = utf16_len(text)
        ranges: list[tuple[int, int]] = []
        items = data.get("completions")
        dropped = 0
        for item in items if isinstance(items, list) else []:
            if (
                isinstance(item, list | tuple)
                and len(item) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in item)
                and 0 <= item[0] < item[1] <= size
            ):
                ranges.append((item[0], item[1]))
            else:
                dropped += 1
        ranges.sort()
        for i in range(len(ranges) - 1, 0, -1):  # overlapping ones: the later start is dropped
            if ranges[i][0] < ranges[i - 1][1]:
                del ranges[i]
                dropped += 1
        if dropped:
            log.warning("draft: %d output range(s) outside the text were dropped", dropped)
        cursor = data.get("cursor", 0)
        if not isinstance(cursor, int) or isinstance(cursor, bool) or not 0 <= cursor <= size:
            cursor = size
        return cls(text, ranges, cursor)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (Qt's positions)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def finite(value: Any, minimum: float, maximum: float) -> bool:
    """``value`` is a real number (not bool, not NaN or infinite) within [minimum, maximum]."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and minimum <= value <= maximum
    )


class Store:
    """The files under app_home(): settings.json and draft.json.

    ``unreadable`` lists the files that could not be read at load time (for the window to say so).
    """

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or app_home()
        make_private_dir(self.home)
        self._settings = JsonFile(self.home / "settings.json")
        self._draft = JsonFile(self.home / "draft.json", _expect_draft)

    @property
    def settings_path(self) -> Path:
        return self._settings.path

    @property
    def draft_path(self) -> Path:
        return self._draft.path

    @property
    def unreadable(self) -> list[Unreadable]:
        return [f.unreadable for f in (self._settings, self._draft) if f.unreadable is not None]

    def load_settings(self) -> dict[str, Any]:
        data = self._settings.load()
        return data if isinstance(data, dict) else {}

    def save_settings(self, data: dict[str, Any]) -> None:
        self._settings.save(data)

    def load_draft(self) -> Draft | None:
        return Draft.from_json(self._draft.load())

    def save_draft(self, draft: Draft) -> None:
        self._draft.save(draft.to_json())
