"""Training > Log Runs to TensorBoard: the folder asked for once, each model a run of its own,
read back by TensorBoard's own server app."""
import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QSpinBox

pytest.importorskip("tensorboard")

from tests.core.test_tensorboard import TensorBoard  # noqa: E402 - after the skip


def test_logging_writes_each_model_into_a_run_of_its_own(make_window, driver, tmp_path):
    window = make_window()
    logdir = tmp_path / "tensorboard"
    logdir.mkdir()
    action, label = window.act_tensorboard, window.findChild(QLabel, "tensorboardLabel")
    window.dialogs.paths = [str(logdir)]
    action.trigger()
    assert action.isChecked() and not window.dialogs.paths, "the folder was not asked for"
    assert label.isVisible() and label.text() == f"TensorBoard: {logdir}" and str(logdir) in action.toolTip()

    driver.type_into(driver.spin(window, "epochsSpin"), 3)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    first_loss = driver.loss(window).copy()
    driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 3)  # a new model: a second run
    driver.wait_ready(window)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    assert len(driver.loss(window)) == 3

    tb = TensorBoard(logdir)
    runs = sorted(tb.runs())
    assert len(runs) == 2, f"two models should be two runs in {logdir}: {runs}"
    for run, loss in zip(runs, (first_loss, driver.loss(window))):
        steps, logged = tb.scalars(run, "loss/train")
        assert steps == [1, 2, 3]
        np.testing.assert_array_equal(logged, np.float32(loss), err_msg=f"{run} is not the curve the window drew")
    groups = tb.session_groups()
    assert [groups[run]["hparams"]["units"] for run in runs] == ["8-8", "3-8"]

    action.trigger()  # off
    assert not action.isChecked() and label.isHidden()
    action.trigger()  # on again: the folder is remembered, nothing is asked
    assert action.isChecked() and label.text() == f"TensorBoard: {logdir}", "the folder was not remembered"


def test_a_folder_that_cannot_be_written_is_said_and_logging_stays_off(make_window, tmp_path):
    window = make_window(ready=False)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    window.dialogs.paths = [str(blocker / "logs")]
    window.act_tensorboard.trigger()
    assert not window.act_tensorboard.isChecked() and window.findChild(QLabel, "tensorboardLabel").isHidden()
    assert len(window.dialogs.warnings) == 1 and "Cannot make the TensorBoard folder" in window.dialogs.warnings[0]
