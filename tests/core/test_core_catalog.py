"""The catalog against Keras: every curve, loss, update rule, schedule and initializer it shows.

Each catalog entry carries its formula in NumPy beside the text; these tests run that NumPy
against what the app actually trains with (the Keras objects ``playground.core.build`` makes),
and against the worked numbers in the topic notes (``shared/seeds``).
"""
import math
import re

import keras
import numpy as np
import pytest

from playground.core import catalog
from playground.core.build import build_model, loss_targets, make_loss, make_optimizer
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset

GRID = np.linspace(-6.0, 6.0, 241)  # negatives, zero and positives, with steps of 0.05


def keras_activation(id_: str, x: np.ndarray) -> np.ndarray:
    """What a Dense layer with ``activation=id_`` outputs, per unit; softmax as one unit against a zero logit."""
    x = np.asarray(x, dtype=np.float32)
    if catalog.activation(id_).id == "softmax":
        pairs = np.stack([x, np.zeros_like(x)], axis=1)
        return keras.ops.convert_to_numpy(keras.activations.softmax(pairs))[:, 0]
    return keras.ops.convert_to_numpy(keras.activations.get(id_)(x))


# -- activations --------------------------------------------------------------------------------

@pytest.mark.parametrize("id_", [*catalog.ACTIVATIONS, *catalog.ACTIVATION_ALIASES])
def test_activation_curve_is_the_keras_activation(id_):
    drawn = catalog.activation(id_).fn(GRID)
    np.testing.assert_allclose(drawn, keras_activation(id_, GRID), rtol=1e-5, atol=1e-6,
                               err_msg=f"the {id_} curve in the tooltip is not Keras' {id_}")


@pytest.mark.parametrize("id_", catalog.ACTIVATIONS)
def test_activation_range_is_what_keras_reaches(id_):
    act = catalog.ACTIVATIONS[id_]
    wide = keras_activation(id_, np.linspace(-30.0, 30.0, 60001)).astype(np.float64)
    for bound, reached, unbounded in ((act.low, wide.min(), wide.min() < -5),
                                      (act.high, wide.max(), wide.max() > 5)):
        if math.isinf(bound):
            assert unbounded, f"{id_}: the catalog says its output is unbounded, Keras' stays within {reached:.4g}"
        else:
            assert reached == pytest.approx(bound, abs=1e-3), f"{id_}: Keras reaches {reached:.5g}, not {bound}"
    shown = re.match(r"[\[(](\S+), (\S+)[\])]", act.output_range).groups()
    for text, bound in zip(shown, (act.low, act.high)):
        expected = {-math.inf: "-∞", math.inf: "∞"}.get(bound) or f"{bound:.2f}".rstrip("0").rstrip(".")
        assert text == expected, f"{id_}: the range shown, {act.output_range}, does not say {bound:.4g}"


def test_seed_activation_numbers():
    # 001: tf.sigmoid / tf.tanh on linspace(-10, 10, 10), tf.nn.leaky_relu on linspace(-1, 1, 10).
    a = np.linspace(-10.0, 10.0, 10)
    np.testing.assert_allclose(catalog.ACTIVATIONS["sigmoid"].fn(a)[[0, 4, 5, 9]],
                               [4.5388937e-05, 2.4766389e-01, 7.5233626e-01, 9.9995458e-01], rtol=1e-5, atol=1e-7,
                               err_msg="sigmoid")
    np.testing.assert_allclose(catalog.ACTIVATIONS["tanh"].fn(a)[3:7],
                               [-0.997458, -0.8044547, 0.804455, 0.997458], rtol=1e-5, err_msg="tanh")
    b = np.linspace(-1.0, 1.0, 10)
    np.testing.assert_allclose(catalog.ACTIVATIONS["leaky_relu"].fn(b)[[0, 1, 4, 5]],
                               [-0.2, -0.15555556, -0.02222222, 0.11111116], rtol=1e-5,
                               err_msg="leaky_relu's slope below zero is 0.2")
    np.testing.assert_allclose(catalog.ACTIVATIONS["relu"].fn(b)[[4, 5, 9]], [0.0, 0.11111116, 1.0], rtol=1e-5,
                               err_msg="relu")


# -- losses -----------------------------------------------------------------------------------------

_TASK_OUTPUT = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}


def app_loss(loss_id: str, task: str):
    """The Keras loss the app compiles for ``loss_id`` on a ``task`` data set (probabilities, not logits)."""
    exp = Experiment()
    exp.training.loss = loss_id
    exp.model.output_activation = "tanh" if loss_id == "hinge" else _TASK_OUTPUT[task]
    return exp, make_loss(exp, task)


def random_batch(loss: catalog.Loss, rng: np.random.Generator, n: int = 37, k: int = 4):
    """Labels as the data sets give them and outputs in the range the loss reads."""
    if loss.target == "value":
        return rng.normal(0, 1, n), rng.normal(0, 2, (n, 1))  # |e| on both sides of Huber's δ = 1
    if loss.target in ("binary", "sign"):
        labels = rng.integers(0, 2, n).astype(np.float32)
        out = rng.uniform(0.03, 0.97, (n, 1)) if loss.target == "binary" else rng.normal(0, 1.5, (n, 1))
        return labels, out
    logits = rng.normal(0, 2, (n, k))
    return rng.integers(0, k, n), np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


@pytest.mark.parametrize("loss_id", catalog.LOSSES)
def test_loss_formula_is_the_keras_loss(loss_id):
    entry = catalog.LOSSES[loss_id]
    task = entry.tasks[0]
    exp, keras_loss = app_loss(loss_id, task)
    labels, out = random_batch(entry, np.random.default_rng(7))
    fed = loss_targets(exp, task, labels, out.shape[1])
    expected = float(keras_loss(fed, out.astype(np.float32)))
    assert entry.fn(fed, out) == pytest.approx(expected, rel=2e-5), f"{loss_id}: formula ≠ Keras"


def test_kl_divergence_with_soft_targets():
    rng = np.random.default_rng(3)
    y, p = rng.dirichlet(np.ones(5), 20), rng.dirichlet(np.ones(5), 20)
    _, keras_loss = app_loss("kl_divergence", "multiclass")
    assert catalog.LOSSES["kl_divergence"].fn(y, p) == pytest.approx(float(keras_loss(y, p)), rel=1e-5)


@pytest.mark.parametrize("loss_id", catalog.LOSSES)
def test_every_loss_formula_says_it_averages_over_the_batch(loss_id):
    entry = catalog.LOSSES[loss_id]
    _, keras_loss = app_loss(loss_id, entry.tasks[0])
    assert keras_loss.reduction == "sum_over_batch_size"
    assert entry.formula.startswith("loss = 1/N · Σ "), \
        f"{loss_id}: Keras takes the mean over the batch, the formula says {entry.formula!r}"


SEED_LOSSES = [  # (loss, y_true, y_pred, Keras' value printed in the notes)
    ("categorical_crossentropy", [[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.3, 0.2, 0.5]], 0.39925388),
    ("categorical_crossentropy", [[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.05, 0.05, 0.9]], 0.105360545),
    ("categorical_crossentropy", [[0, 1, 0, 0]], [[0.25, 0.25, 0.25, 0.25]], 1.3862944),
    ("categorical_crossentropy", [[0, 1, 0, 0]], [[0.1, 0.1, 0.8, 0.1]], 2.3978953),
    ("categorical_crossentropy", [[0, 1, 0, 0]], [[0.01, 0.97, 0.01, 0.01]], 0.030459179),
    ("binary_crossentropy", [[0], [1]], [[0.4], [0.6]], 0.5108254),
    ("binary_crossentropy", [[0], [1]], [[0.1], [0.9]], 0.10536041),
    ("binary_crossentropy", [[1]], [[0.1]], 2.3025842),
    ("mean_absolute_error", [[0.0], [1.0]], [[1.0], [0.0]], 1.0),
    ("mean_squared_error", [[0.0], [1.0]], [[1.0], [1.0]], 0.5),
    ("huber", [[0.0], [1.0]], [[0.6], [0.4]], 0.18),
]


@pytest.mark.parametrize(("loss_id", "y", "p", "printed"), SEED_LOSSES)
def test_seed_loss_numbers(loss_id, y, p, printed):
    y, p = np.array(y, dtype=np.float64), np.array(p, dtype=np.float64)
    _, keras_loss = app_loss(loss_id, catalog.LOSSES[loss_id].tasks[0])
    # The notes print float32 results: agreement to a few parts in a million.
    assert catalog.LOSSES[loss_id].fn(y, p) == pytest.approx(printed, rel=5e-6), f"{loss_id}: formula"
    assert float(keras_loss(y, p)) == pytest.approx(printed, rel=5e-6), f"{loss_id}: the app's Keras loss"


# -- optimizers ---------------------------------------------------------------------------------------

W0 = np.array([0.5, -1.2, 2.0, 0.3, -0.7, 1.1], dtype=np.float32)
# Gradients from 1e-7 to 3 in size, so that ε (1e-7) and the accumulators' start both matter.
GRADIENTS = [np.array(g, dtype=np.float32) for g in (
    [1e-7, -1e-5, 1e-3, 0.1, -1.0, 3.0],
    [2e-7, 1e-5, -2e-3, 0.05, -0.5, 2.0],
    [-1e-7, 3e-5, 1e-3, -0.2, 0.3, 1.0],
)]
OPTIMIZER_CASES = [  # (optimizer, the experiment's optimizer settings)
    ("sgd", {}), ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.8, "nesterov": True}),
    ("adam", {}), ("adamw", {"weight_decay": 0.3}), ("rmsprop", {}), ("adagrad", {}), ("nadam", {}),
]


@pytest.mark.parametrize(("optimizer", "settings"), OPTIMIZER_CASES)
def test_optimizer_rule_is_the_keras_update(optimizer, settings):
    exp = Experiment()
    exp.training.optimizer, exp.training.learning_rate = optimizer, 0.0037
    for key, value in settings.items():
        setattr(exp.training, key, value)
    keras_optimizer = make_optimizer(exp)
    variable = keras.Variable(W0)
    keras_steps = []
    for g in GRADIENTS:
        keras_optimizer.apply_gradients([(keras.ops.convert_to_tensor(g), variable)])
        keras_steps.append(keras.ops.convert_to_numpy(variable))
    formula_steps = catalog.OPTIMIZERS[optimizer].steps(W0.astype(np.float64), GRADIENTS, 0.0037, **settings)
    for step, (by_formula, by_keras) in enumerate(zip(formula_steps, keras_steps), start=1):
        np.testing.assert_allclose(by_formula - W0, by_keras - W0, rtol=2e-3, atol=2e-7,
                                   err_msg=f"{optimizer} {settings}: step {step} moves the weights "
                                           "differently from Keras")


@pytest.mark.parametrize("optimizer", catalog.OPTIMIZERS)
def test_optimizer_formula_names_keras_defaults(optimizer):
    entry = catalog.OPTIMIZERS[optimizer]
    config = keras.optimizers.get(optimizer).get_config()
    for key, value in entry.defaults.items():
        assert config[key] == pytest.approx(value), f"{optimizer}: Keras' {key} is {config[key]}, not {value}"
    where = entry.formula.rpartition("; ")[2] if entry.defaults else ""
    assert len(re.findall(r" = [\d.⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", where)) == len(entry.defaults), entry.formula


# -- schedules and initializers ----------------------------------------------------------------------

@pytest.mark.parametrize("schedule", catalog.SCHEDULES)
def test_schedule_formula_is_the_keras_learning_rate(schedule):
    exp = Experiment()
    t = exp.training
    t.schedule, t.learning_rate, t.decay_steps, t.decay_rate = schedule, 0.05, 100, 0.7
    keras_optimizer = make_optimizer(exp)
    keras_optimizer.build([keras.Variable(W0)])
    steps = [0, 1, 7, 50, 100, 170, 400]
    seen = []
    for step in steps:
        keras_optimizer.iterations.assign(step)
        seen.append(float(keras_optimizer.learning_rate))
    formula = catalog.SCHEDULES[schedule].fn(np.array(steps), 0.05, 100, 0.7)
    np.testing.assert_allclose(formula, seen, rtol=1e-5, atol=1e-9,
                               err_msg=f"the {schedule} schedule's formula is not Keras' learning rate")


@pytest.mark.parametrize("initializer", catalog.INITIALIZERS)
def test_initializer_spread_is_the_keras_layers(initializer):
    exp = Experiment()
    exp.model.layers = [LayerSpec(units=300), LayerSpec(units=200, kernel_initializer=initializer)]
    model = build_model(exp, load_dataset("xor", samples=20))
    kernel = keras.ops.convert_to_numpy(model.get_layer("hidden_2").kernel).astype(np.float64)
    std = catalog.INITIALIZERS[initializer].std(300, 200)
    assert kernel.std() == pytest.approx(std, rel=0.03, abs=1e-12), \
        f"{initializer}: the weights spread by {kernel.std():.4g}, the formula says {std:.4g}"
    assert abs(kernel.mean()) <= 0.02 * std + 1e-12
    if "U(" in catalog.INITIALIZERS[initializer].formula:
        assert np.abs(kernel).max() <= std * math.sqrt(3) * (1 + 1e-6)
