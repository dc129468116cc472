"""``python main.py sweep`` as a user runs it: runs in parallel processes and on a local Ray, resume,
Ctrl-C, and bad input. Each run's folder is read back by plain Keras (``safe_mode=True``) and each
sweep.csv row is checked against the run's own history.csv and experiment.json."""
import csv
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.core.experiments import xor_experiment
from tests.processes import alive, children

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ("loss", "test_loss", "accuracy", "test_accuracy")
pytestmark = pytest.mark.timeout(900)  # each sweep starts worker processes that import TensorFlow


def environment(**extra) -> dict[str, str]:
    """A user's shell (none of the tests' TensorFlow settings), ``extra`` added."""
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "PLAYGROUND_VERBOSE")}
    return {**env, **extra}


@pytest.fixture
def experiment(tmp_path) -> Path:
    exp = xor_experiment(epochs=50)
    exp.dataset.samples = 100
    exp.dataset.test_fraction = 0.3
    path = tmp_path / "xor.json"
    exp.save(path)
    return path


def sweep(*args, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "sweep", *map(str, args)], capture_output=True,
                          text=True, env=env or environment(), timeout=timeout)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def table(out: Path) -> tuple[list[str], list[dict]]:
    with open(out / "sweep.csv", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def setting(doc: dict, path: str):
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def check_runs(out: Path, paths: list[str]) -> list[dict]:
    """Every row against its folder: the history's last figures and length, the experiment's values,
    and a model plain Keras loads with the swept units."""
    import keras

    columns, rows = table(out)
    assert columns[1:1 + len(paths)] == paths
    for row in rows:
        folder = out / row["folder"]
        with open(folder / "history.csv", newline="") as f:
            history = list(csv.DictReader(f))
        assert int(row["epochs"]) == len(history) == int(history[-1]["epoch"])
        for figure in FIGURES:
            assert float(row[figure]) == float(history[-1][figure]), (row["folder"], figure)
        doc = json.loads((folder / "experiment.json").read_text())
        for path in paths:
            assert json.loads(row[path]) == setting(doc, path)
        assert int(row["seed"]) == doc["training"]["seed"]
        model = keras.saving.load_model(folder / "model.keras", safe_mode=True)
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        assert dense[0].units == doc["model"]["layers"][0]["units"]
    return rows


def test_parallel_sweep_writes_a_run_folder_per_run_and_resumes_skipping_finished_runs(experiment, tmp_path):
    out = tmp_path / "sweep"
    first = sweep(experiment, "--set", "training.learning_rate=0.01,0.05", "--set", "model.layers.0.units=3",
                  "--epochs", 4, "--parallel", 2, "--out", out)
    assert first.returncode == 0, first.stderr
    result = last_json(first.stdout)
    assert (result["runs"], result["trained"], result["skipped"]) == (2, 2, 0)
    assert "2 local processes" in first.stderr
    rows = check_runs(out, ["training.learning_rate", "model.layers.0.units"])
    assert [(r["run"], r["training.learning_rate"], r["model.layers.0.units"]) for r in rows] == \
        [("1", "0.01", "3"), ("2", "0.05", "3")]
    kept = {r["folder"]: (out / r["folder"] / "model.keras").stat().st_mtime_ns for r in rows}

    again = sweep(experiment, "--set", "training.learning_rate=0.01,0.05", "--set", "model.layers.0.units=3,5",
                  "--epochs", 4, "--parallel", 2, "--out", out)
    assert again.returncode == 0, again.stderr
    result = last_json(again.stdout)
    assert (result["runs"], result["trained"], result["skipped"]) == (4, 2, 2)
    assert "(2 done before, skipped)" in again.stderr
    rows = check_runs(out, ["training.learning_rate", "model.layers.0.units"])
    assert [(r["training.learning_rate"], r["model.layers.0.units"]) for r in rows] == \
        [("0.01", "3"), ("0.01", "5"), ("0.05", "3"), ("0.05", "5")]  # grid order
    assert {f: (out / f / "model.keras").stat().st_mtime_ns for f in kept} == kept  # not trained again
    best = max(rows, key=lambda r: (float(r["test_accuracy"]), -float(r["test_loss"])))
    assert result["best"]["folder"] == best["folder"]
    assert result["best"]["test_loss"] == float(best["test_loss"])


def test_sweep_on_a_local_ray(experiment, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    done = sweep(experiment, "--set", "model.layers.0.units=2,4", "--epochs", 3, "--ray", "local", "--parallel", 2,
                 "--out", out)
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert result["runs"] == result["trained"] == 2
    assert result["where"].startswith("Ray (local: 2 CPUs")
    check_runs(out, ["model.layers.0.units"])


def _stderr_lines(process) -> queue.Queue:
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr] + [lines.put(None)],
                     daemon=True).start()
    return lines


def _wait_for_line(lines: queue.Queue, seen: list[str], text: str, seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
        assert line is not None, "the sweep ended:\n" + "".join(seen)
        seen.append(line)
        if text in line:
            return line
    pytest.fail(f"no line with {text!r} came:\n" + "".join(seen))


def test_ctrl_c_stops_the_sweep_and_keeps_finished_runs(experiment, tmp_path):
    out = tmp_path / "stopped"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sweep", str(experiment), "--set",
                                "training.epochs=3,1000000", "--parallel", "1", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment())
    _wait_for_line(_stderr_lines(process), [], "[1/2]")
    _, rows = table(out)  # sweep.csv lists a run as soon as it finished
    assert [(r["training.epochs"], r["status"]) for r in rows] == [("3", "finished")]
    time.sleep(1)  # the second run is under way
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=120)
    assert code == 130
    result = last_json(process.stdout.read())
    assert result["stopped"] and result["runs"] == 1
    _, rows = table(out)
    assert [(r["training.epochs"], r["epochs"], r["status"]) for r in rows] == [("3", "3", "finished")]
    check_runs(out, ["training.epochs"])
    assert not (out / "runs" / "training.epochs=1000000,seed=0" / "model.keras").exists()


def test_a_worker_killed_mid_run_fails_only_its_run_and_a_fresh_worker_trains_the_rest(experiment, tmp_path):
    """The OOM killer takes one of two workers while both train endless runs: that run fails with a
    sentence, the other trains on, and a fresh worker trains the runs still waiting."""
    out = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "sweep", str(experiment), "--set",
                                "training.epochs=4,1000000,5", "--set", "training.learning_rate=0.01,0.03",
                                "--parallel", "2", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment())
    try:
        lines, seen = _stderr_lines(process), []
        _wait_for_line(lines, seen, "[2/6]")  # runs 1 and 2 done: both workers train endless runs
        time.sleep(1)
        workers = [pid for pid in children(process.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        failed = _wait_for_line(lines, seen, "failed:")
        assert "The run's process ended before the run did (killed by SIGKILL)" in failed, failed
        _wait_for_line(lines, seen, "[4/6]")  # runs 5 and 6, on a fresh worker
        assert alive(workers[1])  # the other endless run trains on
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 130
    finally:
        process.kill()
    result = last_json(process.stdout.read())
    assert (result["trained"], result["failed"], result["stopped"]) == (4, 1, True)
    rows = check_runs(out, ["training.epochs", "training.learning_rate"])
    assert [(r["training.epochs"], r["status"]) for r in rows] == [("4", "finished")] * 2 + [("5", "finished")] * 2
    assert not any(alive(pid) for pid in workers)


def test_bad_values_are_refused_before_anything_trains(experiment, tmp_path):
    out = tmp_path / "never"
    done = sweep(experiment, "--set", "training.learning_rate=0.01,-1", "--out", out)
    assert done.returncode == 2
    assert done.stderr.strip() == ("playground: The sweep's training.learning_rate=-1 is refused: "
                                   "training.learning_rate: input should be greater than 0 (got -1).")
    assert not out.exists()


def test_ray_not_installed_says_how_to_install_it(experiment, tmp_path):
    hidden = tmp_path / "no-ray"
    (hidden / "ray").mkdir(parents=True)
    (hidden / "ray" / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    env = environment(PYTHONPATH=os.pathsep.join([str(hidden), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    done = sweep(experiment, "--set", "training.learning_rate=0.01", "--ray", "local", "--out", tmp_path / "o",
                 env=env)
    assert done.returncode == 2
    assert "pip install 'keras-playground[ray]'" in done.stderr and "Traceback" not in done.stderr
