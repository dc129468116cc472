"""Training from the window as a user would: build a network by clicks, train, pause, step, stop, reset,
close; what the status bar says is read as numbers."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QSpinBox

STOP_WITHIN_S = 10  # a stop takes effect within one chunk (~1/30 s); this leaves room for a busy machine


def _message(window) -> str:
    return window.statusBar().currentMessage()


def _ends_promptly(driver, window, what: str) -> None:
    """Wait (bounded) for the run to end; fail, naming ``what``, if it is still live."""
    try:
        driver.wait_until(lambda: not window.trainer.live, f"{what} ends the run", STOP_WITHIN_S * 1000)
    finally:
        window.trainer.resume()  # a run that ignored a stop while paused can then end, so the window closes


@pytest.mark.timeout(180)
def test_build_two_hidden_layers_by_clicks_and_watch_xor_learn(make_window, driver, qtbot):
    window = make_window()
    data = driver.combo(window, "datasetCombo")
    driver.choose(data, "circle")
    driver.choose(data, "xor")
    assert data.currentText() == "Exclusive or"
    while driver.layer_list(window).count():
        driver.click(window, "removeLayerButton")
    assert not driver.button(window, "removeLayerButton").isEnabled()
    driver.click(window, "addLayerButton")
    driver.click(window, "addLayerButton")
    rows = driver.rows(window)
    assert len(rows) == 2
    driver.type_into(rows[0].findChild(QSpinBox, "unitsSpin"), 6)
    driver.type_into(rows[1].findChild(QSpinBox, "unitsSpin"), 4)
    driver.choose(rows[1].findChild(QComboBox, "activationCombo"), "relu")
    assert driver.total_params(window) == (51, 51, 0)  # 2·6+6, 6·4+4, 4+1
    assert window.network.link_count() == 2 * 6 + 6 * 4 + 4 * 1
    driver.type_into(driver.spin(window, "epochsSpin"), 2000)

    driver.wait_ready(window)
    qtbot.waitUntil(lambda: window.output.image() is not None and window.weights.history_shape()[0] >= 1)
    untrained_image = window.output.image().copy()
    untrained_links = window.network.link_pen_widths().copy()

    lengths = set()  # what a user watching the curve saw, every 10 ms
    watcher = QTimer(window)
    watcher.timeout.connect(lambda: lengths.add(len(driver.loss(window))))
    watcher.start(10)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    watcher.stop()
    assert driver.status(window, r"Trained to epoch (\d+) in \d+\.\d s\.") == (2000,)  # not diverged, not stopped
    loss = driver.loss(window)
    assert len(loss) == 2000
    assert len(lengths - {0, 2000}) >= 2  # the curve gained points while training, not all at the end
    assert loss[-1] < 0.5 * loss[0]
    assert driver.epoch(window) == 2000
    assert window.training_panel.train.text() == "Train"
    qtbot.wait(100)  # one refresh of the views
    assert not np.allclose(window.output.image(), untrained_image)
    assert window.weights.history_shape()[0] > 1  # the heatmap grew columns over time
    assert not np.allclose(window.network.link_pen_widths(), untrained_links)


@pytest.mark.timeout(180)
def test_train_pause_step_resume_and_stop(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    train, stop = driver.button(window, "trainButton"), driver.button(window, "stopButton")
    assert train.text() == "Train" and not stop.isEnabled()
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 5, timeout=60_000)
    assert train.text() == "Pause" and stop.isEnabled()

    driver.click(window, "trainButton")  # pause
    qtbot.waitUntil(lambda: _message(window).startswith("Paused"))
    (paused_at,) = driver.status(window, r"Paused at epoch (\d+)\.")
    assert train.text() == "Resume" and driver.epoch(window) == paused_at
    qtbot.wait(400)
    assert driver.epoch(window) == paused_at and len(driver.loss(window)) == paused_at

    driver.click(window, "stepButton")  # one epoch, and paused again
    driver.wait_until(lambda: _message(window) == f"Paused at epoch {paused_at + 1}.", "Step while paused: one epoch")
    assert driver.epoch(window) == paused_at + 1 and len(driver.loss(window)) == paused_at + 1
    driver.click(window, "stepButton", Qt.KeyboardModifier.ShiftModifier)  # one batch of 25 (250 points, 10 each)
    driver.wait_until(lambda: _message(window).startswith("Paused at batch"), "Shift+click Step while paused: a batch")
    assert driver.status(window, r"Paused at batch (\d+) of (\d+) of epoch (\d+)\.") == (1, 25, paused_at + 2)
    assert driver.epoch(window) == paused_at + 1 and train.text() == "Resume"

    driver.click(window, "trainButton")  # resume
    qtbot.waitUntil(lambda: driver.epoch(window) > paused_at + 20)
    assert train.text() == "Pause"
    driver.click(window, "stopButton")  # while running
    _ends_promptly(driver, window, "Stop while training")
    (stopped_at,) = driver.status(window, r"Stopped at epoch (\d+)\.")
    assert driver.epoch(window) == stopped_at and len(driver.loss(window)) == stopped_at
    assert train.text() == "Train" and not stop.isEnabled()
    qtbot.wait(300)
    assert driver.epoch(window) == stopped_at

    driver.click(window, "stepButton")  # a step while idle
    qtbot.waitUntil(lambda: _message(window).startswith("Stepped"))  # the step's last event
    assert driver.status(window, r"Stepped to epoch (\d+)\.") == (stopped_at + 1,)
    assert driver.epoch(window) == stopped_at + 1 and len(driver.loss(window)) == stopped_at + 1

    driver.click(window, "trainButton")  # a new run, paused, then stopped while paused
    qtbot.waitUntil(lambda: driver.epoch(window) >= stopped_at + 5, timeout=60_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: _message(window).startswith("Paused"))
    (paused_at,) = driver.status(window, r"Paused at epoch (\d+)\.")
    driver.click(window, "stopButton")
    _ends_promptly(driver, window, "Stop while paused")
    assert driver.status(window, r"Stopped at epoch (\d+)\.") == (paused_at,)
    assert driver.epoch(window) == paused_at and len(driver.loss(window)) == paused_at
    assert train.text() == "Train" and not stop.isEnabled()


@pytest.mark.timeout(180)
def test_an_edit_that_needs_a_new_model_builds_it_without_asking_and_it_trains_on(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 100, timeout=60_000)

    driver.type_into(driver.spin(window, "epochsSpin"), 2_000_000)  # a live edit: the run goes on
    qtbot.wait(200)
    assert window.trainer.live
    before = driver.epoch(window)
    shown = []  # the epochs the status bar showed from the edit on, every 5 ms
    watcher = QTimer(window)
    watcher.timeout.connect(lambda: shown.append(driver.epoch(window)))
    watcher.start(5)

    units = driver.rows(window)[0].findChild(QSpinBox, "unitsSpin")
    driver.type_into(units, 3)
    driver.wait_until(lambda: driver.total_params(window) == (50, 50, 0) and min(shown, default=before) < before
                      and driver.epoch(window) >= 5, "a new model (3 units) that starts from scratch and trains on")
    watcher.stop()
    assert window.trainer.live, "the new model did not train on"
    assert window.dialogs.confirms == []  # Undo is the safety net, not a question
    assert window.state.experiment.model.layers[0].units == 3
    epochs, _ = window.curves.series("loss", "train")
    assert epochs[0] == 1, "the new model's curve does not start at epoch 1"
    driver.click(window, "stopButton")
    driver.wait_idle(window)


@pytest.mark.timeout(180)
def test_reset_draws_new_weights_and_starts_the_history_over(make_window, driver, qtbot):
    window = make_window()
    initial = driver.link_widths(window)
    driver.type_into(driver.spin(window, "epochsSpin"), 30)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    trained, trained_image = driver.link_widths(window), window.output.image().copy()
    assert driver.epoch(window) == 30 and len(driver.loss(window)) == 30

    driver.click(window, "resetButton")
    network = window.network

    def redrawn() -> bool:
        widths = network.link_pen_widths()
        return np.ptp(widths) > 0 and not np.allclose(widths, trained) and not np.allclose(widths, initial)

    driver.wait_until(redrawn, "Reset draws new weights: neither the trained nor the first ones")
    assert network.link_count() == 2 * 8 + 8 * 8 + 8  # the same architecture
    assert driver.epoch(window) == 0 and len(driver.loss(window)) == 0
    qtbot.waitUntil(lambda: window.output.image() is not None and not np.allclose(window.output.image(), trained_image))

    driver.click(window, "trainButton")  # the run starts over from epoch 0
    driver.wait_idle(window)
    epochs, _ = window.curves.series("loss", "train")
    np.testing.assert_array_equal(epochs, np.arange(1, 31))


@pytest.mark.timeout(180)
def test_closing_during_training_stops_the_run_and_the_thread(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 5, timeout=60_000)
    started = time.perf_counter()
    assert window.close()
    took = time.perf_counter() - started
    assert window.trainer.engine is None, "the window still holds its engine"
    assert window.dialogs.save_questions == [window.state.display_name]  # epochs changed: asked, discarded
    print(f"closed during training in {took:.2f} s")
