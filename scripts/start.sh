#!/usr/bin/env bash
# Install Promptpad (the first time, and again when pyproject.toml changed) and start it.
# Needs a graphical session (X11 or Wayland); without one Promptpad says so and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/promptpad "$@"
