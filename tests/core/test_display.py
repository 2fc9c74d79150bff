"""Without a graphical session the app says so in a sentence; it does not let Qt abort.

The unit half feeds graphical_session_problem() environments; the process half starts the real
entry point with no DISPLAY and checks the exit status and what a user reads.
"""

from __future__ import annotations

import os
import subprocess
import sys

from app.display import graphical_session_problem


def _all_found(name: str) -> str:
    return f"lib{name}.so"


def test_no_display_is_a_clear_sentence() -> None:
    problem = graphical_session_problem({}, "linux", _all_found)
    assert problem is not None
    assert "graphical session" in problem
    assert "promptpad complete" in problem  # what to do instead


def test_a_display_or_a_headless_platform_is_fine() -> None:
    assert graphical_session_problem({"DISPLAY": ":0"}, "linux", _all_found) is None
    assert graphical_session_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", _all_found) is None
    assert graphical_session_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", _all_found) is None
    assert graphical_session_problem({}, "win32", _all_found) is None
    assert graphical_session_problem({}, "darwin", _all_found) is None


def test_missing_x11_libraries_are_named_as_packages() -> None:
    def no_cursor(name: str) -> str | None:
        return None if name == "xcb-cursor" else f"lib{name}.so"

    problem = graphical_session_problem({"DISPLAY": ":0"}, "linux", no_cursor)
    assert problem is not None
    assert "sudo apt install libxcb-cursor0" in problem
    # Wayland does not load the xcb plugin, so the X11 libraries do not matter there.
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert graphical_session_problem(env, "linux", no_cursor) is None


def test_the_real_entry_point_without_a_display_exits_1_with_the_sentence(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PROMPTPAD_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "app"], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 1, out.stderr
    assert "needs a graphical session" in out.stderr
    assert "qt.qpa" not in out.stderr
    assert "Aborted" not in out.stderr
