#!/usr/bin/env bash
# Installs the real servers the tests talk to (Debian packages), if they are missing.
# The tests start and stop their own instances on free loopback ports (tests/servers.py);
# the packages' own system services are not used.
set -euo pipefail
need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# the browser runtime's headless Chromium (driven by Playwright from pip; never a browser download)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test services: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts the packaged services; the tests run their own instances instead.
  for s in mosquitto redis-server; do
    (command -v systemctl >/dev/null 2>&1 && $SUDO systemctl stop "$s" 2>/dev/null) || \
      $SUDO service "$s" stop >/dev/null 2>&1 || true
  done
fi
