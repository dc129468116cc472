"""The lab dock and File → Export Python Code, driven as a user drives them."""
import html
import runpy

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QTableWidget

from playground.core import catalog, lab
from playground.ui.lab import CURVE_X, LabPanel

LOSS_ROW = {loss_id: i for i, loss_id in enumerate(catalog.LOSSES)}


@pytest.fixture
def panel(qtbot, _plots_configured):
    widget = LabPanel()
    qtbot.addWidget(widget)
    widget.resize(700, 760)
    widget.show()
    return widget


def _cell(panel, loss_id: str) -> str:
    return panel.findChild(QTableWidget, "labLosses").item(LOSS_ROW[loss_id], 1).text()


def _details(panel, loss_id: str) -> str:
    """What the user reads under the table after clicking the loss's row."""
    table = panel.findChild(QTableWidget, "labLosses")
    table.selectRow(LOSS_ROW[loss_id])
    return panel.findChild(QLabel, "labDetails").text()


def _retype(qtbot, field: QLineEdit, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def test_choosing_a_worked_example_shows_the_notes_numbers(panel):
    example = panel.findChild(QComboBox, "labExample")
    titles = [example.itemText(i) for i in range(example.count())]
    example.setCurrentIndex(titles.index("Categorical cross-entropy, a poor second guess"))
    assert panel.findChild(QLineEdit, "labTargets").text() == "[[0, 1, 0], [0, 0, 1]]"
    assert _cell(panel, "categorical_crossentropy") == "0.39925388"
    assert "<code>keras.losses.CategoricalCrossentropy()(y_true, y_pred)</code>" in panel.findChild(
        QLabel, "labDetails").text()  # the example's loss is selected
    # what the notes printed, without the notes' file numbers ("seed 002"), which a user never sees
    assert panel.findChild(QLabel, "labPrinted").text() == "The notes printed 0.39925388 for categorical cross-entropy."
    example.setCurrentIndex(titles.index("Huber (smooth L1)"))
    assert _cell(panel, "huber") == "0.18"
    assert html.escape(catalog.LOSSES["huber"].formula) in _details(panel, "huber")
    assert _cell(panel, "categorical_crossentropy") == "—"  # one column: no classes to spread over
    example.setCurrentIndex(titles.index("Binary cross-entropy, unsure"))
    value = panel.findChild(QTableWidget, "labLosses").item(LOSS_ROW["binary_crossentropy"], 1)
    assert value.text() == "0.5108256 *" and "printed 0.5108254" in value.toolTip()


def test_typed_values_and_the_logits_switch_change_the_table(panel, qtbot):
    targets = panel.findChild(QLineEdit, "labTargets")
    predictions = panel.findChild(QLineEdit, "labPredictions")
    _retype(qtbot, targets, "0 1 0 0")
    _retype(qtbot, predictions, "-18.6 0.51 2.94 -12.8")
    assert panel.findChild(QComboBox, "labExample").currentIndex() == 0  # typed: no longer an example
    assert _cell(panel, "binary_crossentropy") == "—"  # scores are not probabilities
    assert "logits" in panel.findChild(QTableWidget, "labLosses").item(
        LOSS_ROW["binary_crossentropy"], 1).toolTip()
    panel.findChild(QCheckBox, "labLogits").click()
    assert _cell(panel, "binary_crossentropy") == "0.865458"  # seed 003's worked number
    assert "BinaryCrossentropy(from_logits=True)(y_true, y_pred)" in _details(panel, "binary_crossentropy")
    errors = np.array([0, 1, 0, 0], dtype="float32") - np.array([-18.6, 0.51, 2.94, -12.8], dtype="float32")
    assert _cell(panel, "mean_squared_error") == lab.shown(np.mean(errors**2))  # logits leave MSE as it was
    _retype(qtbot, predictions, "0.5 x")
    error = panel.findChild(QLabel, "labError")
    assert error.isVisible() and "must be numbers" in error.text()
    assert panel.findChild(QTableWidget, "labLosses").rowCount() == 0


def test_the_activation_plot_draws_the_curve_and_its_derivative(panel):
    combo = panel.findChild(QComboBox, "labActivation")
    combo.setCurrentIndex(combo.findData("tanh"))
    x, y = panel.curve.getData()
    _, slope = panel.slope.getData()
    np.testing.assert_allclose(x, CURVE_X)
    np.testing.assert_allclose(y, np.tanh(CURVE_X), atol=1e-12)
    np.testing.assert_allclose(slope, 1 - np.tanh(CURVE_X) ** 2, atol=1e-8, err_msg="tanh′ = 1 − tanh²")
    assert catalog.ACTIVATIONS["tanh"].formula in panel.findChild(QLabel, "labFormula").text()


def test_view_opens_the_lab_and_file_exports_python_code(make_window, driver, qtbot, tmp_path):
    window = make_window()
    dock = window.docks["lab"]
    # a tab behind Output, beside Weights
    assert set(window.tabifiedDockWidgets(dock)) == {window.docks["output"], window.docks["weights"]}
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    lab_action = next(a for a in view.actions() if a.text() == "Loss && Activation Lab")
    lab_action.trigger()  # hides it
    assert not dock.isVisible()
    lab_action.trigger()
    assert dock.isVisible() and dock.widget().widget() is window.lab  # in a scroll area
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    export = next(a for a in file_menu.actions() if a.text() == "Export &Python Code…")
    window.dialogs.choice = "keras.Model subclass"
    window.dialogs.paths = [str(tmp_path / "mine")]  # the dialog adds .py
    export.trigger()
    driver.wait_until(lambda: (tmp_path / "mine.py").is_file(), "the engine writes the code file")
    source = (tmp_path / "mine.py").read_text()
    assert "(keras.Model):" in source and "def call(self, inputs" in source
    assert window.dialogs.questions == ["Model style (the notes on model styles show all three)"]  # no "seed 002"
    generated = runpy.run_path(str(tmp_path / "mine.py"), run_name="generated")
    (x_train, _), _ = generated["load_data"]()
    assert generated["build_model"](x_train).count_params() == driver.total_params(window)[0]
    window.dialogs.choice = "keras.Sequential"
    window.dialogs.paths = [str(tmp_path / "missing" / "x.py")]
    export.trigger()
    driver.wait_until(lambda: bool(window.dialogs.warnings) and "does not exist" in window.dialogs.warnings[-1],
                      "a folder that does not exist is said")
