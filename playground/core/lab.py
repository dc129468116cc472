"""The loss and activation lab: type targets and outputs, see every loss as Keras computes it.

No TensorFlow here (the lab answers while TensorFlow loads, and never touches the training
thread's Keras): the formulas are the catalog's NumPy ones, in float32 and fed as Keras feeds its
own (probabilities clipped to [ε, 1 − ε] before a log; logits through Keras' fused stable form), so
each value equals the Keras call shown beside it to the last printed digit
(``tests/core/test_lab.py`` runs those calls). The notes' worked
examples (seeds 001–003) come with the numbers the notes printed. The texts are English (as
``tests/core/test_lab.py`` reads them), marked with ``QT_TRANSLATE_NOOP("lab", …)`` for the
interface, which translates them when it shows them (``playground.ui.i18n.lab``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np

from playground.core import catalog
from playground.core.catalog import QT_TRANSLATE_NOOP
from playground.errors import PlaygroundError

EPSILON = 1e-7
"""Keras' ``backend.epsilon()``: probabilities are clipped to [ε, 1 − ε] before a log."""

_PROBABILITY_LOSSES = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")


@dataclass(frozen=True)
class LossValue:
    """One row of the lab's table: a loss for the typed values, or why it does not apply."""

    id: str
    name: str
    formula: str
    keras_call: str
    value: float | None
    # Why the loss does not apply, or what the notes printed instead: an English template marked for
    # translation, and the values for its {0}, {1} (kept apart so the UI can translate the template).
    note_template: str = ""
    note_values: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """The note in English, its values filled in."""
        return self.note_template.format(*self.note_values)


@dataclass(frozen=True)
class Example:
    """A worked example from the notes: its inputs and the number the notes printed."""

    title: str
    y_true: str
    y_pred: str
    from_logits: bool
    loss: str
    printed: float
    source: str  # which of the notes (shared/seeds) printed it, for developers; the interface does not show it


EXAMPLES = (
    Example(QT_TRANSLATE_NOOP("lab", "Categorical cross-entropy, a poor second guess"),
            "[[0, 1, 0], [0, 0, 1]]", "[[0.05, 0.9, 0.05], [0.3, 0.2, 0.5]]", False,
            "categorical_crossentropy", 0.39925388, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Categorical cross-entropy, both guesses good"),
            "[[0, 1, 0], [0, 0, 1]]", "[[0.05, 0.9, 0.05], [0.05, 0.05, 0.9]]", False,
            "categorical_crossentropy", 0.105360545, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Categorical cross-entropy, three samples"),
            "[[0, 1, 0], [0, 0, 1], [1, 0, 0]]", "[[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1]]", False,
            "categorical_crossentropy", 0.85900736, "seed 003"),
    Example(QT_TRANSLATE_NOOP("lab", "Cross-entropy of a uniform guess over 4 classes"),
            "[[0, 1, 0, 0]]", "[[0.25, 0.25, 0.25, 0.25]]", False, "categorical_crossentropy", 1.3862944, "seed 001"),
    Example(QT_TRANSLATE_NOOP("lab", "Cross-entropy of a confident wrong guess"),
            "[[0, 1, 0, 0]]", "[[0.1, 0.1, 0.8, 0.1]]", False, "categorical_crossentropy", 2.3978953, "seed 001"),
    Example(QT_TRANSLATE_NOOP("lab", "Cross-entropy of a confident right guess"),
            "[[0, 1, 0, 0]]", "[[0.01, 0.97, 0.01, 0.01]]", False,
            "categorical_crossentropy", 0.030459179, "seed 001"),
    Example(QT_TRANSLATE_NOOP("lab", "Binary cross-entropy, unsure"),
            "[[0], [1]]", "[[0.4], [0.6]]", False, "binary_crossentropy", 0.5108254, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Binary cross-entropy, sure"),
            "[[0], [1]]", "[[0.1], [0.9]]", False, "binary_crossentropy", 0.10536041, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Binary cross-entropy on logits"),
            "[0, 1, 0, 0]", "[-18.6, 0.51, 2.94, -12.8]", True, "binary_crossentropy", 0.865458, "seed 003"),
    Example(QT_TRANSLATE_NOOP("lab", "Mean absolute error (L1)"),
            "[[0.0], [1.0]]", "[[1.0], [0.0]]", False, "mean_absolute_error", 1.0, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Mean squared error (L2)"),
            "[[0.0], [1.0]]", "[[1.0], [1.0]]", False, "mean_squared_error", 0.5, "seed 002"),
    Example(QT_TRANSLATE_NOOP("lab", "Huber (smooth L1)"),
            "[[0], [1]]", "[[0.6], [0.4]]", False, "huber", 0.18, "seed 002"),
)

LEGACY_NOTE = QT_TRANSLATE_NOOP("lab", "The notes ran TensorFlow 2.0, whose Keras took log(p + ε) instead of "
                                       "clipping p, and printed {0}; Keras 3 clips p to [ε, 1 − ε].")


# -- input -----------------------------------------------------------------------------------------

def parse_values(text: str, what: str) -> np.ndarray:
    """Numbers typed as a Python/JSON list (``[[0, 1], [1, 0]]``) or as rows split by ``;`` or new
    lines, values by commas or spaces (``0 1; 1 0``). One sentence on anything else."""
    text = text.strip()
    if not text:
        raise PlaygroundError(f"Type the {what}, e.g. [[0, 1, 0], [0, 0, 1]] or 0 1 0; 0 0 1.")
    try:
        if text.startswith("["):
            values = json.loads(text)
        else:
            values = [[float(v) for v in re.split(r"[,\s]+", row.strip())]
                      for row in re.split(r"[;\n]", text) if row.strip()]
        array = np.array(values, dtype=np.float64)
    except (ValueError, TypeError):
        raise PlaygroundError(f"The {what} must be numbers, in rows of equal length: "
                              f"{text[:40]!r} is not.") from None
    if array.ndim == 0 or array.ndim > 2 or array.size == 0:
        raise PlaygroundError(f"The {what} must be a list of numbers or a list of rows of numbers.")
    if not np.all(np.isfinite(array)):
        raise PlaygroundError(f"The {what} must be finite numbers.")
    return array


# -- losses ------------------------------------------------------------------------------------------

def _class_name(loss_id: str) -> str:
    """Keras' class for a loss id: binary_crossentropy -> BinaryCrossentropy, kl_divergence -> KLDivergence."""
    return "".join(p.capitalize() for p in loss_id.split("_")).replace("Kl", "KL")


def keras_call(loss_id: str, from_logits: bool) -> str:
    option = "from_logits=True" if from_logits and loss_id in _PROBABILITY_LOSSES else ""
    return f"keras.losses.{_class_name(loss_id)}({option})(y_true, y_pred)"


def _why_not(loss_id: str, y: np.ndarray, out: np.ndarray, from_logits: bool) -> tuple[str, tuple[str, ...]]:
    """Why the loss does not apply to these values, as a marked template and its values ("" if it does)."""
    columns = out.shape[-1]
    if loss_id == "sparse_categorical_crossentropy":
        if columns < 2:
            return QT_TRANSLATE_NOOP("lab", "needs one output column per class"), ()
        if y.size != out.shape[0] or np.any(y != np.round(y)) or np.any((y < 0) | (y >= columns)):
            return QT_TRANSLATE_NOOP("lab", "needs one class index (0 to {0}) per row as targets"), (str(columns - 1),)
        return "", ()
    if y.shape != out.shape:
        shapes = (str(y.shape), str(out.shape))
        return QT_TRANSLATE_NOOP("lab", "needs targets shaped like the outputs ({0} against {1})"), shapes
    if loss_id in ("categorical_crossentropy", "kl_divergence") and columns < 2:
        return QT_TRANSLATE_NOOP("lab", "needs one column per class"), ()
    probability = loss_id in _PROBABILITY_LOSSES or loss_id == "kl_divergence"
    if probability and np.any((y < 0) | (y > 1)):
        return QT_TRANSLATE_NOOP("lab", "needs targets between 0 and 1"), ()
    if loss_id == "kl_divergence" and from_logits:
        return QT_TRANSLATE_NOOP("lab", "takes probabilities (it has no from_logits)"), ()
    if probability and not from_logits and np.any((out < 0) | (out > 1)):
        return QT_TRANSLATE_NOOP("lab", "needs probabilities in [0, 1]; tick logits for raw scores"), ()
    return "", ()


def _prepared(loss_id: str, y: np.ndarray, out: np.ndarray):
    """Targets and outputs as Keras hands them to the formula: probabilities clipped to [ε, 1 − ε]
    before a log (categorical ones first scaled to sum to 1)."""
    eps = np.float32(EPSILON)
    if loss_id in _PROBABILITY_LOSSES:
        if loss_id != "binary_crossentropy":
            out = out / out.sum(axis=-1, keepdims=True)
        return y, np.clip(out, eps, 1 - eps)
    if loss_id == "kl_divergence":
        return np.clip(y, eps, 1), np.clip(out, eps, 1)
    return y, out


def _on_logits(loss_id: str, y: np.ndarray, z: np.ndarray) -> float:
    """A cross-entropy on logits in the fused, stable form Keras uses (no probability is formed,
    so no clipping): sigmoid's max(z, 0) − z·y + log(1 + e^−|z|), or −Σ y·log softmax(z)."""
    if loss_id == "binary_crossentropy":
        return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    shifted = z - z.max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    if loss_id == "sparse_categorical_crossentropy":
        y = np.eye(z.shape[-1], dtype=z.dtype)[y.astype(int)]
    return float(-np.mean(np.sum(y * log_softmax, axis=-1)))


def legacy_binary_crossentropy(y: np.ndarray, p: np.ndarray) -> float:
    """TensorFlow 2.0's binary cross-entropy, which the notes printed: log(p + ε)."""
    p = np.clip(p, np.float32(EPSILON), np.float32(1 - EPSILON))
    return float(-np.mean(y * np.log(p + EPSILON) + (1 - y) * np.log(1 - p + EPSILON)))


def loss_values(y_true: np.ndarray, y_pred: np.ndarray, from_logits: bool = False) -> list[LossValue]:
    """Every loss of the catalog for these targets and outputs (``from_logits``: the outputs are
    logits, for the cross-entropies), each with its formula and Keras call."""
    # float32, as Keras computes: the notes' printed digits are float32's
    y_true, y_pred = np.asarray(y_true, dtype=np.float32), np.asarray(y_pred, dtype=np.float32)
    out = np.atleast_2d(y_pred) if y_pred.ndim == 1 and y_true.ndim == 2 else y_pred
    rows = []
    for loss in catalog.LOSSES.values():
        y = y_true.reshape(-1) if loss.id == "sparse_categorical_crossentropy" else y_true
        o = np.atleast_2d(out) if loss.id == "sparse_categorical_crossentropy" else out
        note, values = _why_not(loss.id, y, o, from_logits)
        value = None
        if not note:
            if from_logits and loss.id in _PROBABILITY_LOSSES:
                value = _on_logits(loss.id, y, o)
            else:
                value = float(loss.fn(*_prepared(loss.id, y, o)))
            if loss.id == "binary_crossentropy" and not from_logits:
                legacy = legacy_binary_crossentropy(y, o)
                if f"{np.float32(legacy)}" != f"{np.float32(value)}":
                    note, values = LEGACY_NOTE, (shown(legacy),)
        rows.append(LossValue(loss.id, loss.name, loss.formula, keras_call(loss.id, from_logits), value, note, values))
    return rows


def evaluate(y_true_text: str, y_pred_text: str, from_logits: bool = False) -> list[LossValue]:
    """:func:`loss_values` of typed text; a :class:`PlaygroundError` sentence for text that is not numbers."""
    return loss_values(parse_values(y_true_text, "targets"),
                       parse_values(y_pred_text, "logits" if from_logits else "predictions"), from_logits)


def shown(value: float) -> str:
    """A loss as Keras prints it: the shortest text of the float32 it computes (0.39925388)."""
    return str(np.float32(value))


# -- activations --------------------------------------------------------------------------------------

def activation_curve(activation_id: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The activation's values at ``x`` and its derivative there (a central difference of the
    catalog's formula, accurate to about 10⁻⁸ away from a kink)."""
    fn = catalog.activation(activation_id).fn
    x = np.asarray(x, dtype=np.float64)
    h = 1e-5
    return fn(x), (fn(x + h) - fn(x - h)) / (2 * h)
