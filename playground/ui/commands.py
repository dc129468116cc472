"""Undoable edits: one command type holding the experiment before and after, and the model edits.

The experiment is small, so each command keeps two whole copies: undo and redo
are then exact by construction, for any edit. The functions below are the
model edits the Model panel offers; each changes a copy of the experiment.
"""
from __future__ import annotations

import zlib
from typing import Callable

from PySide6.QtGui import QUndoCommand

from playground.core.spec import Experiment, LayerSpec, ModelSpec

MAX_LAYERS = ModelSpec.model_fields["layers"].metadata[0].max_length


class SetExperiment(QUndoCommand):
    """Replace the experiment: ``apply(experiment)`` makes one current (the state's
    :meth:`~playground.ui.state.ExperimentState.apply`); consecutive commands with the same ``key``
    merge into one step."""

    def __init__(self, apply: Callable[[Experiment], None], before: Experiment, after: Experiment, text: str,
                 key: str | None = None):
        super().__init__(text)
        self.apply, self.before, self.after, self.key = apply, before, after, key

    def id(self) -> int:  # noqa: A003 - Qt's name
        return zlib.crc32(self.key.encode()) & 0x7FFFFFFF if self.key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, SetExperiment) or other.key != self.key:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class SetWeight(QUndoCommand):
    """One weight of the trained model set by hand (a link of the network diagram): ``set_weight(layer,
    i, j, value)`` applies the new value, and Undo the old one, exactly (the float32 the model held)."""

    def __init__(self, set_weight: Callable[[str, int, int, float], None], layer: str, i: int, j: int,
                 before: float, after: float):
        super().__init__(f"weight {layer}[{i}, {j}]")
        self.set_weight, self.where, self.before, self.after = set_weight, (layer, i, j), before, after

    def redo(self) -> None:
        self.set_weight(*self.where, self.after)

    def undo(self) -> None:
        self.set_weight(*self.where, self.before)


# -- model edits (each changes a copy of the experiment) --------------------------------------------

def add_layer(exp: Experiment, index: int) -> None:
    """Insert a hidden layer at ``index``, like the one before it (or the default)."""
    layers = exp.model.layers
    template = layers[index - 1] if 0 < index <= len(layers) else (layers[0] if layers else LayerSpec())
    new = LayerSpec(units=template.units, activation=template.activation)
    exp.model.layers = [*layers[:index], new, *layers[index:]]


def remove_layer(exp: Experiment, index: int) -> None:
    layers = exp.model.layers
    exp.model.layers = [*layers[:index], *layers[index + 1:]]


def duplicate_layer(exp: Experiment, index: int) -> None:
    layers = exp.model.layers
    exp.model.layers = [*layers[:index + 1], layers[index].model_copy(), *layers[index + 1:]]


def move_layer(exp: Experiment, source: int, target: int) -> None:
    """Move the layer at ``source`` so that it ends up at ``target``."""
    layers = list(exp.model.layers)
    layers.insert(target, layers.pop(source))
    exp.model.layers = layers


def set_layer(exp: Experiment, index: int, field: str, value) -> None:
    """Set one field (``units``, ``activation``, ``dropout``, …) of one hidden layer."""
    layers = [layer.model_copy() for layer in exp.model.layers]
    setattr(layers[index], field, value)
    exp.model.layers = layers
