"""1. Tiny networks: the engine's epochs per second, events on, against ``model.fit`` on the same model.

The fit side gets ``validation_data`` because the engine computes the test loss and
accuracy every epoch too; the target ratio uses that fair pair, and the ratio
against fit without validation is reported beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from playground.core.build import build_model, loss_targets
from playground.core.engine import Engine
from playground.core.spec import Experiment
from tests.benchmarks.common import UiListener, median, progress, record, shape_name, timed, tiny_experiment

NAME = "tiny"
RATIO_TARGET = (">=", 20)
JS_PLAYGROUND = 1200  # epochs/s of TensorFlow Playground's JavaScript engine, XOR 2-8-8-1, this machine
CONFIGS = (("xor", 2, "sgd"), ("xor", 6, "sgd"), ("spiral", 2, "sgd"), ("spiral", 6, "sgd"), ("xor", 2, "adam"))


@dataclass
class Comparison:
    """Per-repeat figures of one network, measured interleaved in this process."""
    device: str = ""
    engine: list[float] = field(default_factory=list)  # epochs/s
    fit: list[float] = field(default_factory=list)  # epochs/s, with validation_data
    fit_plain: list[float] = field(default_factory=list)  # epochs/s, without
    updates: list[float] = field(default_factory=list)  # Progress events/s during the engine's run
    first_gap: float = 0.0  # longest wait between updates in the first run after prepare()

    def ratio(self, fit: list[float]) -> float:
        """Median of the paired (same repeat) ratios engine / fit."""
        return median(e / f for e, f in zip(self.engine, fit))


def compare(exp: Experiment, repeats: int, seconds: float, fit_device: str = "/CPU:0") -> Comparison:
    """Engine (``exp.training.device``) against ``model.fit`` on ``fit_device``, ``repeats`` times."""
    import tensorflow as tf

    out = Comparison()
    listener = UiListener()
    engine = Engine(exp, listener)
    engine.prepare()
    out.device = engine.device
    engine.run(epochs=100)  # grows the chunks to full size
    out.first_gap = listener.longest_gap()
    engine_epochs = max(50, int(seconds * 200 / timed(lambda: engine.run(epochs=200))))

    ds = engine.dataset
    with tf.device(fit_device):
        model = build_model(exp, ds)
    x, x_test = ds.x_train, ds.x_test
    y = loss_targets(exp, ds.task, ds.y_train, ds.num_classes)
    y_test = loss_targets(exp, ds.task, ds.y_test, ds.num_classes)

    def fit(epochs: int, validation: bool) -> float:
        extra = {"validation_data": (x_test, y_test)} if validation else {}
        with tf.device(fit_device):
            return timed(lambda: model.fit(x, y, batch_size=exp.training.batch_size, epochs=epochs,
                                           shuffle=True, verbose=0, **extra))

    fit(1, True)  # traces the train and test functions
    fit(1, False)
    fit_epochs = max(2, int(seconds / fit(1, True)))

    for _ in range(repeats):
        before = listener.updates
        t = timed(lambda: engine.run(epochs=engine_epochs))
        out.engine.append(engine_epochs / t)
        out.updates.append((listener.updates - before) / t)
        out.fit.append(fit_epochs / fit(fit_epochs, True))
        out.fit_plain.append(fit_epochs / fit(fit_epochs, False))
    return out


def records_for(exp: Experiment, c: Comparison, benchmark: str = NAME, playground_goal: bool = False) -> list:
    """The table rows of one comparison."""
    name = f"{exp.dataset.name.upper()} {shape_name(exp)} {exp.training.optimizer}"
    dev = c.device
    engine_target = (">=", JS_PLAYGROUND) if playground_goal else None
    note = ("goal after the 20x: beat TensorFlow Playground's JavaScript engine (~1,200 epochs/s here)"
            if playground_goal else "")
    return [
        record(benchmark, f"{name}: engine, events on", median(c.engine), "epochs/s", engine_target,
               device=dev, note=note),
        record(benchmark, f"{name}: model.fit with validation_data", median(c.fit), "epochs/s", device=dev),
        record(benchmark, f"{name}: model.fit without validation", median(c.fit_plain), "epochs/s", device=dev),
        record(benchmark, f"{name}: engine / fit (with validation)", c.ratio(c.fit), "x", RATIO_TARGET,
               device=dev),
        record(benchmark, f"{name}: engine / fit (without validation)", c.ratio(c.fit_plain), "x", device=dev),
        record(benchmark, f"{name}: engine updates (Progress + Metrics events)", median(c.updates), "per s",
               device=dev, note="one update per trained chunk; its Metrics event carries every epoch of the chunk"),
        record(benchmark, f"{name}: first 100 epochs after prepare(), longest wait between updates",
               1000 * c.first_gap, "ms", device=dev),
    ]


def run(quick: bool) -> list:
    configs, repeats, seconds = (CONFIGS[:1], 1, 0.3) if quick else (CONFIGS, 3, 1.5)
    out = []
    for dataset, depth, optimizer in configs:
        exp = tiny_experiment(dataset, depth, optimizer)
        progress(f"tiny: {dataset} {shape_name(exp)} {optimizer}")
        c = compare(exp, repeats, seconds)
        out += records_for(exp, c, playground_goal=(dataset, depth, optimizer) == CONFIGS[0])
    return out
