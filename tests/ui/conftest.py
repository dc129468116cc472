"""UI test set-up: settings in a temporary folder, scripted dialogs, and a driver for the real window."""
from __future__ import annotations

import copy
import json
import os
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QListWidget,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
)

TF_TIMEOUT = 90_000  # ms: the first `import tensorflow` and XLA compile on a busy 2-core machine
RUN_TIMEOUT = 60_000


class ScriptedDialogs:
    """Stands in for :class:`playground.ui.dialogs.Dialogs`: records questions, answers from a script."""

    def __init__(self):
        self.warnings: list[str] = []
        self.informations: list[str] = []
        self.confirms: list[str] = []
        self.save_questions: list[str] = []
        self.confirm_answer = True
        self.save_answer = "discard"
        self.paths: list[str] = []  # answers to file dialogs, in order ("" = cancel)
        self.choice = ""
        self.questions: list[str] = []  # the labels of the choices asked, in order
        self.starts: list[str] = []  # the file or folder each file dialog suggested, in order

    def warning(self, title: str, text: str) -> None:
        self.warnings.append(text)

    def information(self, title: str, text: str) -> None:
        self.informations.append(text)

    def confirm(self, title: str, text: str, accept: str) -> bool:
        self.confirms.append(text)
        return self.confirm_answer

    def save_changes(self, name: str) -> str:
        self.save_questions.append(name)
        return self.save_answer

    def _path(self, *args) -> str:  # (title, the suggested file or folder, filters)
        self.starts.append(args[1] if len(args) > 1 else "")
        return self.paths.pop(0) if self.paths else ""

    open_path = save_path = folder_path = directory = _path

    def choose(self, title: str, label: str, items: list[str]) -> str:
        self.questions.append(label)
        return self.choice


class Driver:
    """What a user does with the window: clicks, choices, spin boxes; and what they read back."""

    def __init__(self, qtbot):
        self.qtbot = qtbot

    def click(self, window, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        button = window.findChild(QAbstractButton, name)
        assert button is not None, name
        self.press(button, modifier)

    def press(self, button: QAbstractButton, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        """Click ``button`` where it takes clicks: a check box stretched by its layout only on its box and text."""
        point = button.rect().center()
        if isinstance(button, QCheckBox):
            option = QStyleOptionButton()
            button.initStyleOption(option)
            point = button.style().subElementRect(QStyle.SubElement.SE_CheckBoxClickRect, option, button).center()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton, modifier, point)

    def button(self, window, name: str) -> QAbstractButton:
        return window.findChild(QAbstractButton, name)

    def choose(self, combo: QComboBox, data) -> None:
        index = combo.findData(data)
        assert index >= 0, data
        combo.setCurrentIndex(index)

    def combo(self, window, name: str) -> QComboBox:
        return window.findChild(QComboBox, name)

    def spin(self, window, name: str) -> QSpinBox:
        return window.findChild(QSpinBox, name)

    def type_into(self, spin, value) -> None:
        """Select the spin box's text, type ``value`` and press Enter."""
        spin.setFocus()
        spin.selectAll()
        self.qtbot.keyClicks(spin, str(value))
        self.qtbot.keyClick(spin, Qt.Key.Key_Return)

    def undo(self, window) -> None:
        """Edit > Undo, by its shortcut (Ctrl+Z)."""
        self.qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    def redo(self, window) -> None:
        """Edit > Redo, by its shortcut (Ctrl+Shift+Z)."""
        self.qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    def set(self, widget, value) -> None:
        """Give a spin box, combo box or check box ``value`` as a user would: type it, pick it, click it."""
        if isinstance(widget, QAbstractSpinBox):
            self.type_into(widget, value)
        elif isinstance(widget, QComboBox):
            self.choose(widget, value)
        elif widget.isChecked() != value:
            self.press(widget)

    @staticmethod
    def value(widget):
        """What a spin box, combo box (its item's data) or check box shows."""
        if isinstance(widget, QAbstractSpinBox):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        return widget.isChecked()

    def saved(self, window, path) -> dict:
        """File > Save (Ctrl+S; the first time the dialog answers ``path``), and the file read back."""
        window.dialogs.paths = [str(path)]
        self.qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        window.dialogs.paths.clear()
        assert window.state.path == Path(path) and not window.isWindowModified(), "File > Save did not save"
        return json.loads(Path(path).read_text(encoding="utf-8"))

    def check_edit(self, window, path, control, value, expected: dict, field: tuple) -> None:
        """Set ``control`` to ``value`` as a user would; the saved file must then equal ``expected`` with
        ``field`` (a path of keys into the experiment document) set to ``value`` (``expected`` is
        updated), and Undo then Redo must put both the widget and the file back and forth."""
        name = control.objectName()
        before, old = copy.deepcopy(expected), self.value(control)
        assert old != value, f"{name} already shows {value!r}: the edit would prove nothing"
        self.set(control, value)
        *parents, last = field
        target = expected
        for key in parents:
            target = target[key]
        target[last] = value
        assert self.saved(window, path) == expected, f"{name} did not save as {'.'.join(map(str, field))}"
        self.undo(window)
        assert self.value(control) == old, f"Undo did not put {name} back"
        assert self.saved(window, path) == before, f"Undo of {name} did not restore the saved file"
        self.redo(window)
        assert self.value(control) == value, f"Redo did not show {name} again"
        assert self.saved(window, path) == expected, f"Redo of {name} did not save it again"

    def problems(self, window, name: str = "modelProblems") -> list[str]:
        """The lines a problems box shows (empty while it is hidden)."""
        label = window.findChild(QLabel, name)
        if label.isHidden():
            return []
        document = QTextDocument()
        document.setHtml(label.text())
        return document.toPlainText().splitlines()

    @staticmethod
    def total_params(window) -> tuple[int, int, int]:
        """(total, trainable, non-trainable) as the line under the model summary reads them."""
        text = re.sub(r"<[^>]+>", "", window.findChild(QLabel, "totalParamsLabel").text())
        match = re.fullmatch(r"Total params: ([\d,]+) \(trainable ([\d,]+), non-trainable ([\d,]+)\)", text)
        assert match, text
        return tuple(int(g.replace(",", "")) for g in match.groups())

    def layer_list(self, window) -> QListWidget:
        return window.findChild(QListWidget, "layerList")

    def rows(self, window) -> list:
        layers = self.layer_list(window)
        return [layers.itemWidget(layers.item(i)) for i in range(layers.count())]

    def units(self, window) -> list[int]:
        return [row.findChild(QSpinBox, "unitsSpin").value() for row in self.rows(window)]

    def activations(self, window) -> list[str]:
        return [row.findChild(QComboBox, "activationCombo").currentData() for row in self.rows(window)]

    def epoch(self, window) -> int:
        """The epoch the status bar shows."""
        text = window.findChild(QLabel, "epochLabel").text()
        match = re.search(r"\d+", text)
        return int(match.group()) if match else 0

    @staticmethod
    def status(window, pattern: str) -> tuple[int, ...]:
        """The numbers in the status bar's message, which must read ``pattern`` (a regular expression)."""
        message = window.statusBar().currentMessage()
        match = re.fullmatch(pattern, message)
        assert match, f"the status bar says {message!r}"
        return tuple(int(g) for g in match.groups())

    def link_widths(self, window) -> np.ndarray:
        """The network diagram's link widths, once it draws weights (all links are alike before)."""
        self.qtbot.waitUntil(lambda: np.ptp(window.network.link_pen_widths()) > 0, timeout=10_000)
        return window.network.link_pen_widths()

    def loss(self, window) -> np.ndarray:
        return window.curves.series("loss", "train")[1]

    def wait_ready(self, window) -> None:
        """Until TensorFlow is loaded and the model for the current experiment is built."""
        self.qtbot.waitUntil(lambda: window.tensorflow_ready and window.trainer.model_current,
                             timeout=TF_TIMEOUT)

    def wait_until(self, condition, what: str, timeout: int = 30_000) -> None:
        """Wait (bounded) for ``condition``; if it does not come, fail with ``what`` should have happened."""
        try:
            self.qtbot.waitUntil(condition, timeout=timeout)
        except self.qtbot.TimeoutError:
            pytest.fail(f"{what}: not within {timeout / 1000:g} s")

    def wait_tensorflow(self, window) -> None:
        """Until TensorFlow is loaded (Train can come on), without waiting for a model to be built."""
        self.qtbot.waitUntil(lambda: window.tensorflow_ready, timeout=TF_TIMEOUT)

    def wait_idle(self, window, timeout: int = RUN_TIMEOUT) -> None:
        self.qtbot.waitUntil(lambda: not window.trainer.live, timeout=timeout)

    def export_model(self, window, path, timeout: int = 30_000):
        """File > Export model (.keras) to ``path``; the file as plain Keras loads it."""
        import keras

        window.dialogs.paths = [str(path)]
        window.act_export_model.trigger()
        self.wait_until(lambda: window.statusBar().currentMessage() == f"Exporting the model to {path}: done.",
                        "Export model: the status bar says it is done", timeout)
        return keras.models.load_model(path, safe_mode=True)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """Saved layouts and recent files go to a fresh folder: no test sees another's (or the user's)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(scope="session")
def _plots_configured(qapp):
    from playground import plots

    plots.configure()


@pytest.fixture
def driver(qtbot) -> Driver:
    return Driver(qtbot)


@pytest.fixture(scope="session")
def engine_server(tmp_path_factory):
    """One engine process for the whole test session (``playground engine --many``): every window
    connects to it (``PLAYGROUND_ENGINE``) and gets a fresh session, so TensorFlow loads once, not
    once per window. A test that needs a window's own engine clears ``PLAYGROUND_ENGINE``. It stands
    for an engine on another machine: it has a temporary folder of its own (``process.tmpdir``)."""
    from playground.ui.client import ENGINE_ENV, TOKEN_ENV

    address, token = f"unix:{tmp_path_factory.mktemp('engine')}/engine.sock", secrets.token_hex(16)
    tmpdir = tmp_path_factory.mktemp("engine-tmp")
    env = {**os.environ, TOKEN_ENV: token, "TMPDIR": str(tmpdir)}
    env.pop(ENGINE_ENV, None)
    process = subprocess.Popen([sys.executable, "-m", "playground", "engine", "--listen", address, "--many"],
                               env=env, stdin=subprocess.DEVNULL)
    process.tmpdir = tmpdir
    saved = {k: os.environ.get(k) for k in (ENGINE_ENV, TOKEN_ENV)}
    os.environ.update({ENGINE_ENV: address, TOKEN_ENV: token})
    yield process
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def _engine_thread(tmp_path_factory):
    from playground.core import protocol, server

    address, token = f"unix:{tmp_path_factory.mktemp('engine')}/engine.sock", secrets.token_hex(16)
    engine = server.Server(protocol.listen(address, token.encode()), many=True)
    threading.Thread(target=engine.serve, name="engine-server", daemon=True).start()
    return address, token


@pytest.fixture
def engine_in_this_process(_engine_thread, engine_server, monkeypatch):
    """Windows made in this test use an engine served from a thread of the test's own process, so a
    test can plant a fault in the engine's code with ``monkeypatch`` (TensorFlow loads here then)."""
    from playground.ui.client import ENGINE_ENV, TOKEN_ENV

    monkeypatch.setenv(ENGINE_ENV, _engine_thread[0])
    monkeypatch.setenv(TOKEN_ENV, _engine_thread[1])


@pytest.fixture
def make_window(qtbot, driver, _plots_configured, engine_server):
    """``make_window(size=(1280, 800), ready=True)``: the real window, shown, with scripted dialogs."""
    from playground.ui import MainWindow

    def make(size=(1280, 800), ready=True):
        window = MainWindow(dialogs=ScriptedDialogs())
        qtbot.addWidget(window)
        window.resize(*size)
        with qtbot.waitActive(window):  # keyboard shortcuts go to the active window
            window.show()
            window.activateWindow()
        if ready:
            driver.wait_ready(window)
        return window

    return make
