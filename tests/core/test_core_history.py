"""Weight histories by epoch: the summaries against NumPy's own, the thinning that bounds a long run,
and the engine's columns against the weights of each epoch trained one at a time."""
import json
from pathlib import Path

import numpy as np
import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.history import BINS, PERCENTILES, LayerHistory, WeightLog, summarise
from tests.core.experiments import xor_experiment

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_summaries_are_numpys_histograms_percentiles_and_moments(dtype):
    rng = np.random.default_rng(1)
    for trial in range(60):
        rows = rng.normal(0, rng.uniform(0.01, 3), (4, int(rng.integers(1, 200)))).astype(dtype)
        if trial % 3 == 0:
            rows = np.round(rows * 4) / 4  # values on bin edges
        rows[1] = rows[1, 0]  # a constant row: np.histogram widens its range by 0.5 each way
        s = summarise(rows)
        for i, row in enumerate(rows):
            counts, edges = np.histogram(row, bins=BINS)
            np.testing.assert_array_equal(s.counts[i], counts, err_msg=f"trial {trial}, row {i}: counts")
            np.testing.assert_array_equal(s.edges[i], edges, err_msg=f"trial {trial}, row {i}: edges")
            np.testing.assert_allclose(s.percentiles[i], np.percentile(row, PERCENTILES), rtol=1e-6)
            assert (s.mean[i], s.std[i]) == pytest.approx((row.mean(dtype=np.float64), row.std(dtype=np.float64)))


def columns(epochs):
    rows = np.asarray(epochs, dtype=np.float64)[:, None] + np.arange(3)  # each column knows its epoch
    return np.asarray(epochs), (LayerHistory("dense", summarise(rows), None),)


def test_a_long_run_keeps_a_bounded_evenly_spaced_history_ending_where_it_stopped():
    history = WeightLog(capacity=64)
    for start in range(0, 100_000, 1000):  # chunks of 1,000 epochs, as the engine records them
        epochs = [e for e in range(start, start + 1000) if history.wanted(e)]
        history.add(*columns(epochs))
        assert len(history) <= 64
    assert history.wanted(100_001, last_of_run=True) and not history.wanted(100_001)
    history.add(*columns([100_001]))
    epochs = history.epochs
    assert epochs[0] == 0 and epochs[-1] == 100_001
    gaps = set(np.diff(epochs[:-1]).tolist())
    assert gaps == {history.stride}, f"the kept epochs are not evenly spaced: gaps {sorted(gaps)}"
    assert 32 <= len(history) <= 65
    np.testing.assert_array_equal(history.layers[0].kernel.mean, epochs + 1.0,
                                  err_msg="a column's summaries went to another epoch in the thinning")


def test_another_network_starts_the_history_again():
    history = WeightLog()
    history.add(*columns([0, 1, 2]))
    history.add(np.array([3]), (LayerHistory("other", summarise(np.zeros((1, 3))), None),))
    assert history.epochs.tolist() == [3]


def xor_run(capacity: int | None = None):
    """XOR trained 100 epochs in compiled chunks, with every event kept (``capacity``: a small history,
    so that the engine records every stride-th epoch)."""
    events = []
    engine = Engine(xor_experiment(100, batch_size=16), events.append)
    if capacity is not None:
        engine.weight_history = WeightLog(capacity)
    engine.run()
    return engine, events


@pytest.fixture(scope="module")
def trained():
    return xor_run()


@pytest.fixture(scope="module")
def thinned():
    return xor_run(capacity=8)


def test_a_100_epoch_run_records_every_epoch_once_in_order(trained):
    engine, events = trained
    sent = np.concatenate([e.epochs for e in events if isinstance(e, ev.WeightHistory)])
    np.testing.assert_array_equal(sent, np.arange(0, 101), err_msg="the history is not epochs 0..100 once each")
    np.testing.assert_array_equal(engine.weight_history.epochs, np.arange(0, 101))


def test_a_long_runs_history_keeps_every_stride_th_epoch_and_the_last(thinned):
    engine, _ = thinned
    history = engine.weight_history
    assert history.stride > 1 and len(history) <= 8
    np.testing.assert_array_equal(history.epochs[:-1], np.arange(0, 100, history.stride))
    assert history.epochs[-1] == 100, "the history does not end at the epoch the run stopped at"


@pytest.mark.parametrize("run", ["trained", "thinned"])
def test_each_column_is_the_histogram_of_that_epochs_weights(run, request):
    engine, _ = request.getfixturevalue(run)
    stepped = Engine(xor_experiment(100, batch_size=16))  # the same run, one epoch at a time
    stepped.prepare()
    dense = [layer for layer in stepped.model.layers if hasattr(layer, "kernel")]
    history = {layer.name: layer for layer in engine.weight_history.layers}
    recorded = engine.weight_history.epochs.tolist()
    for epoch in range(0, 101):
        if epoch:
            stepped.step_epoch()
        if epoch not in recorded:
            continue
        column = recorded.index(epoch)
        for layer in dense:
            for tensor, summary in ((layer.kernel, history[layer.name].kernel), (layer.bias, history[layer.name].bias)):
                counts, edges = np.histogram(tensor.numpy(), bins=BINS)
                np.testing.assert_array_equal(summary.counts[column], counts,
                                              err_msg=f"{layer.name}: the column of epoch {epoch} is another epoch's")
                np.testing.assert_array_equal(summary.edges[column], edges)


def test_a_kept_model_replays_its_whole_history(trained):
    engine, events = trained
    events.clear()
    engine.replay()
    whole = [e for e in events if isinstance(e, ev.WeightHistory)]
    assert len(whole) == 1 and whole[0].whole
    np.testing.assert_array_equal(whole[0].epochs, np.arange(0, 101))


def test_summaries_of_weights_past_float32_are_defined():
    """Weights can overflow while the loss stays finite (a silent ReLU unit): each summary is the
    finite weights' (NumPy's histogram of them), the others counted; NumPy itself refuses such rows."""
    rows = np.array([[1.0, np.inf, 2.0, np.nan, 3.0],
                     [np.inf, -np.inf, np.nan, np.inf, np.inf],
                     [0.5, 1.5, 2.5, 3.5, 4.5]], np.float32)
    s = summarise(rows)
    assert s.nonfinite.tolist() == [2, 5, 0]
    for i in (0, 2):
        finite = rows[i][np.isfinite(rows[i])]
        counts, edges = np.histogram(finite, bins=BINS)
        np.testing.assert_array_equal(s.counts[i], counts)
        np.testing.assert_array_equal(s.edges[i], edges)
        np.testing.assert_allclose(s.percentiles[i], np.percentile(finite, PERCENTILES), rtol=1e-6)
        assert s.mean[i] == pytest.approx(finite.mean())
    assert s.counts[1].sum() == 0 and np.isnan(s.percentiles[1]).all() and np.isnan([s.mean[1], s.std[1]]).all()
    big = np.float32(1.8e8)  # a constant beyond 2**24: np.histogram's ±0.5 is lost in rounding
    wide = np.array([-3e38, 3e38, 0.0, 2e38], np.float32)  # a range wider than float32's largest number
    for row in (np.array([big]), np.array([big, big]), wide, np.array([np.finfo(np.float32).max])):
        s = summarise(row[None, :])
        assert s.counts.sum() == len(row) and np.isfinite(s.edges).all() and (np.diff(s.edges[0]) >= 0).all()
        assert s.edges[0, 0] <= row.min() and row.max() <= s.edges[0, -1], row
    counts, _ = np.histogram(wide.astype(np.float64), bins=BINS)
    np.testing.assert_array_equal(summarise(wide[None, :]).counts[0], counts)


def test_a_run_whose_weights_overflow_writes_its_files(tmp_path):
    """Issue 18: reg-gauss, ReLU, SGD at 0.3 with momentum 0.9 drives weights to 1.8e8 while the loss
    stays finite; the weight history raised IndexError, the run failed and wrote nothing."""
    from tests.reliability.support import run_cli

    doc = json.loads((EXAMPLES / "reg-gauss.json").read_text())
    for layer in doc["model"]["layers"]:
        layer["activation"] = "relu"
    doc["training"].update(optimizer="sgd", learning_rate=0.3, momentum=0.9, seed=13)
    experiment = tmp_path / "reg-gauss-relu.json"
    experiment.write_text(json.dumps(doc))
    out = tmp_path / "run"
    code, stdout, err = run_cli(["train", str(experiment), "--epochs", "3", "--out", str(out), "--device", "cpu"])
    assert code == 0, err
    assert "Traceback" not in err and "IndexError" not in err
    assert json.loads(stdout.strip().splitlines()[-1])["epochs"] == 3
    assert {"model.keras", "model.weights.h5", "history.csv", "experiment.json"} <= {p.name for p in out.iterdir()}
    assert len((out / "history.csv").read_text().strip().splitlines()) == 4
