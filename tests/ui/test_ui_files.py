"""Files from the window: experiments, weights, models, history, images, CSV data; and the errors a user can cause."""
from __future__ import annotations

import csv

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def _train(window, driver, qtbot, epochs: int) -> None:
    driver.type_into(driver.spin(window, "epochsSpin"), epochs)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) == epochs and not window.trainer.live, timeout=60_000)


def _predict(window, qtbot, x: np.ndarray) -> np.ndarray:
    with qtbot.waitSignal(window.trainer.predicted, timeout=30_000) as blocker:
        window.predict(x)
    return blocker.args[0]


def test_exported_weights_give_the_same_predictions_in_a_new_window(make_window, driver, qtbot, tmp_path):
    first = make_window()
    _train(first, driver, qtbot, 40)
    assert first.save_experiment(tmp_path / "xor.json")
    first.dialogs.paths = [str(tmp_path / "trained")]  # the dialog adds the .weights.h5 ending
    qtbot.keyClick(first, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    weights = tmp_path / "trained.weights.h5"
    qtbot.waitUntil(weights.exists, timeout=30_000)
    qtbot.waitUntil(lambda: "done" in first.statusBar().currentMessage())

    second = make_window()
    assert second.open_experiment(tmp_path / "xor.json")
    driver.wait_ready(second)
    grid = np.random.default_rng(1).uniform(-6, 6, (50, 2)).astype(np.float32)
    assert not np.allclose(_predict(second, qtbot, grid), _predict(first, qtbot, grid))
    second.load_weights(weights)
    qtbot.waitUntil(lambda: "Loading the weights" in second.statusBar().currentMessage(), timeout=30_000)
    assert not second.dialogs.warnings
    np.testing.assert_allclose(_predict(second, qtbot, grid), _predict(first, qtbot, grid), rtol=1e-5, atol=1e-6)
    qtbot.wait(100)
    np.testing.assert_allclose(second.output.image(), first.output.image(), atol=1e-5)


def test_other_exports_write_their_files(make_window, driver, qtbot, tmp_path):
    window = make_window()
    _train(window, driver, qtbot, 15)
    window.export_model(tmp_path / "model.keras")
    window.export_history(tmp_path / "history.csv")
    window.export_savedmodel(tmp_path / "served")
    qtbot.waitUntil(lambda: (tmp_path / "served" / "saved_model.pb").exists(), timeout=60_000)
    assert (tmp_path / "model.keras").stat().st_size > 0
    rows = list(csv.reader((tmp_path / "history.csv").open()))
    assert rows[0][:3] == ["epoch", "loss", "accuracy"] and len(rows) == 16
    for panel in ("curves", "output", "weights", "network", "window"):
        assert window.export_plot_image(tmp_path / f"{panel}.png", panel)
        assert (tmp_path / f"{panel}.png").stat().st_size > 1000
    window.export_weights(tmp_path / "wrong-ending.h5")
    qtbot.waitUntil(lambda: bool(window.dialogs.warnings), timeout=30_000)
    assert ".weights.h5" in window.dialogs.warnings[-1]


def test_loading_weights_of_another_architecture_says_which_layer_differs(make_window, driver, qtbot, tmp_path):
    window = make_window()
    window.export_weights(tmp_path / "a.weights.h5")
    qtbot.waitUntil((tmp_path / "a.weights.h5").exists, timeout=30_000)
    driver.rows(window)[0].units.setValue(3)
    driver.wait_ready(window)
    window.load_weights(tmp_path / "a.weights.h5")
    qtbot.waitUntil(lambda: bool(window.dialogs.warnings), timeout=30_000)
    assert "hidden_1" in window.dialogs.warnings[-1]


def test_save_open_and_unsaved_changes(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    dialogs = window.dialogs
    assert not window.isWindowModified()
    driver.click(window, "addLayerButton")
    assert window.isWindowModified() and "[*]" in window.windowTitle()

    dialogs.paths = [str(tmp_path / "mine")]
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "mine.json").exists()
    assert not window.isWindowModified() and window.windowTitle().startswith("mine.json")
    assert window.recent_files()[0].endswith("mine.json")

    driver.click(window, "removeLayerButton")
    dialogs.save_answer = "cancel"
    assert not window.close()  # cancelled: nothing lost
    assert dialogs.save_questions == ["mine.json"]
    window.new_experiment_clicked()
    assert len(driver.rows(window)) == 2 and dialogs.save_questions == ["mine.json"] * 2  # cancelled again

    dialogs.save_answer = "discard"
    assert window.open_experiment(tmp_path / "mine.json")
    assert len(driver.rows(window)) == 3 and not window.isWindowModified()

    (tmp_path / "broken.json").write_text("{ not json")
    assert not window.open_experiment(tmp_path / "broken.json")
    assert "not valid JSON" in dialogs.warnings[-1]
    assert len(driver.rows(window)) == 3 and window.windowTitle().startswith("mine.json")


def test_csv_import_and_a_data_set_that_fails_to_load(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    dialogs, combo = window.dialogs, driver.combo(window, "datasetCombo")
    (tmp_path / "bad.csv").write_text("a,b,label\n1,2,x\n")
    dialogs.paths = [str(tmp_path / "bad.csv")]
    driver.choose(combo, "csv")
    qtbot.waitUntil(lambda: bool(dialogs.warnings))  # CSV files load in the background
    assert "bad.csv" in dialogs.warnings[-1]
    message = window.findChild(QLabel, "dataMessage")
    assert not message.isHidden() and "bad.csv" in message.text()
    assert combo.currentData() == "xor" and window.state.experiment.dataset.name == "xor"

    rng = np.random.default_rng(0)
    lines = ["height,weight,age,kind"] + [f"{h:.2f},{w:.2f},{a},{'big' if h > 0 else 'small'}"
                                          for h, w, a in zip(rng.normal(size=40), rng.normal(size=40),
                                                             rng.integers(1, 9, 40))]
    (tmp_path / "good.csv").write_text("\n".join(lines) + "\n")
    dialogs.paths = [str(tmp_path / "good.csv")]
    driver.choose(combo, "csv")
    qtbot.waitUntil(lambda: window.state.experiment.dataset.name == "csv")
    assert combo.currentData() == "csv" and message.isHidden()
    target = driver.combo(window, "targetCombo")
    assert [target.itemText(i) for i in range(target.count())] == ["height", "weight", "age", "kind"]
    assert target.currentText() == "kind"
    assert window.findChild(QLabel, "inputLabel").text() == "Input: 3 features"
    target.setCurrentIndex(0)  # predict the height instead: "kind" would become a feature, but it is text
    qtbot.waitUntil(lambda: "Column 'kind' has non-numeric values" in message.text())
    assert target.currentText() == "kind" and window.state.experiment.dataset.target is None
    assert window.state.dataset.task == "binary"


def test_exported_code_trains_the_epochs_the_model_was_trained_not_the_target(make_window, driver, qtbot,
                                                                              tmp_path):
    window = make_window()
    _train(window, driver, qtbot, 3)
    driver.type_into(driver.spin(window, "epochsSpin"), 5000)  # the next target, not trained yet
    assert window.export_code(tmp_path / "trained.py", "functional")
    driver.wait_until((tmp_path / "trained.py").exists, "the engine wrote the code")
    assert "epochs=3," in (tmp_path / "trained.py").read_text()
    assert "epochs=5000" not in (tmp_path / "trained.py").read_text()


def test_a_files_name_with_backslashes_quotes_and_line_breaks_suggests_a_plain_file_name(make_window, tmp_path):
    """Linux lets a file be named anything but / and NUL; the export suggests a name any file
    system and any script takes, and the code it writes is Python that names the file as it is."""
    from playground.core.spec import Experiment

    name = 'C:\\Users\\me\\New "net"\u2028\n'
    Experiment(name=name).save(tmp_path / f"{name}.json")
    window = make_window()
    assert window.open_experiment(tmp_path / f"{name}.json")
    window.dialogs.choice = "keras.Sequential"
    window.dialogs.paths = [""]  # cancelled: only the suggestion is looked at
    window.export_code_clicked()
    assert window.dialogs.starts == [str(tmp_path / "C__Users_me_New _net___.py")]
