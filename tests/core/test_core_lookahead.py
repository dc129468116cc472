"""Models made ahead while the engine is idle (playground.core.lookahead), taken by the edit that
asks for one, and the training thread's part: it looks ahead only with nothing queued."""
import threading

import numpy as np

from playground.core import events as ev
from playground.core.lookahead import Lookahead
from playground.core.server import Trainer
from playground.core.session import NewModel, Session
from playground.data import load_dataset
from tests.core.experiments import xor_experiment

WAIT_S = 180  # for the two models of XOR 2-8-1 made one after another (~1.5 s here), on a busy machine


def weights(engine):
    return {layer.name: [w.copy() for w in layer.get_weights()] for layer in engine.model.layers}


def with_units(exp, units, learning_rate=None):
    new = exp.model_copy(deep=True)
    new.model.layers[0].units = units
    if learning_rate is not None:
        new.training.learning_rate = learning_rate
    return new


class Run:
    """A session with its events recorded."""

    def __init__(self):
        self.events = []
        self.session = Session(self.events.append)
        self.exp = xor_experiment(5)
        del self.exp.model.layers[1:]  # one hidden layer: two models made ahead, 9 and 7 units
        self.data = load_dataset(**self.exp.dataset.model_dump())

    def train(self, exp, epochs):
        how = self.session.edit(exp, self.data)
        self.session.start()
        self.session.run(epochs)
        return how

    def made_ahead(self) -> int:
        self.session.look_ahead()  # what the engine process does when its queue empties
        assert self.session.ahead.wait(WAIT_S), "the models were not made ahead in time"
        return self.session.ahead.ready()

    def shown(self):
        """What the views were sent since the last NewModel: each event's kind and epoch."""
        start = max(i for i, e in enumerate(self.events) if isinstance(e, NewModel))
        return [(type(e).__name__, e.epoch) for e in self.events[start:] if not isinstance(e, ev.Progress)]


def test_a_units_edit_takes_the_model_made_ahead_which_shows_and_trains_as_one_built_for_it():
    ahead, fresh = Run(), Run()
    try:
        ahead.train(ahead.exp, 3)
        assert ahead.made_ahead() == 2, "the hidden layer's units one up and one down"
        nine = with_units(ahead.exp, 9)
        assert ahead.session.edit(nine, ahead.data) == "new" and ahead.session.epoch == 0
        assert ahead.session.ahead.ready() == 1, "the edit did not take the model made for it"
        fresh.session.edit(nine, fresh.data)
        assert fresh.session.ahead.ready() == 0
        assert ahead.shown() == fresh.shown(), "the views were not given what a new model gives them"
        a_weights, f_weights = weights(ahead.session.engine), weights(fresh.session.engine)
        for name, values in f_weights.items():
            for x, y in zip(a_weights[name], values, strict=True):
                np.testing.assert_array_equal(x, y, err_msg=f"{name}: other initial weights")
        for run in (ahead, fresh):
            run.session.start()
            run.session.run(20)
        np.testing.assert_allclose(ahead.session.engine.history["loss"], fresh.session.engine.history["loss"],
                                   rtol=1e-5, err_msg="the model made ahead trained differently")
    finally:
        ahead.session.close()
        fresh.session.close()


def test_a_model_made_before_a_live_edit_is_not_taken_with_the_old_setting():
    run, fresh = Run(), Run()
    try:
        run.train(run.exp, 3)
        assert run.made_ahead() == 2
        slower = run.exp.model_copy(deep=True)
        slower.training.learning_rate = 0.003
        assert run.session.edit(slower, run.data) == "live"
        nine = with_units(run.exp, 9, learning_rate=0.003)
        assert run.session.edit(nine, run.data) == "new"
        assert float(run.session.engine.model.optimizer.learning_rate) == np.float32(0.003)
        fresh.train(nine, 5)
        run.session.start()
        run.session.run(5)
        np.testing.assert_allclose(run.session.engine.history["loss"], fresh.session.engine.history["loss"],
                                   rtol=1e-5, err_msg="the new model did not train at the edited rate")
        run.session.look_ahead()  # the models of the old rate are dropped, those of the new one made
        assert run.session.ahead.wait(WAIT_S)
        assert run.session.ahead.ready() == 1, "8 units is the model kept for Undo: not made again"
    finally:
        run.session.close()
        fresh.session.close()


def test_a_big_model_is_not_made_ahead():
    run = Run()
    try:
        big = xor_experiment(5)
        big.model.layers[0].units = big.model.layers[1].units = 400  # 161,601 parameters
        run.train(big, 1)
        assert run.made_ahead() == 0
    finally:
        run.session.close()


def test_a_hold_stops_the_making_at_the_next_op_it_creates():
    """A model being made whose trace would go on and on stops at the next op after a hold."""
    import tensorflow as tf

    run = Run()
    tracing, escape = threading.Event(), threading.Event()

    def make(experiment, dataset):
        @tf.function(autograph=False)
        def endless():
            x = tf.constant(0.0)
            tracing.set()
            while not escape.is_set():
                x = x + 1.0
            return x

        endless.get_concrete_function()

    ahead = Lookahead(make)
    try:
        ahead.start(run.exp, run.data, Session.key, lambda key: False)
        assert tracing.wait(60)
        ahead.hold()
        assert ahead.wait(10), "the making went on after a hold"
        assert ahead.ready() == 0
    finally:
        escape.set()
        ahead.close()


def test_the_training_thread_looks_ahead_only_with_nothing_queued_and_a_queued_job_holds_it():
    calls, looked = [], threading.Event()

    class Owner:
        def hold(self):
            calls.append("hold")

        def look_ahead(self):
            calls.append("look ahead")
            looked.set()

    owner, other, gate = Owner(), Owner(), threading.Event()
    trainer = Trainer()
    trainer.sessions.update((owner, other))
    trainer.call(gate.wait, owner)
    trainer.call(lambda: calls.append("second job"), owner)
    gate.set()
    assert looked.wait(10)
    assert calls == ["hold", "hold"] * 2 + ["second job", "look ahead"], \
        "every session holds at each job queued, and only the last job's looks ahead, once the queue is empty"


def test_a_paused_run_makes_the_models_ahead_and_an_edit_that_stops_it_takes_one():
    run = Run()
    s = run.session
    paused = threading.Event()
    run.session.listener = lambda event: (run.events.append(event), isinstance(event, ev.Paused) and paused.set())
    try:
        s.edit(run.exp, run.data)
        s.start()
        trainer = threading.Thread(target=s.run, args=(1_000_000,))
        trainer.start()
        s.pause()
        assert paused.wait(60)
        assert s.ahead.wait(WAIT_S) and s.ahead.ready() == 2, "nothing was made ahead while the run was paused"
        nine = with_units(run.exp, 9)
        assert s.offer(nine, run.data) is False  # a new model: the run stops
        trainer.join(60)
        assert s.edit(nine, run.data) == "new" and s.ahead.ready() == 1
    finally:
        s.close()
