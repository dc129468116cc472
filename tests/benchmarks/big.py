"""2. A bigger network: 784-256-128-10, batch 128, 60,000 synthetic samples; engine against ``model.fit``."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.core.build import build_model, loss_targets
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.data import Dataset
from tests.benchmarks.common import UiListener, median, progress, record, timed

NAME = "big"
TARGET = (">=", 1.0)
CLASSES = 10
FEATURES = 784


def synthetic(train: int, test: int, seed: int = 0) -> Dataset:
    """MNIST-shaped data: pixels in [0, 1), labels from a fixed random linear map (so it is learnable)."""
    rng = np.random.default_rng(seed)
    x = rng.random((train + test, FEATURES), dtype=np.float32)
    y = np.argmax(x @ rng.normal(size=(FEATURES, CLASSES)).astype(np.float32), axis=1).astype(np.int32)
    return Dataset(name="synthetic", task="multiclass", x_train=x[:train], y_train=y[:train],
                   x_test=x[train:], y_test=y[train:], feature_names=tuple(f"pixel_{i}" for i in range(FEATURES)),
                   class_names=tuple(str(i) for i in range(CLASSES)))


def experiment(device: str = "cpu") -> Experiment:
    exp = Experiment(name="big")
    exp.model.layers = [LayerSpec(units=256, activation="relu"), LayerSpec(units=128, activation="relu")]
    exp.training.batch_size = 128
    exp.training.optimizer = "adam"
    exp.training.learning_rate = 0.001
    exp.training.device = device
    return exp


@dataclass
class Comparison:
    device: str = ""
    engine: list[float] = field(default_factory=list)  # samples/s
    fit: list[float] = field(default_factory=list)  # samples/s, with validation_data
    first_gap: float = 0.0  # longest wait between updates in the engine's first run
    gap: float = 0.0  # longest wait between updates in the timed runs

    def ratio(self) -> float:
        return median(e / f for e, f in zip(self.engine, self.fit))


def compare(exp: Experiment, ds: Dataset, repeats: int, epochs: int, fit_device: str = "/CPU:0") -> Comparison:
    """Engine (``exp.training.device``) against ``model.fit`` on ``fit_device``, interleaved."""
    import tensorflow as tf

    out = Comparison()
    listener = UiListener()
    engine = Engine(exp, listener, dataset=ds)
    engine.prepare()
    out.device = engine.device
    engine.run(epochs=1)
    out.first_gap = listener.longest_gap()

    with tf.device(fit_device):
        model = build_model(exp, ds)
    y = loss_targets(exp, ds.task, ds.y_train, ds.num_classes)
    y_test = loss_targets(exp, ds.task, ds.y_test, ds.num_classes)

    def fit(n: int) -> float:
        with tf.device(fit_device):
            return timed(lambda: model.fit(ds.x_train, y, batch_size=exp.training.batch_size, epochs=n,
                                           shuffle=True, verbose=0, validation_data=(ds.x_test, y_test)))

    fit(1)  # traces the train and test functions
    samples = epochs * len(ds.x_train)
    for _ in range(repeats):
        since = len(listener.event_times)
        out.engine.append(samples / timed(lambda: engine.run(epochs=epochs)))
        out.gap = max(out.gap, listener.longest_gap(since))
        out.fit.append(samples / fit(epochs))
    return out


def records_for(c: Comparison, benchmark: str = NAME) -> list:
    dev = c.device
    name = "784-256-128-10 adam"
    return [
        record(benchmark, f"{name}: engine, events on", median(c.engine), "samples/s", device=dev),
        record(benchmark, f"{name}: model.fit with validation_data", median(c.fit), "samples/s", device=dev),
        record(benchmark, f"{name}: engine / fit", c.ratio(), "x", TARGET, device=dev),
        record(benchmark, f"{name}: longest wait between engine updates", 1000 * c.gap, "ms", device=dev),
        record(benchmark, f"{name}: the same, first run after prepare()", 1000 * c.first_gap, "ms", device=dev),
    ]


def run(quick: bool) -> list:
    train, test, repeats, epochs = (3000, 500, 1, 1) if quick else (60_000, 10_000, 3, 2)
    progress(f"big: {train:,} samples, {repeats} x {epochs} epochs each side")
    return records_for(compare(experiment(), synthetic(train, test), repeats, epochs))
