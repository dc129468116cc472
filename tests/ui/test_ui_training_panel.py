"""The Training panel driven control by control, as a user would: what each setting writes into the saved
experiment (and Undo/Redo takes back), which settings show, and that the settings reach the model a run
trains and exports (read back by plain Keras) and the run itself (batches, epochs, seed, device)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def test_each_training_control_is_saved_and_undone(make_window, driver, tmp_path):
    """Every setting writes its own field, and only that one; a setting is shown when it applies."""
    window = make_window(ready=False)
    p = window.training_panel
    path = tmp_path / "training.json"
    expected = driver.saved(window, path)
    shown = [w.objectName() for w in (p.momentum, p.nesterov, p.weight_decay, p.decay_steps, p.decay_rate)
             if w.isVisible()]
    assert shown == [], "Adam with a constant rate shows settings that do not apply to it"
    controls = [  # (control, field of "training" in the file, a value no other control gets)
        (p.loss, "loss", "huber"),
        (p.optimizer, "optimizer", "adamw"),  # shows the weight decay
        (p.weight_decay, "weight_decay", 0.0123),
        (p.optimizer, "optimizer", "sgd"),  # shows momentum and Nesterov
        (p.momentum, "momentum", 0.45),
        (p.nesterov, "nesterov", True),
        (p.learning_rate, "learning_rate", 0.0037),
        (p.schedule, "schedule", "exponential"),  # shows the decay steps and rate
        (p.decay_steps, "decay_steps", 137),
        (p.decay_rate, "decay_rate", 0.77),
        (p.batch_size, "batch_size", 7),
        (p.epochs, "epochs", 23),
        (p.seed, "seed", 4242),
        (p.device, "device", "cpu"),
    ]
    for control, field, value in controls:
        name = control.objectName()
        assert control.isVisible() and control.isEnabled(), f"{name} is hidden: a user could not set it"
        driver.check_edit(window, path, control, value, expected, ("training", field))
        if control is p.optimizer and value == "sgd":
            assert not p.weight_decay.isVisible(), "the weight decay shows for SGD"

    driver.set(p.schedule, "cosine")  # decays to zero over decay_steps: no rate
    assert p.decay_steps.isEnabled() and not p.decay_rate.isEnabled()
    driver.set(p.schedule, "constant")
    assert not p.decay_steps.isVisible() and not p.decay_rate.isVisible()
    driver.set(p.optimizer, "adam")  # momentum stays in view while it is set, so it can be fixed
    assert p.momentum.isVisible() and p.nesterov.isVisible()


def _export_model(window, driver, path):
    """File > Export model (.keras), with no warning on the way, then the file loaded by plain Keras."""
    model = driver.export_model(window, path)
    assert not window.dialogs.warnings
    return model


@pytest.mark.timeout(240)
def test_optimizer_schedule_and_loss_reach_the_exported_model(make_window, driver, tmp_path):
    window = make_window(ready=False)
    p = window.training_panel
    for control, value in ((p.loss, "huber"), (p.optimizer, "sgd"), (p.learning_rate, 0.0037),
                           (p.momentum, 0.45), (p.nesterov, True), (p.schedule, "exponential"),
                           (p.decay_steps, 137), (p.decay_rate, 0.77)):
        driver.set(control, value)
    driver.wait_ready(window)
    model = _export_model(window, driver, tmp_path / "sgd.keras")
    config = model.optimizer.get_config()
    assert type(model.optimizer).__name__ == "SGD"
    assert (config["momentum"], config["nesterov"]) == (pytest.approx(0.45), True)
    schedule = config["learning_rate"]
    assert schedule["class_name"] == "ExponentialDecay"
    assert schedule["config"]["initial_learning_rate"] == pytest.approx(0.0037)
    assert (schedule["config"]["decay_steps"], schedule["config"]["decay_rate"]) == (137, pytest.approx(0.77))
    assert type(model.loss).__name__ == "Huber"

    for control, value in ((p.nesterov, False), (p.momentum, 0), (p.optimizer, "adamw"), (p.weight_decay, 0.0123),
                           (p.schedule, "cosine"), (p.decay_steps, 211), (p.loss, "mean_absolute_error")):
        driver.set(control, value)
    driver.wait_ready(window)
    model = _export_model(window, driver, tmp_path / "adamw.keras")
    config = model.optimizer.get_config()
    assert type(model.optimizer).__name__ == "AdamW"
    assert config["weight_decay"] == pytest.approx(0.0123)
    schedule = config["learning_rate"]
    assert schedule["class_name"] == "CosineDecay"
    assert schedule["config"]["initial_learning_rate"] == pytest.approx(0.0037)
    assert schedule["config"]["decay_steps"] == 211
    assert type(model.loss).__name__ == "MeanAbsoluteError"

    driver.set(p.schedule, "constant")
    driver.type_into(p.learning_rate, 0.0021)
    driver.wait_ready(window)
    model = _export_model(window, driver, tmp_path / "constant.keras")
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.0021)


@pytest.mark.timeout(240)
def test_seed_device_batch_size_and_epochs_reach_the_run(make_window, driver, qtbot):
    window = make_window()
    network = window.network
    first = driver.link_widths(window)
    assert first.size == 2 * 8 + 8 * 8 + 8

    driver.type_into(driver.spin(window, "trainingSeedSpin"), 4242)  # other initial weights
    driver.wait_ready(window)
    driver.wait_until(lambda: not np.allclose(network.link_pen_widths(), first),
                      "training seed 4242 drew other initial weights than seed 0", 10_000)
    driver.undo(window)  # seed 0 again: the same weights as at first
    driver.wait_ready(window)
    driver.wait_until(lambda: np.allclose(network.link_pen_widths(), first),
                      "training seed 0 again drew the same initial weights", 10_000)

    import tensorflow as tf

    device_label = window.findChild(QLabel, "deviceLabel")
    driver.choose(driver.combo(window, "deviceCombo"), "gpu")
    if tf.config.list_physical_devices("GPU"):
        driver.wait_ready(window)
        driver.wait_until(lambda: device_label.text().startswith("GPU:0"), "device GPU: the status bar names it")
    else:
        driver.wait_until(lambda: bool(window.dialogs.warnings), "device GPU without one: a warning")
        assert window.dialogs.warnings == ["Training on the GPU was asked for, but TensorFlow sees no GPU on "
                                           "this machine; choose the CPU or auto."]
    driver.choose(driver.combo(window, "deviceCombo"), "cpu")
    driver.type_into(driver.spin(window, "batchSizeSpin"), 7)  # 250 training points: 35 batches of 7, one of 5
    driver.type_into(driver.spin(window, "epochsSpin"), 23)
    driver.wait_ready(window)
    driver.wait_until(lambda: device_label.text() == "CPU", "device CPU: the status bar names it", 10_000)
    driver.click(window, "stepButton", Qt.KeyboardModifier.ShiftModifier)
    driver.wait_until(lambda: window.statusBar().currentMessage().startswith("Stepped"), "Shift+click Step: a step")
    assert driver.status(window, r"Stepped to batch (\d+) of (\d+) of epoch (\d+)\.") == (1, 36, 1)
    assert driver.epoch(window) == 0 and len(driver.loss(window)) == 0
    driver.click(window, "stepButton")  # finishes the epoch under way
    driver.wait_until(lambda: window.statusBar().currentMessage().startswith("Stepped to epoch"),
                      "Step after a batch: the epoch under way finished")
    assert driver.status(window, r"Stepped to epoch (\d+)\.") == (1,) and driver.epoch(window) == 1

    driver.click(window, "trainButton")  # to the 23 epochs set
    driver.wait_idle(window)
    qtbot.wait(100)
    assert driver.status(window, r"Trained to epoch (\d+) in \d+\.\d s\.") == (23,)
    assert driver.epoch(window) == 23
    assert re.fullmatch(r"Epoch (\d+) \((\d+)%\)", window.training_panel.progress.format()).groups() == ("23", "100")
    epochs, loss = window.curves.line("loss", "train").getData()
    np.testing.assert_array_equal(epochs, np.arange(1, 24))
    np.testing.assert_array_equal(loss, driver.loss(window))
