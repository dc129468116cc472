"""Training → Sweep… in the real window: a 4-run sweep (on a local Ray) runs as a child process, its runs fill the Runs
table and the sweep view with their final figures (checked against each run's history.csv), and
Stop keeps the finished runs. The runs train in the command's worker processes, not the window's."""
from __future__ import annotations

import csv
import sys

import numpy as np
import pytest

from playground.core.export import read_history
from playground.ui.runs_panel import EPOCHS, NAME, TEST_LOSS, TEST_METRIC
from tests.processes import alive, children

SWEEP_TIMEOUT = 600_000  # ms: four runs, workers starting TensorFlow on a loaded 2-core machine
pytestmark = pytest.mark.timeout(900)


def _table(window) -> dict[str, dict[int, str]]:
    table = window.runs_panel.table
    rows = [{c: table.item(r, c).text() for c in range(table.columnCount())} for r in range(table.rowCount())]
    return {row[NAME]: row for row in rows}


def _open(window, qtbot, out, sets: list[tuple[str, str]], epochs: int, workers: int):
    window.act_sweep.trigger()
    dialog = window.sweep_dialog
    qtbot.waitExposed(dialog)
    for i, (path, values) in enumerate(sets):
        dialog.path_boxes[i].setCurrentText(path)
        dialog.value_edits[i].setText(values)
    dialog.epochs.setValue(epochs)
    dialog.workers.setValue(workers)
    dialog.out.setText(str(out))
    return dialog


def _start_long_sweep(window, driver, qtbot, out):
    """A 2-run sweep on one worker: the 2-epoch run finishes, the 1,000,000-epoch one is training on return."""
    dialog = _open(window, qtbot, out, [("training.epochs", "2,1000000")], epochs=5, workers=1)
    dialog.path_boxes[1].setCurrentText("")
    driver.press(dialog.start_button)
    qtbot.waitUntil(lambda: len(dialog.numbers) == 1, timeout=SWEEP_TIMEOUT)
    return dialog


def test_sweep_dialog_fills_the_runs_table_and_the_sweep_view(make_window, driver, qtbot, tmp_path):
    """On a local Ray (Where: Ray cluster, address local) with 2 CPUs; the other tests here run on
    this machine's worker processes."""
    pytest.importorskip("ray")
    window = make_window(ready=False)
    out = tmp_path / "sweep"
    dialog = _open(window, qtbot, out, [("training.learning_rate", "0.003,0.03"), ("model.layers.0.units", "2,5")],
                   epochs=3, workers=2)
    assert not dialog.address.isEnabled()
    dialog.where.setCurrentIndex(dialog.where.findData("ray"))
    assert dialog.address.isEnabled()
    dialog.address.setText("local")
    driver.press(dialog.start_button)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Sweep of 4 runs on "), timeout=SWEEP_TIMEOUT)
    assert dialog.status.text().startswith("Sweep of 4 runs on Ray (local: 2 CPUs)"), dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.running and dialog.summary is not None, timeout=SWEEP_TIMEOUT)
    assert dialog.summary["runs"] == 4, dialog.status.text()
    assert dialog.status.text().startswith("Sweep done: 4 runs")
    with open(out / "sweep.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    table = _table(window)
    for row in rows:  # each run in the Runs table, its figures those of its own history.csv
        history = read_history(out / row["folder"] / "history.csv")
        shown = table[row["folder"].removeprefix("runs/")]
        assert int(shown[EPOCHS]) == len(history["loss"]) == 3
        assert float(shown[TEST_LOSS]) == pytest.approx(history["test_loss"][-1], rel=1e-3)
        assert float(shown[TEST_METRIC]) == pytest.approx(history["test_accuracy"][-1], rel=1e-3)
    view = dialog.view
    for path, values in (("training.learning_rate", (0.003, 0.03)), ("model.layers.0.units", (2, 5))):
        xs, ys = view.points(path)
        drawn = sorted(zip(xs.tolist(), ys.tolist()))
        x_of = (lambda v: np.log10(v)) if path == "training.learning_rate" else float  # 0.003-0.03: a log axis
        expected = sorted((x_of(float(r[path])), read_history(out / r["folder"] / "history.csv")["test_accuracy"][-1])
                          for r in rows)
        assert drawn == pytest.approx(expected)
        for x, mean, low, high in view.summary(path):
            at = [y for ex, y in expected if ex == pytest.approx(x)]
            assert (mean, low, high) == pytest.approx((np.mean(at), min(at), max(at)))
    best = dialog.summary["best"]
    assert view.best("model.layers.0.units") == pytest.approx((best["model.layers.0.units"], best["test_accuracy"]))

    grab = tmp_path / "sweep-view.png"
    assert dialog.view.grab().save(str(grab))


def test_stop_keeps_the_finished_runs(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    out = tmp_path / "stopped"
    dialog = _start_long_sweep(window, driver, qtbot, out)
    driver.press(dialog.stop_button)
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert dialog.summary["stopped"] and dialog.summary["runs"] == 1
    assert dialog.status.text().startswith("Sweep stopped: 1 runs")
    with open(out / "sweep.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["training.epochs"], r["epochs"]) for r in rows] == [("2", "2")]
    assert "training.epochs=2,seed=0" in _table(window)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_quitting_during_a_sweep_asks_and_ends_the_sweep_and_its_workers(make_window, driver, qtbot, tmp_path):
    window = make_window(ready=False)
    out = tmp_path / "quit"
    dialog = _start_long_sweep(window, driver, qtbot, out)
    sweep = dialog.process.processId()
    workers = children(sweep)
    assert workers and all(alive(w) for w in workers)
    window.dialogs.confirm_answer = False
    window.close()
    assert window.isVisible() and dialog.running, "the window quit while a sweep ran, without asking"
    assert window.dialogs.confirms[-1].startswith("Stop the sweep and quit?")
    window.dialogs.confirm_answer = True
    window.close()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: not alive(sweep) and not any(alive(w) for w in workers), timeout=60_000)
    with open(out / "sweep.csv", newline="") as f:
        assert [r["training.epochs"] for r in csv.DictReader(f)] == ["2"], "the finished run was not kept"
