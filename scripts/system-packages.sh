#!/usr/bin/env bash
# The Debian/Ubuntu system packages Qt needs: for the window (xcb) and for running offscreen (tests,
# CI), plus any package named on the command line. Installs only those still missing, as root or
# through sudo; where it can do neither it prints the command to run and exits 1.
#
#   bash scripts/system-packages.sh [--offscreen] [PACKAGE ...]
#
# --offscreen: only what Qt's offscreen platform needs (no X11 window). Which libraries are missing
# is the app's own start-up check, `python3 -m playground.qt_platform`: it tries to load each one.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
platforms=(xcb offscreen)
if [ "${1:-}" = "--offscreen" ]; then
  platforms=(offscreen)
  shift
fi
command -v "$PY" >/dev/null || { echo "system-packages: $PY is needed (sudo apt-get install python3)." >&2; exit 1; }

read -r -a missing <<< "$("$PY" -m playground.qt_platform "${platforms[@]}")"
for package in "$@"; do
  dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "system-packages: install the packages that provide Qt's libraries (on Debian/Ubuntu: ${missing[*]})." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "system-packages: Qt needs system packages; as root, run: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "system-packages: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
