"""What a user can choose: activations, losses, optimizers, initializers, schedules.

One source for the UI (combo boxes, tooltips), the CLI (listings, validation
messages) and the docs. Each entry carries the Keras identifier, a display
name, the formula and a one-line explanation taken from the topic notes.
Activations also carry a NumPy version of the function so the UI can draw a
small curve without touching TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


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

    def tooltip(self) -> str:
        return f"{self.name}: {self.formula}\nRange {self.output_range}. {self.explanation}"


@dataclass(frozen=True)
class Loss(Entry):
    tasks: tuple[str, ...] = ()  # "binary", "multiclass", "regression"
    target: str = "index"  # "binary" 0/1, "index" class ids, "onehot", "value", "sign" (-1/+1)


@dataclass(frozen=True)
class Optimizer(Entry):
    default_learning_rate: float = 0.01


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softmax_1d(x):
    # Drawn for a 1-D sweep as the share of one unit against a fixed zero logit.
    return _sigmoid(x)


def _gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

ACTIVATIONS: dict[str, Activation] = {
    a.id: a
    for a in [
        Activation("linear", "Linear", "f(x) = x",
                   "No non-linearity: a stack of linear layers is still one linear map.", lambda x: x),
        Activation("relu", "ReLU", "f(x) = max(0, x)",
                   "Cheap, with a steady gradient for x > 0; the most widely used hidden activation.",
                   lambda x: np.maximum(0.0, x), "[0, ∞)"),
        Activation("leaky_relu", "Leaky ReLU", "f(x) = x if x > 0 else 0.2·x",
                   "Like ReLU but keeps a small slope for x < 0, so units never stop learning.",
                   lambda x: np.where(x > 0, x, 0.2 * x)),
        Activation("elu", "ELU", "f(x) = x if x > 0 else eˣ − 1",
                   "Smooth for x < 0 and saturates at −1, pushing mean activations toward zero.",
                   lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), "(-1, ∞)"),
        Activation("selu", "SELU", "f(x) = 1.0507·(x if x > 0 else 1.6733·(eˣ − 1))",
                   "Scaled ELU that keeps activations normalised in deep plain stacks (use lecun_normal).",
                   lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0))),
                   "(-1.76, ∞)"),
        Activation("gelu", "GELU", "f(x) = x·Φ(x)",
                   "Weights the input by the chance a standard normal is below it; used in Transformers.",
                   _gelu, "(-0.17, ∞)"),
        Activation("sigmoid", "Sigmoid", "f(x) = 1 / (1 + e⁻ˣ)",
                   "Squashes to (0, 1), read as a probability; gradients vanish for large |x|.",
                   _sigmoid, "(0, 1)"),
        Activation("hard_sigmoid", "Hard sigmoid", "f(x) = clip(x/6 + 1/2, 0, 1)",
                   "A piecewise-linear, cheaper approximation of the sigmoid.",
                   lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0), "[0, 1]"),
        Activation("tanh", "Tanh", "f(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = 2·sigmoid(2x) − 1",
                   "Squashes to (−1, 1) and is centred on zero; TensorFlow Playground's default.",
                   np.tanh, "(-1, 1)"),
        Activation("softmax", "Softmax", "σ(z)ⱼ = e^zⱼ / Σₖ e^zₖ",
                   "Turns K scores into K probabilities that sum to 1; for the output of a multi-class model.",
                   _softmax_1d, "(0, 1), sums to 1"),
        Activation("softplus", "Softplus", "f(x) = ln(1 + eˣ)",
                   "A smooth ReLU: always positive, with gradient sigmoid(x).",
                   lambda x: np.logaddexp(0.0, x), "(0, ∞)"),
        Activation("silu", "Swish / SiLU", "f(x) = x · sigmoid(x)",
                   "Smooth and non-monotonic near zero; often a little better than ReLU in deep nets.",
                   lambda x: x * _sigmoid(x), "(-0.28, ∞)"),
    ]
}
ACTIVATION_ALIASES = {"swish": "silu"}

LOSSES: dict[str, Loss] = {
    l.id: l
    for l in [
        Loss("mean_squared_error", "Mean squared error (MSE)", "loss = 1/N · Σ (y − out)²",
             "Squared distance between output and target; the usual loss for regression.",
             ("regression", "binary"), "value"),
        Loss("mean_absolute_error", "Mean absolute error (MAE)", "loss = 1/N · Σ |y − out|",
             "Absolute distance: less swayed by outliers than MSE.", ("regression", "binary"), "value"),
        Loss("huber", "Huber", "loss = ½e² if |e| ≤ δ else δ(|e| − ½δ), δ = 1",
             "MSE near the target, MAE far from it: robust to outliers yet smooth.",
             ("regression", "binary"), "value"),
        Loss("binary_crossentropy", "Binary cross-entropy",
             "H(y, p) = −(y·log p + (1 − y)·log(1 − p))",
             "Cross-entropy for one probability; with a linear output the logits are used (from_logits=True).",
             ("binary",), "binary"),
        Loss("categorical_crossentropy", "Categorical cross-entropy", "H(p, q) = −Σ p(x)·log q(x)",
             "Cross-entropy against one-hot targets; the softmax output is read as q.",
             ("multiclass",), "onehot"),
        Loss("sparse_categorical_crossentropy", "Sparse categorical cross-entropy", "H = −log qᵢ for true class i",
             "The same cross-entropy, taking the class index instead of a one-hot vector.",
             ("multiclass",), "index"),
        Loss("hinge", "Hinge", "loss = Σ max(0, 1 − y·h(x)), y ∈ {−1, +1}",
             "The SVM margin loss: zero once a point is on the right side with margin 1.",
             ("binary",), "sign"),
        Loss("kl_divergence", "KL divergence", "D_KL(p‖q) = Σ p(i)·log(p(i)/q(i))",
             "How far the predicted distribution q is from the target p; equals cross-entropy minus H(p).",
             ("multiclass",), "onehot"),
    ]
}

OPTIMIZERS: dict[str, Optimizer] = {
    o.id: o
    for o in [
        Optimizer("sgd", "SGD", "w ← w − η·∇L (with momentum: v ← μv − η∇L, w ← w + v)",
                  "Plain gradient descent; momentum and Nesterov smooth and speed it up.", 0.03),
        Optimizer("adam", "Adam", "m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·m̂/(√v̂ + ε)",
                  "Adaptive per-weight steps from running means of the gradient and its square.", 0.01),
        Optimizer("adamw", "AdamW", "Adam, plus w ← w − η·λ·w (decoupled weight decay)",
                  "Adam with weight decay applied directly to the weights, not through the gradient.", 0.01),
        Optimizer("rmsprop", "RMSprop", "v ← ρv + (1−ρ)g², w ← w − η·g/(√v + ε)",
                  "Divides each step by a running RMS of recent gradients.", 0.001),
        Optimizer("adagrad", "Adagrad", "G ← G + g², w ← w − η·g/(√G + ε)",
                  "Steps shrink for weights that have had large gradients; good for sparse features.", 0.03),
        Optimizer("nadam", "Nadam", "Adam with a Nesterov look-ahead on the momentum",
                  "Adam whose momentum looks one step ahead, as Nesterov's does.", 0.01),
    ]
}

INITIALIZERS: dict[str, Entry] = {
    i.id: i
    for i in [
        Entry("glorot_uniform", "Glorot uniform", "U(−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out)))",
              "Keras' default: keeps the signal's variance steady for tanh and sigmoid layers."),
        Entry("glorot_normal", "Glorot normal", "N(0, 2/(fan_in+fan_out)), truncated",
              "The normal-distribution variant of Glorot."),
        Entry("he_normal", "He normal", "N(0, 2/fan_in), truncated",
              "Scaled for ReLU layers, which zero half of their inputs."),
        Entry("he_uniform", "He uniform", "U(−√(6/fan_in), +√(6/fan_in))", "The uniform variant of He."),
        Entry("lecun_normal", "LeCun normal", "N(0, 1/fan_in), truncated", "The initializer SELU expects."),
        Entry("lecun_uniform", "LeCun uniform", "U(−√(3/fan_in), +√(3/fan_in))",
              "The uniform variant of LeCun."),
        Entry("random_normal", "Random normal", "N(0, 0.05²)", "Small normal noise, independent of layer size."),
        Entry("random_uniform", "Random uniform", "U(−0.05, 0.05)",
              "Small uniform noise, independent of layer size."),
        Entry("orthogonal", "Orthogonal", "W = Q from a QR decomposition of a normal matrix",
              "An orthogonal matrix: preserves norms through the layer."),
        Entry("zeros", "Zeros", "W = 0",
              "All weights zero: every unit stays identical, so the layer cannot learn distinct features."),
    ]
}

SCHEDULES: dict[str, Entry] = {
    s.id: s
    for s in [
        Entry("constant", "Constant", "η", "The same learning rate throughout."),
        Entry("exponential", "Exponential decay", "η · rate^(step / decay_steps)",
              "Shrinks the learning rate by a factor every decay_steps optimizer steps."),
        Entry("cosine", "Cosine decay", "η · ½(1 + cos(π · min(step, decay_steps) / decay_steps))",
              "Lowers the learning rate along a half cosine to zero over decay_steps steps."),
    ]
}

DEVICES = ("auto", "cpu", "gpu")

TASK_NAMES = {"binary": "binary classification", "multiclass": "multi-class classification",
              "regression": "regression"}


def default_output_activation(task: str) -> str:
    return {"binary": "sigmoid", "multiclass": "softmax"}.get(task, "linear")


def default_loss(task: str) -> str:
    return {"binary": "binary_crossentropy", "multiclass": "sparse_categorical_crossentropy"}.get(
        task, "mean_squared_error")


def activation(id_: str) -> Activation:
    return ACTIVATIONS[ACTIVATION_ALIASES.get(id_, id_)]
