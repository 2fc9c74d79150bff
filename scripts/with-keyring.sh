#!/usr/bin/env bash
# Run a command against a private, unlocked GNOME Keyring (a real Secret Service), for the
# keyring tests. It needs a D-Bus session of its own:
#   dbus-run-session -- bash scripts/with-keyring.sh .venv/bin/python -m pytest -m keyring
#
# The recipe, and why: HOME and the XDG dirs point into a fresh temp dir, so no login keyring
# exists yet; `gnome-keyring-daemon --unlock` then *creates* the "login" collection with the
# password it reads on stdin, unlocked, and makes it the default one. With an existing
# ~/.local/share/keyrings/login.keyring made with another password, the same command leaves it
# locked, and python-keyring fails with "KeyringLocked: Failed to unlock the collection!" (there
# is no prompter on a headless machine). The temp HOME also keeps the tests away from the real
# keyring of whoever runs them. Exits 1, loudly, if the daemon cannot be started or used.
set -euo pipefail

die() { echo "with-keyring.sh: $*" >&2; exit 1; }
(( $# )) || die "usage: dbus-run-session -- bash $0 COMMAND [ARGS...]"
[[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || die "no D-Bus session; run: dbus-run-session -- bash $0 $*"
for tool in gnome-keyring-daemon dbus-send secret-tool; do
  command -v "$tool" >/dev/null ||
    die "$tool is missing (scripts/install.sh --test installs gnome-keyring, dbus, libsecret-tools)"
done

tmp="$(mktemp -d)"
daemon=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [[ -n "$daemon" ]]; then
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export HOME="$tmp/home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset PYTHON_KEYRING_BACKEND  # scripts/test.sh sets the null backend for the main run

password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s' "$password" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$tmp/daemon.log" 2>&1 &
daemon=$!

has_owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true'
}
# Wait for the daemon to own the name: asking secret-tool earlier would D-Bus-activate a second,
# locked daemon.
for _ in $(seq 100); do
  has_owner && break
  kill -0 "$daemon" 2>/dev/null || { cat "$tmp/daemon.log" >&2; die "gnome-keyring-daemon exited"; }
  sleep 0.1
done
has_owner || { cat "$tmp/daemon.log" >&2; die "gnome-keyring-daemon did not start within 10 s"; }

# Prove the default collection is unlocked and writable before any test runs.
probe="probe-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s' "$probe" | secret-tool store --label="Promptpad keyring probe" promptpad-probe 1 ||
  die "could not store a secret (is the login collection locked?)"
[[ "$(secret-tool lookup promptpad-probe 1)" == "$probe" ]] || die "could not read a secret back"
secret-tool clear promptpad-probe 1
echo "with-keyring.sh: gnome-keyring $(gnome-keyring-daemon --version | head -1 | awk '{print $2}')" \
  "is running, unlocked, in HOME=$HOME"

set +e
"$@"
status=$?
exit "$status"
