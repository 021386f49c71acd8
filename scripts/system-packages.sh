#!/usr/bin/env bash
# Debian packages the tests need; installs only what is missing (we run as root on CI).
set -euo pipefail
# package:command-or-file that proves it is there
needed=(
    "chromium:/usr/bin/chromium"
    "nodejs:node"
    "npm:npm"
    "libreoffice-writer-nogui:soffice"
)
missing=()
for entry in "${needed[@]}"; do
    package=${entry%%:*}
    probe=${entry#*:}
    if [ ! -e "$probe" ] && ! command -v "$probe" >/dev/null 2>&1; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "Run as root (or install them yourself): apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
