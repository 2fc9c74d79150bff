#!/usr/bin/env bash
# Refresh the UI translations after changing user-visible strings in app/ui:
#   1. pyside6-lupdate collects every tr()/QCoreApplication.translate() string of app/ui/**/*.py
#      into resources/translations/promptpad_<lang>.ts, keeping the existing translations (new
#      strings come in as type="unfinished", removed ones are dropped);
#   2. you translate the new entries (Qt Linguist: pyside6-linguist FILE.ts, or edit the XML);
#   3. run this again: pyside6-lrelease compiles each .ts into the .qm the app loads.
# tests/ui/test_translations.py fails while a string is untranslated or a .qm is stale.
#   scripts/update_translations.sh            lupdate + lrelease for every .ts
#   scripts/update_translations.sh --release  lrelease only (after editing translations)
# A new language: create it with
#   .venv/bin/pyside6-lupdate $(find app/ui -name '*.py') -locations relative \
#       -target-language xx_YY -ts resources/translations/promptpad_xx_YY.ts
set -euo pipefail
cd "$(dirname "$0")/.."
V=.venv/bin
DIR=resources/translations

release_only=0
[[ "${1:-}" == "--release" ]] && release_only=1

shopt -s nullglob
ts_files=("$DIR"/promptpad_*.ts)
if (( ${#ts_files[@]} == 0 )); then
  echo "no $DIR/promptpad_*.ts" >&2
  exit 1
fi
mapfile -t sources < <(find app/ui -name '*.py' | LC_ALL=C sort)

for ts in "${ts_files[@]}"; do
  if (( ! release_only )); then
    "$V/pyside6-lupdate" "${sources[@]}" -locations relative -no-obsolete -ts "$ts"
  fi
  "$V/pyside6-lrelease" -fail-on-invalid "$ts" -qm "${ts%.ts}.qm"
  unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
  if (( unfinished > 0 )); then
    echo "$ts: $unfinished string(s) still to translate (type=\"unfinished\")" >&2
  fi
done
