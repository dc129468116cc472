"""Experiment + data set -> a compiled ``keras.Model``.

Keras is imported inside the functions that need it, so that the UI and the
CLI can import this module (and :func:`layer_table`) before TensorFlow loads.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from playground.core import catalog
from playground.core.spec import Experiment, check, from_logits, target_mean_std
from playground.data.dataset import cross_features

if TYPE_CHECKING:
    import keras

    from playground.data import Dataset


@dataclass(frozen=True)
class LayerRow:
    """One row of a ``model.summary()``-like table, computed without Keras."""
    name: str
    kind: str  # "Normalization", "Dense", "Dropout"
    output_units: int
    parameters: int
    trainable: bool
    activation: str = ""


def hidden_name(i: int) -> str:
    return f"hidden_{i + 1}"


@dataclass(frozen=True)
class Architecture:
    """The network as its diagram shows it: the input columns, then each Dense layer's units and name."""
    inputs: tuple[str, ...]
    units: tuple[int, ...]
    names: tuple[str, ...]


def architecture(exp: Experiment, ds: "Dataset") -> Architecture:
    """The layers :func:`build_model` makes for ``exp`` on ``ds``, as the network diagram draws them
    (known before the model is built, and without Keras)."""
    layers = exp.model.layers
    return Architecture(tuple(ds.feature_names), tuple(layer.units for layer in layers) + (ds.output_units,),
                        tuple(hidden_name(i) for i in range(len(layers))) + ("output",))


TARGET_SCALING = "target_scaling"
"""The last layer of a regression model trained on standardized targets: a Rescaling that turns the
network's standardized output back into the targets' own units (see :func:`target_scaling`)."""


def target_scaling(exp: Experiment, ds: "Dataset") -> tuple[float, float] | None:
    """(mean, standard deviation) of the training targets where ``exp`` trains on them standardized
    (a regression with ``model.scale_targets``); None otherwise."""
    if ds.task != "regression" or not exp.model.scale_targets:
        return None
    return target_mean_std(ds.y_train)


def loss_weight(exp: Experiment, task: str, std: float) -> float:
    """The weight that makes the loss of outputs in the targets' units (after :data:`TARGET_SCALING`)
    the loss of the standardized ones: 1/std² for squared errors and Huber (whose delta is std), 1/std
    for absolute ones; so training, gradients and regularization are those of standardized targets."""
    return 1 / std if exp.loss_for(task) == "mean_absolute_error" else 1 / std ** 2


def layer_table(exp: Experiment, input_dim: int, output_units: int, task: str) -> list[LayerRow]:
    """The layers :func:`build_model` makes, with their parameter counts."""
    rows: list[LayerRow] = []
    if exp.model.normalize:
        rows.append(LayerRow("normalization", "Normalization", input_dim, 2 * input_dim + 1, False))
    width = input_dim
    for i, layer in enumerate(exp.model.layers):
        params = width * layer.units + (layer.units if layer.use_bias else 0)
        rows.append(LayerRow(hidden_name(i), "Dense", layer.units, params, True, layer.activation))
        if layer.dropout > 0:
            rows.append(LayerRow(f"dropout_{i + 1}", "Dropout", layer.units, 0, False))
        width = layer.units
    rows.append(LayerRow("output", "Dense", output_units, width * output_units + output_units, True,
                         exp.output_activation_for(task)))
    if task == "regression" and exp.model.scale_targets:
        rows.append(LayerRow(TARGET_SCALING, "Rescaling", output_units, 0, False))
    return rows


def trainable_parameters(exp: Experiment, dataset) -> int:
    """The trainable parameters of the model :func:`build_model` makes for ``dataset``."""
    rows = layer_table(exp, dataset.input_dim, dataset.output_units, dataset.task)
    return sum(r.parameters for r in rows if r.trainable)


def _initializer(name: str, seed: int):
    import keras

    if name == "zeros":
        return keras.initializers.Zeros()
    return keras.initializers.get({"class_name": name, "config": {"seed": seed}})


def _regularizer(l1: float, l2: float):
    import keras

    return keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None


def make_loss(exp: Experiment, task: str, scale: float = 1.0):
    """The Keras loss; ``scale`` is the targets' standard deviation where the model outputs them
    standardized and rescaled (Huber's delta of 1 in standardized units is ``scale`` in theirs)."""
    import keras

    loss_id = exp.loss_for(task)
    logits = from_logits(exp, task)
    return {
        "mean_squared_error": lambda: keras.losses.MeanSquaredError(),
        "mean_absolute_error": lambda: keras.losses.MeanAbsoluteError(),
        "huber": lambda: keras.losses.Huber(delta=scale),
        "binary_crossentropy": lambda: keras.losses.BinaryCrossentropy(from_logits=logits),
        "categorical_crossentropy": lambda: keras.losses.CategoricalCrossentropy(from_logits=logits),
        "sparse_categorical_crossentropy":
            lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=logits),
        "hinge": lambda: keras.losses.Hinge(),
        "kl_divergence": lambda: keras.losses.KLDivergence(),
    }[loss_id]()


def make_metric(exp: Experiment, task: str):
    import keras

    if task == "regression":
        return keras.metrics.MeanAbsoluteError(name="mae")
    if task == "binary":
        threshold = 0.0 if (from_logits(exp, task) or exp.loss_for(task) == "hinge") else 0.5
        return keras.metrics.BinaryAccuracy(name="accuracy", threshold=threshold)
    if catalog.LOSSES[exp.loss_for(task)].target == "onehot":
        return keras.metrics.CategoricalAccuracy(name="accuracy")
    return keras.metrics.SparseCategoricalAccuracy(name="accuracy")


def make_optimizer(exp: Experiment):
    import keras

    t = exp.training
    lr = t.learning_rate
    if t.schedule == "exponential":
        lr = keras.optimizers.schedules.ExponentialDecay(lr, t.decay_steps, t.decay_rate)
    elif t.schedule == "cosine":
        lr = keras.optimizers.schedules.CosineDecay(lr, t.decay_steps)
    opt = keras.optimizers
    return {
        "sgd": lambda: opt.SGD(lr, momentum=t.momentum, nesterov=t.nesterov),
        "adam": lambda: opt.Adam(lr),
        "adamw": lambda: opt.AdamW(lr, weight_decay=t.weight_decay),
        "rmsprop": lambda: opt.RMSprop(lr),
        "adagrad": lambda: opt.Adagrad(lr),
        "nadam": lambda: opt.Nadam(lr),
    }[t.optimizer]()


INPUT_NAME = "raw_columns"
"""The model's Input layer: the data set's own columns (x1, x2 for the 2-D sets), before any
preprocessing; a SavedModel's ``serve`` signature takes an argument of this name."""


def build_model(exp: Experiment, ds: "Dataset", seed_offset: int = 0) -> "keras.Model":
    """A compiled functional model for ``exp`` on ``ds``; weights drawn from the training seed.

    It takes the raw columns and does its own preprocessing: the feature crosses (``keras.ops``,
    so plain Keras loads the model with ``safe_mode=True`` and nothing else), then Normalization.
    A regression on scaled targets ends in a Rescaling layer (:data:`TARGET_SCALING`), so the model
    predicts in the targets' own units, while its loss is weighted to be that of the standardized
    targets (:func:`loss_weight`).
    ``seed_offset`` draws a different set of initial weights (Reset) for the same experiment.
    """
    import keras

    check(exp, ds.task, ds.output_units)
    seed = exp.training.seed * 1000 + seed_offset * 100_003
    inputs = keras.Input(shape=(ds.raw_dim,), name=INPUT_NAME)
    x = cross_features(inputs, ds.crosses, ops=keras.ops) if ds.crosses else inputs
    if exp.model.normalize:
        norm = keras.layers.Normalization(axis=-1, name="normalization")
        norm.adapt(ds.x_train)
        x = norm(x)
    for i, spec in enumerate(exp.model.layers):
        x = keras.layers.Dense(
            spec.units, activation=spec.activation, use_bias=spec.use_bias,
            kernel_initializer=_initializer(spec.kernel_initializer, seed + i),
            kernel_regularizer=_regularizer(spec.kernel_l1, spec.kernel_l2),
            bias_regularizer=_regularizer(spec.bias_l1, spec.bias_l2),
            name=hidden_name(i))(x)
        if spec.dropout > 0:
            x = keras.layers.Dropout(spec.dropout, seed=seed + 500 + i, name=f"dropout_{i + 1}")(x)
    outputs = keras.layers.Dense(
        ds.output_units, activation=exp.output_activation_for(ds.task),
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 999), name="output")(x)
    scaling = target_scaling(exp, ds)
    weight = None
    if scaling is not None:
        mean, std = scaling
        outputs = keras.layers.Rescaling(std, offset=mean, name=TARGET_SCALING)(outputs)
        weight = loss_weight(exp, ds.task, std)
    model = keras.Model(inputs, outputs, name=_model_name(exp.name))
    model.compile(optimizer=make_optimizer(exp), loss=make_loss(exp, ds.task, scaling[1] if scaling else 1.0),
                  loss_weights=weight, metrics=[make_metric(exp, ds.task)])
    return model


def _model_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name).strip("_")
    return cleaned or "playground"


def loss_targets(exp: Experiment, task: str, y: np.ndarray, num_classes: int) -> np.ndarray:
    """The data set's targets in the shape and encoding the chosen loss expects."""
    if task == "multiclass":
        if catalog.LOSSES[exp.loss_for(task)].target == "onehot":
            return np.eye(num_classes, dtype=np.float32)[y.astype(np.int64)]
        return y.astype(np.int32)
    return y.astype(np.float32).reshape(-1, 1)
