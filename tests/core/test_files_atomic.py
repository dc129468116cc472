"""Every file the app writes: the modes a shared folder needs, flushed to disk, and atomic.

Each writer is driven through the project's own export functions with a real Keras model;
failures are injected into the real writer (Keras' own save, save_weights, export; the text
write) midway, after part of the file is on disk.
"""
import errno
import os
import stat
from pathlib import Path

import pytest

from playground import files
from playground.core import export
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.errors import PlaygroundError


@pytest.fixture(scope="module")
def engine():
    exp = Experiment(name="xor")
    exp.dataset.samples = 40
    exp.dataset.features = ["x1", "x1*x2"]
    exp.model.layers = [LayerSpec(units=3)]
    exp.training.epochs = 2
    engine = Engine(exp)
    engine.run()
    return engine


def write_all(engine, folder: Path) -> None:
    """Every writer the app has: experiment, weights, .keras, SavedModel, history (and about files)."""
    exp, ds, model = engine.experiment, engine.dataset, engine.model
    exp.save(folder / "experiment.json")
    export.save_weights(model, folder / "model.weights.h5", exp, ds)
    export.save_model(model, folder / "model.keras", exp, ds)
    export.export_savedmodel(model, folder / "served", exp, ds)
    export.save_history(engine.history, folder / "history.csv")


def modes(folder: Path) -> dict[str, int]:
    """Every path under ``folder`` (relative) with its permission bits."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            out[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return out


@pytest.fixture
def umask():
    """Set the process umask for one test, then put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_files_and_folders_get_the_modes_open_would_give(engine, tmp_path, umask, mask):
    umask(mask)
    write_all(engine, tmp_path)
    found = modes(tmp_path)
    expected_names = {"experiment.json", "model.weights.h5", "model.weights.h5.about.json", "model.keras",
                      "model.keras.about.json", "served", "served.about.json", "history.csv"}
    assert expected_names <= set(found) and any(name.startswith("served/variables/") for name in found)
    wrong = {name: oct(mode) for name, mode in found.items()
             if mode != (0o777 if (tmp_path / name).is_dir() else 0o666) & ~mask}
    assert not wrong, f"under umask {mask:03o}, files should be {0o666 & ~mask:o} and folders " \
                      f"{0o777 & ~mask:o}; these are not: {wrong}"
    assert [name for name in found if name.startswith(".") or "/." in name] == [], "a temporary was left"


def test_a_replaced_file_or_folder_keeps_its_mode(engine, tmp_path, umask):
    write_all(engine, tmp_path)
    chosen = {"experiment.json": 0o640, "model.keras": 0o600, "model.weights.h5": 0o664,
              "history.csv": 0o444, "served": 0o750}
    for name, mode in chosen.items():
        os.chmod(tmp_path / name, mode)
    write_all(engine, tmp_path)
    found = modes(tmp_path)
    assert {name: oct(found[name]) for name in chosen} == {name: oct(mode) for name, mode in chosen.items()}, \
        "a replaced file or folder did not keep its mode"
    assert oct(found["served/saved_model.pb"]) == oct(0o640), "files in a replaced SavedModel follow its mode"


def test_files_are_flushed_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.path.realpath(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", os.path.realpath(src), os.path.realpath(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.write_text_atomic(tmp_path / "a.json", "{}")
    assert [e[0] for e in events] == ["fsync", "replace", "fsync"]
    assert events[0][1] == events[1][1], "the temporary file is not flushed before its rename"
    assert events[1][2] == str(tmp_path / "a.json") and events[2][1] == str(tmp_path), \
        "the folder is not flushed after the rename"
    events.clear()
    with files.atomic_dir(tmp_path / "saved") as tmp:
        (tmp / "sub").mkdir()
        (tmp / "sub" / "data").write_bytes(b"1234")
    kinds = [e[0] for e in events]
    before_rename = [e[1] for e in events[: kinds.index("replace")]]
    assert any(p.endswith("/sub/data") for p in before_rename), \
        "a folder's files are not flushed before its rename"
    assert events[-1] == ("fsync", str(tmp_path)), "the parent folder is not flushed after the rename"


# -- a write that fails midway ---------------------------------------------------------------------

NO_SPACE = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _half_then_fail(real):
    """Keras' own writer ``real`` (``save``, ``save_weights``, ``export``) that writes, then leaves
    only part of its output on disk and fails as a full disk does."""
    def broken(self, target, *args, **kwargs):
        real(self, target, *args, **kwargs)
        target = Path(target)
        if target.is_dir():
            (target / "saved_model.pb").write_bytes(b"part")
        else:
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
        raise NO_SPACE
    return broken


EXPORTS = {
    "model.keras": ("save", export.save_model),
    "model.weights.h5": ("save_weights", export.save_weights),
    "served": ("export", export.export_savedmodel),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in modes(folder) if (folder / name).is_file()}


@pytest.mark.parametrize("name", EXPORTS)
def test_a_failed_export_leaves_the_old_files_and_no_litter(engine, tmp_path, monkeypatch, name):
    method, save = EXPORTS[name]
    target = tmp_path / name
    save(engine.model, target, engine.experiment, engine.dataset)
    before = snapshot(tmp_path)
    assert export.about_path(target).name in before
    keras_class = type(engine.model)
    monkeypatch.setattr(keras_class, method, _half_then_fail(getattr(keras_class, method)))
    renamed = engine.experiment.model_copy(update={"name": "renamed"})  # its about file would differ
    with pytest.raises(PlaygroundError) as failure:
        save(engine.model, target, renamed, engine.dataset)
    assert str(failure.value) == f"Cannot write {target}: No space left on device."
    assert snapshot(tmp_path) == before, "the old export (or its about file) changed, or a temporary was left"


@pytest.mark.parametrize("name", ["experiment.json", "history.csv"])
def test_a_failed_text_write_leaves_the_old_file(engine, tmp_path, monkeypatch, name):
    target = tmp_path / name
    write = {"experiment.json": lambda: engine.experiment.save(target),
             "history.csv": lambda: export.save_history(engine.history, target)}[name]
    write()
    before = snapshot(tmp_path)
    real = Path.write_text

    def half(self, text, **kw):
        real(self, text[: len(text) // 2], **kw)
        raise NO_SPACE

    monkeypatch.setattr(Path, "write_text", half)
    with pytest.raises(PlaygroundError) as failure:
        write()
    assert str(failure.value) == f"Cannot write {target}: No space left on device."
    assert snapshot(tmp_path) == before


def test_a_writer_error_that_is_not_an_oserror_is_a_sentence_too(engine, tmp_path, monkeypatch):
    def fails(self, path, **kw):
        Path(path, "saved_model.pb").write_bytes(b"part")
        raise RuntimeError("Failed to serialize the graph")

    monkeypatch.setattr(type(engine.model), "export", fails)
    with pytest.raises(PlaygroundError, match="^Cannot write .*served: RuntimeError: Failed to serialize"):
        export.export_savedmodel(engine.model, tmp_path / "served", engine.experiment, engine.dataset)
    assert os.listdir(tmp_path) == []


def test_a_savedmodel_never_replaces_a_folder_of_other_files(engine, tmp_path):
    folder = tmp_path / "my documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    with pytest.raises(PlaygroundError, match="is a folder of other files, not a SavedModel"):
        export.export_savedmodel(engine.model, folder, engine.experiment, engine.dataset)
    assert os.listdir(folder) == ["thesis.txt"] and sorted(os.listdir(tmp_path)) == ["my documents"]
    a_file = tmp_path / "served"
    a_file.write_text("x")
    with pytest.raises(PlaygroundError, match="a file of that name is in the way"):
        export.export_savedmodel(engine.model, a_file, engine.experiment, engine.dataset)


# -- what a name may be: only a regular file is replaced; a link is written through ----------

def test_a_device_is_refused_and_never_replaced(monkeypatch):
    """``-o /dev/null``: renaming a file onto the name would put a plain file in the device's place
    (as root, for every program on the machine). The rename is guarded so that a regression fails
    here instead of doing it."""
    real_replace = os.replace

    def guarded(src, dst, *args, **kwargs):
        assert os.fspath(dst) != "/dev/null", "the atomic writer renamed a file onto /dev/null"
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)
    with pytest.raises(PlaygroundError, match=r"Cannot write /dev/null: it is a device, not a file"):
        files.write_text_atomic("/dev/null", "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(PlaygroundError, match=r"it is a pipe \(FIFO\), not a file"):
        Experiment(name="x").save(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]  # no temporary file left


def test_a_symlink_is_written_through_to_its_target_and_stays_a_link(tmp_path):
    target = tmp_path / "real" / "notes.txt"
    target.parent.mkdir()
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "notes.txt"
    link.symlink_to(Path("real") / "notes.txt")  # relative, as ln -s makes them
    files.write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "notes.txt")
    assert target.read_text() == "new" and stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.txt"]  # the temporary went beside the target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "real"]


def test_a_dangling_symlink_gets_its_target_created_as_open_would(tmp_path):
    link = tmp_path / "history.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    files.write_text_atomic(link, "epoch,loss\n")
    assert link.is_symlink() and (tmp_path / "elsewhere.csv").read_text() == "epoch,loss\n"


def test_a_loop_of_symlinks_is_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(PlaygroundError, match="loop"):
        files.write_text_atomic(tmp_path / "a", "x")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_symlink_to_a_folder_is_written_through(tmp_path):
    real = tmp_path / "runs" / "today"
    real.mkdir(parents=True)
    link = tmp_path / "latest"
    link.symlink_to(real)
    with files.atomic_dir(link) as tmp:
        (tmp / "model.txt").write_text("new")
    assert link.is_symlink() and (real / "model.txt").read_text() == "new"


@pytest.mark.parametrize("writer", [files.atomic_dir, files.replace_folder])
def test_a_folder_that_cannot_take_the_old_ones_place_leaves_the_old_one_whole(writer, tmp_path, monkeypatch):
    """The old folder moves aside so the new one can take its name; when that rename fails, the old
    folder (with a file a user put there) is back under its name and nothing hidden is left."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "history.csv").write_text("old\n")
    (folder / "notes.txt").write_text("mine\n")
    real = os.replace

    def failing(src, dst):
        if Path(dst) == folder and not str(src).endswith(".old"):  # the new folder into place (not the old back)
            raise OSError(errno.EIO, "I/O error")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(PlaygroundError, match=str(folder)):
        with writer(folder) as tmp:
            (tmp / "history.csv").write_text("new\n")
    monkeypatch.undo()
    assert sorted(p.name for p in folder.iterdir()) == ["history.csv", "notes.txt"]
    assert (folder / "history.csv").read_text() == "old\n" and (folder / "notes.txt").read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "a hidden folder was left beside it"
