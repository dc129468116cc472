"""``python main.py``: the application's start-up.

The window is shown first and TensorFlow loads afterwards in the training
thread, so the window is on screen in about a second while ``import
tensorflow`` takes several more. Two environment variables let benchmarks
time this: ``PLAYGROUND_QUIT_WHEN_SHOWN=1`` quits as soon as the window is
shown, ``PLAYGROUND_QUIT_WHEN_READY=1`` once TensorFlow is loaded and Train is
enabled.
"""
from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication


def main(argv: list[str] | None = None) -> int:
    """Open the window (and the experiment file in ``argv``, if any); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("Playground")
    app.setApplicationName("Playground")

    from playground import plots
    from playground.ui.window import MainWindow

    plots.configure()
    window = MainWindow()
    app.aboutToQuit.connect(window.shutdown)
    paths = [a for a in argv if not a.startswith("-")]
    if paths:
        window.open_experiment(paths[0])
    if os.environ.get("PLAYGROUND_QUIT_WHEN_SHOWN") == "1":
        window.load_tensorflow_when_shown = False  # quitting at once: no thread busy importing to wait for
        window.firstShown.connect(app.quit)
    window.show()
    if os.environ.get("PLAYGROUND_QUIT_WHEN_READY") == "1":
        window.tensorflowReady.connect(window.close)  # the last window closing quits
    return app.exec()
