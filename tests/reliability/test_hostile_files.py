"""Hostile files: model and weights files made to harm, opened as the user would open them.

A ``.keras`` file is a zip archive with a JSON config; a ``.weights.h5`` is an HDF5 file. Each
case is built from a real Keras model's file, changed the way an attacker (or a broken tool)
would: entries named outside the archive (``../``, absolute), a config naming ``os``,
``subprocess`` or ``builtins`` callables with a payload that would create a sentinel file, an
unknown class, absurd declared sizes (units 10¹²: Keras allocates before it checks), a zip bomb,
and HDF5 files of the wrong layout. Every one is refused with a sentence, through the functions the
window uses (:func:`load_model`, :func:`load_weights_into`) and through the command line
(``inspect``, ``train --resume``); the sentinel never appears and nothing is written outside the
folder the file is in.
"""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from playground.core import export
from playground.errors import PlaygroundError
from tests.reliability.support import assert_sentence, run_cli


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A real Keras model (2 inputs, Dense 3, Dense 1) and its .keras file."""
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="hidden_1"),
                              keras.layers.Dense(1, name="output")])
    path = tmp_path_factory.mktemp("good") / "good.keras"
    model.save(path)
    return model, path


def rewrite(source: Path, target: Path, config=None, extra=(), entry_size=None) -> Path:
    """``source``'s archive written to ``target`` with ``config(dict)`` applied to its config.json,
    ``extra`` (name, bytes) entries added, and ``entry_size`` (name, size) declared for an entry."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "config.json" and config is not None:
                doc = json.loads(data)
                config(doc)
                data = json.dumps(doc).encode()
            new.writestr(info.filename, data)
        for name, data in extra:
            new.writestr(name, data)
        if entry_size:  # the central directory claims this size (what zipfile reads and trusts)
            name, size = entry_size
            new.getinfo(name).file_size = size
    return target


def _layer(doc, i):
    return doc["config"]["layers"][i]


def payload(module: str, name: str, sentinel: Path):
    """A config whose hidden layer is ``module.name`` called with a command creating ``sentinel``."""
    def change(doc):
        arg = {"os": f"touch {sentinel}", "subprocess": ["touch", str(sentinel)],
               "builtins": f"open({str(sentinel)!r}, 'w')"}[module]
        _layer(doc, 1).update(module=module, class_name=name, config=arg, registered_name=None)
    return change


def huge(doc):
    _layer(doc, 1)["config"]["units"] = 10**12


def unknown(doc):
    _layer(doc, 1)["class_name"] = "NoSuchLayer"


CASES = {  # name: (how the file is made, words the sentence must hold)
    "a ../ entry": (dict(extra=[("../../evil.txt", b"x")]), "outside the archive"),
    "an absolute entry": (dict(extra=[("/tmp/evil.txt", b"x")]), "outside the archive"),
    "os.system": (dict(config=lambda s: payload("os", "system", s)), "not a readable Keras model"),
    "subprocess.Popen": (dict(config=lambda s: payload("subprocess", "Popen", s)), "not a readable Keras model"),
    "builtins.eval": (dict(config=lambda s: payload("builtins", "eval", s)), "not a readable Keras model"),
    "an unknown class": (dict(config=lambda s: unknown), "not a readable Keras model"),
    "units 10**12": (dict(config=lambda s: huge), "declare 3,000,000,000,000 weights"),  # 2 x 10¹² + 10¹² x 1
    "a 64 MiB config (a zip bomb)": (dict(extra=[("config.json.pad", b"")], config=lambda s: (
        lambda doc: doc.update(pad=" " * 64 * 2**20))), "config.json is 64 MiB"),
    "5 GiB declared": (dict(entry_size=("model.weights.h5", 5 * 2**30)), "unpack to 5.0 GiB"),
}


def _make(name, source, folder, sentinel) -> Path:
    spec, _ = CASES[name]
    kwargs = dict(spec)
    if "config" in kwargs:
        kwargs["config"] = kwargs["config"](sentinel)
    return rewrite(source, folder / "model.keras", **kwargs)


def _everything_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_model_file_is_refused_and_nothing_runs(model_file, tmp_path, name):
    model, source = model_file
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    sentinel = tmp_path / "sentinel"
    path = _make(name, source, chosen, sentinel)
    before = _everything_under(tmp_path)
    with pytest.raises(PlaygroundError) as refused:
        export.load_model(path)
    assert CASES[name][1] in str(refused.value), f"{name}: {refused.value}"
    assert_sentence(str(refused.value))
    with pytest.raises(PlaygroundError):  # File > Load weights takes a .keras too
        export.load_weights_into(model, path)
    code, _, err = run_cli(["inspect", str(path)])
    assert code == 2, err
    assert_sentence(err.strip())
    assert not sentinel.exists(), f"{name}: the payload ran"
    assert _everything_under(tmp_path) == before, f"{name}: something was written"
    assert not Path("/tmp/evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_a_resumed_run_with_a_hostile_model_is_refused_before_keras_opens_it(model_file, tmp_path):
    """``train --resume DIR`` hands DIR/model.keras to Keras: it is checked first, like any model."""
    _, source = model_file
    run = tmp_path / "run"
    run.mkdir()
    _make("units 10**12", source, run, tmp_path / "sentinel")
    (run / "experiment.json").write_text(json.dumps({"format": "playground.experiment", "version": 1}))
    (run / "history.csv").write_text("epoch,loss\n1,0.5\n")
    code, _, err = run_cli(["train", "--resume", str(run), "--epochs", "1"])
    assert code == 2 and "declare 3,000,000,000,000 weights" in err, err


def _wrong_layouts(folder: Path) -> dict[str, Path]:
    """HDF5 files that are not Keras 3 weights files in different ways."""
    files = {}

    def make(name, build):
        path = folder / f"{name}.weights.h5"
        with h5py.File(path, "w") as f:
            build(f)
        files[name] = path

    make("no layers group", lambda f: f.create_dataset("weights", data=np.zeros(3)))
    make("layers is a dataset", lambda f: f.create_dataset("layers", data=np.zeros(3)))
    make("vars named by text", lambda f: f.create_group("layers/hidden_1/vars").create_dataset("kernel", data=[1.0]))
    make("absurd declared shape", lambda f: f.create_group("layers/hidden_1/vars").create_dataset(
        "0", shape=(10**6, 10**6), dtype="f4", chunks=(1, 1), compression="gzip"))
    def text_weights(f):
        group = f.create_group("layers/hidden_1/vars")
        group.create_dataset("0", data=np.array([["a"] * 3] * 2, dtype="S1"))  # the kernel's shape, as text
        group.create_dataset("1", data=np.zeros(3))

    make("text weights", text_weights)
    (folder / "not hdf5.weights.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + os.urandom(64))
    files["not hdf5"] = folder / "not hdf5.weights.h5"
    return files


def test_weights_files_of_the_wrong_layout_are_refused(model_file, tmp_path):
    model, _ = model_file
    before = [w.copy() for w in model.get_weights()]
    for name, path in _wrong_layouts(tmp_path).items():
        with pytest.raises(PlaygroundError) as refused:
            export.load_weights_into(model, path)
        assert_sentence(str(refused.value))
        code, out, err = run_cli(["inspect", str(path)])
        assert code in (0, 2), f"{name}: inspect exited {code}: {err}"  # a summary of what is there, or a sentence
        if code == 2:
            assert_sentence(err.strip())
    for now, then in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(now, then, err_msg="a refused weights file changed the model")
    shutil.rmtree(tmp_path)
