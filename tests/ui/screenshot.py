"""The README's screenshot, taken from the app itself: XOR, two hidden layers, mid-training.

    QT_QPA_PLATFORM=offscreen python tests/ui/screenshot.py OUT.png [--size 1600x1000] [--seconds 4]

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
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

    settings_dir = tempfile.mkdtemp(prefix="playground-shot-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    app = QApplication.instance() or QApplication([sys.argv[0]])

    from playground import plots
    from playground.ui import MainWindow

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
            time.sleep(0.01)

    def settle(seconds: float) -> None:
        wait(lambda end=time.monotonic() + seconds: time.monotonic() > end, seconds + 1)

    data = window.findChild(QComboBox, "datasetCombo")
    data.setCurrentIndex(data.findData("xor"))
    rows = [window.model_panel.list.itemWidget(window.model_panel.list.item(i))
            for i in range(window.model_panel.list.count())]
    for row, units in zip(rows, (8, 6)):
        row.findChild(QSpinBox, "unitsSpin").setValue(units)
    window.findChild(QSpinBox, "epochsSpin").setValue(100_000)
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
