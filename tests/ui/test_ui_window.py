"""The window as it opens: names scripts rely on, the loading state, its layout at two sizes and on a
laptop's screen; Space from anywhere, File > Open Example, and where the file dialogs start."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QSpinBox, QWidget

from playground import resources_path

NAMES = ["datasetCombo", "layerList", "addLayerButton", "removeLayerButton", "lossCombo", "optimizerCombo",
         "learningRateSpin", "batchSizeSpin", "epochsSpin", "trainButton", "stopButton", "stepButton",
         "resetButton", "lossPlot", "accuracyPlot", "weightHistogramPlot", "boundaryPlot", "networkView"]
SHOTS = Path("/tmp/ui_shots")
ROOT = Path(__file__).resolve().parents[2]


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
    # Data and Model share a tab, Output, Weights and the Lab another, Curves and Runs a third
    assert sorted(d.objectName() for d in docks) == ["curvesDock", "dataDock", "networkDock", "outputDock",
                                                     "trainingDock"]
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


# -- fitting the screen ---------------------------------------------------------------------------

@pytest.mark.parametrize("available, expected", [
    (QRect(0, 0, 1366, 768), QRect(68, 38, 1229, 691)),  # 90% of it, centred
    (QRect(0, 0, 1920, 1080), QRect(160, 54, 1600, 972)),  # 1600 wide fits; 1000 high does not
    (QRect(0, 0, 2560, 1440), QRect(480, 220, 1600, 1000)),  # room to spare: 1600x1000
    (QRect(1920, 27, 1366, 741), QRect(1988, 64, 1229, 667)),  # a panel on top, right of another screen
], ids=["laptop", "full-hd", "large", "second-screen-with-panel"])
def test_first_window_fits_the_screen_it_opens_on(available, expected):
    from playground.ui.window import first_geometry

    assert first_geometry(available) == expected


# Opens the real window on an offscreen screen of the size the test asks for, prints where the window,
# Train and the status bar are on it, and closes the window the way a user does (saving its geometry).
FIT_SCRIPT = """
import json, sys
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
from playground import plots
from playground.ui.window import MainWindow
plots.configure()
window = MainWindow()
window.load_tensorflow_when_shown = False

def report():
    where = lambda w: [*w.mapToGlobal(QPoint(0, 0)).toTuple(), w.width(), w.height()]
    print(json.dumps({"screen": window.screen().availableGeometry().getRect(),
                      "frame": window.frameGeometry().getRect(),
                      "train": where(window.findChild(QWidget, "trainButton")), "status": where(window.statusBar())}))
    if sys.argv[1:]:
        window.setGeometry(*map(int, sys.argv[1:]))
    window.close()

window.firstShown.connect(lambda: QTimer.singleShot(300, report))
window.show()
app.exec()
"""


def _open_on_screen(tmp_path, width: int, height: int, *resize: int) -> dict:
    """Run FIT_SCRIPT on a ``width`` x ``height`` screen (settings in ``tmp_path``); what it reports."""
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", FIT_SCRIPT, *map(str, resize)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("before", [None, (1920, 1080)], ids=["first-window", "saved-on-a-bigger-screen"])
def test_train_and_the_status_bar_are_on_a_1366x768_screen(tmp_path, before):
    if before:  # the window was last closed big, on a big screen
        _open_on_screen(tmp_path, *before, 20, 20, 1880, 1040)
    shown = _open_on_screen(tmp_path, 1366, 768)
    screen = QRect(*shown["screen"])
    assert screen.size().toTuple() == (1366, 768)
    for part in ("frame", "train", "status"):
        assert screen.contains(QRect(*shown[part])), f"the {part} is not all on the screen: {shown}"


def _press_space(qtbot) -> None:
    """Space where the keyboard sends it: to the widget with the focus."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)


def _held_space() -> None:
    """The key presses the keyboard repeats while Space is held down."""
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
    QApplication.sendEvent(QApplication.focusWidget(), event)


def test_space_trains_and_pauses_from_a_spin_box_a_list_and_a_combo_but_types_in_a_text_field(
        make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 100000)
    train = driver.button(window, "trainButton")
    rate = window.findChild(QDoubleSpinBox, "learningRateSpin")
    value = rate.value()
    rate.setFocus()
    assert QApplication.focusWidget() is rate
    _press_space(qtbot)
    assert train.text() == "Pause", "Space in the learning-rate spin box did not start training"
    _held_space()
    assert train.text() == "Pause", "holding Space down paused training again"
    qtbot.waitUntil(lambda: driver.epoch(window) > 0, timeout=60_000)
    driver.layer_list(window).setFocus()
    _press_space(qtbot)
    assert train.text() == "Resume", "Space in the layer list did not pause training"
    driver.combo(window, "lossCombo").setFocus()
    _press_space(qtbot)
    assert train.text() == "Pause", "Space in the loss combo box did not resume training"
    _held_space()
    assert train.text() == "Pause", "holding Space down in the loss combo box paused training again"
    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert rate.value() == value, "Space changed the learning rate"

    field = QLineEdit(window.training_panel)  # where a name is typed, Space is a space
    field.show()
    field.setFocus()
    _press_space(qtbot)
    assert field.text() == " ", "Space in a text field did not type a space"
    assert train.text() == "Train", "Space in a text field started training"


def test_open_example_menu_shows_data_set_names_with_descriptions(make_window, driver):
    from playground.data import list_datasets

    window = make_window(ready=False)
    actions = window.examples_menu.actions()
    shipped = {path.stem for path in resources_path.examples()}
    infos = [info for info in list_datasets() if info.name in shipped]
    assert [a.text() for a in actions] == [info.title for info in infos], "not the data sets' names, in order"
    assert [a.toolTip() for a in actions] == [info.description for info in infos], "not the data sets' descriptions"
    assert window.examples_menu.toolTipsVisible()
    next(a for a in actions if a.text() == "Two moons").trigger()
    assert driver.combo(window, "datasetCombo").currentData() == "moons"
    assert window.windowTitle().startswith("moons")


def test_a_failed_export_does_not_become_the_next_dialogs_folder(make_window, qtbot, tmp_path):
    window = make_window()
    good = tmp_path / "good"
    good.mkdir()
    starts, answers = [], [str(good / "first"), str(tmp_path / "missing" / "second"), ""]

    def save_path(title, start, filters):  # the export dialog: where it starts, what the user picks
        starts.append(start)
        return answers.pop(0)

    window.dialogs.save_path = save_path
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "done" in window.statusBar().currentMessage(), timeout=30_000)
    assert (good / "first.weights.h5").exists()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert Path(starts[1]).parent == good, "the export dialog does not start in the last export's folder"
    qtbot.waitUntil(lambda: bool(window.dialogs.warnings), timeout=30_000)
    assert "missing" in window.dialogs.warnings[-1]
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert Path(starts[2]).parent == good, "the export dialog starts in the folder of the export that failed"
