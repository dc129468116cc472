#!/usr/bin/env bash
# From a fresh Debian/Ubuntu machine to the window in one command; run it again any time:
#
#   bash scripts/setup.sh [EXPERIMENT.json]
#
# 1. the system libraries Qt needs (scripts/system-packages.sh: asks for sudo if some are missing);
# 2. the Python packages (pip install -e .), unless every dependency in pyproject.toml is installed
#    already: into the active virtual environment, or into ./.venv where the system Python is
#    managed by the distribution (PEP 668: Debian 12 and later refuse `pip install` there);
# 3. python main.py with the arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "setup: Python 3.11 or newer is needed (sudo apt-get install python3)." >&2; exit 1; }
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Python 3.11 or newer is needed; $PY is $("$PY" -V 2>&1)." >&2; exit 1; }

# A Python of its own (./.venv) only where the system's is managed by the distribution.
venv=""
if [ -x .venv/bin/python ]; then
  venv=.venv
elif "$PY" -c 'import os, sys, sysconfig
in_env = sys.prefix != sys.base_prefix or "CONDA_PREFIX" in os.environ
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
sys.exit(0 if managed and not in_env else 1)'; then
  venv=new
fi

extra=()
[ "$venv" = new ] && extra=(python3-venv)  # Debian's Python makes no venv without it
bash scripts/system-packages.sh "${extra[@]}"
if [ "$venv" = new ]; then
  echo "setup: creating ./.venv for the Python packages" >&2
  "$PY" -m venv .venv
fi
[ -n "$venv" ] && PY=.venv/bin/python

if ! "$PY" - <<'PYTHON'
import importlib.metadata, re, sys, tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
for requirement in [project["name"], *project["dependencies"]]:  # this project's distribution too
    try:
        importlib.metadata.distribution(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    except importlib.metadata.PackageNotFoundError:
        sys.exit(1)
PYTHON
then
  echo "setup: installing the Python packages (pip install -e .)" >&2
  "$PY" -m pip install -q --disable-pip-version-check -e .
fi
exec "$PY" main.py "$@"
