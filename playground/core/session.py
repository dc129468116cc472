"""One run model: what trains, in which state, and the models an edit left behind.

A :class:`Session` owns the engine that trains the current experiment and decides, with
:mod:`playground.core.edits`, what an edit needs: a live edit goes to the training engine (into
its run, between chunks), an edit that needs a new model stops the run and puts the engine
aside — weights, optimizer state, history and epoch — in a small LRU keyed by what the model is
built from, so that an Undo that returns to that key takes it back as it was.

Threading follows the engine's: :meth:`Session.edit`, :meth:`run`, :meth:`step` and
:meth:`reset` run in the training thread; :meth:`offer`, :meth:`start`, :meth:`pause`,
:meth:`resume`, :meth:`stop` and :meth:`step_live` may be called from any thread. The engine
process (``playground.core.server``) runs it and sends its changes to the window.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Literal

from playground.core import events as ev
from playground.core.edits import model_key
from playground.core.engine import Engine
from playground.core.listeners import Listener, Listeners
from playground.core.lookahead import Lookahead
from playground.core.runs import RunLog
from playground.core.spec import Experiment
from playground.errors import PlaygroundError

State = Literal["idle", "preparing", "running", "paused", "stopped"]
KEEP = 5  # models kept for Undo: each holds its weights, optimizer state and data on the device
NO_MODEL = "There is no model yet: fix the problems shown in the Model panel first."


@dataclass(frozen=True)
class NewModel(ev.Event):
    """Another model replaces the one the views show: they clear, and the events after this are its.
    (An event rather than a separate signal, so that it keeps its place among the engine's.)"""


class Session:
    """The run: ``state``, the current ``engine`` (its experiment, epoch, device) and the kept models.

    ``state`` is "idle" before a model has trained, "preparing" while one builds, "running" or
    "paused" while a run is live (from the moment one is asked for), and "stopped" after it.
    """

    def __init__(self, listener: Listener, on_state: Callable[[State], None] | None = None, keep: int = KEEP):
        # Every engine event goes, in the engine's thread, to ``listener`` and to any listener added
        # to ``listeners`` after it (a TensorBoard log, ...), in order.
        self._listener = listener
        self.listeners = Listeners([listener])
        self.on_state = on_state or (lambda state: None)
        self.keep = keep
        # A new model starts from the old one's weights where a layer's name and shapes match
        # (off by default: a changed network usually deserves fresh weights). Any thread may set it.
        self.keep_matching_weights = False
        self.engine: Engine | None = None
        self.runs = RunLog()  # every model that trained, to compare (see playground.core.runs)
        self.kept: OrderedDict[tuple, Engine] = OrderedDict()  # model key -> engine, oldest first
        self.state: State = "idle"
        self._key: tuple | None = None  # the current engine's
        self._lock = threading.Lock()
        self._live = False  # between a run's Started and its end: steps and edits go into the run
        # Asked for before the run started (e.g. while the model compiled); applied at its start.
        self._want_pause = self._want_stop = False
        self.ahead = Lookahead(self._made_ahead)  # the models the next edit likely asks for

    # -- what the UI reads ----------------------------------------------------------------------
    @property
    def listener(self) -> Listener:
        """The listener given at construction; setting one puts it in that one's place in ``listeners``."""
        return self._listener

    @listener.setter
    def listener(self, listener: Listener) -> None:
        self.listeners.replace(self._listener, listener)
        self._listener = listener

    @property
    def experiment(self) -> Experiment | None:
        return None if self.engine is None else self.engine.experiment

    @property
    def epoch(self) -> int:
        return 0 if self.engine is None else self.engine.epoch

    @property
    def device(self) -> str:
        return "" if self.engine is None else self.engine.device

    @property
    def live(self) -> bool:
        """A run was asked for and has not ended."""
        return self.state in ("running", "paused")

    def _set(self, state: State) -> None:
        if state != self.state:
            self.state = state
            self.on_state(state)

    def _settled(self) -> State:
        return "stopped" if self.epoch else "idle"

    def _settle_unless_started(self) -> None:
        """After a step, a build or a reset: stopped (or idle), unless a run was asked for meanwhile
        (:meth:`start`, from another thread, while the training thread was busy): that run's state
        stands until it ends."""
        if not self.live:
            self._set(self._settled())

    @staticmethod
    def key(experiment: Experiment, dataset) -> tuple:
        """What a model is built from: its experiment's :func:`model_key` and its data (by object)."""
        return model_key(experiment), id(dataset)

    # -- any thread -----------------------------------------------------------------------------
    def offer(self, experiment: Experiment, dataset) -> bool:
        """Put a live edit into the live run and return True; otherwise return False, stopping a
        live run if the edit needs a new model: the caller then sends it to :meth:`edit` in the
        training thread."""
        with self._lock:
            if self.engine is None or not self._live:
                return False
            if self.key(experiment, dataset) == self._key:
                return self.engine.offer(experiment)
        self.stop()
        return False

    def start(self) -> None:
        """A run is asked for (it starts when the training thread gets to :meth:`run`)."""
        self._want_pause = self._want_stop = False
        self._set("running")

    def pause(self) -> None:
        if self.live:
            self._want_pause = True
            if self.engine is not None:
                self.engine.pause()
            self._set("paused")

    def resume(self) -> None:
        if self.live:
            self.ahead.hold()
            self._want_pause = False
            if self.engine is not None:
                self.engine.resume()
            self._set("running")

    def stop(self) -> None:
        if self.live:
            self._want_stop = True
            if self.engine is not None:
                self.engine.stop()

    def step_live(self, kind: str) -> bool:
        """Queue a step ("epoch"/"batch") into the live run, which pauses, and return True; False
        if no run is live."""
        with self._lock:
            live = self._live
            if live:
                self.ahead.hold()
                getattr(self.engine, f"step_{kind}")()
                self._want_pause = True
        if live:
            self._set("paused")
        return live

    def _listen(self, event: ev.Event) -> None:
        if isinstance(event, ev.Started):
            with self._lock:
                self._live = True
            if self._want_pause:
                self.engine.pause()
            if self._want_stop:
                self.engine.stop()
        elif isinstance(event, (ev.Finished, ev.Diverged, ev.Failed)):
            with self._lock:
                self._live = False
        elif isinstance(event, ev.Paused):
            self.look_ahead()  # the run waits: the machine is free until it resumes
        if self.engine is not None:
            self.runs.observe(event, self.engine.experiment)
        self.listeners(event)

    # -- training thread ------------------------------------------------------------------------
    def edit(self, experiment: Experiment, dataset) -> str:
        """Make ``experiment`` (on ``dataset``) the current one; returns "live", "kept" (a kept model
        was taken back) or "new". Raises PlaygroundError where the model cannot be built."""
        self.ahead.hold()
        key = self.key(experiment, dataset)
        if self.engine is not None and key == self._key:
            self.engine.apply(experiment)
            return "live"
        old = self.engine
        if old is not None:
            self.kept[self._key] = old
            self.kept.move_to_end(self._key)
        engine = self.kept.pop(key, None)
        made = None if engine is not None else self.ahead.take(key, experiment)
        self.engine, self._key = engine, key
        while len(self.kept) > self.keep:
            self.kept.popitem(last=False)
        if not self.live:  # a run asked for meanwhile (start(), from another thread) stays asked for
            self._set("preparing")
        self.listeners(NewModel(0))
        try:
            if engine is not None:
                self.runs.switch(engine, engine.experiment)  # it continues its own run
                engine.apply(experiment)  # its live fields as the experiment has them now
                engine.replay()
                return "kept"
            if made is not None:  # made ahead, in another thread, as it would be made now
                made.listener = self._listen
                self.engine = made
                self.runs.switch(made, experiment)
                made.replay()
            else:
                self.engine = self._new_engine(experiment, dataset, self._listen)
                self.runs.switch(self.engine, experiment)
                self.engine.prepare()
            if self.keep_matching_weights and old is not None and old.model is not None:
                self.engine.take_weights(old.model)
            return "new"
        finally:
            self._settle_unless_started()

    @staticmethod
    def _new_engine(experiment: Experiment, dataset, listener: Listener | None) -> Engine:
        # plain graphs at once, XLA loops compiled in the background
        return Engine(experiment.model_copy(deep=True), listener, dataset, quick_start=True)

    def _made_ahead(self, experiment: Experiment, dataset) -> Engine:
        """A new model for ``experiment``, built and traced as :meth:`edit` does, telling no one."""
        engine = self._new_engine(experiment, dataset, None)
        engine.prepare()
        return engine

    def look_ahead(self) -> None:
        """Make the models the next edit likely asks for, in the background (see
        :mod:`playground.core.lookahead`): when the training thread has nothing to do (the engine
        process calls this when its queue empties) and when a run pauses. Whatever is asked of the
        training thread next, or a resume or step, holds it (:meth:`hold`)."""
        engine = self.engine
        if engine is None or engine.model is None or self.state in ("running", "preparing"):
            return
        self.ahead.start(engine.experiment, engine.dataset, self.key,
                         lambda key: key == self._key or key in self.kept)

    def hold(self) -> None:
        """Stop making models ahead (any thread): the training thread has work to do."""
        self.ahead.hold()

    def close(self) -> None:
        """Stop the run and the models being made ahead, and drop those."""
        self.stop()
        self.ahead.close()

    def discard(self) -> None:
        """No model (the experiment has problems); the current one is kept for an Undo."""
        if self.engine is not None:
            self.kept[self._key] = self.engine
            while len(self.kept) > self.keep:
                self.kept.popitem(last=False)
        self.engine, self._key = None, None
        self.listeners(NewModel(0))
        self._set("idle")

    def run(self, epochs: int) -> str:
        """Train to ``epochs`` (or that many more if already there); returns the engine's reason."""
        self.ahead.hold()
        try:
            if self.engine is None:
                raise PlaygroundError(NO_MODEL)
            if self._want_stop:
                return "stopped"
            self.engine.experiment.training.epochs = epochs
            self.engine.resume()
            return self.engine.run()
        finally:
            self._set(self._settled())

    def step(self, kind: str) -> None:
        """One epoch or one batch, when no run is live."""
        self.ahead.hold()
        if self.engine is None:
            raise PlaygroundError(NO_MODEL)
        getattr(self.engine, f"step_{kind}")()
        self._settle_unless_started()

    def reset(self) -> None:
        """New initial weights for the same architecture (the old ones are not kept)."""
        self.ahead.hold()
        if self.engine is not None:
            if not self.live:
                self._set("preparing")
            self.listeners(NewModel(0))
            try:
                self.engine.reset()
                self.runs.switch(self.engine, self.engine.experiment, fresh=True)
                self.engine.prepare()
            finally:
                self._settle_unless_started()
