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
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from playground.core.build import INPUT_NAME, TARGET_SCALING, target_scaling
from playground.core.declared import Unsized, declared_weights
from playground.core.spec import Experiment, from_logits
from playground.errors import PlaygroundError
from playground.files import (atomic_dir, atomic_path, csv_safe, read_csv_table, replace_folder,
                             write_text_atomic)

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
    writer.writerow(["epoch", *map(csv_safe, columns)])
    for i in range(rows):  # figures only: csv_safe leaves numbers (-0.5, -inf) as they are
        writer.writerow([i + 1, *(repr(float(history[c][i])) if i < len(history[c]) else "" for c in columns)])
    write_text_atomic(path, out.getvalue())


RUN_FILES = ("model.keras", "model.weights.h5", "history.csv", "experiment.json")
RUN_MANIFEST = "run.json"
RUN_FORMAT = "playground.run"
_CHECKED = ("model.keras", "model.weights.h5", "history.csv")  # experiment.json may be edited to resume


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_run(out: str | Path, engine, exp: Experiment, dataset: "Dataset", target: int | None = None) -> None:
    """The run's files as a folder ``out``, all of them or none: written in full under a hidden name
    beside it, then renamed into its place (:func:`playground.files.replace_folder`), so a crash, a
    full disk or a kill while writing leaves the previous checkpoint whole. Callers that write a
    folder over time hold a :class:`playground.files.FolderLock` on it.

    ``run.json``, written last, names each file with its size and SHA-256 and records what
    ``--resume`` checks (:func:`read_run`): the epochs, the optimizer's step count, the data set
    and task, and ``target``, the epochs the run was asked for (``train --epochs``), which stays
    out of experiment.json so that the experiment keeps its own. A relative CSV path is written
    resolved, so the run resumes from any working directory."""
    out = Path(out)
    saved = exp.model_copy(deep=True)
    if saved.dataset.path and not Path(saved.dataset.path).is_absolute():
        saved.dataset.path = str(Path(saved.dataset.path).absolute())
    with replace_folder(out) as staging:
        save_model(engine.model, staging / "model.keras", saved, dataset)
        save_weights(engine.model, staging / "model.weights.h5", saved, dataset)
        save_history(engine.history, staging / "history.csv")
        saved.save(staging / "experiment.json")
        manifest = {"format": RUN_FORMAT, "version": 1, "epochs": engine.epoch,
                    "target": max(target or exp.training.epochs, engine.epoch),
                    "optimizer_steps": int(engine.model.optimizer.iterations.numpy()),
                    "batches_per_epoch": engine.batches_per_epoch, "dataset": saved.dataset.model_dump(),
                    "task": dataset.task,
                    "files": {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)}
                              for p in sorted(staging.iterdir()) if not p.name.startswith(".")}}
        write_text_atomic(staging / RUN_MANIFEST, json.dumps(manifest, indent=2) + "\n")


@dataclass
class Run:
    """A run folder read back for ``--resume``: what :func:`write_run` wrote and its manifest's
    figures (None where the folder predates manifests)."""
    folder: Path
    experiment: Experiment
    history: dict[str, list[float]]
    epochs: int
    target: int
    optimizer_steps: int | None
    batches_per_epoch: int | None


def read_run(folder: str | Path) -> Run:
    """A run folder, checked: its files are those its manifest names (a torn or mixed folder is
    refused), its history holds the epochs the manifest records, and its experiment trains on the
    data set and task the model was trained on. The model itself is read by the engine; check the
    optimizer's step count against :attr:`Run.optimizer_steps` after (:func:`check_resumed`)."""
    from playground.core import spec

    folder = Path(folder)
    cannot = f"Cannot resume from {folder}"
    if not folder.is_dir():
        raise PlaygroundError(f"{cannot}: there is no such folder.")
    missing = [n for n in ("experiment.json", "model.keras", "history.csv") if not (folder / n).is_file()]
    if missing:
        raise PlaygroundError(f"{cannot}: it has no {' or '.join(missing)} (train writes them into its --out "
                              "folder).")
    manifest = None
    if (folder / RUN_MANIFEST).is_file():
        try:
            manifest = json.loads((folder / RUN_MANIFEST).read_text(encoding="utf-8"))
            files, epochs = manifest["files"], int(manifest["epochs"])
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise PlaygroundError(f"{cannot}: its {RUN_MANIFEST} is not one train writes.") from None
        for name in _CHECKED:
            entry = files.get(name) if isinstance(files, dict) else None
            if not isinstance(entry, dict) or (folder / name).stat().st_size != entry.get("bytes") \
                    or _sha256(folder / name) != entry.get("sha256"):
                raise PlaygroundError(f"{cannot}: its {name} is not the one written with the rest of the run "
                                      f"(it differs from what {RUN_MANIFEST} records), so model, optimizer and "
                                      "history may not belong together.")
    exp = spec.load(folder / "experiment.json")
    history = read_history(folder / "history.csv")
    done = len(next(iter(history.values()), []))
    if not done:
        raise PlaygroundError(f"{cannot}: its history.csv holds no epochs, so the epoch to go on from is unknown.")
    if manifest is None:
        return Run(folder, exp, history, done, exp.training.epochs, None, None)
    if done != epochs:
        raise PlaygroundError(f"{cannot}: its history.csv holds {done:,} epochs but the run recorded {epochs:,}.")
    recorded = manifest.get("dataset")
    if recorded != exp.dataset.model_dump():
        raise PlaygroundError(f"{cannot}: its experiment.json names another data set or task than the one the "
                              f"model was trained on ({_dataset_words(recorded)}); put those back to resume, or "
                              "train the edited experiment anew.")
    return Run(folder, exp, history, done, int(manifest.get("target") or exp.training.epochs),
               int(manifest["optimizer_steps"]), int(manifest["batches_per_epoch"]))


def _dataset_words(dataset) -> str:
    if not isinstance(dataset, dict):
        return "unknown"
    return ", ".join(f"{k} {v}" for k, v in dataset.items() if v is not None)


def check_resumed(run: Run, engine) -> None:
    """After ``engine.restore``: the model's optimizer has taken the steps of the history's epochs
    (as the manifest recorded them; for an older folder, the epochs' batches and less than one more
    epoch, a stop mid-epoch keeping its batches)."""
    steps = int(engine.model.optimizer.iterations.numpy())
    if run.optimizer_steps is not None:
        agree, expected = steps == run.optimizer_steps, f"{run.optimizer_steps:,}"
    else:
        per_epoch = engine.batches_per_epoch
        agree = run.epochs * per_epoch <= steps < (run.epochs + 1) * per_epoch
        expected = f"{run.epochs * per_epoch:,} ({run.epochs:,} epochs of {per_epoch:,} batches)"
    if not agree:
        raise PlaygroundError(f"Cannot resume from {run.folder}: its model.keras has taken {steps:,} optimizer "
                              f"steps but its history.csv needs {expected}, so model and history do not belong "
                              "together.")


def read_history(path: Path) -> dict[str, list[float]]:
    """A history.csv as written by ``save_history``: ``epoch`` 1, 2, … then one figure per column."""
    rows = read_csv_table(path, "epoch", "a training history")
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
MAX_DECLARED_WEIGHTS = 250_000_000
"""Weights a config may declare (1 GB of float32; Keras allocates them before any check): Playground's
largest model, spec.MAX_HIDDEN_WEIGHTS between its hidden layers and its input and output layers, fits."""
WEIGHTS_FILE_BYTES = 32
"""What model.weights.h5 may hold per declared weight: float64, and an optimizer's three copies."""
WEIGHTS_FILE_SLACK = 16 * 2**20  # HDF5's own structure, a few KB a variable


def check_keras_archive(path: Path) -> None:
    """Refuse a ``.keras`` archive that could do harm before Keras opens it: entries named outside the
    archive's folder (``../``, absolute), more unpacked bytes than a model needs (a zip bomb), a config
    declaring more weights than memory holds or layers that cannot be counted before they are built
    (:mod:`playground.core.declared`), and a weights file far larger than the weights declared."""
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
    try:
        weights = declared_weights(config)
    except Unsized as exc:
        raise PlaygroundError(f"{path} is refused: {exc}.") from None
    if weights > MAX_DECLARED_WEIGHTS:
        raise PlaygroundError(f"{path} is refused: its layers declare {weights:,} weights, more "
                              f"than {MAX_DECLARED_WEIGHTS:,}; building it would exhaust the memory.")
    stored = next((e.file_size for e in entries if e.filename == "model.weights.h5"), 0)
    if stored > WEIGHTS_FILE_SLACK + WEIGHTS_FILE_BYTES * weights:  # Keras reads it whole into memory
        raise PlaygroundError(f"{path} is refused: its model.weights.h5 would unpack to {stored / 2**20:,.0f} MiB, "
                              f"far more than the {weights:,} weights its layers declare need.")


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
