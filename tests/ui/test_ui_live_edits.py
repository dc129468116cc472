"""Experimenting while it learns, in the real window: a live edit keeps the run and its curves and
leaves a marker; an edit that needs a new model builds one, and Undo brings the old one back exactly."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox

EDIT_WITHIN_MS = 20_000  # a live edit applies within one chunk; this leaves room for a busy machine


def _predict(window, qtbot, x: np.ndarray) -> np.ndarray:
    with qtbot.waitSignal(window.trainer.predicted, timeout=30_000) as blocker:
        window.predict(x)
    return blocker.args[0]


def _continuous(window) -> np.ndarray:
    """The loss curve's epochs, which must be 1, 2, … with no gap and no restart."""
    epochs, loss = window.curves.series("loss", "train")
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1),
                                  err_msg="the loss curve restarted or has gaps")
    assert np.all(np.isfinite(loss))
    return epochs


def _marked(driver, window, label: str) -> float:
    """Wait (bounded) for a marker reading ``label`` on the curves; its epoch."""
    driver.wait_until(lambda: any(text == label for _, text in window.curves.markers()),
                      f'a marker "{label}" on the curves', EDIT_WITHIN_MS)
    return next(epoch for epoch, text in window.curves.markers() if text == label)


def _running_past(driver, window, epoch: float, what: str) -> None:
    driver.wait_until(lambda: driver.epoch(window) >= epoch + 5, f"{what}: training goes on", EDIT_WITHIN_MS)
    assert window.trainer.live, f"{what} ended the run"


@pytest.mark.timeout(240)
def test_live_edits_while_it_runs_keep_the_epochs_and_the_curve(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 10, timeout=60_000)

    edited_at = driver.epoch(window)
    driver.type_into(window.findChild(QDoubleSpinBox, "learningRateSpin"), "0.003")
    marker = _marked(driver, window, "lr 0.01 → 0.003")
    assert marker >= edited_at, "the edit was marked before the epoch it was made at"
    _running_past(driver, window, marker, "A learning-rate edit")
    assert window.dialogs.confirms == []

    driver.type_into(driver.spin(window, "batchSizeSpin"), 32)
    _running_past(driver, window, _marked(driver, window, "batch 10 → 32"), "A batch-size edit")

    driver.choose(driver.combo(window, "optimizerCombo"), "sgd")
    _running_past(driver, window, _marked(driver, window, "optimizer adam → sgd (fresh state)"), "An optimizer switch")

    dropout = driver.rows(window)[0].findChild(QDoubleSpinBox, "dropoutSpin")
    driver.type_into(dropout, "0.1")
    _running_past(driver, window, _marked(driver, window, "dropout hidden_1 0 → 0.1"), "A dropout edit")

    driver.undo(window)  # a live edit undone is a live edit too
    _running_past(driver, window, _marked(driver, window, "dropout hidden_1 0.1 → 0"), "Undoing the dropout")
    driver.undo(window)
    _running_past(driver, window, _marked(driver, window, "optimizer sgd → adam (fresh state)"),
                  "Undoing the optimizer switch")
    assert driver.combo(window, "optimizerCombo").currentData() == "adam"

    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert driver.epoch(window) > marker + 5, "the epochs did not keep counting from where they were"
    assert len(_continuous(window)) == driver.epoch(window)


@pytest.mark.timeout(240)
def test_undo_of_a_new_model_brings_back_the_trained_one_exactly(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 30)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    assert driver.epoch(window) == 30
    x = np.random.default_rng(0).uniform(-5, 5, (50, 2)).astype(np.float32)
    trained = _predict(window, qtbot, x)
    trained_loss = driver.loss(window).copy()

    units = driver.rows(window)[0].findChild(QSpinBox, "unitsSpin")
    driver.type_into(units, 3)
    driver.wait_ready(window)
    driver.wait_until(lambda: driver.epoch(window) == 0 and len(driver.loss(window)) == 0,
                      "a units edit shows a new model, untrained")
    assert driver.total_params(window) == (50, 50, 0)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    assert not np.allclose(_predict(window, qtbot, x)[:, 0], trained[:, 0])

    driver.undo(window)
    assert units.value() == 8
    driver.wait_ready(window)
    driver.wait_until(lambda: np.array_equal(driver.loss(window), trained_loss),
                      "Undo shows the earlier model's curve")  # the new model's has 30 epochs too
    assert driver.epoch(window) == 30
    np.testing.assert_array_equal(_predict(window, qtbot, x), trained, err_msg="Undo did not bring back the weights")
    assert window.dialogs.confirms == []

    driver.click(window, "trainButton")  # it goes on from there
    driver.wait_idle(window)
    assert driver.epoch(window) == 60
    _continuous(window)


@pytest.mark.timeout(240)
def test_the_training_menu_keeps_trained_weights_where_shapes_match(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 30)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    trained = driver.link_widths(window).copy()

    keep = window.findChild(QAction, "keepWeightsAction")
    assert not keep.isChecked()  # off by default
    keep.trigger()
    driver.choose(driver.rows(window)[1].findChild(QComboBox, "activationCombo"), "relu")
    driver.wait_ready(window)
    driver.wait_until(lambda: driver.epoch(window) == 0, "an activation edit shows a new model")
    driver.wait_until(lambda: np.allclose(window.network.link_pen_widths(), trained),
                      "the new model starts from the trained weights")


@pytest.mark.timeout(240)
def test_a_new_model_made_while_it_runs_trains_on_and_undo_takes_the_old_one_back_running(make_window, driver):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: driver.epoch(window) >= 20, "training", EDIT_WITHIN_MS)
    trained_params = driver.total_params(window)

    driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 3)
    driver.wait_until(lambda: driver.total_params(window) == (50, 50, 0) and driver.epoch(window) >= 5,
                      "the new model trains on, as in TensorFlow Playground", EDIT_WITHIN_MS)
    assert window.trainer.live, "a new model made while it ran did not train on"
    _continuous(window)  # its own curve, from epoch 1

    driver.undo(window)
    driver.wait_until(lambda: driver.total_params(window) == trained_params and driver.epoch(window) >= 25,
                      "Undo takes the trained model back, and it trains on from its epoch", EDIT_WITHIN_MS)
    assert window.trainer.live
    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert len(_continuous(window)) == driver.epoch(window)
    assert window.dialogs.confirms == []
