"""Code export: each style's file runs on its own, learns, and builds the engine's own model."""
import ast
import csv
import inspect
import json
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.core import build, codegen
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset
from playground.errors import PlaygroundError

ROOT = Path(__file__).resolve().parents[2]


def run_file(path: Path) -> tuple[dict, str]:
    """Run a generated file as a user would (``python FILE.py`` in its folder, a fresh process) and
    return its last line as JSON, with all it printed."""
    result = subprocess.run([sys.executable, path.name], cwd=path.parent, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"the generated file failed:\n{result.stderr[-3000:]}"
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("{"), f"the file printed no JSON line last:\n{result.stdout[-2000:]}"
    return json.loads(lines[-1]), result.stdout


def xor_exp(**training) -> Experiment:
    """XOR with every part the file must carry: a feature cross, normalization, L1/L2 on kernel and
    bias, dropout, a decaying learning rate."""
    exp = Experiment(name="xor code")
    exp.dataset.samples = 300
    exp.dataset.features = ["x1", "x2", "x1*x2"]
    exp.model.normalize = True
    exp.model.layers = [LayerSpec(units=8, kernel_l2=0.001, bias_l1=0.0005), LayerSpec(units=8, dropout=0.1)]
    exp.training.learning_rate = 0.03
    exp.training.batch_size = 20
    exp.training.epochs = 25
    exp.training.schedule = "exponential"
    for k, v in training.items():
        setattr(exp.training, k, v)
    return exp


def logits_exp() -> Experiment:
    """Circle, a linear output trained on logits (from_logits=True) with SGD, momentum and Nesterov."""
    exp = xor_exp(optimizer="sgd", momentum=0.9, nesterov=True, schedule="cosine")
    exp.dataset.name = "circle"
    exp.dataset.noise = 10.0
    exp.dataset.features = ["x1", "x2", "x1^2", "sin_x2"]
    exp.model.output_activation = "linear"
    exp.model.layers[0].kernel_initializer = "he_normal"
    return exp


@pytest.mark.parametrize("style", codegen.STYLES)
def test_each_style_trains_xor_on_its_own(tmp_path, style):
    path = tmp_path / "xor.py"
    assert codegen.export_code(xor_exp(), path, style) == [path]  # a generated set needs no CSV
    summary, printed = run_file(path)
    assert list(summary) == ["epochs", "loss", "accuracy", "test_loss", "test_accuracy", "seconds"]
    assert summary["epochs"] == 25
    assert summary["test_accuracy"] >= 0.95, f"the {style} file did not learn XOR: {summary}"
    assert "hidden_1" in printed and "normalization" in printed  # model.summary() names Playground's layers


def _imported(path: Path) -> dict:
    """The file's functions (load_data, build_model), checked to import nothing but TensorFlow's own."""
    tree = ast.parse(path.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"csv", "json", "time", "pathlib", "keras", "numpy", "tensorflow"}, imported
    return runpy.run_path(str(path), run_name="generated")  # the __main__ guard: nothing trains


def _configs(model) -> list[dict]:
    import keras

    kinds = (keras.layers.Normalization, keras.layers.Dense, keras.layers.Dropout)
    return [layer.get_config() for layer in model.layers if isinstance(layer, kinds)]


def _compiled(model) -> dict:
    """What compile() was given: loss, optimizer (without its numbered name) and metrics."""
    config = model.get_compile_config()
    del config["optimizer"]["config"]["name"]
    return config


@pytest.mark.parametrize("make", [xor_exp, logits_exp], ids=["xor", "circle-logits"])
@pytest.mark.parametrize("style", codegen.STYLES)
def test_the_file_builds_the_engines_model_from_the_same_data(tmp_path, style, make):
    exp = make()
    ds = load_dataset(**exp.dataset.model_dump())
    path = tmp_path / "model.py"
    codegen.export_code(exp, path, style, ds)
    file = _imported(path)
    (x_train, y_train), (x_test, y_test) = file["load_data"]()
    np.testing.assert_array_equal(x_train, ds.raw_train, err_msg="the file draws other training points")
    np.testing.assert_array_equal(x_test, ds.raw_test, err_msg="the file draws other test points")
    np.testing.assert_array_equal(y_train, build.loss_targets(exp, ds.task, ds.y_train, ds.num_classes))
    np.testing.assert_array_equal(y_test, build.loss_targets(exp, ds.task, ds.y_test, ds.num_classes))

    model = file["build_model"](x_train)
    engine_model = build.build_model(exp, ds)
    assert model.count_params() == engine_model.count_params()
    assert _configs(model) == _configs(engine_model), "a layer differs (units, activation, initializer, " \
                                                      "regularizer, dropout or normalization)"
    for mine, theirs in zip(model.weights, engine_model.weights):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(theirs), rtol=1e-6, atol=1e-6,
                                   err_msg=f"{mine.path}: other initial weights or normalization statistics")
    assert _compiled(model) == _compiled(engine_model), "the loss, optimizer or metric differs"
    np.testing.assert_allclose(model(x_test[:5]), engine_model(ds.raw_test[:5]), rtol=1e-5, atol=1e-6)


def test_a_regression_file_reports_mae_close_to_the_engine(tmp_path):
    from playground.core.engine import Engine

    exp = Experiment(name="plane")
    exp.dataset.name = "reg-plane"
    exp.dataset.samples = 400
    exp.model.layers = [LayerSpec(units=6, activation="tanh")]
    exp.training.learning_rate = 0.01
    exp.training.batch_size = 20
    exp.training.epochs = 40
    path = tmp_path / "plane.py"
    codegen.export_code(exp, path, "functional")
    summary, _ = run_file(path)
    assert list(summary) == ["epochs", "loss", "mae", "test_loss", "test_mae", "seconds"]
    engine = Engine(exp)
    assert engine.run() == "finished"
    engine_mae = engine.history["test_mae"][-1]
    ds = load_dataset(**exp.dataset.model_dump())
    guess_mae = np.mean(np.abs(ds.y_test - ds.y_train.mean()))  # always predicting the mean: about 0.4
    assert summary["test_mae"] < 0.2 * guess_mae, f"the file did not learn the plane: {summary}"
    assert abs(summary["test_mae"] - engine_mae) < 0.5 * engine_mae + 0.005, (summary, engine_mae)


def test_a_csv_set_trains_from_the_csv_written_beside_the_file(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(240, 3))
    names = np.array(["left", "middle", "right"])[np.digitize(x[:, 0] + 0.5 * x[:, 1], [-0.6, 0.6])]
    data = tmp_path / "points.csv"
    data.write_text("a,b,c,side\n" + "".join(f"{p},{q},{r},{s}\n" for (p, q, r), s in zip(x, names)))
    exp = Experiment(name="sides")
    exp.dataset.name, exp.dataset.path, exp.dataset.target = "csv", str(data), "side"
    exp.model.normalize = True
    exp.training.loss = "categorical_crossentropy"  # one-hot targets, so the file must encode them
    exp.training.learning_rate = 0.03
    exp.training.batch_size = 20
    exp.training.epochs = 30
    out = tmp_path / "code"
    out.mkdir()
    path = out / "sides.py"
    assert codegen.export_code(exp, path, "sequential") == [path, out / "sides_data.csv"]
    summary, _ = run_file(path)
    assert summary["test_accuracy"] >= 0.9, summary
    ds = load_dataset(**exp.dataset.model_dump())
    (x_train, y_train), _ = _imported(path)["load_data"]()
    np.testing.assert_array_equal(x_train, ds.x_train)
    np.testing.assert_array_equal(y_train, build.loss_targets(exp, ds.task, ds.y_train, ds.num_classes))


def test_bad_choices_are_one_sentence_and_write_nothing(tmp_path):
    with pytest.raises(PlaygroundError, match="Unknown code style 'oop'; choose one of sequential, functional"):
        codegen.export_code(xor_exp(), tmp_path / "x.py", "oop")
    exp = xor_exp()
    exp.model.output_activation = "softmax"
    with pytest.raises(PlaygroundError, match="Softmax over a single output unit"):
        codegen.export_code(exp, tmp_path / "x.py", "functional")
    assert list(tmp_path.iterdir()) == []


def main_py(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_the_code_command_writes_the_style_asked_for(tmp_path):
    xor_exp().save(tmp_path / "xor.json")
    result = main_py("code", "xor.json", "--style", "subclass", "-o", "xor_model.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Wrote xor_model.py; run it with: python xor_model.py"
    source = (tmp_path / "xor_model.py").read_text()
    assert "class XorCodeModel(keras.Model):" in source and "keras.Sequential" not in source


@pytest.mark.parametrize("args, sentence", [
    (["--style", "oop", "-o", "x.py"], "Argument --style: invalid choice: 'oop' (choose from 'sequential', 'functional', 'subclass')."),
    (["--style", "functional", "-o", "missing/x.py"], "Cannot write missing/x.py: the folder missing does not exist."),
    (["--style", "functional"], "The following arguments are required: -o/--out."),
])
def test_the_code_command_says_what_is_wrong_in_one_sentence(tmp_path, args, sentence):
    xor_exp().save(tmp_path / "xor.json")
    result = main_py("code", "xor.json", *args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert sentence in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xor.json"]


# -- names are text, never code (issue 18) ---------------------------------------------------------

PAYLOAD = 'x"""; open("SENTINEL", "w"); """'  # closes a docstring, opens a file, opens another docstring


def _run_here(path: Path, monkeypatch) -> dict:
    """The generated file run in this process from its own folder (``python FILE.py`` would do
    the same, in seconds more): imported, then ``main()``; its functions back."""
    monkeypatch.chdir(path.parent)
    file = runpy.run_path(str(path), run_name="generated")  # a SyntaxError or a payload at import shows here
    file["main"]()
    assert not (path.parent / "SENTINEL").exists(), "a name in the file ran as code"
    return file


def tiny_xor(name: str) -> Experiment:
    exp = Experiment(name=name)
    exp.dataset.samples = 20
    exp.model.layers = [LayerSpec(units=2)]
    exp.training.epochs = 1
    return exp


@pytest.mark.parametrize("name", [PAYLOAD, "C:\\Users\\me\\New net", "line\u2028break", "a\nb'''\"\\",
                                  "x" * 120 + " (keras.Model(inputs, outputs))"],
                         ids=["closes-docstring", "backslashes", "u2028", "quotes-newline", "long"])
@pytest.mark.parametrize("style", codegen.STYLES)
def test_an_experiments_name_is_text_in_the_file_never_code(tmp_path, monkeypatch, style, name):
    path = tmp_path / "named.py"
    codegen.export_code(tiny_xor(name), path, style)
    file = _run_here(path, monkeypatch)
    assert " ".join(name.split()) in " ".join(file["__doc__"].split()), "the docstring does not name it as it is"


def test_a_csv_whose_names_are_code_gives_a_file_that_trains(tmp_path, monkeypatch):
    """The target column's header is the payload, a feature's header ends in a backslash, and the
    class labels hold brackets and commas on a line long enough to be wrapped."""
    labels = ["left (west), far", "right (east), near", "mid", "up (north)", "down, (south)", "x" * 20]
    rng = np.random.default_rng(0)
    data = tmp_path / "named.csv"
    with open(data, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["C:\\temp\\", "b", PAYLOAD])
        writer.writerows([*rng.normal(size=2).round(3), labels[i % len(labels)]] for i in range(24))
    exp = Experiment(name="labels")
    exp.dataset.name, exp.dataset.path, exp.dataset.target = "csv", str(data), PAYLOAD
    exp.model.layers = [LayerSpec(units=2)]
    exp.training.epochs = 1
    out = tmp_path / "code"
    out.mkdir()
    path = out / "named.py"
    codegen.export_code(exp, path, "functional")
    file = _run_here(path, monkeypatch)
    assert file["CLASSES"] == sorted(labels)


def _fit_epochs(source: str) -> int:
    fit = next(node for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "fit")
    return next(k.value.value for k in fit.keywords if k.arg == "epochs")


def test_the_file_trains_the_epochs_asked_for_else_the_experiments(tmp_path):
    exp = xor_exp()  # 25 epochs
    codegen.export_code(exp, tmp_path / "target.py", "sequential")
    codegen.export_code(exp, tmp_path / "trained.py", "sequential", epochs=7)  # what the window passes
    assert _fit_epochs((tmp_path / "target.py").read_text()) == 25
    trained = (tmp_path / "trained.py").read_text()
    assert _fit_epochs(trained) == 7
    assert "trains it for 7 epochs" in " ".join(ast.get_docstring(ast.parse(trained)).split())


@pytest.mark.parametrize("style", codegen.STYLES)
def test_the_file_reads_as_written_by_hand(style):
    """The data's generator is copied as Playground's source has it (not re-wrapped into
    ``def _halves(\\n    n: int,\\n)``), and every line written here fits 99 characters."""
    from playground.data import planar

    exp = logits_exp()
    exp.dataset.name = "spiral"
    ds = load_dataset(**exp.dataset.model_dump())
    source = codegen.python_code(exp, ds, style)
    copied = [inspect.getsource(f).rstrip("\n") for f in (planar._halves, planar._polar, planar.spiral)]
    for definition in copied:
        assert definition in source, f"the generator is not copied as written:\n{definition}"
    rest = source
    for definition in copied:
        rest = rest.replace(definition, "")
    long = [line for line in rest.splitlines() if len(line) > 99]
    assert not long, long
    assert "seed 00" not in source.lower()  # the notes' file numbers mean nothing to a user
