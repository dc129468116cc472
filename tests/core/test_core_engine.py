"""The training engine: learning, Keras semantics, controls from another thread, divergence."""
import threading

import numpy as np
import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset


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


def xor_experiment(epochs=30, **training):
    exp = Experiment(name="xor")
    exp.dataset.samples = 200
    exp.training.epochs = epochs
    exp.training.learning_rate = 0.03
    for k, v in training.items():
        setattr(exp.training, k, v)
    return exp


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
    # The grid's output is the model's own output on those points.
    x = engine.dataset.featurize(np.array([[boundary.xs[10], boundary.ys[80]]], np.float32))
    assert engine.predict(x)[0, 0] == pytest.approx(boundary.output[80, 10, 0], abs=1e-5)


def test_same_seed_same_history_other_seed_differs():
    a, b, c = (Engine(xor_experiment(5, seed=s)) for s in (1, 1, 2))
    for e in (a, b, c):
        e.run()
    assert a.history == b.history
    assert a.history["loss"] != c.history["loss"]


def test_one_epoch_matches_keras_fit_exactly():
    """Same initial weights, same data, full batch: the engine's step is Keras' train_step."""
    import keras

    exp = xor_experiment(1, batch_size=1000)
    exp.model.layers = [LayerSpec(units=4, kernel_l2=0.01)]
    engine = Engine(exp)
    engine.prepare()
    reference = keras.models.clone_model(engine.model)
    reference.set_weights(engine.model.get_weights())
    from playground.core.build import loss_targets, make_loss, make_metric, make_optimizer

    ds = engine.dataset
    reference.compile(optimizer=make_optimizer(exp), loss=make_loss(exp, ds.task),
                      metrics=[make_metric(exp, ds.task)])
    y = loss_targets(exp, ds.task, ds.y_train, ds.num_classes)
    logs = reference.fit(ds.x_train, y, batch_size=1000, epochs=1, shuffle=False, verbose=0).history
    engine.run()
    assert engine.history["loss"][0] == pytest.approx(logs["loss"][0], rel=1e-5)
    assert engine.history["accuracy"][0] == pytest.approx(logs["accuracy"][0])
    for ours, theirs in zip(engine.model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def _start(engine):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("reason", engine.run()), daemon=True)
    thread.start()
    return thread, result


def _wait(predicate, timeout=60.0):
    import time

    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_stop_from_another_thread_and_continue_after():
    rec = Recorder()
    engine = Engine(xor_experiment(1_000_000), rec)
    engine.prepare()
    thread, result = _start(engine)
    _wait(lambda: engine.epoch >= 3)
    engine.stop()
    thread.join(10)
    assert not thread.is_alive() and result["reason"] == "stopped"
    stopped_at = engine.epoch
    assert 3 <= stopped_at < 1_000_000
    assert rec.of(ev.Finished)[-1].reason == "stopped"
    assert engine.run(epochs=4) == "finished"
    assert engine.epoch == stopped_at + 4


def test_pause_step_resume_from_another_thread():
    rec = Recorder()
    engine = Engine(xor_experiment(1_000_000), rec)
    engine.prepare()
    thread, _ = _start(engine)
    _wait(lambda: engine.epoch >= 2)
    engine.pause()
    _wait(lambda: rec.of(ev.Paused))
    paused_at = engine.epoch
    engine.step_epoch()
    _wait(lambda: engine.epoch == paused_at + 1)
    engine.step_batch()
    _wait(lambda: engine.batch == 1)
    assert engine.epoch == paused_at + 1 and engine.paused
    engine.resume()
    _wait(lambda: engine.epoch >= paused_at + 3)
    engine.stop()
    thread.join(10)
    assert not thread.is_alive()


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


def test_divergence_stops_and_restores_finite_weights():
    rec = Recorder()
    exp = Experiment(name="boom")
    exp.dataset.name = "reg-plane"
    exp.model.layers = [LayerSpec(units=8, activation="relu")]
    exp.training.optimizer = "sgd"
    exp.training.learning_rate = 10.0
    exp.training.epochs = 50
    engine = Engine(exp, rec)
    assert engine.run() == "diverged"
    message = rec.of(ev.Diverged)[0].message
    assert "NaN" in message and "learning rate" in message
    assert all(np.isfinite(w).all() for w in engine.model.get_weights())
    assert all(np.isfinite(v).all() for v in engine.history.get("loss", []))


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
    import playground.core.engine as engine_module

    monkeypatch.setattr(engine_module, "TARGET_EVENT_INTERVAL", 1e-6)
    rec = Recorder()
    engine = Engine(xor_experiment(2), rec)
    engine.run()
    within = [p for p in rec.of(ev.Progress) if p.batch > 0]
    assert within, "no progress event inside an epoch"
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
print(json.dumps([mirrored.run(), mirrored.device, mirrored.history, single.run(), single.history]))
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
