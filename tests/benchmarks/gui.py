"""Drives the real window offscreen as a user would: pick a data set, set the epochs, click Train."""
from __future__ import annotations

import time
from typing import Callable

from tests.benchmarks.common import progress

TENSORFLOW_TIMEOUT = 180  # seconds to wait for TensorFlow to load in the training thread


def window_missing() -> str:
    """Why the window can't be benchmarked here, or "" if it can."""
    try:
        from playground.ui.window import MainWindow  # noqa: F401
        from playground import plots  # noqa: F401
    except ImportError as exc:
        return f"the window is not built yet ({exc})"
    return ""


def _counter_class():
    from PySide6.QtCore import QObject, Slot

    class Counter(QObject):
        """Counts a signal's emissions, delivered in the GUI thread."""

        def __init__(self):
            super().__init__()
            self.n = 0

        @Slot(str)
        def count(self, _text: str) -> None:
            self.n += 1

    return Counter


class Session:
    """One offscreen ``MainWindow`` in this process, with scripted dialogs and throw-away settings."""

    def __init__(self):
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QApplication

        from playground import plots
        from playground.ui.dialogs import Dialogs
        from playground.ui.window import MainWindow

        Counter = _counter_class()

        class Scripted(Dialogs):
            """Never blocks: a warning fails the benchmark, unsaved changes are discarded."""

            def warning(self, title: str, text: str) -> None:
                raise RuntimeError(f"the window warned: {title}: {text}")

            def save_changes(self, name: str) -> str:
                return "discard"

        QStandardPaths.setTestModeEnabled(True)  # QSettings go to a test location, not the user's
        self.app = QApplication.instance() or QApplication(["playground-benchmark"])
        self.app.setOrganizationName("Playground")
        self.app.setApplicationName("Playground")
        plots.configure()
        self.window = MainWindow(dialogs=Scripted())
        self.builds = Counter()
        self.window.trainer.prepared.connect(self.builds.count)
        self.window.show()

    def find(self, kind_name: str, name: str):
        from PySide6 import QtWidgets

        widget = self.window.findChild(getattr(QtWidgets, kind_name), name)
        if widget is None:
            raise RuntimeError(f"the window has no {kind_name} named {name!r}")
        return widget

    def wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Run the event loop until ``condition()`` holds; raise after ``timeout`` seconds."""
        from PySide6.QtCore import QEventLoop

        end = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError(f"waited {timeout:g} s for {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)

    def spin(self, seconds: float) -> None:
        """Run the real event loop (``exec``) for ``seconds``."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()

    def ready(self) -> None:
        """Wait until TensorFlow is loaded and the model built (the worker reported ``prepared``)."""
        progress("waiting for TensorFlow to load and the model to be built")
        self.wait(lambda: self.window.tensorflow_ready and self.builds.n > 0, TENSORFLOW_TIMEOUT,
                  "TensorFlow to load and the model to be built")

    def choose_dataset(self, name: str) -> None:
        combo = self.find("QComboBox", "datasetCombo")
        index = combo.findData(name)
        if index < 0:
            raise RuntimeError(f"no data set {name!r} in the window's list")
        combo.setCurrentIndex(index)

    def set_epochs(self, epochs: int) -> None:
        spin = self.find("QSpinBox", "epochsSpin")
        spin.setValue(epochs)

    def train(self) -> None:
        """Click Train (once it is enabled)."""
        button = self.find("QPushButton", "trainButton")
        self.wait(button.isEnabled, 60, "the Train button to be enabled")
        button.click()

    def stop(self) -> None:
        button = self.find("QPushButton", "stopButton")
        if button.isEnabled():
            button.click()
        self.wait(lambda: not self.window.trainer.live, 60, "training to stop")

    def drawn_epoch(self) -> int:
        """The last epoch the loss curve shows (what the user sees), 0 if none."""
        x = self.window.curves.line("loss", "train").xData
        return 0 if x is None or len(x) == 0 else int(x[-1])

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()
