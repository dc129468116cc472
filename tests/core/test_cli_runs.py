"""Long runs on the command line: Ctrl-C and SIGTERM, checkpoints, a crash, and --resume.

Each run is a fresh ``python main.py train`` process, signalled as a shell or a job scheduler
would; its files are read back by plain Keras (``safe_mode=True``). Waits are bounded.
"""
import csv
import json
import math
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from playground.core import spec
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset
from playground.errors import PlaygroundError

ROOT = Path(__file__).resolve().parents[2]
XOR = ROOT / "resources" / "examples" / "xor.json"
MANY = 1_000_000  # epochs no test waits for: runs end by a signal
TF_LOG_LINE = re.compile(r"^([IWEF]\d{4} \d\d:\d\d|WARNING: All log messages before absl)", re.MULTILINE)


def environment() -> dict[str, str]:
    """A user's shell: none of the tests' own TensorFlow settings."""
    return {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "PLAYGROUND_VERBOSE")}


def train(*args, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "train", *map(str, args)],
                            capture_output=True, text=True, env=environment(), timeout=timeout)
    assert result.returncode == 0, result.stderr
    assert not TF_LOG_LINE.search(result.stderr), result.stderr
    return result


class Training:
    """``python main.py train ARGS`` in the background, its stderr read line by line as it comes."""

    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "train", *map(str, args)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=environment())
        self.stderr: list[str] = []
        self._lines: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, pattern: str, seconds: float) -> str:
        """The first new stderr line matching ``pattern``; fails after ``seconds`` or at the end of output."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                pytest.fail(f"the run ended before printing /{pattern}/:\n{''.join(self.stderr)}")
            self.stderr.append(line)
            if re.search(pattern, line):
                return line
        pytest.fail(f"no /{pattern}/ within {seconds} s:\n{''.join(self.stderr)}")

    def finish(self, seconds: float) -> tuple[int, str, str]:
        """(exit code, stdout, all of stderr) once the process has ended."""
        code = self.process.wait(timeout=seconds)
        self._reader.join(timeout=10)
        while (line := self._lines.get_nowait() if not self._lines.empty() else None) is not None:
            self.stderr.append(line)
        return code, self.process.stdout.read(), "".join(self.stderr)

    def __enter__(self) -> "Training":
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()


def batches_per_epoch(exp: Experiment) -> int:
    ds = load_dataset(**exp.dataset.model_dump())
    return math.ceil(len(ds.y_train) / exp.training.batch_size)


def history_rows(folder: Path) -> list[dict]:
    with open(folder / "history.csv", newline="") as f:
        return list(csv.DictReader(f))


def saved_state(folder: Path):
    """(weights, optimizer variables, optimizer steps) of the folder's model.keras, loaded by plain
    Keras; checks on the way that model.weights.h5 holds the same weights."""
    import keras

    model = keras.models.load_model(folder / "model.keras", safe_mode=True)
    weights = model.get_weights()
    model.load_weights(folder / "model.weights.h5")
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b, err_msg="model.weights.h5 is not model.keras's weights")
    optimizer = [v.numpy() for v in model.optimizer.variables]
    return weights, optimizer, int(model.optimizer.iterations.numpy())


# -- Ctrl-C and SIGTERM ---------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_first_signal_stops_and_writes_what_was_trained(tmp_path, sig):
    out = tmp_path / "run"
    with Training(XOR, "--epochs", MANY, "--out", out, "--device", "cpu") as run:
        run.wait_for(r"epochs/s", 240)  # a progress line: training is under way
        run.process.send_signal(sig)
        code, stdout, stderr = run.finish(120)
    assert code == 130, stderr
    assert "Traceback" not in stderr and not TF_LOG_LINE.search(stderr), stderr
    summary = json.loads(stdout.strip().splitlines()[-1])
    epochs = summary["epochs"]
    assert summary["stopped"] is True and 1 <= epochs < MANY
    assert f"stopped at epoch {epochs:,} of {MANY:,}; wrote model.keras" in stderr
    rows = history_rows(out)
    assert [int(r["epoch"]) for r in rows] == list(range(1, epochs + 1)), "history.csv is not the epochs trained"
    assert float(rows[-1]["loss"]) == summary["loss"]
    _, _, steps = saved_state(out)
    exp = spec.load(out / "experiment.json")
    assert steps == epochs * batches_per_epoch(exp), "model.keras is not the model of the epochs reported"
    assert json.loads((out / "run.json").read_text())["target"] == MANY, "run.json keeps the run's goal, for --resume"
    assert exp.training.epochs == spec.load(XOR).training.epochs, "experiment.json keeps the experiment's own"


def test_a_second_signal_aborts_at_once(tmp_path):
    """A run whose first chunk (one epoch of 45,000 batches) lasts seconds: the second Ctrl-C must
    not wait for it."""
    exp = Experiment(name="slow")
    exp.dataset.samples, exp.dataset.test_fraction = 50_000, 0.1
    exp.model.layers = [LayerSpec(units=512), LayerSpec(units=512)]
    exp.training.batch_size, exp.training.epochs, exp.training.device = 1, 3, "cpu"
    exp.save(tmp_path / "slow.json")
    out = tmp_path / "run"
    with Training(tmp_path / "slow.json", "--out", out) as run:
        run.wait_for(r"^Training on", 240)
        time.sleep(1.0)  # into the first chunk, which starts within milliseconds and lasts seconds
        run.process.send_signal(signal.SIGINT)
        run.wait_for(r"stopping at the end of this chunk", 30)
        run.process.send_signal(signal.SIGINT)
        code, stdout, stderr = run.finish(60)
    assert code == 130, stderr
    assert "playground: aborted;" in stderr and "Traceback" not in stderr, stderr
    assert "epochs/s" not in stderr and "stopped at epoch" not in stderr, \
        f"the abort waited for the chunk to end:\n{stderr}"
    assert stdout == "" and list(tmp_path.iterdir()) == [tmp_path / "slow.json"], \
        "an abort before any epoch writes nothing, not even temporaries or the folder's lock"


# -- checkpoints ----------------------------------------------------------------------------------

def test_checkpoints_come_every_n_epochs_and_a_crash_leaves_one_to_resume(tmp_path):
    out = tmp_path / "run"
    with Training(XOR, "--epochs", MANY, "--checkpoint-every", 3, "--out", out, "--device", "cpu") as run:
        run.wait_for(r"epochs/s", 240)
        deadline = time.monotonic() + 120
        while not (out / "history.csv").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (out / "history.csv").exists(), "no checkpoint within 120 s"
        time.sleep(1.0)  # more checkpoints; the kill lands in one of them, most likely mid-write
        run.process.kill()
        run.finish(30)
    epochs = len(history_rows(out))
    assert epochs >= 3 and epochs % 3 == 0, f"a checkpoint at epoch {epochs}, not a multiple of 3"
    exp = spec.load(out / "experiment.json")
    _, _, steps = saved_state(out)
    assert steps == epochs * batches_per_epoch(exp), "the files left are not one checkpoint's"
    resumed = train("--resume", out, "--epochs", 2)
    assert json.loads(resumed.stdout.strip().splitlines()[-1])["epochs"] == epochs + 2


def test_a_failed_write_leaves_the_previous_checkpoint_whole(tmp_path, monkeypatch):
    """The disk fills while the history is written: the four files of the last checkpoint stay."""
    from playground.core.export import write_run
    from playground.core import export
    from playground.core.engine import Engine

    exp = Experiment(name="tiny")
    exp.model.layers = [LayerSpec(units=5)]
    exp.training.epochs = 4
    ds = load_dataset(**exp.dataset.model_dump())
    engine = Engine(exp, dataset=ds)
    assert engine.run(2) == "finished"
    write_run(tmp_path, engine, exp, ds)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert engine.run(2) == "finished"

    def disk_full(history, path):
        raise PlaygroundError(f"Cannot write {path}: No space left on device.")

    monkeypatch.setattr(export, "save_history", disk_full)
    with pytest.raises(PlaygroundError, match="No space left"):
        write_run(tmp_path, engine, exp, ds)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(after) == sorted(before), "a failed write left files behind or took some away"
    changed = [name for name in before if after[name] != before[name]]
    assert not changed, f"{changed} changed although the checkpoint was not completed"


# -- resume ---------------------------------------------------------------------------------------

def test_five_epochs_then_five_resumed_are_ten_straight(tmp_path):
    """Weights, Adam's moments and step count, and the history: bit for bit, since each epoch's
    shuffle depends on the seed and the epoch index only. The resumed half also checkpoints every
    two epochs, which must not change the training either."""
    straight, split = tmp_path / "straight", tmp_path / "split"
    train(XOR, "--epochs", 10, "--out", straight, "--device", "cpu")
    train(XOR, "--epochs", 5, "--out", split, "--device", "cpu")
    resumed = train("--resume", split, "--epochs", 5, "--checkpoint-every", 2)
    summary = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert summary["epochs"] == 10, f"5 more epochs after 5 end at epoch {summary['epochs']}, not 10"
    assert summary["out"] == str(split), "a resumed run writes into its own folder unless --out says otherwise"
    assert "Resuming at epoch 5" in resumed.stderr
    assert history_rows(split) == history_rows(straight), "the resumed history is not the straight run's"
    weights, optimizer, steps = saved_state(split)
    weights_straight, optimizer_straight, steps_straight = saved_state(straight)
    exp = spec.load(XOR)
    assert steps == steps_straight == 10 * batches_per_epoch(exp)
    for a, b in zip(weights, weights_straight, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="the resumed weights differ from the straight run's")
    for a, b in zip(optimizer, optimizer_straight, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="the resumed optimizer state differs from the straight run's")


def refused(*args) -> str:
    """The one sentence of a refused ``python main.py train ARGS``."""
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "train", *map(str, args)],
                            capture_output=True, text=True, env=environment(), timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip()


def test_resume_refuses_a_finished_run_and_another_optimizer(tmp_path):
    exp, out = spec.load(XOR), tmp_path / "run"
    exp.training.epochs = 2
    exp.save(tmp_path / "two.json")
    train(tmp_path / "two.json", "--out", out, "--device", "cpu")
    assert "has trained all 2 epochs of its experiment; add --epochs N" in refused("--resume", out)
    exp = spec.load(out / "experiment.json")
    exp.training.optimizer = "sgd"
    exp.save(out / "experiment.json")
    assert "was not trained with this experiment's sgd optimizer" in refused("--resume", out, "--epochs", 1)
