"""Files: Keras weights, whole models, SavedModels, training history, and loading them back.

Every write goes to a temporary file beside the target and is renamed into
place. Loading never runs code from a file: ``.keras`` files load with
``safe_mode=True`` (a ``Lambda`` layer is refused) and nothing is unpickled.

Every exported model, SavedModel and weights file gets an *about file* beside it
(:func:`about_path`: the export's name plus ``.about.json``) saying what the model takes
(the data set's raw columns, in order), what it does to them inside (feature crosses,
normalization), what each output unit means (a probability, logits and how to convert
them, or the regression target) and how to use it in plain Keras, so that someone without
Playground can.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from playground.core.build import INPUT_NAME, TARGET_SCALING, target_scaling
from playground.core.spec import Experiment, from_logits
from playground.errors import PlaygroundError
from playground.files import atomic_dir, atomic_path, write_text_atomic

if TYPE_CHECKING:
    import keras

    from playground.data import Dataset

HISTORY_COLUMNS = ("loss", "accuracy", "mae", "test_loss", "test_accuracy", "test_mae")
ABOUT_FORMAT = "playground.about"
ABOUT_VERSION = 1
ABOUT_SUFFIX = ".about.json"
_INLINE_COLUMNS = 16  # usage examples spell out a sample row up to this many columns


def _require_suffix(path: Path, suffix: str, what: str) -> None:
    if not path.name.endswith(suffix):
        raise PlaygroundError(f"{what} must have a name ending in {suffix} (got {path.name}).")


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A writer's failure as a sentence: OSErrors are worded by the atomic writers, anything
    else Keras or TensorFlow raise (an h5py or a SavedModel error) here."""
    try:
        yield
    except (PlaygroundError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - a failed export must reach the user as a sentence
        raise PlaygroundError(f"Cannot write {path}: {_detail(exc)}.") from None


def save_weights(model: "keras.Model", path: str | Path, exp: Experiment, ds: "Dataset") -> None:
    """``model.save_weights``; its about file also holds the architecture (``model.to_json()``),
    which plain Keras needs to rebuild the model the weights go into."""
    path = Path(path)
    _require_suffix(path, ".weights.h5", "A weights file")
    with atomic_path(path) as tmp, _writing(path):
        model.save_weights(tmp)
    _write_about(path, "weights", exp, ds, keras_model_json=model.to_json())


def save_model(model: "keras.Model", path: str | Path, exp: Experiment, ds: "Dataset") -> None:
    path = Path(path)
    _require_suffix(path, ".keras", "A Keras model file")
    with atomic_path(path) as tmp, _writing(path):
        model.save(tmp)
    _write_about(path, "keras", exp, ds)


def export_savedmodel(model: "keras.Model", folder: str | Path, exp: Experiment, ds: "Dataset") -> None:
    """A TensorFlow SavedModel (for TF Serving / TFLite) with a ``serve`` signature.

    An existing folder is replaced only if it is empty or a SavedModel itself: a folder of
    other files is never swept away by an export.
    """
    folder = Path(folder)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "saved_model.pb").exists():
        raise PlaygroundError(f"{folder} is a folder of other files, not a SavedModel; export into a "
                              "new or empty folder.")
    with atomic_dir(folder) as tmp, _writing(folder):
        model.export(str(tmp), format="tf_saved_model", verbose=False)
    _write_about(folder, "savedmodel", exp, ds)


# -- about files --------------------------------------------------------------------------------

def about_path(path: str | Path) -> Path:
    """The about file of an export: beside it, named after it (``model.keras.about.json``)."""
    path = Path(path)
    return path.with_name(path.name + ABOUT_SUFFIX)


def describe_io(exp: Experiment, ds: "Dataset") -> dict:
    """What a model built for ``exp`` on ``ds`` takes, does inside and returns (JSON-ready)."""
    preprocessing = []
    if ds.crosses:
        preprocessing.append({
            "step": "feature crosses", "features": list(ds.crosses),
            "description": f"The model computes {', '.join(ds.crosses)} from the columns "
                           f"{', '.join(ds.raw_names)} (TensorFlow Playground's feature crosses; sin in "
                           "radians) and feeds them to the next layer."})
    if exp.model.normalize:
        preprocessing.append({
            "step": "normalization",
            "description": "A Keras Normalization layer: each feature minus its mean over the training "
                           "set, divided by its standard deviation there."})
    return {
        "input": {"name": INPUT_NAME, "shape": [None, ds.raw_dim], "dtype": "float32",
                  "columns": list(ds.raw_names)},
        "preprocessing": preprocessing,
        "output": _describe_output(exp, ds),
    }


def _describe_output(exp: Experiment, ds: "Dataset") -> dict:
    """The output units' meaning, mirroring how the loss reads them (see spec.from_logits)."""
    task, target = ds.task, ds.target_name
    activation, loss = exp.output_activation_for(task), exp.loss_for(task)
    out = {"shape": [None, ds.output_units], "activation": activation}
    if task == "regression":
        scaling = target_scaling(exp, ds)
        rule = f"The output is the predicted {target}."
        if scaling is not None:
            rule += (f" The network was trained on the {target} standardized; its last layer ({TARGET_SCALING}, "
                     f"a Rescaling) multiplies by {scaling[1]:.6g} and adds {scaling[0]:.6g}, so the output "
                     f"is in the {target}'s own units.")
        return {**out, "kind": "value", "units": [target], "convert": None, "rule": rule}
    classes = list(ds.class_names)
    if task == "multiclass":
        if from_logits(exp, task):
            return {**out, "kind": "logits", "units": [f"logit of {target} = {c}" for c in classes],
                    "classes": classes, "convert": "softmax",
                    "rule": "Logits, one per class in the order of classes: softmax(output) gives the "
                            "class probabilities; the largest output is the predicted class."}
        return {**out, "kind": "probabilities", "units": [f"P({target} = {c})" for c in classes],
                "classes": classes, "convert": None,
                "rule": "The probability of each class, in the order of classes (they sum to 1); the "
                        "largest is the predicted class."}
    negative, positive = classes
    if from_logits(exp, task):
        return {**out, "kind": "logit", "units": [f"logit of P({target} = {positive})"], "classes": classes,
                "convert": "sigmoid",
                "rule": f"A logit: sigmoid(output) is the probability that {target} is {positive}; "
                        f"output > 0 means {positive}, else {negative}."}
    if loss == "hinge":
        return {**out, "kind": "score", "units": [f"margin score for {target} = {positive}"],
                "classes": classes, "convert": None,
                "rule": f"A margin score: output > 0 means {positive}, else {negative}."}
    if loss == "binary_crossentropy":
        return {**out, "kind": "probability", "units": [f"P({target} = {positive})"], "classes": classes,
                "convert": None,
                "rule": f"The probability that {target} is {positive}; above 0.5 means {positive}, "
                        f"else {negative}."}
    return {**out, "kind": "value", "units": [f"{target}, 0 for {negative} and 1 for {positive}"],
            "classes": classes, "convert": None,
            "rule": f"A value trained toward 0 for {negative} and 1 for {positive}; above 0.5 means "
                    f"{positive}."}


def _usage(kind: str, path: Path, ds: "Dataset") -> list[str]:
    """A few lines of plain Keras (TensorFlow for a SavedModel) that load the export and predict
    one test row, run from the export's folder."""
    row = ds.raw_test[:1]
    if ds.raw_dim <= _INLINE_COLUMNS:
        values = json.dumps([[round(float(v), 4) for v in row[0]]])
        x, tf_x = f'np.array({values}, dtype="float32")', f"tf.constant({values})"
    else:
        x, tf_x = f'np.zeros((1, {ds.raw_dim}), dtype="float32")', f"tf.zeros((1, {ds.raw_dim}))"
    name = json.dumps(path.name)
    if kind == "savedmodel":
        return ["import tensorflow as tf",
                f"model = tf.saved_model.load({name})",
                f"print(model.serve({tf_x}).numpy())"]
    predict = f"print(model.predict({x}, verbose=0))"
    if kind == "weights":
        return ["import json, keras, numpy as np",
                f"model = keras.models.model_from_json(json.load(open({json.dumps(about_path(path).name)}))"
                f"[\"keras_model_json\"])",
                f"model.load_weights({name})",
                predict]
    return ["import keras, numpy as np",
            f"model = keras.models.load_model({name}, safe_mode=True)",
            predict]


def _write_about(path: Path, kind: str, exp: Experiment, ds: "Dataset", **extra) -> None:
    about = {"format": ABOUT_FORMAT, "version": ABOUT_VERSION, "file": path.name, "kind": kind,
             "experiment": exp.name, "dataset": ds.name, "task": ds.task, **describe_io(exp, ds),
             "usage": _usage(kind, path, ds), **extra}
    write_text_atomic(about_path(path), json.dumps(about, indent=2) + "\n")


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


def write_run(out: Path, engine, exp, dataset) -> None:
    """The run's files into ``out``, all of them or none: each is written in full into a hidden
    folder inside ``out`` first, and only then are they renamed into place, so a crash, a full disk
    or an abort while writing leaves the previous checkpoint whole."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=out))
    except OSError as exc:
        raise PlaygroundError(f"Cannot write into {out}: {exc.strerror or exc}.") from None
    try:
        save_model(engine.model, staging / "model.keras", exp, dataset)
        save_weights(engine.model, staging / "model.weights.h5", exp, dataset)
        save_history(engine.history, staging / "history.csv")
        exp.save(staging / "experiment.json")
        for item in sorted(staging.iterdir()):
            os.replace(item, out / item.name)
    except OSError as exc:
        raise PlaygroundError(f"Cannot write into {out}: {exc.strerror or exc}.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_history(path: Path) -> dict[str, list[float]]:
    """A history.csv as written by ``save_history``: ``epoch`` 1, 2, … then one figure per column."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PlaygroundError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from None
    if not rows or rows[0][:1] != ["epoch"]:
        raise PlaygroundError(f"{path} is not a training history: its first column should be 'epoch'.")
    columns = rows[0][1:]
    history: dict[str, list[float]] = {c: [] for c in columns}
    for epoch, row in enumerate(rows[1:], start=1):
        try:
            ok = int(row[0]) == epoch and len(row) == len(columns) + 1
            values = [float(v) for v in row[1:]]
        except (ValueError, IndexError):
            ok = False
        if not ok:
            raise PlaygroundError(f"{path}, line {epoch + 1}: expected epoch {epoch} and {len(columns)} "
                                  "figures.")
        for c, v in zip(columns, values):
            history[c].append(v)
    return history


# -- reading ----------------------------------------------------------------------------------

def _detail(exc: Exception) -> str:
    """``Type: first line`` of a library's error: Keras' can run to pages (the whole config)."""
    lines = str(exc).strip().splitlines()
    first = lines[0].rstrip(".") if lines else ""
    return f"{type(exc).__name__}: {first if len(first) <= _DETAIL else first[:_DETAIL] + '…'}"


_DETAIL = 200  # characters of a library's message quoted in a sentence


def _open_error(path: Path, what: str, exc: Exception) -> PlaygroundError:
    return PlaygroundError(f"{path} is not a readable {what} ({_detail(exc)}).")


MAX_ARCHIVE_BYTES = 4 * 2**30
"""What a ``.keras`` archive may unpack to: the largest model Playground builds (spec.MAX_HIDDEN_WEIGHTS)
with Adam's two copies is 1.2 GB. Keras unpacks it into memory and a temporary folder."""
MAX_CONFIG_BYTES = 16 * 2**20  # config.json and metadata.json: a model's is a few KB
MAX_DECLARED_WEIGHTS = 10**9
"""Weights the Dense layers of a config may declare (4 GB): Keras allocates them before any check."""


def _declared_dense_weights(config) -> tuple[int, int]:
    """(the largest width, the weights between consecutive widths) of the inputs and Dense layers a
    model config declares, in order: what building it would allocate, without building it."""
    widths: list[int] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            inner = node.get("config")
            if isinstance(inner, dict) and node.get("class_name") in ("Dense", "InputLayer"):
                size = inner.get("units") if node["class_name"] == "Dense" else (inner.get("batch_shape") or [0])[-1]
                if isinstance(size, int) and not isinstance(size, bool):
                    widths.append(size)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    return max(widths, default=0), sum(a * b for a, b in zip(widths, widths[1:]))


def check_keras_archive(path: Path) -> None:
    """Refuse a ``.keras`` archive that could do harm before Keras opens it: entries named outside the
    archive's folder (``../``, absolute), more unpacked bytes than a model needs (a zip bomb), and a
    config declaring absurd layer sizes, which Keras would try to allocate."""
    if not zipfile.is_zipfile(path):
        raise PlaygroundError(f"{path} is not a Keras model file (a .keras file is a zip archive).")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            for entry in entries:
                name = entry.filename.replace("\\", "/")
                if name.startswith("/") or ".." in name.split("/") or ":" in name.split("/")[0]:
                    raise PlaygroundError(f"{path} is refused: it holds an entry named {entry.filename!r}, "
                                          "outside the archive's own folder.")
            total = sum(e.file_size for e in entries)
            if total > MAX_ARCHIVE_BYTES:
                raise PlaygroundError(f"{path} is refused: it would unpack to {total / 2**30:,.1f} GiB, more "
                                      f"than any model Playground makes ({MAX_ARCHIVE_BYTES / 2**30:g} GiB).")
            for name in ("config.json", "metadata.json"):
                size = next((e.file_size for e in entries if e.filename == name), 0)
                if size > MAX_CONFIG_BYTES:
                    raise PlaygroundError(f"{path} is refused: its {name} is {size / 2**20:,.0f} MiB, more than "
                                          f"a model's description needs ({MAX_CONFIG_BYTES / 2**20:g} MiB).")
            config = json.loads(archive.read("config.json")) if "config.json" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError, RecursionError) as exc:  # a broken archive or config
        raise _open_error(path, "Keras model", exc) from None
    widest, weights = _declared_dense_weights(config)
    if weights > MAX_DECLARED_WEIGHTS or widest > MAX_DECLARED_WEIGHTS:
        raise PlaygroundError(f"{path} is refused: its layers declare {max(weights, widest):,} weights, more "
                              f"than {MAX_DECLARED_WEIGHTS:,}; building it would exhaust the memory.")


def load_model(path: str | Path) -> "keras.Model":
    """A ``.keras`` file, loaded safely (no code from the file runs; :func:`check_keras_archive` first)."""
    import keras

    path = Path(path)
    if not path.exists():
        raise PlaygroundError(f"There is no model file {path}.")
    _require_suffix(path, ".keras", "A Keras model file")
    check_keras_archive(path)
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
