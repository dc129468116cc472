"""Weight histories by epoch: each layer's kernel and bias summarised at recorded epochs.

TensorBoard records histograms by step; Playground records them by epoch. Short runs keep
every epoch; a long run keeps at most ``CAPACITY`` evenly spaced epochs: when the history is
full, every other column goes and from then on only every ``stride``-th epoch is recorded
(the engine asks :meth:`WeightHistory.wanted_among`), so memory stays bounded for any run length.

A column holds, per tensor, a histogram (its own edges, ``BINS`` bins), TensorBoard's
distribution percentiles (the normal distribution's ±1, 2, 3σ and the median, min and max),
and the mean and standard deviation. Summaries are computed for many epochs at once with
NumPy, from the raw weights the engine's compiled loop collects (see ``Engine``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BINS = 30
CAPACITY = 256  # columns kept; full, the history halves and the stride doubles
# TensorBoard's distribution bands: min, -3σ…+3σ of a normal distribution's quantiles, max.
PERCENTILES = np.array([0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0])


@dataclass(frozen=True)
class Summary:
    """One tensor (a kernel or a bias) at ``k`` epochs."""
    edges: np.ndarray  # (k, BINS + 1), each column's own
    counts: np.ndarray  # (k, BINS)
    percentiles: np.ndarray  # (k, len(PERCENTILES)); the first is the minimum, the last the maximum
    mean: np.ndarray  # (k,)
    std: np.ndarray  # (k,)

    def __len__(self) -> int:
        return len(self.mean)

    def take(self, rows) -> "Summary":
        return Summary(self.edges[rows], self.counts[rows], self.percentiles[rows], self.mean[rows], self.std[rows])

    @staticmethod
    def join(parts: list["Summary"]) -> "Summary":
        return Summary(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                         ("edges", "counts", "percentiles", "mean", "std")))


def summarise(values: np.ndarray) -> Summary:
    """Summaries of each row of ``values`` (k epochs x n weights). The histograms are exactly
    ``np.histogram(row, bins=BINS)`` (same edges in the row's dtype, same binning rule), for all
    rows in one pass."""
    values = np.asarray(values)
    if values.dtype.kind != "f":
        values = values.astype(np.float64)
    k = len(values)
    low, high = values.min(axis=1), values.max(axis=1)
    flat = low == high  # np.histogram widens a constant row's range by 0.5 each way
    low, high = np.where(flat, low - 0.5, low).astype(values.dtype), np.where(flat, high + 0.5, high).astype(values.dtype)
    edges = np.linspace(low, high, BINS + 1, axis=1, dtype=values.dtype)
    index = ((values - low[:, None]) / (high - low)[:, None] * BINS).astype(np.intp)
    index[index == BINS] -= 1
    index -= values < np.take_along_axis(edges, index, axis=1)
    index += (values >= np.take_along_axis(edges, index + 1, axis=1)) & (index != BINS - 1)
    counts = np.zeros((k, BINS), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(k), values.shape[1]), index.ravel()), 1)
    return Summary(edges, counts, np.percentile(values, PERCENTILES, axis=1).T.astype(np.float64),
                   values.mean(axis=1, dtype=np.float64), values.std(axis=1, dtype=np.float64))


@dataclass(frozen=True)
class LayerHistory:
    name: str
    kernel: Summary
    bias: Summary | None


class WeightHistory:
    """Every layer's summaries at the recorded epochs, at most ``capacity`` of them."""

    def __init__(self, capacity: int = CAPACITY):
        self.capacity = capacity
        self.stride = 1
        self.epochs = np.zeros(0, dtype=np.int64)
        self.layers: tuple[LayerHistory, ...] = ()

    def __len__(self) -> int:
        return len(self.epochs)

    def wanted(self, epoch: int, last_of_run: bool = False) -> bool:
        """Whether ``epoch`` is one to record (see :meth:`wanted_among`)."""
        return len(self.wanted_among(np.array([epoch]), last_of_run)) == 1

    def wanted_among(self, epochs: np.ndarray, last_of_run: bool = False) -> np.ndarray:
        """The ``epochs`` to record: the multiples of the stride, or any (``last_of_run``: the epoch a
        run stopped or paused at, so that the history ends where the other views are; the next thinning
        drops it), after the last column."""
        epochs = np.asarray(epochs, dtype=np.int64)
        last = self.epochs[-1] if len(self.epochs) else -1
        keep = epochs > last
        if not last_of_run:
            keep &= epochs % self.stride == 0
        return epochs[keep]

    def add(self, epochs: np.ndarray, layers: tuple[LayerHistory, ...]) -> None:
        """Append columns (epochs ascending); a different set of layers starts the history again."""
        epochs = np.asarray(epochs, dtype=np.int64)
        if not len(epochs):
            return
        names = [layer.name for layer in layers]
        if [layer.name for layer in self.layers] != names or (len(self.epochs) and epochs[0] <= self.epochs[-1]):
            self.clear()
        if not len(self.epochs):
            self.epochs, self.layers = epochs, layers
        else:
            self.epochs = np.concatenate([self.epochs, epochs])
            self.layers = tuple(
                LayerHistory(old.name, Summary.join([old.kernel, new.kernel]),
                             None if old.bias is None else Summary.join([old.bias, new.bias]))
                for old, new in zip(self.layers, layers))
        while len(self.epochs) > self.capacity:
            self.stride *= 2
            self._keep(self.epochs % self.stride == 0)

    def put(self, epoch: int, layers: tuple[LayerHistory, ...]) -> None:
        """The weights at ``epoch`` are ``layers`` now (a weight set by hand): that column is replaced
        where it is the last one, else added."""
        if len(self.epochs) and self.epochs[-1] == epoch:
            self._keep(np.arange(len(self.epochs) - 1))
        self.add(np.array([epoch]), layers)

    def clear(self) -> None:
        self.stride = 1
        self.epochs = np.zeros(0, dtype=np.int64)
        self.layers = ()

    def _keep(self, rows: np.ndarray) -> None:
        self.epochs = self.epochs[rows]
        self.layers = tuple(LayerHistory(layer.name, layer.kernel.take(rows),
                                         None if layer.bias is None else layer.bias.take(rows))
                            for layer in self.layers)
