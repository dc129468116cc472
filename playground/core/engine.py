"""The training engine: compiled chunks of Keras ``train_step`` over data held on the device.

``model.fit`` pays for a Python iterator and callbacks every epoch; on a
TensorFlow-Playground-sized network that overhead is almost all the time. The
engine instead runs many epochs (or, for big data, many batches) inside one
``tf.function`` that loops over Keras' own ``train_step``, so losses,
regularizers, dropout, optimizers and metrics behave exactly as in ``fit``
(same shuffling-per-epoch, same batch-size-weighted epoch loss, same metric
objects). Chunks are sized so that events arrive ~30 times a second.

Threading: the engine runs in whichever thread calls :meth:`Engine.run` (or a
``step_*``), reporting every event to a plain listener. ``pause``, ``resume``,
``stop``, ``step_epoch``, ``step_batch`` and ``offer`` (a live edit, see :meth:`Engine.apply`)
may be called from any other thread while a run is live; they take effect within one chunk.
"""
from __future__ import annotations

import contextlib
from array import array
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.core import events as ev
from playground.core.history import BINS, LayerHistory, WeightHistory, summarise
from playground.core.spec import Experiment
from playground.errors import PlaygroundError

Listener = Callable[[ev.Event], None]

TARGET_EVENT_INTERVAL = 1 / 30  # seconds of training per chunk
# Snapshots for the views (weights, boundary or predictions, together: every view shows the same
# epoch) at most this often, and rarer where taking one costs more than a tenth of the time between,
# but never rarer than MAX_SNAPSHOT_INTERVAL (a one-off cost, such as a compile, must not stop them).
SNAPSHOT_INTERVAL = 0.1
MAX_SNAPSHOT_INTERVAL = 1.0
SLOW_EPOCH = 0.25  # seconds: an epoch slower than this is split into batch chunks even if that compiles
GRID = 100
NEURON_GRID = 40  # the neuron maps' grid: thumbnails, drawn large on hover (TF Playground's are coarser)
ACTIVITY_SAMPLE = 2048  # training samples on which a hidden unit counts as dead if it is 0 on all
DYING_ACTIVATIONS = ("relu", "relu6")  # a unit whose input stays negative outputs 0 and learns no more
MAX_PREDICTIONS = 5000
MAX_CHUNK_EPOCHS = 4096
MAX_SNAPSHOTS_PER_CHUNK = 64  # weight-history rows a compiled chunk collects (it is cut short to fit)
SNAPSHOT_BUDGET = 1 << 18  # floats for those rows: a big model collects fewer per chunk
XLA_THREAD = "xla-compile"  # the name of the thread that compiles a quick-started model's XLA loops


def configure_gpus() -> list:
    """Turn on memory growth for every GPU; must run before TensorFlow touches one."""
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # each Engine traces its own loops: retracing notes are noise
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # already initialised: growth was set earlier or cannot change now
    return gpus


def leave_cores_free(count: int) -> int:
    """Keep TensorFlow's thread pools ``count`` cores short of the machine (at least one thread),
    so that another thread, such as a window's, always finds a core; returns the threads set.
    Must run before TensorFlow starts its runtime."""
    import tensorflow as tf

    threads = max(1, (os.cpu_count() or 1) - count)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # the runtime already started (another engine in this process): its pools stay
    return threads


# Networks smaller than this train faster on the CPU: kernel launches cost more than the maths.
GPU_MIN_WORK = 2_000_000  # parameters x batch size


def choose_device(requested: str, parameters: int, batch_size: int) -> tuple[tuple[str, ...], str]:
    """(TensorFlow devices to train on, a human name) for ``requested`` ("auto", "cpu" or "gpu").

    Several GPUs give several devices: the engine then trains with ``MirroredStrategy``.
    """
    import tensorflow as tf

    gpus = configure_gpus()
    if requested == "gpu" and not gpus:
        raise PlaygroundError("Training on the GPU was asked for, but TensorFlow sees no GPU on this "
                              "machine; choose the CPU or auto.")
    use_gpu = bool(gpus) and requested != "cpu" and (
        requested == "gpu" or parameters * batch_size >= GPU_MIN_WORK)
    if not use_gpu:
        return ("/CPU:0",), "CPU"
    name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU")
    devices = tuple(f"/GPU:{i}" for i in range(len(gpus)))
    return devices, f"GPU:0 ({name})" if len(gpus) == 1 else f"{len(gpus)} GPUs ({name}), mirrored"


@dataclass(frozen=True)
class KernelEdit:
    """One weight set by hand (a link edited in the network diagram): ``kernel[i, j]`` of ``layer``."""
    layer: str
    i: int
    j: int
    value: float


class Engine:
    """Trains one experiment; keeps the model, the epoch count and the history between runs."""

    def __init__(self, experiment: Experiment, listener: Listener | None = None, dataset=None,
                 devices: tuple[str, ...] | None = None):
        """``devices`` overrides the experiment's device choice, e.g. two logical CPUs in tests."""
        self.experiment = experiment
        self._devices = devices
        self.listener: Listener = listener or (lambda event: None)
        self.dataset = dataset
        self.model = None
        self.device = ""
        self.epoch = 0  # whole epochs done
        self.batch = 0  # batches done in the epoch under way
        # Per-epoch figures, 8 bytes each (a list of floats takes 32: 128 MB for a million epochs).
        self.history: dict[str, array] = {}
        self.weight_history = WeightHistory()  # each layer's weights by epoch, bounded
        self.jit = True
        # Train in plain graphs at once and swap in the XLA loops, compiled in another thread, between
        # chunks: a new model moves in a fraction of the XLA compile time (the UI's choice).
        self.quick_start = False
        self._builds = 0  # models built: XLA loops compiled for an older one are dropped
        self._xla_loops: tuple[int, dict] | None = None  # (build, loops) ready to swap in
        self._seed_offset = 0
        self._built = False
        self._cond = threading.Condition()
        self._stop = False
        self._paused = False
        self._steps: list[str] = []  # queued "epoch"/"batch" requests while paused
        self._edits: list[Experiment | KernelEdit] = []  # queued live edits, applied between chunks
        self._running = False
        self._target = 0  # the epoch the run (or step) under way stops at
        self._epoch_seconds = 0.0  # the last chunk's time per epoch
        self._last_epochs = 1
        self._last_batches = 1
        self._last_snapshot = 0.0
        self._snapshot_interval = SNAPSHOT_INTERVAL
        self._batches_compiled = False
        self._quick_graphs = False  # training in plain graphs while the XLA loops compile
        self._xla_due = False  # compile them after the next chunk
        self._seconds = 0.0

    # -- controls (any thread) ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def step_epoch(self) -> None:
        """One epoch: queued to a live (paused) run, else done here in the calling thread."""
        self._step("epoch")

    def step_batch(self) -> None:
        self._step("batch")

    def _step(self, kind: str) -> None:
        with self._cond:
            if self._running:
                self._paused = True
                self._steps.append(kind)
                self._cond.notify_all()
                return
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
        with self._cond:
            if self._running:
                self._edits.append(experiment)
                self._cond.notify_all()
            return self._running

    def set_kernel(self, layer: str, i: int, j: int, value: float) -> None:
        """Set one weight, ``kernel[i, j]`` of ``layer``: queued to a live run, which applies it between
        chunks as it does a live edit, else set here at once (engine thread; a problem is reported as a
        ``Failed`` event, as a run's are)."""
        edit = KernelEdit(layer, i, j, value)
        if not self.offer(edit):
            self._guarded(self._apply, edit)

    def _set_kernel(self, edit: KernelEdit) -> None:
        """Assign the weight exactly (float32), then send a snapshot so every view shows it, and a
        marker for the curves."""
        names = [layer.name for layer in self.model.layers if hasattr(layer, "kernel")] if self._built else []
        if edit.layer not in names:
            raise PlaygroundError(f"The model has no layer {edit.layer!r} to set a weight of.")
        kernel = self.model.get_layer(edit.layer).kernel
        values = kernel.numpy()
        if not (0 <= edit.i < values.shape[0] and 0 <= edit.j < values.shape[1]):
            raise PlaygroundError(f"{edit.layer}'s kernel has no weight [{edit.i}, {edit.j}]; "
                                  f"its shape is {values.shape[0]} x {values.shape[1]}.")
        old = float(values[edit.i, edit.j])
        values[edit.i, edit.j] = edit.value
        kernel.assign(values)
        self.listener(ev.Edited(self.epoch, f"{edit.layer}[{edit.i}, {edit.j}] {old:+.4g} → {edit.value:+.4g}"))
        self._emit_snapshot(force=True)

    def _apply(self, experiment: Experiment | KernelEdit) -> None:
        """A constant learning rate is assigned to the optimizer's variable (the loops read it, so
        nothing retraces); a batch size retraces the loops only; any other live field is built into
        a new Keras model that takes the old one's weights and, for the same optimizer class, its
        optimizer's state."""
        from playground.core.edits import classify

        if isinstance(experiment, KernelEdit):
            return self._set_kernel(experiment)
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
            samples = self.batch * self._bs  # an epoch under way goes on from the same sample
            if fields == {"batch_size"}:
                self._make_loops()  # the same model and optimizer: only the loops' slicing changes
            else:
                self._build(self.model)
            self.batch = samples // self._bs
        self.listener(ev.Edited(self.epoch, edit.label()))

    def reset(self) -> None:
        """New initial weights for the same architecture on the next run or step (engine thread)."""
        if self._running:
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
        import tensorflow as tf

        from playground.core.build import layer_table

        exp = self.experiment
        if self.dataset is None:
            from playground.data import load_dataset

            self.dataset = load_dataset(**exp.dataset.model_dump())
        ds = self.dataset
        params = sum(r.parameters for r in layer_table(exp, ds.input_dim, ds.output_units, ds.task)
                     if r.trainable)
        if self._devices:
            devices, self.device = self._devices, ", ".join(self._devices)
        else:
            devices, self.device = choose_device(exp.training.device, params, exp.training.batch_size)
        self._tf_device = devices[0]
        self._strategy = tf.distribute.MirroredStrategy(list(devices)) if len(devices) > 1 else None
        if self._strategy is not None:
            self.jit = False  # XLA does not compile cross-replica steps
        self.parameters = params
        self._build(None)
        self._built = True
        self._record_weights(np.array([self.epoch]), None)
        with _plain_graph_options(self._quick_graphs):
            self._emit_snapshot(force=True)

    def _build(self, source) -> None:
        """Build the model for :attr:`experiment` and compile its loops; with ``source`` (the model
        it replaces after a live edit) its weights are copied in by layer name, and its optimizer's
        state too where the optimizer class is the same (a new optimizer starts fresh)."""
        import tensorflow as tf

        from playground.core.build import build_model, loss_targets, make_metric

        exp, ds = self.experiment, self.dataset
        scope = self._strategy.scope() if self._strategy else tf.device(self._tf_device)
        with scope:
            self.model = build_model(exp, ds, self._seed_offset)
            if source is not None:
                for layer in source.layers:
                    if layer.weights:
                        self.model.get_layer(layer.name).set_weights(layer.get_weights())
            y_train = loss_targets(exp, ds.task, ds.y_train, ds.num_classes)
            y_test = loss_targets(exp, ds.task, ds.y_test, ds.num_classes)
            # The model takes the raw columns and computes its own features (crosses, normalization).
            self._x = tf.constant(ds.raw_train)
            self._y = tf.constant(y_train)
            self._xt = tf.constant(ds.raw_test)
            self._yt = tf.constant(y_test)
            self._y_test_np = ds.y_test
            if ds.is_2d:
                x0, x1, y0, y1 = ds.extent

                def plane_grid(n):
                    xs, ys = np.linspace(x0, x1, n, dtype=np.float32), np.linspace(y0, y1, n, dtype=np.float32)
                    gx, gy = np.meshgrid(xs, ys)
                    return xs, ys, tf.constant(np.stack([gx.ravel(), gy.ravel()], axis=1))

                self._grid_xs, self._grid_ys, self._grid = plane_grid(GRID)
                self._neuron_xs, self._neuron_ys, self._neuron_grid = plane_grid(NEURON_GRID)
            # Build the optimizer and metric variables now: variables can't be created in the loop.
            self.model.optimizer.build(self.model.trainable_variables)
            if source is not None and type(source.optimizer) is type(self.model.optimizer):
                _copy_optimizer_state(source.optimizer, self.model.optimizer)
            self.model.compute_metrics(self._x[:1], self._y[:1], self.model(self._x[:1]))
            self.model.reset_metrics()
            self._test_metric = make_metric(exp, ds.task)
            self._test_metric.update_state(self._yt[:1], self.model(self._xt[:1]))
            self._test_metric.reset_state()
            if source is None:  # the shuffle of the epoch under way survives an edit
                self._perm = tf.Variable(tf.zeros([int(ds.x_train.shape[0])], tf.int32), trainable=False)
            self._x_pred = self._xt[:MAX_PREDICTIONS]
        self._make_loops()

    def _make_loops(self) -> None:
        """Trace (and compile) the training loops for the model and the batch size there are now."""
        n = int(self.dataset.x_train.shape[0])
        bs = min(self.experiment.training.batch_size, n)
        self._n, self._bs = n, bs
        self._full, self._rem = divmod(n, bs)
        self.batches_per_epoch = self._full + (1 if self._rem else 0)
        self._builds += 1
        quick = self.quick_start and self.jit
        self._quick_graphs = quick
        self._make_functions(jit=self.jit and not quick)
        with _plain_graph_options(quick):
            self._compile()
        # The XLA compile starts after the first chunk: tracing holds the GIL, and would slow it.
        self._xla_due = quick

    def _compile_xla_in_background(self) -> None:
        """Compile XLA versions of the loops just traced, for :meth:`_swap_in_xla`; if XLA cannot
        compile them here, the plain graphs stay."""
        import tensorflow as tf

        build, (train_epochs, train_batches, grid_output) = self._builds, self._loop_sources
        loops = {"_train_epochs": _function(train_epochs, True), "_train_batches": _function(train_batches, True)}
        if grid_output is not None:
            loops["_grid_output"] = _function(grid_output, True)
        batches = self._batches_compiled

        def compile_loops():
            try:
                with tf.device(self._tf_device):
                    zero = tf.constant(0, tf.int32)
                    loops["_train_epochs"](tf.constant(0, tf.int64), zero, tf.constant(1, tf.int64))
                    if batches:
                        loops["_train_batches"](zero, zero)
                    if "_grid_output" in loops:  # reads the weights only: a race with training is harmless
                        loops["_grid_output"]()
            except Exception:  # noqa: BLE001 - no XLA here: the graphs are as right, only slower
                return
            self._xla_loops = (build, loops)

        # Not a daemon: TensorFlow aborts the process if it exits in the middle of a compile.
        threading.Thread(target=compile_loops, name=XLA_THREAD).start()

    def _swap_in_xla(self) -> None:
        """Between chunks: use the XLA loops once they are compiled for the model training now."""
        ready, self._xla_loops = self._xla_loops, None
        if ready is not None and ready[0] == self._builds:
            for name, fn in ready[1].items():
                setattr(self, name, fn)
            self._quick_graphs = False

    def _make_functions(self, jit: bool) -> None:
        import tensorflow as tf

        model, x, y = self.model, self._x, self._y
        n, bs, full, rem = self._n, self._bs, self._full, self._rem
        seed = self.experiment.training.seed + 7919 * self._seed_offset

        def perm_for(epoch):
            # A seeded shuffle from an integer hash of (seed, epoch, index): unlike TensorFlow's random
            # ops it gives the same order with and without XLA, so runs repeat on every device. The
            # keys are 24-bit (exact in float32, which XLA sorts fast); ties keep index order.
            bits = tf.bitwise
            h = (tf.range(n, dtype=tf.int64) * 0x9E3779B1 + tf.cast(epoch, tf.int64) * 0x85EBCA77
                 + seed * 0xC2B2AE3D)
            for shift, factor in ((16, 0x7FEB352D), (15, 0x846CA68B), (16, 1)):
                h = bits.bitwise_and(bits.bitwise_xor(h, bits.right_shift(h, shift)) * factor, 0xFFFFFFFF)
            return tf.argsort(tf.cast(bits.right_shift(h, 8), tf.float32), stable=True)

        strategy = self._strategy

        def step(perm, start, size):
            idx = tf.slice(perm, [start], [size])
            batch = (tf.gather(x, idx), tf.gather(y, idx))
            if strategy is None:
                return model.train_step(batch)["loss"]
            return strategy.reduce("MEAN", strategy.run(model.train_step, args=(split(batch, size),))["loss"],
                                   axis=None)

        def split(batch, size):
            """One slice of the batch per replica (a batch smaller than the replica count goes whole
            to each: Keras scales each replica's loss by 1/replicas, so the update is the same)."""
            replicas = strategy.num_replicas_in_sync
            if size < replicas:
                return strategy.experimental_distribute_values_from_function(lambda ctx: batch)
            sizes = [size // replicas + (1 if i < size % replicas else 0) for i in range(replicas)]
            parts = [tf.split(t, sizes) for t in batch]
            return strategy.experimental_distribute_values_from_function(
                lambda ctx: tuple(p[ctx.replica_id_in_sync_group] for p in parts))

        def test_metrics():
            y_pred = model(self._xt, training=False)
            loss = model.compute_loss(x=self._xt, y=self._yt, y_pred=y_pred, training=False)
            self._test_metric.reset_state()
            self._test_metric.update_state(self._yt, y_pred)
            return loss, self._test_metric.result()

        def epoch_figures():
            logs = model.get_metrics_result()
            test_loss, test_metric = test_metrics()
            return tf.stack([logs["loss"], logs[self._metric_name], test_loss, test_metric])

        # The loops are built with tf.while_loop directly and traced without autograph: converting
        # them (and Keras' train_step under them) costs a new model ~0.2 s of its first epoch. Counters
        # are loop variables, not Python ranges: XLA then compiles once for any count.
        weights = self._tracked_weights()
        rows = self._snapshot_rows = max(1, min(MAX_SNAPSHOTS_PER_CHUNK, SNAPSHOT_BUDGET // self._tracked_size))
        batches = self.batches_per_epoch

        def epoch_batches(perm, dynamic):
            """One epoch's batches. XLA needs static shapes: the full batches, then the smaller last
            one, each a trace of train_step. Plain graphs take any batch size, so there one trace
            serves every batch (``dynamic``): a new model's first epoch comes sooner."""
            if dynamic:
                def batch(b):
                    step(perm, b * bs, tf.minimum(bs, n - b * bs))
                    return (b + 1,)

                tf.while_loop(lambda b: b < batches, batch, (tf.constant(0),), parallel_iterations=1)
                return

            def full_batch(b):
                step(perm, b * bs, bs)
                return (b + 1,)

            tf.while_loop(lambda b: b < full, full_batch, (tf.constant(0),), parallel_iterations=1)
            if rem:
                step(perm, full * bs, rem)

        def make_train_epochs(dynamic):
            def train_epochs(epoch0, count, stride):
                # Besides each epoch's figures, the weights after every epoch that is a multiple of
                # ``stride`` (for the weight history by epoch): row j holds the j-th such epoch's; the
                # other epochs write a row that the next one overwrites (branch-free, cheap under XLA).
                def epoch(i, j, out, snaps):
                    for m in model.metrics:
                        m.reset_state()
                    epoch_batches(perm_for(epoch0 + tf.cast(i, tf.int64)), dynamic)
                    # Fixed-size output buffers keep shapes static: XLA compiles this once for any count.
                    out = tf.tensor_scatter_nd_update(out, [[i]], [epoch_figures()])
                    flat = tf.concat([tf.reshape(w, [-1]) for w in weights], 0)
                    snaps = tf.tensor_scatter_nd_update(snaps, [[tf.minimum(j, rows)]], [flat])
                    done = epoch0 + tf.cast(i + 1, tf.int64)
                    return i + 1, j + tf.cast(tf.equal(done % stride, 0), tf.int32), out, snaps

                start = (tf.constant(0), tf.constant(0), tf.zeros([MAX_CHUNK_EPOCHS, 4]),
                         tf.zeros([rows + 1, self._tracked_size]))
                _, _, out, snaps = tf.while_loop(lambda i, j, out, snaps: i < count, epoch, start,
                                                 parallel_iterations=1)
                return out, snaps
            return train_epochs

        def shuffle(epoch):
            self._perm.assign(perm_for(epoch))

        def make_train_batches(dynamic):
            def train_batches(b0, count):
                perm = self._perm.read_value()  # this epoch's order, set once by shuffle() at its first batch

                def batch(b, loss):
                    if dynamic:
                        loss = step(perm, b * bs, tf.minimum(bs, n - b * bs))
                    elif rem:
                        loss = tf.cond(b < full, lambda: step(perm, b * bs, bs), lambda: step(perm, full * bs, rem))
                    else:
                        loss = step(perm, b * bs, bs)
                    return b + 1, loss

                return tf.while_loop(lambda b, loss: b < b0 + count, batch, (b0, tf.constant(0.0)),
                                     parallel_iterations=1)[1]
            return train_batches

        # What TensorFlow Playground draws in its nodes, from a functional model sharing the weights:
        # the features the first Dense layer takes, then each hidden Dense layer's activations.
        import keras

        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        inner = keras.Model(model.input, [dense[0].input] + [layer.output for layer in dense[:-1]])
        activity_sample = self._x[:ACTIVITY_SAMPLE]

        def neurons(x):
            out = inner(x, training=False)
            return list(out) if isinstance(out, (list, tuple)) else [out]  # Keras unwraps a single output

        def silent_units():
            """Per hidden layer, which units output 0 for every sample (a dead ReLU's sign)."""
            return tuple(tf.reduce_all(tf.equal(out, 0.0), axis=0) for out in neurons(activity_sample)[1:])

        def grid_output():
            maps = neurons(self._neuron_grid)
            return model(self._grid, training=False), tuple(m[:, :ev.MAX_DRAWN] for m in maps)

        # The XLA loops (compiled here, or later in a thread) are static; a strategy splits static batches too.
        dynamic = not jit and strategy is None and rem > 0
        self._loop_sources = (make_train_epochs(False), make_train_batches(False),
                              grid_output if self.dataset.is_2d else None)
        self._metric_name = "mae" if self.dataset.task == "regression" else "accuracy"
        self._train_epochs = _function(make_train_epochs(dynamic), jit)
        self._train_batches = _function(make_train_batches(dynamic), jit)
        self._shuffle = _function(shuffle, False)
        self._epoch_figures = _function(epoch_figures, False)
        self._grid_output = _function(grid_output, jit) if self.dataset.is_2d else None
        self._predict_test = _function(lambda: model(self._x_pred, training=False), False)
        self._silent_units = _function(silent_units, False)

    def _compile(self) -> None:
        """Trace and compile the loops now (zero iterations), so a run's first chunk trains at speed."""
        import tensorflow as tf

        with tf.device(self._tf_device):
            zero, epoch = tf.constant(0, tf.int32), tf.constant(self.epoch, tf.int64)
            self._call("_train_epochs", epoch, zero, tf.constant(1, tf.int64))
            if self._epoch_seconds_guess() > TARGET_EVENT_INTERVAL:
                self._call("_train_batches", zero, zero)
                self._batches_compiled = True

    def _epoch_seconds_guess(self) -> float:
        """A rough a-priori epoch time (1 GFLOP/s of useful work), to decide which loop to compile."""
        return 6 * self.parameters * self._n / 1e9

    # -- running (engine thread) ----------------------------------------------------------------
    def run(self, epochs: int | None = None) -> str:
        """Train until the experiment's epochs (or ``epochs`` more) are done, or a stop.

        Returns the reason the run ended: "finished", "stopped", "diverged" or "failed".
        """
        with self._cond:
            self._stop = False
            self._running = True
        try:
            return self._guarded(self._run, epochs)
        finally:
            with self._cond:
                self._running = False
                self._steps.clear()
                edits, self._edits = self._edits, []
            for experiment in edits:  # edits that came as the run ended
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
        paused_reported = False
        while True:
            with self._cond:
                while self._paused and not self._stop and not self._steps and not self._edits:
                    if not paused_reported:
                        self._seconds = time.perf_counter() - t0
                        self._settle()
                        self.listener(ev.Paused(self.epoch))
                        paused_reported = True
                    self._cond.wait()
                stop = self._stop
                step = self._steps.pop(0) if self._steps and not self._edits else None
                edits, self._edits = self._edits, []
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
                paused_reported = False
                continue
            paused_reported = False
            if self.epoch >= self._target and self.batch == 0:
                break
            if self._do_chunk(*self._chunk_size(self._target)) == "diverged":
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

    def _chunk_size(self, target: int) -> tuple[int, int]:
        """(whole epochs, batches) for the next chunk, aiming at TARGET_EVENT_INTERVAL of work."""
        if self.batch:  # finish the epoch under way first
            return 0, self._batch_chunk(self.batches_per_epoch - self.batch)
        if self._epoch_seconds == 0:
            return 1, 0
        # Batch chunks only where the batch loop is compiled already, or epochs are so slow that its
        # one-off compile is worth it (a first epoch can look slow just from warming up).
        slow = self._epoch_seconds > (TARGET_EVENT_INTERVAL * 1.5 if self._batches_compiled else SLOW_EPOCH)
        if slow:
            self._batches_compiled = True
            return 0, self._batch_chunk(self.batches_per_epoch)
        # Small chunks overstate the time per epoch (a fixed cost per call): grow at most 4x a chunk.
        epochs = max(1, min(int(TARGET_EVENT_INTERVAL / self._epoch_seconds), 4 * self._last_epochs))
        self._last_epochs = min(epochs, target - self.epoch, MAX_CHUNK_EPOCHS, self._epochs_to_fill_snapshots())
        return self._last_epochs, 0

    def _epochs_to_fill_snapshots(self) -> int:
        """The most epochs a chunk may run before its weight-history rows are full."""
        stride = self.weight_history.stride
        return (self.epoch // stride + self._snapshot_rows) * stride - self.epoch

    def _batch_chunk(self, left: int) -> int:
        """Batches for the next chunk: aim at the interval, growing at most 4x (fixed costs per call
        make small chunks look slow per batch)."""
        if not self._epoch_seconds:
            return left
        per_batch = self._epoch_seconds / self.batches_per_epoch
        want = max(1, min(int(TARGET_EVENT_INTERVAL / per_batch), 4 * self._last_batches))
        self._last_batches = min(left, want)
        return self._last_batches

    def _do_chunk(self, epochs: int, batches: int) -> str:
        """Run ``epochs`` whole epochs, or else ``batches`` batches of the epoch under way."""
        self._swap_in_xla()
        with _plain_graph_options(self._quick_graphs):
            result = self._chunk(epochs, batches)
        if self._xla_due:
            self._xla_due = False
            self._compile_xla_in_background()
        return result

    def _chunk(self, epochs: int, batches: int) -> str:
        import tensorflow as tf

        if epochs and self.batch:  # an epoch step in mid-epoch finishes the epoch under way
            epochs, batches = 0, self.batches_per_epoch - self.batch
        snapshot = [v.numpy() for v in self._state_variables()]
        t0 = time.perf_counter()
        first = self.epoch + 1
        try:
            with tf.device(self._tf_device):
                if epochs:
                    stride = self.weight_history.stride
                    figures, snaps = self._call("_train_epochs", tf.constant(self.epoch, tf.int64),
                                                tf.constant(epochs, tf.int32), tf.constant(stride, tf.int64))
                    figures = figures.numpy()[:epochs]
                else:
                    if self.batch == 0:
                        self.model.reset_metrics()
                        self._shuffle(tf.constant(self.epoch, tf.int64))
                    left = self.batches_per_epoch - self.batch
                    batches = min(batches, left)
                    last = self._call("_train_batches", tf.constant(self.batch, tf.int32),
                                      tf.constant(batches, tf.int32))
                    figures = None
                    if batches == left:
                        figures = self._epoch_figures().numpy()[None, :]
                    elif not math.isfinite(float(last)):
                        figures = np.array([[float(last)] * 4], np.float32)
        except tf.errors.ResourceExhaustedError:
            raise PlaygroundError("The device ran out of memory: use a smaller network or batch size.") \
                from None
        elapsed = time.perf_counter() - t0
        if figures is not None and not np.all(np.isfinite(figures[:, 0])):
            bad = first + int(np.argmax(~np.isfinite(figures[:, 0])))
            for var, value in zip(self._state_variables(), snapshot):
                var.assign(value)
            self.batch = 0
            self.listener(ev.Diverged(self.epoch, f"The loss became infinite or NaN at epoch {bad}; "
                                                  f"training stopped and the weights of epoch {self.epoch} "
                                                  "were restored. Try a lower learning rate."))
            return "diverged"
        if epochs:
            self._record_weights(np.arange(first, first + epochs), snaps)
            self.epoch += epochs
            per_epoch = elapsed / epochs
            samples = self._n * epochs
        else:
            self.batch += batches
            per_epoch = elapsed * self.batches_per_epoch / batches
            samples = min(batches * self._bs, self._n)
            if self.batch >= self.batches_per_epoch:
                self.epoch += 1
                self.batch = 0
                self._record_weights(np.array([self.epoch]), None)
        self._epoch_seconds = per_epoch
        self._seconds += elapsed
        if figures is not None:
            self._record(first, figures)
        done = (self.epoch + self.batch / self.batches_per_epoch) / max(self._target, 1)
        self.listener(ev.Progress(self.epoch, self.batch, self.batches_per_epoch,
                                  samples / elapsed if elapsed else 0.0,
                                  1 / per_epoch if per_epoch else 0.0, min(1.0, done)))
        self._emit_snapshot()
        return "ok"

    def _tracked_weights(self) -> list:
        """The variables the weight history follows: each Dense layer's kernel, then its bias."""
        out = []
        for layer in self.model.layers:
            if hasattr(layer, "kernel"):
                out += [layer.kernel] + ([layer.bias] if layer.bias is not None else [])
        return out

    @property
    def _tracked_size(self) -> int:
        return sum(int(np.prod(w.shape)) for w in self._tracked_weights())

    def _record_weights(self, epochs: np.ndarray, snaps, last_of_run: bool = False) -> None:
        """Add the epochs among ``epochs`` that the weight history wants; their weights are the rows of
        ``snaps`` (one per epoch that is a multiple of the stride, from the compiled loop), or the
        model's own (``snaps`` None: one epoch, just done)."""
        wanted = self.weight_history.wanted_among(epochs, last_of_run)
        if not len(wanted):
            return
        if snaps is None:
            rows = np.concatenate([w.numpy().ravel() for w in self._tracked_weights()])[None, :]
        else:
            recorded = epochs[epochs % self.weight_history.stride == 0]  # row j: the j-th of these
            rows = snaps.numpy()[:len(recorded)][np.isin(recorded, wanted)]
        layers = self._summaries(rows)
        self.weight_history.add(wanted, layers)
        self.listener(ev.WeightHistory(int(wanted[-1]), wanted, layers, whole=False))

    def _summaries(self, rows: np.ndarray) -> tuple[LayerHistory, ...]:
        """Each Dense layer's kernel and bias summaries from flat weight ``rows`` (k x tracked size)."""
        out, at = [], 0
        for layer in self.model.layers:
            if not hasattr(layer, "kernel"):
                continue
            size = int(np.prod(layer.kernel.shape))
            kernel = summarise(rows[:, at:at + size])
            at += size
            bias = None
            if layer.bias is not None:
                bias = summarise(rows[:, at:at + int(layer.bias.shape[0])])
                at += int(layer.bias.shape[0])
            out.append(LayerHistory(layer.name, kernel, bias))
        return tuple(out)

    def _call(self, name: str, *args):
        """Call a compiled loop; if XLA can't compile it here, fall back to plain graphs once."""
        try:
            return getattr(self, name)(*args)
        except Exception as exc:  # noqa: BLE001
            if not self.jit or "xla" not in str(exc).lower():
                raise
            self.jit = False
            self._make_functions(jit=False)
            return getattr(self, name)(*args)

    def _state_variables(self):
        return list(self.model.variables) + list(self.model.optimizer.variables)

    def _record(self, first: int, figures: np.ndarray) -> None:
        name = self._metric_name
        keys = ("loss", name, "test_loss", f"test_{name}")
        values = {k: figures[:, i].astype(np.float64) for i, k in enumerate(keys)}
        for k, v in values.items():
            self.history.setdefault(k, array("d")).frombytes(v.tobytes())
        self.listener(ev.Metrics(self.epoch, first, values))

    def _settle(self) -> None:
        """Where a run or step ends or pauses, every view shows its epoch, the weight history too."""
        if self.batch == 0:
            self._record_weights(np.array([self.epoch]), None, last_of_run=True)
        self._emit_snapshot(force=True)

    def _emit_snapshot(self, force: bool = False) -> None:
        """The model as it is now for every view at once: weights, and the boundary (2-D sets) or the
        test predictions (others), all of this epoch."""
        start = time.perf_counter()
        if not force and start - self._last_snapshot < self._snapshot_interval:
            return
        self.listener(ev.Weights(self.epoch, self.layer_weights()))
        if self._grid_output is not None:
            self.listener(self.boundary())
        elif not self.dataset.is_2d:
            self.listener(self.predictions())
        self._last_snapshot = time.perf_counter()
        cost = self._last_snapshot - start
        self._snapshot_interval = min(max(SNAPSHOT_INTERVAL, 10 * cost), MAX_SNAPSHOT_INTERVAL)

    def take_weights(self, source) -> list[str]:
        """Copy the weights of every layer of the Keras model ``source`` whose name and weight shapes
        match one of this model's (an activation changed, a layer added at the end); returns the
        layers copied. The optimizer starts fresh: its moments belong to another function."""
        self.prepare()
        names = {layer.name: layer for layer in source.layers}
        taken = []
        for layer in self.model.layers:
            old = names.get(layer.name)
            if layer.weights and old is not None and \
                    [w.shape for w in old.weights] == [w.shape for w in layer.weights]:
                layer.set_weights(old.get_weights())
                taken.append(layer.name)
        self._emit_snapshot(force=True)
        return taken

    def replay(self) -> None:
        """Send the whole history and a snapshot again, for views that were cleared (a kept model
        taken back)."""
        if self.history:
            values = {k: np.asarray(v) for k, v in self.history.items()}
            self.listener(ev.Metrics(self.epoch, 1, values))
        h = self.weight_history
        if len(h):
            self.listener(ev.WeightHistory(int(h.epochs[-1]), h.epochs.copy(), h.layers, whole=True))
        if self._built:
            self._emit_snapshot(force=True)

    # -- views of the model (engine thread) ----------------------------------------------------
    def layer_weights(self) -> tuple[ev.LayerWeights, ...]:
        out = []
        cap = ev.MAX_DRAWN
        silent = [s.numpy() for s in self._silent_units()]
        for index, layer in enumerate(layer for layer in self.model.layers if hasattr(layer, "kernel")):
            kernel = layer.kernel.numpy()
            kc, ke = np.histogram(kernel, bins=BINS)
            bias = layer.bias.numpy() if layer.bias is not None else None
            bc, be = np.histogram(bias, bins=BINS) if bias is not None else (None, None)
            relu = getattr(layer.activation, "__name__", "") in DYING_ACTIVATIONS
            dead = float(silent[index].mean()) if relu and index < len(silent) else None
            out.append(ev.LayerWeights(layer.name, kc, ke, bc, be, kernel[:cap, :cap].copy(),
                                       None if bias is None else bias[:cap].copy(), kernel.shape, dead))
        return tuple(out)

    def _probabilities(self, out: np.ndarray) -> np.ndarray:
        """Model output as class probabilities (logits and hinge scores converted)."""
        from playground.core.spec import from_logits

        exp, task = self.experiment, self.dataset.task
        if task == "regression":
            return out
        if exp.loss_for(task) == "hinge":
            return (np.clip(out, -1, 1) + 1) / 2
        if from_logits(exp, task):
            if task == "binary":
                return 1 / (1 + np.exp(-out))
            e = np.exp(out - out.max(axis=-1, keepdims=True))
            return e / e.sum(axis=-1, keepdims=True)
        return out

    def boundary(self) -> ev.Boundary:
        output, maps = self._grid_output()
        out = self._probabilities(output.numpy())
        m = NEURON_GRID
        return ev.Boundary(self.epoch, self._grid_xs, self._grid_ys, out.reshape(GRID, GRID, -1),
                           self._neuron_xs, self._neuron_ys, tuple(a.numpy().reshape(m, m, -1) for a in maps))

    def predictions(self) -> ev.Predictions:
        out = self._probabilities(self._predict_test().numpy())
        if self.dataset.task == "binary":
            pred = (out[:, 0] > 0.5).astype(np.int32)
        elif self.dataset.task == "multiclass":
            pred = out.argmax(axis=1).astype(np.int32)
        else:
            pred = out[:, 0]
        return ev.Predictions(self.epoch, self._y_test_np[:MAX_PREDICTIONS].copy(), pred)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The model's raw output on ``x`` (engine thread)."""
        self.prepare()
        return self.model(x, training=False).numpy()

    # -- resuming (engine thread) ---------------------------------------------------------------
    def restore(self, path, epochs: int, history: dict[str, list[float]]) -> None:
        """Continue a saved run: the weights and the optimizer's state (moments, step count) from
        the ``.keras`` file at ``path``; ``epochs`` done and their ``history``, so that the next
        epoch's shuffle, the learning-rate schedule and the curves go on where the run left off.

        The values are copied into this engine's model rather than the loaded model taken over:
        the loops are compiled for this one. The experiment's learning rate stays (an edited
        experiment applies), and dropout masks start their random sequence over: Keras saves no
        dropout state.
        """
        import keras

        from playground.core.export import load_weights_into

        self.prepare()
        load_weights_into(self.model, path)
        try:
            saved = keras.models.load_model(path, safe_mode=True)  # compiled: with its optimizer's state
        except Exception as exc:  # noqa: BLE001 - anything a foreign file triggers becomes a sentence
            raise PlaygroundError(f"{path} holds no optimizer state to resume from "
                                  f"({type(exc).__name__}: {exc}).") from None
        if type(saved.optimizer) is not type(self.model.optimizer):
            raise PlaygroundError(f"{path} was not trained with this experiment's "
                                  f"{self.experiment.training.optimizer} optimizer, so its state cannot be "
                                  "resumed.")
        ours, theirs = ([v for v in opt.variables if v.name != "learning_rate"]
                        for opt in (self.model.optimizer, saved.optimizer))
        if [tuple(v.shape) for v in ours] != [tuple(v.shape) for v in theirs]:
            raise PlaygroundError(f"{path} holds optimizer state for another model, so it cannot be resumed.")
        for mine, value in zip(ours, theirs):
            mine.assign(value)
        self.epoch, self.batch = epochs, 0
        self.history = {k: array("d", v) for k, v in history.items()}
        self.weight_history.clear()  # the weights before this epoch are not in the file
        self._record_weights(np.array([epochs]), None)
        self._emit_snapshot(force=True)


@contextlib.contextmanager
def _plain_graph_options(quick: bool):
    """In this thread, run graph functions without Grappler while ``quick`` (a new model training in
    plain graphs as its XLA loops compile). Grappler's rewrites cost a new model's first call ~0.06 s
    of CPU, a fifth of the 0.3 s an edit may take to show its first epoch, and on Playground-sized
    networks the rewritten graphs ran no faster (measured); XLA-compiled functions skip it anyway.
    Uses TensorFlow's per-thread call options; where they are missing, nothing changes."""
    saved = None
    if quick:
        try:
            from tensorflow.core.protobuf import config_pb2
            from tensorflow.python.eager import context

            ctx = context.context()
            saved = ctx.function_call_options
            config = config_pb2.ConfigProto.FromString(saved.config_proto_serialized)
            config.graph_options.rewrite_options.disable_meta_optimizer = True
            ctx.function_call_options = context.FunctionCallOptions(saved.executor_type, config)
        except Exception:  # noqa: BLE001 - a TensorFlow without them: Grappler runs, only slower to start
            saved = None
    try:
        yield
    finally:
        if saved is not None:
            ctx.function_call_options = saved


def _function(fn, jit: bool):
    """``fn`` as a TensorFlow graph function, traced without autograph (the engine's loops are
    written with ``tf.while_loop``; Keras' own code has no tensor-dependent Python control flow)."""
    import tensorflow as tf

    return tf.function(fn, jit_compile=jit, reduce_retracing=True, autograph=False)


def _copy_optimizer_state(source, target) -> None:
    """Moments and step count from ``source`` into ``target`` (the same optimizer class over the same
    variables); the learning rate is the new experiment's."""
    theirs, ours = ([v for v in opt.variables if v.name != "learning_rate"] for opt in (source, target))
    for mine, value in zip(ours, theirs, strict=True):
        mine.assign(value)
