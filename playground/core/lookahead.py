"""Models made ahead: while the engine has nothing to do, the models that the next edit most likely
asks for are built, traced and called once in a thread of their own, so that such an edit trains its
first epoch at once rather than after its trace (~0.3 s here, Keras' ``train_step`` alone ~0.25 s).

Which models: each hidden layer's units one more and one fewer (the Units box's arrows), first layer
first, for models small enough that a few spare copies cost little (:func:`worth_making`). A model
made ahead is the one that the edit would build (the same experiment, seed and code, in another
thread), so training it gives the same figures; :meth:`Lookahead.take` hands it over when the edit
asks for exactly it, its epoch target aside.

Nothing here competes with the engine's own work. :meth:`Lookahead.hold`, called whenever the
training thread is given something to do, stops the work under way at the next TensorFlow op that
it creates (an op callback, in its thread only, raises ``_Held``) or before its next step, and what
was half made is dropped. Only the first call of a traced loop, in TensorFlow's C++, cannot be cut
short (~0.1 s here).
"""
from __future__ import annotations

import contextlib
import threading
from typing import Callable

from playground.core.spec import Experiment

MAX_PARAMETERS = 50_000  # TensorFlow Playground's networks have a few hundred
MAX_DATA_BYTES = 16 << 20  # each model made ahead holds its own copy of the data on the device
MAX_UNITS = 8192  # the Units box's maximum
THREAD = "look-ahead"


class _Held(Exception):
    """The engine needs the machine: the model being made ahead is dropped."""


def candidates(experiment: Experiment) -> list[Experiment]:
    """The experiments the next edit most likely asks for, likeliest first: each hidden layer's
    units one up, then one down."""
    out = []
    for i, layer in enumerate(experiment.model.layers):
        for units in (layer.units + 1, layer.units - 1):
            if 1 <= units <= MAX_UNITS:
                candidate = experiment.model_copy(deep=True)
                candidate.model.layers[i].units = units
                out.append(candidate)
    return out


def worth_making(experiment: Experiment, dataset) -> bool:
    """Small enough to make ahead: spare copies of the model and its data cost little."""
    from playground.core.build import trainable_parameters

    data = dataset.raw_train.nbytes + dataset.raw_test.nbytes
    return data <= MAX_DATA_BYTES and trainable_parameters(experiment, dataset) <= MAX_PARAMETERS


def _only_epochs_differ(before: Experiment, after: Experiment) -> bool:
    from playground.core.edits import classify

    return all(c.field == "epochs" for c in classify(before, after).changes)


class Lookahead:
    """The models made ahead for one session, keyed as the session keys its models, and the thread
    that makes them. ``make(experiment, dataset)`` builds and prepares an engine, as an edit would."""

    def __init__(self, make: Callable):
        self._make = make
        self._lock = threading.Lock()
        self._ready: dict = {}  # key -> engine, made for the candidate experiment it holds
        self._generation = 0  # moves on at every hold and start: work of an older one stops
        self._thread: threading.Thread | None = None

    def start(self, experiment: Experiment, dataset, key: Callable, known: Callable[[object], bool]) -> None:
        """Make the candidates of ``experiment`` (on ``dataset``) that are not made yet, in the
        background; ``key(experiment, dataset)`` keys a model, ``known(key)`` says the session has
        that model already (the current one, or one kept for Undo). Models made for other candidates
        are dropped. Called from the training thread when it has nothing to do."""
        wanted = [(key(c, dataset), c) for c in candidates(experiment)] if worth_making(experiment, dataset) else []
        wanted = [(k, c) for k, c in wanted if not known(k)]
        with self._lock:
            self._generation += 1
            generation = self._generation
            keys = {k: c for k, c in wanted}
            for k in list(self._ready):  # an older neighbour's, or made before a live field changed
                if k not in keys or not _only_epochs_differ(self._ready[k].experiment, keys[k]):
                    del self._ready[k]
            todo = [(k, c) for k, c in wanted if k not in self._ready]
            if not todo:
                return
            previous = self._thread
            self._thread = threading.Thread(target=self._work, args=(generation, todo, dataset, previous),
                                            name=THREAD)  # not a daemon: TensorFlow aborts if one is cut off
            self._thread.start()

    def hold(self) -> None:
        """Stop making models now (any thread): the training thread has work."""
        with self._lock:
            self._generation += 1

    def take(self, key, experiment: Experiment):
        """The engine made ahead for ``experiment`` (of ``key``), now its own; None if there is none.
        It is taken only if the experiment is the one it was made for, its epoch target aside."""
        with self._lock:
            engine = self._ready.pop(key, None)
        if engine is None or not _only_epochs_differ(engine.experiment, experiment):
            return None
        engine.experiment = experiment.model_copy(deep=True)
        return engine

    def close(self, timeout: float = 10.0) -> None:
        """Stop, wait for the thread, drop every model made ahead."""
        self.hold()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            self._ready.clear()

    def ready(self) -> int:
        """How many models are made ahead now."""
        with self._lock:
            return len(self._ready)

    def wait(self, timeout: float) -> bool:
        """Wait until the work under way has ended (made all it could, or held); False on timeout."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # -- the thread -----------------------------------------------------------------------------------
    def _work(self, generation: int, todo: list, dataset, previous: threading.Thread | None) -> None:
        if previous is not None:
            previous.join()  # one thread makes models at a time
        with _stop_at_next_op(lambda: self._generation != generation):
            for key, experiment in todo:
                if self._generation != generation:
                    return
                try:
                    engine = self._make(experiment, dataset)
                except _Held:
                    return
                except Exception:  # noqa: BLE001 - a model that cannot be made ahead is built by its edit
                    continue
                with self._lock:
                    if self._generation != generation:
                        return
                    self._ready[key] = engine


@contextlib.contextmanager
def _stop_at_next_op(held: Callable[[], bool]):
    """In this thread, raise ``_Held`` at the next TensorFlow op created or run once ``held()``
    (TensorFlow's thread-local op callbacks; where they are missing, work stops between models only)."""
    def callback(op_type, inputs, attrs, outputs, op_name=None, graph=None):
        if held():
            raise _Held()
        return None

    try:
        from tensorflow.python.framework import op_callbacks

        op_callbacks.add_op_callback(callback)
    except Exception:  # noqa: BLE001 - a TensorFlow without them
        yield
        return
    try:
        yield
    finally:
        op_callbacks.remove_op_callback(callback)
