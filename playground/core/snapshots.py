"""Snapshots: the model as it is now, for every view at once, and how often to send one.

A snapshot is the weights (``Weights``: histograms, the kernels the diagram draws, dead ReLU units)
and, of the same epoch, the decision boundary with the neuron maps (``Boundary``, 2-D data sets) or
the test predictions (``Predictions``, the others). :class:`SnapshotEmitter` sends them at most every
``SNAPSHOT_INTERVAL`` seconds — after every chunk of a run, whose pacing aims at ~30 a second — rarer
where taking one costs more than ``COST_SHARE`` of the time between, but never rarer than
``MAX_SNAPSHOT_INTERVAL`` (a one-off cost, such as a compile, must not stop them).
The functions here read the model through the loops compiled for it (:mod:`playground.core.loops`).
"""
from __future__ import annotations

import time
from typing import Callable, Iterable, Iterator

import numpy as np

from playground.core import events as ev
from playground.core.history import histogram

SNAPSHOT_INTERVAL = 0.025  # below a chunk's time (pacing.TARGET_EVENT_INTERVAL): every chunk sends one
COST_SHARE = 0.15  # of the time between two snapshots, at most, goes to taking them
MAX_SNAPSHOT_INTERVAL = 1.0
GRID = 100
NEURON_GRID = 40  # the neuron maps' grid: thumbnails, drawn large on hover (TF Playground's are coarser)
DYING_ACTIVATIONS = ("relu", "relu6")  # a unit whose input stays negative outputs 0 and learns no more
MAX_PREDICTIONS = 5000


class SnapshotEmitter:
    """When the next snapshot is due, from what the last one cost."""

    def __init__(self):
        self._last = 0.0
        self._interval = SNAPSHOT_INTERVAL

    def emit(self, listener: Callable[[ev.Event], None], events: Callable[[], Iterable[ev.Event]],
             force: bool = False) -> None:
        """Send ``events()`` to ``listener`` if a snapshot is due (or ``force``)."""
        start = time.perf_counter()
        if not force and start - self._last < self._interval:
            return
        for event in events():
            listener(event)
        self._last = time.perf_counter()
        cost = self._last - start
        self._interval = min(max(SNAPSHOT_INTERVAL, cost / COST_SHARE), MAX_SNAPSHOT_INTERVAL)


def views(model, loops, experiment, dataset, epoch: int) -> Iterator[ev.Event]:
    """A snapshot, all of ``epoch``: the weights, then the decision boundary with the neuron maps
    (2-D data sets) or the test predictions (the others)."""
    yield ev.Weights(epoch, layer_weights(model, loops))
    if dataset.is_2d:
        yield boundary(loops, experiment, dataset.task, epoch)
    else:
        yield predictions(loops, experiment, dataset.task, epoch)


def layer_weights(model, loops) -> tuple[ev.LayerWeights, ...]:
    """Each Dense layer's weights as the views draw them."""
    out = []
    cap = ev.MAX_DRAWN
    silent = [s.numpy() for s in loops.silent_units()]
    for index, layer in enumerate(layer for layer in model.layers if hasattr(layer, "kernel")):
        kernel = layer.kernel.numpy()
        kc, ke = histogram(kernel)
        bias = layer.bias.numpy() if layer.bias is not None else None
        bc, be = histogram(bias) if bias is not None else (None, None)
        relu = getattr(layer.activation, "__name__", "") in DYING_ACTIVATIONS
        dead = float(silent[index].mean()) if relu and index < len(silent) else None
        out.append(ev.LayerWeights(layer.name, kc, ke, bc, be, kernel[:cap, :cap].copy(),
                                   None if bias is None else bias[:cap].copy(), kernel.shape, dead))
    return tuple(out)


def probabilities(out: np.ndarray, experiment, task: str) -> np.ndarray:
    """Model output as class probabilities (logits and hinge scores converted)."""
    from playground.core.spec import from_logits

    if task == "regression":
        return out
    if experiment.loss_for(task) == "hinge":
        return (np.clip(out, -1, 1) + 1) / 2
    if from_logits(experiment, task):
        if task == "binary":
            return np.exp(-np.logaddexp(0, -out))  # the sigmoid, without overflow for large logits
        e = np.exp(out - out.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return out


def boundary(loops, experiment, task: str, epoch: int) -> ev.Boundary:
    output, maps = loops.grid_output()
    out = probabilities(output.numpy(), experiment, task)
    m = NEURON_GRID
    return ev.Boundary(epoch, loops.grid_xs, loops.grid_ys, out.reshape(GRID, GRID, -1),
                       loops.neuron_xs, loops.neuron_ys, tuple(a.numpy().reshape(m, m, -1) for a in maps))


def predictions(loops, experiment, task: str, epoch: int) -> ev.Predictions:
    out = probabilities(loops.predict_test().numpy(), experiment, task)
    if task == "binary":
        pred = (out[:, 0] > 0.5).astype(np.int32)
    elif task == "multiclass":
        pred = out.argmax(axis=1).astype(np.int32)
    else:
        pred = out[:, 0]
    return ev.Predictions(epoch, loops.y_test[:MAX_PREDICTIONS].copy(), pred)
