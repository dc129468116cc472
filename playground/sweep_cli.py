"""``python main.py sweep``: many runs of an experiment (:mod:`playground.core.sweep`) from the command line.

    python main.py sweep EXP.json --set training.learning_rate=0.003,0.01,0.03
                                  --set model.layers.0.units=2,4,8 [--set PATH=log:A:B:N | lin:A:B:N]
                                  [--repeats R] [--epochs N] [--parallel K | --ray local|ADDRESS]
                                  [--progress lines|jsonl] --out DIR

Progress goes to stderr, a line per finished run; the last line on stdout is one JSON object:
``{"best": {...}, "runs": N, ...}``. ``--progress jsonl`` writes each event as a JSON line on stdout
instead (for the window's Sweep dialog, which runs this command as its child). Exit codes: 0 done,
1 a run failed (the others are kept), 2 bad input, 130 stopped by Ctrl-C (finished runs are kept;
the same command goes on where it stopped). This process never imports TensorFlow: runs train in
worker processes.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from playground.errors import PlaygroundError

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def add_parser(sub, common) -> None:
    s = sub.add_parser("sweep", parents=[common], help="train many runs of an experiment with settings changed, "
                       "in parallel (or on Ray)",
                       description="Train every combination of the values given with --set, each run in its own "
                       "process, and write a run folder each (as train --out does) and DIR/sweep.csv. Ctrl-C stops "
                       "and keeps the finished runs; the same command again goes on where it stopped.")
    s.add_argument("experiment", help="an experiment .json file")
    s.add_argument("--set", action="append", default=[], metavar="PATH=VALUES", dest="settings",
                   help="a setting to sweep: a dotted path into the experiment (training.learning_rate, "
                   "model.layers.0.units) and its values: a,b,c or lin:FROM:TO:COUNT or log:FROM:TO:COUNT; "
                   "up to 8 --set")
    s.add_argument("--repeats", type=int, default=1, help="runs per point, with training.seed + 0, 1, … (default 1)")
    s.add_argument("--epochs", type=int, help="epochs of each run (default: the experiment's)")
    s.add_argument("--parallel", type=int, metavar="K", help="runs at once on this machine (default: one per core; "
                   "with --ray local, the CPUs Ray gets)")
    s.add_argument("--ray", metavar="local|ADDRESS", help="run on Ray: 'local' starts one on this machine, an "
                   "address (or 'auto') joins a cluster (needs pip install 'keras-playground[ray]')")
    s.add_argument("--progress", choices=("lines", "jsonl"), default="lines",
                   help="progress as lines on stderr (default) or as JSON lines on stdout")
    s.add_argument("--out", required=True, metavar="DIR", help="the sweep's folder (the same DIR resumes a sweep)")


def _plain(value):
    """JSON without NaN or Infinity (a diverged run's figures): those become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _figures(row: dict) -> str:
    shown = [f"{k} {row[k]:.4g}" for k in ("test_accuracy", "test_mae", "test_loss")
             if isinstance(row.get(k), float)]
    return "  ".join(shown)


class _Lines:
    """Progress as sentences on stderr."""

    def __init__(self, out: Path):
        self.out = out

    def __call__(self, event: dict) -> None:
        kind = event["event"]
        if kind == "start":
            skipped = f" ({event['skipped']:,} done before, skipped)" if event["skipped"] else ""
            text = f"Sweep of {event['runs']:,} runs on {event['where']}{skipped}."
        elif kind == "run":
            text = (f"[{event['done']:,}/{event['of']:,}] {event['label']}: {_figures(event)}  "
                    f"({event['seconds']:.1f} s{', diverged' if event['status'] == 'diverged' else ''})")
        elif kind == "failed":
            text = f"playground: run {event['run']} ({event['label']}) failed: {event['message']}"
        elif kind == "stopping":
            text = (f"playground: stopping; the {event['left']:,} runs not finished are dropped, the finished ones "
                    f"are kept in {self.out} (the same command goes on from there); interrupt again to abort.")
        else:
            return
        print(text, file=sys.stderr, flush=True)


def _jsonl(event: dict) -> None:
    print(json.dumps(_plain(event)), flush=True)


def run(args) -> int:
    from playground.core import spec
    from playground.core.sweep import LocalRunner, RayRunner, Sweep, below_normal_priority, parse_set, run_sweep

    below_normal_priority()  # batch work: the window (or the desktop) that started it comes first; workers inherit it
    base = spec.load(args.experiment)
    settings = [parse_set(text, base) for text in args.settings]
    sweep = Sweep(base, settings, args.repeats, args.epochs)
    sweep.plan()  # every value checked before Ray or a worker starts
    if args.ray:
        if args.parallel is not None and args.ray != "local":
            raise PlaygroundError("--parallel sets the CPUs of a local Ray (--ray local); a cluster's are its own.")
        runner = RayRunner(args.ray, args.parallel)
    else:
        runner = LocalRunner(args.parallel)
    out = Path(args.out)
    report = _jsonl if args.progress == "jsonl" else _Lines(out)
    outcome = run_sweep(sweep, out, runner, report)
    summary = outcome.summary(out)
    if args.progress == "jsonl":
        summary = {"event": "done", **summary}
    print(json.dumps(_plain(summary)), flush=True)
    if outcome.stopped:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if outcome.failed else EXIT_OK
