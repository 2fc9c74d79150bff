#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite: lint, types, the core/UI import
# contract, the Linux installers with the bundle's --self-test, the core, UI, packaging and
# integration tests (llama.cpp server), and the keyring tests (gnome-keyring).
#   scripts/test.sh          everything
#   scripts/test.sh --fast   skip installing, the integration suite and the keyring tests
#                            (tests/core + tests/ui)
# Arguments after the mode go to pytest (both runs).
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
[[ "${1:-}" == "--fast" ]] && fast=1 && shift
(( fast )) || bash scripts/install.sh --test

export QT_QPA_PLATFORM=offscreen
# Headless machines have no keyring backend; tests inject their own KeyStore, this is the net.
export PYTHON_KEYRING_BACKEND="${PYTHON_KEYRING_BACKEND:-keyring.backends.null.Keyring}"
V=.venv/bin

echo "== ruff";          $V/ruff check app tests bench packaging scripts
echo "== ruff format";   $V/ruff format --check app tests bench packaging
echo "== mypy";          $V/mypy app/core app/cli.py app/cli_providers.py
echo "== import-linter"; $V/lint-imports
if (( fast )); then
  echo "== pytest (fast)"; exec $V/python -m pytest -m "not integration and not keyring" "$@"
fi
if (( $# == 0 )); then
  # The installers: build the PyInstaller bundle, .tar.gz and .deb, then start the unpacked
  # bundle offscreen with --self-test (one completion through the window, loopback server).
  echo "== installers (packaging/build_linux.sh)"
  bash packaging/build_linux.sh --no-install
fi
echo "== pytest";        $V/python -m pytest -m "not keyring" "$@"
# The keyring tests need a real Secret Service: gnome-keyring in a D-Bus session of their own
# (scripts/with-keyring.sh starts and unlocks it). They fail, not skip, when it cannot start.
echo "== pytest (keyring: gnome-keyring in a private D-Bus session)"
status=0
env -u PYTHON_KEYRING_BACKEND dbus-run-session -- \
  bash scripts/with-keyring.sh $V/python -m pytest -m keyring "${@:-tests/keyring}" || status=$?
# With arguments that select no keyring test (a path, -k), pytest exits 5: not a failure.
(( status == 5 && $# > 0 )) && status=0
exit "$status"
