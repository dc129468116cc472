"""The engine process: TensorFlow, a :class:`~playground.core.session.Session` and the run, served to
one window at a time over :mod:`playground.core.protocol`.

``python main.py engine --listen ADDRESS`` (the app starts it with a private Unix socket and a
random token) loads TensorFlow, then serves the client that connects: the main thread receives
commands; everything that touches Keras runs in one training thread, in the order it was asked
for; controls (pause, resume, stop, a step or an edit into the live run) set the session's flags at
once, as they did in the window's process. The session's events, state and replies go back in
order from a sender thread that sends whatever has queued as one frame, so a slow window never
holds up training: while a frame is on its way, snapshots (progress, weights, boundary,
predictions) that a newer one of the same kind replaces are dropped; figures (metrics, weight
histories, edits, the end of a run) never are.

When the client goes, the run stops and the process ends — or, with ``--many``, its session is
dropped while other clients are served on, each with a fresh session of its own (the test suite
shares one engine this way). On Linux
the engine also dies with the process that started it (``PR_SET_PDEATHSIG``).

The autosave: with a folder set by the window (:class:`~playground.core.protocol.Autosave`), the
current model — weights, optimizer state, history, experiment (:func:`playground.core.export.write_run`)
— is written there at every pause and end of a run and at least every ``AUTOSAVE_S`` seconds of
training, so a window whose engine died starts a fresh one that continues from it
(:class:`~playground.core.protocol.Restore`). A window on another machine names the folder by a
name alone: it is then a folder of that name in this machine's temporary folder (:func:`engine_folder`),
removed when that window goes after saying it needs it no more (``Autosave("")``, as it closes).
"""
from __future__ import annotations

import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
import weakref
from collections import deque
from functools import partial
from multiprocessing import AuthenticationError
from pathlib import Path

import numpy as np

from playground.core import events as ev
from playground.core import protocol as p
from playground.core.runs import RunLog
from playground.core.session import NO_MODEL, NewModel, Session
from playground.errors import PlaygroundError
from playground.files import FolderLock

AUTOSAVE_S = 30.0  # seconds of training between autosaves, at most
SNAPSHOTS = (ev.Progress, ev.Weights, ev.Boundary, ev.Predictions)  # a newer one replaces an older one
BARRIERS = (NewModel, ev.Started, ev.Paused, ev.Finished, ev.Diverged, ev.Failed, p.Prepared, p.StateChanged,
            p.Idle, p.FileDone)  # a snapshot before one of these is not replaced by one after it
FILE_OPERATIONS = ("save_weights", "save_model", "export_savedmodel", "save_history", "load_weights")
TOKEN_ENV = "PLAYGROUND_ENGINE_TOKEN"
BACKLOG = 256  # messages waiting for a slow window before replaced snapshots are dropped


def die_with_parent() -> None:
    """Linux: the kernel sends this process SIGKILL when the process that started it ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent ended before the call
        os._exit(1)


def coalesce(items: list) -> list:
    """``items`` without the snapshots that a later one of the same kind replaces (no barrier between).
    A snapshot of the model is its ``Weights`` and then its map (``Boundary`` or ``Predictions``,
    see ``snapshots.views``), replaced only whole, by a later whole one: every view then shows
    one epoch. (Replaced kind by kind, a frame cut between a newer snapshot's weights and its map
    kept the older map without its weights, and the window drew the map and the weights of two
    epochs.)"""
    latest: dict[type, tuple[int, ...]] = {}
    drop: set[int] = set()
    weights: int | None = None  # the newest Weights whose map has not come (yet)

    def replace(kind: type, indices: tuple[int, ...]) -> None:
        drop.update(latest.get(kind, ()))
        latest[kind] = indices

    for i, item in enumerate(items):
        if isinstance(item, BARRIERS):
            latest.clear()
            weights = None
        elif isinstance(item, ev.Weights):
            if weights is not None:  # the one before had no map: a snapshot of weights alone, whole
                replace(ev.Weights, (weights,))
            weights = i
        elif isinstance(item, (ev.Boundary, ev.Predictions)):
            replace(ev.Weights, (i,) if weights is None else (weights, i))
            weights = None
        elif isinstance(item, SNAPSHOTS):
            replace(type(item), (i,))
    return [item for i, item in enumerate(items) if i not in drop] if drop else items


def engine_folder(folder: str) -> str:
    """A folder the window names, on this machine: a path as it is; a name alone (a window on another
    machine, whose paths mean nothing here) an autosave folder of that name in this machine's
    temporary folder. Only a name an autosave folder has is taken: the engine removes that folder
    when the window goes, and must remove nothing else."""
    if not folder or os.path.isabs(folder):
        return folder
    if not folder.startswith(p.AUTOSAVE_PREFIX) or "/" in folder or "\\" in folder or ".." in folder:
        raise p.ProtocolError(f"{folder!r} is neither a path nor the name of an autosave folder.")
    return os.path.join(tempfile.gettempdir(), folder)


class Sender:
    """Sends queued messages in order, each time all that queued as one frame (its own thread)."""

    def __init__(self, conn):
        self.conn = conn
        self._items: deque = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._bound = BACKLOG
        self.broken = False
        self._thread = threading.Thread(target=self._loop, name="engine-sender", daemon=True)
        self._thread.start()

    def put(self, item) -> None:
        with self._ready:
            self._items.append(item)
            if len(self._items) > self._bound:  # a slow window: drop replaced snapshots now, not at the send
                self._items = deque(coalesce(list(self._items)))
                self._bound = max(BACKLOG, 2 * len(self._items))
            self._ready.notify()

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued, then stop."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._items and not self._closed:
                    self._ready.wait()
                if not self._items:
                    return
                items = list(self._items)
                self._items.clear()
            if self.broken:
                continue
            try:
                self.conn.send_bytes(p.encode(*coalesce(items)))
            except (OSError, ValueError):
                self.broken = True  # the window is gone; the receiving loop sees it too


class _AnnouncedRuns(RunLog):
    """The session's run log, which also tells the window what it cannot see from the events alone:
    which run is current (by the engine's number) and a run's settings after a live edit."""

    def __init__(self, announce):
        super().__init__()
        self._announce = announce

    def switch(self, owner, experiment, fresh: bool = False) -> int:
        number = super().switch(owner, experiment, fresh)
        self._announce(p.RunSwitched(number, experiment))
        return number

    def observe(self, event: ev.Event, experiment) -> None:
        if isinstance(event, ev.Edited):
            self._announce(p.RunEdited(experiment))
        super().observe(event, experiment)


class Trainer:
    """The one thread that touches Keras: runs jobs in order, across clients. When it has nothing
    left to do, the session of the last job makes the models its next edit likely asks for
    (``Session.look_ahead``); a job queued holds every session's making at once."""

    def __init__(self):
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.sessions: weakref.WeakSet = weakref.WeakSet()  # whose models made ahead a job holds
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="training", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            job, session = self.jobs.get()
            job()
            with self._lock:
                if session is not None and self.jobs.empty():
                    try:
                        session.look_ahead()
                    except Exception as exc:  # noqa: BLE001 - only a head start lost; the thread lives on
                        print(f"playground engine: could not look ahead: {exc}", file=sys.stderr)

    def call(self, job, session=None) -> None:
        """Queue ``job``; once it has run with nothing after it, ``session`` looks ahead."""
        with self._lock:
            for waiting in list(self.sessions):
                waiting.hold()
            self.jobs.put((job, session))

    def drain(self) -> None:
        """Wait until every job queued so far has run."""
        done = threading.Event()
        self.call(done.set)
        done.wait()


class Connection:
    """One client: its session, data sets, sender and the state of its requests."""

    def __init__(self, conn, trainer: Trainer, device: list):
        self.conn = conn
        self.trainer = trainer
        self.device = device  # [str] once TensorFlow is loaded
        self.sender = Sender(conn)
        self.seq = 0  # commands received
        self.latest = 0  # the newest edit generation asked for
        self.carry_on = False  # an edit stopped a running run: the new model trains on
        self._queued = self._taken = 0  # model changes queued for the training thread, and taken up there
        self.datasets: dict[int, object] = {}
        self.logger = None
        self.autosave_folder = ""
        self._kept_here = ""  # an autosave folder this engine keeps for a window elsewhere (named by name)
        self._saved_at = 0.0  # when the autosave was last written (monotonic)
        self._saved_epoch = -1
        self._lock = threading.Lock()
        self.session = Session(self._listen, self._state)
        self.session.runs = _AnnouncedRuns(self.sender.put)
        trainer.sessions.add(self.session)
        self.closed = False

    # -- engine thread --------------------------------------------------------------------------
    def _listen(self, event: ev.Event) -> None:
        self.sender.put(event)
        logger = self.logger
        if logger is not None:
            logger(event)
        if isinstance(event, (ev.Paused, ev.Finished)) or (
                isinstance(event, ev.Metrics) and time.monotonic() - self._saved_at >= AUTOSAVE_S):
            self._autosave()

    def _state(self, state: str) -> None:
        self.sender.put(p.StateChanged(state, self.seq))

    def _autosave(self) -> None:
        """The current model into the autosave folder (atomically, replacing the last one)."""
        engine, folder = self.session.engine, self.autosave_folder
        self._saved_at = time.monotonic()
        if not folder or engine is None or engine.model is None or not engine.epoch:
            return
        if (id(engine), engine.epoch) == self._saved_epoch:
            return
        from playground.core.export import write_run

        try:
            write_run(Path(folder), engine, engine.experiment, engine.dataset)
        except Exception as exc:  # noqa: BLE001 - an autosave that fails must not stop the run
            self.sender.put(p.Error(f"The autosave failed: {exc}", "", ""))
            return
        self._saved_epoch = (id(engine), engine.epoch)
        self.sender.put(p.Autosaved(engine.epoch))

    def _guard(self, what: str, fn, *args) -> bool:
        try:
            fn(*args)
        except PlaygroundError as exc:
            self.sender.put(p.Error(str(exc), "", ""))
        except Exception as exc:  # noqa: BLE001 - the engine must survive and the user must know
            self.sender.put(p.Error(str(exc), what, type(exc).__name__))
        else:
            return True
        return False

    def _model(self):
        engine = self.session.engine
        if engine is None or engine.model is None:
            raise PlaygroundError(NO_MODEL)
        return engine.model

    def _edit(self, generation: int, experiment, dataset) -> None:
        if generation < self.latest or self.closed:
            return
        if self._guard("Building the model", self.session.edit, experiment, dataset):
            with self._lock:  # read now: a Stop asked for since the edit came cancels the carrying on
                carry_on = self.carry_on and generation == self.latest
                if generation == self.latest:
                    self.carry_on = False
            self.sender.put(p.Prepared(generation, self.session.device))
            if carry_on:
                self.session.start()
                self._run(experiment.training.epochs)

    def _change_model(self, job) -> None:
        """Queue ``job`` (an edit that builds, a discard, a restore) for the training thread, counted
        until it starts there: an edit that comes meanwhile waits behind it (see :meth:`handle`)."""
        with self._lock:
            self._queued += 1

        def counted():
            with self._lock:
                self._taken += 1
            job()

        self.trainer.call(counted, self.session)

    def _run(self, epochs: int) -> None:
        if not self.closed:
            self._guard("Training", self.session.run, epochs)
        self.sender.put(p.Idle("run"))

    def _step(self, kind: str) -> None:
        self._guard("Training", self.session.step, kind)
        self.sender.put(p.Idle("step"))

    def _file_operation(self, operation: str, path: str) -> None:
        if self._guard(_SENTENCES[operation], getattr(self, "_" + operation), path):
            self.sender.put(p.FileDone(operation, path))

    def _save_weights(self, path: str) -> None:
        from playground.core import export

        engine = self.session.engine
        export.save_weights(self._model(), path, engine.experiment, engine.dataset)

    def _save_model(self, path: str) -> None:
        from playground.core import export

        engine = self.session.engine
        export.save_model(self._model(), path, engine.experiment, engine.dataset)

    def _export_savedmodel(self, path: str) -> None:
        from playground.core import export

        engine = self.session.engine
        export.export_savedmodel(self._model(), path, engine.experiment, engine.dataset)

    def _save_history(self, path: str) -> None:
        from playground.core import export

        engine = self.session.engine
        if engine is None or not engine.history:
            raise PlaygroundError("There is no training history yet: train for an epoch first.")
        export.save_history(engine.history, path)

    def _load_weights(self, path: str) -> None:
        from playground.core import export

        engine = self.session.engine
        export.load_weights_into(self._model(), path)
        for event in engine.snapshot():
            self.sender.put(event)

    def _save_run(self, number: int, path: str) -> None:
        from playground.core.export import write_run

        runs = self.session.runs
        engine = next((e for e in (self.session.engine, *self.session.kept.values())
                       if e is not None and e.model is not None and runs.number_of(e) == number), None)
        if engine is None:
            raise PlaygroundError("This run's model is no longer kept: a run can be saved while its model is the "
                                  "current one or one of the last five that Undo can take back.")
        out = Path(os.path.abspath(path))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PlaygroundError(f"Cannot make the folder {out.parent}: {exc.strerror or exc}.") from None
        with FolderLock(out):  # a train --out writing there meanwhile is named, not overwritten
            write_run(out, engine, engine.experiment, engine.dataset)

    def _export_code(self, experiment, dataset, path: str, style: str, epochs: int) -> None:
        from playground.core import codegen

        codegen.export_code(experiment, path, style, dataset, epochs=epochs or None)

    def _predict(self, x: np.ndarray) -> None:
        def predict():
            self._model()
            self.sender.put(p.Predicted(self.session.engine.predict(np.asarray(x, np.float32))))
        self._guard("Predicting", predict)

    def _restore(self, folder: str, generation: int, dataset) -> None:
        """Build the experiment's model of the run folder ``folder`` (checked as ``train --resume``
        checks it) and continue from it: weights, optimizer state, history."""
        from playground.core.export import check_resumed, read_run

        if generation < self.latest:
            return
        run = read_run(folder)
        self.session.edit(run.experiment, dataset)
        engine = self.session.engine
        engine.restore(run.folder / "model.keras", run.epochs, run.history)
        check_resumed(run, engine)
        engine.replay()
        self.sender.put(p.Prepared(generation, self.session.device))

    # -- receiving thread -----------------------------------------------------------------------
    def _dataset(self, key: int):
        dataset = self.datasets.get(key)
        if dataset is None:
            raise p.ProtocolError(f"The window named a data set ({key}) it has not sent.")
        return dataset

    def handle(self, command) -> None:
        """Carry out one command: at once where it only sets flags, else in the training thread."""
        self.seq += 1
        s, call = self.session, partial(self.trainer.call, session=self.session)
        if isinstance(command, p.DatasetData):
            self.datasets[command.key] = command.dataset
        elif isinstance(command, p.ForgetDataset):
            self.datasets.pop(command.key, None)
        elif isinstance(command, p.Edit):
            dataset = self._dataset(command.dataset)
            running = s.state == "running"
            with self._lock:
                self.latest = command.generation  # an older edit still queued is skipped
                waiting = self._queued > self._taken
            # Into the live run, unless an earlier model change waits in the queue (it stopped the run,
            # and this edit, such as an Undo of it, may be for the model that ran): then in order, after it.
            if not waiting and s.offer(command.experiment, dataset):
                self.sender.put(p.Prepared(command.generation, s.device))
                return
            with self._lock:
                self.carry_on = self.carry_on or running
            self._change_model(lambda c=command: self._edit(c.generation, c.experiment, dataset))
        elif isinstance(command, p.Discard):
            with self._lock:
                self.carry_on = False
                self.latest = command.generation
            self._change_model(s.discard)
        elif isinstance(command, p.Run):
            if s.live:
                s.resume()
            else:
                s.start()
                call(lambda: self._run(command.epochs))
            self._state(s.state)
        elif isinstance(command, p.Pause):
            s.pause()
            self._state(s.state)
        elif isinstance(command, p.Resume):
            s.resume()
            self._state(s.state)
        elif isinstance(command, p.Stop):
            with self._lock:
                self.carry_on = False  # a run an edit stopped stays stopped
            s.stop()
        elif isinstance(command, p.Step):
            if command.kind not in ("epoch", "batch"):
                raise p.ProtocolError(f"A step is an epoch or a batch, not {command.kind!r}.")
            if not s.step_live(command.kind):
                call(lambda: self._step(command.kind))
            self._state(s.state)
        elif isinstance(command, p.Reset):
            s.stop()
            call(lambda: self._guard("Resetting the weights", s.reset))
        elif isinstance(command, p.FileOperation):
            if command.operation not in FILE_OPERATIONS:
                raise p.ProtocolError(f"The engine has no file operation {command.operation!r}.")
            job = partial(self._file_operation, command.operation, command.path)
            engine = s.engine
            # in a paused run, between its chunks (the training thread waits inside the run)
            if not (s.state == "paused" and engine is not None and engine.offer(job)):
                call(job)
        elif isinstance(command, p.SaveRun):
            call(lambda: self._guard(_SENTENCES["save_run"], self._save_run, command.number, command.path)
                 and self.sender.put(p.FileDone("save_run", command.path)))
        elif isinstance(command, p.ExportCode):
            dataset = self._dataset(command.dataset)
            call(lambda: self._guard(_SENTENCES["export_code"], self._export_code, command.experiment, dataset,
                                     command.path, command.style, command.epochs)
                 and self.sender.put(p.FileDone("export_code", command.path)))
        elif isinstance(command, p.Predict):
            call(lambda: self._predict(command.x))
        elif isinstance(command, p.SetWeight):
            self._set_weight(command)
        elif isinstance(command, p.KeepWeights):
            s.keep_matching_weights = command.on
        elif isinstance(command, p.TensorBoard):
            self._tensorboard(command.folder)
        elif isinstance(command, p.Autosave):
            self.autosave_folder = engine_folder(command.folder)
            if self.autosave_folder != command.folder:
                self._kept_here = self.autosave_folder
        elif isinstance(command, p.Restore):
            dataset = self._dataset(command.dataset)
            with self._lock:  # it replaces the model: a live run stops, and does not carry on
                self.latest = command.generation
                self.carry_on = False
            s.stop()
            folder = engine_folder(command.folder)
            self._change_model(lambda: self._guard("Continuing the saved run", self._restore, folder,
                                                   command.generation, dataset))
        else:
            raise p.ProtocolError(f"{type(command).__name__} is not a command the engine takes.")

    def _set_weight(self, command: p.SetWeight) -> None:
        from playground.core.transfer import KernelEdit

        engine = self.session.engine
        if engine is None:
            self.sender.put(p.Error("There is no model to set a weight in.", "", ""))
            return
        if not engine.offer(KernelEdit(command.layer, command.i, command.j, command.value)):
            self.trainer.call(lambda: engine.set_kernel(command.layer, command.i, command.j, command.value),
                              self.session)

    def _tensorboard(self, folder: str) -> None:
        from playground.core.tensorboard import TensorBoardLog

        logger, self.logger = self.logger, None
        if logger is not None:
            logger.close()  # waits for an event it is writing; it takes no more
        if folder:
            try:
                self.logger = TensorBoardLog(folder, self.session)
            except PlaygroundError as exc:
                self.sender.put(p.Error(str(exc), "", ""))

    def close(self) -> None:
        """The client is gone: stop the run, let the training thread finish what was asked, drop the session."""
        self.closed = True
        self.session.stop()
        self.trainer.drain()
        self.session.stop()  # a run that a queued edit carried on
        self.trainer.drain()
        self.trainer.sessions.discard(self.session)
        self.session.close()  # and the models it made ahead
        if self._kept_here and not self.autosave_folder:  # the window said it needs it no more
            shutil.rmtree(self._kept_here, ignore_errors=True)
        if self.logger is not None:
            self.logger.close()
        self.sender.close()
        try:
            self.conn.close()
        except OSError:
            pass


_SENTENCES = {  # what failed, for the window's sentence (it translates them: context "Worker")
    "save_weights": "Exporting the weights to", "save_model": "Exporting the model to",
    "export_savedmodel": "Exporting a SavedModel to", "save_history": "Exporting the training history to",
    "load_weights": "Loading the weights from", "save_run": "Saving the run to",
    "export_code": "Exporting Python code to",
}


class Server:
    """Loads TensorFlow, then serves clients: one, or with ``many`` any number, each with a session of its
    own (their Keras work shares the one training thread, in the order it was asked for)."""

    def __init__(self, listener, many: bool = False, verbose: bool = False):
        self.listener = listener
        self.many = many
        self.trainer = Trainer()
        self.device: list = []
        self.load_error = ""
        self.trainer.call(lambda: self._load(verbose))

    def _load(self, verbose: bool) -> None:
        from playground.core.device import configure_gpus, leave_cores_free
        from playground.tf_quiet import import_tensorflow

        try:
            import_tensorflow(verbose)
            leave_cores_free(1)  # the window keeps a core of its own: it stays smooth while training runs
            gpus = configure_gpus()
            self.device.append(f"GPU ({len(gpus)})" if gpus else "CPU")
        except Exception as exc:  # noqa: BLE001 - said to the window, which cannot train then
            self.load_error = f"Loading TensorFlow failed: {type(exc).__name__}: {exc}"

    def serve(self) -> None:
        """Serve every admitted client (``many``), or the first one and return when it goes."""
        if self.many:
            self._accept(self.serve_one)
            return
        first: queue.Queue = queue.Queue()
        taken = threading.Lock()

        def take(conn) -> None:
            if taken.acquire(blocking=False):
                first.put(conn)
            else:
                conn.close()  # this engine serves one window

        threading.Thread(target=self._accept, args=(take,), name="engine-accept", daemon=True).start()
        self.serve_one(first.get())

    def _accept(self, admitted) -> None:
        """Accept connections for good; each is admitted (token checked, timed) in a thread of its own,
        so a side that connects and says nothing holds up no one."""
        while True:
            try:
                conn = self.listener.accept()
            except OSError as exc:
                if self.listener.closed:
                    return  # the engine is ending
                print(f"playground engine: could not accept a connection: {exc}", file=sys.stderr)
                time.sleep(0.1)  # out of file handles, say: not a busy loop
                continue
            threading.Thread(target=self._admit, args=(conn, admitted), name="engine-admit", daemon=True).start()

    def _admit(self, conn, admitted) -> None:
        try:
            self.listener.admit(conn)
        except (OSError, EOFError, AuthenticationError) as exc:  # a side without the token, silent, or gone
            print(f"playground engine: refused a connection: {type(exc).__name__}: {exc}", file=sys.stderr)
            conn.close()
            return
        admitted(conn)

    def serve_one(self, conn) -> None:
        client = Connection(conn, self.trainer, self.device)

        def hello():
            if self.load_error:
                client.sender.put(p.Error(self.load_error, "", ""))
            else:
                client.sender.put(p.Ready(self.device[0]))
        self.trainer.call(hello)
        try:
            while not client.sender.broken:
                try:
                    commands = p.receive(conn)
                except p.ProtocolError as exc:  # said to the window; nothing in the frame is carried out
                    client.sender.put(p.Error(f"The engine refused a message: {exc}", "", ""))
                    continue
                for command in commands:
                    try:
                        client.handle(command)
                    except p.ProtocolError as exc:
                        client.sender.put(p.Error(f"The engine refused a message: {exc}", "", ""))
        except (EOFError, OSError):
            pass
        finally:
            client.close()


def read_token(path: str | None) -> bytes:
    """The token: from the file ``path``, else the environment (``PLAYGROUND_ENGINE_TOKEN``)."""
    if path:
        try:
            token = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise PlaygroundError(f"Cannot read the token file {path}: {exc.strerror or exc}.") from None
    else:
        token = os.environ.get(TOKEN_ENV, "")
    if len(token) < 16:
        raise PlaygroundError(f"The engine needs a token of at least 16 characters: in {TOKEN_ENV} or a file "
                              "named by --token-file.")
    return token.encode()


def main(address: str, token: bytes, many: bool = False, verbose: bool = False) -> int:
    """``playground engine``: listen at ``address`` and serve until the client (or, with ``many``,
    the process that started it) goes."""
    from playground.core.device import ENGINE_NICE, lower_priority

    die_with_parent()
    lower_priority(ENGINE_NICE)  # the window comes first: measured, its longest wait while training ~63 -> ~40 ms
    listener = p.listen(address, token)
    print(f"playground engine: listening at {address}", file=sys.stderr, flush=True)
    try:
        Server(listener, many, verbose).serve()
    finally:
        listener.close()
    return 0
