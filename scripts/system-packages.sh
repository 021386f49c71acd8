#!/usr/bin/env bash
# Debian packages the tests need; installs only what is missing (we run as root on CI).
set -euo pipefail
# "package" alone: present when dpkg says it is installed;
# "package:command": present when that command (or file) exists, however it got there.
needed=(
    "chromium:/usr/bin/chromium"          # browser tests (Playwright drives it)
    "nodejs:node"                         # the local OpenID Connect provider
    "npm:npm"
    "libreoffice-writer-nogui:soffice"    # opens generated DOCX, converts the seed letter
    "libpango-1.0-0"                      # WeasyPrint (PDF reports)
    "libpangoft2-1.0-0"
    "fonts-dejavu-core"                   # fonts embedded in the PDF report
    "wrk:wrk"                             # the benchmark's HTTP load generator (bench/)
    "poppler-utils:pdftotext"             # word boxes of the PDF report in the tests
)
missing=()
for entry in "${needed[@]}"; do
    package=${entry%%:*}
    if [ "$entry" != "$package" ]; then
        probe=${entry#*:}
        if [ -e "$probe" ] || command -v "$probe" >/dev/null 2>&1; then
            continue
        fi
    elif dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        continue
    fi
    missing+=("$package")
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
