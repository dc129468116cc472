"""The window's handle on its engine: a small client of :mod:`playground.core.protocol`.

The engine — TensorFlow, the :class:`~playground.core.session.Session`, the run — lives in a child
process (:mod:`playground.core.server`) that :class:`EngineClient` starts when the window asks for
TensorFlow, so the window's process never imports TensorFlow and never waits for it. With
``PLAYGROUND_ENGINE=ADDRESS`` (and its token in ``PLAYGROUND_ENGINE_TOKEN``) it connects to a
running ``playground engine`` instead.

Requests go out from a sender thread, in order. A reader thread decodes what comes back: the
engine's events wait in :attr:`EngineClient.events` for the window's timer (a run sends them by the
hundred; as queued signals they would hold off every timer in the window), and the replies
(ready, error, done, fileDone, idle, stateChanged, predicted) become signals in the GUI thread,
emitted after the events that came before them are queued, so their order is kept. The Runs
panel's :class:`~playground.core.runs.RunLog` is kept here from the same stream.

Pause, resume, a step and Train change the state the window is told at once, as the session did in
the window's thread; the engine's own word on the state counts again once it has seen them.

If the engine dies (an abort, the OOM killer), the window says so in one sentence and keeps all it
shows; the next Train starts a fresh engine that continues from the last autosave
(see :mod:`playground.core.server`). Shutting down ends the engine: no engine outlives the window.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections import deque
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot

from playground.core import events as ev
from playground.core import protocol as p
from playground.core.runs import RunLog
from playground.core.spec import Experiment
from playground.errors import PlaygroundError

ENGINE_ENV, TOKEN_ENV = "PLAYGROUND_ENGINE", "PLAYGROUND_ENGINE_TOKEN"
CONNECT_S = 120.0  # the longest a fresh engine may take to listen (a busy machine)
SHUTDOWN_S = 10.0  # the longest an engine may take to end after the window lets go, before it is killed
SENTENCES = {  # the engine's words for what failed or finished (context "Worker", as the translations have them)
    "save_weights": QT_TRANSLATE_NOOP("Worker", "Exporting the weights to"),
    "save_model": QT_TRANSLATE_NOOP("Worker", "Exporting the model to"),
    "export_savedmodel": QT_TRANSLATE_NOOP("Worker", "Exporting a SavedModel to"),
    "save_history": QT_TRANSLATE_NOOP("Worker", "Exporting the training history to"),
    "load_weights": QT_TRANSLATE_NOOP("Worker", "Loading the weights from"),
    "save_run": QT_TRANSLATE_NOOP("Worker", "Saving the run to"),
    "export_code": QT_TRANSLATE_NOOP("Worker", "Exporting Python code to"),
}
_FAILURES = (QT_TRANSLATE_NOOP("Worker", "Loading TensorFlow"), QT_TRANSLATE_NOOP("Worker", "Building the model"),
             QT_TRANSLATE_NOOP("Worker", "Training"), QT_TRANSLATE_NOOP("Worker", "Resetting the weights"),
             QT_TRANSLATE_NOOP("Worker", "Predicting"), QT_TRANSLATE_NOOP("Worker", "Continuing the saved run"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("Worker", text)


class _Lost:
    """The connection ended (the reader's last word)."""

    def __init__(self, reason: str):
        self.reason = reason


class _Engine:
    """One engine connection: the child process (if this client started it), the sender and the reader."""

    def __init__(self, client: "EngineClient"):
        self.client = client
        self.process: subprocess.Popen | None = None
        self.folder = ""
        address, token = os.environ.get(ENGINE_ENV, ""), os.environ.get(TOKEN_ENV, "")
        if not address:
            self.folder = tempfile.mkdtemp(prefix="playground-engine-")
            address, token = f"unix:{self.folder}/engine.sock", secrets.token_hex(32)
            env = {**os.environ, TOKEN_ENV: token}
            env.pop(ENGINE_ENV, None)
            self.process = subprocess.Popen([sys.executable, "-m", "playground", "engine", "--listen", address],
                                            env=env, stdin=subprocess.DEVNULL)
        self.address, self.token = address, token.encode()
        self.conn = None
        self.closing = False
        self._out: deque = deque()
        self._wake = threading.Condition()
        self._sender = threading.Thread(target=self._send_loop, name="engine-client-sender", daemon=True)
        self._reader = threading.Thread(target=self._read_loop, name="engine-client-reader", daemon=True)
        self._connected = threading.Event()
        self._reader.start()
        self._sender.start()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def send(self, command) -> None:
        with self._wake:
            self._out.append(command)
            self._wake.notify()

    def _connect(self):
        deadline = time.monotonic() + CONNECT_S
        while True:
            try:
                return p.connect(self.address, self.token)
            except (FileNotFoundError, ConnectionRefusedError):
                if self.closing or time.monotonic() > deadline or (
                        self.process is not None and self.process.poll() is not None):
                    raise
                time.sleep(0.02)

    def _read_loop(self) -> None:
        try:
            self.conn = self._connect()
        except Exception as exc:  # noqa: BLE001 - whatever stopped it is said in the window
            self._connected.set()
            self.client._arrived([_Lost(f"{type(exc).__name__}: {exc}")])
            return
        self._connected.set()
        with self._wake:
            self._wake.notify()
        reason = ""
        while True:
            try:
                messages = p.receive(self.conn)
            except p.ProtocolError as exc:
                self.client._arrived([p.Error(f"The engine sent a message that was refused: {exc}")])
                continue
            except (EOFError, OSError) as exc:
                reason = str(exc)
                break
            self.client._take(messages)
        self.client._arrived([_Lost(reason)])

    def _send_loop(self) -> None:
        self._connected.wait()
        while True:
            with self._wake:
                while not self._out and not self.closing:
                    self._wake.wait()
                if not self._out and self.closing:
                    return
                items = list(self._out)
                self._out.clear()
            if self.conn is None:
                return
            try:
                self.conn.send_bytes(p.encode(*items))
            except (OSError, ValueError):
                return  # the reader says the engine is gone

    def close(self, wait: bool = True) -> None:
        """Let go of the engine; it stops its run and ends. Waits for a child (killing it past SHUTDOWN_S)."""
        self.closing = True
        with self._wake:
            self._wake.notify()
        if self._connected.wait(1.0):
            self._sender.join(1.0)  # what was asked last (a Stop, the autosave let go) goes out first
        if self.conn is not None:
            try:  # shut the socket down: the reader blocked on it wakes up, and the engine reads its end
                with socket.socket(fileno=os.dup(self.conn.fileno())) as sock:
                    sock.shutdown(socket.SHUT_RDWR)
            except (OSError, ValueError):
                pass
            try:
                self.conn.close()
            except OSError:
                pass
        if self.process is not None:
            if wait:
                try:
                    self.process.wait(SHUTDOWN_S)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            else:
                self.process.kill()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


class EngineClient(QObject):
    """The GUI thread's handle on the engine (the interface the window's old in-process trainer had)."""

    modelReady = Signal(str)  # the model for the latest experiment is there, on this device
    predicted = Signal(object)  # the result of predict()
    prepared = Signal(int, str)  # a model was built (or an edit went into the live run): generation, device
    stateChanged = Signal(str)  # the session's state: idle, preparing, running, paused, stopped
    ready = Signal()  # TensorFlow is loaded (in the engine)
    error = Signal(str)  # a sentence for a dialog
    done = Signal(str)  # a sentence for the status bar (an export finished, …)
    fileDone = Signal(str, str)  # a file operation succeeded: operation, path
    idle = Signal(str)  # a "run" or a "step" returned
    engineLost = Signal(str)  # the engine died: a sentence for the status bar
    _arrivedSignal = Signal(object)  # replies, from the reader thread, in order

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.events: deque[ev.Event] = deque()  # every engine event, in order, for the GUI thread to take
        self.runs = RunLog()  # the engine's runs, as the Runs panel shows them
        self.state = "idle"  # as the GUI thread has been told it, in order with the events
        self.tensorboard_folder = ""
        self.engine: _Engine | None = None
        self.autosave_folder = tempfile.mkdtemp(prefix=p.AUTOSAVE_PREFIX)
        self._autosaved = 0  # the epoch of the last autosave (0: none)
        self._keep_weights = False
        self._loading = False
        self._shut_down = False
        self._seq = 0  # commands sent
        self._local_seq = 0  # the command after which the state was set here
        self._generation = 0
        self._built = -1
        self._has_model = False
        self._last_edit: tuple[Experiment, object] | None = None
        self._datasets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # data set -> key
        self._keys = 0
        self._run_owners: dict[int, object] = {}  # the engine's run number -> this log's owner token
        self._edited: Experiment | None = None
        self._arrivedSignal.connect(self._on_arrived)

    # -- what the window reads ------------------------------------------------------------------
    @property
    def live(self) -> bool:
        """A run was asked for and has not returned yet."""
        return self.state in ("running", "paused")

    @property
    def paused(self) -> bool:
        return self.state == "paused"

    @property
    def model_current(self) -> bool:
        """Whether the engine's model is there for the latest experiment sent."""
        return self._built == self._generation

    @property
    def pid(self) -> int | None:
        """The engine process's id, where this client started it."""
        return None if self.engine is None else self.engine.pid

    @property
    def keep_matching_weights(self) -> bool:
        return self._keep_weights

    @keep_matching_weights.setter
    def keep_matching_weights(self, on: bool) -> None:
        self._keep_weights = bool(on)
        self._send(p.KeepWeights(self._keep_weights))

    # -- reader thread --------------------------------------------------------------------------
    def _take(self, messages: list) -> None:
        replies = []
        for m in messages:
            if isinstance(m, ev.Event):
                if isinstance(m, ev.Edited) and self._edited is not None:
                    self.runs.observe(m, self._edited)
                else:
                    self.runs.observe(m, None)
                self.events.append(m)
            elif isinstance(m, p.RunSwitched):
                owner = self._run_owners.setdefault(m.number, _RunOwner(m.number))
                self.runs.switch(owner, m.experiment)
            elif isinstance(m, p.RunEdited):
                self._edited = m.experiment
            else:
                replies.append(m)
        if replies:
            self._arrived(replies)

    def _arrived(self, replies: list) -> None:
        if self._shut_down:
            return
        try:
            self._arrivedSignal.emit(replies)
        except RuntimeError:  # the window was deleted while the reader was reading
            pass

    # -- GUI thread -----------------------------------------------------------------------------
    @Slot(object)
    def _on_arrived(self, replies: list) -> None:
        for m in replies:
            if isinstance(m, p.StateChanged):
                if m.seq >= self._local_seq:
                    self._set_state(m.state)
            elif isinstance(m, p.Prepared):
                self._built = m.generation
                self._has_model = True
                self.prepared.emit(m.generation, m.device)
                if self.model_current:
                    self.modelReady.emit(m.device)
            elif isinstance(m, p.Ready):
                self.ready.emit()
            elif isinstance(m, p.Idle):
                self.idle.emit(m.kind)
            elif isinstance(m, p.Error):
                self.error.emit(_tr("{0} failed: {1}: {2}").format(_tr(m.what), m.kind, m.text) if m.what else m.text)
            elif isinstance(m, p.FileDone):
                self.fileDone.emit(m.operation, m.path)
                self.done.emit(_tr("{0} {1}: done.").format(_tr(SENTENCES[m.operation]), m.path))
            elif isinstance(m, p.Predicted):
                self.predicted.emit(m.output)
            elif isinstance(m, p.Autosaved):
                self._autosaved = m.epoch
            elif isinstance(m, _Lost):
                self._lost(m.reason)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def _set_local(self, state: str) -> None:
        """A state the session takes at once on this command (sent next)."""
        self._local_seq = self._seq + 1
        self._set_state(state)

    def _send(self, command) -> None:
        if self.engine is None:
            return
        self._seq += 1
        self.engine.send(command)

    def _dataset_key(self, dataset) -> int:
        key = self._datasets.get(dataset)
        if key is None:
            self._keys += 1
            key = self._datasets[dataset] = self._keys
            self._send(p.DatasetData(key, dataset))
            engine = self.engine
            weakref.finalize(dataset, lambda: engine is self.engine and not self._shut_down
                             and self._send(p.ForgetDataset(key)))
        return key

    def _lost(self, reason: str) -> None:
        engine, self.engine = self.engine, None
        if engine is None or engine.closing or self._shut_down:
            return
        engine.close(wait=False)
        self._datasets = weakref.WeakKeyDictionary()
        self._built = -1
        self._has_model = False
        self._set_state("stopped" if self._autosaved else "idle")
        sentence = (self.tr("The training engine stopped unexpectedly; Train starts a fresh one that continues "
                            "from epoch {0}.").format(self._autosaved) if self._autosaved else
                    self.tr("The training engine stopped unexpectedly; Train starts a fresh one."))
        self.engineLost.emit(sentence)
        self.error.emit(sentence)

    def _start(self) -> None:
        self.engine = _Engine(self)
        self._seq = self._local_seq = 0
        self._send(p.Autosave(self._autosave_name()))
        if self._keep_weights:
            self._send(p.KeepWeights(True))
        if self.tensorboard_folder:
            self._send(p.TensorBoard(self.tensorboard_folder))

    def _autosave_name(self) -> str:
        """The autosave folder as the engine names it: this path for the engine this window started;
        for one elsewhere (``PLAYGROUND_ENGINE``), whose machine does not have this window's paths, its
        name alone: a folder in that machine's temporary folder (see ``server.engine_folder``)."""
        if self.engine is not None and self.engine.process is None:
            return Path(self.autosave_folder).name
        return self.autosave_folder

    def _revive(self) -> bool:
        """After the engine died, before a command that needs a model: a fresh engine with the last
        experiment, from the autosave if there is one, and the window's experiment applied to it as an
        edit to a live model (an edit made after the autosave, before or after the crash). False where
        there is nothing to revive (no engine yet, or shut down)."""
        if self.engine is not None or not self._loading or self._shut_down:
            return False
        self._start()
        if self._last_edit is not None:
            experiment, dataset = self._last_edit
            key = self._dataset_key(dataset)
            self._generation += 1
            # The engine checks the autosave where it keeps it (a remote one: on its own machine); where
            # it is gone, the Edit that follows builds the model afresh. Both in one generation: one
            # model change, and the Restore is not skipped as stale.
            if self._autosaved:
                self._send(p.Restore(self._autosave_name(), self._generation, key))
            self._send(p.Edit(self._generation, experiment, key))
        return True

    def load_tensorflow(self) -> None:
        """Start the engine (once); it emits ``ready`` when TensorFlow is loaded."""
        if not self._loading and not self._shut_down:
            self._loading = True
            self._start()

    def edit(self, experiment: Experiment, dataset) -> None:
        """Make (a copy of) ``experiment`` the session's: the engine puts an edit the live run can take into
        it, and builds a new model for anything else (stopping the run first)."""
        experiment = experiment.model_copy(deep=True)
        self._last_edit = (experiment, dataset)
        if self.engine is None:
            return
        key = self._dataset_key(dataset)
        self._generation += 1
        self._send(p.Edit(self._generation, experiment, key))

    def discard(self) -> None:
        self._generation += 1
        self._has_model = False
        self._last_edit = None
        self._send(p.Discard(self._generation))

    def run(self, epochs: int) -> None:
        """Start a run to ``epochs``, or resume a paused one (with a fresh engine, if the last one died)."""
        if self.live:
            self.resume()
            return
        self._revive()
        self._set_local("running")
        self._send(p.Run(epochs))

    def pause(self) -> None:
        if self.live:
            self._set_local("paused")
        self._send(p.Pause())

    def resume(self) -> None:
        if self.live:
            self._set_local("running")
        self._send(p.Resume())

    def stop(self) -> None:
        self._send(p.Stop())

    def step(self, kind: str) -> None:
        """One epoch or batch ("epoch"/"batch"): into the live run, which pauses, else on its own."""
        if self.live:
            self._set_local("paused")
        else:
            self._revive()
        self._send(p.Step(kind))

    def reset(self) -> None:
        """Stop any run, then draw new initial weights (after the engine died: not from its autosave)."""
        if self.engine is None:
            self._autosaved = 0
            self._revive()
        self._send(p.Reset())

    def file_operation(self, operation: str, path: str) -> None:
        """An export or load on the model (after the engine died: the autosaved one, in a fresh
        engine); ``done`` or ``error`` follows."""
        self._revive()
        self._send(p.FileOperation(operation, str(path)))

    def continue_run(self, folder: str, experiment: Experiment, dataset) -> None:
        """Make the saved run in ``folder`` the current model (its weights, optimizer state and history;
        ``experiment`` is its, as the window has it): a live run stops, and Train goes on from the saved
        run's last epoch. The engine checks the folder; where it refuses it (``error`` says why), the
        model is the one the window's last edit asked for."""
        self._last_edit = (experiment.model_copy(deep=True), dataset)
        if self.engine is None and not self._revive():  # a fresh one: what it restores first, this Restore replaces
            return
        self._generation += 1
        self._send(p.Restore(os.path.abspath(folder), self._generation, self._dataset_key(dataset)))

    def save_run(self, number: int, path: str) -> None:
        """Save run ``number`` (of :attr:`runs`) as a run folder; ``done`` or ``error`` follows."""
        engine_number = next((n for n, owner in self._run_owners.items() if self.runs.number_of(owner) == number), 0)
        self._send(p.SaveRun(engine_number, str(path)))

    def export_code(self, experiment: Experiment, dataset, path: str, style: str, epochs: int = 0) -> None:
        """The experiment as a Python file (built by Keras in the engine) that trains ``epochs`` epochs
        (0: the experiment's target); ``done`` or ``error`` follows."""
        if self.engine is None and not self._revive():
            raise PlaygroundError("The training engine is not running yet; try again once TensorFlow is ready.")
        if dataset is None:
            raise PlaygroundError("The data set could not be loaded, so there is no code to write.")
        self._send(p.ExportCode(experiment.model_copy(deep=True), self._dataset_key(dataset), str(path), style,
                                int(epochs)))

    def predict(self, x: np.ndarray) -> None:
        self._send(p.Predict(np.array(x, np.float32)))

    def set_weight(self, layer: str, i: int, j: int, value: float) -> bool:
        """Set ``kernel[i, j]`` of ``layer`` in the model (into a paused run between chunks); False if
        there is no model."""
        if not self._has_model or self.engine is None:
            return False
        self._send(p.SetWeight(layer, i, j, value))
        return True

    def log_to_tensorboard(self, folder: str) -> None:
        """Log every run into ``folder`` ("" stops); raises PlaygroundError for a folder that cannot be used."""
        if folder:
            from playground.core.tensorboard import check_logdir

            check_logdir(folder)
        self.tensorboard_folder = folder
        self._send(p.TensorBoard(folder))

    def shutdown(self) -> None:
        """Stop any run and end the engine (waiting briefly, then killing it). Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.send(p.Stop())
            engine.send(p.Autosave(""))  # an engine elsewhere removes the one it kept for this window
            engine.close()
        shutil.rmtree(self.autosave_folder, ignore_errors=True)


class _RunOwner:
    """Stands for the engine's model of one run in this side's run log."""

    def __init__(self, number: int):
        self.number = number
