"""The compiled loops an engine trains and draws with, the data they read on the device, and the
background XLA compile that replaces a new model's plain graphs.

``model.fit`` pays for a Python iterator and callbacks every epoch; :class:`Loops` instead traces
many epochs (or many batches) of Keras' own ``train_step`` into one ``tf.function``, so losses,
regularizers, dropout, optimizers and metrics behave exactly as in ``fit``. Its compiled functions
are attributes (``train_epochs``, ``train_batches``, ``shuffle``, ``epoch_figures``,
``grid_output``, ``predict_test``, ``silent_units``); :meth:`Loops.epochs` and :meth:`Loops.batches`
call the training loops, falling back to plain graphs once where XLA cannot compile them, and
:meth:`Loops.chunk` trains one chunk with them.

With ``quick_start`` a new model trains in plain graphs at once while XLA versions compile in
another thread (:meth:`Loops.compile_xla_in_background`); :meth:`Loops.swap_in_xla`, between
chunks, takes them once they are ready for the model training now. The plain graphs read the batch
size from a variable, so a batch-size edit goes back to them at once (:meth:`Loops.rebatch`) while
the XLA loops for the new size compile.
"""
from __future__ import annotations

import contextlib
import functools
import math
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.core import events as ev
from playground.core.pacing import MAX_CHUNK_EPOCHS, snapshot_rows
from playground.core.recorders import tracked_size, tracked_weights
from playground.core.snapshots import GRID, MAX_PREDICTIONS, NEURON_GRID
from playground.errors import PlaygroundError

ACTIVITY_SAMPLE = 2048  # training samples on which a hidden unit counts as dead if it is 0 on all
XLA_THREAD = "xla-compile"  # the name of the thread that compiles a quick-started model's XLA loops


@dataclass(frozen=True)
class _XlaLoops:
    """XLA versions of a build's loops, compiled in the background, waiting to be swapped in."""
    build: int
    train_epochs: Callable
    train_batches: Callable
    grid_output: Callable | None


class Loops:
    """The loops compiled for one engine's current model and batch size (remade when they change)."""

    def __init__(self, quick_start: bool = False):
        self.jit = True
        # Train in plain graphs at once and swap in the XLA loops, compiled in another thread, between
        # chunks: a new model moves in a fraction of the XLA compile time (the UI's choice).
        self.quick_start = quick_start
        self.placement = None  # where the model trains (playground.core.device.Placement)
        self.quick_graphs = False  # training in plain graphs while the XLA loops compile
        self.xla_due = False  # compile them after the next chunk
        self._builds = 0  # loops made: XLA loops compiled for older ones are dropped
        self._xla: _XlaLoops | None = None  # ready to swap in

    # -- the data on the device (inside the placement's scope) ----------------------------------
    def put_data(self, experiment, dataset) -> None:
        """The training and test data as the loss takes them; for 2-D sets the boundary's and the neuron
        maps' grids. The model takes the raw columns and computes its own features (crosses, normalization)."""
        import tensorflow as tf

        from playground.core.build import loss_targets

        ds = dataset
        self.x = tf.constant(ds.raw_train)
        self.y = tf.constant(loss_targets(experiment, ds.task, ds.y_train, ds.num_classes))
        self.xt = tf.constant(ds.raw_test)
        self.yt = tf.constant(loss_targets(experiment, ds.task, ds.y_test, ds.num_classes))
        self.y_test = ds.y_test
        if ds.is_2d:
            x0, x1, y0, y1 = ds.extent

            def plane_grid(n):
                xs, ys = np.linspace(x0, x1, n, dtype=np.float32), np.linspace(y0, y1, n, dtype=np.float32)
                gx, gy = np.meshgrid(xs, ys)
                return xs, ys, tf.constant(np.stack([gx.ravel(), gy.ravel()], axis=1))

            self.grid_xs, self.grid_ys, self.grid = plane_grid(GRID)
            self.neuron_xs, self.neuron_ys, self.neuron_grid = plane_grid(NEURON_GRID)

    def attach(self, model, experiment, dataset, keep_shuffle: bool) -> None:
        """Build ``model``'s optimizer and metric variables (variables can't be created in the loops)
        and the test metric; ``keep_shuffle``: the shuffle of the epoch under way survives (a live edit)."""
        import tensorflow as tf

        from playground.core.build import make_metric

        self.model, self.dataset = model, dataset
        model.optimizer.build(model.trainable_variables)
        model.compute_metrics(self.x[:1], self.y[:1], model(self.x[:1]))
        model.reset_metrics()
        self.test_metric = make_metric(experiment, dataset.task)
        self.test_metric.update_state(self.yt[:1], model(self.xt[:1]))
        self.test_metric.reset_state()
        if not keep_shuffle:
            self.perm = tf.Variable(tf.zeros([int(dataset.x_train.shape[0])], tf.int32), trainable=False)
        # What plain graphs read the batch size and the batches per epoch from: a batch-size edit
        # then trains at once in them (:meth:`rebatch`), without tracing the model's step again.
        self._batch_size = tf.Variable(1, dtype=tf.int32, trainable=False)
        self._batches = tf.Variable(1, dtype=tf.int32, trainable=False)
        self._plain: tuple[Callable, Callable] | None = None
        self.x_pred = self.xt[:MAX_PREDICTIONS]

    # -- making the loops -------------------------------------------------------------------------
    def make(self, batch_size: int, seed: int, epoch: int, compile_batches: bool) -> None:
        """Trace (and compile) the training loops for the attached model and ``batch_size``; the batch
        loop too where ``compile_batches``. ``seed`` draws the shuffles, ``epoch`` is the next one's."""
        self.seed = seed
        self._size(batch_size)
        self._builds += 1
        quick = self.quick_start and self.jit
        self.quick_graphs = quick
        self.make_functions(jit=self.jit and not quick)
        with plain_graph_options(quick):
            self._compile(epoch, compile_batches)
        # The XLA compile starts after the first chunk: tracing holds the GIL, and would slow it.
        self.xla_due = quick

    def _size(self, batch_size: int) -> None:
        """The batch size (at most the samples) and what follows from it, here and for plain graphs."""
        n = self.n = int(self.dataset.x_train.shape[0])
        self.bs = min(batch_size, n)
        self.full, self.rem = divmod(n, self.bs)
        self.batches_per_epoch = self.full + (1 if self.rem else 0)
        self._batch_size.assign(self.bs)
        self._batches.assign(self.batches_per_epoch)

    def rebatch(self, batch_size: int) -> bool:
        """A new batch size for the same model, at once: the plain graphs made for it read the batch
        size from a variable, so they train from the next chunk, while XLA loops for the new (static)
        size compile in another thread as after a new model. False where there are no such graphs
        (a model made with XLA from the start, or split across devices): make the loops again."""
        if self._plain is None:
            return False
        self._size(batch_size)
        self._builds += 1  # XLA loops still compiling for the old size are dropped (swap_in_xla checks)
        self.train_epochs, self.train_batches = self._plain
        self._sources = (*self._training_loops(dynamic=False), self._sources[2])
        self.quick_graphs = self.xla_due = self.jit
        return True

    def _compile(self, epoch: int, batches: bool) -> None:
        """Trace and compile the loops now (zero iterations), so a run's first chunk trains at speed."""
        import tensorflow as tf

        with tf.device(self.placement.device):
            zero = tf.constant(0, tf.int32)
            self.epochs(tf.constant(epoch, tf.int64), zero, tf.constant(1, tf.int64))
            if batches:
                self.batches(zero, zero)

    def chunk(self, epoch: int, batch: int, epochs: int, batches: int, stride: int):
        """Train ``epochs`` whole epochs after ``epoch``, or else up to ``batches`` batches of the epoch
        under way (``batch`` of them done). Returns (the figures of each epoch completed, or of the last
        batch where its loss is not finite, else None; the weight rows of epoch chunks, else None;
        the batches run)."""
        import tensorflow as tf

        try:
            with tf.device(self.placement.device):
                if epochs:
                    figures, snaps = self.epochs(tf.constant(epoch, tf.int64), tf.constant(epochs, tf.int32),
                                                 tf.constant(stride, tf.int64))
                    return figures.numpy()[:epochs], snaps, 0
                if batch == 0:
                    self.model.reset_metrics()
                    self.shuffle(tf.constant(epoch, tf.int64))
                left = self.batches_per_epoch - batch
                batches = min(batches, left)
                last = self.batches(tf.constant(batch, tf.int32), tf.constant(batches, tf.int32))
                figures = None
                if batches == left:
                    figures = self.epoch_figures().numpy()[None, :]
                elif not math.isfinite(float(last)):
                    figures = np.array([[float(last)] * 4], np.float32)
                return figures, None, batches
        except tf.errors.ResourceExhaustedError:
            raise PlaygroundError("The device ran out of memory: use a smaller network or batch size.") \
                from None

    def epochs(self, epoch0, count, stride):
        """``count`` epochs from ``epoch0``: (their figures, weight rows); see ``train_epochs``."""
        return self._xla_or_graphs(lambda: self.train_epochs(epoch0, count, stride))

    def batches(self, b0, count):
        """Batches ``b0`` .. ``b0 + count`` of the epoch under way; returns the last one's loss."""
        return self._xla_or_graphs(lambda: self.train_batches(b0, count))

    def _xla_or_graphs(self, call):
        """``call()``; if XLA can't compile its loop here, make plain graphs once and call again."""
        try:
            return call()
        except Exception as exc:  # noqa: BLE001
            if not self.jit or "xla" not in str(exc).lower():
                raise
            self.jit = False
            self.make_functions(jit=False)
            return call()

    def make_functions(self, jit: bool) -> None:
        import tensorflow as tf

        model, x, y = self.model, self.x, self.y
        n, seed = self.n, self.seed

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

        strategy = self.placement.strategy

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
            y_pred = model(self.xt, training=False)
            loss = model.compute_loss(x=self.xt, y=self.yt, y_pred=y_pred, training=False)
            self.test_metric.reset_state()
            self.test_metric.update_state(self.yt, y_pred)
            return loss, self.test_metric.result()

        def epoch_figures():
            logs = model.get_metrics_result()
            test_loss, test_metric = test_metrics()
            return tf.stack([logs["loss"], logs[self.metric_name], test_loss, test_metric])

        def shuffle(epoch):
            self.perm.assign(perm_for(epoch))

        self._perm_for, self._step, self._epoch_figures_py = perm_for, step, epoch_figures  # the loops' parts
        self._tracked = (tracked_weights(model), tracked_size(model))
        self.snapshot_rows = snapshot_rows(self._tracked[1])

        # What TensorFlow Playground draws in its nodes, from a functional model sharing the weights:
        # the features the first Dense layer takes, then each hidden Dense layer's activations.
        import keras

        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        inner = keras.Model(model.input, [dense[0].input] + [layer.output for layer in dense[:-1]])
        activity_sample = self.x[:ACTIVITY_SAMPLE]

        def neurons(x):
            out = inner(x, training=False)
            return list(out) if isinstance(out, (list, tuple)) else [out]  # Keras unwraps a single output

        def silent_units():
            """Per hidden layer, which units output 0 for every sample (a dead ReLU's sign)."""
            return tuple(tf.reduce_all(tf.equal(out, 0.0), axis=0) for out in neurons(activity_sample)[1:])

        def grid_output():
            maps = neurons(self.neuron_grid)
            return model(self.grid, training=False), tuple(m[:, :ev.MAX_DRAWN] for m in maps)

        # The XLA loops (compiled here, or later in a thread) are static; a strategy splits static batches too.
        dynamic = not jit and strategy is None
        self._sources = (*self._training_loops(dynamic=False), grid_output if self.dataset.is_2d else None)
        self.metric_name = "mae" if self.dataset.task == "regression" else "accuracy"
        self.train_epochs, self.train_batches = (function(loop, jit) for loop in self._training_loops(dynamic))
        self._plain = (self.train_epochs, self.train_batches) if dynamic else None
        self.shuffle = function(shuffle, False)
        self.epoch_figures = function(epoch_figures, False)
        self.grid_output = function(grid_output, jit) if self.dataset.is_2d else None
        self.predict_test = function(lambda: model(self.x_pred, training=False), False)
        self.silent_units = function(silent_units, False)

    def _training_loops(self, dynamic: bool) -> tuple[Callable, Callable]:
        """The training loops' Python sources (``train_epochs``, ``train_batches``) for the batch size
        set now; ``dynamic``: for plain graphs, reading the batch size from a variable (any size,
        the last smaller batch too, through one trace of ``train_step``)."""
        import tensorflow as tf

        model, step, perm_for, epoch_figures = self.model, self._step, self._perm_for, self._epoch_figures_py
        n, full, rem = self.n, self.full, self.rem
        # The loops are built with tf.while_loop directly and traced without autograph: converting
        # them (and Keras' train_step under them) costs a new model ~0.2 s of its first epoch. Counters
        # are loop variables, not Python ranges: XLA then compiles once for any count.
        weights, size = self._tracked
        rows = self.snapshot_rows

        def sizes():
            """(the batch size, batches per epoch): read from the variables in plain graphs, else constants."""
            if dynamic:
                return self._batch_size.read_value(), self._batches.read_value()
            return self.bs, self.batches_per_epoch

        def epoch_batches(perm):
            """One epoch's batches. XLA needs static shapes: the full batches, then the smaller last
            one, each a trace of train_step. Plain graphs take any batch size, so there one trace
            serves every batch (``dynamic``): a new model's first epoch comes sooner."""
            bs, batches = sizes()
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

        def train_epochs(epoch0, count, stride):
            # Besides each epoch's figures, the weights after every epoch that is a multiple of
            # ``stride`` (for the weight history by epoch): row j holds the j-th such epoch's; the
            # other epochs write a row that the next one overwrites (branch-free, cheap under XLA).
            def epoch(i, j, out, snaps):
                for m in model.metrics:
                    m.reset_state()
                epoch_batches(perm_for(epoch0 + tf.cast(i, tf.int64)))
                # Fixed-size output buffers keep shapes static: XLA compiles this once for any count.
                out = tf.tensor_scatter_nd_update(out, [[i]], [epoch_figures()])
                flat = tf.concat([tf.reshape(w, [-1]) for w in weights], 0)
                snaps = tf.tensor_scatter_nd_update(snaps, [[tf.minimum(j, rows)]], [flat])
                done = epoch0 + tf.cast(i + 1, tf.int64)
                return i + 1, j + tf.cast(tf.equal(done % stride, 0), tf.int32), out, snaps

            start = (tf.constant(0), tf.constant(0), tf.zeros([MAX_CHUNK_EPOCHS, 4]),
                     tf.zeros([rows + 1, size]))
            _, _, out, snaps = tf.while_loop(lambda i, j, out, snaps: i < count, epoch, start,
                                             parallel_iterations=1)
            return out, snaps

        def train_batches(b0, count):
            perm = self.perm.read_value()  # this epoch's order, set once by shuffle() at its first batch
            bs, _ = sizes()

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

        return train_epochs, train_batches

    # -- the background XLA compile ---------------------------------------------------------------
    def compile_xla_in_background(self, batches: bool) -> None:
        """Compile XLA versions of the loops just traced (the batch loop too where ``batches``), for
        :meth:`swap_in_xla`; if XLA cannot compile them here, the plain graphs stay."""
        import tensorflow as tf

        build, (train_epochs, train_batches, grid_output) = self._builds, self._sources
        loops = _XlaLoops(build, function(train_epochs, True), function(train_batches, True),
                          None if grid_output is None else function(grid_output, True))
        device = self.placement.device

        def compile_loops():
            try:
                with tf.device(device):
                    zero = tf.constant(0, tf.int32)
                    loops.train_epochs(tf.constant(0, tf.int64), zero, tf.constant(1, tf.int64))
                    if batches:
                        loops.train_batches(zero, zero)
                    if loops.grid_output is not None:  # reads the weights only: a race with training is harmless
                        loops.grid_output()
            except Exception:  # noqa: BLE001 - no XLA here: the graphs are as right, only slower
                return
            self._xla = loops

        # Not a daemon: TensorFlow aborts the process if it exits in the middle of a compile.
        threading.Thread(target=compile_loops, name=XLA_THREAD).start()

    @contextlib.contextmanager
    def training(self, compile_batches: bool):
        """Around one chunk and its snapshot: the XLA loops swapped in once they are ready, plain
        graphs without Grappler until then, and the XLA compile of new loops started after their
        first chunk (tracing holds the GIL, and would slow it); the batch loop too where asked."""
        self.swap_in_xla()
        with plain_graph_options(self.quick_graphs):
            yield
        if self.xla_due:
            self.xla_due = False
            self.compile_xla_in_background(compile_batches)

    def swap_in_xla(self) -> None:
        """Between chunks: use the XLA loops once they are compiled for the loops made last."""
        ready, self._xla = self._xla, None
        if ready is not None and ready.build == self._builds:
            self.train_epochs, self.train_batches = ready.train_epochs, ready.train_batches
            if ready.grid_output is not None:
                self.grid_output = ready.grid_output
            self.quick_graphs = False


@contextlib.contextmanager
def plain_graph_options(quick: bool):
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


def function(fn, jit: bool):
    """``fn`` as a TensorFlow graph function, traced without autograph (the engine's loops are
    written with ``tf.while_loop``; Keras' own code has no tensor-dependent Python control flow),
    leaving no gradient functions registered behind (:func:`forgetting_gradients`)."""
    import tensorflow as tf

    @functools.wraps(fn)
    def traced(*args):
        with forgetting_gradients():
            return fn(*args)

    return tf.function(traced, jit_compile=jit, reduce_retracing=True, autograph=False)


class _Registered(threading.local):
    names: list | None = None  # gradient functions registered in this thread, while one is recorded


_registered = _Registered()
_recording_lock = threading.Lock()
_recording = False


@contextlib.contextmanager
def forgetting_gradients():
    """In this thread, drop the gradient functions registered meanwhile in TensorFlow's global
    registry when the block ends. Keras' optimizer step registers one at every trace (its
    ``all_reduce`` of the gradients is a ``tf.custom_gradient``, even with one replica), and the
    registry keeps it, and through it every graph of that trace, for good: measured, each new model
    left ~30 MB in the engine process. Nothing takes gradients through a traced loop once its trace
    is done. Where TensorFlow's registry is not as expected, nothing is dropped."""
    if not _record_registrations():
        yield
        return
    outer, _registered.names = _registered.names, []
    try:
        yield
    finally:
        names, _registered.names = _registered.names, outer
        for registry, name in names:
            registry._registry.pop(name, None)


def _record_registrations() -> bool:
    """Make TensorFlow's gradient registry tell :func:`forgetting_gradients` what it registers (once)."""
    global _recording
    with _recording_lock:
        if _recording:
            return True
        try:
            from tensorflow.python.framework import ops, registry

            gradients, register = ops._gradient_registry, registry.Registry.register
            if not isinstance(getattr(gradients, "_registry", None), dict):
                return False
        except Exception:  # noqa: BLE001 - another TensorFlow: registrations stay, as they would
            return False

        def recorded(self, candidate, name=None):
            register(self, candidate, name)
            names = _registered.names
            if names is not None and self is gradients:
                names.append((self, name or candidate.__name__))

        registry.Registry.register = recorded
        _recording = True
        return True
