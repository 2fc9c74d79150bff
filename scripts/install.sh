#!/usr/bin/env bash
# Install Promptpad into ./.venv, with the Debian packages Qt needs.
#   scripts/install.sh          the app
#   scripts/install.sh --test   the app + test tools + the llama.cpp test server + keyring daemon
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

# Qt's xcb plugin will not start under a real X server without these (offscreen never notices).
APT_PKGS=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-shape0
          libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libegl1 libgl1
          libfontconfig1 libdbus-1-3 fonts-noto-cjk python3-venv)
if (( want_test )); then
  APT_PKGS+=(xvfb xauth gnome-keyring dbus dbus-x11 libsecret-tools cmake build-essential
            desktop-file-utils shellcheck)
fi

if (( want_test )); then
  # The exported-code tests run curl and Node.js (18+ for fetch); keep any node already present.
  command -v curl >/dev/null || APT_PKGS+=(curl)
  command -v node >/dev/null || APT_PKGS+=(nodejs)
fi

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY="${PYTHON:-python3}"
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if (( want_test )); then
  # llama-cpp-python builds from source (about 4 minutes); pip caches the wheel afterwards.
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" .venv/bin/python -m pip install -q -e '.[test,integration]'
else
  .venv/bin/python -m pip install -q -e .
fi
