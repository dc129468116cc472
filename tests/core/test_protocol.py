"""The engine protocol (playground.core.protocol): every event, command and reply round-trips through
bytes; a malformed or hostile frame is refused with a sentence and nothing in it is carried out."""
from __future__ import annotations

import dataclasses
import json
import pickle
import struct
import types
import typing

import numpy as np
import pytest

from playground.core import events as ev
from playground.core import protocol as p
from playground.core.session import NewModel
from playground.core.spec import Experiment
from playground.data import load_dataset


def _sample(hint, salt: int):
    """A value of type ``hint`` that differs between fields (``salt``), arrays of several dtypes and shapes."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in args if a is not type(None)), salt)
    if hint is np.ndarray:
        dtype = (np.float32, np.float64, np.int64, np.int32)[salt % 4]
        return (np.arange(6 + salt % 3, dtype=dtype) - 2).reshape(-1, 1) * (salt + 1)
    if hint is Experiment:
        exp = Experiment()
        exp.training.learning_rate = 0.0037
        return exp
    if hint is bool:
        return salt % 2 == 0
    if hint is int:
        return 1000 + salt
    if hint is float:
        return 0.25 + salt
    if hint is str:
        return f"text {salt} → ✓"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return (_sample(args[0], salt), _sample(args[0], salt + 1))
        return tuple(_sample(a, salt + i) for i, a in enumerate(args))
    if origin is dict:
        return {"loss": _sample(args[1], salt), "test_loss": _sample(args[1], salt + 1)}
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: _sample(hints[f.name], salt + i) for i, f in enumerate(dataclasses.fields(hint))})
    raise AssertionError(f"no sample for {hint!r}")


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def test_every_event_is_a_message():
    events = {t.__name__ for t in vars(ev).values()
              if isinstance(t, type) and issubclass(t, ev.Event) and t is not ev.Event}
    assert events | {"NewModel"} <= set(p.messages()), "an engine event cannot travel to the window"


@pytest.mark.parametrize("name", sorted(p.messages()))
def test_every_message_round_trips(name):
    cls = p.messages()[name]
    item = _sample(cls, 3)
    back = p.decode(p.encode(item))
    assert len(back) == 1 and _same(back[0], item), f"{name} came back as {back}"


def test_a_frame_keeps_its_messages_in_order_with_real_payloads():
    ds = load_dataset("spiral", samples=120, noise=10, seed=4, features=["x1", "x2", "sin_x1"])
    metrics = ev.Metrics(5, 3, {"loss": np.array([0.5, np.nan, np.inf]), "accuracy": np.array([0.1, 0.2, 0.3])})
    items = [p.DatasetData(7, ds), NewModel(0), metrics, ev.Finished(5, "stopped", 1.25), p.Run(12)]
    back = p.decode(p.encode(*items))
    assert [type(b) for b in back] == [type(i) for i in items]
    got = back[0].dataset
    for field in ("x_train", "y_train", "x_test", "y_test", "points_train", "points_test"):
        np.testing.assert_array_equal(getattr(got, field), getattr(ds, field), err_msg=field)
        assert getattr(got, field).dtype == getattr(ds, field).dtype
    assert (got.feature_names, got.class_names, got.extent, got.task) == (ds.feature_names, ds.class_names,
                                                                          ds.extent, ds.task)
    assert got.crosses == ds.crosses
    np.testing.assert_array_equal(back[2].values["loss"], metrics.values["loss"])  # nan and inf kept
    assert back[3] == items[3] and back[4] == items[4]


def _frame(messages, buffers=(), extra=b"", header=None) -> bytes:
    head = json.dumps(header if header is not None else
                      {"messages": messages, "buffers": [[a.dtype.str, list(a.shape)] for a in buffers]}).encode()
    return struct.pack("<4sI", b"PGE1", len(head)) + head + b"".join(a.tobytes() for a in buffers) + extra


HOSTILE = {
    "not a frame": b"hello",
    "wrong magic": b"XXXX" + p.encode(p.Run(3))[4:],
    "a pickle": pickle.dumps(p.Run(3)),
    "header longer than the frame": struct.pack("<4sI", b"PGE1", 10_000) + b"{}",
    "header not JSON": struct.pack("<4sI", b"PGE1", 4) + b"\xff\xfe{[",
    "header nested too deeply": _frame(None, header=json.loads("[" * 50 + "]" * 50)),
    "unknown message": _frame([{"type": "os.system", "body": {"command": "touch pwned"}}]),
    "a dunder type": _frame([{"type": "__class__", "body": {}}]),
    "wrong field type": _frame([{"type": "Run", "body": {"epochs": "12"}}]),
    "bool for an int": _frame([{"type": "Run", "body": {"epochs": True}}]),
    "missing field": _frame([{"type": "Run", "body": {}}]),
    "unknown field": _frame([{"type": "Run", "body": {"epochs": 3, "exec": "x"}}]),
    "array not carried": _frame([{"type": "Predict", "body": {"x": {"$a": 0}}}]),
    "array used twice": _frame([{"type": "Predict", "body": {"x": {"$a": 0}}},
                                {"type": "Predict", "body": {"x": {"$a": 0}}}], [np.zeros(3, np.float32)]),
    "object dtype": _frame([], header={"messages": [], "buffers": [["|O", [3]]]}),
    "text dtype": _frame([], header={"messages": [], "buffers": [["<U8", [3]]]}),
    "negative dimension": _frame([], header={"messages": [], "buffers": [["<f4", [-1]]]}),
    "huge declared buffer": _frame([{"type": "Predict", "body": {"x": {"$a": 0}}}],
                                   header={"messages": [{"type": "Predict", "body": {"x": {"$a": 0}}}],
                                           "buffers": [["<f8", [1 << 40, 1 << 20]]]}),
    "buffer shorter than declared": _frame([{"type": "Predict", "body": {"x": {"$a": 0}}}],
                                           header={"messages": [{"type": "Predict", "body": {"x": {"$a": 0}}}],
                                                   "buffers": [["<f4", [100]]]}) + b"\0" * 12,
    "bytes past the buffers": _frame([{"type": "Run", "body": {"epochs": 3}}], extra=b"\0"),
    "an experiment that is not one": _frame([{"type": "Edit", "body": {"generation": 1, "dataset": 1,
                                                                      "experiment": {"format": "evil"}}}]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_frame_is_refused_with_a_sentence(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(p.ProtocolError) as caught:
        p.decode(HOSTILE[name])
    text = str(caught.value)
    assert text[:1].isupper() and text.endswith((".", ")")) and len(text) < 400, f"not a sentence: {text!r}"
    assert not (tmp_path / "pwned").exists()


def test_every_truncation_and_byte_flip_is_refused_or_decoded_never_anything_else():
    frame = p.encode(ev.Metrics(3, 1, {"loss": np.arange(3.0)}), p.Edit(2, Experiment(), 1), p.Step("epoch"))
    for cut in range(len(frame)):
        with pytest.raises(p.ProtocolError):
            p.decode(frame[:cut])
    rng = np.random.default_rng(5)
    for _ in range(400):
        broken = bytearray(frame)
        for i in rng.integers(0, len(frame), size=rng.integers(1, 4)):
            broken[i] = rng.integers(0, 256)
        try:
            p.decode(bytes(broken))
        except p.ProtocolError:
            pass


def test_an_array_of_a_dtype_the_protocol_does_not_carry_is_not_sent():
    with pytest.raises(p.ProtocolError, match="cannot be sent"):
        p.encode(p.Predict(np.array(["a", "b"])))


def test_addresses():
    assert p.parse_address("unix:/tmp/x.sock") == "/tmp/x.sock"
    assert p.parse_address("/tmp/x.sock") == "/tmp/x.sock"
    assert p.parse_address("example.org:5123") == ("example.org", 5123)
    with pytest.raises(p.PlaygroundError, match="not an engine address"):
        p.parse_address("nowhere")


def test_a_slow_window_loses_replaced_snapshots_never_figures():
    from playground.core.server import coalesce

    def progress(epoch):
        return ev.Progress(epoch, 0, 25, 1.0, 1.0, epoch / 10)

    def metrics(epoch):
        return ev.Metrics(epoch, epoch, {"loss": np.array([1.0 / epoch])})

    items = [progress(1), metrics(1), progress(2), metrics(2), ev.Paused(2), progress(3), metrics(3), progress(4),
             NewModel(0), progress(1)]
    kept = coalesce(items)
    assert [m for m in kept if isinstance(m, ev.Metrics)] == [m for m in items if isinstance(m, ev.Metrics)]
    assert [m.epoch for m in kept if isinstance(m, ev.Progress)] == [2, 4, 1], \
        "a snapshot was kept though a newer one replaced it, or one was dropped across a pause or a new model"
    assert kept.index(items[4]) < kept.index(items[7]) and kept[-2] == NewModel(0), "the order changed"


def test_a_slow_window_loses_whole_snapshots_of_the_model_never_the_weights_of_a_map_it_keeps():
    """The engine sends each snapshot as its weights, then its map. A frame cut between a newer
    snapshot's weights and its map must keep the older one whole (the map drawn with its weights)."""
    from playground.core.server import coalesce

    def weights(epoch):
        return ev.Weights(epoch, ())

    def boundary(epoch):
        return ev.Boundary(epoch, np.zeros(1, np.float32), np.zeros(1, np.float32), np.zeros((1, 1), np.float32))

    def metrics(epoch):
        return ev.Metrics(epoch, epoch, {"loss": np.array([1.0 / epoch])})

    cut = [weights(10), boundary(10), metrics(20), weights(20)]
    assert coalesce(cut) == cut, "the weights of the map kept were dropped"
    whole = cut + [boundary(20)]
    assert [(type(m).__name__, m.epoch) for m in coalesce(whole)] == [
        ("Metrics", 20), ("Weights", 20), ("Boundary", 20)], "a whole newer snapshot did not replace the older"
    alone = [weights(5), metrics(6), weights(6), metrics(7), weights(7)]  # no maps: each Weights is whole
    assert [m.epoch for m in coalesce(alone) if isinstance(m, ev.Weights)] == [6, 7]


def test_a_folder_named_by_name_alone_is_in_the_engines_temporary_folder(tmp_path, monkeypatch):
    """A window on another machine names its autosave folder by its name: the engine keeps it in its
    own temporary folder; a path stays as it is; anything else is refused, not written anywhere."""
    import tempfile

    from playground.core.server import engine_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert engine_folder("playground-autosave-x1") == str(tmp_path / "playground-autosave-x1")
    assert engine_folder("/home/me/runs/a") == "/home/me/runs/a"
    assert engine_folder("") == ""
    for bad in ("..", ".", "a", "ssh-agent.1", "playground-autosave-x/../../y", "playground-autosave-..",
                "playground-autosave-a\\b"):
        with pytest.raises(p.ProtocolError):
            engine_folder(bad)
