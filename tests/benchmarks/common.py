"""What every benchmark shares: the record it reports, timing and memory helpers, the tiny networks."""
from __future__ import annotations

import operator
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from playground.core import events as ev
from playground.core.spec import Experiment, LayerSpec

_COMPARE = {">=": operator.ge, "<=": operator.le}


@dataclass
class Record:
    """One figure: what was measured, its value and unit, and the target it is held to (if any).

    ``target`` reads like ``">= 20"``; ``met`` is None when there is no target or no value.
    """
    benchmark: str
    figure: str
    value: float | None
    unit: str
    target: str | None = None
    met: bool | None = None
    device: str = "CPU"
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def record(benchmark: str, figure: str, value: float | None, unit: str, target: tuple[str, float] | None = None,
           *, device: str = "CPU", note: str = "") -> Record:
    """A :class:`Record` with ``met`` decided from ``target`` = (">=" or "<=", threshold)."""
    if target is None:
        return Record(benchmark, figure, value, unit, None, None, device, note)
    op, threshold = target
    met = None if value is None else bool(_COMPARE[op](value, threshold))
    return Record(benchmark, figure, value, unit, f"{op} {threshold:g}", met, device, note)


def skipped(benchmark: str, figure: str, unit: str, target: tuple[str, float] | None, why: str,
            device: str = "CPU") -> Record:
    """A figure that could not be measured here, saying why (never a made-up number)."""
    return record(benchmark, figure, None, unit, target, device=device, note=f"skipped: {why}")


def progress(text: str) -> None:
    """A line on stderr so a long run shows where it is (stdout carries the table)."""
    print(f"  … {text}", file=sys.stderr, flush=True)


def median(values) -> float:
    return float(statistics.median(values))


def timed(fn: Callable[[], object]) -> float:
    """Wall-clock seconds one call of ``fn`` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rss_mb() -> float:
    """This process's resident memory (VmRSS) in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


def tiny_experiment(dataset: str, depth: int, optimizer: str = "sgd", device: str = "cpu") -> Experiment:
    """TensorFlow Playground's set-up: 250 training points, ``depth`` layers of 8 tanh units, batch 10."""
    exp = Experiment(name=f"{dataset}-{depth}")
    exp.dataset.name = dataset
    exp.dataset.samples = 500
    exp.dataset.test_fraction = 0.5
    exp.model.layers = [LayerSpec(units=8, activation="tanh") for _ in range(depth)]
    exp.training.batch_size = 10
    exp.training.optimizer = optimizer
    exp.training.learning_rate = 0.03
    exp.training.device = device
    return exp


def shape_name(exp: Experiment, input_dim: int = 2, output_units: int = 1) -> str:
    """``2-8-8-1``-style name of an experiment's network."""
    return "-".join(str(u) for u in (input_dim, *(layer.units for layer in exp.model.layers), output_units))


class UiListener:
    """Keeps what a window keeps from the event stream: growing metric arrays, the latest snapshots.

    Arrays grow by doubling (as the plots do), so appending stays cheap over 10,000s of epochs.
    """

    def __init__(self):
        self.events = 0
        self.updates = 0  # Progress events: one per trained chunk
        self.epochs = 0
        self.curves: dict[str, np.ndarray] = {}
        self.weights: ev.Weights | None = None
        self.boundary: ev.Boundary | None = None
        self.event_times: list[float] = []  # of Started and Progress events

    def __call__(self, event: ev.Event) -> None:
        self.events += 1
        if isinstance(event, (ev.Started, ev.Progress)):
            self.updates += isinstance(event, ev.Progress)
            self.event_times.append(time.perf_counter())
        elif isinstance(event, ev.Metrics):
            self._append(event)
        elif isinstance(event, ev.Weights):
            self.weights = event
        elif isinstance(event, ev.Boundary):
            self.boundary = event
        elif isinstance(event, (ev.Failed, ev.Diverged)):
            raise RuntimeError(f"training did not run: {event.message}")

    def _append(self, event: ev.Metrics) -> None:
        count = len(next(iter(event.values.values())))
        end = self.epochs + count
        for key, values in event.values.items():
            buf = self.curves.get(key)
            if buf is None or len(buf) < end:
                grown = np.empty(max(1024, 2 * end), np.float64)
                if buf is not None:
                    grown[:self.epochs] = buf[:self.epochs]
                self.curves[key] = buf = grown
            buf[self.epochs:end] = values
        self.epochs = end

    def longest_gap(self, since: int = 0) -> float:
        """The longest wait for an update (from the ``since``-th event time on), in seconds."""
        t = self.event_times[since:]
        return max((b - a for a, b in zip(t, t[1:])), default=0.0)
