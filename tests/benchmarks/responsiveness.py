"""3. Responsiveness: the real window (offscreen) trains XOR while a 10 ms timer in the GUI thread ticks.

The timer's intervals show how long the GUI thread is ever kept from its event loop.
"Live updates" are the redraws the user sees: how often the loss curve's drawn data
gains epochs, sampled at every tick. The timer runs through four phases: TensorFlow
loading and the model being built, the idle window (baseline), the start of a run
(from the click on Train until the chunks have grown), and steady training (the target).
"""
from __future__ import annotations

import time

import numpy as np

from tests.benchmarks.common import progress, record, skipped
from tests.benchmarks.gui import Session, window_missing

NAME = "responsiveness"
TICK_MS = 10
LONGEST_TARGET = ("<=", 50.0)
UPDATES_TARGET = (">=", 20.0)
STEADY_AFTER = 200  # epochs drawn before the steady phase starts
START_TIMEOUT = 60


class Ticker:
    """A precise 10 ms ``QTimer`` in the GUI thread recording when it fires and the epoch drawn then."""

    def __init__(self, session: Session):
        from PySide6.QtCore import QObject, Qt, QTimer

        self.session = session
        self.times: list[float] = []
        self.drawn: list[int] = []
        self.owner = QObject()
        self.timer = QTimer(self.owner)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        self.times.append(time.perf_counter())
        self.drawn.append(self.session.drawn_epoch())

    def start(self) -> None:
        self.times.clear()
        self.drawn.clear()
        self.timer.start()

    def stop(self) -> "Ticker":
        self.timer.stop()
        return self

    def intervals_ms(self) -> np.ndarray:
        return 1000 * np.diff(self.times)

    def seconds(self) -> float:
        return self.times[-1] - self.times[0]

    def updates_per_second(self) -> float:
        return np.count_nonzero(np.diff(self.drawn)) / self.seconds()

    def epochs_per_second(self) -> float:
        return (self.drawn[-1] - self.drawn[0]) / self.seconds()

    def first_drawn_ms(self) -> float:
        """From the first tick to the first tick that saw a drawn epoch."""
        first = next(i for i, d in enumerate(self.drawn) if d > 0)
        return 1000 * (self.times[first] - self.times[0])

    def longest_without_update_ms(self) -> float:
        """The longest time the drawn curve did not change, once it had started."""
        changes = [t for t, a, b in zip(self.times[1:], self.drawn, self.drawn[1:]) if b != a]
        return 1000 * max((b - a for a, b in zip(changes, changes[1:])), default=0.0)


def interval_records(label: str, ticks: Ticker, target=None, note: str = "") -> list:
    ms = ticks.intervals_ms()
    return [
        record(NAME, f"{label}: 10 ms timer interval, median", float(np.median(ms)), "ms"),
        record(NAME, f"{label}: 10 ms timer interval, p99", float(np.percentile(ms, 99)), "ms"),
        record(NAME, f"{label}: 10 ms timer interval, longest", float(ms.max()), "ms", target, note=note),
    ]


def run(quick: bool) -> list:
    missing = window_missing()
    if missing:
        return [skipped(NAME, "training XOR: 10 ms timer interval, longest", "ms", LONGEST_TARGET, missing),
                skipped(NAME, "training XOR: live updates drawn", "per s", UPDATES_TARGET, missing)]
    seconds = 1.0 if quick else 6.0
    session = Session()
    ticks = Ticker(session)
    try:
        ticks.start()
        session.choose_dataset("xor")
        session.set_epochs(1_000_000)
        session.ready()
        out = interval_records("loading TensorFlow, building the model", ticks.stop(), LONGEST_TARGET,
                               note="from the window shown until the engine process has loaded TensorFlow "
                                    "and built the model")

        progress(f"responsiveness: idle window, {seconds:g} s")
        ticks.start()
        session.spin(seconds)
        out += interval_records("idle window", ticks.stop())

        progress("responsiveness: clicking Train")
        ticks.start()
        session.train()
        session.wait(lambda: session.drawn_epoch() >= STEADY_AFTER, START_TIMEOUT,
                     f"{STEADY_AFTER} epochs to be drawn")
        ticks.stop()
        out += interval_records("start of a run", ticks, LONGEST_TARGET)
        out += [
            record(NAME, "start of a run: Train clicked to the first epoch drawn", ticks.first_drawn_ms(), "ms"),
            record(NAME, "start of a run: longest wait between drawn updates", ticks.longest_without_update_ms(),
                   "ms", note=f"from the first epoch drawn to epoch {STEADY_AFTER}"),
        ]

        progress(f"responsiveness: training XOR, {seconds:g} s")
        ticks.start()
        session.spin(seconds)
        ticks.stop()
        out += interval_records("training XOR", ticks, LONGEST_TARGET)
        out += [
            record(NAME, "training XOR: live updates drawn", ticks.updates_per_second(), "per s", UPDATES_TARGET,
                   note="how often the loss curve's drawn data gained epochs, sampled every 10 ms"),
            record(NAME, "training XOR: longest wait between drawn updates", ticks.longest_without_update_ms(),
                   "ms"),
            record(NAME, "training XOR: epochs/s in the window", ticks.epochs_per_second(), "epochs/s"),
        ]
        session.stop()
    finally:
        session.close()
    return out
