"""The run log (no Qt): a run per model, live edits inside it, Undo continuing a kept model's run,
Reset beginning a new one, the bound, the labels of what differs and the table as CSV."""
from __future__ import annotations

import csv
import io

import numpy as np

from playground.core import events as ev
from playground.core.runs import CSV_COLUMNS, SAME, RunLog, apart, differs
from playground.core.session import Session
from playground.data import load_dataset
from tests.core.experiments import xor_experiment


def _metrics(first: int, last: int, start: float) -> ev.Metrics:
    epochs = np.arange(first, last + 1, dtype=np.float64)
    return ev.Metrics(last, first, {"loss": start / epochs, "test_loss": 2 * start / epochs,
                                    "accuracy": 1 - 1 / (epochs + 1)})


class Model:
    """Stands for an engine: the log only needs an object to tell models apart."""


def test_the_log_keeps_at_most_its_bound_dropping_the_oldest_never_the_current():
    log = RunLog(bound=30)
    current = Model()
    log.switch(current, xor_experiment())
    log.observe(_metrics(1, 3, 1.0), xor_experiment())
    for i in range(60):
        log.add(xor_experiment(epochs=i + 1), {"loss": [float(i)]}, f"opened {i}")
    rows = log.rows()
    assert len(rows) == 30, "more runs are kept than the bound"
    assert rows[0].number == log.current == 1 and rows[0].current, "the current run was dropped"
    assert [r.name for r in rows[1:]] == [f"opened {i}" for i in range(31, 60)], "not the oldest were dropped"


def test_a_model_that_never_trained_is_no_run():
    log = RunLog()
    log.switch(Model(), xor_experiment())
    assert log.rows() == []
    log.switch(Model(), xor_experiment(epochs=7))
    log.observe(_metrics(1, 2, 1.0), xor_experiment())
    assert [r.number for r in log.rows()] == [1], "a model built and replaced before it trained took a number"


def test_runs_are_numbered_as_they_train_without_gaps():
    # ticking five feature boxes builds five models; only the last one trains
    log = RunLog()
    first = Model()
    log.switch(first, xor_experiment())
    log.observe(_metrics(1, 3, 1.0), xor_experiment())
    built = [Model() for _ in range(5)]
    for model in built:
        log.switch(model, xor_experiment(epochs=7))
    log.observe(_metrics(1, 2, 1.0), xor_experiment())
    assert [(r.number, r.name) for r in log.rows()] == [(1, "Run 1"), (2, "Run 2")]
    # Undo to a model that was built but never trained, then train it: a run of its own, numbered next
    log.switch(built[2], xor_experiment(epochs=7))
    assert log.number_of(built[4]) == 2 and log.number_of(built[0]) == 0
    log.observe(_metrics(1, 1, 1.0), xor_experiment())
    assert [r.number for r in log.rows()] == [1, 2, 3]
    # Reset (new initial weights) without training, then an opened run, then the model trains
    log.switch(built[2], xor_experiment(), fresh=True)
    opened = log.add(xor_experiment(), {"loss": [0.5]}, "opened")
    log.observe(_metrics(1, 1, 1.0), xor_experiment())
    assert opened == 4 and [(r.number, r.name) for r in log.rows()] == [
        (1, "Run 1"), (2, "Run 2"), (3, "Run 3"), (4, "opened"), (5, "Run 5")]
    assert log.current == 5 and log.number_of(built[2]) == 5


def test_a_replayed_history_replaces_the_epochs_it_covers():
    log = RunLog()
    log.switch(Model(), xor_experiment())
    log.observe(_metrics(1, 4, 1.0), xor_experiment())
    log.observe(_metrics(3, 5, 3.0), xor_experiment())  # epochs 3-5 again, other figures
    history = log.history(1)
    np.testing.assert_array_equal(history["loss"], [1.0, 0.5, 1.0, 0.75, 0.6],
                                  err_msg="a replayed history did not replace the epochs it covers")
    assert log.rows()[0].epochs == 5 and log.rows()[0].final["loss"] == 0.6


def test_differs_names_what_changed_from_the_run_to_the_current_one():
    run, current = xor_experiment(), xor_experiment(learning_rate=0.003)
    current.model.layers[0].units = 3
    assert differs(run, current) == "units hidden_1 8 → 3, lr 0.03 → 0.003"
    assert differs(run, run.model_copy(deep=True)) == SAME


def test_the_session_begins_a_run_per_model_and_undo_continues_the_kept_one():
    session = Session(lambda event: None)
    exp = xor_experiment(5)
    data = load_dataset(**exp.dataset.model_dump())

    def edit(e):
        how = session.edit(e, data)
        session.engine.jit = False
        return how

    edit(exp)
    session.run(5)
    lr = exp.model_copy(deep=True)
    lr.training.learning_rate = 0.003
    assert edit(lr) == "live"
    session.run(8)
    wide = lr.model_copy(deep=True)
    wide.model.layers[0].units = 3
    assert edit(wide) == "new"
    session.run(4)
    assert edit(lr) == "kept"  # Undo: the first model, and its run, goes on
    session.run(10)
    session.reset()  # new initial weights: a new run
    session.engine.jit = False
    session.run(2)

    rows = session.runs.rows()
    assert [(r.number, r.epochs, r.current) for r in rows] == [(1, 10, False), (2, 4, False), (3, 2, True)]
    assert rows[0].edits == ("at epoch 5: lr 0.03 → 0.003",), "the live edit is not listed in its run"
    assert rows[0].differs == SAME and rows[1].differs == "units hidden_1 3 → 8"
    history = session.runs.history(1)
    assert len(history["loss"]) == 10 and np.all(np.isfinite(history["loss"]))
    assert rows[0].final["loss"] == history["loss"][-1]
    assert rows[2].final["loss"] == session.engine.history["loss"][-1]
    assert all(r.seconds > 0 for r in rows)


def test_the_table_as_csv():
    log = RunLog()
    log.switch(Model(), xor_experiment())
    log.observe(_metrics(1, 4, 1.0), xor_experiment())
    log.observe(ev.Edited(4, "lr 0.03 → 0.01"), xor_experiment(learning_rate=0.01))
    log.observe(ev.Finished(4, "finished", 1.5), xor_experiment(learning_rate=0.01))
    log.switch(Model(), xor_experiment(learning_rate=0.01, batch_size=32))
    log.observe(_metrics(1, 2, 2.0), xor_experiment())
    log.rename(1, "slow")
    rows = list(csv.DictReader(io.StringIO(log.csv_text())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0] == {"run": "1", "name": "slow", "differs": "batch 10 → 32",
                       "live_edits": "at epoch 4: lr 0.03 → 0.01", "epochs": "4", "loss": "0.25", "test_loss": "0.5", "accuracy": "0.8", "test_accuracy": "",
                       "mae": "", "test_mae": "", "seconds": "1.500"}
    assert rows[1]["name"] == "Run 2" and rows[1]["differs"] == "" and rows[1]["loss"] == "1"


def test_the_csv_shows_a_formula_like_name_as_text_and_numbers_as_numbers(tmp_path):
    """A run opened from a folder named like a spreadsheet formula: the cell gets OWASP's ' so a
    spreadsheet shows it instead of running it; a negative figure stays a number."""
    log = RunLog()
    log.add(xor_experiment(), {"loss": [1.0, -0.5], "test_loss": [2.0, 0.25]}, "=cmd|' -C calc'!A0")
    log.add(xor_experiment(), {"loss": [0.5]}, "@SUM(A1:A2)")
    log.write_csv(tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == ["'=cmd|' -C calc'!A0", "'@SUM(A1:A2)"]
    assert rows[0]["loss"] == "-0.5" and rows[0]["test_loss"] == "0.25" and rows[0]["epochs"] == "2"


def test_only_ticked_runs_on_the_same_data_and_target_are_overlaid_and_named_in_words():
    log = RunLog()
    log.switch(Model(), xor_experiment())
    log.observe(_metrics(1, 3, 1.0), xor_experiment())
    crossed = xor_experiment()
    crossed.dataset.features = ["x1", "x2", "x1*x2"]
    log.switch(Model(), crossed)
    log.observe(_metrics(1, 2, 1.0), crossed)
    assert log.overlays(8) == [], "an earlier run is drawn without being ticked"
    log.show(1, True)
    [(number, _, words, _)] = log.overlays(8)
    assert number == 1 and words == "features x₁, x₂ → x₁, x₂, x₁·x₂"
    spiral = xor_experiment()
    spiral.dataset.name = "spiral"
    log.switch(Model(), spiral)
    assert log.overlays(8) == [], "a run on XOR is drawn with a run on Spiral"
    assert [r.apart for r in log.rows()] == ["another data set: xor"] * 2
    column = xor_experiment()
    column.dataset.name, column.dataset.path, column.dataset.target = "csv", "/data/diabetes.csv", "target"
    other = column.model_copy(deep=True)
    other.dataset.target = "age"
    assert apart(other, column) == "another target column: age" and apart(column, column) == ""
    assert apart(column, spiral) == "another data set: diabetes.csv"
