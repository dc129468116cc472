"""``python main.py``: the application's start-up.

Before any Qt GUI library is loaded, :func:`playground.qt_platform.problem` checks that Qt can
open a window here; where it cannot (no display, a missing system library) Qt itself would abort
the process with a core dump, so the app says why in one sentence and exits 1 instead. That is
why PySide6 is imported inside :func:`main`, after the check.

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
from typing import NoReturn

from playground import qt_platform
from playground.resources_path import resources

EXIT_NO_WINDOW = 1
DESKTOP_FILE = "playground"  # resources/playground.desktop, as installed: desktops match the window to it


def _qt_started() -> bool:
    """Whether a QApplication exists already (a test or a probe made it): its platform plugin loaded."""
    gui = sys.modules.get("PySide6.QtGui")
    return gui is not None and gui.QGuiApplication.instance() is not None


def main(argv: list[str] | None = None, *, own_process: bool | None = None) -> int:
    """Open the window (and the experiment file in ``argv``, if any); returns the exit status.

    Where the process is the app's own (``own_process``; by default when ``argv`` is None, as for
    the ``playground-gui`` script), it ends as soon as the window has shut down: Python's own exit
    with TensorFlow loaded takes seconds more, with nothing left to save."""
    own_process = argv is None if own_process is None else own_process
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _qt_started():
        problem = qt_platform.problem(argv)
        if problem:
            print(f"playground: {problem}", file=sys.stderr)
            return EXIT_NO_WINDOW

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("Playground")
    app.setApplicationName("Playground")
    app.setDesktopFileName(DESKTOP_FILE)
    # 128 px: X11 never shows a 256 px window icon (Qt's xcb plugin drops it), and the SVG would load Qt's SVG plugin
    app.setWindowIcon(QIcon(str(resources() / "icons" / "playground.png")))

    from playground import plots
    from playground.ui import i18n
    from playground.ui.window import MainWindow

    i18n.install(app)  # before any widget is made: each takes its texts when it is built

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
    status = app.exec()
    if own_process:
        end_process(status)
    return status


def end_process(status: int) -> NoReturn:
    """End this process now that the window has shut down (its training thread ended, its settings
    written here): Python's own exit with TensorFlow loaded would take seconds more, with nothing
    left to save."""
    from playground.ui.settings import settings

    settings().sync()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
