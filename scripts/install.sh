#!/usr/bin/env bash
# Install Promptpad into ./.venv, with the Debian packages Qt needs.
#   scripts/install.sh          the app
#   scripts/install.sh --test   the app + test tools + the llama.cpp test server + keyring daemon
#
# Safe to run again and again: the Debian packages are checked with one dpkg-query call, and pip
# runs only when pyproject.toml (or this script) changed since the last install of this mode
# (the stamp is .venv/.promptpad-install). Needs root or sudo for apt-get on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

say() { printf 'install: %s\n' "$*"; }

# Every library Qt loads on Linux (the list is shared with the .deb, see the file's header).
mapfile -t APT_PKGS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' packaging/debian-gui-packages.txt)
APT_PKGS+=(fonts-noto-cjk python3-venv)
if (( want_test )); then
  APT_PKGS+=(xvfb xauth gnome-keyring dbus dbus-x11 libsecret-tools cmake build-essential
            desktop-file-utils shellcheck binutils file)
  # The exported-code tests run curl and Node.js (18+ for fetch); keep any node already present.
  command -v curl >/dev/null || APT_PKGS+=(curl)
  command -v node >/dev/null || APT_PKGS+=(nodejs)
fi

# apt-get fails at once when another apt (an unattended upgrade, a second install) holds its
# lock; wait for it instead, up to 10 minutes.
apt_get() {
  local try out rc
  for try in $(seq 1 120); do
    rc=0
    out=$($SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1) || rc=$?
    if (( rc == 0 )); then
      printf '%s\n' "$out" | grep -v -e '^W: ' -e '^$' | tail -n 3 || true  # quiet apt: no lines
      return 0
    fi
    if grep -q 'Could not get lock' <<<"$out"; then
      (( try == 1 )) && say "waiting for another apt-get to finish…"
      sleep 5
      continue
    fi
    printf '%s\n' "$out" >&2
    return "$rc"
  done
  say "apt's lock stayed taken for 10 minutes; giving up" >&2
  return 1
}

if command -v dpkg-query >/dev/null; then
  mapfile -t missing < <(dpkg-query -W -f='${Package} ${Status}\n' "${APT_PKGS[@]}" 2>/dev/null |
    awk '$NF == "installed" {print $1}' | sort | comm -13 - <(printf '%s\n' "${APT_PKGS[@]}" | sort -u))
  if (( ${#missing[@]} )); then
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then
      command -v sudo >/dev/null || { say "needs root for: apt-get install ${missing[*]}" >&2; exit 1; }
      SUDO="sudo"
    fi
    say "installing ${#missing[@]} Debian packages: ${missing[*]}"
    apt_get update -q
    apt_get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  say "not a Debian system: install the equivalents of packaging/debian-gui-packages.txt yourself"
fi

PY="${PYTHON:-python3}"
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
mode="app"; (( want_test )) && mode="test"
stamp=.venv/.promptpad-install
want="$(cat pyproject.toml scripts/install.sh | sha256sum | cut -c1-16)"
have=$(cat "$stamp" 2>/dev/null || true)
# A test install covers the app; an app install does not cover the tests.
if [[ "$have" == "test $want" || "$have" == "$mode $want" ]]; then
  exit 0
fi
say "installing Promptpad into .venv ($mode)"
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if (( want_test )); then
  # llama-cpp-python builds from source (4 to 8 minutes); pip caches the wheel afterwards.
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" .venv/bin/python -m pip install -q \
    --disable-pip-version-check -e '.[test,integration]'
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
echo "$mode $want" >"$stamp"

# The command: .venv/bin/promptpad, linked into ~/.local/bin (on PATH in a new login shell of a
# normal user on Debian/Ubuntu when that directory exists).
mkdir -p "$HOME/.local/bin"
ln -sf "$PWD/.venv/bin/promptpad" "$HOME/.local/bin/promptpad"
case ":$PATH:" in
  *":$HOME/.local/bin:"*) say "the promptpad command: ~/.local/bin/promptpad (on your PATH)" ;;
  *) say "the promptpad command: $PWD/.venv/bin/promptpad, linked as ~/.local/bin/promptpad" \
         "(not on your PATH yet: open a new login shell, or add \$HOME/.local/bin to PATH)" ;;
esac
