"""10. Sweeps: a 12-run XOR sweep with two runs at a time against one at a time, and the per-run
overhead of Ray against local processes.

- **Scale**: the same 12-run sweep (learning rate x first layer's units x 2 repeats, TensorFlow
  Playground's XOR set-up) trained by ``python main.py sweep``'s own code (:func:`run_sweep`) with a
  pool of 2 worker processes and with 1, alternately in this process, each into a fresh folder; the
  wall time covers everything a user waits for (workers starting and importing TensorFlow, every
  model built, trained and written, sweep.csv). The figure is one-at-a-time / two-at-a-time.
- **The window during a sweep**: the window (offscreen, its model built) idles while ``python main.py
  sweep --parallel 2`` trains the same 12 runs in a child process, as Training > Sweep… starts it; a
  10 ms timer in the GUI thread records how long the window is ever kept waiting (target 50 ms).
- **Overhead**: 12 runs of one epoch each, 2 at a time, locally and on a local Ray
  (``ray.init(num_cpus=2)``): wall seconds per run, which is then almost all overhead (a process or
  Ray worker starting, TensorFlow imported, the model built and compiled, the files written and, on
  Ray, sent back).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playground.errors import PlaygroundError
from tests.benchmarks.common import median, progress, record, skipped, tiny_experiment

NAME = "sweep"
SPEEDUP_TARGET = (">=", 1.6)
RUNS = 12


def _sweep(epochs: int):
    from playground.core.sweep import Sweep, parse_set

    exp = tiny_experiment("xor", 2)
    return Sweep(exp, [parse_set("training.learning_rate=0.01,0.03,0.1", exp),
                       parse_set("model.layers.0.units=4,8", exp)], repeats=2, epochs=epochs)


def _timed_sweep(sweep, runner) -> tuple[float, float]:
    """(wall seconds, the runs' summed training seconds) of one sweep into a fresh folder."""
    from playground.core.sweep import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        outcome = run_sweep(sweep, Path(tmp) / "sweep", runner)
        wall = time.perf_counter() - t0
    if outcome.trained != RUNS:
        raise RuntimeError(f"the sweep trained {outcome.trained} of {RUNS} runs ({len(outcome.failed)} failed)")
    return wall, sum(float(r["seconds"]) for r in outcome.rows)


def _window_during_sweep(epochs: int) -> list:
    """The GUI thread's longest wait while a 2-worker sweep trains in a child process."""
    from tests.benchmarks.gui import Session, window_missing
    import numpy as np

    from tests.benchmarks.responsiveness import LONGEST_TARGET, Ticker

    label = "window during a 2-worker sweep"
    missing = window_missing()
    if missing:
        return [skipped(NAME, f"{label}: 10 ms timer interval, longest", "ms", LONGEST_TARGET, missing)]
    session = Session()
    try:
        session.ready()
        with tempfile.TemporaryDirectory() as tmp:
            experiment = Path(tmp) / "xor.json"
            tiny_experiment("xor", 2).save(experiment)
            progress(f"sweep: the window while {RUNS} runs of {epochs} epochs train, 2 at a time")
            sweep = subprocess.Popen(
                [sys.executable, "-m", "playground", "sweep", str(experiment), "--set",
                 "training.learning_rate=0.01,0.03,0.1", "--set", "model.layers.0.units=4,8", "--repeats", "2",
                 "--epochs", str(epochs), "--parallel", "2", "--out", str(Path(tmp) / "sweep")],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            ticks = Ticker(session)
            ticks.start()
            while sweep.poll() is None:
                session.spin(0.25)
            ticks.stop()
            if sweep.returncode != 0:
                raise RuntimeError(f"the sweep failed: {sweep.stderr.read()[-500:]}")
    finally:
        session.close()
    ms = ticks.intervals_ms()
    return [record(NAME, f"{label}: 10 ms timer interval, p99", float(np.percentile(ms, 99)), "ms"),
            record(NAME, f"{label}: 10 ms timer interval, longest", float(ms.max()), "ms", LONGEST_TARGET,
                   note="the window idles, its model built, while the sweep's 2 worker processes train")]


def run(quick: bool) -> list:
    from playground.core.sweep import LocalRunner, RayRunner

    epochs = 20 if quick else 300
    rounds = 1 if quick else int(os.environ.get("PLAYGROUND_SWEEP_ROUNDS", "2"))  # 1 on a loaded machine
    sweep = _sweep(epochs)
    walls: dict[int, list[float]] = {1: [], 2: []}
    training: dict[int, list[float]] = {1: [], 2: []}
    for i in range(rounds):
        for workers in (1, 2):
            progress(f"sweep: round {i + 1} of {rounds}, {RUNS} runs of {epochs} epochs, {workers} at a time")
            wall, seconds = _timed_sweep(sweep, LocalRunner(workers))
            walls[workers].append(wall)
            training[workers].append(seconds)
    one, two = median(walls[1]), median(walls[2])
    note = f"{RUNS} XOR runs of {epochs} epochs; median of {rounds}; 1 at a time {one:.1f} s, 2 at a time {two:.1f} s"
    records = [
        record(NAME, "12-run sweep, 2 at a time vs 1 at a time", one / two, "x", SPEEDUP_TARGET, note=note),
        record(NAME, "12-run sweep wall time, 1 at a time", one, "s"),
        record(NAME, "12-run sweep wall time, 2 at a time", two, "s"),
        record(NAME, "training time per run, 2 at a time vs 1", median(training[2]) / median(training[1]), "x",
               note="the runs' own training seconds: what sharing the cores costs each run"),
    ]
    records += _window_during_sweep(epochs)
    short = _sweep(1)
    progress(f"sweep: {RUNS} one-epoch runs, 2 local processes")
    local = _timed_sweep(short, LocalRunner(2))[0] / RUNS
    records.append(record(NAME, "per-run overhead, local processes", local, "s",
                          note=f"{RUNS} one-epoch runs, 2 at a time: wall time / runs"))
    try:
        import ray  # noqa: F401
    except ImportError:
        records.append(skipped(NAME, "per-run overhead, Ray (local)", "s", None, "Ray is not installed"))
        return records
    progress(f"sweep: {RUNS} one-epoch runs, local Ray with 2 CPUs")
    try:
        on_ray = _timed_sweep(short, RayRunner("local", 2))[0] / RUNS
    except PlaygroundError as exc:  # Ray could not start here (its start times out on an overloaded machine)
        records.append(skipped(NAME, "per-run overhead, Ray (local)", "s", None, str(exc)))
        return records
    records.append(record(NAME, "per-run overhead, Ray (local)", on_ray, "s",
                          note=f"{RUNS} one-epoch runs, ray.init(num_cpus=2): wall time / runs, Ray's start included"))
    return records
