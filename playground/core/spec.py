"""The experiment: one versioned JSON description of data, model and training.

``Experiment`` is a pydantic model. Loading goes through :func:`from_dict`,
which migrates older versions and turns every validation problem into one
sentence naming the field's path and the allowed values. Compatibility
between choices (loss against task, output activation against loss) needs the
data set's task and is checked by :func:`problems`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from playground.core import catalog
from playground.errors import PlaygroundError
from playground.files import write_text_atomic

FORMAT = "playground.experiment"
VERSION = 1

_STRICT = ConfigDict(extra="forbid", validate_assignment=True)


def _choice(value: str, table: dict, what: str, aliases: dict | None = None) -> str:
    value = (aliases or {}).get(value, value)
    if value not in table:
        allowed = ", ".join(table)
        raise ValueError(f"unknown {what} '{value}'; choose one of {allowed}")
    return value


class DatasetSpec(BaseModel):
    model_config = _STRICT
    name: str = "xor"
    samples: int | None = Field(None, ge=10, le=1_000_000)
    noise: float = Field(0.0, ge=0, le=50, description="percent, as in TensorFlow Playground")
    test_fraction: float = Field(0.5, ge=0.1, le=0.9)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    features: list[str] = Field(default_factory=lambda: ["x1", "x2"])
    path: str | None = None  # the CSV file, for name "csv"
    target: str | None = None  # the CSV target column
    # What the CSV target is; "auto": text or a few whole numbers are classes, other numbers regression.
    task: Literal["auto", "classification", "regression"] = "auto"

    @field_validator("path")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None and "\0" in value:
            raise ValueError("a file name cannot hold a NUL character")
        return value

    @field_validator("features")
    @classmethod
    def _features(cls, value: list[str]) -> list[str]:
        from playground.data import FEATURES

        if not value:
            raise ValueError("choose at least one input feature")
        for f in value:
            if f not in FEATURES:
                raise ValueError(f"unknown feature '{f}'; choose from {', '.join(FEATURES)}")
        if len(set(value)) != len(value):
            raise ValueError("a feature is listed twice")
        return value


class LayerSpec(BaseModel):
    model_config = _STRICT
    units: int = Field(8, ge=1, le=8192)
    activation: str = "tanh"
    use_bias: bool = True
    kernel_initializer: str = "glorot_uniform"
    kernel_l1: float = Field(0.0, ge=0, le=10)
    kernel_l2: float = Field(0.0, ge=0, le=10)
    bias_l1: float = Field(0.0, ge=0, le=10)
    bias_l2: float = Field(0.0, ge=0, le=10)
    dropout: float = Field(0.0, ge=0, lt=1)

    @field_validator("activation")
    @classmethod
    def _activation(cls, v: str) -> str:
        return _choice(v, catalog.ACTIVATIONS, "activation", catalog.ACTIVATION_ALIASES)

    @field_validator("kernel_initializer")
    @classmethod
    def _initializer(cls, v: str) -> str:
        return _choice(v, catalog.INITIALIZERS, "initializer")


class ModelSpec(BaseModel):
    model_config = _STRICT
    normalize: bool = False
    # Regression only: train on the targets standardized with the training split's mean and standard
    # deviation; the model's last layer (target_scaling) gives them back in their own units. On by
    # default (files written before it existed get it too): raw targets of hundreds train flat.
    scale_targets: bool = True
    layers: list[LayerSpec] = Field(default_factory=lambda: [LayerSpec(), LayerSpec()], max_length=64)
    output_activation: str = "auto"

    @field_validator("output_activation")
    @classmethod
    def _output(cls, v: str) -> str:
        if v == "auto":
            return v
        return _choice(v, catalog.ACTIVATIONS, "output activation", catalog.ACTIVATION_ALIASES)


class TrainingSpec(BaseModel):
    model_config = _STRICT
    loss: str = "auto"
    optimizer: str = "adam"
    learning_rate: float = Field(0.01, gt=0, le=10)
    momentum: float = Field(0.0, ge=0, lt=1, description="SGD only")
    nesterov: bool = False
    weight_decay: float = Field(0.004, ge=0, le=1, description="AdamW only")
    schedule: Literal["constant", "exponential", "cosine"] = "constant"
    decay_steps: int = Field(1000, ge=1, le=10_000_000)
    decay_rate: float = Field(0.9, gt=0, le=1)
    batch_size: int = Field(10, ge=1, le=65536)
    epochs: int = Field(100, ge=1, le=1_000_000)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    device: Literal["auto", "cpu", "gpu"] = "auto"

    @field_validator("loss")
    @classmethod
    def _loss(cls, v: str) -> str:
        aliases = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
                   "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence"}
        return v if v == "auto" else _choice(v, catalog.LOSSES, "loss", aliases)

    @field_validator("optimizer")
    @classmethod
    def _optimizer(cls, v: str) -> str:
        return _choice(v.lower(), catalog.OPTIMIZERS, "optimizer")


class Experiment(BaseModel):
    model_config = _STRICT
    name: str = "Untitled"
    dataset: DatasetSpec = Field(default_factory=DatasetSpec)
    model: ModelSpec = Field(default_factory=ModelSpec)
    training: TrainingSpec = Field(default_factory=TrainingSpec)

    # -- resolved choices (need the task) ------------------------------------------------
    def output_activation_for(self, task: str) -> str:
        a = self.model.output_activation
        return catalog.default_output_activation(task) if a == "auto" else a

    def loss_for(self, task: str) -> str:
        loss = self.training.loss
        return catalog.default_loss(task) if loss == "auto" else loss

    # -- files -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, **self.model_dump(mode="json")}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def save(self, path: str | Path) -> None:
        write_text_atomic(path, self.to_json())


# -- loading ------------------------------------------------------------------------------

# version -> function taking a document of that version and returning the next version's.
MIGRATIONS: dict[int, Any] = {}


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring an experiment document of any known version up to :data:`VERSION`."""
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PlaygroundError(f"The experiment file has no valid \"version\" (got {_shown(version)}); "
                              f"expected a whole number such as {VERSION}.")
    if version > VERSION:
        raise PlaygroundError(f"The experiment file is version {version}, newer than this Playground "
                              f"understands (up to {VERSION}); update Playground to open it.")
    doc = dict(doc)
    while doc["version"] < VERSION:
        doc = MIGRATIONS[doc["version"]](doc)
    return doc


_SHOWN = 60  # characters of a wrong value quoted in a message


def _shown(value: Any) -> str:
    """A wrong value quoted in a message: its repr, cut short (a 10**400 or a 1 MB string)."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…"


def _sentence(err: dict[str, Any]) -> str:
    path = ".".join(str(p) for p in err["loc"]) or "(document)"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err["type"] == "extra_forbidden":
        return f"{path}: this field is not part of an experiment (misspelled?)."
    got = err.get("input")
    tail = "" if isinstance(got, (dict, list)) or got is None else f" (got {_shown(got)})"
    return f"{path}: {msg[0].lower() + msg[1:]}{tail}."


def from_dict(doc: Any) -> Experiment:
    if not isinstance(doc, dict):
        raise PlaygroundError("An experiment file must hold a JSON object at the top level.")
    if doc.get("format") != FORMAT:
        raise PlaygroundError(f"This is not a Playground experiment: \"format\" should be "
                              f"\"{FORMAT}\" (got {_shown(doc.get('format'))}).")
    doc = migrate(doc)
    body = {k: v for k, v in doc.items() if k not in ("format", "version")}
    try:
        return Experiment.model_validate(body)
    except ValidationError as exc:
        raise PlaygroundError(" ".join(_sentence(e) for e in exc.errors())) from None


def from_json(text: str, source: str = "The experiment") -> Experiment:
    try:  # a byte-order mark (Windows Notepad writes one) is not part of the document
        doc = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise PlaygroundError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                              f"column {exc.colno}.") from None
    except RecursionError:  # json's decoder recurses once per nested bracket
        raise PlaygroundError(f"{source} holds JSON nested too deeply to be an experiment.") from None
    return from_dict(doc)


def load(path: str | Path) -> Experiment:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlaygroundError(f"There is no experiment file {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaygroundError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from None
    return from_json(text, source=str(path))


# -- compatibility --------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    path: str  # the field at fault, e.g. "training.loss"
    message: str  # what is wrong, one sentence
    fix: str  # what to do, one sentence
    # "error": the experiment cannot be trained; "warning": it trains, but probably not as meant.
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message} {self.fix}"


_PROBABILITY_OUT = {"sigmoid", "hard_sigmoid", "linear"}
MAX_HIDDEN_WEIGHTS = 100_000_000
"""Weights between hidden layers a model may have: 400 MB, and Adam keeps two more copies. Each
layer's units are bounded, but 64 layers of 8192 would ask for 4.3 billion and exhaust the memory
before a sentence could be said."""


def target_mean_std(targets: np.ndarray) -> tuple[float, float]:
    """The mean and standard deviation regression targets are standardized with (those of the
    training split); a constant target's deviation counts as 1."""
    targets = np.asarray(targets, np.float64)
    std = float(targets.std())
    return float(targets.mean()), std if std > 0 else 1.0


def standardize(targets: np.ndarray, mean: float, std: float) -> np.ndarray:
    return (np.asarray(targets, np.float64) - mean) / std


def _unreachable_targets(act_id: str, targets: np.ndarray, scaled: bool = False) -> Problem | None:
    """A warning when regression targets (``scaled``: standardized, as the output layer learns
    them) lie outside what the output activation can give."""
    act = catalog.ACTIVATIONS[act_id]
    low, high = float(np.min(targets)), float(np.max(targets))
    if act.low <= low and high <= act.high:
        return None
    what = "The targets, standardized for training," if scaled else "The targets"
    return Problem("model.output_activation",
                   f"{what} run from {low:.3g} to {high:.3g}, but a {act.name} output stays within "
                   f"{act.output_range}, so part of them can never be reached.",
                   "Use linear, the usual output for regression.", severity="warning")


def problems(exp: Experiment, task: str, output_units: int, targets: np.ndarray | None = None) -> list[Problem]:
    """Incompatible choices for a data set of ``task`` with ``output_units`` outputs.

    ``targets`` (the training targets) lets a regression output be checked against their range.
    """
    out: list[Problem] = []
    units = [layer.units for layer in exp.model.layers]
    hidden_weights = sum(a * b for a, b in zip(units, units[1:]))
    if hidden_weights > MAX_HIDDEN_WEIGHTS:
        out.append(Problem("model.layers", f"The hidden layers have {hidden_weights:,} weights between them, "
                           f"more than the {MAX_HIDDEN_WEIGHTS:,} a model may have.",
                           "Use fewer or smaller layers."))
    act = exp.output_activation_for(task)
    loss_id = exp.loss_for(task)
    loss = catalog.LOSSES[loss_id]
    task_name = catalog.TASK_NAMES.get(task, task)
    if act == "softmax" and output_units == 1:
        out.append(Problem("model.output_activation",
                           "Softmax over a single output unit always outputs 1, so nothing can be learned.",
                           "Use sigmoid for binary classification or linear for regression."))
    if task not in loss.tasks:
        suggestion = catalog.LOSSES[catalog.default_loss(task)].name
        out.append(Problem("training.loss", f"{loss.name} does not fit {task_name}.",
                           f"Use {suggestion}."))
    elif loss_id == "binary_crossentropy" and act not in _PROBABILITY_OUT:
        out.append(Problem("model.output_activation",
                           f"Binary cross-entropy needs a probability in (0, 1), but {act} outputs "
                           f"{catalog.ACTIVATIONS[act].output_range}.",
                           "Use sigmoid, or linear to train on logits."))
    elif loss_id in ("categorical_crossentropy", "sparse_categorical_crossentropy") and act not in (
            "softmax", "linear"):
        out.append(Problem("model.output_activation",
                           f"{loss.name} needs a probability distribution over the classes, which {act} "
                           "does not give.", "Use softmax, or linear to train on logits."))
    elif loss_id == "kl_divergence" and act != "softmax":
        out.append(Problem("model.output_activation",
                           "KL divergence compares two probability distributions, so the output must be one.",
                           "Use softmax."))
    elif loss_id == "hinge" and act not in ("linear", "tanh"):
        out.append(Problem("model.output_activation",
                           f"Hinge loss expects a score around −1…+1, but {act} outputs "
                           f"{catalog.ACTIVATIONS[act].output_range}.", "Use linear or tanh."))
    # (a softmax output on one unit is already an error above)
    if task == "regression" and targets is not None and len(targets) and act != "softmax":
        if exp.model.scale_targets:  # what the output layer is trained toward
            targets = standardize(targets, *target_mean_std(targets))
        unreachable = _unreachable_targets(act, targets, exp.model.scale_targets)
        if unreachable:
            out.append(unreachable)
    if exp.training.optimizer != "sgd" and (exp.training.momentum or exp.training.nesterov):
        out.append(Problem("training.momentum", "Momentum and Nesterov only apply to SGD.",
                           "Set momentum to 0 or choose SGD."))
    if exp.training.nesterov and exp.training.momentum == 0:
        out.append(Problem("training.nesterov", "Nesterov needs a momentum above 0.", "Set a momentum, e.g. 0.9."))
    return out


def no_better_than_mean(exp: Experiment, task: str, y_train: np.ndarray, y_test: np.ndarray,
                        test_mae: np.ndarray) -> Problem | None:
    """After a regression trained (``test_mae``: its test MAE per epoch, in the targets' units), a
    warning where the model predicts the test targets no better than their training mean would."""
    if task != "regression" or not len(test_mae) or not np.isfinite(test_mae[-1]) or not len(y_test):
        return None
    baseline = float(np.mean(np.abs(np.asarray(y_test, np.float64) - np.mean(np.asarray(y_train, np.float64)))))
    final = float(test_mae[-1])
    if final < baseline:
        return None
    fix = ("Train longer or with a larger learning rate." if exp.model.scale_targets else
           "Turn on Scale targets in the Model panel (targets far from 0 train flat), or train longer.")
    return Problem("training", f"After {len(test_mae)} epochs the test MAE is {final:.4g}: no better than always "
                   f"predicting the training targets' mean ({baseline:.4g}).", fix, severity="warning")


def check(exp: Experiment, task: str, output_units: int, targets: np.ndarray | None = None) -> None:
    """Raise :class:`PlaygroundError` with every error, one sentence each (warnings do not stop training)."""
    found = [p for p in problems(exp, task, output_units, targets) if p.severity == "error"]
    if found:
        raise PlaygroundError(" ".join(str(p) for p in found))


def from_logits(exp: Experiment, task: str) -> bool:
    """A linear output with a cross-entropy loss trains on logits (seed 000)."""
    return exp.output_activation_for(task) == "linear" and exp.loss_for(task) in (
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
