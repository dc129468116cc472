"""The training engine: learning, Keras semantics, controls from another thread, divergence."""
import re
import threading
import time
from contextlib import contextmanager

import numpy as np
import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from tests.core.experiments import xor_experiment


class Recorder:
    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def __call__(self, event):
        with self.lock:
            self.events.append(event)

    def of(self, kind):
        with self.lock:
            return [e for e in self.events if isinstance(e, kind)]


def test_xor_learns_and_reports_every_epoch():
    rec = Recorder()
    engine = Engine(xor_experiment(60), rec)
    assert engine.run() == "finished"
    history = engine.history
    assert len(history["loss"]) == 60 == engine.epoch
    assert history["loss"][-1] < history["loss"][0] / 3
    assert history["test_accuracy"][-1] >= 0.9
    metrics = rec.of(ev.Metrics)
    assert metrics[0].first_epoch == 1 and metrics[-1].epoch == 60
    assert sum(len(m.values["loss"]) for m in metrics) == 60
    assert rec.of(ev.Started)[0].device == "CPU"
    assert rec.of(ev.Finished)[-1].reason == "finished"
    progress = rec.of(ev.Progress)
    assert [p.fraction for p in progress] == pytest.approx([p.epoch / 60 for p in progress])
    assert progress[-1].fraction == 1.0
    samples = engine.dataset.x_train.shape[0]  # whole epochs: samples/s are epochs/s times an epoch's samples
    assert [p.samples_per_second for p in progress] == pytest.approx(
        [p.epochs_per_second * samples for p in progress], rel=1e-6)


def test_snapshots_carry_histograms_and_the_decision_boundary():
    rec = Recorder()
    engine = Engine(xor_experiment(5), rec)
    engine.run()
    weights = rec.of(ev.Weights)[-1]
    assert [layer.name for layer in weights.layers] == ["hidden_1", "hidden_2", "output"]
    first = weights.layers[0]
    assert first.kernel_counts.sum() == 2 * 8 and len(first.kernel_edges) == len(first.kernel_counts) + 1
    assert first.bias_counts.sum() == 8
    boundary = rec.of(ev.Boundary)[-1]
    assert boundary.output.shape == (100, 100, 1)
    assert 0 <= boundary.output.min() and boundary.output.max() <= 1
    # The grid's output is the model's own output on those points (raw x1, x2: the model crosses them).
    x = np.array([[boundary.xs[10], boundary.ys[80]]], np.float32)
    assert engine.predict(x)[0, 0] == pytest.approx(boundary.output[80, 10, 0], abs=1e-5)


def test_same_seed_same_history_other_seed_differs():
    a, b, c = (Engine(xor_experiment(5, seed=s)) for s in (1, 1, 2))
    for e in (a, b, c):
        e.run()
    assert a.history == b.history
    assert a.history["loss"] != c.history["loss"]


STOP_WITHIN = 5.0  # seconds: a stop takes effect within one chunk (~1/30 s); a lost one never does


@contextmanager
def live_run(engine):
    """``engine.run()`` in a thread; on the way out the run is stopped and the thread joined, so a
    failing test never leaves a run training in the background."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("reason", engine.run()), daemon=True)
    thread.start()
    try:
        yield thread, result
    finally:
        engine.stop()
        engine.resume()
        thread.join(STOP_WITHIN)


def _wait(predicate, what, timeout=60.0):
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting until {what}")
        time.sleep(0.01)


def _stop_and_join(engine, thread, state):
    engine.stop()
    thread.join(STOP_WITHIN)
    assert not thread.is_alive(), f"a stop while {state} did not end the run within {STOP_WITHIN:g} s"


@pytest.mark.timeout(120)
def test_stop_from_another_thread_and_continue_after():
    rec = Recorder()
    engine = Engine(xor_experiment(1_000_000), rec)
    engine.prepare()
    with live_run(engine) as (thread, result):
        _wait(lambda: engine.epoch >= 3, "3 epochs are done")
        _stop_and_join(engine, thread, "running")
    assert result["reason"] == "stopped"
    stopped_at = engine.epoch
    assert 3 <= stopped_at < 1_000_000
    assert rec.of(ev.Finished)[-1].reason == "stopped"
    assert engine.run(epochs=4) == "finished"
    assert engine.epoch == stopped_at + 4


@pytest.mark.timeout(120)
def test_stop_while_paused_ends_the_run():
    rec = Recorder()
    engine = Engine(xor_experiment(1_000_000), rec)
    engine.prepare()
    with live_run(engine) as (thread, result):
        _wait(lambda: engine.epoch >= 1, "an epoch is done")
        engine.pause()
        _wait(lambda: rec.of(ev.Paused), "the run reports Paused")
        paused_at = engine.epoch
        _stop_and_join(engine, thread, "paused")
    assert result["reason"] == "stopped" and rec.of(ev.Finished)[-1].reason == "stopped"
    assert engine.epoch == paused_at, "a paused run trained on after the stop"


@pytest.mark.timeout(120)
def test_a_pause_asked_as_the_run_reaches_its_target_lets_it_finish():
    """The pause lands in the engine's thread just as the last epoch is done: the run ends there
    ("Epoch N reached"), it does not wait paused at its target."""
    rec = Recorder()
    engine = None

    def listen(event):
        rec(event)
        if isinstance(event, ev.Metrics) and event.epoch == 6:
            engine.pause()

    engine = Engine(xor_experiment(6), listen)
    engine.prepare()
    with live_run(engine) as (thread, result):
        thread.join(30)
        assert not thread.is_alive(), "the run waits paused at its target"
    assert result["reason"] == "finished" and engine.epoch == 6
    assert rec.of(ev.Paused) == []


@pytest.mark.timeout(120)
def test_pause_step_epoch_step_batch_resume_from_another_thread():
    """While paused, each step trains exactly what it names and pauses again; resume trains on."""
    rec = Recorder()
    engine = Engine(xor_experiment(1_000_000), rec)
    engine.prepare()
    assert engine.batches_per_epoch > 2, "two batch steps must stay inside one epoch"

    def after(request, pauses):
        request()
        _wait(lambda: len(rec.of(ev.Paused)) == pauses, f"pause #{pauses} after a step")
        return engine.epoch, engine.batch, len(engine.history["loss"])

    with live_run(engine) as (thread, _):
        _wait(lambda: engine.epoch >= 2, "2 epochs are done")
        engine.pause()
        _wait(lambda: len(rec.of(ev.Paused)) == 1, "the run reports Paused")
        e = engine.epoch
        assert engine.batch == 0 and len(engine.history["loss"]) == e
        assert after(engine.step_epoch, 2) == (e + 1, 0, e + 1), "step_epoch did not train exactly one epoch"
        assert rec.of(ev.Metrics)[-1].epoch == e + 1
        assert after(engine.step_batch, 3) == (e + 1, 1, e + 1), "step_batch did not train exactly one batch"
        assert rec.of(ev.Progress)[-1].batch == 1
        assert after(engine.step_batch, 4) == (e + 1, 2, e + 1), "a second step_batch did not train one batch"
        assert after(engine.step_epoch, 5) == (e + 2, 0, e + 2), \
            "step_epoch in mid-epoch did not finish exactly the epoch under way"
        assert engine.paused and thread.is_alive()
        engine.resume()
        _wait(lambda: engine.epoch >= e + 5, "resume trains on")
        assert not engine.paused
        _stop_and_join(engine, thread, "running after a resume")


def test_steps_when_idle_run_in_the_calling_thread():
    rec = Recorder()
    engine = Engine(xor_experiment(10), rec)
    engine.step_batch()
    assert (engine.epoch, engine.batch) == (0, 1)
    engine.step_epoch()  # finishes the epoch under way
    assert (engine.epoch, engine.batch) == (1, 0)
    assert len(engine.history["loss"]) == 1
    engine.step_epoch()
    assert engine.epoch == 2
    assert [e.reason for e in rec.of(ev.Finished)] == ["step"] * 3


def test_reset_draws_new_initial_weights():
    engine = Engine(xor_experiment(3))
    engine.prepare()
    before = [w.copy() for w in engine.model.get_weights()]
    engine.run()
    engine.reset()
    engine.prepare()
    after = engine.model.get_weights()
    assert engine.epoch == 0 and engine.history == {}
    assert not np.allclose(before[0], after[0])


@pytest.mark.timeout(120)
def test_divergence_stops_and_restores_the_last_good_epoch():
    """Three good epochs, then a learning rate so large that the next epoch's loss is infinite."""
    rec = Recorder()
    exp = Experiment(name="boom")
    exp.dataset.name = "reg-plane"
    exp.dataset.samples = 300
    exp.model.layers = [LayerSpec(units=8, activation="relu")]
    exp.training.optimizer = "sgd"
    exp.training.learning_rate = 0.02
    engine = Engine(exp, rec)
    assert engine.run(epochs=3) == "finished"
    good = [w.copy() for w in engine.model.get_weights()]
    good_history = {k: list(v) for k, v in engine.history.items()}
    engine.model.optimizer.learning_rate.assign(10.0)
    assert engine.run(epochs=5) == "diverged"
    diverged = rec.of(ev.Diverged)
    assert len(diverged) == 1 and diverged[0].epoch == 3
    message = diverged[0].message
    said = re.search(r"NaN at epoch (\d+);.* the weights of epoch (\d+) were restored\. Try a lower "
                     r"learning rate", message)
    assert said and said.groups() == ("4", "3"), f"the message does not name epochs 4 and 3: {message}"
    assert engine.epoch == 3 and engine.batch == 0
    assert {k: list(v) for k, v in engine.history.items()} == good_history, "the diverged epochs entered the history"
    for i, (now, before) in enumerate(zip(engine.model.get_weights(), good)):
        np.testing.assert_array_equal(now, before,
                                      err_msg=f"weight array {i} is not epoch 3's after the divergence")


def test_multiclass_with_one_hot_loss_and_predictions_event():
    rec = Recorder()
    exp = Experiment(name="iris")
    exp.dataset.name = "iris"
    exp.model.normalize = True
    exp.training.loss = "categorical_crossentropy"
    exp.training.epochs = 30
    exp.training.learning_rate = 0.03
    engine = Engine(exp, rec)
    engine.run()
    assert engine.history["test_accuracy"][-1] > 0.8
    pred = rec.of(ev.Predictions)[-1]
    assert pred.y_true.shape == pred.y_pred.shape and set(np.unique(pred.y_pred)) <= {0, 1, 2}
    assert not rec.of(ev.Boundary)


def test_slow_epochs_are_split_into_batch_chunks(monkeypatch):
    """When an epoch takes longer than an event interval, progress arrives within the epoch."""
    import playground.core.pacing as pacing

    monkeypatch.setattr(pacing, "TARGET_EVENT_INTERVAL", 1e-6)
    rec = Recorder()
    engine = Engine(xor_experiment(2), rec)
    engine.run()
    within = [p for p in rec.of(ev.Progress) if p.batch > 0]
    assert within, "no progress event inside an epoch"
    assert [p.fraction for p in within] == pytest.approx([(p.epoch + p.batch / p.batches_per_epoch) / 2
                                                          for p in within])
    size = engine.experiment.training.batch_size  # one batch a chunk: an epoch's time is its batches'
    assert [p.samples_per_second for p in within] == pytest.approx(
        [p.epochs_per_second * size * p.batches_per_epoch for p in within], rel=1e-6)
    assert engine.epoch == 2 and len(engine.history["loss"]) == 2


def test_gpu_without_a_gpu_fails_with_a_sentence():
    rec = Recorder()
    exp = xor_experiment(1, device="gpu")
    assert Engine(exp, rec).run() == "failed"
    assert "sees no GPU" in rec.of(ev.Failed)[0].message


def test_incompatible_choice_fails_before_training():
    rec = Recorder()
    exp = xor_experiment(1)
    exp.model.output_activation = "softmax"
    assert Engine(exp, rec).run() == "failed"
    assert "Softmax" in rec.of(ev.Failed)[0].message
    assert not rec.of(ev.Metrics)


MIRRORED = """
import json, tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from playground.core.spec import Experiment
from playground.core.engine import Engine
exp = Experiment()
exp.dataset.samples = 200
exp.training.epochs = 3
exp.training.batch_size = 20
exp.training.learning_rate = 0.03
mirrored = Engine(exp, devices=("/CPU:0", "/CPU:1"))
single = Engine(exp.model_copy(deep=True), devices=("/CPU:0",))
lists = lambda h: {k: list(v) for k, v in h.items()}
print(json.dumps([mirrored.run(), mirrored.device, lists(mirrored.history), single.run(), lists(single.history)]))
"""


def test_mirrored_strategy_over_two_logical_cpus_trains_like_one_device():
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", MIRRORED], capture_output=True, text=True, env=env,
                         timeout=300, check=True)
    reason, device, mirrored, single_reason, single = json.loads(out.stdout.strip().splitlines()[-1])
    assert reason == single_reason == "finished" and device == "/CPU:0, /CPU:1"
    # Each replica takes half of every batch; the all-reduced update equals the single-device one.
    np.testing.assert_allclose(mirrored["loss"], single["loss"], rtol=1e-4)


def test_a_dropped_model_leaves_none_of_its_traced_graphs_behind():
    """Keras' optimizer registers a gradient function in TensorFlow's global registry at every trace
    of its step, and the registry kept it, and through it every graph of the trace: each new model
    of a long session stayed in the engine process (~30 MB, measured)."""
    import gc

    from tensorflow.python.framework.func_graph import FuncGraph

    def graphs() -> int:
        gc.collect()
        return sum(isinstance(o, FuncGraph) for o in gc.get_objects())

    def train_and_drop(units: int) -> None:
        exp = xor_experiment(2)
        exp.model.layers[0].units = units
        engine = Engine(exp)
        engine.jit = False
        engine.run()

    train_and_drop(3)
    before = graphs()
    for units in (4, 5, 6):
        train_and_drop(units)
    assert graphs() <= before, "the graphs traced for dropped models are still alive"
