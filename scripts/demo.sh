#!/usr/bin/env bash
# Install everything into .venv/ and serve the NAPHA 2025 demo on http://127.0.0.1:8000
# (log in as demo / demo). Pass --port N to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh base
exec .venv/bin/oppdrag demo "$@"
