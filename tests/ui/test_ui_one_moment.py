"""One moment: where a run pauses or ends, every view says the same epoch, and the weight history has
a column for every epoch of a short run."""
from __future__ import annotations

import re

import pytest

from tests.ui.conftest import RUN_TIMEOUT


def title_epoch(plot) -> int:
    text = plot.getPlotItem().titleLabel.text
    match = re.search(r"at epoch (\d+)", text)
    assert match, f"the plot's title {text!r} does not say its epoch"
    return int(match.group(1))


def shown_epochs(window, driver) -> dict[str, int]:
    progress = re.search(r"Epoch (\d+)", window.training_panel.progress.format())
    return {"status bar": driver.epoch(window),
            "progress bar": int(progress.group(1)) if progress else -1,
            "output": title_epoch(window.output.boundary_plot),
            "latest histogram": title_epoch(window.weights.histogram_plot),
            "weight summary": int(re.search(r"epoch (\d+)", window.weights.summary_text()).group(1))}


@pytest.mark.timeout(240)
def test_a_short_run_shows_every_epoch_and_ends_with_every_view_on_its_last(make_window, driver):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 100)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    driver.wait_until(lambda: not any(view.pending for view in window.views), "the views drawn", 5_000)
    assert shown_epochs(window, driver) == dict.fromkeys(shown_epochs(window, driver), 100)
    _, columns = window.weights.history_shape()
    assert columns == 101, f"a 100-epoch run shows {columns} history columns, not one per epoch (0..100)"


@pytest.mark.timeout(240)
def test_a_paused_run_shows_the_epoch_it_paused_at_everywhere(make_window, driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: driver.epoch(window) >= 300, "training", RUN_TIMEOUT)
    driver.click(window, "trainButton")  # Pause
    driver.wait_until(lambda: window.statusBar().currentMessage().startswith("Paused"), "the pause", RUN_TIMEOUT)
    qtbot.wait(300)
    epochs = shown_epochs(window, driver)
    paused = driver.status(window, r"Paused at epoch (\d+)\.")[0]
    assert epochs == dict.fromkeys(epochs, paused), f"paused at epoch {paused}, the views show {epochs}"
    driver.click(window, "stopButton")
    driver.wait_idle(window)
