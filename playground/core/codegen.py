"""An experiment as a Python file that trains on its own: the notes' three model styles.

The notes on model styles build one network three ways: ``keras.Sequential``, the functional API
and a ``keras.Model`` subclass. :func:`python_code` writes the experiment in any of them. Nothing
about layers, losses or optimizers is restated here: the model :func:`playground.core.build.build_model`
makes, and the loss, optimizer and metric of ``build.make_*``, are turned back into the Keras
calls that create them (from their own Keras serialization, keeping only arguments that differ
from the defaults), so the file trains the network the app trains, seeds and all. The data comes
from TensorFlow Playground's generator, copied from :mod:`playground.data.planar` with the same
seed and split (2-D sets), or from a CSV written beside the file (every other set).

The file needs only TensorFlow (Keras and NumPy come with it), trains with ``model.fit`` and
prints one JSON line last, with the keys ``python main.py train`` prints. It is importable too:
``load_data()`` and ``build_model(x_train)`` run without training.

Nothing a user or a file names (the experiment's name, a CSV's headers and class labels) is ever
pasted into the file as it is: every such text is a Python string literal (:func:`_string`) or
docstring text (:func:`_docstring`) made by one escaper (:func:`_escaped`), so a name with
quotes, backslashes or line breaks in it is text in the file, never code.
"""
from __future__ import annotations

import ast
import inspect
import io
import os
import re
import textwrap
import tokenize
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from playground.core import build, catalog
from playground.core.spec import Experiment
from playground.data import dataset_info, export_csv, load_dataset, planar
from playground.data.dataset import cross_features
from playground.errors import PlaygroundError
from playground.files import csv_safe, write_text_atomic

if TYPE_CHECKING:
    from playground.data import Dataset

STYLES = ("sequential", "functional", "subclass")
STYLE_TITLES = {"sequential": "keras.Sequential", "functional": "the functional API (keras.Model(inputs, outputs))",
                "subclass": "a keras.Model subclass"}
WIDTH = 99  # the generated lines' length, as a person would keep it
_ALIASES = {"keras.layers": "layers"}  # the file imports ``from keras import layers``
_SKIPPED = {"dtype", "trainable"}  # float32 and trainable are what every layer here has


def check_style(style: str) -> str:
    if style not in STYLES:
        raise PlaygroundError(f"Unknown code style {style!r}; choose one of {', '.join(STYLES)}.")
    return style


def data_file_for(path: str | Path) -> Path:
    """The CSV written beside a code file for a data set that has no generator."""
    path = Path(path)
    return path.with_name(f"{path.stem}_data.csv")


def _check_data_file(exp: Experiment, path: Path, data: Path, force: bool) -> None:
    if not os.path.lexists(data):
        return
    source = Path(exp.dataset.path) if exp.dataset.path else None
    if source is not None and source.exists() and data.exists() and os.path.samefile(source, data):
        raise PlaygroundError(f"The code's data would be written to {data}, which is the CSV this experiment "
                              f"reads; name the code file otherwise (not {path.name}).")
    if not force:
        raise PlaygroundError(f"{data} is already there, and the code's data would replace it; name the code file "
                              "otherwise or move that file away (code --force replaces it).")


def needs_data_file(ds: "Dataset") -> bool:
    return dataset_info(ds.name).kind != "2d"


def export_code(exp: Experiment, path: str | Path, style: str, ds: "Dataset | None" = None,
                epochs: int | None = None, force: bool = False) -> list[Path]:
    """Write the code file (and its data CSV, where the set has no generator) atomically;
    returns the paths written. ``epochs`` (the epochs a model was trained, say) replaces the
    experiment's epoch target. Bad settings raise :class:`PlaygroundError` before anything is written.

    The data CSV is a file the user did not name: one already there is replaced only with ``force``,
    and the CSV the experiment itself reads never is."""
    check_style(style)
    path = Path(path)
    ds = ds or load_dataset(**exp.dataset.model_dump())
    data = data_file_for(path) if needs_data_file(ds) else None
    if data is not None:
        _check_data_file(exp, path, data, force)
    source = python_code(exp, ds, style, data.name if data else None, epochs)
    written = []
    if data is not None:
        export_csv(ds, data)
        written.append(data)
    write_text_atomic(path, source)
    return [path, *written]


# -- text into code: the one way a name reaches the file ------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"'}


def _escaped(text: str) -> str:
    """``text`` for inside a double-quoted string or docstring: a backslash and a double quote
    escaped, and every character that is not printable (line breaks, U+2028, NUL, a lone
    surrogate, tabs) as its escape, so the text stays on its line and reads back as itself."""
    return "".join(_ESCAPES.get(c, c) if c.isprintable() else repr(c)[1:-1] for c in text)


def _string(text: str) -> str:
    """``text`` as a Python string literal."""
    return f'"{_escaped(text)}"'


def _docstring(*paragraphs: str, indent: str = "") -> list[str]:
    """A docstring of ``paragraphs`` (prose with names in it), each filled to :data:`WIDTH` at
    spaces only, so no escape is ever broken across lines."""
    texts = [_escaped(p) for p in paragraphs]
    texts[0] = '"""' + texts[0]
    texts[-1] += '"""' if len(texts) == 1 else ""
    lines = []
    for text in texts:
        lines += ["", *textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent,
                                     break_long_words=False, break_on_hyphens=False)]
    return lines[1:] + ([indent + '"""'] if len(texts) > 1 else [])


# -- Keras objects back into code ---------------------------------------------------------------

def _number(value: float) -> str:
    """A float as written by hand: Keras keeps the learning rate as float32, so 0.03 comes back as
    0.029999999329447746; the shortest float32 text gives the same float32 and reads as typed."""
    if float(np.float32(value)) == value and value != 0:
        return str(np.float32(value))
    return repr(value)


def _literal(value: Any) -> str:
    if isinstance(value, dict) and "class_name" in value:
        return _call(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def _keras_class(doc: dict):
    import keras

    module = keras
    for part in doc["module"].split(".")[1:]:
        module = getattr(module, part)
    return module, getattr(module, doc["class_name"])


def _is_default(key: str, value: Any, default: Any) -> bool:
    import keras

    if value == default:
        return True
    if isinstance(value, (list, tuple)) and len(value) == 1 and value[0] == default:  # axis [-1] is axis -1
        return True
    if isinstance(value, dict) and "class_name" in value and isinstance(default, str):
        module = _keras_class(value)[0]  # "zeros" is keras.initializers.get("zeros"), Zeros()
        return value == keras.saving.serialize_keras_object(module.get(default))
    # An object's own name, or the one Keras numbers for a second instance (adam_1).
    return key == "name" and (default is None or re.fullmatch(rf"{default}(_\d+)?", value) is not None)


def _call(doc: dict) -> str:
    """``keras.<module>.<Class>(...)`` with the arguments of a serialized Keras object that differ
    from the class's defaults (a layer keeps its name, which the file's summary shows)."""
    _, cls = _keras_class(doc)
    params = inspect.signature(cls.__init__).parameters
    first = list(params)[1]  # after self
    args, name = [], []
    for key, value in doc["config"].items():
        if key in _SKIPPED:
            continue
        if key not in params:
            if key == "name" and doc["module"] == "keras.layers":
                name = [f"name={_literal(value)}"]
            continue
        default = params[key].default
        if default is not inspect.Parameter.empty and _is_default(key, value, default):
            continue
        if key == first and default is inspect.Parameter.empty:
            args.insert(0, _literal(value))  # the required first argument, as the notes write it: Dense(8, ...)
        else:
            args.append(f"{key}={_literal(value)}")
    prefix = _ALIASES.get(doc["module"], doc["module"])
    return f"{prefix}.{doc['class_name']}({', '.join(args + name)})"


def _code(obj) -> str:
    import keras

    return _call(keras.saving.serialize_keras_object(obj))


# -- the data ---------------------------------------------------------------------------------------

def _definitions(module, names: list[str]) -> str:
    """The source of ``names`` in ``module`` and of every module-level name they use, in the
    module's order: the generator is copied, never rewritten, so it draws the same points."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    top = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top[node.name] = node
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            top.update({t.id: node for t in node.targets})
    wanted, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in wanted or name not in top:
            continue
        wanted.add(name)
        todo.extend(n.id for n in ast.walk(top[name]) if isinstance(n, ast.Name))
    nodes = [node for node in tree.body if any(top.get(n) is node for n in wanted)]
    return "\n\n\n".join(ast.get_source_segment(source, node) for node in nodes)


def _planar_data(exp: Experiment, ds: "Dataset") -> list[str]:
    from playground.data.registry import _PLANAR  # the registry's own name -> generator table

    generator = _PLANAR[ds.name]
    d = exp.dataset
    n = len(ds.y_train) + len(ds.y_test)
    info = dataset_info(ds.name)
    return [
        f"# The data: TensorFlow Playground's {info.title} set ({ds.name}), drawn as Playground draws",
        "# it: the same generator (copied from Playground), seed and train/test split.",
        _Verbatim(_definitions(planar, [generator.__name__])),
        "",
        "",
        "def load_data():",
        f'    """{n} points (x1, x2) and their {"targets" if ds.task == "regression" else "0/1 labels"}, '
        f'split into train and test."""',
        f"    rng = np.random.default_rng({d.seed})  # the data set's seed",
        f"    points, labels = {generator.__name__}(rng, {n}, {d.noise / 100!r})  # noise {d.noise:g}%",
        f"    n_test = round(len(points) * {d.test_fraction!r})  # the test share",
        "    order = rng.permutation(len(points))  # the same shuffle splits the points",
        "    train, test = order[n_test:], order[:n_test]",
        '    points = points.astype("float32")',
        '    labels = labels.astype("float32").reshape(-1, 1)',
        "    return (points[train], labels[train]), (points[test], labels[test])",
    ]


def _csv_data(exp: Experiment, ds: "Dataset", data_name: str) -> list[str]:
    n_train = len(ds.y_train)
    if ds.task == "regression":
        target = 'np.array([row[-1] for row in rows], dtype="float32").reshape(-1, 1)'
    else:
        target = "np.array([CLASSES.index(row[-1]) for row in rows])"
        if ds.task == "binary":
            target += '.astype("float32").reshape(-1, 1)'
        elif catalog.LOSSES[exp.loss_for(ds.task)].target == "onehot":
            target = f"np.eye(len(CLASSES), dtype=\"float32\")[{target}]  # one-hot, as the loss expects"
        else:
            target += '.astype("int32")  # class indices'
    lines = [f"DATA = Path(__file__).with_name({_string(data_name)})  # written beside this file by Playground"]
    if ds.task != "regression":
        written = [csv_safe(c) for c in ds.class_names]
        if written != list(ds.class_names):
            lines.append("# The labels as the CSV has them: one that starts like a spreadsheet formula "
                         "has a ' before it.")
        lines.append(f"CLASSES = {_literal(written)}")
    return lines + [
        f"N_TRAIN = {n_train}  # the first {n_train} rows are the training part, the rest the test part",
        "",
        "",
        "def load_data():",
        *_docstring(f"The {ds.name} set: {len(ds.feature_names)} feature columns, then the target "
                    f"({ds.target_name}).", indent="    "),
        '    with open(DATA, newline="", encoding="utf-8") as f:',
        "        rows = list(csv.reader(f))[1:]  # after the header row",
        '    x = np.array([row[:-1] for row in rows], dtype="float32")',
        f"    y = {target}",
        "    return (x[:N_TRAIN], y[:N_TRAIN]), (x[N_TRAIN:], y[N_TRAIN:])",
    ]


class _AsSource:
    """Stands in for an array module in :func:`cross_features`, which then returns the source of
    each cross instead of computing it, so the file computes the crosses Playground computes."""

    @staticmethod
    def split(x, n, axis):
        return "x1", "x2"

    @staticmethod
    def concatenate(parts, axis):
        return list(parts)

    def __getattr__(self, name):
        return lambda *args: f"ops.{name}({', '.join(args)})"


def _crosses(ds: "Dataset") -> list[str]:
    parts = cross_features(None, ds.crosses, ops=_AsSource())
    return [
        "",
        "",
        "def feature_crosses(x):",
        f'    """TensorFlow Playground\'s feature crosses of the raw columns: {", ".join(ds.crosses)}."""',
        "    x1, x2 = ops.split(x, 2, axis=1)",
        f"    return ops.concatenate([{', '.join(parts)}], axis=1)",
    ]


# -- the model ----------------------------------------------------------------------------------------

def _layers(model) -> list:
    """The layers of the built model that the file writes out (the crosses are ``feature_crosses``)."""
    import keras

    kinds = (keras.layers.Normalization, keras.layers.Dense, keras.layers.Dropout, keras.layers.Rescaling)
    return [layer for layer in model.layers if isinstance(layer, kinds)]


def _attribute(layer) -> str:
    """The subclass's attribute for a layer: its name, unless keras.Model has one (``output``)."""
    import keras

    return f"{layer.name}_layer" if hasattr(keras.Model, layer.name) else layer.name


class _Verbatim(str):
    """Source copied as it is (the data's generator), which :func:`_wrap` leaves alone."""


def _wrap(line: str, width: int = WIDTH) -> list[str]:
    """A generated statement too long to read, broken after its first opening bracket with one
    argument a line (each wrapped again if need be), as a person would format it. Python's own
    tokenizer finds the brackets and commas, so none inside a string (a class label "a, (b") counts;
    a line that is not a whole statement (a docstring's line) stays as it is."""
    if len(line) <= width or isinstance(line, _Verbatim):
        return [line]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return [line]
    if any(t.type == tokenize.ERRORTOKEN for t in tokens):
        return [line]
    tokens = [t for t in tokens if t.type == tokenize.OP]
    opening = next((i for i, t in enumerate(tokens) if t.string in "([{"), None)
    if opening is None:
        return [line]
    start = tokens[opening].end[1]
    args, depth, begin = [], 0, start
    for token in tokens[opening:]:
        if token.string in "([{":
            depth += 1
        elif token.string in ")]}":
            depth -= 1
            if depth == 0:
                args.append(line[begin:token.start[1]].strip())
                break
        elif token.string == "," and depth == 1:
            args.append(line[begin:token.start[1]].strip())
            begin = token.end[1]
    else:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()) + 4)
    out = [line[:start]]
    for arg in filter(None, args):
        out += _wrap(indent + arg + ",", width)
    return out + [indent[4:] + line[token.start[1]:]]


def _model_code(style: str, model, ds: "Dataset", class_name: str) -> list[str]:
    import keras

    layers_ = _layers(model)
    norm = next((l for l in layers_ if isinstance(l, keras.layers.Normalization)), None)
    adapt_input = "feature_crosses(x_train)" if ds.crosses else "x_train"
    raw_input = f'keras.Input(shape=({ds.raw_dim},), name="{build.INPUT_NAME}")'
    out: list[str] = []
    if style == "subclass":
        out += ["", "", f"class {class_name}(keras.Model):",
                '    """The layers are made in __init__ and applied in call()."""', "",
                "    def __init__(self):",
                f"        super().__init__(name={_string(model.name)})"]
        out += [f"        self.{_attribute(l)} = {_code(l)}" for l in layers_]
        out += ["", "    def call(self, inputs, training=False):",
                f"        x = {'feature_crosses(inputs)' if ds.crosses else 'inputs'}"]
        for layer in layers_:
            extra = ", training=training" if isinstance(layer, keras.layers.Dropout) else ""
            out.append(f"        x = self.{_attribute(layer)}(x{extra})")
        out.append("        return x")
    adapts = ("x_train sets the mean and variance of the Normalization layer." if norm else
              "x_train is not needed: there is no Normalization layer to adapt.")
    out += ["", "", "def build_model(x_train):",
            *_docstring(f"The network in {STYLE_TITLES[style]}, compiled as Playground compiles it; {adapts}",
                        indent="    ")]
    if style == "subclass":
        out.append(f"    model = {class_name}()")
        if norm is not None:
            out.append(f"    model.{_attribute(norm)}.adapt({adapt_input})")
        out.append("    model(x_train[:1])  # one call creates the weights, which summary() then shows")
    else:
        if norm is not None:
            out += [f"    {norm.name} = {_code(norm)}", f"    {norm.name}.adapt({adapt_input})"]
        made = [l.name if l is norm else _code(l) for l in layers_]
        if style == "sequential":
            out += ["    model = keras.Sequential([", f"        {raw_input},"]
            if ds.crosses:
                out.append('        layers.Lambda(feature_crosses, name="feature_crosses"),')
            out += [f"        {m}," for m in made]
            out.append(f"    ], name={_string(model.name)})")
        else:
            out.append(f"    inputs = {raw_input}")
            out.append(f"    x = {'feature_crosses(inputs)' if ds.crosses else 'inputs'}")
            for i, m in enumerate(made):
                target = "outputs" if i == len(made) - 1 else "x"
                out.append(f"    {target} = {m}(x)")
            out.append(f"    model = keras.Model(inputs=inputs, outputs=outputs, name={_string(model.name)})")
    return out


def python_code(exp: Experiment, ds: "Dataset", style: str, data_name: str | None = None,
                epochs: int | None = None) -> str:
    """The experiment as a stand-alone Python file in ``style``; ``data_name`` is the CSV beside it
    (:func:`data_file_for`) for a set without a generator; ``epochs``, if given, replaces the
    experiment's epoch target (an exported trained model's file trains as many epochs as it did).
    Raises for settings that cannot train."""
    check_style(style)
    if needs_data_file(ds) and not data_name:
        raise PlaygroundError(f"The data set {ds.name!r} has no generator; its code needs a CSV file beside it.")
    model = build.build_model(exp, ds)
    scaling = build.target_scaling(exp, ds)  # a regression on scaled targets: its Rescaling and loss weight
    loss = _code(build.make_loss(exp, ds.task, scaling[1] if scaling else 1.0))
    optimizer = _code(build.make_optimizer(exp))
    metric = build.make_metric(exp, ds.task)
    m = metric.name  # accuracy or mae, the key train prints
    t = exp.training
    epochs = epochs or t.epochs
    class_name = "".join(p.capitalize() for p in re.split(r"[^0-9A-Za-z]+", model.name) if p) + "Model"
    if not class_name[0].isalpha():
        class_name = "Playground" + class_name
    imports = ["import json", "import time"]
    if needs_data_file(ds):
        imports = ["import csv", *imports, "from pathlib import Path"]
    figure = "MAE" if ds.task == "regression" else "accuracy"
    doc = _docstring(
        f"{exp.name}: the {ds.name} set, exported from Playground in the {style} style.",
        f"The network is written with {STYLE_TITLES[style]}. Runs on its own: python THIS_FILE.py (needs "
        f"TensorFlow; Keras and NumPy come with it). It builds the network Playground builds, trains it "
        f"for {epochs:,} epochs with model.fit and prints one JSON line last with the final train and test "
        f"loss and {figure}.")
    lines = [*doc, *imports, "", "import keras", "import numpy as np",
             "from keras import layers" + (", ops" if ds.crosses else ""), "", ""]
    lines += _csv_data(exp, ds, data_name) if needs_data_file(ds) else _planar_data(exp, ds)
    if ds.crosses:
        lines += _crosses(ds)
    lines += _model_code(style, model, ds, class_name)
    lines += [
        "    model.compile(",
        f"        loss={loss},",
        *([f"        loss_weights={build.loss_weight(exp, ds.task, scaling[1])!r},"] if scaling else []),
        f"        optimizer={optimizer},",
        f"        metrics=[{_code(metric)}],",
        "    )",
        "    return model",
        "",
        "",
        "def main():",
        f"    keras.utils.set_random_seed({t.seed})  # the same shuffles and dropout masks on every run",
        "    (x_train, y_train), (x_test, y_test) = load_data()",
        "    model = build_model(x_train)",
        "    model.summary()",
        "    start = time.perf_counter()",
        f"    history = model.fit(x_train, y_train, batch_size={t.batch_size}, epochs={epochs},",
        "                        validation_data=(x_test, y_test), verbose=2)",
        "    seconds = time.perf_counter() - start",
        "    h = history.history  # val_ figures are the test part's, as Playground names them test_",
        "    result = {",
        '        "epochs": len(h["loss"]),',
        '        "loss": float(h["loss"][-1]),',
        f'        "{m}": float(h["{m}"][-1]),',
        '        "test_loss": float(h["val_loss"][-1]),',
        f'        "test_{m}": float(h["val_{m}"][-1]),',
        '        "seconds": round(seconds, 3),',
        "    }",
        "    print(json.dumps(result))",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
    ]
    return "\n".join(wrapped for line in lines for wrapped in _wrap(line)) + "\n"
