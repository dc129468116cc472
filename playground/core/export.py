"""Files: Keras weights, whole models, SavedModels, training history, and loading them back.

Every write goes to a temporary file beside the target and is renamed into
place. Loading never runs code from a file: ``.keras`` files load with
``safe_mode=True`` (a ``Lambda`` layer is refused) and nothing is unpickled.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from playground.errors import PlaygroundError
from playground.files import atomic_dir, atomic_path, write_text_atomic

if TYPE_CHECKING:
    import keras

HISTORY_COLUMNS = ("loss", "accuracy", "mae", "test_loss", "test_accuracy", "test_mae")


def _require_suffix(path: Path, suffix: str, what: str) -> None:
    if not path.name.endswith(suffix):
        raise PlaygroundError(f"{what} must have a name ending in {suffix} (got {path.name}).")


def save_weights(model: "keras.Model", path: str | Path) -> None:
    path = Path(path)
    _require_suffix(path, ".weights.h5", "A weights file")
    with atomic_path(path) as tmp:
        model.save_weights(tmp)


def save_model(model: "keras.Model", path: str | Path) -> None:
    path = Path(path)
    _require_suffix(path, ".keras", "A Keras model file")
    with atomic_path(path) as tmp:
        model.save(tmp)


def export_savedmodel(model: "keras.Model", folder: str | Path) -> None:
    """A TensorFlow SavedModel (for TF Serving / TFLite) with a ``serve`` signature."""
    with atomic_dir(folder) as tmp:
        model.export(str(tmp), format="tf_saved_model", verbose=False)


def save_history(history: dict[str, list[float]], path: str | Path) -> None:
    """Per-epoch figures as CSV: ``epoch`` then the history's columns in a fixed order."""
    columns = [c for c in HISTORY_COLUMNS if c in history] + sorted(set(history) - set(HISTORY_COLUMNS))
    rows = max((len(history[c]) for c in columns), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch", *columns])
    for i in range(rows):
        writer.writerow([i + 1, *(repr(float(history[c][i])) if i < len(history[c]) else "" for c in columns)])
    write_text_atomic(path, out.getvalue())


# -- reading ----------------------------------------------------------------------------------

def _open_error(path: Path, what: str, exc: Exception) -> PlaygroundError:
    return PlaygroundError(f"{path} is not a readable {what} ({type(exc).__name__}: {exc}).")


def load_model(path: str | Path) -> "keras.Model":
    """A ``.keras`` file, loaded safely (no code from the file runs)."""
    import keras

    path = Path(path)
    if not path.exists():
        raise PlaygroundError(f"There is no model file {path}.")
    _require_suffix(path, ".keras", "A Keras model file")
    if not zipfile.is_zipfile(path):
        raise PlaygroundError(f"{path} is not a Keras model file (a .keras file is a zip archive).")
    try:
        return keras.models.load_model(path, safe_mode=True, compile=False)
    except ValueError as exc:
        if "lambda" in str(exc).lower() or "safe_mode" in str(exc):
            raise PlaygroundError(f"{path} contains a Lambda layer, which holds Python code; Playground "
                                  "never runs code from a file, so it refuses to load it.") from None
        raise _open_error(path, "Keras model", exc) from None
    except Exception as exc:  # noqa: BLE001 - anything a foreign file triggers becomes a sentence
        raise _open_error(path, "Keras model", exc) from None


def weights_file_layers(path: str | Path) -> list[tuple[str, list[tuple[int, ...]]]]:
    """(layer name, variable shapes) for each layer in a ``.weights.h5`` file, in file order."""
    import h5py

    path = Path(path)
    if not path.exists():
        raise PlaygroundError(f"There is no weights file {path}.")
    try:
        with h5py.File(path, "r") as f:
            if "layers" not in f:
                raise PlaygroundError(f"{path} is not a Keras 3 weights file (it has no 'layers' group).")
            out = []
            for group in f["layers"].values():
                if "vars" not in group:
                    continue
                vars_ = group["vars"]
                name = vars_.attrs.get("name", group.name.rsplit("/", 1)[-1])
                name = name.decode() if isinstance(name, bytes) else str(name)
                shapes = [tuple(vars_[k].shape) for k in sorted(vars_, key=int)]
                out.append((name, shapes))
            return out
    except PlaygroundError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _open_error(path, "Keras weights file (.weights.h5)", exc) from None


def _model_layers(model: "keras.Model") -> list[tuple[str, list[tuple[int, ...]]]]:
    return [(layer.name, [tuple(v.shape) for v in layer.weights]) for layer in model.layers if layer.weights]


def _first_difference(ours, theirs, source: Path) -> str | None:
    theirs_by_name = dict(theirs)
    for name, shapes in ours:
        if name not in theirs_by_name:
            return f"{source} has no layer '{name}', which this model has."
        if theirs_by_name[name] != shapes:
            return (f"Layer '{name}' differs: {source} has weights of shape "
                    f"{', '.join(map(str, theirs_by_name[name])) or 'none'}, this model needs "
                    f"{', '.join(map(str, shapes))}.")
    extra = [n for n, s in theirs if s and n not in dict(ours)]
    if extra:
        return f"{source} has a layer '{extra[0]}' that this model does not have."
    return None


def load_weights_into(model: "keras.Model", path: str | Path) -> None:
    """Load a ``.weights.h5`` or ``.keras`` file's weights into a model of the same architecture."""
    path = Path(path)
    if path.name.endswith(".keras"):
        other = load_model(path)
        problem = _first_difference(_model_layers(model), _model_layers(other), path)
        if problem:
            raise PlaygroundError(f"These weights do not fit the model. {problem}")
        for layer in model.layers:
            if layer.weights:
                layer.set_weights(other.get_layer(layer.name).get_weights())
        return
    _require_suffix(path, ".weights.h5", "A weights file")
    problem = _first_difference(_model_layers(model), weights_file_layers(path), path)
    if problem:
        raise PlaygroundError(f"These weights do not fit the model. {problem}")
    try:
        model.load_weights(path)
    except Exception as exc:  # noqa: BLE001
        raise _open_error(path, "Keras weights file", exc) from None


def describe_weights_file(path: str | Path) -> str:
    rows = weights_file_layers(path)
    lines = [f"{'Layer':<20} {'Variables':<36} {'Params':>10}"]
    total = 0
    for name, shapes in rows:
        params = int(sum(np.prod(s) if s else 1 for s in shapes))
        total += params
        lines.append(f"{name:<20} {', '.join(map(str, shapes)) or '-':<36} {params:>10,}")
    lines.append(f"Total parameters: {total:,}")
    return "\n".join(lines)


def describe_model(model: "keras.Model") -> str:
    lines: list[str] = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line), line_length=80)
    return "\n".join(lines)
