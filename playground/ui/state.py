"""The experiment being edited: the one object the panels bind to.

Panels read :attr:`ExperimentState.experiment` and :attr:`ExperimentState.dataset`
and redraw on :attr:`~ExperimentState.changed`, which says which parts changed
("dataset", "model", "training", "name"), so each redraws only for its own; they
never mutate them. Every
edit goes through :meth:`ExperimentState.edit`, which pushes an undoable
command, so Undo/Redo covers each change and the undo stack's clean state is
the "saved" flag.

A CSV file can be large (a 200,000-row file takes about a second), so an edit
that needs one read is applied once a background thread has read it, and the
window stays usable meanwhile; built-in data sets are quick to load (and cached)
and apply at once.
"""
from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoStack

from playground.core import spec
from playground.core.spec import DatasetSpec, Experiment, Problem
from playground.data import Dataset, load_dataset
from playground.errors import PlaygroundError
from playground.ui.commands import SetExperiment

PARTS = frozenset(Experiment.model_fields)  # what ``changed`` can carry: "name", "dataset", "model", "training"
DATASET_CACHE = 3  # data sets kept loaded, so that Undo and Redo switch back instantly
# One thread reads CSV files for every window; a load that has not started when a newer one comes is cancelled.
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-csv")


class ExperimentState(QObject):
    """The experiment, its loaded data set, its file and its undo history."""

    changed = Signal(object)  # the parts of the experiment that changed (a frozenset of PARTS)
    rejected = Signal()  # an edit was refused: widgets should show the unchanged experiment again
    error = Signal(str)  # a sentence for the user (an edit's data set failed to load)
    loading = Signal(str)  # what is being read in the background, e.g. "Loading data.csv…"; "" when done
    _read = Signal(int, object)  # from the reading thread: (ticket, the Dataset or a sentence why not)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        # Asked (before, after) ahead of every edit; False cancels it (the window asks to stop training).
        self._cache: OrderedDict[str, Dataset] = OrderedDict()
        self._experiment = Experiment()
        self.dataset: Dataset | None = self.load_dataset(self._experiment.dataset)
        self.dataset_error = ""
        self._ticket = 0  # numbers the background reads; only the newest one's result is used
        self._waiting: tuple | None = None  # the read's data set and the edit waiting for it
        self._future: Future | None = None
        self._read.connect(self._on_read)

    # -- reading --------------------------------------------------------------------------------
    @property
    def experiment(self) -> Experiment:
        """The current experiment; treat it as read-only (edit through :meth:`edit`)."""
        return self._experiment

    def problems(self) -> list[Problem]:
        if self.dataset is None:
            return []
        ds = self.dataset
        return spec.problems(self._experiment, ds.task, ds.output_units, ds.y_train)

    def trainable(self) -> bool:
        """Whether the experiment can be trained as it stands: data loaded and no problems but warnings."""
        return self.dataset is not None and all(p.severity == "warning" for p in self.problems())

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else self._experiment.name

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def load_dataset(self, dataset_spec: DatasetSpec) -> Dataset:
        """The data set ``dataset_spec`` describes, from the cache or loaded now; raises PlaygroundError."""
        key = dataset_spec.model_dump_json()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        return self._remember(dataset_spec, load_dataset(**dataset_spec.model_dump()))

    def _remember(self, dataset_spec: DatasetSpec, dataset: Dataset) -> Dataset:
        self._cache[dataset_spec.model_dump_json()] = dataset
        while len(self._cache) > DATASET_CACHE:
            self._cache.popitem(last=False)
        return dataset

    # -- editing --------------------------------------------------------------------------------
    def edit(self, text: str, change: Callable[[Experiment], None], key: str | None = None) -> bool:
        """Apply ``change`` (a function editing a copy of the experiment) as one undoable step.

        ``key`` merges consecutive edits of the same field (a spin box's steps) into one.
        A data set that fails to load leaves everything as it was.
        A CSV file not read yet is read in the background first (:attr:`loading` says so) and
        the edit applies once it has loaded, unless a newer data set edit came meanwhile.
        Returns whether the edit was applied now.
        """
        new = self._experiment.model_copy(deep=True)
        change(new)
        if new == self._experiment:
            return False
        if new.dataset != self._experiment.dataset:
            if new.dataset.name == "csv" and new.dataset.model_dump_json() not in self._cache:
                self._read_in_background(new.dataset, text, change, key)
                return False
            try:
                self.load_dataset(new.dataset)
            except PlaygroundError as exc:
                self.rejected.emit()
                self.error.emit(str(exc))
                return False
        self.undo_stack.push(SetExperiment(self.apply, self._experiment, new, text, key))
        return True

    def cancel_loading(self) -> None:
        """Drop the edit waiting for a CSV file (the user chose something else meanwhile)."""
        if self._waiting is None:
            return
        self._ticket += 1
        self._waiting = None
        self._future.cancel()  # a read that has not started yet never starts
        self.loading.emit("")

    def _read_in_background(self, dataset_spec: DatasetSpec, *edit) -> None:
        self.cancel_loading()
        self._waiting = (dataset_spec, *edit)
        self.loading.emit(self.tr("Loading {0}…").format(Path(dataset_spec.path).name))
        self._future = _READER.submit(self._read_dataset, self._ticket, dataset_spec)

    def _read_dataset(self, ticket: int, dataset_spec: DatasetSpec) -> None:
        """Runs in the reading thread: load, then hand the result to the GUI thread as a signal."""
        try:
            result = load_dataset(**dataset_spec.model_dump())
        except PlaygroundError as exc:
            result = str(exc)
        except Exception as exc:  # noqa: BLE001 - the user must know, and "Loading…" must end
            result = f"Loading {dataset_spec.path} failed: {type(exc).__name__}: {exc}"
        try:
            self._read.emit(ticket, result)
        except RuntimeError:  # the window closed meanwhile; nobody is waiting
            pass

    @Slot(int, object)
    def _on_read(self, ticket: int, result: Dataset | str) -> None:
        if ticket != self._ticket or self._waiting is None:  # a newer choice came first
            return
        (dataset_spec, text, change, key), self._waiting = self._waiting, None
        self.loading.emit("")
        if isinstance(result, str):
            self.rejected.emit()
            self.error.emit(result)
            return
        self._remember(dataset_spec, result)
        self.edit(text, change, key)  # the data set is in the cache now: the edit applies at once

    def apply(self, experiment: Experiment) -> None:
        """Make ``experiment`` current (used by the undo commands)."""
        if experiment.dataset != self._experiment.dataset:
            self.cancel_loading()
        if experiment.dataset != self._experiment.dataset or self.dataset is None:
            try:
                self.dataset, self.dataset_error = self.load_dataset(experiment.dataset), ""
            except PlaygroundError as exc:  # e.g. a CSV file deleted since
                self.dataset, self.dataset_error = None, str(exc)
        parts = frozenset(part for part in PARTS if getattr(experiment, part) != getattr(self._experiment, part))
        self._experiment = experiment
        self.changed.emit(parts)

    # -- files ----------------------------------------------------------------------------------
    def reset(self, experiment: Experiment, path: Path | None) -> None:
        """Start over with ``experiment`` (New, Open): no undo history, nothing modified.

        Raises PlaygroundError, changing nothing, if its data set cannot be loaded.
        """
        dataset = self.load_dataset(experiment.dataset)
        self.cancel_loading()
        self.undo_stack.clear()
        self.path = path
        self._experiment, self.dataset, self.dataset_error = experiment, dataset, ""
        self.changed.emit(PARTS)

    def open(self, path: str | Path) -> None:
        self.reset(spec.load(path), Path(path))

    def save(self, path: str | Path) -> None:
        self._experiment.save(path)
        self.path = Path(path)
        self.undo_stack.setClean()
