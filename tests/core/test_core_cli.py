"""The command line, run as a user runs it: a fresh process, exit codes, files, one JSON line."""
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core.spec import Experiment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"


# A line TensorFlow's C++ core logs (``I0000 00:00:...``, ``E0000 ...``), or Abseil's notice before them.
TF_LOG_LINE = re.compile(r"^([IWEF]\d{4} \d\d:\d\d|WARNING: All log messages before absl)", re.MULTILINE)


def run(*args, cwd=None, timeout=300, **env):
    """``python main.py ARGS`` as a user's shell runs it: no TF_CPP_MIN_LOG_LEVEL of the tests' own."""
    environ = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "PLAYGROUND_VERBOSE")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, env={**environ, **env}, cwd=cwd, timeout=timeout)


def test_train_writes_the_files_and_prints_one_json_line(tmp_path):
    out = tmp_path / "run"
    result = run("train", EXAMPLES / "xor.json", "--epochs", 15, "--out", out, "--device", "cpu")
    assert result.returncode == 0, result.stderr
    assert not TF_LOG_LINE.search(result.stderr), f"TensorFlow's start-up log lines came through:\n{result.stderr}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["epochs"] == 15 and summary["device"] == "CPU" and summary["stopped"] is False
    for key in ("loss", "test_loss", "accuracy", "test_accuracy", "seconds"):
        assert isinstance(summary[key], float)
    assert {p.name for p in out.iterdir()} == {"model.keras", "model.weights.h5", "history.csv",
                                               "experiment.json", "model.keras.about.json",
                                               "model.weights.h5.about.json", "run.json"}
    assert len(list(csv.DictReader((out / "history.csv").open()))) == 15
    assert json.loads((out / "run.json").read_text())["target"] == 15
    saved, xor = (json.loads(path.read_text())["training"] for path in (out / "experiment.json", EXAMPLES / "xor.json"))
    assert saved["epochs"] == xor["epochs"] != 15, "experiment.json keeps the experiment's own epochs"
    inspected = run("inspect", out / "model.keras")
    assert inspected.returncode == 0 and "hidden_2" in inspected.stdout
    assert not TF_LOG_LINE.search(inspected.stderr), f"inspect let TensorFlow's log lines through:\n{inspected.stderr}"
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


def test_the_verbose_switches_bring_tensorflows_log_lines_back(tmp_path):
    """PLAYGROUND_VERBOSE=1 (here on train) and --verbose (here on inspect) show what the quiet import hides."""
    trained = run("train", EXAMPLES / "xor.json", "--epochs", 1, "--out", tmp_path, PLAYGROUND_VERBOSE="1")
    assert trained.returncode == 0, trained.stderr
    assert TF_LOG_LINE.search(trained.stderr), f"PLAYGROUND_VERBOSE=1 showed no TensorFlow line:\n{trained.stderr}"
    inspected = run("inspect", tmp_path / "model.keras", "--verbose")
    assert inspected.returncode == 0 and "hidden_1" in inspected.stdout
    assert TF_LOG_LINE.search(inspected.stderr), f"--verbose showed no TensorFlow line:\n{inspected.stderr}"


def test_the_window_loads_tensorflow_quietly():
    """``python main.py`` (offscreen, quitting once TensorFlow is loaded) prints none of its log lines."""
    result = run(PLAYGROUND_QUIT_WHEN_READY="1", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert not TF_LOG_LINE.search(result.stderr), f"the window let TensorFlow's log lines through:\n{result.stderr}"


# -- options and commands are checked like the experiment file --------------------------------

def one_sentence(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one sentence, got:\n{result.stderr}"
    return lines[0]


def epochs_range() -> tuple[int, int]:
    """The experiment's own bounds for training.epochs, which the options must name."""
    from playground.core.spec import TrainingSpec

    bounds = {type(m).__name__: m for m in TrainingSpec.model_fields["epochs"].metadata}
    return bounds["Ge"].ge, bounds["Le"].le


@pytest.mark.parametrize("option", ["--epochs", "--checkpoint-every"])
@pytest.mark.parametrize("value", ["too-many", 0])
def test_out_of_range_options_exit_2_naming_the_range(tmp_path, option, value):
    low, high = epochs_range()
    value = high * 10 if value == "too-many" else value
    result = run("train", EXAMPLES / "xor.json", option, value, "--out", tmp_path)
    assert result.returncode == 2
    assert one_sentence(result) == f"playground: {option} must be between {low:,} and {high:,} (got {value:,})."
    assert not any(tmp_path.iterdir()), "nothing is written for a refused option"


def test_resume_checks_its_folder_and_the_epochs_it_adds(tmp_path):
    missing = run("train", "--resume", tmp_path / "nope")
    assert missing.returncode == 2 and "there is no such folder" in one_sentence(missing)
    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    Experiment(name="x").save(incomplete / "experiment.json")
    refused = run("train", "--resume", incomplete)
    assert refused.returncode == 2 and "it has no model.keras or history.csv" in one_sentence(refused)
    both = run("train", EXAMPLES / "xor.json", "--resume", incomplete)
    assert both.returncode == 2 and "either an experiment file or --resume" in one_sentence(both)
    neither = run("train")
    assert neither.returncode == 2 and "either an experiment file or --resume" in one_sentence(neither)
    (incomplete / "model.keras").write_bytes(b"")
    (incomplete / "history.csv").write_text("epoch,loss\n1,0.5\n2,0.25\n")
    _, high = epochs_range()
    over = run("train", "--resume", incomplete, "--epochs", high - 1)
    assert over.returncode == 2
    assert one_sentence(over) == (f"playground: --epochs {high - 1:,} more after the 2 trained would make "
                                  f"{high + 1:,} epochs, over the {high:,} an experiment allows.")
    broken = incomplete / "history.csv"
    broken.write_text("epoch,loss\n1,0.5\n3,0.25\n")
    skipped = run("train", "--resume", incomplete, "--epochs", 1)
    assert skipped.returncode == 2 and "line 3: expected epoch 2" in one_sentence(skipped)


@pytest.mark.parametrize("word, hint", [("trian", "did you mean train?"), ("inspcet", "did you mean inspect?"),
                                        ("nosuchfile.json", None)])
def test_a_first_word_that_is_no_command_or_file_exits_2_without_a_window(word, hint):
    try:  # a window would quit once shown (exit 0), or hang on its "cannot open" dialog
        result = run(word, "x.json", timeout=60, PLAYGROUND_QUIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen")
    except subprocess.TimeoutExpired:
        pytest.fail(f"'{word}' opened the window")
    assert result.returncode == 2, f"'{word}' opened the window or failed otherwise:\n{result.stderr}"
    sentence = one_sentence(result)
    assert f"'{word}' is neither a command nor an existing file" in sentence
    assert "commands: train, sweep, datasets, inspect, code, engine" in sentence
    if hint:
        assert hint in sentence, f"no '{hint}' in: {sentence}"
    else:
        assert "did you mean" not in sentence, f"a suggestion for a word like no command: {sentence}"


def test_version_and_help():
    import tomllib

    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"playground {expected}"
    helped = run("--help")
    assert helped.returncode == 0
    for command in ("train", "datasets", "inspect"):
        assert re.search(rf"^\s+{command}\s+\S", helped.stdout, re.MULTILINE), f"--help lists no {command}"
    train_help = run("train", "--help")
    for option in ("--resume", "--checkpoint-every", "--epochs", "--verbose"):
        assert option in train_help.stdout
