"""Runs ``main.py`` exactly as ``python main.py`` does and prints when the window is shown or ready.

``python tests/benchmarks/startup_probe.py shown|ready`` prints ``time.monotonic()`` (a clock
shared by every process on the machine) at the main window's first Show event, or when the
window reports TensorFlow loaded and Train enabled, then exits at once: the start-up benchmark
subtracts the moment it started the process. The app itself is not changed.
"""
import os
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[0] = str(ROOT)  # as for `python main.py`

from PySide6.QtCore import QEvent, QObject  # noqa: E402 - the app imports these first too
from PySide6.QtWidgets import QApplication  # noqa: E402


def report() -> None:
    print(time.monotonic(), flush=True)
    os._exit(0)


class Probe(QObject):
    """Watches every event until the main window's first Show."""

    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and obj.objectName() == "mainWindow":
            if self.mode == "shown":
                report()
            QApplication.instance().removeEventFilter(self)
            obj.tensorflowReady.connect(report)
        return False


if __name__ == "__main__":
    mode = sys.argv.pop(1)
    app = QApplication([str(ROOT / "main.py")])
    probe = Probe(mode)
    app.installEventFilter(probe)
    sys.argv = [str(ROOT / "main.py")]
    runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    sys.exit(f"the window was never {mode}")
