"""The window as it opens: names scripts rely on, the loading state, and its layout at two sizes."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

NAMES = ["datasetCombo", "layerList", "addLayerButton", "removeLayerButton", "lossCombo", "optimizerCombo",
         "learningRateSpin", "batchSizeSpin", "epochsSpin", "trainButton", "stopButton", "stepButton",
         "resetButton", "lossPlot", "accuracyPlot", "weightHistogramPlot", "boundaryPlot", "networkView"]
SHOTS = Path("/tmp/ui_shots")


def test_every_named_widget_exists_with_an_accessible_name(make_window, driver):
    window = make_window(ready=False)
    for name in NAMES:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for row in driver.rows(window):
        assert row.findChild(QSpinBox, "unitsSpin") is not None
        combo = row.findChild(QComboBox, "activationCombo")
        assert combo is not None
        assert "tanh" in combo.toolTip().lower() and "<img" in combo.toolTip()  # formula and a small curve


def test_window_is_usable_before_tensorflow_has_loaded(qtbot, _plots_configured):
    from playground.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    train = window.findChild(QWidget, "trainButton")
    assert not train.isEnabled()
    assert "Loading TensorFlow" in train.toolTip()
    assert "Loading TensorFlow" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.tensorflow_ready, timeout=90_000)
    assert train.isEnabled()
    assert "Space" in train.toolTip()


def test_parameter_count_is_live_like_model_summary(make_window, driver):
    window = make_window(ready=False)
    total = window.findChild(QLabel, "totalParamsLabel")
    assert "105" in total.text()  # 2-8-8-1: 24 + 72 + 9
    driver.rows(window)[1].findChild(QSpinBox, "unitsSpin").setValue(4)
    assert "65" in total.text()  # 24 + 36 + 5
    window.model_panel.normalize.click()
    assert "70" in total.text() and "non-trainable 5" in total.text()


def _visible_docks(window) -> list:
    return [d for d in window.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_layout_fits_mid_training_screenshot(make_window, driver, qtbot, size):
    window = make_window(size=size)
    driver.type_into(driver.spin(window, "epochsSpin"), 100000)
    driver.click(window, "trainButton")
    qtbot.waitUntil(lambda: driver.epoch(window) >= 20, timeout=60_000)
    qtbot.wait(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / f"window_{size[0]}x{size[1]}.png"))
    driver.click(window, "stopButton")
    driver.wait_idle(window)

    docks = _visible_docks(window)
    assert len(docks) == 6  # Data and Model share a tab; the rest side by side
    for dock in docks:
        content = dock.widget()
        hint = content.minimumSizeHint()
        assert content.width() >= hint.width() and content.height() >= hint.height(), dock.objectName()
        assert content.height() >= 150, dock.objectName()
    rects = [QRect(d.mapTo(window, d.rect().topLeft()), d.size()) for d in docks]
    for i, a in enumerate(rects):
        assert window.rect().contains(a)
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    for name in ("trainButton", "stopButton", "stepButton", "resetButton"):
        button = driver.button(window, name)
        assert not button.visibleRegion().isEmpty() and button.width() >= button.minimumSizeHint().width()
