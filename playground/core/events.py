"""What the training engine reports: small frozen dataclasses.

Every array in an event is a fresh NumPy copy made in the training thread, so
a receiver in another thread may keep it without locking.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.core.history import LayerHistory


@dataclass(frozen=True)
class Event:
    epoch: int  # epochs completed when the event was made


@dataclass(frozen=True)
class Started(Event):
    device: str  # e.g. "CPU" or "GPU:0 (NVIDIA H100)"
    total_epochs: int  # the epoch the run stops at
    batches_per_epoch: int
    parameters: int


@dataclass(frozen=True)
class Progress(Event):
    batch: int  # batches done in the current epoch
    batches_per_epoch: int
    samples_per_second: float
    epochs_per_second: float
    fraction: float  # of the whole run, 0..1


@dataclass(frozen=True)
class Metrics(Event):
    """Per-epoch figures for the epochs ``first_epoch`` .. ``epoch`` (1-based, inclusive)."""
    first_epoch: int
    values: dict[str, np.ndarray] = field(default_factory=dict)  # "loss", "accuracy", "test_loss", ...

    def last(self) -> dict[str, float]:
        return {k: float(v[-1]) for k, v in self.values.items()}


@dataclass(frozen=True)
class LayerWeights:
    name: str
    kernel_counts: np.ndarray  # histogram counts, exact
    kernel_edges: np.ndarray  # len(counts) + 1 bin edges
    bias_counts: np.ndarray | None
    bias_edges: np.ndarray | None
    kernel: np.ndarray  # the kernel, capped at MAX_DRAWN inputs x MAX_DRAWN units
    bias: np.ndarray | None  # capped at MAX_DRAWN units
    shape: tuple[int, int]  # the full kernel's shape
    dead: float | None = None  # hidden ReLU layers: the fraction of units that output 0 on every training sample


@dataclass(frozen=True)
class Weights(Event):
    layers: tuple[LayerWeights, ...]


@dataclass(frozen=True)
class WeightHistory(Event):
    """Each Dense layer's kernel and bias summarised at ``epochs`` (ascending): the epochs a chunk
    recorded, or with ``whole`` the model's whole history (a kept model taken back), which replaces
    what a view holds. See :mod:`playground.core.history`."""
    epochs: np.ndarray
    layers: tuple[LayerHistory, ...]
    whole: bool = False


@dataclass(frozen=True)
class Boundary(Event):
    """The model's output on a grid over a 2-D data set's plane (computed in the training thread)."""
    xs: np.ndarray  # grid x1 coordinates, shape (n,)
    ys: np.ndarray  # grid x2 coordinates, shape (n,)
    output: np.ndarray  # shape (n, n, units): row i is ys[i], column j is xs[j]; probabilities for classifiers
    # TensorFlow Playground's neuron maps, on a coarser m x m grid over the same plane (row i is
    # neuron_ys[i], column j is neuron_xs[j]): neurons[0] is the features the first Dense layer takes
    # (after crosses and normalization), neurons[k] hidden layer k's activations; each (m, m, units),
    # units capped at MAX_DRAWN.
    neuron_xs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    neuron_ys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    neurons: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class Predictions(Event):
    """Test-set targets and predictions, for a confusion matrix or a predicted-versus-true plot."""
    y_true: np.ndarray
    y_pred: np.ndarray  # class index (classification) or value (regression)


@dataclass(frozen=True)
class Paused(Event):
    pass


@dataclass(frozen=True)
class Edited(Event):
    """A live edit took effect after this epoch (the weights stayed), e.g. "lr 0.01 → 0.003"."""
    label: str


@dataclass(frozen=True)
class Finished(Event):
    reason: str  # "finished" (all epochs done), "stopped" (by the user), "step" (a step is done)
    seconds: float  # training time of this run


@dataclass(frozen=True)
class Diverged(Event):
    message: str


@dataclass(frozen=True)
class Failed(Event):
    message: str


MAX_DRAWN = 32
