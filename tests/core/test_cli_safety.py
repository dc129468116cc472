"""No silent overwrites and no lost runs on the command line (issue 18, items 4-8): ``code`` never
replaces a file the user did not name, ``train`` never replaces a run it was not asked to and locks
the folder it writes, a failing TensorBoard log or a diverging run still leaves its run, a run
folder is written whole or not at all, and ``--resume`` refuses a folder whose model, optimizer
and history do not belong together.

Most runs call ``main()`` in this process (TensorFlow is imported once); the lock is tested with
two real processes. Epochs are few and data sets small."""
import errno
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from playground import cli, files
from playground.core import export, spec
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from tests.core.test_cli_runs import XOR, Training, history_rows, saved_state


def main(capsys, *args) -> tuple[int, str, str]:
    """``python main.py ARGS`` in this process: (exit code, stdout, stderr)."""
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def tiny(tmp_path: Path, name: str = "tiny", epochs: int = 4, dataset: str = "xor", activation: str = "tanh",
         **training) -> Path:
    """A 4-epoch experiment of 2 batches an epoch (20 training samples, batches of 10)."""
    exp = Experiment(name=name)
    exp.dataset.name, exp.dataset.samples = dataset, 40
    exp.model.layers = [LayerSpec(units=3, activation=activation)]
    exp.training.epochs, exp.training.device, exp.training.batch_size = epochs, "cpu", 10
    for key, value in training.items():
        setattr(exp.training, key, value)
    path = tmp_path / f"{name}.json"
    exp.save(path)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- 4: code never replaces a file it was not named -------------------------------------------------

def csv_experiment(folder: Path, data: Path) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2))
    data.write_text("a,b,y\n" + "".join(f"{p:.6f},{q:.6f},{int(p + q > 0)}\n" for p, q in x))
    exp = Experiment(name="points")
    exp.dataset.name, exp.dataset.path, exp.dataset.target = "csv", str(data), "y"
    exp.training.epochs = 2
    exp.save(folder / "points.json")
    return folder / "points.json"


def test_code_never_replaces_the_data_file_beside_it_unless_forced(tmp_path, capsys):
    own = tmp_path / "demo_data.csv"  # the experiment reads the very file the code's data would go to
    experiment = csv_experiment(tmp_path, own)
    before = own.read_bytes()
    for force in ((), ("--force",)):
        code, _, err = main(capsys, "code", experiment, "-o", tmp_path / "demo.py", *force)
        assert code == 2 and "which is the CSV this experiment reads" in err, err
        assert own.read_bytes() == before, "code replaced the CSV the experiment reads"
    assert not (tmp_path / "demo.py").exists()

    other = tmp_path / "other"
    other.mkdir()
    mine = other / "demo_data.csv"
    mine.write_text("my own file\n")
    code, _, err = main(capsys, "code", experiment, "-o", other / "demo.py")
    assert code == 2 and f"{mine} is already there" in err and "--force" in err, err
    assert mine.read_text() == "my own file\n" and not (other / "demo.py").exists()
    code, out, _ = main(capsys, "code", experiment, "-o", other / "demo.py", "--force")
    assert code == 0 and f"and its data {mine}" in out, out
    assert mine.read_text().startswith("a,b,y")


# -- 5: an existing run is replaced only when asked, and a folder is written by one process --------

def test_train_refuses_an_existing_run_unless_overwrite(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    experiment = tiny(tmp_path, epochs=3)
    assert main(capsys, "train", experiment)[0] == 0  # into ./tiny-run
    run = tmp_path / "tiny-run"
    before = snapshot(run)
    for args in ((), ("--out", run), ("--epochs", 1)):
        code, _, err = main(capsys, "train", experiment, *args)
        assert code == 2 and f"{run} holds a run already; add --overwrite" in err, err
        assert snapshot(run) == before, "a refused run changed the run folder"
    code, out, _ = main(capsys, "train", experiment, "--epochs", 1, "--overwrite")
    assert code == 0 and json.loads(out)["epochs"] == 1 and len(history_rows(run)) == 1
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    code, _, err = main(capsys, "train", experiment, "--out", tmp_path / "mine", "--overwrite")
    assert code == 2 and "is a folder of other files, not a run" in err, err
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_a_second_train_into_the_same_folder_at_once_is_refused(tmp_path):
    out = tmp_path / "run"
    with Training(XOR, "--epochs", 1_000_000, "--out", out, "--device", "cpu") as first:
        first.wait_for(r"epochs/s", 240)  # training: the first holds the folder's lock
        with Training(XOR, "--epochs", 2, "--out", out, "--device", "cpu") as second:
            code, stdout, stderr = second.finish(240)
        assert code == 2 and stdout == "", stderr
        assert f"{out} is being written by another Playground process (process {first.process.pid})" in stderr
        first.process.send_signal(2)  # SIGINT: the first stops and writes its run
        code, stdout, stderr = first.finish(120)
    assert code == 130, stderr
    assert len(history_rows(out)) == json.loads(stdout.strip().splitlines()[-1])["epochs"] > 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"], "the lock file or a temporary was left"


# -- 6: a failing TensorBoard log fails nothing else -------------------------------------------------

def test_a_failing_logdir_warns_once_and_the_run_is_written(tmp_path, capsys, monkeypatch):
    pytest.importorskip("tensorboard")
    from playground.core.tensorboard import RunWriter

    def disk_full(self, event):  # the event file's writes fail as on a full disk
        self._guard(lambda: (_ for _ in ()).throw(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))

    monkeypatch.setattr(RunWriter, "_scalars", disk_full)
    out = tmp_path / "run"
    code, stdout, stderr = main(capsys, "train", tiny(tmp_path), "--out", out, "--checkpoint-every", 1,
                                "--logdir", tmp_path / "logs")
    assert code == 0, stderr
    assert stderr.count("Cannot write the TensorBoard log into") == 1, stderr
    assert "No space left on device. TensorBoard logging stops here; training goes on" in stderr
    assert json.loads(stdout)["epochs"] == 4 and len(history_rows(out)) == 4


# -- 7: a diverging run writes the model it restored -----------------------------------------------

def test_a_diverging_run_writes_the_restored_model_and_exits_1(tmp_path, capsys):
    first = tmp_path / "first"
    experiment = tiny(tmp_path, dataset="reg-plane", activation="linear", optimizer="sgd", learning_rate=0.01)
    assert main(capsys, "train", experiment, "--epochs", 2, "--out", first)[0] == 0
    exp = spec.load(first / "experiment.json")
    exp.training.learning_rate = 10.0  # an edited experiment applies on resume: this one diverges at once
    exp.save(first / "experiment.json")
    out = tmp_path / "out"
    code, stdout, stderr = main(capsys, "train", "--resume", first, "--epochs", 3, "--out", out)
    assert code == 1 and stdout == "", stderr
    rows = history_rows(out)
    restored = len(rows)
    assert "The loss became infinite or NaN" in stderr and f"the weights of epoch {restored} were restored" in stderr
    assert f"to {out} as of epoch {restored}, the one restored" in stderr, stderr
    assert restored >= 2 and rows[:2] == history_rows(first) and all(np.isfinite(float(r["loss"])) for r in rows)
    weights, _, steps = saved_state(out)
    assert steps == restored * 2, "the model written is not the one of the restored epoch"
    assert all(np.isfinite(w).all() for w in weights)


# -- 8: a run folder is written whole, and --resume checks that it belongs together ----------------

@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    exp = spec.load(tiny(tmp_path_factory.mktemp("experiment"), epochs=6))
    engine = Engine(exp)
    engine.run(2)
    return engine


def test_a_write_killed_at_any_rename_leaves_the_old_run_or_the_new_one_never_a_mix(trained, tmp_path, monkeypatch):
    """A "kill" at each rename the write makes in turn: the files are never a mix of two checkpoints
    (the old run, the new one, or, between the folder's two renames, both under hidden names)."""
    class Killed(BaseException):
        pass

    real_replace, real_rename = os.replace, os.rename
    old_run = tmp_path / "old"
    export.write_run(old_run, trained, trained.experiment, trained.dataset)
    trained.run(1)
    new_run = tmp_path / "new"
    export.write_run(new_run, trained, trained.experiment, trained.dataset)
    old, new = snapshot(old_run), snapshot(new_run)
    outcomes = set()
    for kill_at in range(1, 40):
        out = tmp_path / f"run{kill_at}"
        shutil.copytree(old_run, out)
        calls = 0

        def dying(real):
            def rename(*args, **kwargs):
                nonlocal calls
                calls += 1
                if calls == kill_at:
                    raise Killed
                return real(*args, **kwargs)
            return rename

        monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # a killed process cleans nothing up
        monkeypatch.setattr(os, "replace", dying(real_replace))
        monkeypatch.setattr(os, "rename", dying(real_rename))
        try:
            export.write_run(out, trained, trained.experiment, trained.dataset)
            finished = True
        except Killed:
            finished = False
        finally:
            monkeypatch.undo()
        if not out.exists():
            outcomes.add("hidden")
            assert files.unfinished_writes(out), "the run vanished without a trace"
            continue
        got = snapshot(out)  # model.keras differs from save to save (its zip's times): the rest decides
        same_as = [name for name, want in (("old", old), ("new", new))
                   if got.keys() == want.keys() and got["history.csv"] == want["history.csv"]
                   and json.loads(got["run.json"])["epochs"] == json.loads(want["run.json"])["epochs"]]
        assert same_as, f"killed at rename {kill_at}: the folder mixes two checkpoints"
        rows = len(history_rows(out))
        assert saved_state(out)[2] == rows * trained.batches_per_epoch, f"killed at rename {kill_at}: torn"
        outcomes.add(same_as[0])
        if finished:
            break
    assert outcomes == {"old", "hidden", "new"}, outcomes


def test_resume_refuses_a_torn_or_mismatched_run_folder(tmp_path, capsys):
    experiment = tiny(tmp_path)
    two, three = tmp_path / "two", tmp_path / "three"
    assert main(capsys, "train", experiment, "--epochs", 2, "--out", two)[0] == 0
    assert main(capsys, "train", experiment, "--epochs", 3, "--out", three)[0] == 0
    pristine = tmp_path / "pristine"
    shutil.copytree(two, pristine)

    def refusal(*extra) -> str:
        code, _, err = main(capsys, "train", "--resume", two, "--epochs", 1, *extra)
        assert code == 2, err
        return err

    shutil.copy(three / "history.csv", two / "history.csv")  # history of 3 epochs beside a model of 2
    assert "its history.csv is not the one written with the rest of the run" in refusal()
    (two / "run.json").unlink()  # a folder without a manifest (an older one): the step count decides
    assert "its model.keras has taken 4 optimizer steps but its history.csv needs 6" in refusal()
    (two / "history.csv").write_text("epoch,loss,accuracy,test_loss,test_accuracy\n")
    assert "its history.csv holds no epochs" in refusal()

    shutil.rmtree(two)
    shutil.copytree(pristine, two)
    exp = spec.load(two / "experiment.json")
    exp.dataset.name = "gauss"  # the same shapes, another data set: the history would not continue
    exp.save(two / "experiment.json")
    assert "its experiment.json names another data set or task than the one the model was trained on" in refusal()
    exp.dataset.name = "xor"
    exp.training.learning_rate = 0.01  # other edits apply on resume
    exp.save(two / "experiment.json")
    code, stdout, _ = main(capsys, "train", "--resume", two, "--epochs", 1)
    assert code == 0 and json.loads(stdout)["epochs"] == 3


def test_unfinished_writes_of_a_killed_process_are_removed_or_named(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(capsys, "train", tiny(tmp_path), "--epochs", 1, "--out", run)[0] == 0
    stale = tmp_path / ".run.writing-0123abcd"
    shutil.copytree(run, stale)  # killed after writing the new folder, before renaming it
    code, _, err = main(capsys, "train", "--resume", run, "--epochs", 1)
    assert code == 0 and "removed 1 unfinished write(s)" in err and not stale.exists(), err
    os.rename(run, tmp_path / ".run.writing-4567cdef.old")  # killed between the folder's two renames
    code, _, err = main(capsys, "train", "--resume", run, "--epochs", 1)
    assert code == 2 and "a process was killed while it replaced" in err and ".run.writing-4567cdef.old" in err


# -- also: full disk, bad input, --epochs and --resume, relative CSV paths, --out '' ---------------

def test_a_full_disk_exits_1_naming_the_run_folder_not_its_staging(tmp_path, capsys, monkeypatch):
    def disk_full(history, path):
        raise files._cannot_write(Path(path), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(export, "save_history", disk_full)
    out = tmp_path / "run"
    code, stdout, stderr = main(capsys, "train", tiny(tmp_path), "--epochs", 1, "--out", out)
    assert code == 1 and stdout == "", stderr
    assert f"Cannot write {out / 'history.csv'}: No space left on device." in stderr
    assert ".writing" not in stderr and sorted(os.listdir(tmp_path)) == ["tiny.json"]


def test_bad_input_leaves_no_run_folder_and_an_empty_out_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exp = Experiment(name="nodata")
    exp.dataset.name, exp.dataset.path, exp.dataset.target = "csv", str(tmp_path / "missing.csv"), "y"
    exp.save(tmp_path / "nodata.json")
    code, _, _ = main(capsys, "train", "nodata.json")
    assert code == 2 and not (tmp_path / "nodata-run").exists()
    code, _, err = main(capsys, "train", tiny(tmp_path), "--out", "")
    assert code == 2 and "--out needs a folder name" in err and sorted(os.listdir(tmp_path)) == [
        "nodata.json", "tiny.json"]


def test_a_shorter_run_resumes_to_the_experiments_epochs_from_any_folder(tmp_path, capsys, monkeypatch):
    """``--epochs 2`` of a 4-epoch experiment on a CSV named relative to the working folder: a plain
    --resume, elsewhere, goes on to the experiment's 4."""
    data_dir, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    data_dir.mkdir(), elsewhere.mkdir()
    csv_experiment(data_dir, data_dir / "points.csv")
    exp = spec.load(data_dir / "points.json")
    exp.dataset.path, exp.training.epochs, exp.training.device = "points.csv", 4, "cpu"
    exp.save(data_dir / "points.json")
    run = tmp_path / "run"
    monkeypatch.chdir(data_dir)
    assert main(capsys, "train", "points.json", "--epochs", 2, "--out", run)[0] == 0
    assert spec.load(run / "experiment.json").training.epochs == 4, "experiment.json keeps the experiment's epochs"
    monkeypatch.chdir(elsewhere)
    code, stdout, stderr = main(capsys, "train", "--resume", run)
    assert code == 0, stderr
    assert json.loads(stdout)["epochs"] == 4 and [int(r["epoch"]) for r in history_rows(run)] == [1, 2, 3, 4]
