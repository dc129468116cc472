"""Weight histories by epoch: each layer's kernel and bias summarised at recorded epochs.

TensorBoard records histograms by step; Playground records them by epoch. Short runs keep
every epoch; a long run keeps at most ``CAPACITY`` evenly spaced epochs: when the history is
full, every other column goes and from then on only every ``stride``-th epoch is recorded
(the engine asks :meth:`WeightLog.wanted_among`), so memory stays bounded for any run length.

A column holds, per tensor, a histogram (its own edges, ``BINS`` bins), TensorBoard's
distribution percentiles (the normal distribution's ±1, 2, 3σ and the median, min and max),
and the mean and standard deviation. Summaries are computed for many epochs at once with
NumPy, from the raw weights the engine's compiled loop collects (see ``Engine``).

Weights can overflow float32 while the loss stays finite (a ReLU unit pushed to ±inf is silent):
a summary then describes the finite weights (their histogram, percentiles and moments; NaN where
none is) and counts the others in ``nonfinite``.
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
    nonfinite: np.ndarray  # (k,) weights that are ±inf or NaN, left out of the figures above

    _FIELDS = ("edges", "counts", "percentiles", "mean", "std", "nonfinite")

    def __len__(self) -> int:
        return len(self.mean)

    def take(self, rows) -> "Summary":
        return Summary(*(getattr(self, f)[rows] for f in Summary._FIELDS))

    @staticmethod
    def join(parts: list["Summary"]) -> "Summary":
        return Summary(*(np.concatenate([getattr(p, f) for p in parts]) for f in Summary._FIELDS))


def summarise(values: np.ndarray) -> Summary:
    """Summaries of each row of ``values`` (k epochs x n weights). The histograms are exactly
    ``np.histogram(row, bins=BINS)`` (same edges in the row's dtype, same binning rule), for all
    rows in one pass; of a row's finite values only, where some are ±inf or NaN."""
    values = np.asarray(values)
    if values.dtype.kind != "f":
        values = values.astype(np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        return _summarise_finite(values, finite)
    k = len(values)
    low, high = values.min(axis=1), values.max(axis=1)
    # np.histogram widens a constant row's range by 0.5 each way; by more where 0.5 is lost in rounding
    # (a float32 beyond 2**24), which np.histogram then fails on
    flat = low == high
    big = np.finfo(values.dtype).max
    with np.errstate(over="ignore"):
        pad = np.maximum(0.5, np.spacing(np.abs(low)))
        low = np.where(flat, np.maximum(low - pad, -big), low).astype(values.dtype)
        high = np.where(flat, np.minimum(high + pad, big), high).astype(values.dtype)
    with np.errstate(over="ignore"):  # a range wider than the dtype's largest number: work in halves
        scale = np.where(np.isfinite(high - low), 1.0, 0.5).astype(values.dtype)
    lo, hi = low * scale, high * scale  # exact: a power of two
    edges = np.linspace(lo, hi, BINS + 1, axis=1, dtype=values.dtype) / scale[:, None]
    index = ((values * scale[:, None] - lo[:, None]) / (hi - lo)[:, None] * BINS).astype(np.intp)
    index[index == BINS] -= 1
    index -= values < np.take_along_axis(edges, index, axis=1)
    index += (values >= np.take_along_axis(edges, index + 1, axis=1)) & (index != BINS - 1)
    counts = np.zeros((k, BINS), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(k), values.shape[1]), index.ravel()), 1)
    return Summary(edges, counts, np.percentile(values, PERCENTILES, axis=1).T.astype(np.float64),
                   values.mean(axis=1, dtype=np.float64), values.std(axis=1, dtype=np.float64),
                   np.zeros(k, dtype=np.int64))


def _summarise_finite(values: np.ndarray, finite: np.ndarray) -> Summary:
    """:func:`summarise` of rows holding ±inf or NaN: each row's finite values (a row of none gets
    NaN figures and an empty histogram around 0), and how many were left out."""
    rows = [summarise(row[ok][None, :] if ok.any() else np.zeros((1, 1), values.dtype))
            for row, ok in zip(values, finite)]
    out = Summary.join(rows)
    none = ~finite.any(axis=1)
    out.counts[none] = 0
    out.percentiles[none] = out.mean[none] = out.std[none] = np.nan
    return Summary(out.edges, out.counts, out.percentiles, out.mean, out.std,
                   (~finite).sum(axis=1).astype(np.int64))


def histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.histogram(values, bins=BINS)`` of the finite values (NumPy refuses ±inf and NaN)."""
    values = np.asarray(values).ravel()
    if not values.size or np.isfinite(values).all():
        return np.histogram(values, bins=BINS)
    s = summarise(values[None, :])
    return s.counts[0], s.edges[0]


@dataclass(frozen=True)
class LayerHistory:
    name: str
    kernel: Summary
    bias: Summary | None


class WeightLog:
    """Every layer's summaries at the recorded epochs, at most ``capacity`` of them: the weight history
    an engine (and a view) keeps. The event that carries its columns is :class:`events.WeightHistory`."""

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
