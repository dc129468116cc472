"""What a user can choose: activations, losses, optimizers, initializers, schedules.

One source for the UI (combo boxes, tooltips), the CLI (listings, validation
messages) and the docs. Each entry carries the Keras identifier, a display
name, the formula and a one-line explanation taken from the topic notes.
Beside each formula sits the same thing in NumPy: the activation's curve (the
UI draws it without touching TensorFlow), the loss, the optimizer's update
rule, the schedule, the initializer's spread. ``tests/core/test_core_catalog.py``
checks each against Keras, so a formula the app shows cannot drift from what
it trains with. Names and explanations are English here, marked for the
interface's translation with :func:`QT_TRANSLATE_NOOP`; formulas and Keras
identifiers read the same in every language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from playground.translatable import QT_TRANSLATE_NOOP

__all__ = ["QT_TRANSLATE_NOOP"]  # re-exported: the core marks its texts with it


@dataclass(frozen=True)
class Entry:
    id: str  # the Keras identifier
    name: str  # display name
    formula: str
    explanation: str


@dataclass(frozen=True)
class Activation(Entry):
    fn: Callable[[np.ndarray], np.ndarray] = np.asarray
    output_range: str = "(-∞, ∞)"
    low: float = -math.inf  # the numbers behind output_range (spec.problems checks regression targets)
    high: float = math.inf

    def tooltip(self) -> str:
        return f"{self.name}: {self.formula}\nRange {self.output_range}. {self.explanation}"


@dataclass(frozen=True)
class Loss(Entry):
    tasks: tuple[str, ...] = ()  # "binary", "multiclass", "regression"
    target: str = "index"  # "binary" 0/1, "index" class ids, "onehot", "value", "sign" (-1/+1)
    # The formula in NumPy: (targets as the app feeds them, outputs) -> the batch's loss.
    fn: Callable[[np.ndarray, np.ndarray], float] = field(kw_only=True)


@dataclass(frozen=True)
class Optimizer(Entry):
    default_learning_rate: float = 0.01
    # Keras' default hyperparameters, which the formula names and the rule uses.
    defaults: dict[str, float] = field(default_factory=dict, hash=False)
    rule: Callable[..., list[np.ndarray]] = field(kw_only=True)  # the formula in NumPy; see steps()

    def steps(self, w: np.ndarray, gradients: Sequence[np.ndarray], learning_rate: float,
              **settings: float) -> list[np.ndarray]:
        """The weights after each of ``gradients`` by the formula, with Keras' defaults unless ``settings``."""
        return self.rule(w, gradients, learning_rate, **{**self.defaults, **settings})


@dataclass(frozen=True)
class Schedule(Entry):
    # (step, learning rate, decay_steps, decay_rate) -> the learning rate at that step.
    fn: Callable[[np.ndarray, float, int, float], np.ndarray] = field(kw_only=True)


@dataclass(frozen=True)
class Initializer(Entry):
    # (fan_in, fan_out) -> the standard deviation of the weights the formula draws.
    std: Callable[[int, int], float] = field(kw_only=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softmax_1d(x):
    # Drawn for a 1-D sweep as the share of one unit against a fixed zero logit.
    return _sigmoid(x)


_erf = np.vectorize(math.erf, otypes=[float])  # NumPy has no erf; the curves are a few dozen points


def _gelu(x):
    # Keras' gelu is the exact one (approximate=False), not the tanh approximation.
    return 0.5 * x * (1.0 + _erf(np.asarray(x) / math.sqrt(2.0)))


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

ACTIVATIONS: dict[str, Activation] = {
    a.id: a
    for a in [
        Activation("linear", "Linear", "f(x) = x",
                   QT_TRANSLATE_NOOP("catalog", "No non-linearity: a stack of linear layers is still one linear map."),
                   lambda x: x),
        Activation("relu", "ReLU", "f(x) = max(0, x)",
                   QT_TRANSLATE_NOOP("catalog", "Cheap, with a steady gradient for x > 0; the most widely used hidden"
                                                " activation."),
                   lambda x: np.maximum(0.0, x), "[0, ∞)", low=0.0),
        Activation("leaky_relu", "Leaky ReLU", "f(x) = x if x > 0 else 0.2·x",
                   QT_TRANSLATE_NOOP("catalog", "Like ReLU but keeps a small slope for x < 0, so units never stop "
                                                "learning."),
                   lambda x: np.where(x > 0, x, 0.2 * x)),
        Activation("elu", "ELU", "f(x) = x if x > 0 else eˣ − 1",
                   QT_TRANSLATE_NOOP("catalog", "Smooth for x < 0 and saturates at −1, pushing mean activations "
                                                "toward zero."),
                   lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), "(-1, ∞)", low=-1.0),
        Activation("selu", "SELU", "f(x) = 1.0507·(x if x > 0 else 1.6733·(eˣ − 1))",
                   QT_TRANSLATE_NOOP("catalog", "Scaled ELU that keeps activations normalised in deep plain stacks "
                                                "(use lecun_normal)."),
                   lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0))), "(-1.76, ∞)",
                   low=-_SELU_SCALE * _SELU_ALPHA),
        Activation("gelu", "GELU", "f(x) = x·Φ(x) = ½x·(1 + erf(x/√2))",
                   QT_TRANSLATE_NOOP("catalog", "Weights the input by the chance a standard normal is below it; used "
                                                "in Transformers."),
                   _gelu, "[-0.17, ∞)", low=-0.16997),
        Activation("sigmoid", "Sigmoid", "f(x) = 1 / (1 + e⁻ˣ)",
                   QT_TRANSLATE_NOOP("catalog", "Squashes to (0, 1), read as a probability; gradients vanish for "
                                                "large |x|."),
                   _sigmoid, "(0, 1)", low=0.0, high=1.0),
        Activation("hard_sigmoid", "Hard sigmoid", "f(x) = clip(x/6 + 1/2, 0, 1)",
                   QT_TRANSLATE_NOOP("catalog", "A piecewise-linear, cheaper approximation of the sigmoid."),
                   lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0), "[0, 1]", low=0.0, high=1.0),
        Activation("tanh", "Tanh", "f(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = 2·sigmoid(2x) − 1",
                   QT_TRANSLATE_NOOP("catalog", "Squashes to (−1, 1) and is centred on zero; TensorFlow Playground's "
                                                "default."),
                   np.tanh, "(-1, 1)", low=-1.0, high=1.0),
        Activation("softmax", "Softmax", "σ(z)ⱼ = e^zⱼ / Σₖ e^zₖ",
                   QT_TRANSLATE_NOOP("catalog", "Turns K scores into K probabilities that sum to 1; for the output of"
                                                " a multi-class model."),
                   _softmax_1d, "(0, 1), sums to 1", low=0.0, high=1.0),
        Activation("softplus", "Softplus", "f(x) = ln(1 + eˣ)",
                   QT_TRANSLATE_NOOP("catalog", "A smooth ReLU: always positive, with gradient sigmoid(x)."),
                   lambda x: np.logaddexp(0.0, x), "(0, ∞)", low=0.0),
        Activation("silu", "Swish / SiLU", "f(x) = x · sigmoid(x)",
                   QT_TRANSLATE_NOOP("catalog", "Smooth and non-monotonic near zero; often a little better than ReLU "
                                                "in deep nets."),
                   lambda x: x * _sigmoid(x), "[-0.28, ∞)", low=-0.27846),
    ]
}
ACTIVATION_ALIASES = {"swish": "silu"}

def _huber(y, out, delta=1.0):
    e = np.abs(y - out)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta)))


def _hinge(y, out):
    sign = 2.0 * y - 1.0 if np.isin(y, (0, 1)).all() else y  # Keras maps 0/1 labels to -1/+1
    return np.mean(np.maximum(0.0, 1.0 - sign * out))


def _kl_divergence(y, out):
    terms = y * np.log(np.where(y > 0, y, 1.0) / out)  # 0·log 0 = 0
    return np.mean(np.sum(terms, axis=-1))


LOSSES: dict[str, Loss] = {
    l.id: l
    for l in [
        Loss("mean_squared_error", QT_TRANSLATE_NOOP("catalog", "Mean squared error (MSE)"),
             "loss = 1/N · Σ (y − out)²",
             QT_TRANSLATE_NOOP("catalog", "Squared distance between output and target; the usual loss for regression."),
             ("regression", "binary"), "value", fn=lambda y, out: np.mean((y - out) ** 2)),
        Loss("mean_absolute_error", QT_TRANSLATE_NOOP("catalog", "Mean absolute error (MAE)"),
             "loss = 1/N · Σ |y − out|",
             QT_TRANSLATE_NOOP("catalog", "Absolute distance: less swayed by outliers than MSE."),
             ("regression", "binary"), "value", fn=lambda y, out: np.mean(np.abs(y - out))),
        Loss("huber", QT_TRANSLATE_NOOP("catalog", "Huber"),
             "loss = 1/N · Σ (½e² if |e| ≤ δ else δ·(|e| − ½δ)), e = y − out, δ = 1",
             QT_TRANSLATE_NOOP("catalog", "MSE near the target, MAE far from it: robust to outliers yet smooth."),
             ("regression", "binary"), "value", fn=_huber),
        Loss("binary_crossentropy", QT_TRANSLATE_NOOP("catalog", "Binary cross-entropy"),
             "loss = 1/N · Σ −(y·log p + (1 − y)·log(1 − p))",
             QT_TRANSLATE_NOOP("catalog", "Cross-entropy for one probability; with a linear output the logits are "
                                          "used (from_logits=True)."),
             ("binary",), "binary", fn=lambda y, p: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
        Loss("categorical_crossentropy", QT_TRANSLATE_NOOP("catalog", "Categorical cross-entropy"),
             "loss = 1/N · Σ H(y, p), H(y, p) = −Σⱼ yⱼ·log pⱼ",
             QT_TRANSLATE_NOOP("catalog", "Cross-entropy against one-hot targets; the output, scaled to sum to 1, is "
                                          "the distribution p."),
             ("multiclass",), "onehot",
             fn=lambda y, p: -np.mean(np.sum(y * np.log(p / np.sum(p, axis=-1, keepdims=True)), axis=-1))),
        Loss("sparse_categorical_crossentropy", QT_TRANSLATE_NOOP("catalog", "Sparse categorical cross-entropy"),
             "loss = 1/N · Σ −log p_y, p_y the probability given to the true class y",
             QT_TRANSLATE_NOOP("catalog", "The same cross-entropy, taking the class index instead of a one-hot "
                                          "vector."),
             ("multiclass",), "index",
             fn=lambda y, p: -np.mean(np.log(np.take_along_axis(p, np.reshape(y, (-1, 1)).astype(int), -1)))),
        Loss("hinge", QT_TRANSLATE_NOOP("catalog", "Hinge"),
             "loss = 1/N · Σ max(0, 1 − y·out), y ∈ {−1, +1} (0/1 labels become −1/+1)",
             QT_TRANSLATE_NOOP("catalog", "The SVM margin loss: zero once a point is on the right side with margin 1."),
             ("binary",), "sign", fn=_hinge),
        Loss("kl_divergence", QT_TRANSLATE_NOOP("catalog", "KL divergence"),
             "loss = 1/N · Σ D_KL(y‖p), D_KL(y‖p) = Σⱼ yⱼ·log(yⱼ/pⱼ)",
             QT_TRANSLATE_NOOP("catalog", "How far the predicted distribution p is from the target y; equals "
                                          "cross-entropy minus H(y)."),
             ("multiclass",), "onehot", fn=_kl_divergence),
    ]
}

def _sgd(w, gradients, lr, momentum=0.0, nesterov=False):
    w, v, out = np.array(w, dtype=float), 0.0, []
    for g in gradients:
        v = momentum * v - lr * g
        w = w + (momentum * v - lr * g if nesterov else v)
        out.append(w)
    return out


def _adam(w, gradients, lr, beta_1, beta_2, epsilon, weight_decay=0.0):
    w, m, v, out = np.array(w, dtype=float), 0.0, 0.0, []
    for t, g in enumerate(gradients, start=1):
        w = w - lr * weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        w = w - lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
        out.append(w)
    return out


def _rmsprop(w, gradients, lr, rho, epsilon):
    w, v, out = np.array(w, dtype=float), 0.0, []
    for g in gradients:
        v = rho * v + (1 - rho) * g**2
        w = w - lr * g / np.sqrt(v + epsilon)
        out.append(w)
    return out


def _adagrad(w, gradients, lr, initial_accumulator_value, epsilon):
    w, acc, out = np.array(w, dtype=float), initial_accumulator_value, []
    for g in gradients:
        acc = acc + g**2
        w = w - lr * g / np.sqrt(acc + epsilon)
        out.append(w)
    return out


def _nadam(w, gradients, lr, beta_1, beta_2, epsilon):
    w, m, v, product, out = np.array(w, dtype=float), 0.0, 0.0, 1.0, []

    def u(t):  # the momentum schedule
        return beta_1 * (1 - 0.5 * 0.96**t)

    for t, g in enumerate(gradients, start=1):
        product *= u(t)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat = u(t + 1) * m / (1 - product * u(t + 1)) + (1 - u(t)) * g / (1 - product)
        w = w - lr * m_hat / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
        out.append(w)
    return out


_SYMBOLS = {"beta_1": "β₁", "beta_2": "β₂", "epsilon": "ε", "rho": "ρ", "initial_accumulator_value": "G₀",
            "weight_decay": "λ"}


def _number(value: float) -> str:
    """``1e-07`` as ``10⁻⁷``; other numbers as ``%g``."""
    if 0 < value < 1e-3 and math.log10(value).is_integer():
        return "10" + str(int(math.log10(value))).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{value:g}"


def _optimizer(id_: str, name: str, rule_text: str, explanation: str, learning_rate: float,
               rule: Callable[..., list[np.ndarray]], **defaults: float) -> Optimizer:
    """An optimizer whose formula ends with the Keras defaults its rule uses, so the two agree."""
    where = ", ".join(f"{_SYMBOLS[k]} = {_number(v)}" for k, v in defaults.items())
    formula = f"{rule_text}; {where}" if where else rule_text
    return Optimizer(id_, name, formula, explanation, learning_rate, defaults, rule=rule)


OPTIMIZERS: dict[str, Optimizer] = {
    o.id: o
    for o in [
        _optimizer("sgd", "SGD",
                   "w ← w − η·g; with momentum μ: v ← μv − η·g, w ← w + v "
                   "(Nesterov: w ← w + μv − η·g)",
                   QT_TRANSLATE_NOOP("catalog", "Plain gradient descent; momentum and Nesterov smooth and speed it "
                                                "up."),
                   0.03, _sgd),
        _optimizer("adam", "Adam",
                   "m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², "
                   "w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε)",
                   QT_TRANSLATE_NOOP("catalog", "Adaptive per-weight steps from running means of the gradient and its"
                                                " square."),
                   0.01, _adam, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
        _optimizer("adamw", "AdamW", "w ← w − η·λ·w (decoupled weight decay), then the Adam step",
                   QT_TRANSLATE_NOOP("catalog", "Adam with weight decay applied directly to the weights, not through "
                                                "the gradient."),
                   0.01, _adam, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
        _optimizer("rmsprop", "RMSprop", "v ← ρv + (1−ρ)g², w ← w − η·g/√(v + ε), v starting at 0",
                   QT_TRANSLATE_NOOP("catalog", "Divides each step by a running RMS of recent gradients."),
                   0.001, _rmsprop, rho=0.9, epsilon=1e-7),
        _optimizer("adagrad", "Adagrad", "G ← G + g², w ← w − η·g/√(G + ε), G starting at G₀",
                   QT_TRANSLATE_NOOP("catalog", "Steps shrink for weights that have had large gradients; good for "
                                                "sparse features."),
                   0.03, _adagrad, initial_accumulator_value=0.1, epsilon=1e-7),
        _optimizer("nadam", "Nadam",
                   "uₜ = β₁(1 − ½·0.96ᵗ), m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², "
                   "m̂ = uₜ₊₁·m/(1 − u₁⋯uₜ₊₁) + (1−uₜ)·g/(1 − u₁⋯uₜ), w ← w − η·m̂/(√(v/(1−β₂ᵗ)) + ε)",
                   QT_TRANSLATE_NOOP("catalog", "Adam whose momentum looks one step ahead, as Nesterov's does."),
                   0.01, _nadam, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    ]
}

INITIALIZERS: dict[str, Initializer] = {
    i.id: i
    for i in [
        Initializer("glorot_uniform", QT_TRANSLATE_NOOP("catalog", "Glorot uniform"),
                    "U(−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out)))",
                    QT_TRANSLATE_NOOP("catalog", "Keras' default: keeps the signal's variance steady for tanh and "
                                                 "sigmoid layers."),
                    std=lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out))),
        Initializer("glorot_normal", QT_TRANSLATE_NOOP("catalog", "Glorot normal"),
                    "N(0, 2/(fan_in+fan_out)), truncated",
                    QT_TRANSLATE_NOOP("catalog", "The normal-distribution variant of Glorot."),
                    std=lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out))),
        Initializer("he_normal", QT_TRANSLATE_NOOP("catalog", "He normal"), "N(0, 2/fan_in), truncated",
                    QT_TRANSLATE_NOOP("catalog", "Scaled for ReLU layers, which zero half of their inputs."),
                    std=lambda fan_in, fan_out: math.sqrt(2 / fan_in)),
        Initializer("he_uniform", QT_TRANSLATE_NOOP("catalog", "He uniform"), "U(−√(6/fan_in), +√(6/fan_in))",
                    QT_TRANSLATE_NOOP("catalog", "The uniform variant of He."),
                    std=lambda fan_in, fan_out: math.sqrt(2 / fan_in)),
        Initializer("lecun_normal", QT_TRANSLATE_NOOP("catalog", "LeCun normal"), "N(0, 1/fan_in), truncated",
                    QT_TRANSLATE_NOOP("catalog", "The initializer SELU expects."),
                    std=lambda fan_in, fan_out: math.sqrt(1 / fan_in)),
        Initializer("lecun_uniform", QT_TRANSLATE_NOOP("catalog", "LeCun uniform"), "U(−√(3/fan_in), +√(3/fan_in))",
                    QT_TRANSLATE_NOOP("catalog", "The uniform variant of LeCun."),
                    std=lambda fan_in, fan_out: math.sqrt(1 / fan_in)),
        Initializer("random_normal", QT_TRANSLATE_NOOP("catalog", "Random normal"), "N(0, 0.05²)",
                    QT_TRANSLATE_NOOP("catalog", "Small normal noise, independent of layer size."),
                    std=lambda fan_in, fan_out: 0.05),
        Initializer("random_uniform", QT_TRANSLATE_NOOP("catalog", "Random uniform"), "U(−0.05, 0.05)",
                    QT_TRANSLATE_NOOP("catalog", "Small uniform noise, independent of layer size."),
                    std=lambda fan_in, fan_out: 0.05 / math.sqrt(3)),
        Initializer("orthogonal", QT_TRANSLATE_NOOP("catalog", "Orthogonal"),
                    "W = Q from a QR decomposition of a normal matrix",
                    QT_TRANSLATE_NOOP("catalog", "An orthogonal matrix: preserves norms through the layer."),
                    std=lambda fan_in, fan_out: 1 / math.sqrt(max(fan_in, fan_out))),
        Initializer("zeros", QT_TRANSLATE_NOOP("catalog", "Zeros"), "W = 0",
                    QT_TRANSLATE_NOOP("catalog", "All weights zero: every unit stays identical, so the layer cannot "
                                                 "learn distinct features."),
                    std=lambda fan_in, fan_out: 0.0),
    ]
}

SCHEDULES: dict[str, Schedule] = {
    s.id: s
    for s in [
        Schedule("constant", QT_TRANSLATE_NOOP("catalog", "Constant"), "η",
                 QT_TRANSLATE_NOOP("catalog", "The same learning rate throughout."),
                 fn=lambda step, lr, decay_steps, decay_rate: np.full(np.shape(step), lr, dtype=float)),
        Schedule("exponential", QT_TRANSLATE_NOOP("catalog", "Exponential decay"), "η · rate^(step / decay_steps)",
                 QT_TRANSLATE_NOOP("catalog", "Shrinks the learning rate by a factor every decay_steps optimizer "
                                              "steps."),
                 fn=lambda step, lr, decay_steps, decay_rate: lr * decay_rate ** (np.asarray(step) / decay_steps)),
        Schedule("cosine", QT_TRANSLATE_NOOP("catalog", "Cosine decay"),
                 "η · ½(1 + cos(π · min(step, decay_steps) / decay_steps))",
                 QT_TRANSLATE_NOOP("catalog", "Lowers the learning rate along a half cosine to zero over decay_steps "
                                              "steps."),
                 fn=lambda step, lr, decay_steps, decay_rate:
                 lr * 0.5 * (1 + np.cos(np.pi * np.minimum(step, decay_steps) / decay_steps))),
    ]
}

DEVICES = ("auto", "cpu", "gpu")

TASK_NAMES = {"binary": QT_TRANSLATE_NOOP("catalog", "binary classification"),
              "multiclass": QT_TRANSLATE_NOOP("catalog", "multi-class classification"),
              "regression": QT_TRANSLATE_NOOP("catalog", "regression")}


def default_output_activation(task: str) -> str:
    return {"binary": "sigmoid", "multiclass": "softmax"}.get(task, "linear")


def default_loss(task: str) -> str:
    return {"binary": "binary_crossentropy", "multiclass": "sparse_categorical_crossentropy"}.get(
        task, "mean_squared_error")


def activation(id_: str) -> Activation:
    return ACTIVATIONS[ACTIVATION_ALIASES.get(id_, id_)]
