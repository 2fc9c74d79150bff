#!/usr/bin/env bash
# Install Promptpad (if needed) and start it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/promptpad "$@"
