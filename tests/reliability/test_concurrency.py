"""Concurrency: the controls hammered from several threads at once, on a real engine and session.

Four threads press pause, resume, step (an epoch, a batch) and — on the session — stop and start
at random for a few seconds while the training thread runs a million-epoch XOR run. Nothing may
deadlock (every wait is bounded), no event may say a run failed, the epoch count only grows, a
stop takes effect within 1 s (measured from ``stop()`` to the run's return), and the same
engine trains on afterwards. And the real window, closed while it trains, is paused, builds a
model or exports one (in a fresh process, offscreen), lets the process end within 2 s.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.session import Session
from tests.core.experiments import xor_experiment

ROOT = Path(__file__).resolve().parents[2]
HAMMER_SECONDS = 3.0
CLOSE_WITHIN = 2.0  # seconds from window.close() to the end of the process
STOP_WITHIN = 1.0  # seconds: a chunk is ~1/30 s, but on 2 cores a background XLA compile can hold one (CI saw 0.37 s)
THREADS = 4


def _failures(events) -> list[str]:
    return [e.message for e in list(events) if isinstance(e, (ev.Failed, ev.Diverged))]


def _hammer(actions, seconds: float, seed: int) -> list[BaseException]:
    """Call random ``actions`` from THREADS threads for ``seconds``; the exceptions they raised."""
    errors: list[BaseException] = []
    end = time.monotonic() + seconds

    def press(rng):
        try:
            while time.monotonic() < end:
                rng.choice(actions)()
                time.sleep(rng.random() * 0.01)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(random.Random(seed + i),), daemon=True) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 10)
    assert not any(t.is_alive() for t in threads), "a control call deadlocked"
    return errors


def _stop_latency(stop, runner: threading.Thread) -> float:
    t0 = time.perf_counter()
    stop()
    runner.join(10)
    assert not runner.is_alive(), "the run did not end after stop()"
    return time.perf_counter() - t0


def test_engine_controls_from_many_threads():
    events = []
    engine = Engine(xor_experiment(epochs=1_000_000), events.append)
    engine.prepare()
    result = {}
    runner = threading.Thread(target=lambda: result.update(reason=engine.run()), daemon=True)
    runner.start()
    epochs = []
    actions = [engine.pause, engine.resume, engine.resume, engine.step_epoch, engine.step_batch,
               lambda: epochs.append(engine.epoch)]
    errors = _hammer(actions, HAMMER_SECONDS, seed=1)
    engine.resume()
    time.sleep(0.3)  # back to running chunks: the stop lands in the middle of one
    latency = _stop_latency(engine.stop, runner)
    assert not errors, errors
    assert not _failures(events), _failures(events)
    assert result["reason"] == "stopped"
    assert epochs == sorted(epochs) and epochs[-1] > 0, "the epoch count went back or never moved"
    assert latency <= STOP_WITHIN, f"stop took {latency:.3f} s"
    done = engine.epoch
    assert engine.run(epochs=3) == "finished" and engine.epoch == done + 3, "the engine does not train on"


def test_session_controls_from_many_threads():
    events = []
    session = Session(events.append)
    session.edit(xor_experiment(), None)
    runs = []

    def run():  # the training thread: one run after another, as the window asks for them
        while not stop_all.is_set():
            session.start()
            runs.append(session.run(1_000_000))

    stop_all = threading.Event()
    runner = threading.Thread(target=run, daemon=True)  # a failed test must not hang the exit
    runner.start()
    actions = [session.pause, session.resume, session.resume, lambda: session.step_live("epoch"),
               lambda: session.step_live("batch"), session.stop]
    errors = _hammer(actions, HAMMER_SECONDS, seed=2)
    stop_all.set()
    session.resume()
    time.sleep(0.3)  # back to running chunks: the stop lands in the middle of one
    latency = _stop_latency(session.stop, runner)
    assert not errors, errors
    assert not _failures(events), _failures(events)
    assert runs and set(runs) <= {"stopped", "finished"}, runs
    assert latency <= STOP_WITHIN, f"stop took {latency:.3f} s"
    done = session.epoch
    session.start()
    assert session.run(done + 2) == "finished" and session.epoch == done + 2, "the session does not train on"


# -- closing the window in every state ---------------------------------------------------------------

CLOSE_CHILD = r"""
import json, os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from playground import plots
from playground.ui.app import end_process
from playground.ui.dialogs import Dialogs
from playground.ui.window import MainWindow

class Discard(Dialogs):  # unsaved changes: discard, so that the close is not held by a question
    def save_changes(self, name): return "discard"
    def warning(self, title, text): print("WARNING", text, flush=True)

state, experiment, export_to = sys.argv[1:4]
app = QApplication([sys.argv[0]])
plots.configure()
window = MainWindow(dialogs=Discard())
window.open_experiment(experiment)
window.show()

def close():
    print("CLOSING", time.monotonic(), flush=True)
    window.close()

def act():
    if state in ("running", "paused"):
        window.train_clicked()
        if state == "paused":
            QTimer.singleShot(500, window.train_clicked)  # Train again pauses
        QTimer.singleShot(1500, close)
    elif state == "preparing":  # an edit that needs a new model, closed while it builds
        window.state.edit("units", lambda e: setattr(e.model.layers[0], "units", 7))
        QTimer.singleShot(0, close)
    else:  # exporting a SavedModel, closed while it is written
        window.export_savedmodel(export_to)
        QTimer.singleShot(50, close)

def ready():
    if window.trainer.model_current:
        act()
    else:
        QTimer.singleShot(50, ready)

window.tensorflowReady.connect(lambda: QTimer.singleShot(0, ready))
status = app.exec()
print("CLOSED", time.monotonic(), flush=True)
end_process(status)  # as the app's own process ends
"""


@pytest.mark.parametrize("state", ["running", "paused", "preparing", "exporting"])
def test_closing_the_window_ends_the_process_within_2_s(tmp_path, state):
    experiment = tmp_path / "xor.json"
    exp = xor_experiment(epochs=1_000_000)
    exp.save(experiment)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    child = subprocess.Popen([sys.executable, "-c", CLOSE_CHILD, state, str(experiment), str(tmp_path / "served")],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = child.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
        pytest.fail(f"the window never closed ({state}):\n{out}\n{err[-2000:]}")
    ended = time.monotonic()
    marks = {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if line.startswith("CLOS")}
    assert "CLOSING" in marks, f"the window never got to {state}:\n{out}\n{err[-2000:]}"
    assert child.returncode == 0 and "CLOSED" in marks, f"exit status {child.returncode}:\n{err[-2000:]}"
    assert "Traceback" not in err, err
    shut = marks["CLOSED"] - marks["CLOSING"]
    assert shut <= CLOSE_WITHIN, f"closing while {state}: the window took {shut:.2f} s to let the event loop end"
    assert ended - marks["CLOSING"] <= CLOSE_WITHIN, \
        f"closing while {state}: the process took {ended - marks['CLOSING']:.2f} s to end"
