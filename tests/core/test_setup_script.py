"""scripts/setup.sh's check whether the Python packages are installed (so it installs only when needed)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check_script() -> str:
    """The Python part of setup.sh that decides whether `pip install -e .` runs (exit 0: installed)."""
    text = (ROOT / "scripts" / "setup.sh").read_text()
    match = re.search(r"<<'PYTHON'\n(.*?)\nPYTHON\n", text, re.S)
    assert match, "setup.sh has no Python check between <<'PYTHON' and PYTHON"
    return match.group(1)


def _run_check(folder: Path) -> int:
    return subprocess.run([sys.executable, "-c", _check_script()], cwd=folder, timeout=60).returncode


def test_the_check_passes_where_this_project_is_installed():
    # the test suite runs with keras-playground installed: setup.sh must not reinstall it every launch
    assert _run_check(ROOT) == 0


def test_the_check_asks_for_the_project_by_its_distribution_name(tmp_path):
    # the same pyproject.toml under a name no one installed: the check says "install"
    text = (ROOT / "pyproject.toml").read_text()
    renamed = re.sub(r'(?m)^name = "keras-playground"$', 'name = "no-such-distribution-xyz"', text, count=1)
    assert renamed != text
    (tmp_path / "pyproject.toml").write_text(renamed)
    assert _run_check(tmp_path) == 1
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _run_check(tmp_path) == 0
