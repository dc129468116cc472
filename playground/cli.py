"""The command line: the same engine as the window, without the window.

    python main.py                              open the app
    python main.py EXPERIMENT.json              open the app with an experiment
    python main.py train EXPERIMENT.json [--epochs N] [--out DIR] [--overwrite] [--device auto|cpu|gpu]
                                         [--checkpoint-every N] [--verbose]
    python main.py train --resume DIR [--epochs N] [--out DIR] ...
    python main.py train ... --logdir DIR       also log the run for TensorBoard, into a new folder of DIR
    python main.py sweep EXPERIMENT.json --set PATH=VALUES ... --out DIR   many runs (playground.sweep_cli)
    python main.py datasets [--export NAME FILE.csv]
    python main.py inspect FILE                 an experiment, .keras or .weights.h5 file
    python main.py code EXPERIMENT.json --style sequential|functional|subclass -o FILE.py [--force]
    python main.py --help | --version

Exit codes: 0 done, 2 bad input (one sentence on stderr, never a traceback), 1 training failed,
130 interrupted. A first argument that is neither a command nor an existing file is bad input:
a typo must not open the window.

``train`` writes model.keras, model.weights.h5, history.csv, experiment.json and run.json as its
folder, all or none (:func:`playground.core.export.write_run`): at the end, every ``--checkpoint-every`` epochs,
when interrupted, and when the loss diverges (the weights of the last good epoch; exit 1). A folder
that holds a run is replaced only with ``--overwrite`` (or continued with ``--resume``), and a
lock beside it (:class:`playground.files.FolderLock`) keeps a second process out while one writes
it. Exit 1, not 2, when the files cannot be written (a full disk): the input was fine. A failing
``--logdir`` only stops the TensorBoard log. The first Ctrl-C (or SIGTERM) stops the engine at the end of the chunk
under way and writes what was trained so far, then exits 130; a second one aborts at once. To
make that possible the engine trains in a worker thread while the main thread, the only one
Python delivers signals to, waits in short slices. ``--resume DIR`` continues such a folder: the
weights and the optimizer's state come from its model.keras, the epoch count and the curves
from its history.csv, so the shuffle of each epoch (a hash of the seed and the epoch index) is
the one the uninterrupted run would have used. Without ``--epochs`` it goes on to the run's
target (the ``--epochs`` it began with, kept in run.json) and, once that is reached, to the
experiment's own epochs (experiment.json keeps them). :func:`playground.core.export.read_run` and
:func:`~playground.core.export.check_resumed` refuse a folder whose files do not belong
together. A stop in the middle of an epoch (only data sets whose epoch outlasts a chunk) keeps
that epoch's batches in the weights but not in the history; a resumed run trains the epoch again.

TensorFlow's start-up log lines stay hidden (:mod:`playground.tf_quiet`) unless ``--verbose``
or ``PLAYGROUND_VERBOSE=1``.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import json
import os
import sys
import threading
import time
from pathlib import Path

from playground.errors import PlaygroundError
from playground.interrupts import Interrupts

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
COMMANDS = ("train", "sweep", "datasets", "inspect", "code", "engine")
DISTRIBUTION_PACKAGE = "playground"  # the import name; the distribution is "keras-playground"
ABORTED = ("aborted; nothing more was written, and files written before are complete (every write "
           "is a rename of a finished file).")
WAIT_SLICE = 0.1  # seconds the main thread waits at a time, so that a signal is handled at once


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 already; keep its usage line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message[0].upper() + message[1:]}.", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def version() -> str:
    """The installed distribution's version: whichever distribution provides the ``playground``
    package (its name changed), so an unrelated distribution of an old name is never asked."""
    from importlib import metadata

    for name in metadata.packages_distributions().get(DISTRIBUTION_PACKAGE, []):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "unknown (not installed: pip install -e .)"


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (reading the installed metadata takes a while)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"playground {version()}")
        parser.exit(EXIT_OK)


def _parser() -> argparse.ArgumentParser:
    verbose_help = "show TensorFlow's own start-up messages (also PLAYGROUND_VERBOSE=1)"
    common = argparse.ArgumentParser(add_help=False)  # --verbose after the command, too
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help=verbose_help)
    p = _Parser(prog="playground", description="Playground: a desktop neural-network playground. "
                "Without a command (or with an experiment file) it opens the window.")
    p.add_argument("--version", action=_VersionAction)
    p.add_argument("--verbose", action="store_true", help=verbose_help)
    sub = p.add_subparsers(dest="command", required=True, title="commands")
    t = sub.add_parser("train", parents=[common], help="train an experiment headless and write the model "
                       "and history", description="Train an experiment and write model.keras, "
                       "model.weights.h5, history.csv and experiment.json. Ctrl-C stops and writes what "
                       "was trained (exit 130); a second Ctrl-C aborts.")
    t.add_argument("experiment", nargs="?", help="an experiment .json file (or --resume DIR)")
    t.add_argument("--resume", metavar="DIR", help="continue the run in DIR (written by train): its weights, "
                   "optimizer state and history")
    t.add_argument("--epochs", type=int, help="epochs to train (default: the experiment's); with --resume, "
                   "that many more")
    t.add_argument("--out", help="folder for the files (default: ./<experiment name>-run, or DIR with --resume); "
                   "an existing run there is replaced only with --overwrite")
    t.add_argument("--overwrite", action="store_true", help="replace the run already in the --out folder")
    t.add_argument("--device", choices=("auto", "cpu", "gpu"), help="where to train (default: the experiment's)")
    t.add_argument("--checkpoint-every", type=int, metavar="N", help="also write the files every N epochs")
    t.add_argument("--logdir", metavar="DIR", help="also log the run for TensorBoard (tensorboard --logdir DIR): "
                   "scalars, weight histograms by epoch and hyperparameters, into a new folder of DIR named "
                   "after the experiment and the time (needs pip install 'keras-playground[tensorboard]')")
    d = sub.add_parser("datasets", parents=[common], help="list the built-in data sets, or export one as CSV")
    d.add_argument("--export", nargs=2, metavar=("NAME", "FILE.csv"), help="write a data set to a CSV file")
    i = sub.add_parser("inspect", parents=[common], help="summarise an experiment, .keras or .weights.h5 file")
    i.add_argument("file")
    c = sub.add_parser("code", parents=[common], help="write the experiment as a Python file that trains on "
                       "its own", description="Write the experiment as a Python file needing only TensorFlow: "
                       "it loads the data (a CSV written beside it, or the generator of a 2-D set), builds the "
                       "same model, trains it with model.fit and prints one JSON line last.")
    c.add_argument("experiment", help="an experiment .json file")
    c.add_argument("--style", choices=("sequential", "functional", "subclass"), default="functional",
                   help="keras.Sequential, the functional API or a keras.Model subclass (default: functional)")
    c.add_argument("-o", "--out", required=True, metavar="FILE.py", help="the Python file to write")
    c.add_argument("--force", action="store_true", help="replace the data CSV beside FILE.py (FILE_data.csv) if "
                   "one is there; without it, an existing one is refused")
    from playground import sweep_cli

    sweep_cli.add_parser(sub, common)
    e = sub.add_parser("engine", parents=[common], help="run the training engine for a window to connect to",
                       description="Load TensorFlow and serve a Playground window over the engine protocol "
                       "(the window starts one of its own; PLAYGROUND_ENGINE=ADDRESS makes it use this one). "
                       "The token that a window must know is read from --token-file or PLAYGROUND_ENGINE_TOKEN.")
    e.add_argument("--listen", required=True, metavar="ADDRESS", help="unix:PATH (or a path) for a Unix socket, "
                   "HOST:PORT for TCP")
    e.add_argument("--token-file", metavar="FILE", help="a file holding the token (default: PLAYGROUND_ENGINE_TOKEN)")
    e.add_argument("--many", action="store_true", help="serve any number of windows, each with a fresh session "
                   "of its own, instead of ending when the first one goes")
    return p


def _not_a_command(word: str) -> str:
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return (f"'{word}' is neither a command nor an existing file{hint} (commands: {', '.join(COMMANDS)}; "
            "python main.py --help says more).")


def main(argv: list[str] | None = None) -> int:
    own_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argv[0] if argv else None
    if first is None or first not in COMMANDS and not first.startswith("-") and Path(first).is_file():
        from playground.ui.app import main as app_main

        return app_main(argv, own_process=own_process)
    if first not in COMMANDS and not first.startswith("-"):
        print(f"playground: {_not_a_command(first)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = _parser().parse_args(argv)
    try:
        if args.command == "sweep":
            from playground.sweep_cli import run as sweep

            return sweep(args)
        return {"train": _train, "datasets": _datasets, "inspect": _inspect, "code": _code,
                "engine": _engine}[args.command](args)
    except PlaygroundError as exc:
        print(f"playground: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"playground: {ABORTED}", file=sys.stderr)
        return EXIT_INTERRUPTED


# -- train: progress --------------------------------------------------------------------------

BAR_WIDTH, MIN_BAR_WIDTH = 30, 10
LOG_WIDTH = 1000  # not a terminal: a log has room for the whole line


def _figure(value: float) -> str:
    return f"{value:.4g}"


def _rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.2g}"


def progress_line(width: int, fraction: float, epoch: int, epochs: int, per_second: float,
                  metrics: dict[str, float]) -> str:
    """The progress line, at most ``width - 1`` characters (the last column wraps on some terminals).

    Train and test figures stay whatever the width: the bar shrinks first, then goes, then the
    speed, then the epoch total; only a terminal too narrow for the figures alone cuts them.
    """
    figures = "  ".join(
        f"{k} {_figure(v)}" + (f" (test {_figure(metrics['test_' + k])})" if f"test_{k}" in metrics else "")
        for k, v in metrics.items() if not k.startswith("test_"))
    speed = f"{_rate(per_second)} epochs/s"
    room = width - 1
    texts = ["  ".join(p for p in parts if p) for parts in (
        (f"epoch {epoch:,}/{epochs:,}", speed, figures), (f"epoch {epoch:,}/{epochs:,}", figures),
        (f"epoch {epoch:,}", figures))]
    bar = min(BAR_WIDTH, room - len(texts[0]) - 3)  # "[", "]" and a space
    if bar >= MIN_BAR_WIDTH:
        filled = int(bar * min(max(fraction, 0.0), 1.0))
        return f"[{'#' * filled}{'.' * (bar - filled)}] {texts[0]}"
    return next((t for t in texts if len(t) <= room), texts[-1][:room])


class ProgressPrinter:
    """Training progress on stderr: one line redrawn in place on a terminal, a plain line every few
    seconds otherwise. Called in the engine's thread; :meth:`note` from the main thread."""

    def __init__(self, start: int, target: int, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start, self.target = start, target
        self.last = 0.0
        self.metrics: dict[str, float] = {}
        self.failure: str | None = None
        self.seconds = 0.0
        self.started = False
        self._open = False  # a progress line is on screen without its newline
        # Re-entrant: an abort raised in the main thread while it holds the lock still gets to print.
        self._lock = threading.RLock()

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError):
            return 80

    def __call__(self, event) -> None:
        from playground.core import events as ev

        if isinstance(event, ev.Metrics):
            self.metrics = event.last()
        elif isinstance(event, ev.Started) and not self.started:
            self.started = True
            where = f"Resuming at epoch {event.epoch:,} on" if event.epoch else "Training on"
            self.note(f"{where} {event.device}: {event.parameters:,} parameters, "
                      f"{event.batches_per_epoch} batches per epoch.")
        elif isinstance(event, ev.Progress):
            now = time.monotonic()
            done = event.epoch >= self.target and event.batch == 0
            if now - self.last < (0.1 if self.tty else 5.0) and not done:
                return
            self.last = now
            epochs = event.epoch + event.batch / max(event.batches_per_epoch, 1)
            fraction = (epochs - self.start) / max(self.target - self.start, 1)
            with self._lock:
                if self.tty:
                    line = progress_line(self._width(), fraction, event.epoch, self.target,
                                         event.epochs_per_second, self.metrics)
                    self.stream.write(f"\r{line}\x1b[K")  # \x1b[K clears what a longer line left
                    self._open = True
                else:
                    self.stream.write(progress_line(LOG_WIDTH, fraction, event.epoch, self.target,
                                                    event.epochs_per_second, self.metrics) + "\n")
                self.stream.flush()
        elif isinstance(event, (ev.Failed, ev.Diverged)):
            self.failure = event.message
        elif isinstance(event, ev.Finished):
            self.seconds += event.seconds

    def note(self, text: str) -> None:
        """A line of its own; on a terminal it replaces the progress line, which the next event redraws."""
        with self._lock:
            self.stream.write(("\r\x1b[K" if self._open else "") + text + "\n")
            self.stream.flush()
            self._open = False

    def close(self) -> None:
        with self._lock:
            if self._open:
                self.stream.write("\n")
                self.stream.flush()
                self._open = False


# -- train: signals ---------------------------------------------------------------------------

class _Interrupts(Interrupts):
    """SIGINT and SIGTERM while training: the first stops the engine at the end of its chunk (the
    files are then written), a second aborts. Before training begins and after the files are
    written there is nothing to save: the first aborts (before) or is ignored (after).

    The handler only sets state and raises: printing from a handler can re-enter a stream the
    interrupted code was writing, so :meth:`report` prints the notice from the waiting loop.
    """

    def __init__(self, printer: ProgressPrinter):
        self.engine = None  # set once it exists; until training begins a signal aborts
        self.lock = None  # the output folder's FolderLock: its file goes, even on an abort
        self.printer = printer
        self.training = False
        self.stopping = False
        self.finished = False
        self._reported = False

    def _handle(self, signum, frame) -> None:
        if self.finished:
            return
        if not self.training or self.stopping:
            raise KeyboardInterrupt
        self.stopping = True
        self.engine.stop()

    def listen(self, event) -> None:
        """Engine thread: a run began. Each run clears the engine's stop flag, so a stop asked for
        while it was starting (between checkpoints) is asked again."""
        from playground.core import events as ev

        if isinstance(event, ev.Started):
            self.training = True
            if self.stopping:
                self.engine.stop()

    def report(self) -> None:
        """Main thread: say once that a stop is under way and how to abort it."""
        if self.stopping and not self._reported:
            self._reported = True
            self.printer.note("playground: stopping at the end of this chunk of training to write the files; "
                              "interrupt again to abort without them.")


def _wait(future: concurrent.futures.Future, interrupts: _Interrupts):
    """The result of work in the engine's thread, waited for in short slices so that signal handlers
    run at once. An abort while that thread is inside TensorFlow ends the process here: a thread
    cannot be stopped mid-chunk, and nothing is being written then (files are written by this thread)."""
    try:
        while True:
            try:
                return future.result(timeout=WAIT_SLICE)
            except concurrent.futures.TimeoutError:
                interrupts.report()
    except KeyboardInterrupt:
        interrupts.printer.close()
        if interrupts.lock is not None:
            interrupts.lock.release()
        print(f"playground: {ABORTED}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)


# -- train: files -----------------------------------------------------------------------------

def _output_folder(args, source: Path | None) -> Path:
    """Where the run goes: --out, else the resumed folder, else ./NAME-run; absolute, so that a
    folder given as "." has a name to be written under."""
    if args.out is not None and not args.out.strip():
        raise PlaygroundError("--out needs a folder name; it was given an empty one.")
    out = Path(os.path.abspath(args.out or source or Path.cwd() / f"{Path(args.experiment).stem}-run"))
    if not out.name:
        raise PlaygroundError(f"--out {out} is the root of the file system; name a folder for the run.")
    if out.exists() and not out.is_dir():
        raise PlaygroundError(f"--out {out} exists and is not a folder.")
    return out


def _refuse_existing(out: Path, args, source: Path | None) -> None:
    """A folder that holds something is replaced only when asked: a run with --overwrite, its own
    run with --resume. A folder of other files is never a run's (nothing of it would be lost, but a
    run is not written into a home folder by a typo)."""
    from playground.core.export import RUN_FILES, RUN_MANIFEST

    if not out.is_dir() or not any(out.iterdir()) or (source is not None and out.samefile(source)):
        return
    if not any((out / name).exists() for name in (*RUN_FILES, RUN_MANIFEST)):
        raise PlaygroundError(f"{out} is a folder of other files, not a run; train writes a run into a new or "
                              "empty folder (or over a run of its own, with --overwrite).")
    if not args.overwrite:
        raise PlaygroundError(f"{out} holds a run already; add --overwrite to replace it, use --resume {out} to "
                              "continue it, or name another folder with --out.")


def _run_entries(folder: Path) -> bool:
    """Whether ``folder`` holds only what write_run writes (and hidden temporaries of its writers)."""
    from playground.core.export import ABOUT_SUFFIX, RUN_FILES, RUN_MANIFEST

    ours = {*RUN_FILES, *(n + ABOUT_SUFFIX for n in RUN_FILES), RUN_MANIFEST}
    return all(n in ours or n.startswith(".") for n in os.listdir(folder))


def _clean_unfinished(out: Path) -> None:
    """Folders a killed process left while writing ``out`` (the caller holds its lock, so no process
    writes them now): removed where they hold only run files, otherwise named on stderr."""
    import shutil

    from playground.files import unfinished_writes

    left = unfinished_writes(out)
    inside = sorted(out.glob(".writing-*")) if out.is_dir() else []  # staged inside by earlier versions
    removable = [p for p in (*left, *inside) if out.is_dir() and p.is_dir() and _run_entries(p)]
    for path in removable:
        shutil.rmtree(path, ignore_errors=True)
    if removable:
        print(f"playground: removed {len(removable)} unfinished write(s) of {out} that a killed process left "
              f"({', '.join(p.name for p in removable)}).", file=sys.stderr)
    kept = [p for p in (*left, *inside) if p not in removable]
    if kept:
        print(f"playground: {_unfinished(out, kept)}", file=sys.stderr)


def _unfinished(out: Path, left: list[Path]) -> str:
    names = ", ".join(map(str, left))
    if out.exists():
        return (f"a killed process left unfinished writes of {out} ({names}); they may hold files of yours "
                "that were in the run folder: look through them, then remove them.")
    return (f"a process was killed while it replaced {out}: the run is in {names} (the one ending in .old is "
            f"the previous version); rename the one to keep to {out.name}.")


def _bounds(model, field: str) -> tuple[int | None, int | None]:
    """The (ge, le) bounds of a pydantic field: options take their ranges from the experiment's own."""
    bounds = {k: getattr(m, k) for m in model.model_fields[field].metadata for k in ("ge", "le")
              if getattr(m, k, None) is not None}
    return bounds.get("ge"), bounds.get("le")


def _check_range(option: str, value: int, model, field: str) -> None:
    low, high = _bounds(model, field)
    if (low is not None and value < low) or (high is not None and value > high):
        raise PlaygroundError(f"{option} must be between {low:,} and {high:,} (got {value:,}).")


# -- train ------------------------------------------------------------------------------------

def _train(args) -> int:
    from playground.core import spec
    from playground.core.export import check_keras_archive, read_run
    from playground.data import load_dataset
    from playground.files import FolderLock, unfinished_writes

    if (args.experiment is None) == (args.resume is None):
        raise PlaygroundError("Give train either an experiment file or --resume DIR (one of them).")
    for option in ("epochs", "checkpoint_every"):
        if getattr(args, option) is not None:
            _check_range(f"--{option.replace('_', '-')}", getattr(args, option), spec.TrainingSpec, "epochs")
    run = None
    if args.resume:
        source = Path(os.path.abspath(args.resume))
        if not source.exists() and unfinished_writes(source):
            raise PlaygroundError(f"Cannot resume from {source}: {_unfinished(source, unfinished_writes(source))}")
        run = read_run(source)
        exp, done = run.experiment, run.epochs
    else:
        source, done = None, 0
        exp = spec.load(args.experiment)
    if args.device:
        exp.training.device = args.device
    saved = exp.model_copy(deep=True)  # experiment.json keeps the experiment's own epochs; run.json the target
    if args.epochs is not None:
        high = _bounds(spec.TrainingSpec, "epochs")[1]
        if done + args.epochs > high:
            raise PlaygroundError(f"--epochs {args.epochs:,} more after the {done:,} trained would make "
                                  f"{done + args.epochs:,} epochs, over the {high:,} an experiment allows.")
        exp.training.epochs = done + args.epochs
    else:  # on to the run's target (--epochs when it began), then to the experiment's own epochs
        goals = [g for g in (run.target if run else 0, saved.training.epochs) if g > done]
        if not goals:
            raise PlaygroundError(f"{source} has trained all {done:,} epochs of its experiment; add --epochs N "
                                  "to train N more.")
        exp.training.epochs = goals[0]
    out = _output_folder(args, source)
    if source is not None:
        check_keras_archive(source / "model.keras")  # the engine hands it to Keras as it is
    dataset = load_dataset(**exp.dataset.model_dump())
    spec.check(exp, dataset.task, dataset.output_units)
    try:  # only now, with the input checked, is anything made: no empty folder for a refused run
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, a read-only or missing place
        raise PlaygroundError(f"Cannot make the folder {out.parent}: {exc.strerror or exc}.") from None
    if not os.access(out.parent, os.W_OK):
        raise PlaygroundError(f"Cannot write {out}: the folder {out.parent} is not writable.")
    with FolderLock(out) as lock:
        _refuse_existing(out, args, source)
        _clean_unfinished(out)
        return _train_and_write(args, exp, saved, dataset, out, run, lock)


class _WriteFailed(Exception):
    """The run's files could not be written (a full disk, …): training failed, exit 1, not bad input."""


def _write(out: Path, engine, saved, dataset, target: int) -> None:
    from playground.core.export import write_run

    try:
        write_run(out, engine, saved, dataset, target)
    except PlaygroundError as exc:
        raise _WriteFailed(str(exc)) from None


class _TensorBoardLog:
    """--logdir's writer as a listener that cannot fail the run: TensorBoard logging is secondary, so
    its first failure (a full disk, a removed folder) is said once and logging stops there."""

    def __init__(self, writer, printer: ProgressPrinter):
        self.writer, self.printer = writer, printer

    def __call__(self, event) -> None:
        if self.writer is not None:
            try:
                self.writer(event)
            except Exception as exc:  # noqa: BLE001 - whatever the log's failure, training goes on
                self._stop(exc)

    def close(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception as exc:  # noqa: BLE001
                self._stop(exc)

    def _stop(self, exc: Exception) -> None:
        self.writer = None
        reason = str(exc) if isinstance(exc, PlaygroundError) else f"TensorBoard logging failed: " \
                                                                    f"{type(exc).__name__}: {exc}."
        self.printer.note(f"playground: {reason} TensorBoard logging stops here; training goes on and its "
                          "files are written as usual.")


def _train_and_write(args, exp, saved, dataset, out: Path, run, lock) -> int:
    import numpy as np

    from playground.core.export import RUN_FILES, RUN_MANIFEST, check_resumed
    from playground.core.spec import no_better_than_mean
    from playground.tf_quiet import import_tensorflow

    done = run.epochs if run else 0
    target = exp.training.epochs
    printer = ProgressPrinter(done, target)
    with _Interrupts(printer) as interrupts:
        interrupts.lock = lock
        import_tensorflow(args.verbose)
        from playground.core.engine import Engine
        from playground.core.listeners import Listeners

        listeners = Listeners([interrupts.listen, printer])
        engine = interrupts.engine = Engine(exp, listeners, dataset, views=False)
        log = None
        if args.logdir:
            from playground.core.tensorboard import RunWriter, run_folder

            name = Path(args.experiment).stem if args.experiment else run.folder.name
            log = _TensorBoardLog(RunWriter(run_folder(args.logdir, name), engine), printer)
            listeners.append(log)
        reason = "finished"
        try:
            with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="engine") as pool:
                _wait(pool.submit(engine.prepare), interrupts)  # bad settings (a missing GPU, ...) raise: exit 2
                if run is not None:
                    _wait(pool.submit(engine.restore, run.folder / "model.keras", done, run.history), interrupts)
                    _wait(pool.submit(check_resumed, run, engine), interrupts)
                every = args.checkpoint_every or target
                while engine.epoch < target and not interrupts.stopping:
                    reason = _wait(pool.submit(engine.run, min(every, target - engine.epoch)), interrupts)
                    if reason != "finished":
                        break
                    if engine.epoch < target:
                        _write(out, engine, saved, dataset, target)
            printer.close()
            if log is not None:
                log.close()
            if reason in ("failed", "diverged"):
                interrupts.finished = True
                print(f"playground: {printer.failure}", file=sys.stderr)
                if reason == "diverged" and engine.epoch > 0:
                    _write(out, engine, saved, dataset, target)
                    print(f"playground: wrote {', '.join((*RUN_FILES, RUN_MANIFEST))} to {out} as of epoch "
                          f"{engine.epoch:,}, the one restored (python main.py train --resume {out} continues).",
                          file=sys.stderr)
                return EXIT_FAILED
            _write(out, engine, saved, dataset, target)
        except _WriteFailed as exc:
            interrupts.finished = True
            printer.close()
            print(f"playground: {exc} Training stopped; the run's files in {out} are as they were before.",
                  file=sys.stderr)
            return EXIT_FAILED
        interrupts.finished = True  # from here on a signal has nothing left to stop or abort
        stopped = engine.epoch < target
        if stopped:
            print(f"playground: stopped at epoch {engine.epoch:,} of {target:,}; wrote "
                  f"{', '.join((*RUN_FILES, RUN_MANIFEST))} to {out} as trained so far (python main.py train "
                  f"--resume {out} continues).", file=sys.stderr)
        flat = no_better_than_mean(exp, dataset.task, dataset.y_train, dataset.y_test,
                                   np.asarray(engine.history.get("test_mae", ())))
        if flat is not None:  # what the window's Model panel says of such a model
            print(f"playground: warning: {flat.message} {flat.fix}", file=sys.stderr)
        result = {"epochs": engine.epoch, **{k: v[-1] for k, v in engine.history.items() if v},
                  "seconds": round(printer.seconds, 3), "device": engine.device, "out": str(out),
                  "stopped": stopped}
        print(json.dumps(result), flush=True)
    return EXIT_INTERRUPTED if stopped else EXIT_OK


# -- datasets, inspect -------------------------------------------------------------------------

def _datasets(args) -> int:
    from playground.data import export_csv, list_datasets, load_dataset

    if args.export:
        name, path = args.export
        export_csv(load_dataset(name), path)
        print(f"Wrote {name} to {path}.")
        return EXIT_OK
    from playground.core.catalog import TASK_NAMES

    print(f"{'name':<16} {'task':<28} {'inputs':>6} {'samples':>8}  description")
    for info in list_datasets():
        inputs = "-" if info.input_dim is None else str(info.input_dim)
        samples = "-" if info.default_samples is None else str(info.default_samples)
        print(f"{info.name:<16} {TASK_NAMES.get(info.task, info.task):<28} {inputs:>6} {samples:>8}  "
              f"{info.description}")
    return EXIT_OK


def _inspect(args) -> int:
    path = Path(args.file)
    name = path.name
    if name.endswith(".weights.h5"):
        from playground.core.export import describe_weights_file

        print(describe_weights_file(path))
    elif name.endswith(".keras"):
        from playground.core.export import describe_model, load_model
        from playground.tf_quiet import import_tensorflow

        import_tensorflow(args.verbose)
        print(describe_model(load_model(path)))
    elif name.endswith(".json"):
        print(describe_experiment(path))
    else:
        raise PlaygroundError(f"Cannot inspect {path}: expected an experiment .json, a .keras or a "
                              ".weights.h5 file.")
    return EXIT_OK


def _code(args) -> int:
    from playground.core import codegen, spec
    from playground.tf_quiet import import_tensorflow

    exp = spec.load(args.experiment)
    import_tensorflow(args.verbose)  # the file is written from the Keras objects Playground builds
    code, *data = codegen.export_code(exp, args.out, args.style, force=args.force)
    print(f"Wrote {code}{''.join(f' and its data {d}' for d in data)}; run it with: python {code}")
    return EXIT_OK


def _engine(args) -> int:
    from playground.core import server

    return server.main(args.listen, server.read_token(args.token_file), args.many, args.verbose)


def describe_experiment(path: Path) -> str:
    from playground.core import spec
    from playground.core.build import layer_table
    from playground.data import load_dataset

    exp = spec.load(path)
    ds = load_dataset(**exp.dataset.model_dump())
    t = exp.training
    lines = [f"Experiment '{exp.name}' ({path})",
             f"Data: {ds.name}, {ds.task}, {ds.input_dim} inputs, {len(ds.x_train)} train / "
             f"{len(ds.x_test)} test samples",
             f"Training: {exp.loss_for(ds.task)} loss, {t.optimizer} (learning rate {t.learning_rate:g}, "
             f"{t.schedule}), batch {t.batch_size}, {t.epochs} epochs, device {t.device}",
             "", f"{'Layer':<16} {'Type':<14} {'Output':>8} {'Activation':<12} {'Params':>10}"]
    rows = layer_table(exp, ds.input_dim, ds.output_units, ds.task)
    for r in rows:
        lines.append(f"{r.name:<16} {r.kind:<14} {r.output_units:>8} {r.activation:<12} {r.parameters:>10,}")
    trainable = sum(r.parameters for r in rows if r.trainable)
    lines.append(f"Total parameters: {sum(r.parameters for r in rows):,} ({trainable:,} trainable)")
    for problem in spec.problems(exp, ds.task, ds.output_units, ds.y_train):
        lines.append(f"{'Warning' if problem.severity == 'warning' else 'Problem'}: {problem}")
    return "\n".join(lines)
