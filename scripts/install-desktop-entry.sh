#!/usr/bin/env bash
# Puts Playground in the desktop's application menu, for this user: the desktop entry into
# ~/.local/share/applications and its icon into the hicolor icon theme (the entry names it "playground").
# The entry runs `playground-gui`, the command `pip install -e .` installs.
#
#   bash scripts/install-desktop-entry.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=${XDG_DATA_HOME:-$HOME/.local/share}
install -Dm644 resources/playground.desktop "$data/applications/playground.desktop"
install -Dm644 resources/icons/playground.svg "$data/icons/hicolor/scalable/apps/playground.svg"
install -Dm644 resources/icons/playground.png "$data/icons/hicolor/128x128/apps/playground.png"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v playground-gui >/dev/null \
  || echo "install-desktop-entry: playground-gui is not on PATH yet: run pip install -e . first." >&2
