"""Sweeps: many runs of one experiment with a few settings changed, trained side by side.

**The spec.** A setting is a dotted path into the experiment's JSON (``training.learning_rate``,
``model.layers.0.units``: list indexes are numbers) with its values: a list (``0.003,0.01,0.03``,
``relu,tanh``), ``lin:A:B:N`` (N evenly spaced values from A to B) or ``log:A:B:N`` (N values
from A to B evenly spaced in their logarithm, so each is the one before times (B/A)^(1/(N-1))).
Ranges of a setting that holds a whole number (units, batch size, epochs) are rounded. Each value
in a list is read as JSON where it can be (``8``, ``1e-3``, ``true``) and as text otherwise.

**The grid.** Every combination of the values, in the order of nested loops over the settings as
given: the first setting changes slowest, the last fastest, and the repeats innermost. Repeat ``r``
(0, 1, …) of a point trains with ``training.seed`` = the experiment's seed + ``r``: the same data,
other initial weights, shuffles and dropout masks. (Sweeping ``training.seed`` itself and asking for
repeats is refused: the two would give the same seeds twice.)

**Checks first.** Each run's experiment is built and validated as a loaded file is
(:func:`playground.core.spec.from_dict`, then :func:`~playground.core.spec.check` against its data
set) before anything trains: a path that is not in the experiment, a value outside its range, two
equal values, or a combination that cannot train is refused with a sentence.

**Where runs train.** Every run trains in a process of its own, never in the sweep's, which does
not import TensorFlow: on this machine in plain processes of its own (:class:`LocalRunner`,
multiprocessing's *spawn*, one worker per core by default, each using its share of the cores), or
on Ray (:class:`RayRunner`: each run a Ray task with one CPU, or one GPU where the cluster has
GPUs). A run goes out as its experiment's JSON and the folder to write, and comes back as the run
folder's files; only plain values (text, numbers, file bytes) cross between processes.

**Files.** ``DIR/sweep.json`` (the base experiment, the swept paths, the epochs), one folder per
run under ``DIR/runs/`` in the format ``train --out`` writes (:func:`playground.core.export.write_run`:
plain Keras loads its model, ``train --resume`` continues it), and ``DIR/sweep.csv``: a row per
finished run with :data:`CSV_FIXED` after the swept paths, rewritten atomically after each run, its
figures read back from the run's own ``history.csv``. Running the same sweep into the same ``DIR``
again skips the runs that sweep.csv lists as done (a resumed sweep); a stop (Ctrl-C) ends the runs
under way and keeps every finished one.
"""
from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import math
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from playground.core import spec
from playground.errors import PlaygroundError
from playground.files import read_csv_table, replace_folder, unfinished_writes, write_text_atomic
from playground.interrupts import Interrupts

SWEEP_FORMAT = "playground.sweep"
SWEEP_VERSION = 1
CSV_FIXED = ("seed", "epochs", "loss", "test_loss", "accuracy", "test_accuracy", "mae", "test_mae",
             "seconds", "status", "folder")
"""sweep.csv's columns after ``run`` and the swept paths: the final figures of each run (empty where
its task has no such metric), its training seconds, ``finished`` or ``diverged``, its folder (relative)."""
RUN_FILES = ("model.keras", "model.weights.h5", "history.csv", "experiment.json")
WORKER_NICE = 10  # a local worker process's scheduling priority, below the window's (0)
DONE = ("finished", "diverged")  # statuses of a run that trained and wrote its folder
MAX_SETTINGS = 8
MAX_RUNS = 10_000
WAIT_SLICE = 0.1  # seconds the sweep waits at a time, so that a Ctrl-C is acted on at once
RAY_INSTALL = "pip install 'keras-playground[ray]' (or pip install ray)"


# -- the spec ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One swept setting: its dotted path and its values (JSON values), in order."""
    path: str
    values: tuple


def linear_range(low: float, high: float, count: int) -> list[float]:
    """``count`` evenly spaced values from ``low`` to ``high``, both included."""
    if count == 1:
        return [float(low)]
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def log_range(low: float, high: float, count: int) -> list[float]:
    """``count`` values from ``low`` to ``high`` (both included, both above 0), each the one before
    times the same factor."""
    if low <= 0 or high <= 0:
        raise PlaygroundError(f"A log range needs values above 0 (got {low:g} to {high:g}).")
    if count == 1:
        return [float(low)]
    return [math.exp(math.log(low) + (math.log(high) - math.log(low)) * i / (count - 1)) for i in range(count)]


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PlaygroundError(f"{what} must be a number (got {text!r}).") from None
    if not math.isfinite(value):
        raise PlaygroundError(f"{what} must be a finite number (got {text!r}).")
    return value


def _item(text: str) -> Any:
    """A list item: JSON where it parses (numbers, true, null), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_values(text: str, whole: bool = False) -> list:
    """The values of ``--set PATH=TEXT``: ``a,b,c``, ``lin:A:B:N`` or ``log:A:B:N``; ``whole`` rounds
    a range's values (the setting holds a whole number)."""
    kind = text.split(":", 1)[0]
    if kind in ("lin", "log"):
        parts = text.split(":")
        if len(parts) != 4:
            raise PlaygroundError(f"A range reads {kind}:FROM:TO:COUNT, e.g. {kind}:0.001:0.1:5 (got {text!r}).")
        low, high = (_number(p, f"The range {text!r}'s {w}") for p, w in zip(parts[1:3], ("start", "end")))
        count = _number(parts[3], f"The range {text!r}'s count")
        if count != int(count) or not 1 <= count <= MAX_RUNS:
            raise PlaygroundError(f"The range {text!r}'s count must be a whole number from 1 to {MAX_RUNS:,}.")
        values = (linear_range if kind == "lin" else log_range)(low, high, int(count))
        # 12 significant digits: 0.01, not the 0.010000000000000004 that exp(log(...)) gives
        return [int(round(v)) for v in values] if whole else [float(f"{v:.12g}") for v in values]
    values = [_item(t.strip()) for t in text.split(",")]
    if any(t.strip() == "" for t in text.split(",")):
        raise PlaygroundError(f"The values {text!r} have an empty one; separate values with single commas.")
    return values


def _walk(doc: dict, path: str) -> tuple[Any, Any]:
    """(the container, the key) that ``path`` names in the experiment document; a sentence if none."""
    parts = path.split(".")
    node: Any = doc
    for i, part in enumerate(parts):
        here = ".".join(parts[:i])
        if isinstance(node, list):
            if not part.isdigit():
                raise PlaygroundError(f"{path}: {here} is a list; give an index (0 to {len(node) - 1}) after it, "
                                      f"e.g. {here}.0.")
            if int(part) >= len(node):
                raise PlaygroundError(f"{path}: the experiment's {here} has {len(node)} entries (indexes 0 to "
                                      f"{len(node) - 1}).")
            key: Any = int(part)
        elif isinstance(node, dict):
            if part not in node:
                close = difflib.get_close_matches(part, list(node), n=1)
                hint = f"; did you mean {'.'.join([*parts[:i], close[0]])}?" if close else \
                    f" (its settings{' under ' + here if here else ''}: {', '.join(node)})."
                raise PlaygroundError(f"{path}: the experiment has no setting {'.'.join(parts[:i + 1])}{hint}")
            key = part
        else:
            raise PlaygroundError(f"{path}: {here} is a single setting, with nothing inside it.")
        if i < len(parts) - 1:
            node = node[key]
    if isinstance(node[key], (dict, list)):
        raise PlaygroundError(f"{path} is a group of settings; sweep one setting inside it.")
    return node, key


def parse_set(text: str, base: "spec.Experiment") -> Setting:
    """``PATH=VALUES`` of ``--set``, its path checked against ``base`` and its values parsed."""
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path or not values.strip():
        raise PlaygroundError(f"--set takes PATH=VALUES, e.g. training.learning_rate=0.003,0.01 (got {text!r}).")
    container, key = _walk(base.model_dump(mode="json"), path)
    current = container[key]
    whole = isinstance(current, int) and not isinstance(current, bool)
    parsed = parse_values(values.strip(), whole)
    shown = [json.dumps(v) for v in parsed]
    twice = next((s for s in shown if shown.count(s) > 1), None)
    if twice is not None:
        raise PlaygroundError(f"{path} is given the value {twice} twice; each value is swept once "
                              "(use --repeats for more runs of the same settings).")
    return Setting(path, tuple(parsed))


# -- the grid ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One run of the sweep: its place in the grid, its values and seed, and its experiment."""
    index: int  # 1, 2, … in grid order
    values: tuple  # one per setting
    repeat: int
    seed: int
    experiment: "spec.Experiment"
    folder: str  # relative to the sweep's folder: runs/<name>

    def label(self, settings: Iterable[Setting]) -> str:
        return " ".join(f"{s.path}={_shown(v)}" for s, v in zip(settings, self.values)) + f" seed {self.seed}"


def _shown(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _folder_name(settings: Iterable[Setting], values: tuple, seed: int) -> str:
    parts = [f"{s.path}={_shown(v)}" for s, v in zip(settings, values)] + [f"seed={seed}"]
    return "".join(c if c.isalnum() or c in "._=+-," else "-" for c in ",".join(parts))


def _in_words(path: str, value: Any) -> str:
    return f"{path}={_shown(value)}"


@dataclass
class Sweep:
    """A sweep: the base experiment, the settings swept, repeats per point and the epochs of each run."""
    experiment: "spec.Experiment"
    settings: list[Setting]
    repeats: int = 1
    epochs: int | None = None  # None: the experiment's own (a swept training.epochs wins over it)
    _datasets: dict = field(default_factory=dict, repr=False)

    def plan(self) -> list[Run]:
        """Every run, in grid order, each experiment validated (the first problem raises a sentence)."""
        if not self.settings:
            raise PlaygroundError("A sweep needs at least one --set PATH=VALUES.")
        if len(self.settings) > MAX_SETTINGS:
            raise PlaygroundError(f"A sweep takes at most {MAX_SETTINGS} settings (got {len(self.settings)}).")
        paths = [s.path for s in self.settings]
        twice = next((p for p in paths if paths.count(p) > 1), None)
        if twice:
            raise PlaygroundError(f"{twice} is swept twice; give all its values in one --set.")
        if not 1 <= self.repeats <= 1000:
            raise PlaygroundError(f"--repeats must be between 1 and 1,000 (got {self.repeats:,}).")
        if self.repeats > 1 and "training.seed" in paths:
            raise PlaygroundError("training.seed is swept, so --repeats (which changes the seed) cannot be used "
                                  "with it; sweep the seeds you want instead.")
        if self.epochs is not None:
            low, high = (next(getattr(m, k) for m in spec.TrainingSpec.model_fields["epochs"].metadata
                              if getattr(m, k, None) is not None) for k in ("ge", "le"))
            if not low <= self.epochs <= high:
                raise PlaygroundError(f"--epochs must be between {low:,} and {high:,} (got {self.epochs:,}).")
        count = math.prod(len(s.values) for s in self.settings) * self.repeats
        if count > MAX_RUNS:
            raise PlaygroundError(f"This sweep would train {count:,} runs, more than the {MAX_RUNS:,} a sweep may have.")
        for s in self.settings:  # each value alone first, so that a sentence names the value at fault
            for v in s.values:
                self._experiment({s.path: v}, None)
        runs, names = [], set()
        for values in itertools.product(*(s.values for s in self.settings)):
            for repeat in range(self.repeats):
                exp = self._experiment(dict(zip(paths, values)), repeat)
                self._check(exp, dict(zip(paths, values)))
                name = _folder_name(self.settings, values, exp.training.seed)
                if name in names:
                    raise PlaygroundError(f"Two runs of the sweep would share the folder {name}: give values "
                                          "that differ within six significant digits.")
                names.add(name)
                runs.append(Run(len(runs) + 1, values, repeat, exp.training.seed, exp, f"runs/{name}"))
        return runs

    def _experiment(self, values: dict[str, Any], repeat: int | None) -> "spec.Experiment":
        doc = self.experiment.model_dump(mode="json")
        if self.epochs is not None:  # a swept training.epochs wins
            doc["training"]["epochs"] = self.epochs
        for path, value in values.items():
            container, key = _walk(doc, path)
            container[key] = value
        if repeat:
            doc["training"]["seed"] = doc["training"]["seed"] + repeat
        try:
            return spec.from_dict({"format": spec.FORMAT, "version": spec.VERSION, **doc})
        except PlaygroundError as exc:
            which = ", ".join(_in_words(p, v) for p, v in values.items())
            raise PlaygroundError(f"The sweep's {which} is refused: {exc}") from None

    def _check(self, exp: "spec.Experiment", values: dict[str, Any]) -> None:
        """The run's choices against its data set (loaded once per distinct data set)."""
        from playground.data import load_dataset

        key = json.dumps(exp.dataset.model_dump(mode="json"), sort_keys=True)
        if key not in self._datasets:
            try:
                self._datasets[key] = load_dataset(**exp.dataset.model_dump())
            except PlaygroundError as exc:
                raise PlaygroundError(f"The sweep's {', '.join(_in_words(p, v) for p, v in values.items())} "
                                      f"is refused: {exc}") from None
        ds = self._datasets[key]
        try:
            spec.check(exp, ds.task, ds.output_units)
        except PlaygroundError as exc:
            which = ", ".join(_in_words(p, v) for p, v in values.items())
            raise PlaygroundError(f"The sweep's {which} cannot train: {exc}") from None

    def description(self) -> dict:
        """What sweep.json holds: what a resumed sweep must share with the one before."""
        return {"format": SWEEP_FORMAT, "version": SWEEP_VERSION, "experiment": self.experiment.to_dict(),
                "settings": [s.path for s in self.settings], "epochs": self.epochs}


# -- training one run (in a worker process) -----------------------------------------------------

_worker_threads: int | None = None


def below_normal_priority() -> None:
    """This process at ``WORKER_NICE`` (Unix; a process already lower stays so)."""
    from playground.core.device import lower_priority

    lower_priority(WORKER_NICE)


def worker_setup(threads: int) -> None:
    """A worker process's start: Ctrl-C is the sweep's to act on, TensorFlow imported quietly and
    held to ``threads`` threads (its share of the cores), and the process below normal priority
    (``WORKER_NICE``): a sweep is batch work that takes every core, so the window and the rest of the
    desktop come first; a machine that does nothing else trains it as fast."""
    global _worker_threads
    if _worker_threads is not None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    below_normal_priority()
    from playground.tf_quiet import import_tensorflow

    tf = import_tensorflow()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # the runtime already started: its pools stay
    _worker_threads = threads


def train_run(experiment_json: str, folder: str) -> dict:
    """Train one run and write its folder as ``train --out`` does; returns plain values: its
    ``status`` (finished, diverged or failed), training ``seconds`` and a failure's ``message``."""
    from playground.core import events as ev
    from playground.core.engine import Engine
    from playground.core.export import write_run
    from playground.data import load_dataset

    messages: list[str] = []
    seconds = [0.0]

    def listen(event) -> None:
        if isinstance(event, (ev.Failed, ev.Diverged)):
            messages.append(event.message)
        elif isinstance(event, ev.Finished):
            seconds[0] += event.seconds

    try:
        exp = spec.from_json(experiment_json)
        dataset = load_dataset(**exp.dataset.model_dump())
        engine = Engine(exp, listen, dataset, views=False)
        engine.prepare()
        status = engine.run()
        if status == "failed":
            return {"status": "failed", "seconds": seconds[0], "message": messages[-1] if messages else ""}
        out = Path(folder)
        out.parent.mkdir(parents=True, exist_ok=True)
        for leftover in unfinished_writes(out):  # a worker ended while writing: its staging folder
            shutil.rmtree(leftover, ignore_errors=True)
        write_run(out, engine, exp, dataset)
    except PlaygroundError as exc:
        return {"status": "failed", "seconds": seconds[0], "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a run's failure is reported, the sweep goes on
        return {"status": "failed", "seconds": seconds[0], "message": f"Training failed: {type(exc).__name__}: {exc}"}
    return {"status": status, "seconds": seconds[0], "message": messages[-1] if messages else ""}


def _ray_run(experiment_json: str, threads: int) -> dict:
    """A Ray task: train into a temporary folder on whichever node runs it, and send the folder's
    files back (their bytes) for the sweep to write into the run's folder."""
    worker_setup(threads)
    with tempfile.TemporaryDirectory(prefix="playground-run-") as tmp:
        result = train_run(experiment_json, tmp)
        if result["status"] in DONE:
            result["files"] = {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.is_file()}
    return result


def _place_files(folder: Path, files: dict) -> None:
    """A run's files sent back by a Ray task, written as the folder ``folder`` all or none (as
    write_run does, through :func:`playground.files.replace_folder`)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with replace_folder(folder) as staging:
        for name, data in files.items():
            if not isinstance(name, str) or Path(name).name != name or name.startswith(".") \
                    or not isinstance(data, bytes):
                raise PlaygroundError(f"A Ray worker sent back a file named {name!r}, which a run does not have.")
            (staging / name).write_bytes(data)


# -- runners ------------------------------------------------------------------------------------

def usable_cores() -> int:
    """The cores this process may run on (its affinity where the OS says, else all)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _worker_main(conn, threads: int) -> None:
    """A local worker process: trains the runs it is sent, one at a time, until told to end (None)
    or until the sweep's end of the pipe closes."""
    worker_setup(threads)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        key, experiment_json, folder = job
        result = train_run(experiment_json, folder)
        try:
            conn.send((key, result))
        except OSError:  # the sweep is gone
            return


class LocalRunner:
    """Runs on this machine in ``workers`` plain processes of its own (spawned, so none inherits a
    TensorFlow or a window), each training one run at a time with cores / workers threads. Runs and
    results cross a pipe to the sweep's own children only, as plain values. A worker that dies (the
    OOM killer, a crash inside TensorFlow) fails the one run it was training, with a sentence; a
    fresh worker takes its place for the runs still waiting, and the others train on."""

    def __init__(self, workers: int | None = None):
        cores = usable_cores()
        self.workers = workers or cores
        if not 1 <= self.workers <= 256:
            raise PlaygroundError(f"--parallel must be between 1 and 256 (got {self.workers:,}).")
        self.threads = max(1, cores // self.workers)
        self.where = f"{self.workers} local process{'es' if self.workers > 1 else ''}"
        self._waiting: list[tuple[str, str, str]] = []  # runs not yet sent to a worker
        self._busy: dict = {}  # worker process -> (its pipe, the key of the run it trains or None)
        self._context = None

    def start(self) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("spawn")

    def _spawn(self) -> None:
        ours, theirs = self._context.Pipe()
        worker = self._context.Process(target=_worker_main, args=(theirs, self.threads), daemon=True,
                                       name="playground-sweep-worker")
        worker.start()
        theirs.close()
        self._busy[worker] = (ours, None)

    def _dispatch(self) -> None:
        """Send waiting runs to idle workers, starting workers up to ``workers`` while runs wait."""
        while self._waiting and len(self._busy) < self.workers and \
                all(key is not None for _, key in self._busy.values()):
            self._spawn()
        for worker, (conn, key) in list(self._busy.items()):
            if key is None and self._waiting:
                job = self._waiting.pop(0)
                try:
                    conn.send(job)
                except OSError:  # it died idle: its sentinel says so at the next wait
                    self._waiting.insert(0, job)
                    continue
                self._busy[worker] = (conn, job[0])

    def submit(self, key: str, experiment_json: str, folder: Path) -> None:
        self._waiting.append((key, experiment_json, str(folder)))
        self._dispatch()

    def next_done(self, timeout: float) -> tuple[str, dict] | None:
        from multiprocessing.connection import wait

        self._dispatch()
        if not self._busy:
            time.sleep(timeout)
            return None
        pipes = {conn: worker for worker, (conn, _) in self._busy.items()}
        sentinels = {worker.sentinel: worker for worker in self._busy}
        for ready in wait([*pipes, *sentinels], timeout):
            worker = pipes.get(ready) or sentinels[ready]
            conn, key = self._busy[worker]
            try:
                if ready is conn or conn.poll():
                    done_key, result = conn.recv()
                    self._busy[worker] = (conn, None)
                    self._dispatch()
                    return done_key, result
            except (EOFError, OSError):
                pass  # the worker died: below
            worker.join(1)
            conn.close()
            del self._busy[worker]
            self._dispatch()
            if key is not None:
                return key, {"status": "failed", "seconds": 0.0,
                             "message": f"The run's process ended before the run did ({_ended(worker.exitcode)})."}
        return None

    def close(self, cancel: bool) -> None:
        self._waiting.clear()
        for worker, (conn, _) in self._busy.items():
            if cancel:
                worker.terminate()
            else:
                try:
                    conn.send(None)
                except OSError:
                    pass
        for worker, (conn, _) in self._busy.items():
            worker.join(10)
            if worker.is_alive():
                worker.kill()
                worker.join(5)
            conn.close()
        self._busy.clear()


def _ended(exitcode: int | None) -> str:
    """How a worker process ended, in words."""
    if exitcode is None:
        return "it stopped answering"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


class RayRunner:
    """Runs on Ray: ``address`` "local" starts a Ray on this machine with ``workers`` CPUs (default:
    the cores); anything else (an address, ``auto``) joins a running cluster, where each node needs
    Playground installed. Each run is a Ray task with one CPU, or one GPU where the cluster has GPUs;
    results are taken as they finish (``ray.wait``)."""

    def __init__(self, address: str, workers: int | None = None):
        try:
            import ray  # noqa: F401
        except ImportError:
            raise PlaygroundError(f"--ray needs Ray, which is not installed: {RAY_INSTALL}.") from None
        self.address = address
        self.workers = workers
        self.where = ""
        self._pending: dict = {}
        self._folders: dict = {}
        self._ours = False

    def start(self) -> None:
        import ray

        options = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            if self.address == "local":
                ray.init(num_cpus=self.workers or usable_cores(), object_store_memory=128 * 2**20, **options)
                self._ours = True
            else:
                ray.init(address=self.address, **options)
        except Exception as exc:  # noqa: BLE001 - Ray's reasons (no cluster there, a version mismatch)
            where = "start a local Ray" if self.address == "local" else f"join the Ray cluster at {self.address}"
            said = (str(exc).splitlines() or [""])[0].rstrip(". ")
            raise PlaygroundError(f"Cannot {where}: {type(exc).__name__}{': ' + said if said else ''}.") from None
        resources = ray.cluster_resources()
        gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 0))
        self._task = ray.remote(num_gpus=1, num_cpus=1)(_ray_run) if gpus else ray.remote(num_cpus=1)(_ray_run)
        self.where = f"Ray ({'local' if self._ours else self.address}: {cpus} CPUs" + \
            (f", {gpus} GPUs, a GPU a run)" if gpus else ")")

    def submit(self, key: str, experiment_json: str, folder: Path) -> None:
        ref = self._task.remote(experiment_json, 1)
        self._pending[ref] = key
        self._folders[key] = folder

    def next_done(self, timeout: float) -> tuple[str, dict] | None:
        import ray

        if not self._pending:
            time.sleep(timeout)
            return None
        ready, _ = ray.wait(list(self._pending), num_returns=1, timeout=timeout)
        if not ready:
            return None
        key = self._pending.pop(ready[0])
        try:
            result = ray.get(ready[0])
        except Exception as exc:  # noqa: BLE001 - a worker that died, a task error
            return key, {"status": "failed", "seconds": 0.0,
                         "message": f"The run's Ray task failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"}
        files = result.pop("files", None)
        if files is not None:
            try:
                _place_files(self._folders[key], files)
            except PlaygroundError as exc:
                result = {"status": "failed", "seconds": result.get("seconds", 0.0), "message": str(exc)}
        return key, result

    def close(self, cancel: bool) -> None:
        import ray

        if cancel:
            for ref in self._pending:
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # noqa: BLE001 - already finished or gone
                    pass
        self._pending.clear()
        if ray.is_initialized():
            ray.shutdown()


# -- the sweep's files ---------------------------------------------------------------------------

def csv_columns(settings: Iterable[Setting]) -> list[str]:
    return ["run", *(s.path for s in settings), *CSV_FIXED]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bool, dict, list)):
        return json.dumps(value)
    return str(value)


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    write_text_atomic(path, out.getvalue())


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(columns, rows as text) of a sweep.csv."""
    rows = read_csv_table(path, "run", "a sweep's table")
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def run_row(run: Run, settings: list[Setting], result: dict, out: Path) -> dict:
    """A run's sweep.csv row: its values and seed, and the final figures of its history.csv."""
    from playground.core.export import read_history

    history = read_history(out / run.folder / "history.csv")
    row = {"run": run.index, **{s.path: v for s, v in zip(settings, run.values)}, "seed": run.seed,
           "epochs": len(next(iter(history.values()), [])), "seconds": round(result["seconds"], 3),
           "status": result["status"], "folder": run.folder}
    row.update({c: values[-1] for c, values in history.items() if c in CSV_FIXED and values})
    return {c: row[c] for c in csv_columns(settings) if c in row}


def _figure(row: dict, column: str) -> float | None:
    try:
        value = float(row.get(column, ""))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def score_column(rows: list[dict]) -> str:
    """What ranks the runs: ``test_accuracy`` where every run has one (they classify), else ``test_loss``."""
    scored = [r for r in rows if _figure(r, "test_loss") is not None]
    return "test_accuracy" if scored and all(_figure(r, "test_accuracy") is not None for r in scored) else "test_loss"


def best_row(rows: list[dict]) -> dict | None:
    """The best finished run: the highest final test accuracy (then the lowest test loss) where the
    runs classify, else the lowest final test loss."""
    done = [r for r in rows if r.get("status") == "finished" and _figure(r, "test_loss") is not None]
    if not done:
        return None
    if score_column(done) == "test_accuracy":
        return max(done, key=lambda r: (_figure(r, "test_accuracy"), -_figure(r, "test_loss")))
    return min(done, key=lambda r: _figure(r, "test_loss"))


def _prepare_folder(out: Path, sweep: Sweep) -> None:
    """Make ``out`` (or check that it holds this same sweep, to resume it)."""
    if out.exists() and not out.is_dir():
        raise PlaygroundError(f"--out {out} exists and is not a folder.")
    described = out / "sweep.json"
    if out.is_dir() and any(out.iterdir()):
        if not described.is_file():
            raise PlaygroundError(f"--out {out} is a folder of other files, not a sweep's; give a new or empty folder.")
        try:
            before = json.loads(described.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PlaygroundError(f"Cannot read {described}: {getattr(exc, 'strerror', None) or exc}.") from None
        now = sweep.description()
        if before != now:
            what = next((w for k, w in (("experiment", "another experiment"), ("settings", "other settings"),
                                        ("epochs", "another --epochs")) if before.get(k) != now.get(k)),
                        "another sweep")
            raise PlaygroundError(f"{out} holds a sweep of {what}; resume it with the same command, or give "
                                  "another --out.")
        return
    try:
        (out / "runs").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaygroundError(f"Cannot make the output folder {out}: {exc.strerror or exc}.") from None
    write_text_atomic(described, json.dumps(sweep.description(), indent=2) + "\n")


# -- running ---------------------------------------------------------------------------------------

class _Stop(Interrupts):
    """SIGINT and SIGTERM during a sweep: the first asks it to stop (the runs under way end, the
    finished ones are kept), a second aborts at once. The handler only sets a flag; the sweep acts
    on it between its short waits, never in the middle of writing sweep.csv."""

    def __init__(self):
        self.asked = False

    def _handle(self, signum, frame) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True


@dataclass
class Outcome:
    rows: list[dict]  # sweep.csv's rows, in grid order
    trained: int
    skipped: int
    failed: list[str]
    stopped: bool
    where: str

    def summary(self, out: Path) -> dict:
        return {"best": best_row(self.rows), "runs": len(self.rows), "trained": self.trained,
                "skipped": self.skipped, "failed": len(self.failed), "stopped": self.stopped,
                "where": self.where, "csv": str(out / "sweep.csv"), "out": str(out)}


def run_sweep(sweep: Sweep, out: str | Path, runner, report: Callable[[dict], None] = lambda event: None,
              stop: Callable[[], bool] = lambda: False) -> Outcome:
    """Train every run of ``sweep`` not yet done in ``out`` on ``runner`` (a :class:`LocalRunner` or
    :class:`RayRunner`), writing sweep.csv after each; ``report`` gets plain-value events: ``start``,
    ``run`` (a finished run's row), ``failed`` and ``stopping``. ``stop`` (polled) or a Ctrl-C ends it."""
    out = Path(out)
    runs = sweep.plan()
    _prepare_folder(out, sweep)
    columns = csv_columns(sweep.settings)
    table = out / "sweep.csv"
    rows: dict[str, dict] = {}  # by folder
    if table.is_file():
        before_columns, before = read_csv(table)
        if before_columns != columns:
            raise PlaygroundError(f"{table} has other columns than this sweep's; give another --out.")
        rows = {r["folder"]: r for r in before if r.get("status") in DONE}
    done = {r.folder for r in runs if r.folder in rows and all((out / r.folder / n).is_file() for n in RUN_FILES)}
    todo = [r for r in runs if r.folder not in done]
    by_folder = {r.folder: r for r in runs}
    order = {r.folder: r.index for r in runs}

    def ordered() -> list[dict]:
        return sorted(rows.values(), key=lambda r: (order.get(r["folder"], len(order) + 1), str(r["run"])))

    failed: list[str] = []
    trained = 0
    stopped = False
    with _Stop() as signals:
        runner.start()
        report({"event": "start", "runs": len(runs), "skipped": len(done), "todo": len(todo), "where": runner.where})
        try:
            for run in todo:
                runner.submit(run.folder, run.experiment.to_json(), out / run.folder)
            left = len(todo)
            while left:
                if signals.asked or stop():
                    stopped = True
                    report({"event": "stopping", "done": trained, "left": left})
                    break
                got = runner.next_done(WAIT_SLICE)
                if got is None:
                    continue
                left -= 1
                folder, result = got
                run = by_folder[folder]
                if result["status"] not in DONE:
                    failed.append(folder)
                    report({"event": "failed", "run": run.index, "label": run.label(sweep.settings),
                            "folder": folder, "message": result.get("message", "")})
                    continue
                row = run_row(run, sweep.settings, result, out)
                rows[folder] = row
                write_csv(table, columns, ordered())
                trained += 1
                report({"event": "run", "done": len(done) + trained, "of": len(runs),
                        "label": run.label(sweep.settings), **{k: v for k, v in row.items()}})
        finally:
            runner.close(cancel=True)
    if not table.exists():
        write_csv(table, columns, ordered())
    return Outcome(ordered(), trained, len(done), failed, stopped, runner.where)


def read_sweep(out: str | Path) -> tuple[list[str], list[dict[str, Any]]]:
    """(swept paths, rows) of a sweep's folder, each row's figures as numbers (None where empty)."""
    out = Path(out)
    columns, rows = read_csv(out / "sweep.csv")
    paths = columns[1:len(columns) - len(CSV_FIXED)]
    parsed = []
    for row in rows:
        item: dict[str, Any] = {}
        for c, text in row.items():
            if c in ("status", "folder"):
                item[c] = text
            elif text == "":
                item[c] = None
            else:
                item[c] = _item(text)
        parsed.append(item)
    return paths, parsed
