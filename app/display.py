"""Can this process open a window? Said in one clear sentence, before Qt is asked.

Without a graphical session Qt prints "could not connect to display", then "This application
failed to start because no Qt platform plugin could be initialized" and aborts (SIGABRT, and a
core dump where the system keeps them); with a display but without the X11 libraries it names a
library ("xcb-cursor0 is needed") and aborts the same way. Neither tells a newcomer what to do.
This module imports no Qt, so the check costs nothing when all is well.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

# Platforms that need no display server (QT_QPA_PLATFORM=offscreen for tests and --self-test).
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
# What Qt's xcb plugin cannot start without (the libraries it names before aborting).
# (library name → Debian package)
_XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "glib-2.0": "libglib2.0-0",
}
# The sonames Qt's xcb plugin loads. Loading them is the check: ctypes.util.find_library runs
# ``ldconfig -p`` in a subprocess (~6 ms on every start), and Qt loads these libraries anyway.
_SONAMES = {
    "xcb-cursor": "libxcb-cursor.so.0",
    "xcb-icccm": "libxcb-icccm.so.4",
    "xcb-keysyms": "libxcb-keysyms.so.1",
    "xkbcommon-x11": "libxkbcommon-x11.so.0",
    "glib-2.0": "libglib-2.0.so.0",
}


def _loadable(name: str) -> str | None:
    """The library's soname if the dynamic loader finds it, else None."""
    import ctypes

    soname = _SONAMES[name]
    try:
        ctypes.CDLL(soname)
    except OSError:
        return None
    return soname


def graphical_session_problem(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    find_library: Callable[[str], str | None] = _loadable,
) -> str | None:
    """A sentence saying why no window can open here, or None when one can."""
    env = os.environ if environ is None else environ
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # Windows and macOS always have their native platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if qpa in _HEADLESS:
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "Promptpad needs a graphical session (X11 or Wayland) and none was found: neither "
            "DISPLAY nor WAYLAND_DISPLAY is set. Start it from a desktop session (or with ssh -X), "
            "or use the command line instead, which needs none: promptpad complete --help"
        )
    uses_xcb = qpa == "xcb" or (qpa == "" and not env.get("WAYLAND_DISPLAY"))
    if uses_xcb:
        missing = [pkg for name, pkg in _XCB_LIBS.items() if not find_library(name)]
        if missing:
            return (
                "Promptpad cannot open its window: libraries that Qt needs for X11 are missing. "
                f"On Debian or Ubuntu: sudo apt install {' '.join(missing)} (from a source "
                "checkout, bash scripts/install.sh installs all of them)"
            )
    return None
