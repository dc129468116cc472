"""Regression targets far from 0 (sklearn's diabetes: 25-346) scaled for training: the model learns them
(the raw ones train flat), yet predicts, reports its MAE and exports in their own units; a model no better
than predicting the mean says so."""
from __future__ import annotations

import json

import numpy as np
import pytest

from playground.core import spec
from playground.core.build import TARGET_SCALING
from playground.core.engine import Engine
from playground.core.export import about_path, save_model
from playground.core.spec import Experiment, LayerSpec

EPOCHS = {True: 15, False: 5}  # scaled: enough to beat the mean well; raw: not yet near it


@pytest.fixture(scope="module")
def diabetes_csv(tmp_path_factory):
    from sklearn.datasets import load_diabetes

    data = load_diabetes()
    path = tmp_path_factory.mktemp("diabetes") / "diabetes.csv"
    table = np.column_stack([data.data, data.target])
    np.savetxt(path, table, delimiter=",", fmt="%.8g", comments="", header=",".join([*data.feature_names, "target"]))
    return path


def _experiment(path, scale: bool) -> Experiment:
    exp = Experiment(name="diabetes")
    exp.dataset.name, exp.dataset.path, exp.dataset.target, exp.dataset.task = "csv", str(path), "target", "regression"
    exp.dataset.test_fraction = 0.2
    exp.model.normalize = True
    exp.model.scale_targets = scale
    exp.model.layers = [LayerSpec(units=16, activation="relu")]
    exp.training.batch_size = 32
    exp.training.epochs = EPOCHS[scale]
    return exp


@pytest.fixture(scope="module")
def trained(diabetes_csv):
    """The same network trained on the targets scaled and as they are."""
    out = {}
    for scale in (True, False):
        engine = Engine(_experiment(diabetes_csv, scale), lambda event: None)
        engine.jit = False
        assert engine.run() == "finished"
        out[scale] = engine
    return out


def _mean_mae(ds) -> float:
    return float(np.mean(np.abs(ds.y_test - ds.y_train.mean())))


def test_scaled_targets_train_and_every_figure_is_in_the_targets_own_units(trained):
    engine = trained[True]
    ds = engine.dataset
    assert 25 <= ds.y_train.min() and ds.y_train.max() <= 346
    predicted = engine.model.predict(ds.raw_test, verbose=0)[:, 0].astype(np.float64)
    y = ds.y_test.astype(np.float64)
    # the MAE the curves and the Runs table show is that of the predictions, in the targets' units
    assert engine.history["test_mae"][-1] == pytest.approx(np.mean(np.abs(predicted - y)), rel=1e-4)
    # the loss is the mean squared error of the standardized targets (what trains), not of the raw ones
    mean, std = float(ds.y_train.mean()), float(ds.y_train.std())
    assert engine.history["test_loss"][-1] == pytest.approx(np.mean(((predicted - y) / std) ** 2), rel=1e-3)
    assert engine.history["test_mae"][-1] < 0.85 * _mean_mae(ds), "scaled targets did not train"
    assert abs(predicted.mean() - mean) < 0.25 * std, "the predictions are not in the targets' units"
    assert spec.no_better_than_mean(engine.experiment, "regression", ds.y_train, ds.y_test,
                                    np.asarray(engine.history["test_mae"])) is None


def test_raw_targets_train_flat_and_the_model_panel_warning_says_so(trained):
    engine = trained[False]
    ds = engine.dataset
    mae = np.asarray(engine.history["test_mae"])
    baseline = _mean_mae(ds)
    assert mae[-1] >= baseline, "the raw diabetes targets trained well: the warning below is untested"
    problem = spec.no_better_than_mean(engine.experiment, "regression", ds.y_train, ds.y_test, mae)
    assert problem is not None and problem.severity == "warning"
    assert problem.message == (f"After {EPOCHS[False]} epochs the test MAE is {mae[-1]:.4g}: no better than always "
                               f"predicting the training targets' mean ({baseline:.4g}).")
    assert "Scale targets" in problem.fix


def test_the_exported_keras_file_predicts_in_the_targets_units(trained, tmp_path):
    import keras

    engine = trained[True]
    ds = engine.dataset
    path = tmp_path / "diabetes.keras"
    save_model(engine.model, path, engine.experiment, ds)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert loaded.layers[-1].name == TARGET_SCALING and not loaded.layers[-1].weights
    config = loaded.layers[-1].get_config()  # the training split's statistics, computed here
    y = ds.y_train.astype(np.float64)
    assert (config["scale"], config["offset"]) == pytest.approx((y.std(), y.mean()), rel=1e-6)
    np.testing.assert_allclose(loaded.predict(ds.raw_test, verbose=0), engine.model.predict(ds.raw_test, verbose=0),
                               rtol=1e-6)
    mae = float(np.mean(np.abs(loaded.predict(ds.raw_test, verbose=0)[:, 0] - ds.y_test)))
    assert mae == pytest.approx(engine.history["test_mae"][-1], rel=1e-4)
    rule = json.loads(about_path(path).read_text())["output"]["rule"]
    assert f"multiplies by {ds.y_train.std():.6g} and adds {ds.y_train.mean():.6g}" in rule


def test_scaling_is_saved_in_the_experiment_file_and_old_files_get_it(tmp_path):
    exp = Experiment()
    exp.model.scale_targets = False
    assert spec.from_json(exp.to_json()).model.scale_targets is False
    old = exp.to_dict()
    del old["model"]["scale_targets"]  # a file written before the setting existed
    assert spec.from_dict(old).model.scale_targets is True


def test_the_cli_says_when_a_regression_is_no_better_than_the_mean(diabetes_csv, tmp_path):
    from tests.core.test_core_cli import run

    flat, good = tmp_path / "flat.json", tmp_path / "good.json"
    _experiment(diabetes_csv, False).save(flat)
    _experiment(diabetes_csv, True).save(good)
    result = run("train", flat, "--out", tmp_path / "flat")
    assert result.returncode == 0, result.stderr
    mae = json.loads(result.stdout.strip().splitlines()[-1])["test_mae"]
    assert (f"playground: warning: After {EPOCHS[False]} epochs the test MAE is {mae:.4g}: no better than always "
            "predicting the training targets' mean") in result.stderr, result.stderr
    assert "Turn on Scale targets" in result.stderr
    result = run("train", good, "--out", tmp_path / "good")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
