# Shared by scripts/demo.sh and scripts/test.sh: create .venv and install the project.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${1:-base}
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    if [ "${1:-base}" = dev ]; then
        .venv/bin/python -m pip install --quiet -e '.[dev]'
    else
        .venv/bin/python -m pip install --quiet -e .
    fi
    touch "$stamp"
fi
