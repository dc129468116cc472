"""What an engine remembers of its run: the per-epoch figures and the weight history by epoch.

:func:`record_metrics` is Keras' ``History`` for the engine's chunks: it appends each chunk's epoch
figures to the engine's ``history`` and makes the ``Metrics`` event that carries them;
:func:`diverged` is its ``TerminateOnNaN``.
:func:`record_weights` adds to the bounded weight history (:class:`~playground.core.history.WeightLog`)
the summaries of the weights a compiled chunk collected and makes the ``WeightHistory`` event. The
``replay_*`` functions make the events that send a whole history again. The engine sends the events;
nothing here sends any.
"""
from __future__ import annotations

from array import array

import numpy as np

from playground.core import events as ev
from playground.core.history import LayerHistory, WeightLog, summarise


def record_metrics(history: dict[str, array], epoch: int, first: int, figures: np.ndarray,
                   metric: str) -> ev.Metrics:
    """Append to ``history`` the figures of epochs ``first`` .. ``epoch`` (rows of loss, ``metric``,
    test loss and test ``metric``), 8 bytes each (a list of floats takes 32: 128 MB for a million
    epochs); returns the event that carries them."""
    keys = ("loss", metric, "test_loss", f"test_{metric}")
    values = {k: figures[:, i].astype(np.float64) for i, k in enumerate(keys)}
    for k, v in values.items():
        history.setdefault(k, array("d")).frombytes(v.tobytes())
    return ev.Metrics(epoch, first, values)


def diverged(figures: np.ndarray | None, first: int, epoch: int) -> ev.Diverged | None:
    """Keras' ``TerminateOnNaN`` for a chunk of epochs from ``first``: where an epoch's loss is not
    finite, the event that says so (the weights of ``epoch`` put back); else None."""
    if figures is None or np.all(np.isfinite(figures[:, 0])):
        return None
    bad = first + int(np.argmax(~np.isfinite(figures[:, 0])))
    return ev.Diverged(epoch, f"The loss became infinite or NaN at epoch {bad}; training stopped and the "
                              f"weights of epoch {epoch} were restored. Try a lower learning rate.")


def replay_metrics(history: dict[str, array], epoch: int) -> ev.Metrics | None:
    """The whole ``history`` as one event (None if there is none)."""
    if not history:
        return None
    return ev.Metrics(epoch, 1, {k: np.asarray(v) for k, v in history.items()})


def tracked_weights(model) -> list:
    """The variables the weight history follows: each Dense layer's kernel, then its bias."""
    out = []
    for layer in model.layers:
        if hasattr(layer, "kernel"):
            out += [layer.kernel] + ([layer.bias] if layer.bias is not None else [])
    return out


def tracked_size(model) -> int:
    return sum(int(np.prod(w.shape)) for w in tracked_weights(model))


def record_weights(history: WeightLog, model, epochs: np.ndarray, snaps,
                   last_of_run: bool = False) -> ev.WeightHistory | None:
    """Add to ``history`` the epochs among ``epochs`` that it wants; their weights are the rows of
    ``snaps`` (one per epoch that is a multiple of the stride, from the compiled loop), or the
    model's own (``snaps`` None: one epoch, just done). Returns the event that carries them, None if
    it wants none."""
    wanted = history.wanted_among(epochs, last_of_run)
    if not len(wanted):
        return None
    if snaps is None:
        rows = weights_now(model)
    else:
        recorded = epochs[epochs % history.stride == 0]  # row j: the j-th of these
        rows = snaps.numpy()[:len(recorded)][np.isin(recorded, wanted)]
    layers = summaries(model, rows)
    history.add(wanted, layers)
    return ev.WeightHistory(int(wanted[-1]), wanted, layers, whole=False)


def weights_now(model) -> np.ndarray:
    """The tracked weights as they are now, as one row (1 x tracked size)."""
    return np.concatenate([w.numpy().ravel() for w in tracked_weights(model)])[None, :]


def put_weights(history: WeightLog, model, epoch: int) -> ev.WeightHistory:
    """The model's weights as they are now replace ``history``'s column for ``epoch`` (a weight set by
    hand); returns the whole history as one event, so the views' summaries show the new weights."""
    history.put(epoch, summaries(model, weights_now(model)))
    return ev.WeightHistory(epoch, history.epochs.copy(), history.layers, whole=True)


def replay_weights(history: WeightLog) -> ev.WeightHistory | None:
    """The whole weight ``history`` as one event, which replaces what a view holds (None if empty)."""
    if not len(history):
        return None
    return ev.WeightHistory(int(history.epochs[-1]), history.epochs.copy(), history.layers, whole=True)


def summaries(model, rows: np.ndarray) -> tuple[LayerHistory, ...]:
    """Each Dense layer's kernel and bias summaries from flat weight ``rows`` (k x tracked size)."""
    out, at = [], 0
    for layer in model.layers:
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
