#!/usr/bin/env bash
# Build Promptpad for Linux people who do not use Python: a one-folder PyInstaller bundle, a
# .tar.gz of it and a .deb (/opt/promptpad, /usr/bin/promptpad, desktop entry, hicolor icons).
#
#   bash packaging/build_linux.sh            install what is missing, build, package, check
#   bash packaging/build_linux.sh --no-install   skip scripts/install.sh (the venv is ready)
#   bash packaging/build_linux.sh --no-build     re-package and re-check the existing bundle
#
# Outputs (dist/, gitignored): dist/promptpad/ (the bundle),
#   dist/promptpad-<version>-linux-<arch>.tar.gz, dist/promptpad_<debversion>_<debarch>.deb.
# It ends by checking the artifacts: no unresolved shared library in the bundle, the desktop
# entry validates, the unpacked archive answers --version, a CLI completion against the loopback
# test server, --bundle-info, and --self-test under QT_QPA_PLATFORM=offscreen; then prints sizes
# and fails if the .tar.gz is over PROMPTPAD_MAX_ARCHIVE_MB (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

do_install=1
do_build=1
for arg in "$@"; do
  case "$arg" in
    --no-install) do_install=0 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
die() { printf 'build_linux: %s\n' "$*" >&2; exit 1; }

PY=.venv/bin/python
if (( do_install )) || [[ ! -x $PY ]]; then
  say "venv and the Debian packages Qt needs (scripts/install.sh)"
  bash scripts/install.sh
fi
need_pkgs=()
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (Debian/Ubuntu only)"
command -v desktop-file-validate >/dev/null || need_pkgs+=(desktop-file-utils)
command -v objdump >/dev/null || need_pkgs+=(binutils)
command -v file >/dev/null || need_pkgs+=(file)
if (( ${#need_pkgs[@]} )); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "build tools: ${need_pkgs[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
fi
say "PyInstaller (packaging/requirements-build.txt; a no-op when already installed)"
$PY -m pip install -q --disable-pip-version-check -r packaging/requirements-build.txt

VERSION=$($PY packaging/version.py)
DEB_VERSION=$($PY packaging/version.py --deb)
ARCH=$(uname -m)
DEB_ARCH=$(dpkg --print-architecture)
BUNDLE=dist/promptpad
TARBALL=dist/promptpad-$VERSION-linux-$ARCH.tar.gz
DEB=dist/promptpad_${DEB_VERSION}_${DEB_ARCH}.deb
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

if (( do_build )); then
  say "PyInstaller: packaging/promptpad.spec -> $BUNDLE (version $VERSION)"
  rm -rf "$BUNDLE" build/pyinstaller
  mkdir -p build
  if ! $PY -m PyInstaller --noconfirm --clean --log-level WARN \
      --distpath dist --workpath build/pyinstaller packaging/promptpad.spec \
      >build/pyinstaller.log 2>&1; then
    tail -40 build/pyinstaller.log >&2
    die "PyInstaller failed (full log: build/pyinstaller.log)"
  fi
fi
[[ -x $BUNDLE/promptpad ]] || die "$BUNDLE/promptpad is missing: build first"

# --- checks on the bundle itself --------------------------------------------------------------
say "shared libraries: every ELF file in the bundle resolves"
elf_files() {
  find "$1" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' f; do
      [[ $(head -c4 "$f" | od -An -c | tr -d ' ') == 177ELF ]] && printf '%s\n' "$f"
    done
}
mapfile -t ELVES < <(elf_files "$ROOT/$BUNDLE")
LDD_OUT=$(for f in "${ELVES[@]}"; do
  LD_LIBRARY_PATH="$ROOT/$BUNDLE/_internal" ldd "$f" 2>/dev/null | sed "s|^|$f: |"
done)
if grep -q "not found" <<<"$LDD_OUT"; then
  grep "not found" <<<"$LDD_OUT" | sort -u >&2
  die "unresolved shared libraries (install their packages on the build machine, or keep the plugins' dependencies)"
fi
echo "${#ELVES[@]} ELF files, all dependencies resolved"

# System libraries the bundle loads from outside itself -> Debian packages (like dpkg-shlibdeps).
mapfile -t SYSLIBS < <(awk '/=> \// {print $4}' <<<"$LDD_OUT" | grep -v "^$ROOT/$BUNDLE" | sort -u)
detected=()
for lib in "${SYSLIBS[@]}"; do
  pkg=""
  for cand in "$lib" "$(readlink -f "$lib")" "/usr$lib" "${lib#/usr}"; do
    pkg=$(dpkg -S "$cand" 2>/dev/null | head -1 | cut -d: -f1) && [[ -n $pkg ]] && break
  done
  [[ -n $pkg ]] && detected+=("$pkg")
done
GLIBC_MIN=$(for f in "${ELVES[@]}"; do objdump -T "$f" 2>/dev/null; done |
  grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
echo "needs glibc >= $GLIBC_MIN; system packages used: $(printf '%s\n' "${detected[@]}" | sort -u | tr '\n' ' ')"

# Qt's xcb plugin refuses to start under a real X server without the xcb-util libraries, even
# though offscreen never notices; PyInstaller bundles copies from the build machine, but the
# packages are listed so the system ones exist and match the X server. GL/EGL/xcb/wayland-client
# are never bundled (they must match the drivers).
# The same list scripts/install.sh installs (one file, so the two never disagree).
mapfile -t DEPENDS_FIXED < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' packaging/debian-gui-packages.txt)
mapfile -t DEPENDS < <(printf '%s\n' "${DEPENDS_FIXED[@]}" "${detected[@]}" |
  grep -v -x -e libc6 -e libc-bin | sort -u)
DEPENDS_LINE="libc6 (>= $GLIBC_MIN)$(printf ', %s' "${DEPENDS[@]}")"

say "desktop entry"
desktop-file-validate resources/promptpad.desktop
echo "resources/promptpad.desktop is valid"

# --- .tar.gz ----------------------------------------------------------------------------------
say "archive: $TARBALL"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
TOP=promptpad-$VERSION
mkdir -p "$STAGE/tar/$TOP"
cp -a "$BUNDLE/." "$STAGE/tar/$TOP/"
chmod -R u+rwX,go+rX,go-w "$STAGE/tar/$TOP"
rm -f "$TARBALL"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$STAGE/tar" -cf - "$TOP" | gzip -9n >"$TARBALL"

# --- .deb -------------------------------------------------------------------------------------
say "Debian package: $DEB"
PKG=$STAGE/deb
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/doc/promptpad"
cp -a "$BUNDLE" "$PKG/opt/promptpad"
ln -s /opt/promptpad/promptpad "$PKG/usr/bin/promptpad"
install -m 644 resources/promptpad.desktop "$PKG/usr/share/applications/promptpad.desktop"
for size in 16 24 32 48 64 128 256 512; do
  install -D -m 644 "resources/icons/promptpad-$size.png" \
    "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/promptpad.png"
done
cat >"$PKG/usr/share/doc/promptpad/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Promptpad

Files: *
Copyright: Promptpad contributors
License: MIT

Files: opt/promptpad/_internal/*
Comment: Third-party components bundled by PyInstaller keep their own licences: Python
 (PSF-2.0), Qt and PySide6 (LGPL-3.0), httpx, keyring, platformdirs, qasync, cryptography and
 the shared libraries copied from the build system. Their licence files are in
 opt/promptpad/_internal where the packages ship them.
EOF
chmod -R u+rwX,go+rX,go-w "$PKG"
find "$PKG" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
cat >"$PKG/DEBIAN/control" <<EOF
Package: promptpad
Version: $DEB_VERSION
Architecture: $DEB_ARCH
Maintainer: ${DEB_MAINTAINER:-Promptpad maintainers <maintainers@promptpad.invalid>}
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS_LINE
Suggests: gnome-keyring | kwalletmanager, fonts-noto-cjk
Section: devel
Priority: optional
Description: desktop playground for OpenAI-compatible completion APIs
 Promptpad is a desktop playground for OpenAI-compatible /v1/completions
 endpoints: write a prompt, set the request parameters and watch the
 completion stream into the editor. API keys are kept in the system keyring
 (Secret Service: GNOME Keyring, KWallet, KeePassXC).
 .
 This package carries its own Python and Qt in /opt/promptpad.
EOF
rm -f "$DEB"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
dpkg-deb --info "$DEB" >/dev/null

# --- checks on the artifacts ------------------------------------------------------------------
say "smoke tests on the unpacked archive"
mkdir -p "$STAGE/unpacked"
tar -xzf "$TARBALL" -C "$STAGE/unpacked"
APP=$STAGE/unpacked/$TOP/promptpad
# Hermetic: no display, no session keyring, settings in a throw-away home.
run() {
  env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS QT_QPA_PLATFORM=offscreen \
    PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring timeout 120 "$APP" "$@"
}
got=$(run --version)
[[ $got == "promptpad $VERSION" ]] || die "--version said '$got', expected 'promptpad $VERSION'"
echo "--version: $got"

SERVER_OUT=$STAGE/server.out
$PY -m promptpad_testing.server --port 0 >"$SERVER_OUT" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$STAGE"' EXIT
for _ in $(seq 50); do [[ -s $SERVER_OUT ]] && break; sleep 0.1; done
BASE_URL=$(head -1 "$SERVER_OUT")
[[ $BASE_URL == http://127.0.0.1:* ]] || die "test server did not start: $(cat "$SERVER_OUT")"
got=$(run complete --base-url "$BASE_URL" --model m --prompt hi)
kill $SERVER_PID 2>/dev/null || true
[[ $got == "This is a test." ]] || die "CLI completion printed '$got'"
echo "CLI completion against the loopback test server: $got"

run --bundle-info >"$STAGE/bundle-info.json" || { cat "$STAGE/bundle-info.json"; die "--bundle-info failed"; }
echo "--bundle-info: resources, Qt plugins and keyring entry points found"

if ! run --self-test; then
  die "--self-test failed (QT_QPA_PLATFORM=offscreen)"
fi

say "sizes"
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
BUNDLE_BYTES=$(du -sb "$BUNDLE" | cut -f1)
TAR_BYTES=$(stat -c %s "$TARBALL")
DEB_BYTES=$(stat -c %s "$DEB")
printf '%-48s %s\n' "$BUNDLE/ (unpacked bundle)" "$(mb "$BUNDLE_BYTES")" \
  "$TARBALL" "$(mb "$TAR_BYTES")" "$DEB" "$(mb "$DEB_BYTES")"
MAX_MB=${PROMPTPAD_MAX_ARCHIVE_MB:-60}
if (( TAR_BYTES > MAX_MB * 1000000 )); then
  die "$TARBALL is over the ${MAX_MB} MB budget"
fi
say "done: $TARBALL $DEB"
