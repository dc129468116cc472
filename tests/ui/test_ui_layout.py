"""The window as a newcomer first sees it on a 1366x768 laptop: the controls to train in view, the
network large, every view at one epoch, and a status bar that says what the buttons say."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton, QSpinBox, QWidget

from tests.ui.conftest import RUN_TIMEOUT

LAPTOP = (1366, 768)


def _fully_in_view(window, widget: QWidget) -> bool:
    """Whether all of ``widget`` shows: shown, and inside each widget around it up to the window (so not
    cut by a scroll area's viewport, a dock or the window's edge)."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    inner = widget
    while inner is not window:
        outer = inner.parentWidget()
        if not outer.rect().contains(QRect(widget.mapTo(outer, QPoint(0, 0)), widget.size())):
            return False
        inner = outer
    return True


def _progress_epoch(window) -> int | None:
    match = re.fullmatch(r"Epoch (\d+) \(\d+%\)", window.findChild(QProgressBar, "progressBar").format())
    return int(match.group(1)) if match else None


def _output_epoch(window) -> int | None:
    match = re.search(r"at epoch (\d+)", window.output.boundary_plot.getPlotItem().titleLabel.text)
    return int(match.group(1)) if match else None


def _weights_epochs(window) -> tuple[int | None, int | None]:
    """The epoch the latest histogram's title and the weight summary say."""
    title = re.search(r"at epoch (\d+)", window.weights.histogram_plot.getPlotItem().titleLabel.text)
    summary = re.search(r"epoch (\d+)", window.weights.summary_text())
    return tuple(int(m.group(1)) if m else None for m in (title, summary))


def _curves_epoch(window) -> int | None:
    epochs, _ = window.curves.line("loss", "train").getData()
    return None if epochs is None or not len(epochs) else int(epochs[-1])


@pytest.mark.timeout(300)
def test_at_1366x768_training_is_in_view_the_maps_are_large_and_every_view_shows_one_epoch(
        make_window, driver, qtbot, tmp_path):
    window = make_window(size=LAPTOP)
    qtbot.wait(200)  # the default dock sizes are set once the window is shown
    for name in ("epochsSpin", "batchSizeSpin"):
        assert _fully_in_view(window, driver.spin(window, name)), f"{name} is not all in view"
    for name in ("trainButton", "stepButton"):
        assert _fully_in_view(window, window.findChild(QPushButton, name)), f"{name} is not all in view"
    assert _fully_in_view(window, window.findChild(QProgressBar, "progressBar"))
    for plot in (window.curves.loss_plot, window.curves.metric_plot):
        assert plot.height() >= 150 and _fully_in_view(window, plot.viewport())
    node = window.network.node_item(1, 0)
    on_screen = window.network.mapFromScene(node.sceneBoundingRect()).boundingRect()
    assert min(on_screen.width(), on_screen.height()) >= 40, f"a neuron map of {on_screen.size()} px"

    # One Step: the stepped epoch is drawn on the curves (a point), the progress counts toward Epochs.
    driver.type_into(driver.spin(window, "epochsSpin"), 40)
    driver.wait_ready(window)
    driver.click(window, "stepButton")
    # the step's last events, not its first: under load its figures can come a frame before its progress
    driver.wait_until(lambda: window.statusBar().currentMessage() == "Stepped to epoch 1.", "one Step")
    line = window.curves.line("loss", "train")
    assert _curves_epoch(window) == 1 and line.opts["symbol"] is not None, "the stepped epoch is not drawn"
    assert window.training_panel.progress.format() == "Epoch 1 (2%)"

    # During the run the curves, the progress, the output and the weights show one epoch, or for the
    # few ms a snapshot's views are being drawn one by one, that one and the one before: they differ
    # by at most one refresh (looked at every 2 ms).
    seen = []

    def look() -> None:
        if window.trainer.live:
            seen.append((_curves_epoch(window), _progress_epoch(window), _output_epoch(window),
                         *_weights_epochs(window)))

    sampler = QTimer()
    sampler.setInterval(2)
    sampler.timeout.connect(look)
    sampler.start()
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    sampler.stop()
    whole = [s[0] for s in seen if len(set(s)) == 1 and s[0] is not None]
    assert len(set(whole)) >= 2, f"the views were never all at one epoch as the run went on: {seen[-20:]}"
    last = 0  # the epoch all views showed last
    for shown in seen:
        if len(set(shown)) == 1:
            last = shown[0]
        else:
            assert len(set(shown)) == 2 and None not in shown and min(shown) >= last, \
                f"views more than one refresh apart: {shown} after all showed epoch {last}"
    assert driver.epoch(window) == 40

    # Train at the target: the status bar says what it does and Epochs shows the new target.
    driver.click(window, "trainButton")
    assert driver.spin(window, "epochsSpin").value() == 80
    assert window.statusBar().currentMessage() == "Epoch 40 reached: training 40 epochs more, to epoch 80."
    driver.wait_idle(window)
    assert driver.epoch(window) == 80
    # A run to a far target, so that the pause below cannot come as the run reaches its target and ends it
    # (a live edit of the target could come after a fast run had already ended at 80).
    driver.type_into(driver.spin(window, "epochsSpin"), 100_000)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: window.trainer.live and driver.epoch(window) > 81, "training on", RUN_TIMEOUT)
    driver.click(window, "trainButton")  # pause
    driver.wait_until(lambda: window.trainer.paused and window.statusBar().currentMessage().startswith("Paused"),
                      "the pause", RUN_TIMEOUT)
    paused_at = driver.epoch(window)

    # Exporting from a paused run exports, without asking to stop it.
    path = tmp_path / "paused.weights.h5"
    window.export_weights(path)
    driver.wait_until(lambda: path.exists() and "done" in window.statusBar().currentMessage(), "the export")
    assert window.dialogs.confirms == [] and window.trainer.paused
    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert driver.epoch(window) == paused_at, "the export or the stop trained the paused run on"

    # The Runs table's last column (what differs) and the Lab are not cut.
    window.docks["runs"].raise_()
    table = window.runs_panel.table
    driver.wait_until(lambda: table.rowCount() >= 1, "a run in the Runs table")
    header, last = table.horizontalHeader(), table.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= table.viewport().width()
    assert header.sectionSize(last) >= header.sectionSizeHint(last)
    window.docks["lab"].raise_()
    qtbot.wait(50)
    assert window.lab.width() >= window.lab.minimumSizeHint().width() and window.lab.height() >= 300


@pytest.mark.timeout(240)
def test_status_buttons_and_progress_agree_after_an_undo_while_training(make_window, driver):
    window = make_window(size=LAPTOP)
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: driver.epoch(window) >= 10, "training", RUN_TIMEOUT)
    driver.type_into(driver.rows(window)[0].findChild(QSpinBox, "unitsSpin"), 3)
    driver.wait_until(lambda: driver.total_params(window) == (50, 50, 0) and driver.epoch(window) >= 3,
                      "the new model trains on", RUN_TIMEOUT)
    at = driver.epoch(window)
    driver.undo(window)
    driver.wait_until(lambda: driver.total_params(window) != (50, 50, 0) and driver.epoch(window) > at + 5,
                      "Undo takes the trained model back, and it trains on", RUN_TIMEOUT)
    # The run that was training stops for the edit, then carries on (the epochs above may be its last
    # ones): its status bar says its target again, and the progress moves on.
    driver.wait_until(lambda: re.fullmatch(r"Training to epoch \d+ on .+…", window.statusBar().currentMessage())
                      and _progress_epoch(window) is not None and _progress_epoch(window) > at + 5,
                      "the run carries on, as the status bar and the progress say")
    assert window.trainer.live and not window.trainer.paused
    assert window.findChild(QPushButton, "trainButton").text() == "Pause"
    driver.click(window, "stopButton")
    driver.wait_idle(window)
    assert re.fullmatch(r"Stopped at epoch \d+\.", window.statusBar().currentMessage())
    assert np.all(np.isfinite(driver.loss(window)))
