"""The command line, run as a user runs it: a fresh process, exit codes, files, one JSON line."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core.spec import Experiment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"


def run(*args, cwd=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_train_writes_the_files_and_prints_one_json_line(tmp_path):
    out = tmp_path / "run"
    result = run("train", EXAMPLES / "xor.json", "--epochs", 15, "--out", out, "--device", "cpu")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["epochs"] == 15 and summary["device"] == "CPU"
    for key in ("loss", "test_loss", "accuracy", "test_accuracy", "seconds"):
        assert isinstance(summary[key], float)
    assert {p.name for p in out.iterdir()} == {"model.keras", "model.weights.h5", "history.csv",
                                               "experiment.json"}
    assert len(list(csv.DictReader((out / "history.csv").open()))) == 15
    assert json.loads((out / "experiment.json").read_text())["training"]["epochs"] == 15
    inspected = run("inspect", out / "model.keras")
    assert inspected.returncode == 0 and "hidden_2" in inspected.stdout
    weights = run("inspect", out / "model.weights.h5")
    assert "Total parameters: 105" in weights.stdout


def test_regression_reports_mae(tmp_path):
    result = run("train", EXAMPLES / "reg-plane.json", "--epochs", 3, "--out", tmp_path)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert "mae" in summary and "test_mae" in summary and "accuracy" not in summary


@pytest.mark.parametrize("content, fragment", [
    ("{broken", "not valid JSON"),
    (None, "There is no experiment file"),
    ('{"format": "playground.experiment", "version": 1, "model": {"layers": [{"units": -1}]}}',
     "model.layers.0.units"),
])
def test_bad_experiments_exit_2_with_one_sentence(tmp_path, content, fragment):
    path = tmp_path / "e.json"
    if content is not None:
        path.write_text(content)
    result = run("train", path, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_incompatible_choice_and_missing_gpu_exit_2(tmp_path):
    exp = Experiment()
    exp.model.output_activation = "softmax"
    exp.save(tmp_path / "softmax.json")
    result = run("train", tmp_path / "softmax.json", "--out", tmp_path / "o")
    assert result.returncode == 2 and "Softmax over a single output unit" in result.stderr
    exp = Experiment()
    exp.save(tmp_path / "ok.json")
    result = run("train", tmp_path / "ok.json", "--device", "gpu", "--out", tmp_path / "o")
    assert result.returncode == 2 and "sees no GPU" in result.stderr and "Traceback" not in result.stderr


def test_datasets_list_and_export(tmp_path):
    listing = run("datasets")
    assert listing.returncode == 0
    for name in ("xor", "spiral", "coffee", "iris", "digits", "mnist"):
        assert name in listing.stdout
    target = tmp_path / "iris.csv"
    exported = run("datasets", "--export", "iris", target)
    assert exported.returncode == 0
    rows = list(csv.reader(target.open()))
    assert len(rows) == 151 and rows[0][-1] == "species"
    unknown = run("datasets", "--export", "nope", target)
    assert unknown.returncode == 2 and "nope" in unknown.stderr


def test_inspect_an_experiment_and_refuse_other_files(tmp_path):
    result = run("inspect", EXAMPLES / "iris.json")
    assert result.returncode == 0
    assert "normalization" in result.stdout and "Total parameters" in result.stdout
    other = tmp_path / "x.txt"
    other.write_text("hello")
    refused = run("inspect", other)
    assert refused.returncode == 2 and "Cannot inspect" in refused.stderr


def test_usage_errors_exit_2():
    result = run("train")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_train_on_a_csv_file(tmp_path):
    """A user's own CSV: export iris, describe it in an experiment, train it from the command line."""
    assert run("datasets", "--export", "iris", tmp_path / "flowers.csv").returncode == 0
    exp = Experiment(name="flowers")
    exp.dataset.name = "csv"
    exp.dataset.path = str(tmp_path / "flowers.csv")
    exp.dataset.target = "species"
    exp.model.normalize = True
    exp.training.epochs = 60
    exp.save(tmp_path / "flowers.json")
    result = run("train", tmp_path / "flowers.json", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["test_accuracy"] >= 0.8
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b,species\n1,2,x\n3,oops,y\n")
    exp.dataset.path = str(broken)
    exp.save(tmp_path / "broken.json")
    refused = run("train", tmp_path / "broken.json", "--out", tmp_path / "out2")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
