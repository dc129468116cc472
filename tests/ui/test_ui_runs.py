"""Comparing runs in the real window: the Runs table, earlier runs on the curves, rename, delete,
the table as CSV, and a run saved as a run folder (plain Keras loads it) and opened again."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDoubleSpinBox, QSpinBox

from playground.core.export import read_history
from playground.ui.runs_panel import DIFFERS, EPOCHS, LOSS, METRIC, NAME, SHOW, TEST_LOSS, TEST_METRIC


def _cells(window) -> list[dict[int, str]]:
    """The Runs table as the user reads it: one {column: text} a row, top to bottom."""
    table = window.runs_panel.table
    return [{c: table.item(r, c).text() for c in range(table.columnCount())} for r in range(table.rowCount())]


def _row_of(window, name: str) -> int:
    rows = [i for i, row in enumerate(_cells(window)) if row[NAME] == name]
    assert rows, f"no run named {name!r} in the Runs table: {[r[NAME] for r in _cells(window)]}"
    return rows[0]


def _shown_history(window) -> dict[str, np.ndarray]:
    """The current run's per-epoch figures as the curves draw them (straight from the engine's events)."""
    return {("test_" if which == "test" else "") + key: np.array(window.curves.series(key, which)[1])
            for key in ("loss", "accuracy") for which in ("train", "test")}


def _check_figures(row: dict[int, str], history, what: str) -> None:
    """The row's epochs and final figures are the last values of the engine's own history."""
    assert int(row[EPOCHS]) == len(history["loss"]), f"{what}: the Runs table shows the wrong epochs"
    for column, key in ((LOSS, "loss"), (TEST_LOSS, "test_loss"), (METRIC, "accuracy"),
                        (TEST_METRIC, "test_accuracy")):
        assert float(row[column]) == pytest.approx(history[key][-1], rel=1e-3), \
            f"{what}: the table's final {key} is not the run's last epoch's"


def _overlay(window, number: int, which: str = "train"):
    return window.curves.overlay(number, "loss", which)


@pytest.mark.timeout(300)
def test_runs_table_overlays_csv_save_and_open(make_window, driver, qtbot, tmp_path):
    import keras

    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 30)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    first = _shown_history(window)
    driver.type_into(window.findChild(QDoubleSpinBox, "learningRateSpin"), "0.003")  # live: the same run
    driver.wait_until(lambda: any(t == "lr 0.01 → 0.003" for _, t in window.curves.markers()), "the lr edit")
    driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 3)  # a new model: a new run
    driver.wait_ready(window)
    driver.wait_until(lambda: driver.epoch(window) == 0, "a units edit shows a new model")
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    second = _shown_history(window)
    driver.wait_until(lambda: len(_cells(window)) == 2 and _cells(window)[1][EPOCHS] == "30",
                      "the Runs table lists both runs")

    one, two = _cells(window)
    assert one[NAME] == "Run 1" and two[NAME] == "Run 2"
    assert one[DIFFERS] == "units hidden_1 8 → 3", "the first run's label does not say what differs"
    assert two[DIFFERS] == "(current)"
    assert "lr 0.01 → 0.003" in window.runs_panel.table.item(0, DIFFERS).toolTip(), "the live edit is not listed"
    _check_figures(one, first, "Run 1")
    _check_figures(two, second, "Run 2")

    # nothing earlier is drawn unasked; ticked, the first run is drawn faintly, its data its own history,
    # labelled with the diff
    assert _overlay(window, 1) is None and window.curves.legend("loss").keys() == {"train", "test"}, \
        "an earlier run is drawn on the curves without being ticked"
    table = window.runs_panel.table
    assert table.item(0, SHOW).checkState() == Qt.CheckState.Unchecked
    table.item(0, SHOW).setCheckState(Qt.CheckState.Checked)
    for which, key in (("train", "loss"), ("test", "test_loss")):
        epochs, values = _overlay(window, 1, which)
        np.testing.assert_array_equal(epochs, np.arange(1, 31), err_msg="the overlay does not span run 1's epochs")
        np.testing.assert_array_equal(values, np.asarray(first[key]),
                                      err_msg=f"the overlay's {which} loss is not run 1's history")
    epochs, values = window.curves.overlay(1, "accuracy", "train")
    np.testing.assert_array_equal(values, np.asarray(first["accuracy"]))
    assert _overlay(window, 2) is None, "the current run is drawn as an overlay too"
    assert "Run 1: units hidden_1 8 → 3" in window.curves.legend("loss")

    table.item(0, SHOW).setCheckState(Qt.CheckState.Unchecked)  # untick: hidden
    assert _overlay(window, 1) is None, "unticking Show did not hide the run"
    table.item(0, SHOW).setCheckState(Qt.CheckState.Checked)
    assert _overlay(window, 1) is not None

    # rename: Rename, type, Enter
    table.selectRow(0)
    driver.click(window, "renameRunButton")
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "eight units")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    driver.wait_until(lambda: _cells(window)[0][NAME] == "eight units", "Rename names the run", 5_000)
    assert "eight units: units hidden_1 8 → 3" in window.curves.legend("loss"), "the legend kept the old name"

    # the table as CSV
    window.dialogs.paths = [str(tmp_path / "runs.csv")]
    driver.click(window, "exportRunsButton")
    with open(tmp_path / "runs.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == ["eight units", "Run 2"]
    assert rows[0]["differs"] == "units hidden_1 8 → 3" and "lr 0.01 → 0.003" in rows[0]["live_edits"]
    for row, engine in zip(rows, (first, second)):
        assert int(row["epochs"]) == 30
        for key in ("loss", "test_loss", "accuracy", "test_accuracy"):
            assert float(row[key]) == pytest.approx(engine[key][-1], rel=1e-5), f"CSV {key}"

    # save the earlier run (its model is kept for Undo) as a run folder; plain Keras loads it
    folder = tmp_path / "eight"
    table.selectRow(_row_of(window, "eight units"))
    window.dialogs.paths = [str(folder)]
    driver.click(window, "saveRunButton")
    driver.wait_until(lambda: (folder / "model.keras").is_file(), "Save Run writes the run folder")
    assert window.dialogs.warnings == []
    model = keras.models.load_model(folder / "model.keras", safe_mode=True)
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [8, 8, 1], \
        "Save Run saved another run's model"
    saved = read_history(folder / "history.csv")
    np.testing.assert_array_equal(saved["loss"], np.asarray(first["loss"]))

    # open it again: a third row, drawn with its saved curves
    window.dialogs.paths = [str(folder / "experiment.json")]
    driver.click(window, "openRunButton")
    assert window.dialogs.warnings == []
    row = _cells(window)[_row_of(window, "eight")]
    assert row[DIFFERS] == "units hidden_1 8 → 3" and int(row[EPOCHS]) == 30, "the opened run's row is wrong"
    with open(folder / "history.csv", newline="", encoding="utf-8") as f:
        file_rows = list(csv.DictReader(f))
    for plot, which, column in (("loss", "train", "loss"), ("loss", "test", "test_loss"),
                                ("accuracy", "train", "accuracy"), ("accuracy", "test", "test_accuracy")):
        epochs, values = window.curves.overlay(3, plot, which)  # epoch for epoch, the file's figures
        np.testing.assert_array_equal(epochs, [int(r["epoch"]) for r in file_rows],
                                      err_msg=f"the opened run's {column} is drawn at other epochs than its file's")
        np.testing.assert_array_equal(values, [float(r[column]) for r in file_rows],
                                      err_msg=f"the opened run's {column} is not its history.csv's")

    # delete it
    table.selectRow(_row_of(window, "eight"))
    driver.click(window, "deleteRunButton")
    assert [r[NAME] for r in _cells(window)] == ["eight units", "Run 2"], "Delete did not remove the run"
    assert _overlay(window, 3) is None, "a deleted run is still drawn"

    # Reset: a new run; of the earlier ones only the ticked one is drawn
    driver.click(window, "resetButton")
    driver.wait_ready(window)
    driver.type_into(driver.spin(window, "epochsSpin"), 5)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    driver.wait_until(lambda: len(_cells(window)) == 3, "Reset's run joins the table")
    assert _overlay(window, 1) is not None and _overlay(window, 2) is None, \
        "after Reset an earlier run is drawn that was not ticked (or a ticked one is not)"
    # another feature: the runs say what differs in words, never as Python lists
    window.findChild(QCheckBox, "feature_x1*x2").setChecked(True)
    driver.wait_ready(window)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    driver.wait_until(lambda: len(_cells(window)) == 4, "the features' run joins the table")
    table.item(_row_of(window, "Run 4"), SHOW).setCheckState(Qt.CheckState.Checked)
    labels = list(window.curves.legend("loss"))
    assert "Run 4: features x₁, x₂ → x₁, x₂, x₁·x₂" in labels, labels
    assert all("[" not in label and "'" not in label for label in labels), labels

    # another data set: no earlier run can be drawn (their ticks are off, saying why), ticked or not
    driver.choose(driver.combo(window, "datasetCombo"), "spiral")
    driver.wait_ready(window)
    driver.wait_until(lambda: all(_overlay(window, n) is None for n in (1, 4)), "XOR's runs leave Spiral's curves")
    assert window.curves.legend("loss").keys() == {"train", "test"}
    for i in range(table.rowCount()):  # every row is a run on XOR: Spiral's has not trained
        show = table.item(i, SHOW)
        assert not show.flags() & Qt.ItemFlag.ItemIsUserCheckable, "a run on XOR can be ticked to draw on Spiral's"
        assert "another data set: xor" in show.toolTip(), show.toolTip()


@pytest.mark.timeout(120)
def test_opening_a_folder_that_is_not_a_run_says_so(make_window, tmp_path):
    window = make_window(ready=False)
    window.dialogs.paths = [str(tmp_path / "experiment.json")]
    window.runs_panel.open_button.click()
    assert window.dialogs.warnings == [f"{tmp_path} is not a run folder: it has no experiment.json or "
                                       "history.csv (Save Run and train --out write them)."]
    assert window.runs_panel.table.rowCount() == 0


def _double_click(qtbot, table, row: int, column: int) -> None:
    table.window().docks["runs"].raise_()
    qtbot.waitUntil(table.isVisible)
    centre = table.visualItemRect(table.item(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click's first press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


@pytest.mark.timeout(300)
def test_a_saved_run_double_clicked_continues_in_the_window_from_its_last_epoch(make_window, driver, qtbot,
                                                                                  tmp_path):
    import shutil

    window = make_window()
    table = window.runs_panel.table
    driver.type_into(driver.spin(window, "epochsSpin"), 12)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    folder = tmp_path / "saved"
    table.selectRow(_row_of(window, "Run 1"))
    window.dialogs.paths = [str(folder)]
    driver.click(window, "saveRunButton")
    driver.wait_until(lambda: (folder / "run.json").is_file(), "Save Run writes the run folder")
    saved = read_history(folder / "history.csv")
    driver.click(window, "trainButton")  # the run trains on past what was saved: its kept model is not the folder's
    driver.wait_idle(window)
    assert driver.epoch(window) == 24
    driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 3)  # another model is current
    driver.wait_ready(window)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    window.dialogs.paths = [str(folder / "experiment.json")]
    driver.click(window, "openRunButton")

    _double_click(qtbot, table, _row_of(window, "saved"), EPOCHS)
    # The engine's reply that the model is there can come a frame before the window draws the history
    # sent ahead of it (replies are handled at once, events at the next redraw): wait for both.
    driver.wait_until(lambda: driver.epoch(window) == 12 and not window.trainer.live and window.trainer.model_current
                      and len(_shown_history(window)["loss"]) == 12, "the saved run is the current model")
    assert window.dialogs.warnings == []
    assert driver.rows(window)[0].findChild(QSpinBox, "unitsSpin").value() == 8, "the run's experiment is not shown"
    np.testing.assert_array_equal(_shown_history(window)["loss"], saved["loss"], err_msg="its history is not drawn")
    driver.click(window, "trainButton")  # at its target: 12 epochs more, from its optimizer state
    driver.wait_idle(window)
    loss = _shown_history(window)["loss"]
    assert driver.epoch(window) == 24 and len(loss) == 24
    np.testing.assert_array_equal(loss[:12], saved["loss"], err_msg="continuing rewrote the saved epochs")
    assert abs(loss[12] - saved["loss"][-1]) < 0.25 * saved["loss"][-1], \
        f"epoch 13 ({loss[12]:.4f}) does not go on from epoch 12 ({saved['loss'][-1]:.4f}): weights lost"
    while window.state.undo_stack.undoText() != "Continue run saved":  # Train at the target's new targets
        driver.undo(window)
    driver.undo(window)
    assert driver.rows(window)[0].findChild(QSpinBox, "unitsSpin").value() == 3, "Undo did not take it back"

    # A folder whose files do not belong together (its history edited) is refused with the sentence.
    torn = tmp_path / "torn"
    shutil.copytree(folder, torn)
    with open(torn / "history.csv", "a", encoding="utf-8") as f:
        f.write("13,0.1,0.5,0.1,0.5\n")
    window.dialogs.paths = [str(torn / "experiment.json")]
    driver.click(window, "openRunButton")
    _double_click(qtbot, table, _row_of(window, "torn"), EPOCHS)
    driver.wait_until(lambda: bool(window.dialogs.warnings), "the refusal")
    assert window.dialogs.warnings[-1].startswith(f"Cannot resume from {torn}: its history.csv is not the one"), \
        window.dialogs.warnings
