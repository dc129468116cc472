"""The Data panel as a user drives it: built-in sets with their tuned settings, CSV task, errors, background loads."""
from __future__ import annotations

import json

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel

from playground.core import spec
from playground.resources_path import example_path
from playground.ui.data_panel import DataPanel
from playground.ui.dialogs import Dialogs
from playground.ui.state import ExperimentState

TABLES = ["wine", "coffee", "breast-cancer"]  # near chance with the window's plain defaults (no normalization)


def _undo_text(window) -> str:
    return window.act_undo.text().replace("&", "")


def _settings_shown(window, driver) -> dict:
    """What the panels show of the settings an example decides."""
    return {
        "normalize": window.findChild(QCheckBox, "normalizeCheck").isChecked(),
        "learning_rate": window.findChild(QDoubleSpinBox, "learningRateSpin").value(),
        "batch_size": driver.spin(window, "batchSizeSpin").value(),
        "epochs": driver.spin(window, "epochsSpin").value(),
        "train_share": driver.spin(window, "trainShareSpin").value(),
        "loss": driver.combo(window, "lossCombo").currentData(),
        "optimizer": driver.combo(window, "optimizerCombo").currentData(),
        "layers": list(zip(driver.units(window), driver.activations(window))),
    }


def _example_settings(name: str) -> dict:
    exp = spec.load(example_path(name))
    t = exp.training
    return {"normalize": exp.model.normalize, "learning_rate": t.learning_rate, "batch_size": t.batch_size,
            "epochs": t.epochs, "train_share": round((1 - exp.dataset.test_fraction) * 100), "loss": t.loss,
            "optimizer": t.optimizer, "layers": [(l.units, l.activation) for l in exp.model.layers]}


def _write_ratings(path, rows: int = 60) -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (rows, 3))
    rating = np.clip(np.round(1 + 9 * x.mean(axis=1)), 1, 10).astype(int)
    lines = ["acidity,sugar,alcohol,rating"] + [f"{a:.3f},{b:.3f},{c:.3f},{r}" for (a, b, c), r in zip(x, rating)]
    path.write_text("\n".join(lines) + "\n")


def _import(window, qtbot, path) -> None:
    window.data_panel.import_csv(str(path))
    qtbot.waitUntil(lambda: window.state.experiment.dataset.path == str(path), timeout=60_000)


def _write_big(path, rows: int) -> None:
    rng = np.random.default_rng(1)
    data = np.column_stack([rng.normal(size=(rows, 8)), rng.integers(0, 2, rows)])
    np.savetxt(path, data, fmt=["%.5f"] * 8 + ["%d"], delimiter=",", comments="",
               header=",".join([f"f{i}" for i in range(8)] + ["label"]))


def test_a_built_in_set_comes_with_its_examples_settings_in_one_undoable_edit(make_window, driver):
    window = make_window(ready=False)
    combo = driver.combo(window, "datasetCombo")
    driver.choose(driver.combo(window, "deviceCombo"), "cpu")  # a choice of machine: kept
    first = _settings_shown(window, driver)
    for name in TABLES:
        driver.choose(combo, name)
        assert _settings_shown(window, driver) == _example_settings(name), name
        assert _undo_text(window) == f"Undo Choose data set {combo.currentText()}"
        assert driver.combo(window, "deviceCombo").currentData() == "cpu"
    for name in reversed(TABLES[:-1]):  # each choice is one step back
        window.undo()
        assert combo.currentData() == name and _settings_shown(window, driver) == _example_settings(name)
    window.undo()
    assert combo.currentData() == "xor" and _settings_shown(window, driver) == first


def test_a_network_the_user_built_stays_when_the_data_set_changes(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    combo = driver.combo(window, "datasetCombo")
    driver.choose(combo, "wine")
    _write_ratings(tmp_path / "ratings.csv")
    _import(window, qtbot, tmp_path / "ratings.csv")
    driver.choose(combo, "coffee")  # wine's network came with wine: coffee brings its own
    assert _settings_shown(window, driver) == _example_settings("coffee")
    driver.click(window, "addLayerButton")
    driver.rows(window)[1].units.setValue(5)
    built = list(zip(driver.units(window), driver.activations(window)))
    driver.choose(combo, "iris")
    assert list(zip(driver.units(window), driver.activations(window))) == built
    shown, example = _settings_shown(window, driver), _example_settings("iris")
    assert shown.pop("layers") == built and example.pop("layers") != built
    assert shown == example  # the rest still follows the example


def test_wine_coffee_and_breast_cancer_train_well_as_chosen(make_window, driver):
    window = make_window()
    combo = driver.combo(window, "datasetCombo")
    for name in TABLES:
        driver.choose(combo, name)
        driver.wait_ready(window)
        driver.click(window, "trainButton")
        driver.wait_idle(window, timeout=120_000)
        assert driver.epoch(window) == driver.spin(window, "epochsSpin").value()
        accuracy = window.curves.series("accuracy", "test")[1]
        assert accuracy[-1] >= 0.9, f"{name}: test accuracy {accuracy[-1]:.3f} with the settings it came with"


def test_the_task_choice_turns_ratings_into_a_regression(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    task, units = driver.combo(window, "taskCombo"), window.findChild(QLabel, "outputUnitsLabel")
    output = driver.combo(window, "outputActivationCombo")
    assert not task.isVisibleTo(window.data_panel)  # built-in sets have their own task
    _write_ratings(tmp_path / "ratings.csv")
    _import(window, qtbot, tmp_path / "ratings.csv")
    assert task.isVisibleTo(window.data_panel) and task.currentText() == "Auto (multi-class classification)"
    classes = len(window.state.dataset.class_names)
    assert classes > 2 and units.text() == f"{classes} units" and output.currentText() == "Auto (Softmax)"
    assert window.curves.metric_plot.accessibleName() == "Accuracy"

    driver.choose(task, "regression")

    def one_unit() -> None:
        assert units.text() == "1 unit", "choosing Regression did not make the output one unit"
    qtbot.waitUntil(one_unit, timeout=30_000)
    assert output.currentText() == "Auto (Linear)" and driver.combo(window, "lossCombo").currentText().startswith(
        "Auto (Mean squared error")
    assert window.curves.metric_plot.accessibleName() == "Mean absolute error"
    assert window.save_experiment(tmp_path / "ratings.json")
    assert json.loads((tmp_path / "ratings.json").read_text())["dataset"]["task"] == "regression"
    window.undo()
    assert units.text() == f"{classes} units" and task.currentData() == "auto"


def test_a_bad_csv_says_row_and_column_until_the_user_moves_on(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    rows = [f"{i};{i / 2:.1f};{'ab'[i % 2]}".replace(".", ",") for i in range(12)]
    rows[4] = "4;n/a;a"
    (tmp_path / "bad.csv").write_text("x;y;label\n" + "\n".join(rows) + "\n")
    message = window.findChild(QLabel, "dataMessage")
    combo = driver.combo(window, "datasetCombo")
    window.dialogs.paths = [str(tmp_path / "bad.csv")]
    driver.choose(combo, "csv")
    qtbot.waitUntil(lambda: not message.isHidden(), timeout=60_000)
    assert "Column 'y' has non-numeric values in row 6 (e.g. 'n/a')" in message.text()
    assert combo.currentData() == "xor"
    driver.choose(combo, "circle")
    assert window.state.experiment.dataset.name == "circle"
    assert message.isHidden(), "the failed import's message stayed after choosing another data set"

    window.data_panel.import_csv(str(tmp_path / "bad.csv"))
    qtbot.waitUntil(lambda: not message.isHidden(), timeout=60_000)
    _write_ratings(tmp_path / "good.csv")
    window.data_panel.import_csv(str(tmp_path / "good.csv"))
    assert message.isHidden(), "the failed import's message stayed while the next file loads"
    qtbot.waitUntil(lambda: window.state.experiment.dataset.path == str(tmp_path / "good.csv"), timeout=60_000)
    assert message.isHidden()


def test_the_panel_stays_responsive_while_a_big_file_loads(qtbot, tmp_path, _plots_configured):
    """The Data panel on its own: importing a big file returns at once with "Loading…" shown and the old
    data still current (nothing was read, or waited for, in the GUI thread); the file arrives later.
    (How smoothly the window runs meanwhile is a figure, not a timed assertion: see the closing note.)"""
    state = ExperimentState()
    panel = DataPanel(state, Dialogs())
    qtbot.addWidget(panel)
    _write_big(tmp_path / "big.csv", 150_000)
    loading = panel.findChild(QLabel, "dataLoading")
    panel.import_csv(str(tmp_path / "big.csv"))
    assert state.dataset.name == "xor", "the file was read (or waited for) in the GUI thread"
    assert loading.isVisibleTo(panel), "the file did not load in the background"
    assert loading.text() == "Loading big.csv…"
    qtbot.waitUntil(lambda: state.dataset.name == "csv", timeout=60_000)
    assert not loading.isVisibleTo(panel) and len(state.dataset.x_train) + len(state.dataset.x_test) == 150_000
    assert panel.findChild(QComboBox, "datasetCombo").currentData() == "csv"


def test_a_newer_choice_supersedes_a_file_still_loading(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    combo, loading = driver.combo(window, "datasetCombo"), window.findChild(QLabel, "dataLoading")
    for name, rows in (("first", 60), ("second", 50), ("third", 40)):
        _write_ratings(tmp_path / f"{name}.csv", rows)
    driver.choose(combo, "circle")
    driver.choose(combo, "xor")  # XOR with its example's settings
    window.dialogs.paths = [str(tmp_path / "first.csv")]
    driver.choose(combo, "csv")  # first.csv starts loading…
    assert loading.isVisibleTo(window.data_panel)
    driver.choose(combo, "xor")  # …and the user goes back to XOR, which changes nothing
    assert not loading.isVisibleTo(window.data_panel), "choosing XOR again left first.csv loading"
    window.data_panel.import_csv(str(tmp_path / "second.csv"))
    window.undo()  # second.csv is loading: Undo (back to circle) drops it too
    assert not loading.isVisibleTo(window.data_panel), "Undo left second.csv loading"
    assert combo.currentData() == "circle"
    # The files load one after another, so first.csv and second.csv have come (and gone) before third.csv.
    _import(window, qtbot, tmp_path / "third.csv")
    assert _undo_text(window) == "Undo Import third.csv"
    assert driver.spin(window, "samplesSpin").value() == 40, "an older file's rows came under third.csv's name"
    window.undo()
    assert combo.currentData() == "circle"
    window.undo()
    assert combo.currentData() == "xor" and not window.isWindowModified()


def _rows_described(window) -> tuple[int, int]:
    """(training rows, test rows) as the Data panel's description says them."""
    import re

    text = window.findChild(QLabel, "datasetDescription").text()
    match = re.search(r"(\d+) training and (\d+) test rows", text)
    assert match, f"the description names no row counts: {text!r}"
    return int(match.group(1)), int(match.group(2))


def test_every_data_control_reaches_the_file_the_split_and_the_preview(make_window, driver, tmp_path):
    """Samples, noise, training share, seed and features, set through their widgets: the saved experiment,
    the rows the description counts and the points the preview draws follow each one, and Undo/Redo
    take both back and forth. The values are asymmetric (80 % training, 300 samples) so an inverted
    share or a control wired to another field changes the answer."""
    window = make_window(ready=False)
    path = tmp_path / "data.json"
    expected = driver.saved(window, path)
    preview = window.data_panel.preview
    controls = [
        (driver.spin(window, "samplesSpin"), ("dataset", "samples"), 300),
        (driver.spin(window, "noiseSpin"), ("dataset", "noise"), 15),
        (driver.spin(window, "trainShareSpin"), ("dataset", "test_fraction"), 80),
        (driver.spin(window, "dataSeedSpin"), ("dataset", "seed"), 7),
    ]
    for control, field, value in controls:
        stored = round(1 - value / 100, 4) if field[1] == "test_fraction" else value
        before = [a.copy() for a in preview.points()]  # positions and colours (XOR's noise flips labels only)
        driver.set(control, value)
        saved = driver.saved(window, path)
        assert saved["dataset"][field[1]] == stored, f"{control.objectName()} did not save as dataset.{field[1]}"
        expected["dataset"][field[1]] = stored
        assert saved == expected, f"{control.objectName()} changed more than dataset.{field[1]}"
        after = preview.points()
        assert not all(np.array_equal(a, b) for a, b in zip(after, before)), \
            f"{control.objectName()}: the preview did not change"
    train, test = _rows_described(window)
    assert (train, test) == (240, 60), "300 samples at an 80 % training share are 240 training and 60 test rows"
    assert preview.point_count() == train + test
    driver.undo(window)  # the seed
    driver.undo(window)  # the training share
    assert driver.spin(window, "trainShareSpin").value() == 50
    assert _rows_described(window) == (150, 150), "Undo of the training share did not bring back the 50/50 split"
    driver.redo(window)
    assert _rows_described(window) == (240, 60)
    feature = window.findChild(QCheckBox, "feature_x1^2")
    driver.click(window, "feature_x1^2")
    assert feature.isChecked()
    assert driver.saved(window, path)["dataset"]["features"] == ["x1", "x2", "x1^2"], \
        "checking x₁² did not add the feature (in TensorFlow Playground's order)"
    json.dumps(expected)  # the document stayed plain JSON
