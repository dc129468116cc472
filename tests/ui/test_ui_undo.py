"""Undo and redo of every model edit, with the keyboard, as the user sees the layer stack."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QComboBox, QSpinBox


def _undo(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def _redo(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _stack(driver, window) -> list[tuple[int, str]]:
    return list(zip(driver.units(window), driver.activations(window)))


def test_undo_and_redo_every_model_edit(make_window, driver, qtbot):
    window = make_window(ready=False)
    history = [_stack(driver, window)]  # [(8, tanh), (8, tanh)]

    def edit(action) -> None:
        action()
        history.append(_stack(driver, window))

    edit(lambda: driver.click(window, "addLayerButton"))
    edit(lambda: driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 5))
    edit(lambda: driver.choose(driver.rows(window)[1].findChild(QComboBox, "activationCombo"), "relu"))
    driver.layer_list(window).setCurrentRow(0)
    edit(lambda: driver.click(window, "moveDownButton"))
    edit(lambda: driver.click(window, "duplicateLayerButton"))
    driver.layer_list(window).setCurrentRow(3)
    edit(lambda: driver.click(window, "removeLayerButton"))
    assert history[-1] == [(8, "relu"), (5, "tanh"), (5, "tanh")]
    assert len({tuple(h) for h in history}) == len(history)  # every edit changed what the user sees

    for expected in reversed(history[:-1]):
        _undo(qtbot, window)
        assert _stack(driver, window) == expected
    assert not window.isWindowModified()
    for expected in history[1:]:
        _redo(qtbot, window)
        assert _stack(driver, window) == expected
    assert window.act_undo.text().startswith("&Undo Remove hidden layer")


def test_spin_box_steps_merge_into_one_undo_step(make_window, driver, qtbot):
    window = make_window(ready=False)
    units = driver.rows(window)[1].findChild(QSpinBox, "unitsSpin")
    for _ in range(3):
        qtbot.keyClick(units, Qt.Key.Key_Up)
    assert units.value() == 11
    _undo(qtbot, window)
    assert units.value() == 8
    _redo(qtbot, window)
    assert units.value() == 11


def test_other_model_settings_are_undoable(make_window, driver, qtbot):
    window = make_window(ready=False)
    row = driver.rows(window)[0]
    driver.click(row, "optionsButton")
    assert not row.details.isHidden()
    before = window.state.experiment.model_copy(deep=True)
    row.dropout.setValue(0.25)
    row.regularizers["kernel_l2"].setValue(0.01)
    row.bias.setChecked(False)
    driver.choose(row.initializer, "he_normal")
    window.model_panel.normalize.setChecked(True)
    driver.choose(driver.combo(window, "outputActivationCombo"), "linear")
    layer = window.state.experiment.model.layers[0]
    assert (layer.dropout, layer.kernel_l2, layer.use_bias, layer.kernel_initializer) == (0.25, 0.01, False, "he_normal")
    assert row.more.text() == "⋯3"  # three non-default options, visible while folded
    for _ in range(6):
        _undo(qtbot, window)
    assert window.state.experiment == before
    assert row.dropout.value() == 0 and row.bias.isChecked() and not window.model_panel.normalize.isChecked()


def test_dragging_a_layer_moves_it(make_window, driver):
    window = make_window(ready=False)
    driver.rows(window)[1].units.setValue(3)
    layers = driver.layer_list(window)
    layers.setCurrentRow(0)
    below_last = layers.visualItemRect(layers.item(1)).bottomLeft() - QPoint(-5, 2)

    class Drop:  # the parts of a QDropEvent that the drop target reads
        def position(self):
            return QPointF(below_last)

    assert layers.drop_target(Drop()) == 1
    layers.moveRequested.emit(0, 1)
    assert driver.units(window) == [3, 8]
    window.undo()
    assert driver.units(window) == [8, 3]
