"""The command line: the same engine as the window, without the window.

    python main.py                              open the app
    python main.py EXPERIMENT.json              open the app with an experiment
    python main.py train EXPERIMENT.json [--epochs N] [--out DIR] [--device auto|cpu|gpu]
    python main.py datasets [--export NAME FILE.csv]
    python main.py inspect FILE                 an experiment, .keras or .weights.h5 file

Exit codes: 0 done, 2 bad input (one sentence on stderr), 1 training failed.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from playground.errors import PlaygroundError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
SUBCOMMANDS = ("train", "datasets", "inspect")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 already; keep its usage line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message[0].upper() + message[1:]}.", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="playground", description="Playground: a desktop neural-network playground.")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train an experiment headless and write the model and history")
    t.add_argument("experiment", help="an experiment .json file")
    t.add_argument("--epochs", type=int, help="epochs to train (default: the experiment's)")
    t.add_argument("--out", help="folder for model.keras, model.weights.h5, history.csv, experiment.json "
                                 "(default: ./<experiment name>-run)")
    t.add_argument("--device", choices=("auto", "cpu", "gpu"), help="where to train (default: the experiment's)")
    d = sub.add_parser("datasets", help="list the built-in data sets, or export one as CSV")
    d.add_argument("--export", nargs=2, metavar=("NAME", "FILE.csv"), help="write a data set to a CSV file")
    i = sub.add_parser("inspect", help="summarise an experiment, .keras or .weights.h5 file")
    i.add_argument("file")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUBCOMMANDS and not argv[0].startswith("-"):
        from playground.ui.app import main as app_main

        return app_main(argv)
    args = _parser().parse_args(argv)
    try:
        return {"train": _train, "datasets": _datasets, "inspect": _inspect}[args.command](args)
    except PlaygroundError as exc:
        print(f"playground: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("playground: interrupted.", file=sys.stderr)
        return EXIT_FAILED


# -- train ------------------------------------------------------------------------------------

class _ProgressPrinter:
    """A one-line progress bar on a terminal; occasional plain lines otherwise."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.last = 0.0
        self.metrics: dict[str, float] = {}
        self.failure: str | None = None
        self.seconds = 0.0

    def __call__(self, event) -> None:
        from playground.core import events as ev

        if isinstance(event, ev.Metrics):
            self.metrics = event.last()
        elif isinstance(event, ev.Started):
            print(f"Training on {event.device}: {event.parameters:,} parameters, "
                  f"{event.batches_per_epoch} batches per epoch.", file=self.stream)
        elif isinstance(event, ev.Progress):
            now = time.monotonic()
            if now - self.last < (0.1 if self.tty else 5.0) and event.fraction < 1:
                return
            self.last = now
            width = 30
            filled = int(width * event.fraction)
            figures = "  ".join(f"{k} {v:.4g}" for k, v in self.metrics.items())
            line = (f"[{'#' * filled}{'.' * (width - filled)}] epoch {event.epoch}  "
                    f"{event.epochs_per_second:,.0f} epochs/s  {figures}")
            if self.tty:
                print("\r" + line[: os.get_terminal_size(self.stream.fileno()).columns - 1], end="",
                      file=self.stream, flush=True)
            else:
                print(line, file=self.stream, flush=True)
        elif isinstance(event, (ev.Failed, ev.Diverged)):
            self.failure = event.message
        elif isinstance(event, ev.Finished):
            self.seconds = event.seconds
            if self.tty:
                print(file=self.stream)


def _train(args) -> int:
    from playground.core import spec
    from playground.core.engine import Engine
    from playground.core.export import save_history, save_model, save_weights
    from playground.data import load_dataset

    exp_path = Path(args.experiment)
    exp = spec.load(exp_path)
    if args.epochs is not None:
        if args.epochs < 1:
            raise PlaygroundError(f"--epochs must be 1 or more (got {args.epochs}).")
        exp.training.epochs = args.epochs
    if args.device:
        exp.training.device = args.device
    out = Path(args.out) if args.out else Path.cwd() / f"{exp_path.stem}-run"
    if out.exists() and not out.is_dir():
        raise PlaygroundError(f"--out {out} exists and is not a folder.")
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(out, os.W_OK):
        raise PlaygroundError(f"The output folder {out} is not writable.")
    dataset = load_dataset(**exp.dataset.model_dump())
    spec.check(exp, dataset.task, dataset.output_units)

    printer = _ProgressPrinter()
    engine = Engine(exp, printer, dataset)
    engine.prepare()  # bad settings (a GPU that isn't there, ...) raise here: exit 2
    reason = engine.run()
    if reason in ("failed", "diverged"):
        print(f"playground: {printer.failure}", file=sys.stderr)
        return EXIT_FAILED
    save_model(engine.model, out / "model.keras")
    save_weights(engine.model, out / "model.weights.h5")
    save_history(engine.history, out / "history.csv")
    exp.save(out / "experiment.json")
    result = {"epochs": engine.epoch, **{k: v[-1] for k, v in engine.history.items()},
              "seconds": round(printer.seconds, 3), "device": engine.device, "out": str(out)}
    print(json.dumps(result))
    return EXIT_OK


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

        print(describe_model(load_model(path)))
    elif name.endswith(".json"):
        print(describe_experiment(path))
    else:
        raise PlaygroundError(f"Cannot inspect {path}: expected an experiment .json, a .keras or a "
                              ".weights.h5 file.")
    return EXIT_OK


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
    for problem in spec.problems(exp, ds.task, ds.output_units):
        lines.append(f"Problem: {problem}")
    return "\n".join(lines)
