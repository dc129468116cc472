"""Runs logged for TensorBoard: ``tensorboard --logdir DIR`` shows and compares them.

Each run (one model, from its first trained epoch) gets a folder of ``DIR`` with one event file:
per epoch the train and test loss and metric ("loss/train", "loss/test", "accuracy/train", …)
and the learning rate, each Dense layer's kernel and bias histograms at the epochs the engine's
weight history records ("hidden_1/kernel", … at step = epoch, 0 being the initial weights), the
experiment's main settings as HParams (the final figures are the HParams metrics: TensorBoard
takes each scalar's last value), and live edits as text ("edits").

The histograms are the engine's own (:mod:`playground.core.history`): their exact edges and
counts go out as TensorBoard's histogram tensor of (left, right, count) rows, not resampled.

Why not ``tf.summary``: one ``tf.summary.scalar`` call costs ~0.8 ms here, and the engine trains
XOR at ~2,000 epochs a second. The events are built as protocol buffers with TensorBoard's own
plugin metadata instead and written by TensorFlow's record writer (C++ checksums), ~15 µs an
epoch; the file is flushed at most once a second and whenever a run pauses or ends. An event
file is a log that TensorBoard reads while it grows, so it is appended to rather than written
atomically; a second session of a run adds another event file to its folder.

Qt-free; TensorBoard and TensorFlow are imported when a log is made and when it first writes.
"""
from __future__ import annotations

import itertools
import os
import re
import socket
import threading
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from playground.core import events as ev
from playground.errors import PlaygroundError

MISSING = "TensorBoard logging needs the tensorboard package: pip install 'keras-playground[tensorboard]'"
FLUSH_INTERVAL = 1.0  # seconds: the most often an event file is flushed while a run goes on
EDITS_TAG = "edits"
_files = itertools.count()  # event files made by this process: unique names within one second


def _tensorboard() -> SimpleNamespace:
    """TensorBoard's protocol buffers and plugin metadata, or the sentence saying how to install them."""
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
        from tensorboard.plugins.histogram import metadata as histogram
        from tensorboard.plugins.hparams import summary_v2 as hparams
        from tensorboard.plugins.scalar import metadata as scalar
        from tensorboard.plugins.text import metadata as text
    except ImportError:
        raise PlaygroundError(MISSING + ".") from None
    return SimpleNamespace(Event=event_pb2.Event, Summary=summary_pb2.Summary, Tensor=tensor_pb2.TensorProto,
                           Shape=tensor_shape_pb2.TensorShapeProto, types=types_pb2, histogram=histogram,
                           hparams=hparams, scalar=scalar, text=text)


def run_folder(logdir: str | Path, name: str) -> Path:
    """A new folder in ``logdir`` for a run of the experiment ``name``: ``NAME-YYYYmmdd-HHMMSS``, with
    ``-2``, ``-3``, … where that exists (two runs in one second). Made here, so no other run takes it."""
    logdir = Path(logdir)
    stem = f"{re.sub(r'[^A-Za-z0-9._-]+', '_', name).strip('._') or 'run'}-{datetime.now():%Y%m%d-%H%M%S}"
    for n in itertools.count(1):
        folder = logdir / (stem if n == 1 else f"{stem}-{n}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
        except OSError as exc:
            raise PlaygroundError(f"Cannot make the TensorBoard run folder {folder}: {exc.strerror or exc}.") from None


def _joined(values) -> str:
    """Per-layer settings as one HParams value: "0.01" when every layer has it, else "0.01-0"."""
    shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    return shown[0] if len(set(shown)) == 1 else "-".join(shown) if shown else "none"


def hparams(experiment, dataset) -> dict[str, str | float | int | bool]:
    """The experiment's main settings as TensorBoard HParams (numbers where runs are compared by size)."""
    layers, t = experiment.model.layers, experiment.training
    return {
        "dataset": experiment.dataset.name if experiment.dataset.name != "csv" else
        f"csv:{Path(experiment.dataset.path or '').name}",
        "features": ",".join(dataset.feature_names),
        "hidden_layers": len(layers),
        "units": "-".join(str(layer.units) for layer in layers) or "none",
        "activation": _joined([layer.activation for layer in layers]),
        "output_activation": experiment.output_activation_for(dataset.task),
        "loss": experiment.loss_for(dataset.task),
        "optimizer": t.optimizer,
        "learning_rate": t.learning_rate,
        "schedule": t.schedule,
        "batch_size": t.batch_size,
        "kernel_l1": _joined([layer.kernel_l1 for layer in layers]),
        "kernel_l2": _joined([layer.kernel_l2 for layer in layers]),
        "bias_l1": _joined([layer.bias_l1 for layer in layers]),
        "bias_l2": _joined([layer.bias_l2 for layer in layers]),
        "dropout": _joined([layer.dropout for layer in layers]),
        "normalize": experiment.model.normalize,
        "seed": t.seed,
    }


def scalar_tag(key: str) -> str:
    """The engine's history key as a TensorBoard tag that groups train and test: "test_loss" -> "loss/test"."""
    return f"{key[5:]}/test" if key.startswith("test_") else f"{key}/train"


class RunWriter:
    """One run's event file in ``folder``: a listener for the engine that trains it (engine thread).

    Epochs (and histogram epochs) it has written are not written again: a kept model taken back
    replays its whole history, and its run goes on from where it was.
    """

    def __init__(self, folder: str | Path, engine):
        self._pb = _tensorboard()
        self.folder = Path(folder)
        self.engine = engine
        self.epoch = 0  # the last epoch whose figures are written
        self._histogram_epoch = -1  # the last epoch whose histograms are written
        self._writer = None
        self._last_flush = 0.0
        self._tagged: set[str] = set()  # tags whose metadata this file has (TensorBoard needs it once)

    # -- the listener ---------------------------------------------------------------------------
    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Metrics):
            self._scalars(event)
        elif isinstance(event, ev.WeightHistory):
            self._histograms(event)
        elif isinstance(event, ev.Edited):
            text = self._pb.Tensor(dtype=self._pb.types.DT_STRING, string_val=[event.label.encode()])
            self._write(event.epoch, [(EDITS_TAG, text)])
        if isinstance(event, (ev.Paused, ev.Finished, ev.Diverged, ev.Failed)) or \
                time.monotonic() - self._last_flush >= FLUSH_INTERVAL:
            self.flush()

    def flush(self) -> None:
        if self._writer is not None:
            self._guard(self._writer.flush)
            self._last_flush = time.monotonic()

    def close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            self._guard(writer.flush)
            self._guard(writer.close)

    # -- events ----------------------------------------------------------------------------------
    def _scalars(self, event: ev.Metrics) -> None:
        epochs = np.arange(event.first_epoch, event.epoch + 1)
        new = epochs > self.epoch  # a replayed history is written once
        if not new.any():
            return
        columns = {scalar_tag(k): np.asarray(v, np.float32)[new] for k, v in event.values.items()}
        columns["learning_rate"] = self._learning_rates(epochs[new], event.epoch)
        tags, rows = list(columns), np.stack(list(columns.values()), axis=1).tolist()
        for epoch, row in zip(epochs[new].tolist(), rows):
            self._write(epoch, [(tag, v) for tag, v in zip(tags, row)])
        self.epoch = event.epoch

    def _learning_rates(self, epochs: np.ndarray, last: int) -> np.ndarray:
        """The optimizer's learning rate in each of ``epochs``, as its last step used it: the constant
        rate (as live edits set it), or the schedule's at that step, counted back from the optimizer's
        step count now (the end of epoch ``last``)."""
        import keras

        optimizer = self.engine.model.optimizer
        rate = optimizer.get_config()["learning_rate"]
        if not isinstance(rate, dict):
            return np.full(len(epochs), rate, np.float32)
        steps = int(optimizer.iterations.numpy()) - (last - epochs) * self.engine.batches_per_epoch - 1
        schedule = keras.optimizers.schedules.deserialize(rate)
        return np.asarray(schedule(np.maximum(steps, 0).astype(np.float32)), np.float32)

    def _histograms(self, event: ev.WeightHistory) -> None:
        """Each layer's kernel and bias at the epochs not written yet: the history's own buckets, as
        TensorBoard's (left edge, right edge, count) rows."""
        rows = np.flatnonzero(event.epochs > self._histogram_epoch)
        if not len(rows):
            return
        tensors = []
        for layer in event.layers:
            for part, summary in (("kernel", layer.kernel), ("bias", layer.bias)):
                if summary is not None:
                    edges = summary.edges[rows].astype(np.float64)
                    buckets = np.stack([edges[:, :-1], edges[:, 1:], summary.counts[rows].astype(np.float64)], axis=2)
                    tensors.append((f"{layer.name}/{part}", buckets))
        pb = self._pb
        shape = pb.Shape(dim=[pb.Shape.Dim(size=n) for n in tensors[0][1].shape[1:]])
        for i, epoch in enumerate(event.epochs[rows].tolist()):
            self._write(epoch, [(tag, pb.Tensor(dtype=pb.types.DT_DOUBLE, tensor_shape=shape,
                                                tensor_content=buckets[i].tobytes())) for tag, buckets in tensors])
        self._histogram_epoch = epoch

    # -- writing -------------------------------------------------------------------------------
    def _metadata(self, tag: str):
        pb = self._pb
        if tag == EDITS_TAG:
            return pb.text.create_summary_metadata("", "Live edits: what changed after this epoch")
        if tag.endswith(("/kernel", "/bias")):
            return pb.histogram.create_summary_metadata("", "")
        return pb.scalar.create_summary_metadata("", "")

    def _write(self, step: int, values) -> None:
        """One event at ``step`` holding ``values``: (tag, TensorProto) pairs, or (tag, float) for a
        scalar, written as a float32 ``simple_value`` (TensorBoard reads it as its scalars plugin's;
        a third of the cost of a tensor)."""
        if self._writer is None:
            self._open()
        summary = self._pb.Summary()
        for tag, content in values:
            if isinstance(content, float):
                value = summary.value.add(tag=tag, simple_value=content)
            else:
                value = summary.value.add(tag=tag, tensor=content)
            if tag not in self._tagged:
                self._tagged.add(tag)
                value.metadata.CopyFrom(self._metadata(tag))
        self._record(self._pb.Event(wall_time=time.time(), step=step, summary=summary))

    def _record(self, event) -> None:
        self._guard(self._writer.write, event.SerializeToString())

    def _open(self) -> None:
        """A new event file in the run's folder, starting with its version and the run's HParams."""
        import tensorflow as tf

        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}.{next(_files)}.v2"
        self._writer = self._guard(tf.io.TFRecordWriter, str(self.folder / name))
        self._tagged.clear()
        self._last_flush = time.monotonic()
        self._record(self._pb.Event(wall_time=time.time(), file_version="brain.Event:2"))
        summary = self._pb.hparams.hparams_pb(hparams(self.engine.experiment, self.engine.dataset),
                                              trial_id=self.folder.name)
        self._record(self._pb.Event(wall_time=time.time(), step=0, summary=summary))

    def _guard(self, fn, *args):
        """``fn(*args)``; a file system's refusal becomes the sentence a user reads."""
        import tensorflow as tf

        try:
            return fn(*args)
        except (OSError, tf.errors.OpError) as exc:
            reason = getattr(exc, "strerror", None) or getattr(exc, "message", None) or exc
            raise PlaygroundError(f"Cannot write the TensorBoard log into {self.folder}: {reason}.") from None


def check_logdir(logdir: str | Path) -> Path:
    """``logdir``, made if need be; the sentence saying what is wrong where TensorBoard is missing or the
    folder cannot be made or written (the window asks before its engine logs anything)."""
    _tensorboard()  # the sentence saying how to install TensorBoard, before any run
    logdir = Path(logdir)
    try:
        logdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaygroundError(f"Cannot make the TensorBoard folder {logdir}: {exc.strerror or exc}.") from None
    if not os.access(logdir, os.W_OK):
        raise PlaygroundError(f"The TensorBoard folder {logdir} is not writable.")
    return logdir


class TensorBoardLog:
    """Every run of a :class:`~playground.core.session.Session` (its run log, ``session.runs``, says
    which run each event belongs to), each in a folder of its own in ``logdir``: a second listener
    of the session's events, called in the training thread.

    A run's folder is made when its model first trains (its initial weights' histograms go in at
    step 0); a kept model taken back by Undo goes on in its run's folder (a new event file).
    :meth:`close` may be called from another thread.
    """

    def __init__(self, logdir: str | Path, session):
        self.logdir = check_logdir(logdir)
        self.session = session
        self.runs: list[Path] = []  # the run folders made, in order
        self._writers: dict[int, RunWriter] = {}  # run number -> its writer, while its model is kept
        self._current: RunWriter | None = None
        self._pending: list[ev.WeightHistory] = []  # a run's histograms before its first epoch
        self._pending_run = 0
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, event: ev.Event) -> None:
        with self._lock:
            if self._closed:
                return
            number = self.session.runs.current
            log = self._writers.get(number)
            if self._current is not None and self._current is not log:
                self._current.close()  # another run now
                self._current = None
            if log is None:
                if not isinstance(event, (ev.Started, ev.Metrics)):
                    self._hold(number, event)
                    return
                log = self._start(number)
            self._current = log
            log(event)

    def _hold(self, number: int, event: ev.Event) -> None:
        """Keep a run's histograms from before its first epoch (its initial weights) for its folder;
        those of another run replace them."""
        if not isinstance(event, ev.WeightHistory):
            return
        if number != self._pending_run:
            self._pending, self._pending_run = [], number
        self._pending.append(event)

    def _start(self, number: int) -> RunWriter:
        engine = self.session.engine
        log = RunWriter(run_folder(self.logdir, engine.experiment.name), engine)
        self.runs.append(log.folder)
        runs = self.session.runs
        alive = {runs.number_of(e) for e in self.session.kept.values()}  # the runs Undo may come back to
        self._writers = {n: w for n, w in self._writers.items() if n in alive}
        self._writers[number] = log
        if number == self._pending_run:
            for event in self._pending:
                log(event)
        self._pending, self._pending_run = [], 0
        return log

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._current is not None:
                self._current.close()
                self._current = None
