"""A link's weight edited by hand in the network diagram of the real window: the model's output changes, and
Edit > Undo gives back the model exactly as it was (Redo the edited one)."""
import re

import numpy as np
from PySide6.QtCore import QPointF, Qt

POINTS = np.array([[1.5, -2.0], [-3.0, 0.5], [4.0, 4.0]], dtype=np.float32)


def shown_weight(link) -> float | None:
    """The weight a link's tooltip reads (None before weights are drawn)."""
    match = re.search(r"weight ([+-]\d\.\d{4})", link.describe())
    return float(match.group(1)) if match else None


def exported_kernel(window, driver, folder) -> np.ndarray:
    """The first hidden layer's kernel as File > Export weights writes it (the engine holds the model, in
    its process). Keras names a weights file's groups by class and order: the first Dense is "dense"."""
    import h5py

    path = folder / "edited.weights.h5"
    window.export_weights(path)
    driver.wait_until(path.exists, "the weights were exported")
    with h5py.File(path, "r") as f:
        return f["layers/dense/vars/0"][()]


def output_on(window, qtbot) -> np.ndarray:
    """The model's output on POINTS, as the engine computes it in the training thread."""
    with qtbot.waitSignal(window.trainer.predicted, timeout=20_000) as blocker:
        window.predict(POINTS)
    return np.asarray(blocker.args[0])


def summary_min(window) -> float:
    """The minimum the weights panel's summary line reads."""
    return float(re.search(r"min (-?[\d.]+(?:e-?\d+)?)", window.weights.summary_text()).group(1))


def pointable(view, link):
    """A point on ``link`` no other link's band comes near, in the view's pixels."""
    for t in np.linspace(0.15, 0.85, 30):
        point = link.mapToScene(link.path().pointAtPercent(t))
        near = [point + QPointF(dx, dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
        if not any(o.shape().contains(o.mapFromScene(p)) for o in view.link_items() if o is not link for p in near):
            return view.mapFromScene(point)
    raise AssertionError("no point of the link can be clicked alone")


def test_editing_a_link_changes_the_model_and_undo_restores_it_exactly(make_window, driver, qtbot, tmp_path):
    window = make_window()
    driver.choose(driver.combo(window, "datasetCombo"), "xor")
    driver.wait_ready(window)
    driver.click(window, "stepButton")  # one epoch: the diagram shows trained weights
    driver.wait_idle(window)
    view = window.network
    link = view.link_item(0, 1, 0)  # x2 -> hidden_1 unit 1
    driver.wait_until(lambda: shown_weight(link) is not None, "the diagram shows the trained weights")
    before = output_on(window, qtbot)
    old = shown_weight(link)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pointable(view, link))
    editor = view.weight_editor()
    assert editor.isVisible(), "clicking a link of a model that is not training opened no editor"
    new = -3.0  # below every other weight of the layer: the new minimum
    editor.selectAll()
    qtbot.keyClicks(editor, f"{new}")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    driver.wait_until(lambda: shown_weight(link) == new, f"the link reads the weight typed, {new}")
    window.weights.layer_combo.setCurrentText("hidden_1")
    window.weights.kernel_radio.setChecked(True)
    driver.wait_until(lambda: summary_min(window) == -3.0,
                      f"the weights summary shows the weight typed as the minimum: {window.weights.summary_text()!r}")
    kernel = exported_kernel(window, driver, tmp_path)  # the model's, as the user exports it
    assert kernel.min() == np.float32(-3.0)
    assert f"mean {kernel.mean():.4g}" in window.weights.summary_text(), "the summary's mean is not the edited kernel's"
    edited = output_on(window, qtbot)
    assert np.abs(edited - before).max() > 1e-3, "setting a weight of the first layer did not change the output"
    assert window.act_undo.text() == "&Undo weight hidden_1[1, 0]"
    driver.undo(window)
    driver.wait_until(lambda: shown_weight(link) == old, "Undo put the old weight back in the diagram")
    driver.wait_until(lambda: summary_min(window) > -3.0, "after Undo the summary's minimum is the old one")
    np.testing.assert_array_equal(output_on(window, qtbot), before,
                                  err_msg="after Undo the model's output is not exactly what it was")
    driver.redo(window)
    driver.wait_until(lambda: shown_weight(link) == new, "Redo set the weight again")
    np.testing.assert_array_equal(output_on(window, qtbot), edited, err_msg="Redo gave another model")
