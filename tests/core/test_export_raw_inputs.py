"""Exports someone else can use: models take the raw columns and say what they take and return.

TensorFlow Playground's classic: the circle set with the crosses x1^2, x2^2 and no hidden layer.
Logistic regression on the squares separates the circle perfectly; on raw (x1, x2) it cannot
(about half right), so an export that expects crossed inputs, or forgets to cross them, shows.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from playground.core import export, spec
from playground.core.engine import Engine
from playground.core.spec import Experiment
from playground.data import load_dataset


def circle_experiment(**model) -> Experiment:
    exp = Experiment(name="circle")
    exp.dataset.name = "circle"
    exp.dataset.samples = 200
    exp.dataset.features = ["x1^2", "x2^2"]
    exp.model.layers = []
    exp.model.normalize = True
    for k, v in model.items():
        setattr(exp.model, k, v)
    exp.training.epochs = 40
    exp.training.learning_rate = 0.1
    return exp


@pytest.fixture(scope="module")
def circle():
    engine = Engine(circle_experiment())
    assert engine.run() == "finished"
    return engine


def fresh_python(code: str, cwd=None) -> list[str]:
    """Run ``code`` in a new interpreter that never imports playground; its stdout lines."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()


def test_the_keras_file_takes_raw_points_in_plain_keras(circle, tmp_path):
    ds = circle.dataset
    assert ds.raw_names == ("x1", "x2") and ds.feature_names == ("x1^2", "x2^2")
    path = tmp_path / "circle.keras"
    export.save_model(circle.model, path, circle.experiment, ds)
    np.save(tmp_path / "x.npy", ds.points_test)  # raw (x1, x2): no crosses, no normalization
    np.save(tmp_path / "y.npy", ds.y_test)
    out = fresh_python(
        "import json, sys, keras, numpy as np\n"
        "assert not any(m.startswith('playground') for m in sys.modules)\n"
        f"m = keras.models.load_model({str(path)!r}, safe_mode=True)\n"
        f"x, y = np.load({str(tmp_path / 'x.npy')!r}), np.load({str(tmp_path / 'y.npy')!r})\n"
        "p = m.predict(x, verbose=0)[:, 0]\n"
        "print(json.dumps({'accuracy': float(np.mean((p > 0.5) == (y > 0.5))), 'p': p.tolist()}))")
    theirs = json.loads(out[-1])
    reported = circle.history["test_accuracy"][-1]
    assert reported >= 0.9, f"the circle did not train: test accuracy {reported}"
    assert theirs["accuracy"] == pytest.approx(reported, abs=1 / len(ds.y_test)), \
        "plain Keras fed raw (x1, x2) does not reach the accuracy the engine reported"
    np.testing.assert_allclose(theirs["p"], circle.predict(ds.points_test)[:, 0], rtol=1e-5, atol=1e-6)


def test_the_savedmodel_serves_raw_columns(circle, tmp_path):
    folder = tmp_path / "served"
    export.export_savedmodel(circle.model, folder, circle.experiment, circle.dataset)
    probe = circle.dataset.points_test[:20]
    out = fresh_python(
        "import json, numpy as np, tensorflow as tf\n"
        f"m = tf.saved_model.load({str(folder)!r})\n"
        "spec = m.signatures['serving_default'].structured_input_signature[1]\n"
        "print(json.dumps({k: v.shape.as_list() for k, v in spec.items()}))\n"
        f"print(json.dumps(m.serve(tf.constant({probe.tolist()})).numpy().tolist()))")
    about = json.loads(export.about_path(folder).read_text())
    assert json.loads(out[-2]) == {about["input"]["name"]: [None, 2]}, \
        "the serving signature does not take the two raw columns under the name the about file gives"
    np.testing.assert_allclose(json.loads(out[-1]), circle.predict(probe), rtol=1e-5, atol=1e-6)


def test_weights_load_into_the_model_built_from_the_experiment(circle, tmp_path):
    path = tmp_path / "circle.weights.h5"
    export.save_weights(circle.model, path, circle.experiment, circle.dataset)
    circle.experiment.save(tmp_path / "circle.json")
    rebuilt = Engine(spec.load(tmp_path / "circle.json"))
    rebuilt.reset()  # other initial weights than the trained model started from
    rebuilt.prepare()
    probe = circle.dataset.points_test
    assert not np.allclose(rebuilt.predict(probe), circle.predict(probe), atol=1e-3)
    export.load_weights_into(rebuilt.model, path)
    np.testing.assert_array_equal(rebuilt.predict(probe), circle.predict(probe))


def test_the_decision_boundary_is_the_models_output_on_raw_grid_points(circle):
    boundary = circle.boundary()
    gx, gy = np.meshgrid(boundary.xs, boundary.ys)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    np.testing.assert_allclose(circle.predict(points).reshape(boundary.output.shape), boundary.output,
                               atol=1e-5, err_msg="the boundary is not the model's output on the grid's points")


def test_every_about_file_describes_raw_inputs_and_its_usage_lines_run(circle, tmp_path):
    exp, ds = circle.experiment, circle.dataset
    export.save_model(circle.model, tmp_path / "m.keras", exp, ds)
    export.save_weights(circle.model, tmp_path / "m.weights.h5", exp, ds)
    export.export_savedmodel(circle.model, tmp_path / "m_savedmodel", exp, ds)
    abouts = [json.loads((tmp_path / name).read_text())
              for name in ("m.keras.about.json", "m.weights.h5.about.json", "m_savedmodel.about.json")]
    for about, kind in zip(abouts, ("keras", "weights", "savedmodel")):
        assert (about["format"], about["version"], about["kind"]) == ("playground.about", 1, kind)
        assert about["input"]["columns"] == ["x1", "x2"] and about["input"]["shape"] == [None, 2]
        assert [step["step"] for step in about["preprocessing"]] == ["feature crosses", "normalization"]
        assert about["preprocessing"][0]["features"] == ["x1^2", "x2^2"]
        assert about["output"]["kind"] == "probability" and about["output"]["units"] == ["P(label = 1)"]
    # Each usage example, run as written from the export's folder, predicts what the engine does
    # for the row it shows.
    script = "\n".join(line for about in abouts for line in about["usage"])
    printed = fresh_python(script, cwd=tmp_path)
    row = ds.points_test[:1].astype(np.float64).round(4).astype(np.float32)
    expected = circle.predict(row)[0, 0]
    values = [float(line.strip("[] ")) for line in printed if line.startswith("[")]
    assert len(values) == 3 and all(len(about["usage"]) <= 4 for about in abouts)
    np.testing.assert_allclose(values, [expected] * 3, rtol=1e-5)


def test_the_about_file_says_logits_or_probabilities(tmp_path):
    """A linear output with cross-entropy trains on logits: the about file says so, and applying
    its conversion to the exported model's output reproduces the engine's accuracy."""
    logits = Engine(circle_experiment(output_activation="linear"))
    logits.run()
    export.save_model(logits.model, tmp_path / "logits.keras", logits.experiment, logits.dataset)
    about = json.loads((tmp_path / "logits.keras.about.json").read_text())["output"]
    assert (about["kind"], about["convert"], about["activation"]) == ("logit", "sigmoid", "linear")
    out = export.load_model(tmp_path / "logits.keras").predict(logits.dataset.points_test, verbose=0)[:, 0]
    assert out.min() < 0 or out.max() > 1, "a logit model's output should leave [0, 1]"
    accuracy = np.mean((1 / (1 + np.exp(-out)) > 0.5) == (logits.dataset.y_test > 0.5))
    assert accuracy == pytest.approx(logits.history["test_accuracy"][-1])

    exp = circle_experiment()
    ds = load_dataset(**exp.dataset.model_dump())
    probability = export.describe_io(exp, ds)["output"]
    assert (probability["kind"], probability["convert"]) == ("probability", None)
    iris = load_dataset("iris")
    multi = Experiment()
    multi.model.output_activation = "linear"
    out = export.describe_io(multi, iris)["output"]
    assert (out["kind"], out["convert"], out["classes"]) == ("logits", "softmax", list(iris.class_names))
    multi.model.output_activation = "softmax"
    out = export.describe_io(multi, iris)["output"]
    assert (out["kind"], out["convert"]) == ("probabilities", None)
    assert out["units"] == [f"P({iris.target_name} = {c})" for c in iris.class_names]
    regression = load_dataset("reg-plane", samples=50)
    out = export.describe_io(Experiment(), regression)["output"]
    assert (out["kind"], out["units"]) == ("value", [regression.target_name])


def test_a_model_without_crosses_takes_its_columns_unchanged():
    """Tabular data: the model's input is the data set's columns; no cross layers appear."""
    from playground.core.build import INPUT_NAME, build_model

    iris = load_dataset("iris")
    exp = Experiment()
    exp.model.normalize = True
    model = build_model(exp, iris)
    assert iris.crosses == () and iris.raw_names == iris.feature_names
    assert model.input_shape == (None, 4) and model.inputs[0].name == INPUT_NAME
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Normalization", "Dense", "Dense", "Dense"]
    about = export.describe_io(exp, iris)
    assert about["input"]["columns"] == list(iris.feature_names)
    assert [step["step"] for step in about["preprocessing"]] == ["normalization"]
    x = iris.x_test[:5]
    norm = model.get_layer("normalization")
    np.testing.assert_allclose(norm(x), (x - iris.x_train.mean(0)) / iris.x_train.std(0), rtol=1e-4, atol=1e-4)


def test_the_crosses_inside_the_model_equal_the_data_sets_features():
    """What the model computes from raw points before its Normalization is the data set's features,
    every cross in the data set's order."""
    import keras

    from playground.core.build import build_model
    from playground.data import FEATURES

    ds = load_dataset("spiral", samples=60, features=list(reversed(FEATURES)))
    exp = Experiment()
    exp.model.normalize = True
    model = build_model(exp, ds)
    crosses = keras.Model(model.input, model.get_layer("normalization").input)
    np.testing.assert_allclose(crosses(ds.points_train), ds.x_train, rtol=1e-6, atol=1e-6)
