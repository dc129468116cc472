"""The experiment being edited: the one object the panels bind to.

Panels read :attr:`ExperimentState.experiment` and :attr:`ExperimentState.dataset`
and redraw on :attr:`~ExperimentState.changed`; they never mutate them. Every
edit goes through :meth:`ExperimentState.edit`, which pushes an undoable
command, so Undo/Redo covers each change and the undo stack's clean state is
the "saved" flag.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from playground.core import spec
from playground.core.spec import DatasetSpec, Experiment, Problem
from playground.data import Dataset, load_dataset
from playground.errors import PlaygroundError
from playground.ui.commands import SetExperiment

DATASET_CACHE = 3  # data sets kept loaded, so that Undo and Redo switch back instantly


class ExperimentState(QObject):
    """The experiment, its loaded data set, its file and its undo history."""

    changed = Signal()  # the experiment (or its data set) changed
    rejected = Signal()  # an edit was refused: widgets should show the unchanged experiment again
    error = Signal(str)  # a sentence for the user (an edit's data set failed to load)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        # Asked (before, after) ahead of every edit; False cancels it (the window asks to stop training).
        self.guard: Callable[[Experiment, Experiment], bool] = lambda before, after: True
        self._cache: OrderedDict[str, Dataset] = OrderedDict()
        self._experiment = Experiment()
        self.dataset: Dataset | None = self.load_dataset(self._experiment.dataset)
        self.dataset_error = ""

    # -- reading --------------------------------------------------------------------------------
    @property
    def experiment(self) -> Experiment:
        """The current experiment; treat it as read-only (edit through :meth:`edit`)."""
        return self._experiment

    def problems(self) -> list[Problem]:
        if self.dataset is None:
            return []
        return spec.problems(self._experiment, self.dataset.task, self.dataset.output_units)

    def trainable(self) -> bool:
        """Whether the experiment can be trained as it stands: data loaded and no problems."""
        return self.dataset is not None and not self.problems()

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
        dataset = load_dataset(**dataset_spec.model_dump())
        self._cache[key] = dataset
        while len(self._cache) > DATASET_CACHE:
            self._cache.popitem(last=False)
        return dataset

    # -- editing --------------------------------------------------------------------------------
    def edit(self, text: str, change: Callable[[Experiment], None], key: str | None = None) -> bool:
        """Apply ``change`` (a function editing a copy of the experiment) as one undoable step.

        ``key`` merges consecutive edits of the same field (a spin box's steps) into one.
        A data set that fails to load, or a guard that says no, leaves everything as it was.
        """
        new = self._experiment.model_copy(deep=True)
        change(new)
        if new == self._experiment:
            return False
        if new.dataset != self._experiment.dataset:
            try:
                self.load_dataset(new.dataset)
            except PlaygroundError as exc:
                self.rejected.emit()
                self.error.emit(str(exc))
                return False
        if not self.guard(self._experiment, new):
            self.rejected.emit()
            return False
        self.undo_stack.push(SetExperiment(self, self._experiment, new, text, key))
        return True

    def apply(self, experiment: Experiment) -> None:
        """Make ``experiment`` current (used by the undo commands)."""
        if experiment.dataset != self._experiment.dataset or self.dataset is None:
            try:
                self.dataset, self.dataset_error = self.load_dataset(experiment.dataset), ""
            except PlaygroundError as exc:  # e.g. a CSV file deleted since
                self.dataset, self.dataset_error = None, str(exc)
        self._experiment = experiment
        self.changed.emit()

    # -- files ----------------------------------------------------------------------------------
    def reset(self, experiment: Experiment, path: Path | None) -> None:
        """Start over with ``experiment`` (New, Open): no undo history, nothing modified.

        Raises PlaygroundError, changing nothing, if its data set cannot be loaded.
        """
        dataset = self.load_dataset(experiment.dataset)
        self.undo_stack.clear()
        self.path = path
        self._experiment, self.dataset, self.dataset_error = experiment, dataset, ""
        self.changed.emit()

    def open(self, path: str | Path) -> None:
        self.reset(spec.load(path), Path(path))

    def save(self, path: str | Path) -> None:
        self._experiment.save(path)
        self.path = Path(path)
        self.undo_stack.setClean()
