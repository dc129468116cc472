"""Training from the window as a user would: build a network by clicks, train, pause, step, stop, close."""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox


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
    assert "51" in window.findChild(QLabel, "totalParamsLabel").text()  # 2·6+6, 6·4+4, 4+1
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
    assert "Trained to epoch 2000" in window.statusBar().currentMessage()


def test_pause_step_resume_and_stop(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    train, stop = driver.button(window, "trainButton"), driver.button(window, "stopButton")
    assert not stop.isEnabled()
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 5, timeout=60_000)
    assert train.text() == "Pause" and stop.isEnabled()

    driver.click(window, "trainButton")  # pause
    qtbot.waitUntil(lambda: "Paused" in window.statusBar().currentMessage())
    assert train.text() == "Resume"
    paused_at = driver.epoch(window)
    qtbot.wait(400)
    assert driver.epoch(window) == paused_at

    driver.click(window, "stepButton")  # one epoch
    qtbot.waitUntil(lambda: driver.epoch(window) == paused_at + 1)
    driver.click(window, "stepButton", Qt.KeyboardModifier.ShiftModifier)  # one batch
    qtbot.waitUntil(lambda: "batch 1 of 25" in window.statusBar().currentMessage())
    assert driver.epoch(window) == paused_at + 1
    assert train.text() == "Resume"

    driver.click(window, "trainButton")  # resume
    qtbot.waitUntil(lambda: driver.epoch(window) > paused_at + 20)
    assert train.text() == "Pause"
    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert "Stopped" in window.statusBar().currentMessage()
    assert train.text() == "Train" and not stop.isEnabled()
    stopped_at = driver.epoch(window)
    qtbot.wait(300)
    assert driver.epoch(window) == stopped_at

    driver.click(window, "stepButton")  # a step while idle
    qtbot.waitUntil(lambda: "Stepped" in window.statusBar().currentMessage())  # the step's last event
    assert driver.epoch(window) == stopped_at + 1
    assert len(driver.loss(window)) == stopped_at + 1


def test_incompatible_choice_shows_its_fix_and_training_does_not_start(make_window, driver, qtbot):
    window = make_window()
    train = driver.button(window, "trainButton")
    assert train.isEnabled()
    driver.choose(driver.combo(window, "outputActivationCombo"), "softmax")
    problems = window.findChild(QLabel, "modelProblems")
    assert not problems.isHidden()
    assert "Softmax over a single output unit" in problems.text() and "Use sigmoid" in problems.text()
    assert "Softmax over a single output unit" in window.findChild(QLabel, "trainingProblems").text()
    assert not train.isEnabled() and not driver.button(window, "stepButton").isEnabled()
    assert "Fix the problems" in train.toolTip()
    driver.click(window, "trainButton")
    window.train_clicked()  # Space does the same
    qtbot.wait(200)
    assert not window.trainer.live and driver.epoch(window) == 0

    driver.choose(driver.combo(window, "outputActivationCombo"), "auto")
    driver.choose(driver.combo(window, "lossCombo"), "categorical_crossentropy")
    assert "does not fit binary classification" in problems.text()
    assert not train.isEnabled()
    driver.choose(driver.combo(window, "lossCombo"), "auto")
    assert problems.isHidden() and train.isEnabled()


def test_an_edit_while_training_asks_to_stop_and_never_half_applies(make_window, driver, qtbot):
    window = make_window()
    dialogs = window.dialogs
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 5, timeout=60_000)

    dialogs.confirm_answer = False
    units = driver.rows(window)[0].findChild(QSpinBox, "unitsSpin")
    driver.type_into(units, 3)
    assert dialogs.confirms == ["Stop training and apply the change?"]
    assert units.value() == 8 and window.state.experiment.model.layers[0].units == 8
    assert window.trainer.live

    driver.type_into(driver.spin(window, "epochsSpin"), 2_000_000)  # needs no new model: no question
    assert len(dialogs.confirms) == 1 and window.trainer.live

    dialogs.confirm_answer = True
    driver.type_into(units, 3)
    assert len(dialogs.confirms) == 2
    driver.wait_idle(window)
    driver.wait_ready(window)
    assert window.state.experiment.model.layers[0].units == 3
    assert "<b>50</b>" in window.findChild(QLabel, "totalParamsLabel").text()  # 9 + 32 + 9: hidden_1 has 3 units
    assert len(driver.loss(window)) == 0  # a new model starts from scratch


def test_reset_draws_new_weights_for_the_same_architecture(make_window, driver, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: window.output.image() is not None)
    before = window.output.image().copy()
    driver.click(window, "resetButton")
    qtbot.waitUntil(lambda: window.output.image() is not None and not np.allclose(window.output.image(), before),
                    timeout=30_000)
    assert window.network.link_count() == 2 * 8 + 8 * 8 + 8


def test_closing_during_training_stops_the_run_and_the_thread(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 5, timeout=60_000)
    started = time.perf_counter()
    assert window.close()
    took = time.perf_counter() - started
    assert window.trainer.thread.isFinished()
    assert not window.trainer.worker.engine.running
    assert window.dialogs.save_questions == [window.state.display_name]  # epochs changed: asked, discarded
    print(f"closed during training in {took:.2f} s")
