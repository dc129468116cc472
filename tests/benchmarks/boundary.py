"""6. The decision boundary: the 100x100 grid's output, computed in the training thread.

Timed two ways: ``engine.boundary()`` called between runs (median of many calls), and the
calls the engine itself makes during a run. ``model.predict`` and ``model(grid)`` on the
same grid are reported beside them for context.
"""
from __future__ import annotations

import time

import numpy as np

from playground.core import snapshots
from playground.core.engine import Engine
from playground.core.snapshots import GRID
from tests.benchmarks.common import UiListener, median, progress, record, shape_name, timed, tiny_experiment

NAME = "boundary"
TARGET = ("<=", 5.0)


def grid_inputs(engine: Engine) -> np.ndarray:
    """The model inputs of the boundary's grid (raw x1, x2 points), as the engine lays it out."""
    b = engine.boundary()
    gx, gy = np.meshgrid(b.xs, b.ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def run(quick: bool) -> list:
    calls, epochs, depths = (10, 200, (2,)) if quick else (50, 3000, (2, 6))
    out = []
    for depth in depths:
        exp = tiny_experiment("xor", depth)
        name = f"XOR {shape_name(exp)}"
        progress(f"boundary: {name}")
        engine = Engine(exp, UiListener())
        engine.prepare()
        engine.run(epochs=50)
        during: list[float] = []
        compute = snapshots.boundary

        def timed_boundary(*args):
            t0 = time.perf_counter()
            result = compute(*args)
            during.append(time.perf_counter() - t0)
            return result

        snapshots.boundary = timed_boundary  # the engine's own calls during a run (its snapshots), timed
        try:
            engine.run(epochs=epochs)
        finally:
            snapshots.boundary = compute
        between = [timed(engine.boundary) for _ in range(calls)]
        grid = grid_inputs(engine)
        model = engine.model
        model.predict(grid, verbose=0)
        predict = [timed(lambda: model.predict(grid, verbose=0)) for _ in range(max(3, calls // 10))]
        eager = [timed(lambda: model(grid, training=False).numpy()) for _ in range(calls)]
        out += [
            record(NAME, f"{name}: engine.boundary(), {GRID}x{GRID} grid", 1000 * median(between), "ms", TARGET,
                   note=f"median of {calls} calls between runs"),
            record(NAME, f"{name}: the same, the engine's calls during a run", 1000 * median(during), "ms",
                   TARGET, note=f"median of the {len(during)} calls made while training {epochs} epochs"),
            record(NAME, f"{name}: the same, slowest call during the run", 1000 * max(during), "ms"),
            record(NAME, f"{name}: model(grid) (eager)", 1000 * median(eager), "ms"),
            record(NAME, f"{name}: model.predict(grid)", 1000 * median(predict), "ms"),
        ]
    return out
