"""The Qt adapter of the run model: one ``QThread`` that owns all Keras work.

The run itself — its state, the engine, the models kept for Undo, what an edit needs — is a
Qt-free :class:`~playground.core.session.Session`. :class:`Worker` lives in the training thread
and runs the session's calls there, re-emitting its state as a signal; :class:`Trainer` is the
facade the window talks to in the GUI thread. Pause, resume, stop and edits that go into a live
run only queue or set flags, so the Trainer calls the session directly; everything that touches
Keras runs in the worker.

The engine's events do not travel as signals: a run sends them by the hundred
at its start, and Qt delivers queued signals before timers, so a stream of them
would hold off every timer in the window. They wait in :attr:`Worker.events`
and the window takes them on its own timer, and before it handles any other
signal of the worker, so their order is kept.
"""
from __future__ import annotations

import os
from collections import deque
from functools import partial

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QThread, Signal, Slot

from playground.core import events as ev
from playground.core.session import NO_MODEL, Session
from playground.core.spec import Experiment
from playground.errors import PlaygroundError


class Worker(QObject):
    """Runs in the training thread: loads TensorFlow, then carries out the session's calls."""

    prepared = Signal(int, str)  # the model of this generation is there, on this device
    stateChanged = Signal(str)  # the session's state: idle, preparing, running, paused, stopped
    ready = Signal()  # TensorFlow is loaded
    error = Signal(str)  # a sentence for a dialog
    done = Signal(str)  # a sentence for the status bar (an export finished, …)
    fileDone = Signal(str, str)  # a file operation (export, load) succeeded: operation, path
    idle = Signal(str)  # a "run" or a "step" returned
    predicted = Signal(object)  # the result of predict()

    def __init__(self):
        super().__init__()
        self.events: deque[ev.Event] = deque()  # every engine event, in order, for the GUI thread to take
        # A second listener of every event, called here in the training thread (TensorBoard logging);
        # the GUI thread sets it, and closes one it replaces (playground.core.tensorboard).
        self.logger = None
        self.session = Session(self._listen, self.stateChanged.emit)
        self.latest = 0  # the newest edit generation asked for (written by the GUI thread)

    @property
    def engine(self):
        return self.session.engine

    def _listen(self, event: ev.Event) -> None:
        self.events.append(event)
        logger = self.logger
        if logger is not None:
            logger(event)

    # -- slots (training thread) ----------------------------------------------------------------
    def _guard(self, what: str, fn, *args) -> bool:
        try:
            fn(*args)
        except PlaygroundError as exc:
            self.error.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - the thread must survive and the user must know
            self.error.emit(self.tr("{0} failed: {1}: {2}").format(self.tr(what), type(exc).__name__, exc))
        else:
            return True
        return False

    def _model(self):
        if self.engine is None or self.engine.model is None:
            raise PlaygroundError(NO_MODEL)
        return self.engine.model

    @Slot()
    def load_tensorflow(self) -> None:
        from playground.core.engine import configure_gpus, leave_cores_free
        from playground.tf_quiet import import_tensorflow  # seconds; hides TensorFlow's start-up log lines

        if not self._guard(QT_TRANSLATE_NOOP("Worker", "Loading TensorFlow"), import_tensorflow):
            return
        leave_cores_free(1)  # the window keeps a core of its own: it stays smooth while training runs
        if self._guard(QT_TRANSLATE_NOOP("Worker", "Loading TensorFlow"), configure_gpus):
            self.ready.emit()

    @Slot(int, object, object, bool)
    def edit(self, generation: int, experiment: Experiment, dataset, carry_on: bool) -> None:
        """Make ``experiment`` the session's, unless a newer edit is already queued; with ``carry_on``
        (the edit stopped a running run) the new model trains on at once, as in TensorFlow Playground."""
        if generation < self.latest:
            return
        if self._guard(QT_TRANSLATE_NOOP("Worker", "Building the model"), self.session.edit, experiment, dataset):
            self.prepared.emit(generation, self.session.device)
            if carry_on:
                self.session.start()
                self.run(experiment.training.epochs)

    @Slot()
    def discard(self) -> None:
        """No model: the experiment has problems and cannot be built."""
        self.session.discard()

    @Slot(int)
    def run(self, epochs: int) -> None:
        """Train to ``epochs`` (or that many more if already there)."""
        self._guard(QT_TRANSLATE_NOOP("Worker", "Training"), self.session.run, epochs)
        self.idle.emit("run")

    @Slot(str)
    def step(self, kind: str) -> None:
        """One epoch or one batch, when no run is live."""
        self._guard(QT_TRANSLATE_NOOP("Worker", "Training"), self.session.step, kind)
        self.idle.emit("step")

    @Slot()
    def reset(self) -> None:
        """New initial weights for the same architecture."""
        self._guard(QT_TRANSLATE_NOOP("Worker", "Resetting the weights"), self.session.reset)

    @Slot(str, str)
    def export(self, what: str, path: str) -> None:
        """Run one of the file operations below by name."""
        operation, sentence = self.FILE_OPERATIONS[what]
        if self._guard(sentence, getattr(self, operation), path):
            self.fileDone.emit(what, path)
            self.done.emit(self.tr("{0} {1}: done.").format(self.tr(sentence), path))

    FILE_OPERATIONS = {
        "save_weights": ("_save_weights", QT_TRANSLATE_NOOP("Worker", "Exporting the weights to")),
        "save_model": ("_save_model", QT_TRANSLATE_NOOP("Worker", "Exporting the model to")),
        "export_savedmodel": ("_export_savedmodel", QT_TRANSLATE_NOOP("Worker", "Exporting a SavedModel to")),
        "save_history": ("_save_history", QT_TRANSLATE_NOOP("Worker", "Exporting the training history to")),
        "load_weights": ("_load_weights", QT_TRANSLATE_NOOP("Worker", "Loading the weights from")),
    }

    def _save_weights(self, path: str) -> None:
        from playground.core import export

        export.save_weights(self._model(), path, self.engine.experiment, self.engine.dataset)

    def _save_model(self, path: str) -> None:
        from playground.core import export

        export.save_model(self._model(), path, self.engine.experiment, self.engine.dataset)

    def _export_savedmodel(self, path: str) -> None:
        from playground.core import export

        export.export_savedmodel(self._model(), path, self.engine.experiment, self.engine.dataset)

    def _save_history(self, path: str) -> None:
        from playground.core import export

        if self.engine is None or not self.engine.history:
            raise PlaygroundError("There is no training history yet: train for an epoch first.")
        export.save_history(self.engine.history, path)

    def _load_weights(self, path: str) -> None:
        from playground.core import export

        engine = self.engine
        export.load_weights_into(self._model(), path)
        self.events.append(ev.Weights(engine.epoch, engine.layer_weights()))
        self.events.append(engine.boundary() if engine.dataset.is_2d else engine.predictions())

    @Slot(int, str)
    def save_run(self, number: int, path: str) -> None:
        """Run ``number`` as a run folder (``playground.core.export.write_run``: what ``train --out`` writes), from
        its model: the current one or one kept for Undo."""
        sentence = QT_TRANSLATE_NOOP("Worker", "Saving the run to")
        if self._guard(sentence, self._save_run, number, path):
            self.fileDone.emit("save_run", path)
            self.done.emit(self.tr("{0} {1}: done.").format(self.tr(sentence), path))

    def _save_run(self, number: int, path: str) -> None:
        from pathlib import Path

        from playground.core.export import write_run
        from playground.files import FolderLock

        runs = self.session.runs
        engine = next((e for e in (self.engine, *self.session.kept.values())
                       if e is not None and e.model is not None and runs.number_of(e) == number), None)
        if engine is None:
            raise PlaygroundError("This run's model is no longer kept: a run can be saved while its model is the "
                                  "current one or one of the last five that Undo can take back.")
        out = Path(os.path.abspath(path))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PlaygroundError(f"Cannot make the folder {out.parent}: {exc.strerror or exc}.") from None
        with FolderLock(out):  # a train --out writing there meanwhile is named, not overwritten
            write_run(out, engine, engine.experiment, engine.dataset)

    @Slot(object)
    def predict(self, x: np.ndarray) -> None:
        def predict():
            self._model()
            self.predicted.emit(self.engine.predict(np.asarray(x, np.float32)))
        self._guard(QT_TRANSLATE_NOOP("Worker", "Predicting"), predict)


class TrainingThread(QThread):
    """A QThread whose event loop runs inside one Python call.

    A plain QThread enters Python afresh for every queued slot, and PySide drops
    the thread's Python state in between; TensorFlow's pybind11 layer caches
    that state on first use and crashes (segfault) when it is reused later.
    Running the loop from a Python ``run`` keeps one state alive for the thread's life.
    """

    def run(self) -> None:
        self.exec()


class Trainer(QObject):
    """The GUI thread's handle on the training thread: requests go out as queued signals."""

    modelReady = Signal(str)  # the model for the latest experiment is there, on this device
    predicted = Signal(object)  # the result of predict(), in the GUI thread

    _load = Signal()
    _edit = Signal(int, object, object, bool)
    _discard = Signal()
    _run = Signal(int)
    _step = Signal(str)
    _reset = Signal()
    _export = Signal(str, str)  # operation, path
    _save_run = Signal(int, str)  # run number, folder
    _predict = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = TrainingThread()
        self.thread.setObjectName("training")
        self.worker = Worker()
        self.worker.moveToThread(self.thread)
        self.session = self.worker.session
        # The session's state as the GUI thread has been told it, in order with the engine's events:
        # a run is over for the window only once the signal saying so arrives.
        self.state = self.session.state
        self._loading = False
        self._generation = 0  # of the latest edit (or discard) request
        self._built = -1  # the generation whose model is there
        self._carry_on = False  # an edit stopped a running run: the new model trains on
        w = self.worker
        self._load.connect(w.load_tensorflow)
        self._edit.connect(w.edit)
        self._discard.connect(w.discard)
        self._run.connect(w.run)
        self._step.connect(w.step)
        self._reset.connect(w.reset)
        self._export.connect(w.export)
        self._save_run.connect(w.save_run)
        self._predict.connect(w.predict)
        w.stateChanged.connect(self._on_state)  # before any view's slot: they read live and paused
        w.prepared.connect(self._on_prepared)
        w.predicted.connect(self._on_predicted)
        self.thread.start()

    @property
    def live(self) -> bool:
        """A run was asked for and has not returned yet."""
        return self.state in ("running", "paused")

    @property
    def paused(self) -> bool:
        return self.state == "paused"

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self.state = state

    @property
    def model_current(self) -> bool:
        """Whether the session's model is there for the latest experiment sent."""
        return self._built == self._generation

    @Slot(int, str)
    def _on_prepared(self, generation: int, device: str) -> None:
        self._built = generation
        if self.model_current:
            self._carry_on = False
            self.modelReady.emit(device)

    @Slot(object)
    def _on_predicted(self, output) -> None:
        self.predicted.emit(output)

    def load_tensorflow(self) -> None:
        """Import TensorFlow in the training thread (once); the worker emits ``ready`` when done."""
        if not self._loading:
            self._loading = True
            self._load.emit()

    def edit(self, experiment: Experiment, dataset) -> None:
        """Make (a copy of) ``experiment`` the session's: an edit the live run can take goes into it
        at once; anything else (after stopping the run, if it needs a new model) to the training
        thread, where older pending requests are skipped."""
        experiment = experiment.model_copy(deep=True)
        running = self.state == "running"
        if self.session.offer(experiment, dataset):
            return
        # Sticky until a model is built: a second edit may come after the stopped run has ended.
        self._carry_on = self._carry_on or running
        self._generation += 1
        self.worker.latest = self._generation
        self._edit.emit(self._generation, experiment, dataset, self._carry_on)

    def discard(self) -> None:
        self._carry_on = False
        self._generation += 1
        self.worker.latest = self._generation
        self._discard.emit()

    def run(self, epochs: int) -> None:
        """Start a run to ``epochs``, or resume a paused one."""
        if self.live:
            self.resume()
            return
        self.session.start()
        self._run.emit(epochs)

    def pause(self) -> None:
        self.session.pause()

    def resume(self) -> None:
        self.session.resume()

    def stop(self) -> None:
        self.session.stop()

    def step(self, kind: str) -> None:
        """One epoch or batch ("epoch"/"batch"): into the live run, which pauses, else on its own."""
        if not self.session.step_live(kind):
            self._step.emit(kind)

    def reset(self) -> None:
        """Stop any run, then draw new initial weights."""
        self.stop()
        self._reset.emit()

    def file_operation(self, operation: str, path: str) -> None:
        """One of :attr:`Worker.FILE_OPERATIONS`; the worker reports ``done`` or ``error``. In a paused
        run it is done there, between chunks (the training thread waits in the run)."""
        engine = self.session.engine
        if self.paused and engine is not None and engine.offer(partial(self.worker.export, operation, path)):
            return
        self._export.emit(operation, path)

    def save_run(self, number: int, path: str) -> None:
        """Save run ``number`` as a run folder; the worker reports ``done`` or ``error``."""
        self._save_run.emit(number, path)

    def predict(self, x: np.ndarray) -> None:
        self._predict.emit(x)

    def shutdown(self) -> None:
        """Stop any run, let the thread finish its current call, and end it. Never terminates."""
        self.stop()
        self.thread.quit()
        self.thread.wait()
