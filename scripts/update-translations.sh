#!/usr/bin/env bash
# Collect the interface's strings into the translation sources and compile them:
#
#   bash scripts/update-translations.sh [FILE.ts ...]     (default: resources/i18n/playground_*.ts)
#
# pyside6-lupdate reads every `tr(...)`, `translate(context, ...)` and `QT_TRANSLATE_NOOP(...)` in
# the UI, the plots, the catalog, the lab and the data sets into each .ts (new strings come in
# marked unfinished, strings no longer in the code are dropped); translate them there (Qt Linguist, or any editor), then run this
# again: pyside6-lrelease compiles each .ts into the .qm beside it, which the app loads. The .qm
# files are committed, so users need no Qt tooling. Both tools come with PySide6.
# tests/ui/test_ui_i18n.py runs this on a copy to check that the committed files are current.
set -euo pipefail
cd "$(dirname "$0")/.."
sources=(playground/ui/*.py playground/plots/*.py playground/core/catalog.py playground/core/lab.py
         playground/data/registry.py)
if [ $# -eq 0 ]; then
  set -- resources/i18n/playground_*.ts
fi
for ts in "$@"; do
  pyside6-lupdate -silent -no-obsolete -locations none "${sources[@]}" -ts "$ts"
  pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
