#!/usr/bin/env bash
# Build Promptpad for macOS: dist/Promptpad.app (PyInstaller, the same packaging/promptpad.spec,
# whose BUNDLE step writes Info.plist: bundle id, version from app.__version__, the .icns icon)
# and a drag-to-Applications disk image dist/promptpad-<version>-macos-<arch>.dmg.
#
#   bash packaging/macos/build_macos.sh            make .venv if missing, build, check, make dmg
#   PYTHON=python3.11 bash packaging/macos/build_macos.sh
#
# The app is ad-hoc signed (PyInstaller does that), not notarized: the first start needs
# right-click > Open (README "Install without Python"). Set CODESIGN_IDENTITY to sign with a
# Developer ID instead. Checks, like build_linux.sh: Info.plist values, --version, --bundle-info,
# --self-test offscreen from the .app and again from the mounted .dmg.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\n== %s\n' "$*"; }
die() { printf 'build_macos: %s\n' "$*" >&2; exit 1; }
[[ $(uname -s) == Darwin ]] || die "this script runs on macOS only"

if [[ ! -x .venv/bin/python ]]; then
  say "venv (.venv)"
  "${PYTHON:-python3}" -m venv .venv
fi
PY=.venv/bin/python
$PY -m pip install -q --disable-pip-version-check --upgrade pip
$PY -m pip install -q --disable-pip-version-check -e . -r packaging/requirements-build.txt

VERSION=$($PY packaging/version.py)
ARCH=$(uname -m)
APP=dist/Promptpad.app
DMG=dist/promptpad-$VERSION-macos-$ARCH.dmg
BUNDLE_ID=org.promptpad.Promptpad

say "PyInstaller: packaging/promptpad.spec -> $APP (version $VERSION)"
rm -rf dist/promptpad "$APP" build/pyinstaller
mkdir -p build
if ! $PY -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/promptpad.spec \
    >build/pyinstaller.log 2>&1; then
  tail -40 build/pyinstaller.log >&2
  die "PyInstaller failed (full log: build/pyinstaller.log)"
fi
[[ -d $APP ]] || die "$APP was not made (is the BUNDLE step in the spec?)"

if [[ -n ${CODESIGN_IDENTITY:-} ]]; then
  say "signing with $CODESIGN_IDENTITY"
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi

say "Info.plist"
plist() { /usr/libexec/PlistBuddy -c "Print :$1" "$APP/Contents/Info.plist"; }
[[ $(plist CFBundleIdentifier) == "$BUNDLE_ID" ]] || die "CFBundleIdentifier is $(plist CFBundleIdentifier)"
[[ $(plist CFBundleShortVersionString) == "$VERSION" ]] || die "CFBundleShortVersionString is not $VERSION"
[[ $(plist CFBundleVersion) == "$VERSION" ]] || die "CFBundleVersion is not $VERSION"
ICON=$(plist CFBundleIconFile)
[[ -f $APP/Contents/Resources/$ICON ]] || die "icon $ICON is not in Contents/Resources"
if plist LSBackgroundOnly >/dev/null 2>&1; then die "LSBackgroundOnly is set (console=True?)"; fi
echo "id $BUNDLE_ID, version $VERSION, icon $ICON"
codesign --verify --deep --strict "$APP" && echo "signature verifies" || echo "warning: codesign --verify failed"

EXE=$APP/Contents/MacOS/promptpad
run() {
  QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring "$1" "${@:2}"
}
say "smoke tests on $APP"
got=$(run "$EXE" --version)
[[ $got == "promptpad $VERSION" ]] || die "--version said '$got'"
echo "--version: $got"
run "$EXE" --bundle-info >build/bundle-info.json || { cat build/bundle-info.json; die "--bundle-info failed"; }
grep -q '"macOS"' build/bundle-info.json || die "keyring's macOS backend entry point is missing"
run "$EXE" --self-test || die "--self-test failed"

say "disk image: $DMG"
STAGE=$(mktemp -d)
MNT=$(mktemp -d)
trap 'hdiutil detach -quiet "$MNT" 2>/dev/null || true; rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -quiet -volname "Promptpad $VERSION" -srcfolder "$STAGE" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify -quiet "$DMG"
hdiutil attach -quiet -nobrowse -readonly -mountpoint "$MNT" "$DMG"
run "$MNT/Promptpad.app/Contents/MacOS/promptpad" --self-test || die "--self-test from the dmg failed"
hdiutil detach -quiet "$MNT"

say "sizes"
printf '%-48s %s\n' "$APP" "$(du -sh "$APP" | cut -f1)" "$DMG" "$(du -h "$DMG" | cut -f1)"
