"""Runs to compare: every model that trains is a run, kept for the session with its settings,
history and live edits, in a bounded log.

A run is one model's training: a new model (an edit that needs one, or Reset's new initial
weights) begins one; a live edit (learning rate, batch size, …) stays in it and is listed; a kept
model that Undo takes back continues its own. A run's number is taken when it trains its first
epoch: a model built and replaced before that (ticking five feature boxes builds five) leaves no
gap. The :class:`RunLog` is filled in the training thread by the
:class:`~playground.core.session.Session` (from the engine's events, so a run's settings are
exactly those its model has now) and read in the GUI thread, so every method takes its lock and
hands out copies. What differs between two runs is worded by :mod:`playground.core.edits`, the same
words the curves' edit markers use.
"""
from __future__ import annotations

import csv
import io
import threading
import weakref
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from playground.core import events as ev
from playground.core.edits import classify
from playground.core.spec import Experiment
from playground.errors import PlaygroundError
from playground.files import csv_safe, write_text_atomic

BOUND = 30  # runs kept: each holds its per-epoch figures (8 bytes an epoch and column), not its model
SAME = "same settings"
CSV_COLUMNS = ("run", "name", "differs", "live_edits", "epochs", "loss", "test_loss", "accuracy",
               "test_accuracy", "mae", "test_mae", "seconds")


@dataclass
class Run:
    """One run as the log holds it."""
    number: int  # 1, 2, … in the order runs first trained; never reused in a session once it trained
    name: str
    experiment: Experiment  # its settings now (live edits included)
    history: dict[str, array] = field(default_factory=dict)  # per-epoch figures, as the engine's
    edits: list[tuple[int, str]] = field(default_factory=list)  # (epoch, label) of its live edits
    seconds: float = 0.0  # training time
    shown: bool = False  # ticked to be drawn on the curves (when it is not the current run)
    source: str = ""  # the folder it was opened from

    @property
    def epochs(self) -> int:
        return len(self.history.get("loss", ()))


@dataclass(frozen=True)
class Row:
    """What the Runs table shows of a run (no history: cheap to take many times a second)."""
    number: int
    name: str
    differs: str  # what differs from this run to the current one ("" for the current run)
    edits: tuple[str, ...]  # its live edits, "at epoch 12: lr 0.01 → 0.003"
    epochs: int
    final: dict[str, float]  # the last epoch's figures by history column
    seconds: float
    shown: bool
    current: bool
    apart: str = ""  # why its curves cannot be drawn with the current run's ("" where they can)
    source: str = ""  # the folder it was opened from ("" for a run trained here)


def differs(run: Experiment, current: Experiment | None) -> str:
    """What changed from ``run``'s settings to ``current``'s, in :mod:`~playground.core.edits`' words
    ("units hidden_1 8 → 3, lr 0.01 → 0.003"); :data:`SAME` where nothing did. The epoch target is
    left out: it is where a run was asked to stop (the table's epochs say how far each got)."""
    if current is None:
        return ""
    changes = [c.label() for c in classify(run, current).changes if c.path != "training.epochs"]
    return ", ".join(changes) or SAME


def apart(run: Experiment, current: Experiment | None) -> str:
    """Why ``run``'s curves cannot be drawn beside ``current``'s, in a few words ("another data set:
    spiral"); "" where they can: the same data set (and CSV file), target column and task, so both
    have the same kind of loss and metric on the same samples' scale."""
    if current is None:
        return ""
    a, b = run.dataset, current.dataset
    if a.name != b.name or a.path != b.path:
        return f"another data set: {Path(a.path).name if a.name == 'csv' and a.path else a.name}"
    if a.target != b.target:
        return f"another target column: {a.target or 'none'}"
    if a.task != b.task:
        return f"another task: {a.task}"
    return ""


class RunLog:
    """The session's runs, oldest first, at most ``bound`` (the oldest goes, never the current)."""

    def __init__(self, bound: int = BOUND):
        self.bound = bound
        self._runs: dict[int, Run] = {}
        self._current: int = 0  # the number of the run the current model trains (0: none)
        self._count = 0  # the highest number given to a run that trained (or was opened)
        self._owners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model (engine) -> its run
        self._lock = threading.Lock()

    # -- the training thread --------------------------------------------------------------------
    def switch(self, owner: object, experiment: Experiment, fresh: bool = False) -> int:
        """``owner`` (a model) is the current one now: it continues its run, or begins a new one
        (always with ``fresh``: new initial weights). Returns the run's number."""
        with self._lock:
            number = 0 if fresh else self._owners.get(owner, 0)
            if number not in self._runs:
                number = self._begin(experiment)
                self._owners[owner] = number
            self._current = number
            self._runs[number].experiment = experiment.model_copy(deep=True)
            self._trim()
            return number

    def observe(self, event: ev.Event, experiment: Experiment) -> None:
        """An event of the current run's model, whose experiment is ``experiment`` now."""
        with self._lock:
            run = self._runs.get(self._current)
            if run is None:
                return
            if isinstance(event, ev.Metrics):
                self._count = max(self._count, run.number)  # it trains: its number is taken for good
                keep = event.first_epoch - 1  # a replayed history replaces what follows
                for key, values in event.values.items():
                    column = run.history.setdefault(key, array("d"))
                    del column[keep:]
                    column.extend(np.asarray(values, np.float64).tolist())
            elif isinstance(event, ev.Edited):
                run.edits.append((event.epoch, event.label))
                run.experiment = experiment.model_copy(deep=True)
            elif isinstance(event, ev.Finished):
                run.seconds += event.seconds

    # -- any thread -----------------------------------------------------------------------------
    @property
    def current(self) -> int:
        return self._current

    def add(self, experiment: Experiment, history: dict[str, list[float]], name: str = "",
            source: str = "") -> int:
        """A run read back from a folder (see ``playground.core.export.write_run``); it has no model here."""
        with self._lock:
            number = self._begin(experiment, name, opened=True)
            self._count = number
            run = self._runs[number]
            run.history = {k: array("d", v) for k, v in history.items()}
            run.source = source
            run.shown = True  # opened to be seen: drawn where it is comparable with the current run
            self._trim()
            return number

    def rows(self) -> list[Row]:
        """The runs that trained an epoch, oldest first."""
        with self._lock:
            now = self._runs.get(self._current)
            settings = now and now.experiment
            return [Row(r.number, r.name, "" if r is now else differs(r.experiment, settings),
                        tuple(f"at epoch {epoch}: {label}" for epoch, label in r.edits), r.epochs,
                        {k: v[-1] for k, v in r.history.items() if len(v)}, r.seconds, r.shown, r is now,
                        "" if r is now else apart(r.experiment, settings), r.source)
                    for r in self._runs.values() if r.epochs]

    def history(self, number: int) -> dict[str, np.ndarray]:
        """A copy of run ``number``'s per-epoch figures."""
        with self._lock:
            return {k: np.array(v) for k, v in self._get(number).history.items()}

    def experiment(self, number: int) -> Experiment:
        with self._lock:
            return self._get(number).experiment.model_copy(deep=True)

    def number_of(self, owner: object) -> int:
        """The run ``owner`` (a model) trains; 0 if none."""
        with self._lock:
            return self._owners.get(owner, 0)

    def overlays(self, limit: int) -> list[tuple[int, str, str, dict[str, np.ndarray]]]:
        """The runs ticked to be shown, other than the current one and comparable with it (see
        :func:`apart`), newest first, at most ``limit``: (number, name, what differs, history)."""
        rows = [r for r in self.rows() if r.shown and not r.current and not r.apart][::-1][:limit]
        return [(r.number, r.name, r.differs, self.history(r.number)) for r in rows]

    def rename(self, number: int, name: str) -> None:
        with self._lock:
            self._get(number).name = name.strip() or self._get(number).name

    def show(self, number: int, shown: bool) -> None:
        with self._lock:
            self._get(number).shown = shown

    def delete(self, number: int) -> None:
        """Forget a run (the current one too: its model then begins a new run if it trains on)."""
        with self._lock:
            self._runs.pop(number, None)

    def csv_text(self) -> str:
        """The table as CSV: one row per run, its final figures by history column."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.rows():
            figures = [f"{row.final[k]:.6g}" if k in row.final else "" for k in CSV_COLUMNS[5:11]]
            writer.writerow([csv_safe(cell) for cell in (row.number, row.name, row.differs, "; ".join(row.edits),
                                                          row.epochs, *figures, f"{row.seconds:.3f}")])
        return out.getvalue()

    def write_csv(self, path) -> None:
        """:meth:`csv_text` into ``path``, atomically."""
        write_text_atomic(path, self.csv_text())

    # -- helpers (lock held) --------------------------------------------------------------------
    def _get(self, number: int) -> Run:
        run = self._runs.get(number)
        if run is None:
            raise PlaygroundError(f"There is no run {number} any more.")
        return run

    def _begin(self, experiment: Experiment, name: str = "", opened: bool = False) -> int:
        """A new run under the next number. A run that holds that number without having trained (a
        model built, then replaced) gives it up and is forgotten, with its model's claim to it;
        except that a current one, when an ``opened`` run comes in between, moves on to the next."""
        number = self._count + 1
        owners = [owner for owner, n in self._owners.items() if n == number]
        waiting = self._runs.pop(number, None)
        self._runs[number] = Run(number, name or f"Run {number}", experiment.model_copy(deep=True))
        if opened and waiting is not None and number == self._current:
            waiting.number = self._current = number + 1
            if waiting.name == f"Run {number}":
                waiting.name = f"Run {number + 1}"
            self._runs[number + 1] = waiting
            for owner in owners:
                self._owners[owner] = number + 1
        else:
            for owner in owners:
                del self._owners[owner]
        return number

    def _trim(self) -> None:
        """Drop the oldest runs past the bound, never the current one; a run that never trained an
        epoch (a model built, then replaced) goes first."""
        for number in [n for n, r in self._runs.items() if not r.epochs and n != self._current]:
            del self._runs[number]
        for number in list(self._runs):
            if len(self._runs) <= self.bound:
                break
            if number != self._current:
                del self._runs[number]
