"""Faults: a full disk, a read-only folder and a kill in the middle of a write, for every file the
program writes: the experiment, weights, ``.keras`` model, SavedModel, history CSV, data CSV, and
the command line's run folder (its checkpoints). The plot image is in ``test_window_faults.py``.

Each writer first writes its file(s) for real, the model trains one more epoch (so the next write
would differ), then the write is repeated with a fault: ``ENOSPC`` from ``fsync`` or from the
rename, ``EACCES`` when the temporary file or folder is created (a read-only folder: ``chmod``
where that binds, injected when running as root, where it does not), and a real full disk (a
small tmpfs, mounted where the test may). Every time the user gets one sentence, the old files are
exactly as they were, and no temporary is left. A process killed while writing leaves the old
file under its name and nothing half-written there.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playground.core import export
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.data import export_csv
from playground.errors import PlaygroundError
from tests.reliability.support import assert_sentence

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine():
    exp = Experiment(name="faults")
    exp.dataset.samples = 40
    exp.model.layers = [LayerSpec(units=3)]
    exp.training.epochs = 1
    engine = Engine(exp)
    engine.run()
    return engine


def _run_folder(engine, folder: Path) -> None:
    out = folder / "run"
    out.mkdir(exist_ok=True)
    export.write_run(out, engine, engine.experiment, engine.dataset)


WRITERS = {  # what the user saves: how it is written into a folder
    "experiment": lambda e, f: e.experiment.save(f / "experiment.json"),
    "weights": lambda e, f: export.save_weights(e.model, f / "model.weights.h5", e.experiment, e.dataset),
    "model": lambda e, f: export.save_model(e.model, f / "model.keras", e.experiment, e.dataset),
    "savedmodel": lambda e, f: export.export_savedmodel(e.model, f / "served", e.experiment, e.dataset),
    "history": lambda e, f: export.save_history(e.history, f / "history.csv"),
    "data csv": lambda e, f: export_csv(e.dataset, f / "data.csv"),
    "run folder": _run_folder,
}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def _fail(exc_errno: int):
    def fail(*args, **kwargs):
        raise OSError(exc_errno, os.strerror(exc_errno))
    return fail


def _refuse_creation(real_open, real_mkdir):
    """os.open and os.mkdir as in a folder without write permission: creating anything fails."""
    def opener(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return opener, mkdir


FAULTS = ["fsync: no space", "rename: no space", "read-only folder"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_failed_write_leaves_the_old_files_and_says_why(engine, tmp_path, monkeypatch, writer, fault):
    write = WRITERS[writer]
    write(engine, tmp_path)
    before = snapshot(tmp_path)
    engine.run(epochs=1)  # the next write would hold other weights and a longer history
    if fault == "fsync: no space":
        monkeypatch.setattr(os, "fsync", _fail(errno.ENOSPC))
    elif fault == "rename: no space":
        monkeypatch.setattr(os, "replace", _fail(errno.ENOSPC))
    elif os.geteuid() != 0:
        for path in [tmp_path, *(p for p in tmp_path.rglob("*") if p.is_dir())]:
            path.chmod(0o555)
    else:  # root writes into a read-only folder anyway: the refusal is injected
        opener, mkdir = _refuse_creation(os.open, os.mkdir)
        monkeypatch.setattr(os, "open", opener)
        monkeypatch.setattr(os, "mkdir", mkdir)
    try:
        with pytest.raises(PlaygroundError) as failed:
            write(engine, tmp_path)
    finally:
        monkeypatch.undo()
        for path in [tmp_path, *(p for p in tmp_path.rglob("*") if p.is_dir())]:
            path.chmod(0o755)
    assert_sentence(str(failed.value))
    expected = "No space left on device" if "space" in fault else "(Permission denied|not writable)"
    assert re.search(expected, str(failed.value)), str(failed.value)
    assert snapshot(tmp_path) == before, f"{writer}: the old files changed, or a temporary was left"


@pytest.fixture
def full_disk(tmp_path):
    """A 2 MiB tmpfs, where this process may mount one (root in a container that allows it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the injected ENOSPC cases stand in")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(folder: Path) -> None:
    """Fill the disk under ``folder`` to the last byte."""
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "savedmodel"] + ["savedmodel"])
def test_a_real_full_disk(engine, full_disk, writer):
    WRITERS[writer](engine, full_disk)
    engine.run(epochs=1)
    _fill(full_disk)
    before = snapshot(full_disk)
    with pytest.raises(PlaygroundError) as failed:
        WRITERS[writer](engine, full_disk)
    assert_sentence(str(failed.value))
    assert snapshot(full_disk) == before, f"{writer}: the old files changed on a full disk, or a temporary was left"


KILLED_WRITER = """
import sys
from playground.files import write_text_atomic
write_text_atomic(sys.argv[1], "new " * 50_000_000)  # 200 MB: long enough to be killed while writing
"""


def test_a_kill_in_the_middle_of_a_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "experiment.json"
    target.write_text("old")
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size > 0 for p in tmp_path.glob(".experiment.json.*")) \
                and target.stat().st_size == len("old"):  # the write began: a temporary, or the file itself
            assert time.monotonic() < deadline and child.poll() is None, "the writer never began its file"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    assert child.returncode == -signal.SIGKILL, "the writer finished before it could be killed"
    assert target.read_text() == "old", "a killed write left a partial file under the final name"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["experiment.json"]
