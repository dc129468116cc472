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


def embedding(doc):
    """The issue's file: an Embedding of 10⁶ x 500 (2 GB) in place of the hidden layer."""
    _layer(doc, 1).update(class_name="Embedding", config={"name": "hidden_1", "input_dim": 10**6, "output_dim": 500})


def base_class(doc):
    """Keras finds a class by name in any keras module, its private base classes included."""
    _layer(doc, 1).update(module="keras.src.layers.convolutional.base_conv", class_name="BaseConv",
                          config={"name": "hidden_1", "rank": 1, "filters": 10**9, "kernel_size": 1})


def unrecorded(doc):
    """A Dense of 10⁶ units that does not say what it was built for: Keras builds it from the input."""
    _layer(doc, 1)["config"]["units"] = 10**6
    del _layer(doc, 1)["build_config"]


def hidden_in_an_initializer(doc):
    """A Dense with its build_config where an initializer goes: Keras deserializes and builds it there."""
    _layer(doc, 2)["config"]["kernel_initializer"] = {
        "module": "keras.layers", "class_name": "Dense", "registered_name": None,
        "config": {"name": "bomb", "units": 10**6}, "build_config": {"input_shape": [None, 10**6]}}


CASES = {  # name: (how the file is made, words the sentence must hold)
    "a ../ entry": (dict(extra=[("../../evil.txt", b"x")]), "outside the archive"),
    "an absolute entry": (dict(extra=[("/tmp/evil.txt", b"x")]), "outside the archive"),
    "os.system": (dict(config=lambda s: payload("os", "system", s)), "not a readable Keras model"),
    "subprocess.Popen": (dict(config=lambda s: payload("subprocess", "Popen", s)), "not a readable Keras model"),
    "builtins.eval": (dict(config=lambda s: payload("builtins", "eval", s)), "not a readable Keras model"),
    "an unknown class": (dict(config=lambda s: unknown), "is of class 'NoSuchLayer'"),
    "units 10**12": (dict(config=lambda s: huge), "declare 3,000,000,000,004 weights"),  # 2 x 10¹² + 10¹², 3 + 1
    "an Embedding of 10**6 x 500": (dict(config=lambda s: embedding), "declare 500,000,004 weights"),
    "a Keras base class": (dict(config=lambda s: base_class), "is of class 'BaseConv'"),
    "a layer without its input shape": (dict(config=lambda s: unrecorded), "does not record the input shape"),
    "a layer as an initializer": (dict(config=lambda s: hidden_in_an_initializer), "declare 1,000,001,000,013 weights"),
    "a 1 GiB weights file": (dict(entry_size=("model.weights.h5", 2**30)),
                             "model.weights.h5 would unpack to 1,024 MiB"),
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
    assert code == 2 and "declare 3,000,000,000,004 weights" in err, err


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


def test_the_issues_embedding_is_refused_before_anything_is_allocated(model_file, tmp_path):
    """Issue 18: a 19 KB file declaring an Embedding of 10⁶ x 500 took ``inspect`` to 6.8 GB before it
    was refused. The peak memory of this process may not grow by anything like the 2 GB it declares."""
    import resource

    _, source = model_file
    path = rewrite(source, tmp_path / "model.keras", config=embedding)
    assert path.stat().st_size < 64 * 2**10
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    code, _, err = run_cli(["inspect", str(path)])
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 2**10
    assert code == 2 and "declare 500,000,004 weights" in err, err
    assert grown < 500, f"the peak memory grew by {grown:.0f} MiB before the file was refused"


def test_the_weights_counted_from_a_config_are_keras_own(tmp_path):
    """A model of every common kind of layer that holds weights (dense, convolutions of each kind and
    rank, normalizations, recurrent, attention, embedding, wrapped layers, an operation): the count
    from its config is what Keras allocates, layer by layer, and the file loads."""
    import keras
    from keras import layers as L

    from playground.core.declared import declared_weights

    def chain(x, *layers):
        for layer in layers:
            x = layer(x)
        return x

    image, sequence, ids = keras.Input((8, 8, 3)), keras.Input((5, 4)), keras.Input((6,), dtype="int32")
    volume, frames = keras.Input((4, 4, 4, 2)), keras.Input((3, 6, 6, 2))
    a = chain(image, L.Conv2D(4, 3, padding="same"), L.BatchNormalization(),
              L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), L.SeparableConv2D(5, 3, depth_multiplier=2),
              L.Conv2DTranspose(3, 2), L.GroupNormalization(groups=3), L.PReLU(), L.LayerNormalization(),
              L.Conv2D(6, 3, groups=3), L.GlobalAveragePooling2D(), L.Dense(7), L.Normalization())
    b = chain(sequence, L.Conv1D(3, 2), L.LSTM(4, return_sequences=True), L.GRU(5, return_sequences=True),
              L.SimpleRNN(3, return_sequences=True), L.Bidirectional(L.LSTM(2, return_sequences=True)),
              L.TimeDistributed(L.Dense(3)))
    b = L.MultiHeadAttention(num_heads=2, key_dim=3)(b, b)
    b = L.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)(b, b)
    b = chain(L.EinsumDense("abc,cd->abd", output_shape=(4, 5), bias_axes="d")(b), L.RMSNormalization())
    b = L.Flatten()(L.AdditiveAttention()([b, b]))
    joined = L.Concatenate()([a, b, chain(ids, L.Embedding(50, 4), L.Flatten()),
                              chain(volume, L.Conv3D(2, 2), L.Flatten()),
                              chain(frames, L.ConvLSTM2D(2, 3), L.Flatten())])
    model = keras.Model([image, sequence, ids, volume, frames], L.Dense(2)(keras.ops.multiply(joined, joined)))
    path = tmp_path / "many.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    nodes = {node["config"]["name"]: node for node in config["config"]["layers"]}
    for layer in model.layers:
        assert declared_weights(nodes[layer.name]) == sum(int(np.prod(w.shape)) for w in layer.weights), layer.name
    assert declared_weights(config) == sum(int(np.prod(w.shape)) for w in model.weights) > 2000
    assert export.load_model(path).count_params() == model.count_params()
