#!/usr/bin/env bash
# Installs the Debian packages the application needs, only those that are missing.
set -euo pipefail
PACKAGES=(
  python3-venv            # the project's virtual environment
  fonts-noto-cjk          # Chinese glyphs for PDF salary slips
  libharfbuzz-subset0     # font subsetting: keeps WeasyPrint fast and PDFs small
  libpango-1.0-0 libpangoft2-1.0-0   # WeasyPrint text layout
  chromium                # end-to-end tests (driven by Playwright)
  postgresql-client       # pg_dump / pg_restore for backups
  sqlite3
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches axe-core for the accessibility check of the end-to-end tests; a machine whose
# Node.js comes from elsewhere already has its own npm (Debian's would conflict with it).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
