"""Faults in the window: an exception inside the training thread, a failing export, a plot image
that cannot be written. Each reaches the user as a message (a dialog, the status bar), and the
window stays usable: the next run trains, the next export works.

The exception is raised inside real training: ``Engine.snapshot`` (called by the training
thread for every weights snapshot) fails once, as a bug or a library error would.
"""
from __future__ import annotations

import errno
import os

from playground.core import export
from playground.core.engine import Engine


def test_an_exception_in_the_training_thread_is_a_message_and_the_window_goes_on(engine_in_this_process,
                                                                                 make_window, driver,
                                                                                 monkeypatch, tmp_path):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 20)
    real = Engine.snapshot
    calls = {"left": 1}

    def fails_once(self):
        if calls["left"]:
            calls["left"] -= 1
            raise RuntimeError("injected fault in the training thread")
        return real(self)

    monkeypatch.setattr(Engine, "snapshot", fails_once)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: bool(window.dialogs.warnings), "a dialog about the failure")
    assert "RuntimeError: injected fault in the training thread" in window.dialogs.warnings[0]
    driver.wait_idle(window)
    failed_at = driver.epoch(window)  # the first snapshot of the run: its first chunk, or its end if short
    assert driver.button(window, "trainButton").isEnabled(), "Train is off after a failed run"
    driver.click(window, "trainButton")  # the same window trains on: to 20, or 20 more if there already
    driver.wait_idle(window)
    assert driver.epoch(window) == (20 if failed_at < 20 else failed_at + 20), (failed_at, driver.epoch(window))
    assert len(window.dialogs.warnings) == 1, window.dialogs.warnings
    monkeypatch.setattr(export, "save_weights", lambda *a: (_ for _ in ()).throw(MemoryError("injected")))
    window.export_weights(tmp_path / "w.weights.h5")
    driver.wait_until(lambda: len(window.dialogs.warnings) == 2, "a dialog about the failed export")
    assert window.dialogs.warnings[1] == "Exporting the weights to failed: MemoryError: injected"
    monkeypatch.undo()
    window.export_weights(tmp_path / "w.weights.h5")  # and the next export works
    driver.wait_until(lambda: (tmp_path / "w.weights.h5").exists(), "the weights file after the fault")


def test_a_plot_image_that_cannot_be_written_leaves_the_old_one(make_window, monkeypatch, tmp_path):
    window = make_window(ready=False)
    target = tmp_path / "curves.png"
    assert window.export_plot_image(target, "curves") and target.stat().st_size > 0
    before = target.read_bytes()
    window.resize(window.width() + 50, window.height())  # the next image would differ
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    assert not window.export_plot_image(target, "curves")
    monkeypatch.undo()
    assert window.dialogs.warnings == [f"Cannot write {target}: No space left on device."]
    assert target.read_bytes() == before and os.listdir(tmp_path) == ["curves.png"], "the old image changed or litter"
