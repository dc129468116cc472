"""Live edits of a training model, and the run model that owns the kept models (no Qt)."""
import numpy as np
import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from tests.core.experiments import xor_experiment


def xor(epochs=5, **training):
    return xor_experiment(epochs, **training)


def edited(exp, **training):
    new = exp.model_copy(deep=True)
    for k, v in training.items():
        setattr(new.training, k, v)
    return new


def weights(engine):
    return {layer.name: [w.copy() for w in layer.get_weights()] for layer in engine.model.layers}


def assert_same_weights(a, b):
    assert a.keys() == b.keys()
    for name in a:
        for x, y in zip(a[name], b[name], strict=True):
            np.testing.assert_array_equal(x, y, err_msg=f"layer {name} changed")


def trained(exp, events=None):
    engine = Engine(exp, events.append if events is not None else None)
    engine.jit = False  # these tests are about semantics, not speed
    engine.run()
    return engine


def test_a_learning_rate_edit_keeps_the_weights_and_trains_at_the_new_rate():
    events = []
    edited_engine, plain = trained(xor(), events), trained(xor())
    before = weights(edited_engine)
    edited_engine.apply(edited(edited_engine.experiment, learning_rate=0.003))
    assert_same_weights(weights(edited_engine), before)
    assert float(edited_engine.model.optimizer.learning_rate) == pytest.approx(0.003)
    assert [e.label for e in events if isinstance(e, ev.Edited)] == ["lr 0.03 → 0.003"]
    edited_engine.run(1)
    plain.run(1)
    moved = [np.linalg.norm(a[0] - b[0]) for e in (edited_engine, plain)
             for a, b in [(weights(e)["hidden_1"], before["hidden_1"])]]
    assert moved[0] == pytest.approx(moved[1] / 10, rel=0.3), "the epoch after the edit did not use the new rate"
    assert edited_engine.epoch == 6 and len(edited_engine.history["loss"]) == 6


def test_an_edit_during_a_run_applies_between_chunks_and_the_run_goes_on():
    events = []
    engine = Engine(xor(40), None)
    engine.jit = False
    new = edited(engine.experiment, learning_rate=0.001)

    def listen(event):
        events.append(event)
        if isinstance(event, ev.Metrics) and event.epoch >= 10 and not any(isinstance(e, ev.Edited) for e in events):
            engine.apply(new)
    engine.listener = listen
    assert engine.run() == "finished"
    marks = [e for e in events if isinstance(e, ev.Edited)]
    assert len(marks) == 1 and 10 <= marks[0].epoch < 40
    assert engine.epoch == 40 and len(engine.history["loss"]) == 40
    assert float(engine.model.optimizer.learning_rate) == pytest.approx(0.001)
    assert engine.experiment.training.learning_rate == 0.001


def test_a_batch_size_edit_keeps_weights_and_optimizer_state():
    engine = trained(xor())
    before, steps = weights(engine), int(engine.model.optimizer.iterations)
    engine.apply(edited(engine.experiment, batch_size=32))
    assert_same_weights(weights(engine), before)
    assert int(engine.model.optimizer.iterations) == steps, "Adam's state was not carried over"
    engine.run(2)
    assert engine.epoch == 7 and len(engine.history["loss"]) == 7
    assert int(engine.model.optimizer.iterations) == steps + 2 * 4  # 100 samples in batches of 32


def test_an_optimizer_switch_keeps_the_weights_with_fresh_state():
    events = []
    engine = trained(xor(), events)
    before = weights(engine)
    engine.apply(edited(engine.experiment, optimizer="sgd"))
    assert_same_weights(weights(engine), before)
    assert type(engine.model.optimizer).__name__ == "SGD" and int(engine.model.optimizer.iterations) == 0
    assert events[-1] == ev.Edited(5, "optimizer adam → sgd (fresh state)")


def test_a_momentum_edit_to_and_from_zero_keeps_the_weights_and_the_step_count():
    """SGD keeps momentums only with a momentum: the new optimizer has other state to carry over."""
    events = []
    engine = trained(xor(optimizer="sgd", momentum=0.45), events)
    before, steps = weights(engine), int(engine.model.optimizer.iterations)
    for momentum in (0.0, 0.9):
        engine.apply(edited(engine.experiment, momentum=momentum))
        assert not [e for e in events if isinstance(e, ev.Failed)]
        assert_same_weights(weights(engine), before)
        assert int(engine.model.optimizer.iterations) == steps, "the step count was not carried over"
    assert [e.label for e in events if isinstance(e, ev.Edited)] == ["momentum 0.45 → 0", "momentum 0 → 0.9"]
    engine.run(1)
    assert engine.epoch == 6 and not [e for e in events if isinstance(e, ev.Failed)]


def test_an_edit_that_needs_a_new_model_is_refused():
    from playground.errors import PlaygroundError

    engine = trained(xor(2))
    new = engine.experiment.model_copy(deep=True)
    new.model.layers[0].units = 3
    with pytest.raises(PlaygroundError, match="needs a new model"):
        engine.apply(new)


# -- the run model --------------------------------------------------------------------------------
from playground.core.session import Session  # noqa: E402
from playground.data import load_dataset  # noqa: E402


def with_units(exp, units):
    new = exp.model_copy(deep=True)
    new.model.layers[0].units = units
    return new


class Run:
    """A session with its events and states recorded."""

    def __init__(self, keep=5):
        self.events, self.states = [], []
        self.session = Session(self.events.append, self.states.append, keep=keep)
        self.exp = xor(5)
        self.data = load_dataset(**self.exp.dataset.model_dump())

    def edit(self, exp):
        how = self.session.edit(exp, self.data)
        self.session.engine.jit = False
        return how


def test_states_follow_a_run_from_idle_to_stopped():
    run = Run()
    s = run.session
    assert s.state == "idle" and not s.live
    assert run.edit(run.exp) == "new"
    assert run.states == ["preparing", "idle"] and s.device == "CPU"
    s.start()
    s.pause()  # before the run started: it starts paused
    assert s.state == "paused"
    s.resume()
    assert s.run(5) == "finished"
    assert s.state == "stopped", "a run that ended left the state live"
    assert s.epoch == 5
    assert run.states[2:] == ["running", "paused", "running", "stopped"]


def test_a_pause_asked_for_before_the_run_reaches_the_engine():
    import threading

    run = Run()
    s = run.session
    run.edit(run.exp)
    s.start()
    s.pause()
    t = threading.Thread(target=s.run, args=(50,))
    t.start()
    try:
        for _ in range(100):
            if any(isinstance(e, ev.Paused) for e in run.events):
                break
            t.join(0.05)
        assert any(isinstance(e, ev.Paused) for e in run.events), "the run did not start paused"
        assert s.epoch == 0 and s.state == "paused"
    finally:
        s.stop()
        t.join(30)
    assert s.state == "idle"


def test_undo_to_a_kept_model_brings_back_its_weights_epoch_and_history():
    run = Run()
    s = run.session
    run.edit(run.exp)
    s.start()
    s.run(5)
    x = run.data.raw_test[:20]
    before, history = s.engine.predict(x), {k: list(v) for k, v in s.engine.history.items()}
    assert run.edit(with_units(run.exp, 3)) == "new"
    assert s.epoch == 0 and s.state == "idle"
    s.start()
    s.run(2)
    run.events.clear()
    assert run.edit(run.exp) == "kept"
    assert s.epoch == 5 and {k: list(v) for k, v in s.engine.history.items()} == history
    np.testing.assert_array_equal(s.engine.predict(x), before)
    replayed = [e for e in run.events if isinstance(e, ev.Metrics)]
    assert len(replayed) == 1 and list(replayed[0].values["loss"]) == history["loss"], \
        "the views were not given the kept model's curves again"
    assert run.edit(with_units(run.exp, 3)) == "kept" and s.epoch == 2


def test_a_live_edit_keeps_the_model_and_the_lru_is_bounded():
    run = Run(keep=2)
    s = run.session
    run.edit(run.exp)
    first = s.engine
    assert run.edit(edited(run.exp, learning_rate=0.001)) == "live" and s.engine is first
    for units in (2, 3, 4):
        assert run.edit(with_units(run.exp, units)) == "new"
    assert len(s.kept) == 2, "more models are kept than the bound"
    assert run.edit(run.exp) == "new", "the oldest model should have been dropped from the kept ones"
    assert run.edit(with_units(run.exp, 4)) == "kept"


def test_a_rebuilding_edit_offered_to_a_live_run_stops_it():
    run = Run()
    s = run.session
    run.edit(run.exp)
    s.start()

    def listen(event):
        run.events.append(event)
        if isinstance(event, ev.Metrics) and event.epoch >= 3:
            assert s.offer(with_units(run.exp, 3), run.data) is False
    s.listener = listen
    assert s.run(1000) == "stopped", "an edit that needs a new model did not stop the run"
    assert s.offer(edited(run.exp, learning_rate=0.001), run.data) is False  # no run live


def _compiles_finish():
    import threading

    for thread in threading.enumerate():
        if thread.name == "xla-compile":
            thread.join(120)


def test_a_quick_start_trains_as_a_compiled_start_does_across_a_live_rebuild():
    """A new model trains in plain graphs while its XLA loops compile in another thread, then swaps
    them in: the figures must be those of a model compiled from the start, edits included."""
    histories = []
    for quick in (False, True):
        engine = Engine(xor(3), quick_start=quick)
        engine.prepare()
        engine.run()
        engine.apply(edited(engine.experiment, batch_size=20))  # a new Keras model, same weights
        _compiles_finish()
        engine.run(20)
        histories.append(engine.history["loss"])
    assert len(histories[1]) == 23
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-4,
                               err_msg="a quick start trains differently from a compiled one")


@pytest.mark.parametrize("batch_size", [10, 30])
def test_plain_graphs_train_a_new_model_as_the_compiled_loops_do(batch_size, monkeypatch):
    """While its XLA loops compile, a new model trains in plain graphs, which take the last, smaller
    batch of an epoch (200 samples in batches of 30: six of 30 and one of 20) through the same trace
    as the full ones: the figures and weights must be those of the compiled loops."""
    from playground.core.loops import Loops

    background = []  # XLA compiles started in the background, by engine
    compile_in_background = Loops.compile_xla_in_background
    monkeypatch.setattr(Loops, "compile_xla_in_background",
                        lambda self, *a: (background.append(quick), compile_in_background(self, *a)))
    results = []
    for quick in (False, True):
        engine = Engine(xor(30, batch_size=batch_size), quick_start=quick)
        engine.prepare()
        engine.run()  # 30 epochs of XOR take less time than the XLA compile: all in plain graphs
        results.append((np.asarray(engine.history["loss"]), weights(engine)))
        _compiles_finish()
    assert background == [True], "only the quick start trains in plain graphs while XLA compiles"
    (compiled, compiled_weights), (plain, plain_weights) = results
    assert len(plain) == 30
    np.testing.assert_allclose(plain, compiled, rtol=1e-4, err_msg="plain graphs train differently")
    for name, values in compiled_weights.items():
        for a, b in zip(values, plain_weights[name]):
            np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-6, err_msg=f"{name}: other weights")


def test_a_live_batch_size_edit_trains_at_once_in_plain_graphs_as_new_compiled_loops_do():
    """A quick-started model takes a batch-size edit into the plain graphs it has (they read the
    batch size from a variable) while the XLA loops for it compile: 100 samples in batches of 10,
    then of 32 (three of 32 and one of 4), must train as loops made again for the new size."""
    results = []
    for quick in (False, True):
        engine = Engine(xor(12, batch_size=10), quick_start=quick)
        engine.prepare()
        engine.run(5)
        engine.apply(edited(engine.experiment, batch_size=32))
        engine.run()
        results.append((np.asarray(engine.history["loss"]), weights(engine), int(engine.model.optimizer.iterations)))
        _compiles_finish()
    (made, made_weights, made_steps), (taken, taken_weights, taken_steps) = results
    assert len(taken) == 12 and taken_steps == made_steps == 5 * 10 + 7 * 4
    np.testing.assert_allclose(taken, made, rtol=1e-4, err_msg="the batch-size edit trained differently")
    for name, values in made_weights.items():
        for a, b in zip(values, taken_weights[name]):
            np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-6, err_msg=f"{name}: other weights")


def test_keeping_matching_weights_starts_a_changed_network_from_the_trained_one():
    run = Run()
    s = run.session
    run.edit(run.exp)
    s.start()
    s.run(5)
    trained = weights(s.engine)
    s.keep_matching_weights = True
    relu = run.exp.model_copy(deep=True)
    relu.model.layers[1].activation = "relu"
    assert run.edit(relu) == "new" and s.epoch == 0
    assert_same_weights(weights(s.engine), trained)
    deeper = relu.model_copy(deep=True)
    deeper.model.layers[0].units = 4  # hidden_1 and hidden_2 change shape; the output does not
    run.edit(deeper)
    now = weights(s.engine)
    assert now["hidden_1"][0].shape == (2, 4)
    np.testing.assert_array_equal(now["output"][0], trained["output"][0])
    s.keep_matching_weights = False
    sigmoid = run.exp.model_copy(deep=True)
    sigmoid.model.layers[1].activation = "sigmoid"
    run.edit(sigmoid)
    assert not np.array_equal(weights(s.engine)["hidden_2"][0], trained["hidden_2"][0]), \
        "weights were kept with the option off"
