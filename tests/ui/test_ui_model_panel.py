"""The Model panel driven control by control, as a user would: what each control writes into the saved
experiment (and Undo/Redo takes back), the model summary against a hand count, and the problems that
keep Train off."""
from __future__ import annotations


import numpy as np
import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QWidget


def _summary(window) -> list[tuple[str, str, int]]:
    """The summary table as the user reads it: (layer, output shape, parameters as a number)."""
    table = window.model_panel.summary
    return [(table.item(i, 0).text(), table.item(i, 1).text(), int(table.item(i, 2).text().replace(",", "")))
            for i in range(table.rowCount())]


def test_each_model_control_is_saved_and_undone(make_window, driver, tmp_path):
    """Every control of a hidden layer and of the model writes its own field, and only that one."""
    window = make_window(ready=False)
    path = tmp_path / "model.json"
    expected = driver.saved(window, path)
    row = driver.rows(window)[1]  # the second layer: an edit landing on the first would show
    driver.click(row, "optionsButton")
    assert row.details.isVisible()
    panel = window.model_panel
    controls = [  # (control, field in the file, a value no other control gets)
        (row.units, ("model", "layers", 1, "units"), 5),
        (row.activation, ("model", "layers", 1, "activation"), "relu"),
        (row.initializer, ("model", "layers", 1, "kernel_initializer"), "he_uniform"),
        (row.regularizers["kernel_l1"], ("model", "layers", 1, "kernel_l1"), 0.0012),
        (row.regularizers["kernel_l2"], ("model", "layers", 1, "kernel_l2"), 0.0034),
        (row.regularizers["bias_l1"], ("model", "layers", 1, "bias_l1"), 0.0056),
        (row.regularizers["bias_l2"], ("model", "layers", 1, "bias_l2"), 0.0078),
        (row.dropout, ("model", "layers", 1, "dropout"), 0.35),
        (row.bias, ("model", "layers", 1, "use_bias"), False),
        (panel.normalize, ("model", "normalize"), True),
        (panel.output_activation, ("model", "output_activation"), "linear"),
    ]
    for control, field, value in controls:
        driver.check_edit(window, path, control, value, expected, field)
    assert row.more.text() == "⋯6"  # four regularizers, dropout and no bias: seen while folded
    assert driver.units(window) == [8, 5] and driver.activations(window) == ["tanh", "relu"]


def test_summary_table_counts_parameters_as_built_by_clicks(make_window, driver):
    """The summary follows each edit; every count is worked out by hand for iris (4 features, 3 classes)."""
    window = make_window(ready=False)
    driver.choose(driver.combo(window, "datasetCombo"), "iris")  # comes with its example's network: clear it
    for _ in range(driver.layer_list(window).count()):
        driver.click(window, "removeLayerButton")
    driver.set(window.model_panel.normalize, False)
    assert _summary(window) == [("output (Dense) softmax", "(None, 3)", 4 * 3 + 3)]
    assert driver.total_params(window) == (15, 15, 0)
    driver.click(window, "addLayerButton")  # the default layer: 8 tanh
    driver.click(window, "addLayerButton")  # like the one before it
    assert _summary(window) == [
        ("hidden_1 (Dense) tanh", "(None, 8)", 4 * 8 + 8),
        ("hidden_2 (Dense) tanh", "(None, 8)", 8 * 8 + 8),
        ("output (Dense) softmax", "(None, 3)", 8 * 3 + 3),
    ]
    assert driver.total_params(window) == (139, 139, 0)

    rows = driver.rows(window)
    driver.type_into(rows[0].units, 5)
    driver.choose(rows[0].activation, "relu")
    driver.type_into(rows[1].units, 3)
    driver.click(rows[1], "optionsButton")
    driver.click(rows[1], "biasCheck")
    driver.type_into(rows[1].dropout, 0.2)
    driver.click(window, "normalizeCheck")
    driver.choose(driver.combo(window, "outputActivationCombo"), "linear")
    assert _summary(window) == [
        ("normalization (Normalization)", "(None, 4)", 2 * 4 + 1),  # mean, variance per feature, count
        ("hidden_1 (Dense) relu", "(None, 5)", 4 * 5 + 5),
        ("hidden_2 (Dense) tanh", "(None, 3)", 5 * 3),  # no bias
        ("dropout_2 (Dropout)", "(None, 3)", 0),
        ("output (Dense) linear", "(None, 3)", 3 * 3 + 3),
    ]
    assert driver.total_params(window) == (61, 52, 9)

    driver.layer_list(window).setCurrentRow(0)
    driver.click(window, "duplicateLayerButton")  # 5 relu, 5 relu, 3 tanh
    driver.click(window, "moveDownButton")  # the copy is selected: 5, 3, 5
    assert driver.units(window) == [5, 3, 5]
    assert [r[1:] for r in _summary(window)] == [
        ("(None, 4)", 9), ("(None, 5)", 25), ("(None, 3)", 5 * 3), ("(None, 3)", 0),
        ("(None, 5)", 3 * 5 + 5), ("(None, 3)", 5 * 3 + 3)]
    assert driver.total_params(window) == (9 + 25 + 15 + 20 + 18, 25 + 15 + 20 + 18, 9)
    driver.click(window, "moveUpButton")  # back: 5, 5, 3
    driver.click(window, "addLayerButton")  # after the selected second layer, like it: 5, 5, 5, 3
    assert driver.units(window) == [5, 5, 5, 3] and driver.activations(window) == ["relu"] * 3 + ["tanh"]
    driver.layer_list(window).setCurrentRow(0)
    driver.click(window, "removeLayerButton")  # 5, 5, 3
    assert [r[2] for r in _summary(window)] == [9, 4 * 5 + 5, 5 * 5 + 5, 5 * 3, 0, 3 * 3 + 3]
    assert driver.total_params(window) == (9 + 25 + 30 + 15 + 12, 25 + 30 + 15 + 12, 9)


def _no_problems(window, driver) -> None:
    """Neither panel shows a problem, and Train is on."""
    train = driver.button(window, "trainButton")
    assert driver.problems(window) == [] and driver.problems(window, "trainingProblems") == []
    assert train.isEnabled() and train.toolTip() == "Train (Space)"


SINGLE_SOFTMAX = ("⚠ Softmax over a single output unit always outputs 1, so nothing can be learned. "
                  "Use sigmoid for binary classification or linear for regression.")
PROBLEMS = [  # (data set, [(combo or spin, value)], the lines shown, each with its fix)
    ("xor", [("outputActivationCombo", "softmax")],
     [SINGLE_SOFTMAX, "⚠ Binary cross-entropy needs a probability in (0, 1), but softmax outputs (0, 1), sums to 1. "
                      "Use sigmoid, or linear to train on logits."]),
    ("xor", [("outputActivationCombo", "relu")],
     ["⚠ Binary cross-entropy needs a probability in (0, 1), but relu outputs [0, ∞). "
      "Use sigmoid, or linear to train on logits."]),
    ("xor", [("lossCombo", "categorical_crossentropy")],
     ["⚠ Categorical cross-entropy does not fit binary classification. Use Binary cross-entropy."]),
    ("xor", [("lossCombo", "hinge")],
     ["⚠ Hinge loss expects a score around −1…+1, but sigmoid outputs (0, 1). Use linear or tanh."]),
    ("xor", [("optimizerCombo", "sgd"), ("momentumSpin", 0.9), ("optimizerCombo", "rmsprop")],
     ["⚠ Momentum and Nesterov only apply to SGD. Set momentum to 0 or choose SGD."]),
    ("xor", [("optimizerCombo", "sgd"), ("nesterovCheck", True)],
     ["⚠ Nesterov needs a momentum above 0. Set a momentum, e.g. 0.9."]),
    ("reg-plane", [("lossCombo", "binary_crossentropy")],
     ["⚠ Binary cross-entropy does not fit regression. Use Mean squared error (MSE)."]),
    ("reg-plane", [("outputActivationCombo", "softmax")], [SINGLE_SOFTMAX]),
    ("iris", [("lossCombo", "categorical_crossentropy"), ("outputActivationCombo", "sigmoid")],
     ["⚠ Categorical cross-entropy needs a probability distribution over the classes, which sigmoid does "
      "not give. Use softmax, or linear to train on logits."]),
    ("iris", [("lossCombo", "kl_divergence"), ("outputActivationCombo", "linear")],
     ["⚠ KL divergence compares two probability distributions, so the output must be one. Use softmax."]),
]


@pytest.mark.timeout(180)
def test_incompatible_choices_show_their_fix_and_keep_train_off(make_window, driver):
    """Each rule, reached through the widgets: both panels say what is wrong and how to fix it, and
    Train, Step and Reset stay off until Undo takes the choice back."""
    window = make_window(ready=False)
    driver.wait_tensorflow(window)  # else Train is off anyway
    train = driver.button(window, "trainButton")
    for dataset, edits, lines in PROBLEMS:
        driver.choose(driver.combo(window, "datasetCombo"), dataset)
        _no_problems(window, driver)
        for name, value in edits:
            control = window.findChild(QWidget, name)
            assert control.isVisible(), f"{name} is hidden: a user could not set it"
            driver.set(control, value)
        what = f"{dataset} with {edits}"
        assert driver.problems(window) == lines, what
        assert driver.problems(window, "trainingProblems") == lines, what
        assert not train.isEnabled(), f"Train is on for {what}"
        assert train.toolTip() == "Fix the problems shown first."
        assert not driver.button(window, "stepButton").isEnabled()
        assert not driver.button(window, "resetButton").isEnabled()
        driver.click(window, "trainButton")
        window.train_clicked()  # what Space calls: it checks too
        assert not window.trainer.live, f"Train started for {what}"
        for _ in edits:
            driver.undo(window)
        _no_problems(window, driver)


@pytest.mark.timeout(240)
def test_a_warning_shows_in_amber_and_leaves_train_on(make_window, driver):
    """A sigmoid output on reg-plane's targets (about −1…1) is a warning: it shows with its fix in an amber
    box and Train stays on; an error (softmax on one unit) turns the box red and Train off."""
    from PySide6.QtWidgets import QLabel

    window = make_window()
    driver.choose(driver.combo(window, "datasetCombo"), "reg-plane")
    driver.choose(driver.combo(window, "outputActivationCombo"), "sigmoid")
    lines = driver.problems(window)
    assert len(lines) == 1 and lines[0].startswith("⚠ The targets, standardized for training, run from -"), lines
    assert lines[0].endswith("Use linear, the usual output for regression."), lines
    box = window.findChild(QLabel, "modelProblems")
    assert box.severity == "warning" and "#fff4e0" in box.styleSheet(), "a warning is not drawn as one"
    driver.wait_ready(window)
    assert driver.button(window, "trainButton").isEnabled(), "a warning turned Train off"
    driver.choose(driver.combo(window, "outputActivationCombo"), "softmax")
    assert box.severity == "error" and "#fdecea" in box.styleSheet(), "an error is not drawn red"
    assert not driver.button(window, "trainButton").isEnabled(), "an error left Train on"

    # a model that trains to no better than the targets' mean says so, in amber, until another model
    driver.choose(driver.combo(window, "outputActivationCombo"), "auto")
    scale = window.findChild(QWidget, "scaleTargetsCheck")
    assert scale.isVisible() and scale.isChecked(), "a regression's targets are not scaled by default"
    driver.type_into(window.findChild(QDoubleSpinBox, "learningRateSpin"), "0.0001")  # learns next to nothing
    driver.type_into(driver.spin(window, "epochsSpin"), 2)
    driver.wait_ready(window)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    driver.wait_until(lambda: any("no better than always predicting" in line for line in driver.problems(window)),
                      f"the warning after training: {driver.problems(window)}")
    ds = window.state.dataset
    mean_mae = float(np.mean(np.abs(ds.y_test - ds.y_train.mean())))
    [line] = driver.problems(window)
    assert f"the training targets' mean ({mean_mae:.4g})" in line and box.severity == "warning", line
    driver.set(scale, False)  # another model: its own outcome, none yet
    driver.wait_until(lambda: driver.problems(window) == [], "the warning goes with its model")
    driver.set(scale, True)
    driver.choose(driver.combo(window, "datasetCombo"), "xor")
    assert not scale.isVisible(), "Scale targets is offered for a classification"
