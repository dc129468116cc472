"""The sweep's spec without training: values and ranges, the grid's order, repeats → seeds, and every
refusal as a sentence (playground.core.sweep). No TensorFlow: nothing here trains."""
import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from playground.core.spec import Experiment, LayerSpec
from playground.core.sweep import Setting, Sweep, csv_columns, parse_set, parse_values
from playground.errors import PlaygroundError


def base() -> Experiment:
    exp = Experiment(name="xor")
    exp.dataset.samples = 100
    exp.model.layers = [LayerSpec(units=5), LayerSpec(units=3)]
    exp.training.seed = 7
    return exp


def test_list_values_read_as_json_where_they_parse():
    assert parse_values("0.003,1e-2,8,true,relu") == [0.003, 0.01, 8, True, "relu"]


def test_linear_and_log_ranges_include_both_ends_and_space_as_stated():
    assert parse_values("lin:0.1:0.5:5") == pytest.approx(np.linspace(0.1, 0.5, 5).tolist())
    log = parse_values("log:0.001:0.1:5")
    assert log == pytest.approx(np.geomspace(0.001, 0.1, 5).tolist())
    assert log[1] / log[0] == pytest.approx(log[4] / log[3])  # the same factor between neighbours
    assert parse_values("log:0.5:0.5:1") == [0.5]


def test_a_range_of_a_whole_number_setting_is_rounded():
    assert parse_set("model.layers.0.units=log:2:32:5", base()).values == (2, 4, 8, 16, 32)
    assert parse_set("training.batch_size=lin:4:10:3", base()).values == (4, 7, 10)


def test_grid_order_first_setting_slowest_repeats_innermost_with_seeds_from_the_experiments():
    exp = base()
    sweep = Sweep(exp, [parse_set("training.learning_rate=0.003,0.03", exp),
                        parse_set("model.layers.1.activation=relu,tanh,sigmoid", exp)], repeats=2, epochs=4)
    runs = sweep.plan()
    expected = [(lr, act, 7 + r) for lr, act in itertools.product((0.003, 0.03), ("relu", "tanh", "sigmoid"))
                for r in range(2)]
    assert [(r.values[0], r.values[1], r.seed) for r in runs] == expected
    assert [r.index for r in runs] == list(range(1, 13))
    for run, (lr, act, seed) in zip(runs, expected):  # each run's own experiment carries its values
        assert (run.experiment.training.learning_rate, run.experiment.model.layers[1].activation,
                run.experiment.training.seed, run.experiment.training.epochs) == (lr, act, seed, 4)
        assert run.experiment.model.layers[0].activation == exp.model.layers[0].activation
        assert run.experiment.dataset.seed == exp.dataset.seed  # repeats keep the data
    assert len({r.folder for r in runs}) == 12
    assert exp.training.learning_rate == 0.01 and exp.training.seed == 7  # the base is left as it was


def test_csv_columns_are_run_the_swept_paths_then_the_documented_figures():
    settings = [Setting("training.learning_rate", (0.1,)), Setting("model.layers.0.units", (2,))]
    assert csv_columns(settings) == ["run", "training.learning_rate", "model.layers.0.units", "seed", "epochs",
                                     "loss", "test_loss", "accuracy", "test_accuracy", "mae", "test_mae",
                                     "seconds", "status", "folder"]


@pytest.mark.parametrize("text, words", [
    ("training.learnig_rate=0.1", ["training.learnig_rate", "did you mean training.learning_rate"]),
    ("model.layers.2.units=4", ["model.layers", "2 entries", "indexes 0 to 1"]),
    ("model.layers.units=4", ["model.layers is a list", "index"]),
    ("model.layers=4", ["group of settings"]),
    ("training.learning_rate.x=4", ["training.learning_rate is a single setting"]),
    ("training.learning_rate", ["PATH=VALUES"]),
    ("training.learning_rate=0.1,0.1", ["0.1 twice"]),
    ("training.learning_rate=0.1,,0.2", ["empty"]),
    ("training.learning_rate=log:0:1:3", ["above 0"]),
    ("training.learning_rate=lin:0.1:1", ["lin:FROM:TO:COUNT"]),
    ("training.learning_rate=lin:0.1:1:2.5", ["count must be a whole number"]),
])
def test_bad_paths_and_values_are_refused_with_a_sentence(text, words):
    with pytest.raises(PlaygroundError) as caught:
        parse_set(text, base())
    message = str(caught.value)
    assert message.endswith((".", "?"))
    for word in words:
        assert word in message


@pytest.mark.parametrize("sets, options, words", [
    (["training.learning_rate=0.01,-1"], {}, ["training.learning_rate=-1", "greater than 0"]),
    (["model.layers.0.activation=relu,bogus"], {}, ["bogus", "unknown activation"]),
    (["model.layers.0.units=2,2.5"], {}, ["model.layers.0.units=2.5"]),
    (["training.momentum=0.5"], {}, ["cannot train", "Momentum"]),  # adam: a combination the data set refuses
    (["training.seed=1,2"], {"repeats": 2}, ["training.seed is swept"]),
    (["training.learning_rate=0.1"], {"epochs": 0}, ["--epochs"]),
    (["training.learning_rate=0.1"], {"repeats": 0}, ["--repeats"]),
    (["training.learning_rate=0.1", "training.learning_rate=0.2"], {}, ["swept twice"]),
    (["training.learning_rate=1.0000001,1.0000002"], {}, ["share the folder"]),
])
def test_runs_that_cannot_train_are_refused_before_anything_trains(sets, options, words):
    exp = base()
    settings = [parse_set(text, exp) for text in sets]
    with pytest.raises(PlaygroundError) as caught:
        Sweep(exp, settings, **options).plan()
    for word in words:
        assert word in str(caught.value)


def test_a_sweep_needs_a_setting():
    with pytest.raises(PlaygroundError, match="at least one --set"):
        Sweep(base(), []).plan()


def test_description_names_what_a_resumed_sweep_must_share():
    exp = base()
    sweep = Sweep(exp, [parse_set("training.learning_rate=0.1,0.2", exp)], epochs=3)
    described = json.loads(json.dumps(sweep.description()))
    assert described["settings"] == ["training.learning_rate"] and described["epochs"] == 3
    assert described["experiment"]["training"]["seed"] == 7


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="Unix process priorities")
def test_a_sweep_worker_runs_below_normal_priority_once_lowered():
    """Workers (local processes, Ray's) train at WORKER_NICE: the window and the desktop come first.
    Ray reuses a worker for many runs: the priority is set, not lowered again at each."""
    from playground.core.sweep import WORKER_NICE

    code = ("import os; from playground.core.sweep import below_normal_priority as low; "
            "low(); a = os.getpriority(os.PRIO_PROCESS, 0); low(); print(a, os.getpriority(os.PRIO_PROCESS, 0))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert out.stdout.split() == [str(max(WORKER_NICE, base))] * 2
