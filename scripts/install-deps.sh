#!/usr/bin/env bash
# Installs the Debian 12 packages salesbot needs to build, test and run. Does nothing (quickly) when
# everything is already installed, so scripts/test.sh and scripts/run.sh call it every time.
set -euo pipefail

# Every package the project needs, in one place. All of these exist on Debian 12 (bookworm).
PACKAGES=(
    build-essential
    cmake
    ninja-build
    pkg-config
    qt6-base-dev
    qt6-base-dev-tools
    libqt6sql6-psql
    libqt6sql6-sqlite
    qtkeychain-qt6-dev
    qt6-tools-dev
    qt6-tools-dev-tools
    qt6-l10n-tools qt6-translations-l10n
    libpq-dev
    libsqlite3-dev
    postgresql
    postgresql-contrib
    clang-format
    fonts-dejavu-core
    xvfb
    xauth
    dbus
    gnome-keyring
    libsecret-tools
    tzdata
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "salesbot: installing missing packages: ${missing[*]}"

as_root=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "salesbot: missing packages (${missing[*]}) and not root, with no sudo; run this script as root" >&2
        exit 1
    fi
    as_root=(sudo)
fi

# The postgresql package is only wanted for its server binaries: the tests start their own throwaway
# server (scripts/pg-sandbox.sh) and never use the system cluster or service.
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

echo "salesbot: packages installed"
