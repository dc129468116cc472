"""The README's screenshot, taken from the app itself: a 2-D set mid-training (by default the spiral
with its example's network, so that the network diagram shows its neuron maps).

    QT_QPA_PLATFORM=offscreen python tests/ui/screenshot.py OUT.png [--size 1600x1000] [--seconds 4]
        [--dataset spiral] [--tab output|weights|lab] [--language en|zh_CN]

Opens the real window with fresh settings (a temporary folder, so the user's saved layout
does not show), trains for a few seconds and saves ``window.grab()`` while it still trains.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the PNG file to write")
    parser.add_argument("--size", default="1600x1000", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--seconds", type=float, default=4.0, help="training time before the shot")
    parser.add_argument("--dataset", default="spiral", help="a built-in data set (with its example's settings)")
    parser.add_argument("--tab", default="output", choices=["output", "weights", "lab"],
                        help="the dock shown on the right")
    parser.add_argument("--language", default="en", help="the interface language (en, zh_CN), not the system's")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

    settings_dir = tempfile.mkdtemp(prefix="playground-shot-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])

    from playground import plots
    from playground.ui import MainWindow, i18n

    os.environ[i18n.ENVIRONMENT] = args.language
    i18n.install(app)  # as playground.ui.app does, before any widget takes its texts
    plots.configure()
    window = MainWindow()
    window.resize(width, height)
    window.show()

    def wait(condition, timeout: float) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit(f"screenshot: timed out after {timeout:.0f} s")
            app.processEvents()
            # and the deleteLater()s an event loop would run: Qt drops a relaid dock layout's old tab
            # bars that way, which a grab would otherwise show over the panels
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.01)

    def settle(seconds: float) -> None:
        wait(lambda end=time.monotonic() + seconds: time.monotonic() > end, seconds + 1)

    data = window.findChild(QComboBox, "datasetCombo")
    data.setCurrentIndex(data.findData(args.dataset))
    window.findChild(QSpinBox, "epochsSpin").setValue(100_000)
    window.docks[args.tab].raise_()
    window.curves.log_check.setChecked(True)  # the whole run, not just the first drop
    window.state.undo_stack.setClean()  # nothing to save: no question when the window closes

    wait(lambda: window.tensorflow_ready and window.trainer.model_current, 120)
    window.train_clicked()
    wait(lambda: window.trainer.live and window.epoch > 0, 120)
    settle(args.seconds)
    ok = window.grab().save(args.out)
    window.close()
    print(f"{'saved' if ok else 'could not save'} {args.out} at epoch {window.epoch}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
