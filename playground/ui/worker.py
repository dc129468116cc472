"""The bridge between the window and the engine: one ``QThread`` that owns all Keras work.

:class:`Worker` lives in the training thread; its slots are invoked through
queued signals of :class:`Trainer`, the facade the window talks to in the GUI
thread. Pause, resume and stop only set flags, so the Trainer calls them on
the engine directly; everything that touches Keras runs in the worker.

The engine's events do not travel as signals: a run sends them by the hundred
at its start, and Qt delivers queued signals before timers, so a stream of them
would hold off every timer in the window. They wait in :attr:`Worker.events`
and the window takes them on its own timer, and before it handles any other
signal of the worker, so their order is kept.
"""
from __future__ import annotations

import threading
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.core import events as ev
from playground.core.spec import Experiment
from playground.errors import PlaygroundError

NO_MODEL = "There is no model yet: fix the problems shown in the Model panel first."


class Worker(QObject):
    """Runs in the training thread: loads TensorFlow, builds, trains and exports the engine's model."""

    preparing = Signal()  # a new model is about to be built: views should clear
    prepared = Signal(int, str)  # the model of this generation is built, on this device
    ready = Signal()  # TensorFlow is loaded
    error = Signal(str)  # a sentence for a dialog
    done = Signal(str)  # a sentence for the status bar (an export finished, …)
    fileDone = Signal(str, str)  # a file operation (export, load) succeeded: operation, path
    idle = Signal(str)  # a "run" or a "step" returned
    predicted = Signal(object)  # the result of predict()

    def __init__(self):
        super().__init__()
        self.engine = None
        self.events: deque[ev.Event] = deque()  # every engine event, in order, for the GUI thread to take
        self.latest = 0  # the newest prepare generation asked for (written by the GUI thread)
        self._generation = 0  # the engine's
        self._lock = threading.Lock()
        self._live = False  # between a run's Started and its end: steps are queued into the run
        # Set by the GUI thread; a run applies them when it starts (a stop before then skips it).
        self.want_pause = False
        self.want_stop = False

    # -- controls that any thread may call ------------------------------------------------------
    def step_live(self, kind: str) -> bool:
        """Queue a step into the live run and return True; False if no run is live."""
        with self._lock:
            if self._live:
                getattr(self.engine, f"step_{kind}")()
            return self._live

    def _listen(self, event: ev.Event) -> None:
        if isinstance(event, ev.Started):
            with self._lock:
                self._live = True
            # A pause or stop asked for before the run started (e.g. while the model compiled).
            if self.want_pause:
                self.engine.pause()
            if self.want_stop:
                self.engine.stop()
        elif isinstance(event, (ev.Finished, ev.Diverged, ev.Failed)):
            with self._lock:
                self._live = False
        self.events.append(event)

    # -- slots (training thread) ----------------------------------------------------------------
    def _guard(self, what: str, fn, *args) -> bool:
        try:
            fn(*args)
        except PlaygroundError as exc:
            self.error.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - the thread must survive and the user must know
            self.error.emit(f"{what} failed: {type(exc).__name__}: {exc}")
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

        if not self._guard("Loading TensorFlow", import_tensorflow):
            return
        leave_cores_free(1)  # the window keeps a core of its own: it stays smooth while training runs
        if self._guard("Loading TensorFlow", configure_gpus):
            self.ready.emit()

    @Slot(int, object, object)
    def prepare(self, generation: int, experiment: Experiment, dataset) -> None:
        """Build a fresh engine for ``experiment`` unless a newer request is already queued."""
        if generation < self.latest:
            return
        from playground.core.engine import Engine

        self.engine = Engine(experiment, self._listen, dataset)
        self._generation = generation
        self._build()

    def _build(self) -> None:
        self.preparing.emit()
        if self._guard("Building the model", self.engine.prepare):
            self.prepared.emit(self._generation, self.engine.device)

    @Slot()
    def discard(self) -> None:
        """Forget the engine (the experiment has problems and cannot be built)."""
        self.engine = None
        self.preparing.emit()

    @Slot(int)
    def run(self, epochs: int) -> None:
        """Train to ``epochs`` (or that many more if already there)."""
        if self.engine is None:
            self.error.emit(NO_MODEL)
        elif not self.want_stop:
            self.engine.experiment.training.epochs = epochs
            self.engine.resume()
            self.engine.run()
        self.idle.emit("run")

    @Slot(str)
    def step(self, kind: str) -> None:
        """One epoch or one batch, when no run is live."""
        if self.engine is None:
            self.error.emit(NO_MODEL)
        else:
            getattr(self.engine, f"step_{kind}")()
        self.idle.emit("step")

    @Slot()
    def reset(self) -> None:
        """New initial weights for the same architecture."""
        if self.engine is not None and self._guard("Resetting the weights", self.engine.reset):
            self._build()

    @Slot(str, str)
    def export(self, what: str, path: str) -> None:
        """Run one of the file operations below by name."""
        operation, sentence = self.FILE_OPERATIONS[what]
        if self._guard(sentence, getattr(self, operation), path):
            self.fileDone.emit(what, path)
            self.done.emit(f"{sentence} {path}: done.")

    FILE_OPERATIONS = {
        "save_weights": ("_save_weights", "Exporting the weights to"),
        "save_model": ("_save_model", "Exporting the model to"),
        "export_savedmodel": ("_export_savedmodel", "Exporting a SavedModel to"),
        "save_history": ("_save_history", "Exporting the training history to"),
        "load_weights": ("_load_weights", "Loading the weights from"),
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
        self._listen(ev.Weights(engine.epoch, engine.layer_weights()))
        self._listen(engine.boundary() if engine.dataset.is_2d else engine.predictions())

    @Slot(object)
    def predict(self, x: np.ndarray) -> None:
        def predict():
            self._model()
            self.predicted.emit(self.engine.predict(np.asarray(x, np.float32)))
        self._guard("Predicting", predict)


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

    modelReady = Signal(str)  # the model for the latest experiment is built, on this device
    predicted = Signal(object)  # the result of predict(), in the GUI thread

    _load = Signal()
    _prepare = Signal(int, object, object)
    _discard = Signal()
    _run = Signal(int)
    _step = Signal(str)
    _reset = Signal()
    _export = Signal(str, str)  # operation, path
    _predict = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = TrainingThread()
        self.thread.setObjectName("training")
        self.worker = Worker()
        self.worker.moveToThread(self.thread)
        self.live = False  # a run was asked for and has not returned yet
        self.paused = False
        self._loading = False
        self._generation = 0  # of the latest prepare (or discard) request
        self._built = -1  # the generation whose model is built
        w = self.worker
        self._load.connect(w.load_tensorflow)
        self._prepare.connect(w.prepare)
        self._discard.connect(w.discard)
        self._run.connect(w.run)
        self._step.connect(w.step)
        self._reset.connect(w.reset)
        self._export.connect(w.export)
        self._predict.connect(w.predict)
        w.idle.connect(self._on_idle)
        w.prepared.connect(self._on_prepared)
        w.predicted.connect(self._on_predicted)
        self.thread.start()

    @property
    def model_current(self) -> bool:
        """Whether the engine's model is built for the latest experiment sent."""
        return self._built == self._generation

    @Slot(int, str)
    def _on_prepared(self, generation: int, device: str) -> None:
        self._built = generation
        if self.model_current:
            self.modelReady.emit(device)

    @Slot(object)
    def _on_predicted(self, output) -> None:
        self.predicted.emit(output)

    @Slot(str)
    def _on_idle(self, kind: str) -> None:
        if kind == "run":
            self.live = self.paused = False

    def load_tensorflow(self) -> None:
        """Import TensorFlow in the training thread (once); the worker emits ``ready`` when done."""
        if not self._loading:
            self._loading = True
            self._load.emit()

    def prepare(self, experiment: Experiment, dataset) -> None:
        """Build a new engine (from a copy of ``experiment``); older pending requests are skipped."""
        self._generation += 1
        self.worker.latest = self._generation
        self._prepare.emit(self._generation, experiment.model_copy(deep=True), dataset)

    def discard(self) -> None:
        self._generation += 1
        self.worker.latest = self._generation
        self._discard.emit()

    def _engine_call(self, name: str) -> None:
        if self.worker.engine is not None:
            getattr(self.worker.engine, name)()

    def run(self, epochs: int) -> None:
        """Start a run to ``epochs``, or resume a paused one."""
        if self.live:
            self.resume()
            return
        self.live, self.paused = True, False
        self.worker.want_pause = self.worker.want_stop = False
        self._run.emit(epochs)

    def pause(self) -> None:
        if self.live:
            self.worker.want_pause = self.paused = True
            self._engine_call("pause")

    def resume(self) -> None:
        if self.live:
            self.worker.want_pause = self.paused = False
            self._engine_call("resume")

    def stop(self) -> None:
        if self.live:
            self.worker.want_stop = True
            self._engine_call("stop")

    def step(self, kind: str) -> None:
        """One epoch or batch ("epoch"/"batch"): into the live run, which pauses, else on its own."""
        if self.live and self.worker.step_live(kind):
            self.worker.want_pause = self.paused = True
        else:
            self._step.emit(kind)

    def reset(self) -> None:
        """Stop any run, then draw new initial weights."""
        self.stop()
        self._reset.emit()

    def file_operation(self, operation: str, path: str) -> None:
        """One of :attr:`Worker.FILE_OPERATIONS`; the worker reports ``done`` or ``error``."""
        self._export.emit(operation, path)

    def predict(self, x: np.ndarray) -> None:
        self._predict.emit(x)

    def shutdown(self) -> None:
        """Stop any run, let the thread finish its current call, and end it. Never terminates."""
        self.worker.want_stop = True
        self._engine_call("stop")
        self.thread.quit()
        self.thread.wait()
