"""9. Soak: a million epochs of a small XOR network with every event consumed; resident memory at
marks along the way and its growth.

The listener takes every event the way a window does but keeps only the latest of each kind, so
what grows is the engine's own: its history (four 8-byte figures an epoch in ``array('d')``s, kept
on purpose: the curves and the history CSV need every epoch), the weight history (bounded) and
anything that leaks.
The figure held to a target is the growth beyond that history. Full batch (one step an epoch), so
a million epochs take minutes rather than hours; ``--quick`` runs 20,000.
"""
from __future__ import annotations

import gc
import sys
import time

from playground.core import events as ev
from playground.core.engine import Engine
from tests.benchmarks.common import progress, record, rss_mb, tiny_experiment

NAME = "soak"
EPOCHS, QUICK_EPOCHS = 1_000_000, 20_000
MARKS = 5  # RSS measured after each fifth of the run
TARGET = ("<=", 50.0)  # MB of growth beyond the history, over the second to the last mark


class Consumer:
    """Takes every event and keeps only the latest of each kind (and a count)."""

    def __init__(self):
        self.events = 0
        self.latest: dict[type, ev.Event] = {}

    def __call__(self, event: ev.Event) -> None:
        self.events += 1
        self.latest[type(event)] = event
        if isinstance(event, (ev.Failed, ev.Diverged)):
            raise RuntimeError(f"training did not run: {event.message}")


def history_mb(engine: Engine) -> float:
    """What the engine's per-epoch history holds (its arrays, with their spare capacity)."""
    return sum(sys.getsizeof(v) for v in engine.history.values()) / 2**20


def run(quick: bool) -> list:
    total = QUICK_EPOCHS if quick else EPOCHS
    exp = tiny_experiment("xor", 1)
    exp.dataset.samples = 100
    exp.training.batch_size = 50  # the 50 training points in one batch
    consumer = Consumer()
    engine = Engine(exp, consumer)
    engine.prepare()
    engine.run(epochs=total // MARKS // 10)  # warm up: compiles, first allocations
    marks, rss, history = [], [], []
    t0 = time.perf_counter()
    for i in range(1, MARKS + 1):
        engine.run(epochs=i * total // MARKS - engine.epoch)
        gc.collect()
        marks.append(engine.epoch)
        rss.append(rss_mb())
        history.append(history_mb(engine))
        progress(f"epoch {engine.epoch:,}: {rss[-1]:.0f} MB resident, history {history[-1]:.0f} MB, "
                 f"{consumer.events:,} events")
    seconds = time.perf_counter() - t0
    beyond = (rss[-1] - history[-1]) - (rss[0] - history[0])
    return [
        *(record(NAME, f"resident memory after {m:,} epochs", r, "MB") for m, r in zip(marks, rss)),
        record(NAME, f"growth from {marks[0]:,} to {marks[-1]:,} epochs", rss[-1] - rss[0], "MB"),
        record(NAME, f"of which the history ({4 * (marks[-1] - marks[0]):,} figures)", history[-1] - history[0], "MB"),
        record(NAME, f"growth beyond the history, {marks[0]:,} to {marks[-1]:,} epochs", beyond, "MB", TARGET),
        record(NAME, "events consumed", consumer.events, "events"),
        record(NAME, "epochs per second", (marks[-1] - marks[0]) / seconds if seconds else None, "epochs/s"),
    ]
