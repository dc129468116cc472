"""The training engine: compiled chunks of Keras ``train_step`` over data held on the device.

Many epochs (or, for big data, many batches) run inside one ``tf.function`` that loops over Keras'
own ``train_step``, so that losses, regularizers, dropout, optimizers and metrics behave exactly as
in ``fit``, without its per-epoch overhead; chunks are sized so that events arrive ~30 times a second.

:class:`Engine` is the façade over parts that each have a module: where it trains (``device``),
what other threads ask of a run (``control``), the compiled loops and their XLA swap (``loops``),
chunk sizes and progress (``pacing``), the metric and weight histories and the diverged-loss check
(``recorders``), the views' snapshots (``snapshots``) and weights moved in (``transfer``). It runs the chunks, Keras' ``fit`` loop, and
sends every event to its ``listener`` (one callable; ``listeners.Listeners`` makes several one).

Threading: the engine runs in whichever thread calls :meth:`Engine.run` (or a
``step_*``), reporting every event to a plain listener. ``pause``, ``resume``,
``stop``, ``step_epoch``, ``step_batch`` and ``offer`` (a live edit, see :meth:`Engine.apply`)
may be called from any other thread while a run is live; they take effect within one chunk.
"""
from __future__ import annotations

import time
from typing import Callable
from array import array

import numpy as np

from playground.core import events as ev
from playground.core import recorders, snapshots, transfer
from playground.core.control import RunControl
from playground.core.device import place
from playground.core.history import WeightLog
from playground.core.listeners import Listener
from playground.core.loops import Loops, plain_graph_options
from playground.core.pacing import Pacer, batches_worth_compiling, epochs_to_fill
from playground.core.snapshots import SnapshotEmitter
from playground.core.spec import Experiment
from playground.core.transfer import KernelEdit
from playground.errors import PlaygroundError


class Engine:
    """Trains one experiment; keeps the model, the epoch count and the history between runs."""

    def __init__(self, experiment: Experiment, listener: Listener | None = None, dataset=None,
                 devices: tuple[str, ...] | None = None, views: bool = True, quick_start: bool = False):
        """``devices`` overrides the experiment's device choice, e.g. two logical CPUs in tests.
        ``views``: send the snapshots a window draws (weights, boundary, predictions); a run nobody
        watches (``train``, a sweep's) skips them, a fifth of a short run's time. ``quick_start``: a
        new model trains at once in plain graphs until its XLA loops compile (see ``loops``)."""
        self.experiment = experiment
        self.views = views
        self._devices = devices
        self.listener: Listener = listener or (lambda event: None)
        self.dataset = dataset
        self.model = None
        self.device = ""
        self.parameters = 0  # trainable parameters, once prepared
        self.epoch = 0  # whole epochs done
        self.batch = 0  # batches done in the epoch under way
        self.history: dict[str, array] = {}  # per-epoch figures (playground.core.recorders)
        self.weight_history = WeightLog()  # each layer's weights by epoch, bounded
        self._seed_offset = 0
        self._built = False
        self._target = 0  # the epoch the run (or step) under way stops at
        self._control = RunControl()
        self._loops = Loops(quick_start)
        self._pacer = Pacer()
        self._snapshots = SnapshotEmitter()

    # -- state the callers read and set -------------------------------------------------------------
    @property
    def jit(self) -> bool:
        """Compile the loops with XLA (set before :meth:`prepare`; off where XLA cannot compile them)."""
        return self._loops.jit

    @jit.setter
    def jit(self, jit: bool) -> None:
        self._loops.jit = jit

    @property
    def batches_per_epoch(self) -> int:
        return self._loops.batches_per_epoch

    # -- controls (any thread) ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._control.running

    @property
    def paused(self) -> bool:
        return self._control.paused

    def pause(self) -> None:
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    def stop(self) -> None:
        self._control.stop()

    def step_epoch(self) -> None:
        """One epoch: queued to a live (paused) run, else done here in the calling thread."""
        self._step("epoch")

    def step_batch(self) -> None:
        self._step("batch")

    def _step(self, kind: str) -> None:
        if not self._control.step(kind):
            self._guarded(self._do_step, kind)

    def apply(self, experiment: Experiment) -> None:
        """Take a live edit (see :mod:`playground.core.edits`) keeping the weights, epoch and history:
        queued to a live run, which applies it between chunks, else applied here at once."""
        if not self.offer(experiment):
            self._apply(experiment)

    def offer(self, experiment: Experiment | KernelEdit | Callable[[], object]) -> bool:
        """Queue a live edit (an edited experiment, or a weight set by hand) into the live run and
        return True; False (and nothing done) if no run is live, so that a caller outside the engine
        thread never touches Keras itself. A function is called there as it is (an export from a
        paused run: the model as it stands, without stopping the run)."""
        return self._control.offer(experiment)

    def set_kernel(self, layer: str, i: int, j: int, value: float) -> None:
        """Set one weight, ``kernel[i, j]`` of ``layer``: queued to a live run, which applies it between
        chunks as it does a live edit, else set here at once (engine thread; a problem is reported as a
        ``Failed`` event, as a run's are)."""
        edit = KernelEdit(layer, i, j, value)
        if not self.offer(edit):
            self._guarded(self._apply, edit)

    def _apply(self, experiment: Experiment | KernelEdit) -> None:
        """A weight set by hand is assigned exactly, then shown by every view and marked on the curves.
        A constant learning rate is assigned to the optimizer's variable (the loops read it, so
        nothing retraces); a batch size retraces the loops only; any other live field is built into
        a new Keras model that takes the old one's weights and, for the same optimizer class, its
        optimizer's state."""
        from playground.core.edits import classify

        if isinstance(experiment, KernelEdit):
            label = transfer.set_kernel(self.model if self._built else None, experiment)
            self.listener(ev.Edited(self.epoch, label))
            # the weights at this epoch are the edited ones now: their summaries too
            self.listener(recorders.put_weights(self.weight_history, self.model, self.epoch))
            self._emit_snapshot(force=True)
            return
        if callable(experiment):
            return experiment()
        edit = classify(self.experiment, experiment)
        if edit.kind == "rebuild":
            raise PlaygroundError(f"This change needs a new model ({edit.changes[0].label()}); "
                                  "it cannot be applied to the one training.")
        self.experiment = experiment
        if edit.kind == "none":
            return
        fields = {c.field for c in edit.changes}
        if "epochs" in fields:  # a live run stops at the new target (at once if it is past it)
            self._target = max(experiment.training.epochs, self.epoch)
            fields.remove("epochs")
        if self._built and fields == {"learning_rate"} and experiment.training.schedule == "constant":
            self.model.optimizer.learning_rate.assign(experiment.training.learning_rate)
        elif self._built and fields:
            samples = self.batch * self._loops.bs  # an epoch under way goes on from the same sample
            if fields == {"batch_size"}:  # the same model and optimizer: only the loops' slicing changes
                if not self._loops.rebatch(experiment.training.batch_size):
                    self._make_loops()
            else:
                self._build(self.model)
            self.batch = samples // self._loops.bs
        self.listener(ev.Edited(self.epoch, edit.label()))

    def reset(self) -> None:
        """New initial weights for the same architecture on the next run or step (engine thread)."""
        if self.running:
            raise PlaygroundError("Stop training before resetting the weights.")
        self._seed_offset += 1
        self._built = False
        self.epoch = self.batch = 0
        self.history = {}
        self.weight_history.clear()

    # -- preparation (engine thread) ----------------------------------------------------------
    def prepare(self) -> None:
        """Load data, build the model and compile the loops; emits the initial weights."""
        if self._built:
            return
        from playground.core.build import trainable_parameters

        exp = self.experiment
        if self.dataset is None:
            from playground.data import load_dataset

            self.dataset = load_dataset(**exp.dataset.model_dump())
        self.parameters = trainable_parameters(exp, self.dataset)
        placement = place(exp.training.device, self.parameters, exp.training.batch_size, self._devices)
        self.device, self._loops.placement = placement.name, placement
        if placement.strategy is not None:
            self.jit = False  # XLA does not compile cross-replica steps
        self._build(None)
        self._built = True
        self._record_weights(np.array([self.epoch]), None)
        with plain_graph_options(self._loops.quick_graphs):
            self._emit_snapshot(force=True)

    def _build(self, source) -> None:
        """Build the model for :attr:`experiment` and compile its loops; with ``source`` (the model
        it replaces after a live edit) it takes on from there (see :func:`transfer.take_over`)."""
        from playground.core.build import build_model

        exp, ds, loops = self.experiment, self.dataset, self._loops
        with loops.placement.scope():
            self.model = build_model(exp, ds, self._seed_offset)
            loops.put_data(exp, ds)
            loops.attach(self.model, exp, ds, keep_shuffle=source is not None)
            if source is not None:
                transfer.take_over(source, self.model)
        self._make_loops()

    def _make_loops(self) -> None:
        """Trace (and compile) the training loops for the model and the batch size there are now."""
        training = self.experiment.training
        batches = batches_worth_compiling(self.parameters, int(self.dataset.x_train.shape[0]))
        self._loops.make(training.batch_size, training.seed + 7919 * self._seed_offset, self.epoch, batches)
        self._pacer.batches_compiled |= batches

    # -- running (engine thread) ----------------------------------------------------------------
    def run(self, epochs: int | None = None) -> str:
        """Train until the experiment's epochs (or ``epochs`` more) are done, or a stop.

        Returns the reason the run ended: "finished", "stopped", "diverged" or "failed".
        """
        self._control.begin()
        try:
            return self._guarded(self._run, epochs)
        finally:
            for experiment in self._control.end():  # edits that came as the run ended
                self._guarded(self._apply, experiment)

    def _guarded(self, fn, *args) -> str:
        try:
            return fn(*args)
        except PlaygroundError as exc:
            self.listener(ev.Failed(self.epoch, str(exc)))
            return "failed"
        except Exception as exc:  # noqa: BLE001 - a training failure must reach the user, not kill the thread
            self.listener(ev.Failed(self.epoch, f"Training failed: {type(exc).__name__}: {exc}"))
            return "failed"

    def _run(self, epochs: int | None) -> str:
        self.prepare()
        total = self.experiment.training.epochs
        if epochs is not None:
            target = self.epoch + epochs
        else:
            target = total if self.epoch < total else self.epoch + total
        self._target = target  # an edit of the epoch target moves it
        self.listener(ev.Started(self.epoch, self.device, target, self.batches_per_epoch, self.parameters))
        t0 = time.perf_counter()
        reason = "finished"

        def on_pause() -> None:
            self._settle()
            self.listener(ev.Paused(self.epoch))

        def at_target() -> bool:
            return self.epoch >= self._target and self.batch == 0

        while True:
            stop, step, edits = self._control.next(on_pause, at_target)
            for experiment in edits:
                self._apply(experiment)
            if edits:
                continue
            if stop:
                reason = "stopped"
                break
            if step is not None:
                if self._do_chunk(1 if step == "epoch" else 0, 1 if step == "batch" else 0) == "diverged":
                    return "diverged"
                continue
            if at_target():
                break
            fill = epochs_to_fill(self.epoch, self.weight_history.stride, self._loops.snapshot_rows)
            if self._do_chunk(*self._pacer.chunk(self.epoch, self.batch, self.batches_per_epoch,
                                                 self._target, fill)) == "diverged":
                return "diverged"
        self._settle()
        self.listener(ev.Finished(self.epoch, reason, time.perf_counter() - t0))
        return reason

    def _do_step(self, kind: str) -> str:
        self.prepare()
        self._target = self.epoch + 1
        t0 = time.perf_counter()
        if self._do_chunk(1 if kind == "epoch" else 0, 1 if kind == "batch" else 0) == "diverged":
            return "diverged"
        self._settle()
        self.listener(ev.Finished(self.epoch, "step", time.perf_counter() - t0))
        return "step"

    def _do_chunk(self, epochs: int, batches: int) -> str:
        """Run ``epochs`` whole epochs, or else ``batches`` batches of the epoch under way."""
        with self._loops.training(self._pacer.batches_compiled):
            return self._chunk(epochs, batches)

    def _chunk(self, epochs: int, batches: int) -> str:
        loops, per_epoch_batches = self._loops, self.batches_per_epoch
        if epochs and self.batch:  # an epoch step in mid-epoch finishes the epoch under way
            epochs, batches = 0, per_epoch_batches - self.batch
        put_back = transfer.checkpoint(self.model)
        t0 = time.perf_counter()
        first = self.epoch + 1
        figures, snaps, batches = loops.chunk(self.epoch, self.batch, epochs, batches, self.weight_history.stride)
        elapsed = time.perf_counter() - t0
        diverged = recorders.diverged(figures, first, self.epoch)
        if diverged is not None:  # the weights before the chunk are put back
            put_back()
            self.batch = 0
            self.listener(diverged)
            return "diverged"
        if epochs:
            self._record_weights(np.arange(first, first + epochs), snaps)
            self.epoch += epochs
        else:
            self.batch += batches
            if self.batch >= per_epoch_batches:
                self.epoch, self.batch = self.epoch + 1, 0
                self._record_weights(np.array([self.epoch]), None)
        self._pacer.took(elapsed, epochs, batches, per_epoch_batches, loops.n, loops.bs)
        if figures is not None:
            self.listener(recorders.record_metrics(self.history, self.epoch, first, figures, loops.metric_name))
        self.listener(self._pacer.progress(self.epoch, self.batch, per_epoch_batches, self._target))
        self._emit_snapshot()
        return "ok"

    def _record_weights(self, epochs: np.ndarray, snaps, last_of_run: bool = False) -> None:
        event = recorders.record_weights(self.weight_history, self.model, epochs, snaps, last_of_run)
        if event is not None:
            self.listener(event)

    def _settle(self) -> None:
        """Where a run or step ends or pauses, every view shows its epoch, the weight history too."""
        if self.batch == 0:
            self._record_weights(np.array([self.epoch]), None, last_of_run=True)
        self._emit_snapshot(force=True)

    def _emit_snapshot(self, force: bool = False) -> None:
        """A snapshot for the views, when one is due (see ``snapshots``)."""
        if self.views:
            self._snapshots.emit(self.listener, self.snapshot, force)

    def take_weights(self, source) -> list[str]:
        """Copy the weights of every layer of the Keras model ``source`` whose name and weight shapes
        match one of this model's (an activation changed, a layer added at the end); returns the
        layers copied. The optimizer starts fresh: its moments belong to another function."""
        self.prepare()
        taken = transfer.take_matching_weights(source, self.model)
        self._emit_snapshot(force=True)
        return taken

    def replay(self) -> None:
        """Send the whole history and a snapshot again, for views that were cleared (a kept model
        taken back)."""
        for event in (recorders.replay_metrics(self.history, self.epoch),
                      recorders.replay_weights(self.weight_history)):
            if event is not None:
                self.listener(event)
        if self._built:
            self._emit_snapshot(force=True)

    # -- views of the model (engine thread) ----------------------------------------------------
    def snapshot(self):
        """The model as it is now for every view at once (see :func:`snapshots.views`)."""
        return snapshots.views(self.model, self._loops, self.experiment, self.dataset, self.epoch)

    def boundary(self) -> ev.Boundary:
        return snapshots.boundary(self._loops, self.experiment, self.dataset.task, self.epoch)

    def predictions(self) -> ev.Predictions:
        return snapshots.predictions(self._loops, self.experiment, self.dataset.task, self.epoch)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The model's raw output on ``x`` (engine thread)."""
        self.prepare()
        return self.model(x, training=False).numpy()

    # -- resuming (engine thread) ---------------------------------------------------------------
    def restore(self, path, epochs: int, history: dict[str, list[float]]) -> None:
        """Continue a saved run: the weights and the optimizer's state (moments, step count) from
        the ``.keras`` file at ``path`` (see :func:`transfer.restore`); ``epochs`` done and their
        ``history``, so that the next epoch's shuffle, the learning-rate schedule and the curves go
        on where the run left off. The experiment's learning rate stays (an edited experiment
        applies), and dropout masks start their random sequence over: Keras saves no dropout state."""
        self.prepare()
        transfer.restore(self.model, path, self.experiment.training.optimizer)
        self.epoch, self.batch = epochs, 0
        self.history = {k: array("d", v) for k, v in history.items()}
        self.weight_history.clear()  # the weights before this epoch are not in the file
        self._record_weights(np.array([epochs]), None)
        self._emit_snapshot(force=True)
