"""5. Memory: resident memory of the tiny network trained with events on, after 1,000 and 10,000 epochs.

Measured twice: the engine with a listener that keeps what a window keeps (growing
metric arrays, the latest snapshots), and the real window, whose plots receive every
event. Growth between the two marks would show retracing or a buffer that never stops growing.
"""
from __future__ import annotations

import gc
import threading

from playground.core.engine import Engine
from playground.core.loops import XLA_THREAD
from tests.benchmarks.common import UiListener, progress, record, rss_mb, shape_name, skipped, tiny_experiment
from tests.benchmarks.gui import Session, window_missing

NAME = "memory"
TARGET = ("<=", 50.0)
WINDOW_TIMEOUT = 300  # seconds for the window to train to the last mark


def rss_now() -> float:
    gc.collect()
    return rss_mb()


def figures(label: str, marks: list[int], rss: list[float]) -> list:
    """RSS at each mark, and the growth from the middle mark to the last (the target) and from the first."""
    warm, middle, last = marks
    out = [record(NAME, f"{label}: resident memory after {m:,} epochs", r, "MB") for m, r in zip(marks, rss)]
    out += [
        record(NAME, f"{label}: growth from {middle:,} to {last:,} epochs", rss[2] - rss[1], "MB", TARGET),
        record(NAME, f"{label}: growth from {warm:,} to {last:,} epochs", rss[2] - rss[0], "MB"),
    ]
    return out


def engine_marks(marks: list[int]) -> list[float]:
    engine = Engine(tiny_experiment("xor", 2), UiListener())
    engine.prepare()
    rss = []
    for mark in marks:
        engine.run(epochs=mark - engine.epoch)
        rss.append(rss_now())
    return rss


def window_marks(marks: list[int]) -> list[float]:
    session = Session()
    rss = []
    try:
        session.choose_dataset("xor")
        session.set_epochs(marks[-1])
        session.ready()
        # A new model trains in plain graphs while its XLA loops compile in a thread (a one-off cost of
        # about a second and some tens of MB); the marks measure growth with epochs, so they start after it.
        session.wait(lambda: not any(t.name == XLA_THREAD for t in threading.enumerate()), WINDOW_TIMEOUT,
                     "the new model's XLA compile")
        session.train()
        for mark in marks[:-1]:
            session.wait(lambda: session.drawn_epoch() >= mark, WINDOW_TIMEOUT, f"epoch {mark} to be drawn")
            rss.append(rss_now())
        session.wait(lambda: not session.window.trainer.live and session.drawn_epoch() >= marks[-1],
                     WINDOW_TIMEOUT, f"training to epoch {marks[-1]}")
        session.spin(0.2)  # the last redraw
        rss.append(rss_now())
    finally:
        session.close()
    return rss


def run(quick: bool) -> list:
    marks = [50, 100, 300] if quick else [100, 1000, 10_000]
    label = f"XOR {shape_name(tiny_experiment('xor', 2))}"
    progress(f"memory: engine, {label}, to {marks[-1]:,} epochs")
    out = figures(f"{label}, engine", marks, engine_marks(marks))
    missing = window_missing()
    if missing:
        return out + [skipped(NAME, f"{label}, window: growth from {marks[1]:,} to {marks[2]:,} epochs", "MB",
                              TARGET, missing)]
    progress(f"memory: the window, {label}, to {marks[-1]:,} epochs")
    return out + figures(f"{label}, window", marks, window_marks(marks))
