"""``python -m tests.benchmarks [--quick] [--json PATH] [--only NAME ...]``: run, print a table, write JSON."""
from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

# Before any benchmark imports TensorFlow or Qt: quiet logs, no display needed.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks import BENCHMARKS  # noqa: E402
from tests.benchmarks.common import Record, record  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT = 900  # seconds one benchmark's process may take


def machine() -> dict:
    """What the figures were measured on (GPUs are named in each record's ``device``)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    versions = {}
    for dist in ("tensorflow", "keras", "PySide6-Essentials", "pyqtgraph", "numpy"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {"cpu": cpu, "cpu_count": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "load_average": round(os.getloadavg()[0], 2),  # other work on the machine skews timings
            "os": platform.platform(), "python": platform.python_version(), **versions}


def run_in_process(name: str, quick: bool) -> list[Record]:
    """Run one benchmark here; an exception becomes a record saying so (the others still run)."""
    print(f"{name}: {BENCHMARKS[name]}", file=sys.stderr, flush=True)
    try:
        return importlib.import_module(f"tests.benchmarks.{name}").run(quick)
    except Exception as exc:  # noqa: BLE001 - report it in the table and the exit status
        traceback.print_exc()
        return [record(name, "benchmark run", None, "", note=f"failed: {type(exc).__name__}: {exc}")]


def run_in_child(name: str) -> list[Record]:
    """Run one full-size benchmark in a fresh interpreter; a crash becomes a record saying so."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "records.json"
        cmd = [sys.executable, "-m", "tests.benchmarks", "--in-process", "--only", name, "--json", str(out)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        t0 = time.perf_counter()
        try:
            done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, timeout=CHILD_TIMEOUT)
            print(f"{name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        except subprocess.TimeoutExpired:
            return [record(name, "benchmark run", None, "", note=f"failed: took more than {CHILD_TIMEOUT} s")]
        if not out.exists():
            return [record(name, "benchmark run", None, "", note=f"failed: exit status {done.returncode}")]
        return [Record(**{k: v for k, v in r.items() if k in Record.__dataclass_fields__})
                for r in json.loads(out.read_text())]


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if size >= 0.1 else f"{value:.3g}"


def table(records: list[Record]) -> str:
    """A plain-text table; notes follow it as numbered footnotes."""
    rows = [("benchmark", "figure", "value", "unit", "target", "met")]
    notes: list[str] = []
    for r in records:
        figure = r.figure if r.device == "CPU" else f"{r.figure} [{r.device}]"
        if r.note:
            if r.note not in notes:
                notes.append(r.note)
            figure += f" [{notes.index(r.note) + 1}]"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        rows.append((r.benchmark, figure, fmt(r.value), r.unit, r.target or "", met))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    right = {2}
    lines = []
    for i, row in enumerate(rows):
        cells = [c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"[{i}] {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines)


def write_json(path: str, records: list[Record], info: dict, date: str) -> None:
    """The records as a JSON list, each carrying the machine and the date."""
    from playground.files import write_text_atomic

    docs = [{**r.to_dict(), "machine": info, "date": date} for r in records]
    write_text_atomic(path, json.dumps(docs, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks",
                                description="Run the benchmarks, print a table of the figures, write them as JSON.")
    p.add_argument("--quick", action="store_true", help="tiny sizes, to check that the suite works (CI)")
    p.add_argument("--json", metavar="PATH", help="write the records to this JSON file")
    p.add_argument("--only", action="append", choices=list(BENCHMARKS), metavar="NAME",
                   help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    p.add_argument("--in-process", action="store_true",
                   help="run every benchmark in this process (the default with --quick); otherwise each "
                        "runs in a fresh process, so memory and timing figures don't disturb each other")
    args = p.parse_args(argv)
    in_process = args.in_process or args.quick
    names = args.only or list(BENCHMARKS)
    date = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    info = machine()
    records: list[Record] = []
    t0 = time.perf_counter()
    for name in names:
        records += run_in_process(name, args.quick) if in_process else run_in_child(name)
    print(f"{info['cpu']}, {info['cpu_count']} CPUs, {info['memory_gib']} GiB, load {info['load_average']} "
          f"at the start; {info['os']}; "
          f"Python {info['python']}, TensorFlow {info['tensorflow']}, Keras {info['keras']}; {date}; "
          f"{'quick' if args.quick else 'full'} run, {time.perf_counter() - t0:.0f} s")
    print(table(records))
    if args.json:
        write_json(args.json, records, info, date)
    return 1 if any(r.note.startswith("failed") for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
