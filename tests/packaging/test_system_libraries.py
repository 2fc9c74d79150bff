"""Every system library that Qt loads on Linux comes from packaging/debian-gui-packages.txt.

A brand-new Debian has none of them (the start command died there on a missing libglib), and
offscreen tests never load the xcb or wayland plugins, so nothing else would notice. After
scripts/install.sh, ``ldd`` must resolve everything the Qt libraries and the plugins Qt loads
on a desktop link against. The list is the one install.sh installs and the .deb depends on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "packaging" / "debian-gui-packages.txt"
# The plugin folders Qt loads from on an X11 or Wayland desktop, and the Qt libraries we use.
PLUGIN_DIRS = (
    "platforms",
    "xcbglintegrations",
    "wayland-shell-integration",
    "wayland-graphics-integration-client",
    "wayland-decoration-client",
    "imageformats",
    "iconengines",
    "tls",
    "generic",
)
QT_LIBS = ("Core", "Gui", "Widgets", "Network", "DBus", "XcbQpa", "WaylandClient")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="ldd and Debian packages: Linux")


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def _loaded_by_qt() -> list[Path]:
    qt = _qt_dir()
    libs = [qt / "lib" / f"libQt6{name}.so.6" for name in QT_LIBS]
    plugins = [p for d in PLUGIN_DIRS for p in sorted((qt / "plugins" / d).glob("*.so"))]
    return [p for p in libs if p.exists()] + plugins


def _missing(binary: Path) -> set[str]:
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
    # A Qt module that PySide6-Essentials does not ship (libQt6Pdf for the PDF image plugin)
    # leaves that one plugin unloadable, which Qt passes over; system libraries are what count.
    return {
        line.split()[0]
        for line in out.stdout.splitlines()
        if "not found" in line and not line.strip().startswith("libQt6")
    }


def test_the_package_list_is_what_install_sh_installs() -> None:
    install = (ROOT / "scripts" / "install.sh").read_text()
    assert "packaging/debian-gui-packages.txt" in install
    names = [line.split("#")[0].strip() for line in PACKAGES.read_text().splitlines()]
    names = [n for n in names if n]
    assert "libglib2.0-0" in names  # what the brand-new Debian lacked
    assert len(names) == len(set(names))


def test_ldd_resolves_every_library_qt_loads() -> None:
    binaries = _loaded_by_qt()
    assert any(p.name == "libqxcb.so" for p in binaries)  # the X11 platform plugin is checked
    missing = {str(p.relative_to(_qt_dir())): m for p in binaries if (m := _missing(p))}
    assert missing == {}, (
        "libraries Qt loads but this machine lacks; add their Debian packages to "
        f"{PACKAGES.relative_to(ROOT)}"
    )
