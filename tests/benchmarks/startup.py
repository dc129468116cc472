"""4. Start-up: from process start to the main window shown, and to ready to train.

Each figure is a fresh process, timed from the moment this process starts it:
- the probe (``startup_probe.py``) runs ``main.py`` unchanged and reports the window's first
  Show event, or TensorFlow loaded and Train enabled, then exits at once;
- ``python main.py`` with ``PLAYGROUND_QUIT_WHEN_SHOWN=1`` / ``PLAYGROUND_QUIT_WHEN_READY=1``
  is timed to its exit, which adds the app's own shutdown;
- ``python -c "import tensorflow"`` shows what loading TensorFlow alone costs.
Settings live in a fresh folder, as on a first start.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import median, progress, record, skipped
from tests.benchmarks.gui import window_missing

NAME = "startup"
SHOWN_TARGET = ("<=", 1.5)
ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("startup_probe.py")
TIMEOUT = 120


def start_to(cmd: list[str], env: dict, probe: bool) -> float:
    """Seconds from starting ``cmd`` to its exit, or to the moment it prints (a probe)."""
    t0 = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=TIMEOUT)
    end = time.monotonic()
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return float(done.stdout.split()[-1]) - t0 if probe else end - t0


def run(quick: bool) -> list:
    missing = window_missing()
    if missing:
        return [skipped(NAME, "process start to the window shown", "s", SHOWN_TARGET, missing),
                skipped(NAME, "process start to ready to train", "s", None, missing)]
    py = sys.executable
    runs = {
        "shown": ([py, str(PROBE), "shown"], {}, True),
        "ready": ([py, str(PROBE), "ready"], {}, True),
        "exit shown": ([py, "main.py"], {"PLAYGROUND_QUIT_WHEN_SHOWN": "1"}, False),
        "exit ready": ([py, "main.py"], {"PLAYGROUND_QUIT_WHEN_READY": "1"}, False),
        "tensorflow": ([py, "-c", "import tensorflow"], {}, False),
    }
    repeats = 1 if quick else 5
    if quick:  # the two probes: enough to show the start-up path works
        runs = {k: runs[k] for k in ("shown", "ready")}
    times: dict[str, list[float]] = {k: [] for k in runs}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            progress(f"startup: round {i + 1} of {repeats}")
            for key, (cmd, extra, probe) in runs.items():
                config = Path(tmp) / f"{key}-{i}"  # no saved settings: a first start
                env = {**os.environ, "XDG_CONFIG_HOME": str(config), **extra}
                times[key].append(start_to(cmd, env, probe))
    note = f"median of {repeats} fresh processes"
    figures = {
        "shown": ("process start to the window shown", SHOWN_TARGET,
                  "the main window's first Show event, main.py unchanged"),
        "ready": ("process start to ready to train", None,
                  "TensorFlow loaded in the training thread and Train enabled"),
        "exit shown": ("python main.py, PLAYGROUND_QUIT_WHEN_SHOWN=1: start to exit", None,
                       "includes the app's shutdown"),
        "exit ready": ("python main.py, PLAYGROUND_QUIT_WHEN_READY=1: start to exit", None,
                       "includes the app's shutdown"),
        "tensorflow": ("python -c 'import tensorflow'", None, ""),
    }
    return [record(NAME, figures[k][0], median(v), "s", figures[k][1], note=f"{note}; {figures[k][2]}".rstrip("; "))
            for k, v in times.items()]
