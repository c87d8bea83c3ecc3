#!/usr/bin/env bash
# Install the Debian packages the test suite needs, skipping what is already there.
# The suite starts its own servers from them (Dovecot, PostgreSQL, headless Chromium);
# nothing here starts a system service for the tests.
set -euo pipefail

# package -> a file it installs (present: skip)
declare -A NEEDS=(
    [tmux]=/usr/bin/tmux
    [dovecot-imapd]=/usr/lib/dovecot/imap
    [dovecot-core]=/usr/sbin/dovecot
    [postgresql]=/usr/lib/postgresql
    [chromium]=/usr/bin/chromium
    [isync]=/usr/bin/mbsync  # benchmarks/bench_sync.py compares mail sync with mbsync
)
missing=()
for package in "${!NEEDS[@]}"; do
    [ -e "${NEEDS[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing ${missing[*]} (the tests start real servers and a real browser)"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# policy-rc.d 101: install the servers without starting their system services.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
