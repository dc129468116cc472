"""What an edit of the experiment means for the model that is training.

An edit is *live* when the trained weights stay meaningful after it: the optimizer's
settings, the batch size, regularization factors, dropout rates and the epoch target. The
run goes on from the same epoch with the same weights (a new optimizer starts with fresh
state). Anything that changes what the network computes or what it learns from — layers,
units, activations, initializers, the data set and its features, the loss, the output
activation, the training seed (initial weights) or the device — needs a new model.

The rules live here, beside :class:`~playground.core.spec.Experiment`, so the window and the
command line agree on them and they are tested without Qt.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from playground.core.build import hidden_name
from playground.core.spec import Experiment
from playground.data import feature_label

EditKind = Literal["none", "live", "rebuild"]

# Training fields a running model takes as they change (names as in the experiment file).
LIVE_TRAINING = ("learning_rate", "schedule", "decay_steps", "decay_rate", "optimizer", "momentum",
                 "nesterov", "weight_decay", "batch_size", "epochs")
# Hidden-layer fields that change how a layer trains, not what it computes at test time.
LIVE_LAYER = ("kernel_l1", "kernel_l2", "bias_l1", "bias_l2", "dropout")

_SHORT = {"learning_rate": "lr", "batch_size": "batch", "weight_decay": "weight decay",
          "decay_steps": "decay steps", "decay_rate": "decay rate", "kernel_l1": "L1", "kernel_l2": "L2",
          "bias_l1": "bias L1", "bias_l2": "bias L2"}


@dataclass(frozen=True)
class Change:
    """One field that an edit changed: its path in the experiment file, old and new value."""
    path: str  # e.g. "training.learning_rate", "model.layers.1.dropout"
    before: Any
    after: Any

    @property
    def field(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def label(self) -> str:
        """A few words for a marker on the curves, e.g. "lr 0.01 → 0.003"."""
        parts = self.path.split(".")
        if self.field == "#":
            return f"{parts[-2]} {self.before} → {self.after}"
        name = _SHORT.get(self.field, self.field.replace("_", " "))
        if parts[:2] == ["model", "layers"]:
            name = f"{name} {hidden_name(int(parts[2]))}"
        text = f"{name} {_value(self.before)} → {_value(self.after)}"
        if self.field == "optimizer":
            text += " (fresh state)"
        return text


def _value(v: Any) -> str:
    """A value in words: never a Python repr (a feature list reads "x₁, x₂, x₁·x₂")."""
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(feature_label(str(item)) for item in v) or "none"
    if v is None:
        return "none"
    return str(v)


@dataclass(frozen=True)
class Edit:
    kind: EditKind
    changes: tuple[Change, ...]  # every changed field (for "rebuild": what forced it comes first)

    def label(self) -> str:
        """The live changes in a few words ("lr 0.01 → 0.003, batch 10 → 32"); "" for none."""
        return ", ".join(c.label() for c in self.changes)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list) and prefix != "dataset.features":
        out[f"{prefix}.#"] = len(value)
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}.{i}", out)
    else:
        out[prefix] = value


def _is_live(path: str) -> bool:
    parts = path.split(".")
    if parts[0] == "training":
        return parts[1] in LIVE_TRAINING
    if parts[:2] == ["model", "layers"] and len(parts) == 4:
        return parts[3] in LIVE_LAYER
    return False


def classify(before: Experiment, after: Experiment) -> Edit:
    """What ``after`` needs, given a model trained for ``before``."""
    a, b = {}, {}
    _flatten(before.model_dump(mode="json"), "", a)
    _flatten(after.model_dump(mode="json"), "", b)
    # A field of a layer that only one side has is part of the layer count's change.
    changes = [Change(p, a.get(p), b.get(p)) for p in sorted(set(a) | set(b), key=_order(a, b))
               if p != "name" and a.get(p) != b.get(p) and (p in a and p in b or p.endswith("#"))]
    if not changes:
        return Edit("none", ())
    rebuild = [c for c in changes if not _is_live(c.path)]
    if rebuild:
        return Edit("rebuild", tuple(rebuild + [c for c in changes if _is_live(c.path)]))
    return Edit("live", tuple(changes))


def _order(a: dict, b: dict):
    """Paths in the order the experiment file has them (so labels read as the panels do)."""
    order = {p: i for i, p in enumerate([*a, *(p for p in b if p not in a)])}
    return order.__getitem__


def model_key(exp: Experiment) -> str:
    """What a model is built from: two experiments with the same key can share a trained model
    (every live field is left out, and the name)."""
    doc = exp.model_dump(mode="json")
    doc.pop("name")
    for f in LIVE_TRAINING:
        doc["training"].pop(f)
    for layer in doc["model"]["layers"]:
        for f in LIVE_LAYER:
            layer.pop(f)
    return json.dumps(doc, sort_keys=True)
