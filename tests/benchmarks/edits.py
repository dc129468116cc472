"""Edits while it learns: from an edit to the first epoch of the model it gives, and a live edit's
way into the running loop (the run model, ``playground.core.session``, as the window drives it).

"Edit -> first epoch" is measured from the session's ``edit`` call to the first epoch's Metrics
event (what the curves draw; the window takes events every 1/30 s on top). A units or activation
change builds a new model (each repeat a new architecture, so no kept model is taken back); a
learning-rate change is live. Edits come USER_PACE apart, as a person makes them: a new model
trains in plain graphs at once and compiles its XLA loops in another thread meanwhile, and the
idle engine makes the models of each layer's units one up and one down ahead
(``playground.core.lookahead``): the units edit (one up) finds its model made, the activation edit
(no model made ahead for it) shows what a model built from scratch takes.
"Live edit -> next chunk" is measured from offering a learning-rate (and a batch-size) edit to
the running engine to its Edited event, which the engine sends right before the next chunk
trains with it.
"""
from __future__ import annotations

import threading
import time

from playground.core import events as ev
from playground.core.session import Session
from playground.data import load_dataset
from tests.benchmarks.common import median, progress, record, shape_name, tiny_experiment

NAME = "edits"
TARGET = ("<=", 0.3)  # seconds, issue 7
USER_PACE = 2.0  # seconds between edits: the last model's XLA loops finish compiling, as at a person's pace
ACTIVATIONS = ("relu", "sigmoid", "elu", "selu", "gelu", "silu", "linear", "softplus", "leaky_relu", "hard_sigmoid")


class Clock:
    """Times from a start mark to the first event of a kind (in the engine's thread)."""

    def __init__(self):
        self.t0 = 0.0
        self.kind: type = ev.Metrics
        self.seen: float | None = None
        self.done = threading.Event()

    def arm(self, kind: type) -> None:
        self.kind, self.seen = kind, None
        self.done.clear()
        self.t0 = time.perf_counter()

    def __call__(self, event: ev.Event) -> None:
        if self.seen is None and isinstance(event, self.kind):
            self.seen = time.perf_counter() - self.t0
            self.done.set()


def _edit_to_first_epoch(session: Session, clock: Clock, exp, data) -> float:
    time.sleep(USER_PACE)
    clock.arm(ev.Metrics)
    session.edit(exp, data)
    session.start()
    session.run(1 if session.epoch == 0 else session.epoch + 1)
    session.look_ahead()  # as the engine process does when it has nothing left to do
    return clock.seen


def run(quick: bool) -> list:
    repeats = 2 if quick else 7
    clock = Clock()
    session = Session(clock)
    base = tiny_experiment("xor", 2, optimizer="adam")
    data = load_dataset(**base.dataset.model_dump())
    name = f"XOR {shape_name(base)}"
    progress(f"edits: {name}, first model")
    _edit_to_first_epoch(session, clock, base, data)
    figures: dict[str, list[float]] = {"units": [], "activation": [], "learning rate": []}
    for i in range(repeats):
        progress(f"edits: repeat {i + 1} of {repeats}")
        units = base.model_copy(deep=True)
        units.model.layers[0].units = 9 + i
        figures["units"].append(_edit_to_first_epoch(session, clock, units, data))
        activation = units.model_copy(deep=True)
        activation.model.layers[1].activation = ACTIVATIONS[i % len(ACTIVATIONS)]
        figures["activation"].append(_edit_to_first_epoch(session, clock, activation, data))
        lr = activation.model_copy(deep=True)
        lr.training.learning_rate = 0.01 if i % 2 else 0.003
        figures["learning rate"].append(_edit_to_first_epoch(session, clock, lr, data))
        base = lr
    out = [record(NAME, f"{name}: {what} edit -> first epoch", median(v), "s", TARGET,
                  note={"units": f"median of {len(v)}; new model, made ahead while idle",
                        "activation": f"median of {len(v)}; new model, built from scratch"}.get(
                      what, f"median of {len(v)}; live"))
           for what, v in figures.items()]

    progress("edits: live edits into a run")
    live: dict[str, list[float]] = {"learning rate": [], "batch size": []}
    exp = base.model_copy(deep=True)
    exp.training.epochs = 1_000_000
    session.edit(exp, data)
    session.start()
    thread = threading.Thread(target=session.run, args=(exp.training.epochs,))
    thread.start()
    try:
        time.sleep(1.0)  # the chunks grow to full size
        for i in range(repeats):
            for what, field, values in (("learning rate", "learning_rate", (0.003, 0.01)),
                                        ("batch size", "batch_size", (32, 10))):
                exp = exp.model_copy(deep=True)
                setattr(exp.training, field, values[getattr(exp.training, field) == values[0]])
                clock.arm(ev.Edited)
                if not session.offer(exp, data):
                    raise RuntimeError("the run was not live")
                clock.done.wait(30)
                live[what].append(clock.seen)
                time.sleep(USER_PACE)
    finally:
        session.stop()
        thread.join(60)
        session.close()
    out += [record(NAME, f"{name}: live {what} edit -> next chunk uses it", median(v), "s", TARGET,
                   note=f"median of {len(v)}; during a run") for what, v in live.items()]
    return out
