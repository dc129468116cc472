"""Undo and redo of the layer stack's edits with the keyboard: the layer list and the saved file."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QComboBox, QSpinBox


def _stack(driver, window) -> list[tuple[int, str]]:
    return list(zip(driver.units(window), driver.activations(window)))


def _saved_stack(driver, window, path) -> list[tuple[int, str]]:
    """The hidden layers (units, activation) of the experiment File > Save writes."""
    return [(layer["units"], layer["activation"]) for layer in driver.saved(window, path)["model"]["layers"]]


def test_undo_and_redo_every_layer_stack_edit(make_window, driver, tmp_path):
    """Add, type units, pick an activation, move, duplicate, remove: each undone and redone, in the layer
    list and in the saved file. (Each other control's Undo is in test_ui_model_panel/test_ui_training_panel.)"""
    window = make_window(ready=False)
    path = tmp_path / "stack.json"
    history = [_stack(driver, window)]  # [(8, tanh), (8, tanh)]
    assert _saved_stack(driver, window, path) == history[0]

    def edit(action) -> None:
        action()
        history.append(_stack(driver, window))
        assert _saved_stack(driver, window, path) == history[-1], "the saved layers differ from those shown"

    edit(lambda: driver.click(window, "addLayerButton"))
    edit(lambda: driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 5))
    edit(lambda: driver.choose(driver.rows(window)[1].findChild(QComboBox, "activationCombo"), "relu"))
    driver.layer_list(window).setCurrentRow(0)
    edit(lambda: driver.click(window, "moveDownButton"))
    edit(lambda: driver.click(window, "duplicateLayerButton"))
    driver.layer_list(window).setCurrentRow(3)
    edit(lambda: driver.click(window, "removeLayerButton"))
    assert history[-1] == [(8, "relu"), (5, "tanh"), (5, "tanh")], "the edits built another stack"
    assert len({tuple(h) for h in history}) == len(history)  # every edit changed what the user sees

    for expected in reversed(history[:-1]):
        driver.undo(window)
        assert _stack(driver, window) == expected, "Undo did not restore the layer list"
        assert _saved_stack(driver, window, path) == expected, "Undo did not restore the saved layers"
    for expected in history[1:]:
        driver.redo(window)
        assert _stack(driver, window) == expected, "Redo did not restore the layer list"
        assert _saved_stack(driver, window, path) == expected, "Redo did not restore the saved layers"
    assert window.act_undo.text().startswith("&Undo Remove hidden layer")


def test_spin_box_steps_merge_into_one_undo_step(make_window, driver, qtbot):
    window = make_window(ready=False)
    units = driver.rows(window)[1].findChild(QSpinBox, "unitsSpin")
    for _ in range(3):
        qtbot.keyClick(units, Qt.Key.Key_Up)
    assert units.value() == 11
    driver.undo(window)
    assert units.value() == 8
    driver.redo(window)
    assert units.value() == 11


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
