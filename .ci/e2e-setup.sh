#!/usr/bin/env bash
# Installs what the manila end-to-end suite (tests/e2e, docs/e2e.md) needs from Debian: RabbitMQ and MariaDB.
# Idempotent: it does nothing when both are installed. It starts nothing: the suite starts its own broker and
# database on loopback, and the packages' install scripts are kept from starting the system-wide services.
set -euo pipefail

packages=(rabbitmq-server mariadb-server)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "e2e-setup: ${packages[*]} already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "e2e-setup: root is needed to install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Debian's convention: a policy-rc.d answering 101 forbids package scripts to start services. Added only
# where the machine has none, and removed again.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

echo "e2e-setup: installing ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
