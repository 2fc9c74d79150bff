#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite: lint, types, the core/UI import
# contract, the Linux installers with the bundle's --self-test, the core, UI, packaging and
# integration tests (llama.cpp server), and the keyring tests (gnome-keyring).
#   scripts/test.sh          everything
#   scripts/test.sh --fast   skip installing, the installers, the integration suite and the
#                            keyring tests (tests/core + tests/ui + tests/packaging)
# Arguments after the mode go to pytest (both runs).
#
# Every stage runs even when an earlier one failed (a red lint does not hide a red test); the
# script then prints each stage's status and wall time and exits 1 if any stage failed, naming
# them. Only a failed install stops it early: nothing after it could run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

fast=0
[[ "${1:-}" == "--fast" ]] && fast=1 && shift

export QT_QPA_PLATFORM=offscreen
# Headless machines have no keyring backend; tests inject their own KeyStore, this is the net.
export PYTHON_KEYRING_BACKEND="${PYTHON_KEYRING_BACKEND:-keyring.backends.null.Keyring}"
V=.venv/bin

names=(); results=(); failed=()
stage() {  # stage NAME COMMAND...: run it, time it, remember how it ended
  local name=$1 start rc=0
  shift
  printf '\n== %s\n' "$name"
  start=$(date +%s)
  "$@" || rc=$?
  names+=("$name")
  results+=("$(printf '%-44s %s  %4ds' "$name" "$([[ $rc == 0 ]] && echo ok || echo "FAILED ($rc)")" \
    $(($(date +%s) - start)))")
  (( rc == 0 )) || failed+=("$name")
  return "$rc"
}
summary() {
  printf '\n== summary\n'
  printf '%s\n' "${results[@]}"
  if (( ${#failed[@]} )); then
    local list
    list=$(printf '%s, ' "${failed[@]}")
    printf 'failed stages: %s\n' "${list%, }"
  else
    echo "all ${#names[@]} stages passed"
  fi
  # The last line, plain: how many stages passed and failed.
  printf 'stages: %d passed, %d failed\n' $(( ${#names[@]} - ${#failed[@]} )) "${#failed[@]}"
  (( ${#failed[@]} == 0 ))
  exit $?
}

if (( ! fast )); then
  stage "install (scripts/install.sh --test)" bash scripts/install.sh --test || summary
fi

stage "ruff" $V/ruff check app promptpad_testing tests bench packaging scripts
stage "ruff format" $V/ruff format --check app promptpad_testing tests bench packaging
stage "mypy" $V/mypy app/core app/cli.py app/cli_complete.py app/cli_compare.py app/cli_providers.py
stage "import-linter" $V/lint-imports
if [[ -d ../shared/seeds ]]; then
  # The seed tests run on tests/fixtures/seeds; this re-reads the pages those facts came from.
  stage "seed fixtures match ../shared/seeds" $V/python scripts/seed_fixtures.py --check
else
  printf '\n== seed fixtures: ../shared/seeds is not beside this checkout; the seed tests use the\n'
  printf '   facts in tests/fixtures/seeds as they are (scripts/seed_fixtures.py re-checks them)\n'
fi

# shellcheck disable=SC2317  # called through stage
keyring_tests() {
  # The keyring tests need a real Secret Service: gnome-keyring in a D-Bus session of their own
  # (scripts/with-keyring.sh starts and unlocks it). They fail, not skip, when it cannot start.
  local status=0
  env -u PYTHON_KEYRING_BACKEND dbus-run-session -- \
    bash scripts/with-keyring.sh "$V/python" -m pytest -m keyring "${@:-tests/keyring}" || status=$?
  # With arguments that select no keyring test (a path, -k), pytest exits 5: not a failure.
  (( status == 5 && $# > 0 )) && status=0
  return "$status"
}

if (( fast )); then
  stage "pytest (fast: core, ui, packaging)" \
    $V/python -m pytest -m "not integration and not keyring" "$@"
else
  if (( $# == 0 )); then
    # The installers: build the PyInstaller bundle, .tar.gz and .deb, then start the unpacked
    # bundle offscreen with --self-test (one completion through the window, loopback server).
    stage "installers (packaging/build_linux.sh)" bash packaging/build_linux.sh --no-install
  fi
  stage "pytest (core, ui, packaging, integration)" $V/python -m pytest -m "not keyring" "$@"
  stage "pytest (keyring: gnome-keyring, private D-Bus)" keyring_tests "$@"
fi
summary
