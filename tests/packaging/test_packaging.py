"""Fast checks of the installer sources: no PyInstaller build, no network.

The spec, the build scripts, the Inno Setup script and the workflow refer to files that exist and
agree on names and on the version (app.__version__, read through packaging/version.py); the icons
are well-formed PNG / ICO / ICNS in the sizes each platform wants; the desktop entry validates.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
SPEC = PACKAGING / "promptpad.spec"
ISS = PACKAGING / "windows" / "promptpad.iss"
DESKTOP = ROOT / "resources" / "promptpad.desktop"
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = {
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _load_build_version() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "promptpad_build_version", PACKAGING / "version.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_version = _load_build_version()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC, "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def spec_constants() -> dict[str, object]:
    """Module-level string constants of the spec (it is Python run by PyInstaller)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    out: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


# --- version ---------------------------------------------------------------------------------


def test_version_helper_reads_app_version() -> None:
    assert build_version.app_version() == app.__version__


@pytest.mark.parametrize(
    ("pep440", "deb", "numeric"),
    [
        ("0.1.0", "0.1.0", "0.1.0.0"),
        ("1.2rc1", "1.2~rc1", "1.2.0.0"),
        ("1.2.0a3", "1.2.0~a3", "1.2.0.0"),
        ("1.2.dev4", "1.2~dev4", "1.2.0.0"),
        ("1.2rc1.dev1", "1.2~rc1~dev1", "1.2.0.0"),
        ("1.2.post1", "1.2.post1", "1.2.0.0"),
        ("2.0+local.7", "2.0+local.7", "2.0.0.0"),
    ],
)
def test_version_forms(pep440: str, deb: str, numeric: str) -> None:
    assert build_version.deb_version(pep440) == deb
    assert build_version.numeric_version(pep440) == numeric


def test_version_is_written_nowhere_else() -> None:
    literal = re.escape(app.__version__)
    for path in [SPEC, ISS, WORKFLOW, *PACKAGING.rglob("*.sh"), DESKTOP]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(rf"(?<![\d.]){literal}(?![\d.])", text), f"{path} hard-codes it"


# --- PyInstaller spec --------------------------------------------------------------------------


def test_spec_parses_and_names_existing_files() -> None:
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text, filename=str(SPEC))
    for rel in re.findall(r'ROOT / "([^"]+)" / "([^"]+)"', text):
        assert (ROOT.joinpath(*rel)).exists(), rel
    for name in re.findall(r'ICONS / "([^"]+)"', text):
        assert (ICONS / name).is_file(), name
    assert '(str(ROOT / "resources"), "resources")' in text  # the whole resources/ dir
    assert (PACKAGING / "entry.py").is_file()
    assert "BUNDLE(" in text
    assert "info_plist" in text


def test_spec_names_agree_with_the_scripts() -> None:
    consts = spec_constants()
    assert consts["EXE_NAME"] == "promptpad"
    mac = (PACKAGING / "macos" / "build_macos.sh").read_text(encoding="utf-8")
    assert f"BUNDLE_ID={consts['BUNDLE_ID']}" in mac
    assert f"dist/{consts['APP_NAME']}.app" in mac
    iss = ISS.read_text(encoding="utf-8")
    assert f'#define AppExe "{consts["EXE_NAME"]}.exe"' in iss
    workflow = WORKFLOW.read_text(encoding="utf-8")
    assert f"{consts['EXE_NAME']}-cli.exe" in workflow  # the console twin the spec adds on Windows


def test_spec_keeps_keyring_backends_and_trims_qt() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'collect_submodules("keyring.backends")' in text
    assert 'collect_submodules("app")' in text  # app.ui, even where only lazily imported
    assert 'collect_submodules("promptpad_testing")' in text  # --self-test's server
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore"):
        assert f'"{module}"' in text
    assert "qtbase_(zh_CN|en)" in text


def test_build_pins_pyinstaller() -> None:
    reqs = (PACKAGING / "requirements-build.txt").read_text(encoding="utf-8")
    assert re.search(r"^pyinstaller==\d", reqs, re.M)
    assert re.search(r"^pyinstaller-hooks-contrib==\d", reqs, re.M)


# --- entry script (runs unfrozen here: same code path as in the bundle) -----------------------


def test_bundle_info_runs_unfrozen() -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    proc = subprocess.run(
        [sys.executable, str(PACKAGING / "entry.py"), "--bundle-info"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"SecretService"' in proc.stdout  # keyring's entry-point metadata
    assert '"icons/promptpad.png"' in proc.stdout


# --- icons -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icons(size: int) -> None:
    assert png_size((ICONS / f"promptpad-{size}.png").read_bytes()) == (size, size)


def test_window_icon() -> None:
    assert png_size((ICONS / "promptpad.png").read_bytes()) == (256, 256)


def test_ico_is_well_formed() -> None:
    data = (ICONS / "promptpad.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    seen = []
    for i in range(count):
        w, h, colors, res, planes, bpp, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        size = w or 256
        assert (h or 256) == size
        assert colors == 0
        assert res == 0
        assert bpp == 32
        assert offset + length <= len(data)
        payload = data[offset : offset + length]
        if payload.startswith(PNG_MAGIC):
            assert png_size(payload) == (size, size)
        else:  # BITMAPINFOHEADER, height doubled for the AND mask, 32 bpp, uncompressed
            hdr, bw, bh, bplanes, bbpp, compression = struct.unpack_from("<IiiHHI", payload)
            assert (hdr, bw, bh, bplanes, bbpp, compression) == (40, size, 2 * size, 1, 32, 0)
            mask_stride = ((size + 31) // 32) * 4
            assert length == 40 + size * size * 4 + mask_stride * size
        seen.append(size)
    assert sorted(seen) == list(ICO_SIZES)


def test_icns_is_well_formed() -> None:
    data = (ICONS / "promptpad.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    pos, kinds = 8, []
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        assert length > 8
        assert pos + length <= len(data)
        size = ICNS_SIZES[kind]
        assert png_size(data[pos + 8 : pos + length]) == (size, size), kind
        kinds.append(kind)
        pos += length
    assert pos == len(data)
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= set(kinds)


def test_make_icons_writes_the_full_set(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in ICONS.iterdir())
    for name in made:  # same formats and sizes as the committed files
        fresh, committed = (tmp_path / name).read_bytes(), (ICONS / name).read_bytes()
        assert fresh[:8] == committed[:8]
        if name.endswith(".png"):
            assert png_size(fresh) == png_size(committed)


# --- desktop entry -----------------------------------------------------------------------------


def test_desktop_entry_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool:
        proc = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
        report = proc.stdout + proc.stderr
        assert proc.returncode == 0, report
        assert not proc.stdout.strip(), report  # hints count too
    # Always, with or without the tool: the keys the .deb relies on.
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Promptpad"
    assert entry["Exec"].split()[0] == "promptpad"  # /usr/bin/promptpad from the .deb
    assert entry["Icon"] == "promptpad"  # hicolor/<N>x<N>/apps/promptpad.png
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "Comment[zh_CN]" in entry


def test_linux_build_installs_desktop_entry_and_hicolor_icons() -> None:
    script = (PACKAGING / "build_linux.sh").read_text(encoding="utf-8")
    assert "resources/promptpad.desktop" in script
    sizes = re.search(r"for size in ([\d ]+); do", script)
    assert sizes is not None
    for size in sizes.group(1).split():
        assert (ICONS / f"promptpad-{size}.png").is_file()
    assert "packaging/debian-gui-packages.txt" in script  # the .deb's Depends: install.sh's list
    assert "ln -s /opt/promptpad/promptpad" in script


@pytest.mark.parametrize(
    "script",
    [
        "packaging/build_linux.sh",
        "packaging/macos/build_macos.sh",
        "scripts/install.sh",
        "scripts/start.sh",
        "scripts/test.sh",
        "scripts/with-keyring.sh",
    ],
)
def test_shell_scripts_parse(script: str) -> None:
    path = ROOT / script
    subprocess.run(["bash", "-n", str(path)], check=True)
    shellcheck = shutil.which("shellcheck")
    if shellcheck:
        proc = subprocess.run([shellcheck, str(path)], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout


# --- Windows installer -------------------------------------------------------------------------


def test_inno_setup_script() -> None:
    text = ISS.read_text(encoding="utf-8")
    # The version comes from the built exe (stamped from app.__version__ by the spec) or /D.
    assert "#ifndef AppVersion" in text
    assert 'GetStringFileInfo(BundleDir + "\\" + AppExe, "ProductVersion")' in text
    assert "AppVersion={#AppVersion}" in text
    assert not re.search(r'#define AppVersion\s+"', text)
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$", text, re.M)
    assert 'MessagesFile: "compiler:Default.isl"' in text
    assert 'MessagesFile: "compiler:Languages\\ChineseSimplified.isl"' in text
    assert re.search(r'^Name: "desktopicon";.*Flags: unchecked$', text, re.M)
    assert "{group}\\{cm:UninstallProgram," in text
    for rel in re.findall(r"^SetupIconFile=(.+)$", text, re.M):
        assert (ISS.parent / rel.replace("\\", "/")).resolve().is_file(), rel


# --- CI workflow -------------------------------------------------------------------------------


def test_workflow_builds_on_three_systems_and_self_tests() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:  # not a test dependency; the text checks below still run
        yaml = None
    if yaml is not None:
        jobs = yaml.safe_load(text)["jobs"]
        runners = {name: job["runs-on"] for name, job in jobs.items()}
        assert runners["windows"] == "windows-latest"
        assert runners["macos"] == "macos-latest"
        assert runners["linux"].startswith("ubuntu-")
    assert "bash packaging/build_linux.sh" in text
    assert "bash packaging/macos/build_macos.sh" in text
    assert "packaging\\windows\\promptpad.iss" in text
    assert text.count("--self-test") >= 4
    assert "QT_QPA_PLATFORM: offscreen" in text


def test_every_qt_module_the_app_imports_is_kept_in_the_bundle() -> None:
    """A Qt module excluded from the spec but imported by the app fails only in the frozen
    bundle (QtNetwork for the single-instance socket did: 'No module named PySide6.QtNetwork')."""
    spec = SPEC.read_text()
    tree = ast.parse(spec)
    excludes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "excludes" for t in node.targets
        ):
            excludes = {e.value for e in node.value.elts if isinstance(e, ast.Constant)}  # type: ignore[attr-defined]
    assert "PySide6.QtSql" in excludes  # the parse found the list
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("PySide6.")
            ):
                used.add(node.module)
            elif isinstance(node, ast.Import):
                used |= {a.name for a in node.names if a.name.startswith("PySide6.")}
    assert "PySide6.QtNetwork" in used
    assert used & excludes == set()
