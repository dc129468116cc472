"""The engine in its own process (playground.core.server, playground.ui.client): the window's process
never loads TensorFlow, a killed engine leaves the window whole and Train continues from the
autosave, closing the window ends its engine, and the engine refuses what is not its protocol."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from multiprocessing import AuthenticationError
from pathlib import Path

import numpy as np
import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox

from playground.core import protocol as p
from playground.ui.client import ENGINE_ENV, TOKEN_ENV
from playground.ui.runs_panel import EPOCHS, NAME
from tests.processes import alive

WINDOW_SCRIPT = textwrap.dedent("""
    import json, sys, time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from playground import plots
    from playground.ui import MainWindow
    plots.configure()
    window = MainWindow()
    window.show()
    def wait(condition, seconds):
        end = time.monotonic() + seconds
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)
        return condition()
    ready = wait(lambda: window.tensorflow_ready and window.trainer.model_current, 120)
    window.trainer.run(20)
    trained = wait(lambda: len(window.curves.series("loss", "train")[1]) == 20 and not window.trainer.live, 120)
    print(json.dumps({"ready": ready, "trained": trained, "tensorflow": "tensorflow" in sys.modules,
                      "keras": "keras" in sys.modules}))
    window.close()
""")


@pytest.mark.timeout(300)
def test_the_windows_process_never_imports_tensorflow(engine_server):
    done = subprocess.run([sys.executable, "-c", WINDOW_SCRIPT], capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ready"] and result["trained"], "the window in its own process did not train"
    assert not result["tensorflow"] and not result["keras"], "the window's process imported TensorFlow"


@pytest.fixture
def own_engine(monkeypatch):
    """Windows made in this test start an engine process of their own."""
    monkeypatch.delenv(ENGINE_ENV, raising=False)
    monkeypatch.delenv(TOKEN_ENV, raising=False)


@pytest.mark.timeout(300)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_engine_runs_below_the_window_and_closing_the_window_leaves_no_engine_process(own_engine, make_window):
    from playground.core.device import ENGINE_NICE

    window = make_window()
    pid = window.trainer.pid
    assert pid is not None and alive(pid)
    assert os.getpriority(os.PRIO_PROCESS, pid) == max(ENGINE_NICE, os.getpriority(os.PRIO_PROCESS, 0)) > 0, \
        "the engine does not run below the window, which then waits behind training"
    window.close()
    assert not alive(pid), "the engine process outlived its window"


@pytest.mark.timeout(400)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_engine_leaves_the_window_whole_and_train_continues_from_the_autosave(own_engine, make_window,
                                                                                      driver, qtbot):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 1_000_000)
    driver.click(window, "trainButton")
    driver.wait_until(lambda: driver.epoch(window) >= 10, "training", 60_000)
    driver.click(window, "trainButton")  # pause: the engine autosaves
    driver.wait_until(lambda: window.statusBar().currentMessage().startswith("Paused at epoch"), "the pause")
    (saved,) = driver.status(window, r"Paused at epoch (\d+)\.")
    driver.wait_until(lambda: window.trainer._autosaved == saved, "the autosave at the pause", 30_000)
    driver.click(window, "trainButton")  # resume, then the engine dies mid-run
    driver.wait_until(lambda: driver.epoch(window) > saved + 5, "training on")
    pid = window.trainer.pid
    os.kill(pid, signal.SIGKILL)
    driver.wait_until(lambda: any("stopped unexpectedly" in w for w in window.dialogs.warnings), "the sentence")
    assert len(window.dialogs.warnings) == 1
    assert not window.trainer.live and driver.button(window, "trainButton").text() == "Train"
    shown = window.curves.series("loss", "train")[1]
    assert len(shown) > saved + 5, "the curves were cleared when the engine died"
    assert window.runs_panel.table.rowCount() == 1, "the Runs table lost the run"

    driver.type_into(window.findChild(QDoubleSpinBox, "learningRateSpin"), "0.03")  # with no engine
    driver.click(window, "trainButton")  # a fresh engine, from the autosave, the edit applied
    driver.wait_until(lambda: (saved, "lr 0.01 → 0.03") in window.curves.markers(),
                      "the edit made after the crash, applied at the autosaved epoch", 120_000)
    driver.wait_until(lambda: window.trainer.live and driver.epoch(window) > saved + 3,
                      "Train after the crash trains again", 60_000)
    assert window.trainer.pid != pid and not alive(pid)
    after = window.curves.series("loss", "train")[1]
    np.testing.assert_array_equal(after[:saved], shown[:saved],
                                  err_msg="the fresh engine did not continue from the autosaved history")
    assert not np.array_equal(after[saved:saved + 3], shown[saved:saved + 3]), \
        "the epochs after the autosave trained as before, not with the edited learning rate"
    driver.click(window, "stopButton")
    driver.wait_idle(window)


def _kill_engine(window, driver) -> int:
    pid = window.trainer.pid
    os.kill(pid, signal.SIGKILL)
    driver.wait_until(lambda: any("stopped unexpectedly" in w for w in window.dialogs.warnings), "the sentence")
    window.dialogs.warnings.clear()
    return pid


@pytest.mark.timeout(300)
def test_an_engine_elsewhere_keeps_the_autosave_on_its_machine_and_the_window_that_lost_it_goes_on_from_there(
        make_window, driver, engine_server):
    """The shared engine stands for one on another machine (``PLAYGROUND_ENGINE``, with a temporary
    folder of its own): the window's paths mean nothing there."""
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 12)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    mine = Path(window.trainer.autosave_folder)
    there = engine_server.tmpdir / mine.name / "model.keras"
    driver.wait_until(there.exists, "the autosave in the engine's own temporary folder", 30_000)
    assert not any(mine.iterdir()), "the engine wrote its autosave at the window's path"
    curves = window.curves.series("loss", "train")[1]

    conn = window.trainer.engine.conn  # the connection breaks, as a network's may
    socket.socket(fileno=os.dup(conn.fileno())).shutdown(socket.SHUT_RDWR)
    driver.wait_until(lambda: any("continues from epoch 12" in w for w in window.dialogs.warnings),
                      "the sentence saying where Train goes on from")
    window.dialogs.warnings.clear()
    driver.type_into(driver.spin(window, "epochsSpin"), 20)
    driver.type_into(window.findChild(QDoubleSpinBox, "learningRateSpin"), "0.03")  # a model from scratch differs
    driver.click(window, "trainButton")  # a fresh session there, from the autosave there, the edit applied
    driver.wait_idle(window)
    after = window.curves.series("loss", "train")[1]
    assert len(after) == 20 and driver.epoch(window) == 20 and not window.dialogs.warnings
    np.testing.assert_array_equal(after[:12], curves, err_msg="Train did not go on from the engine's autosave")
    assert (12, "lr 0.01 → 0.03, epochs 12 → 20") in window.curves.markers()
    window.close()  # the engine removes the autosave it kept for this window
    driver.wait_until(lambda: not there.parent.exists(), "the engine's autosave folder removed", 30_000)


@pytest.mark.timeout(400)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_after_the_engine_died_an_export_is_the_autosaved_model_and_reset_draws_new_weights(own_engine, make_window,
                                                                                          driver, tmp_path):
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 12)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    driver.wait_until(lambda: window.trainer._autosaved == 12, "the autosave at the end of the run", 30_000)
    trained = driver.export_model(window, tmp_path / "trained.keras", 120_000).get_weights()
    curves = window.curves.series("loss", "train")[1]

    dead = _kill_engine(window, driver)
    exported = driver.export_model(window, tmp_path / "after.keras", 120_000).get_weights()  # a fresh engine exports
    assert window.trainer.pid not in (None, dead) and not window.dialogs.warnings
    for was, now in zip(trained, exported, strict=True):
        np.testing.assert_array_equal(now, was, err_msg="the export after the crash is not the autosaved model")
    assert driver.epoch(window) == 12
    np.testing.assert_array_equal(window.curves.series("loss", "train")[1], curves)

    dead = _kill_engine(window, driver)
    driver.click(window, "resetButton")  # with no engine: new weights, not the autosave's
    driver.wait_until(lambda: window.trainer.pid not in (None, dead) and window.trainer.model_current
                      and driver.epoch(window) == 0 and len(window.curves.series("loss", "train")[1]) == 0,
                      "a fresh engine with new weights, the curves cleared", 120_000)
    drawn = driver.export_model(window, tmp_path / "reset.keras", 120_000).get_weights()
    assert not any(np.array_equal(a, b) for a, b in zip(drawn, trained) if a.size > 1), \
        "the reset after the crash brought back the autosaved weights"
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    again = window.curves.series("loss", "train")[1]
    assert len(again) == 12 and not np.array_equal(again, curves), "Train after the reset did not start over"


@pytest.mark.timeout(300)
def test_the_engine_refuses_hostile_messages_and_wrong_tokens_and_serves_on(engine_server):
    address, token = os.environ[ENGINE_ENV], os.environ[TOKEN_ENV].encode()
    with pytest.raises(AuthenticationError):
        p.connect(address, b"not the token, not at all")
    conn = p.connect(address, token)
    try:
        deadline = time.monotonic() + 240
        while not any(isinstance(m, p.Ready) for m in p.receive(conn)):
            assert time.monotonic() < deadline
        hostile = [b"junk", p.encode(p.Run(5))[:-2], json.dumps({"type": "Run"}).encode(),
                   p.encode(p.Pause()).replace(b'"Pause"', b'"Evil!"'),
                   p.encode(p.Run(5)).replace(b'"epochs":5', b'"epochs":"5"')]
        for frame in hostile:
            conn.send_bytes(frame)
        errors = []
        while len(errors) < len(hostile):
            errors += [m.text for m in p.receive(conn) if isinstance(m, p.Error)]
        assert all(e.startswith("The engine refused a message: ") and e.endswith(".") for e in errors), errors
        p.send(conn, p.Pause())  # the first command it carries out: nothing before it ran
        while True:
            states = [m for m in p.receive(conn) if isinstance(m, p.StateChanged)]
            if states:
                break
        assert states[0] == p.StateChanged("idle", 1), "a refused message was carried out"
    finally:
        conn.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("many", [True, False], ids=["many clients", "one window"])
def test_a_side_that_connects_and_says_nothing_holds_up_no_one(tmp_path, monkeypatch, many):
    """It is let go after the handshake's time; meanwhile a window with the token is served at once."""
    import socket

    from playground.core import server

    monkeypatch.setattr(p, "HANDSHAKE_S", 1.0)
    monkeypatch.setattr(server.Server, "_load", lambda self, verbose: self.device.append("CPU"))  # no TensorFlow
    address, token = f"unix:{tmp_path}/e.sock", b"a token of sixteen or more"
    gate = p.listen(address, token)
    engine = server.Server(gate, many=many)
    threading.Thread(target=engine.serve, daemon=True).start()
    silent = socket.socket(socket.AF_UNIX)
    silent.connect(f"{tmp_path}/e.sock")
    try:
        t0 = time.monotonic()
        conn = p.connect(address, token)
        assert time.monotonic() - t0 < 0.5, "the silent side held up the window's handshake"
        assert p.Ready("CPU") in p.receive(conn)
        silent.settimeout(5)
        assert b"#CHALLENGE#" in silent.recv(4096)  # what the gate asked it ...
        assert silent.recv(4096) == b"", "the silent side was not let go"  # ... and then it closed
        conn.close()
    finally:
        silent.close()
        gate.close()


def test_the_engine_command_needs_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    done = subprocess.run([sys.executable, "-m", "playground", "engine", "--listen", f"unix:{tmp_path}/e.sock"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2 and "needs a token" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.timeout(300)
def test_an_undo_of_a_model_change_while_training_carries_on_the_model_that_ran(engine_server):
    """Units changed while training, then Undo at once (both edits reach the engine, in one frame,
    before the run has stopped for the first): the run that was training carries on with its model. The change that was
    undone never builds a model, and Stop leaves the trained model, not a fresh one at epoch 0."""
    from playground.core.session import NewModel
    from playground.data import load_dataset
    from tests.core.experiments import xor_experiment

    address, token = os.environ[ENGINE_ENV], os.environ[TOKEN_ENV].encode()
    ran = xor_experiment(1_000_000)
    changed = ran.model_copy(deep=True)
    changed.model.layers[0].units = 3
    deadline = time.monotonic() + 120
    while True:  # the shared engine may still be starting
        try:
            conn = p.connect(address, token)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            assert time.monotonic() < deadline, "the engine never listened"
            time.sleep(0.2)
    seen = []
    SNAPS = (p.ev.Metrics, p.ev.Progress, p.ev.Weights, p.ev.Boundary, p.ev.WeightHistory)

    def until(condition, what, seconds=120):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, \
                f"waited for {what}; the engine said {[type(m).__name__ for m in seen if not isinstance(m, SNAPS)]}"
            if conn.poll(0.2):
                seen.extend(m for m in p.receive(conn) if not isinstance(m, (p.Predicted,)))

    def epoch():
        return max((m.epoch for m in seen if isinstance(m, p.ev.Metrics)), default=0)

    try:
        until(lambda: any(isinstance(m, p.Ready) for m in seen), "TensorFlow")
        p.send(conn, p.DatasetData(1, load_dataset(**ran.dataset.model_dump())))
        p.send(conn, p.Edit(1, ran, 1))
        p.send(conn, p.Run(1_000_000))
        until(lambda: epoch() >= 20, "20 epochs")
        at = len(seen)
        p.send(conn, p.Edit(2, changed, 1), p.Edit(3, ran, 1))  # a change and its Undo, in one frame
        until(lambda: any(isinstance(m, p.Prepared) and m.generation == 3 for m in seen[at:]), "the Undo's model")
        undone_at = epoch()
        until(lambda: any(isinstance(m, p.ev.Started) for m in seen[at:]) and epoch() > undone_at + 20,
              "the run to carry on")
        p.send(conn, p.Stop())
        until(lambda: any(isinstance(m, p.Idle) for m in seen[at:])
              and any(isinstance(m, p.StateChanged) and m.state == "stopped" for m in seen[at:]), "the stop")
        end = time.monotonic() + 1.0  # anything still queued for the training thread comes now
        until(lambda: time.monotonic() > end, "a second")
        after = seen[at:]
        assert not any(isinstance(m, NewModel) for m in after), \
            f"a model was built for the undone change: {[type(m).__name__ for m in after if not isinstance(m, p.ev.Metrics)]}"
        assert not any(isinstance(m, p.Prepared) and m.generation == 2 for m in after)
        last = [m for m in after if isinstance(m, p.StateChanged)][-1]
        assert last.state == "stopped", f"the session is {last.state} after Stop"
        finished = [m for m in after if isinstance(m, p.ev.Finished)]
        assert finished[-1].reason == "stopped" and finished[-1].epoch > 20

        # A change, then Stop before its model has carried the run on: it is built, and nothing trains.
        p.send(conn, p.Run(1_000_000))
        until(lambda: epoch() > finished[-1].epoch + 20, "the run again")
        at = len(seen)
        p.send(conn, p.Edit(4, changed, 1), p.Stop())
        until(lambda: any(isinstance(m, p.Prepared) and m.generation == 4 for m in seen[at:]), "the new model")
        end = time.monotonic() + 1.0
        until(lambda: time.monotonic() > end, "a second")
        after = [type(m).__name__ for m in seen[at:] if not isinstance(m, SNAPS)]
        assert "Started" not in after[after.index("NewModel"):], f"the run carried on after Stop: {after}"
    finally:
        conn.close()


@pytest.mark.timeout(400)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_saved_run_continued_after_the_engine_died_is_the_one_a_fresh_engine_restores(own_engine, make_window,
                                                                                         driver, qtbot, tmp_path):
    """Not the autosave (the model the dead engine had), but the saved run double-clicked."""
    window = make_window()
    driver.type_into(driver.spin(window, "epochsSpin"), 8)
    driver.click(window, "trainButton")
    driver.wait_idle(window)
    folder = tmp_path / "eight"
    window.runs_panel.table.selectRow(0)
    window.dialogs.paths = [str(folder)]
    driver.click(window, "saveRunButton")
    driver.wait_until(lambda: (folder / "run.json").is_file(), "Save Run")
    driver.click(window, "trainButton")  # to epoch 16: the autosave holds 16 epochs
    driver.wait_idle(window)
    driver.wait_until(lambda: window.trainer._autosaved == 16, "the autosave at the end of the run", 30_000)
    pid = window.trainer.pid
    os.kill(pid, signal.SIGKILL)
    driver.wait_until(lambda: any("stopped unexpectedly" in w for w in window.dialogs.warnings), "the sentence")
    window.dialogs.paths = [str(folder / "experiment.json")]
    driver.click(window, "openRunButton")
    table = window.runs_panel.table
    row = next(i for i in range(table.rowCount()) if table.item(i, NAME).text() == "eight")
    window.docks["runs"].raise_()
    qtbot.waitUntil(table.isVisible)
    centre = table.visualItemRect(table.item(row, EPOCHS)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    # (the reply that the model is there can come a frame before the history sent ahead of it is drawn)
    driver.wait_until(lambda: window.trainer.pid not in (None, pid) and window.trainer.model_current
                      and driver.epoch(window) == 8 and len(window.curves.series("loss", "train")[1]) == 8,
                      "a fresh engine with the saved run, its 8 epochs drawn", 120_000)
    assert window.dialogs.warnings[1:] == []
