"""Weights and optimizer state moved into a model: from the model a live edit replaces, from another
model (matching layers), from a saved ``.keras`` file (resuming a run), from before a chunk whose
loss diverged, or one weight set by hand.

Values are copied into the engine's own model, never the other model taken over: its loops are
compiled for this one. Problems a user can cause become a :class:`PlaygroundError` sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from playground.errors import PlaygroundError


@dataclass(frozen=True)
class KernelEdit:
    """One weight set by hand (a link edited in the network diagram): ``kernel[i, j]`` of ``layer``."""
    layer: str
    i: int
    j: int
    value: float


def take_over(source, target) -> None:
    """A live edit's new model ``target`` (the same layers, its optimizer built) takes on from
    ``source``: every layer's weights by name, and the optimizer's state where the optimizer class
    is the same (a new optimizer starts fresh)."""
    for layer in source.layers:
        if layer.weights:
            target.get_layer(layer.name).set_weights(layer.get_weights())
    if type(source.optimizer) is type(target.optimizer):
        copy_optimizer_state(source.optimizer, target.optimizer)


def take_matching_weights(source, target) -> list[str]:
    """Copy the weights of every layer of ``source`` whose name and weight shapes match one of
    ``target``'s (an activation changed, a layer added at the end); returns the layers copied."""
    names = {layer.name: layer for layer in source.layers}
    taken = []
    for layer in target.layers:
        old = names.get(layer.name)
        if layer.weights and old is not None and \
                [w.shape for w in old.weights] == [w.shape for w in layer.weights]:
            layer.set_weights(old.get_weights())
            taken.append(layer.name)
    return taken


def _state(optimizer) -> list:
    """An optimizer's state variables: its moments and step count, not its learning rate."""
    return [v for v in optimizer.variables if v.name != "learning_rate"]


def copy_optimizer_state(source, target) -> None:
    """Moments and step count from ``source`` into ``target`` (the same optimizer class over
    variables of the same names), each by its name; the learning rate is the new experiment's. A
    state that only one of them keeps starts fresh or is left behind: SGD keeps momentums only with
    a momentum, so an edit of the momentum to or from 0 changes what there is."""
    values = {v.name: v for v in _state(source)}
    for mine in _state(target):
        value = values.get(mine.name)
        if value is not None and tuple(value.shape) == tuple(mine.shape):
            mine.assign(value)


def checkpoint(model) -> Callable[[], None]:
    """The model's and its optimizer's variables as they are now; calling the result puts them back
    (a chunk whose loss diverged is undone)."""
    state = [*model.variables, *model.optimizer.variables]
    values = [v.numpy() for v in state]

    def put_back() -> None:
        for var, value in zip(state, values):
            var.assign(value)
    return put_back


def restore(model, path, optimizer_name: str) -> None:
    """The weights and the optimizer's state (moments, step count) of the ``.keras`` file at ``path``
    into ``model``, whose optimizer is built; ``optimizer_name`` is the experiment's, for a sentence.
    The values are copied in rather than the loaded model taken over: the loops are compiled for
    this one."""
    import keras

    from playground.core.export import load_weights_into

    load_weights_into(model, path)
    try:
        saved = keras.models.load_model(path, safe_mode=True)  # compiled: with its optimizer's state
    except Exception as exc:  # noqa: BLE001 - anything a foreign file triggers becomes a sentence
        raise PlaygroundError(f"{path} holds no optimizer state to resume from "
                              f"({type(exc).__name__}: {exc}).") from None
    if type(saved.optimizer) is not type(model.optimizer):
        raise PlaygroundError(f"{path} was not trained with this experiment's {optimizer_name} optimizer, "
                              "so its state cannot be resumed.")
    ours, theirs = _state(model.optimizer), _state(saved.optimizer)
    if [tuple(v.shape) for v in ours] != [tuple(v.shape) for v in theirs]:
        raise PlaygroundError(f"{path} holds optimizer state for another model, so it cannot be resumed.")
    for mine, value in zip(ours, theirs):
        mine.assign(value)


def set_kernel(model, edit: KernelEdit) -> str:
    """Assign the weight exactly (float32) into ``model`` (None: there is none yet); returns the
    edit's label for the curves ("dense[0, 1] +0.5 → -1")."""
    names = [layer.name for layer in model.layers if hasattr(layer, "kernel")] if model is not None else []
    if edit.layer not in names:
        raise PlaygroundError(f"The model has no layer {edit.layer!r} to set a weight of.")
    kernel = model.get_layer(edit.layer).kernel
    values = kernel.numpy()
    if not (0 <= edit.i < values.shape[0] and 0 <= edit.j < values.shape[1]):
        raise PlaygroundError(f"{edit.layer}'s kernel has no weight [{edit.i}, {edit.j}]; "
                              f"its shape is {values.shape[0]} x {values.shape[1]}.")
    old = float(values[edit.i, edit.j])
    values[edit.i, edit.j] = edit.value
    kernel.assign(values)
    return f"{edit.layer}[{edit.i}, {edit.j}] {old:+.4g} → {edit.value:+.4g}"
