"""The one message protocol between the window and its engine: commands in, events out.

A frame (one ``send_bytes`` of a :mod:`multiprocessing.connection` connection) holds one or more
messages: a magic word, the length of a JSON header, the header, then raw array buffers. The
header lists the messages (``{"type": name, "body": {...}}``) and the buffers (dtype and shape);
an array in a body is ``{"$a": index}`` into that list. Every message is a frozen dataclass
registered here by name — the engine's events (:mod:`playground.core.events`, ``NewModel``), the
commands and replies below — and its body is encoded and decoded by the field types the dataclass
declares, nothing else: an :class:`~playground.core.spec.Experiment` travels as its file's JSON
(``to_dict`` / ``spec.from_dict``), a :class:`~playground.data.Dataset` by its arrays.

Decoding is strict, since the bytes may come from anywhere a TCP engine listens: known message
types only, every field's type checked, a buffer's bytes exactly its dtype times its shape, a few
numeric dtypes only, bounded sizes; anything else raises :class:`ProtocolError` with a sentence.
Nothing is unpickled or evaluated: the connection's own ``send``/``recv`` (which pickle) are never
used, only ``send_bytes``/``recv_bytes``, and the connecting side proves it knows the token by the
connection's HMAC challenge (the token is its ``authkey``). Addresses are ``unix:PATH`` (or a bare
path) for a local engine and ``HOST:PORT`` for TCP.

No Qt, no TensorFlow.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import struct
import types
import typing
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener

import numpy as np

from playground.core import events as ev
from playground.core.history import LayerHistory, Summary
from playground.core.spec import Experiment
from playground.data.dataset import Dataset
from playground.errors import PlaygroundError

MAGIC = b"PGE1"
MAX_FRAME = 1 << 30  # bytes: a frame is refused before it is read past this (an MNIST data set is ~220 MB)
MAX_HEADER = 16 << 20  # bytes of JSON
MAX_MESSAGES = 100_000  # in one frame
MAX_BUFFERS = 1_000_000
MAX_DIMS = 8
MAX_STRING = 1 << 20  # characters in one string field
MAX_ITEMS = 1_000_000  # elements of one list, tuple or dict field
DTYPES = {np.dtype(t).str: np.dtype(t) for t in
          (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_)}
_HEAD = struct.Struct("<4sI")


class ProtocolError(PlaygroundError):
    """A message that is not one of this protocol's, or is malformed: refused, never executed."""


# -- commands: the window asks ---------------------------------------------------------------------

@dataclass(frozen=True)
class DatasetData:
    """A data set the window loaded; later commands name it by ``key``."""
    key: int
    dataset: Dataset


@dataclass(frozen=True)
class ForgetDataset:
    """The window let go of data set ``key``."""
    key: int


@dataclass(frozen=True)
class Edit:
    """Make ``experiment`` (on data set ``dataset``) the session's; ``generation`` counts the window's
    edits, and the engine says which one its model is for (:class:`Prepared`)."""
    generation: int
    experiment: Experiment
    dataset: int


@dataclass(frozen=True)
class Discard:
    """No model: the experiment cannot be built."""
    generation: int


@dataclass(frozen=True)
class Run:
    """Train to ``epochs`` (or resume a live run)."""
    epochs: int


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Resume:
    pass


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Step:
    kind: str  # "epoch" or "batch"


@dataclass(frozen=True)
class Reset:
    pass


@dataclass(frozen=True)
class FileOperation:
    operation: str  # one of the engine's file operations: "save_weights", "load_weights", …
    path: str


@dataclass(frozen=True)
class SaveRun:
    number: int  # the engine's run number
    path: str


@dataclass(frozen=True)
class ExportCode:
    """The experiment as a Python file (:func:`playground.core.codegen.export_code`)."""
    experiment: Experiment
    dataset: int
    path: str
    style: str
    epochs: int  # the epochs the file trains (the epochs trained); 0: the experiment's target


@dataclass(frozen=True)
class Predict:
    x: np.ndarray


@dataclass(frozen=True)
class SetWeight:
    layer: str
    i: int
    j: int
    value: float


@dataclass(frozen=True)
class KeepWeights:
    """A new model starts from the old one's weights where a layer's shapes match."""
    on: bool


@dataclass(frozen=True)
class TensorBoard:
    """Log every run into ``folder`` ("" stops logging)."""
    folder: str


AUTOSAVE_PREFIX = "playground-autosave-"  # the name of a window's autosave folder begins so


@dataclass(frozen=True)
class Autosave:
    """Where the engine keeps the current model's autosave: a path, a folder's name (a window on another
    machine), or "" (none: the window closes); see :mod:`playground.core.server`."""
    folder: str


@dataclass(frozen=True)
class Restore:
    """Continue from the run folder ``folder``: the autosave (a fresh engine after one died), or a
    saved run the user continues (a sweep's, one opened)."""
    folder: str
    generation: int
    dataset: int


# -- replies: the engine tells ----------------------------------------------------------------------

@dataclass(frozen=True)
class Ready:
    """TensorFlow is loaded."""
    device: str


@dataclass(frozen=True)
class StateChanged:
    """The session's state; ``seq`` is how many commands the engine had received then."""
    state: str
    seq: int


@dataclass(frozen=True)
class Prepared:
    """The model for edit ``generation`` is there, on ``device``."""
    generation: int
    device: str


@dataclass(frozen=True)
class Error:
    """A sentence for a dialog; an unexpected failure also says ``what`` failed ("Training") and the
    exception's ``kind``, which the window words in its language."""
    text: str
    what: str = ""
    kind: str = ""


@dataclass(frozen=True)
class FileDone:
    operation: str
    path: str


@dataclass(frozen=True)
class Idle:
    kind: str  # "run" or "step" returned


@dataclass(frozen=True)
class Predicted:
    output: np.ndarray


@dataclass(frozen=True)
class RunSwitched:
    """The engine's run log: run ``number`` is the current one, with ``experiment`` as its settings."""
    number: int
    experiment: Experiment


@dataclass(frozen=True)
class RunEdited:
    """The current run's settings after a live edit (the :class:`~playground.core.events.Edited` that follows)."""
    experiment: Experiment


@dataclass(frozen=True)
class Autosaved:
    """The current model was saved into the autosave folder at ``epoch``."""
    epoch: int


def _message_types() -> dict[str, type]:
    from playground.core.session import NewModel

    found: dict[str, type] = {}
    for module_types in (vars(ev).values(), globals().values()):
        for t in list(module_types):
            if isinstance(t, type) and dataclasses.is_dataclass(t) and t.__module__ in (ev.__name__, __name__):
                if t is ev.Event or t is ev.LayerWeights:
                    continue
                found[t.__name__] = t
    found["NewModel"] = NewModel
    return found


MESSAGES: dict[str, type] = {}  # filled on first use (session imports the engine module)
PARTS = {t.__name__: t for t in (ev.LayerWeights, LayerHistory, Summary, Dataset)}  # dataclasses inside messages
_HINTS: dict[type, dict[str, object]] = {}


def messages() -> dict[str, type]:
    if not MESSAGES:
        MESSAGES.update(_message_types())
    return MESSAGES


def _hints(cls: type) -> dict[str, object]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = {f.name: typing.get_type_hints(cls)[f.name] for f in dataclasses.fields(cls)}
    return hints


# -- encoding -------------------------------------------------------------------------------------

class _Encoder:
    def __init__(self):
        self.buffers: list[np.ndarray] = []

    def value(self, v, hint):
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if v is None:
                return None
            return self.value(v, next(a for a in args if a is not type(None)))
        if hint is np.ndarray:
            a = np.asarray(v)
            dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
            if dtype.str not in DTYPES:
                raise ProtocolError(f"An array of {a.dtype} cannot be sent; the protocol carries "
                                    f"{', '.join(sorted(DTYPES))}.")
            self.buffers.append(np.ascontiguousarray(a, dtype=dtype))
            return {"$a": len(self.buffers) - 1}
        if hint is Experiment:
            return v.to_dict()
        if hint is bool:
            return bool(v)
        if hint is int:
            return int(v)
        if hint is float:
            v = float(v)
            return v if math.isfinite(v) else repr(v)  # "nan", "inf", "-inf": JSON has no such numbers
        if hint is str:
            return str(v)
        if origin is tuple or origin is list:
            if len(args) == 2 and args[1] is Ellipsis or origin is list:
                return [self.value(x, args[0]) for x in v]
            return [self.value(x, a) for x, a in zip(v, args, strict=True)]
        if origin is dict:
            return {str(k): self.value(x, args[1]) for k, x in v.items()}
        if dataclasses.is_dataclass(hint):
            return {name: self.value(getattr(v, name), h) for name, h in _hints(hint).items()}
        raise ProtocolError(f"The protocol has no encoding for {hint!r}.")  # a programming error


def encode(*items) -> bytes:
    """One frame holding ``items`` (registered message dataclasses), in order."""
    known = messages()
    enc = _Encoder()
    listed = []
    for item in items:
        name = type(item).__name__
        if known.get(name) is not type(item):
            raise ProtocolError(f"{name} is not a message of the engine protocol.")
        listed.append({"type": name, "body": enc.value(item, type(item))})
    header = json.dumps({"messages": listed, "buffers": [[a.dtype.str, list(a.shape)] for a in enc.buffers]},
                        separators=(",", ":"), allow_nan=False).encode()
    return b"".join([_HEAD.pack(MAGIC, len(header)), header, *(a.tobytes() for a in enc.buffers)])


# -- decoding -------------------------------------------------------------------------------------

class _Decoder:
    def __init__(self, buffers: list[np.ndarray]):
        self.buffers = buffers
        self.used: set[int] = set()

    def value(self, v, hint, where: str):
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if v is None and type(None) in args:
                return None
            return self.value(v, next(a for a in args if a is not type(None)), where)
        if hint is np.ndarray:
            index = v.get("$a") if isinstance(v, dict) and len(v) == 1 else None
            if type(index) is not int or not 0 <= index < len(self.buffers) or index in self.used:
                raise ProtocolError(f"{where} should be an array the message carries.")
            self.used.add(index)
            return self.buffers[index]
        if hint is Experiment:
            from playground.core import spec

            try:
                return spec.from_dict(v)
            except PlaygroundError as exc:
                raise ProtocolError(f"{where} is not an experiment: {exc}") from None
        if hint is bool:
            if type(v) is not bool:
                raise ProtocolError(f"{where} should be true or false, not {_shown(v)}.")
            return v
        if hint is int:
            if type(v) is not int:
                raise ProtocolError(f"{where} should be a whole number, not {_shown(v)}.")
            return v
        if hint is float:
            if type(v) in (int, float):
                return float(v)
            if v in ("nan", "inf", "-inf"):
                return float(v)
            raise ProtocolError(f"{where} should be a number, not {_shown(v)}.")
        if hint is str:
            if type(v) is not str or len(v) > MAX_STRING:
                raise ProtocolError(f"{where} should be a text of at most {MAX_STRING:,} characters, not {_shown(v)}.")
            return v
        if origin is tuple or origin is list:
            if type(v) is not list or len(v) > MAX_ITEMS:
                raise ProtocolError(f"{where} should be a list, not {_shown(v)}.")
            if len(args) == 2 and args[1] is Ellipsis or origin is list:
                out = [self.value(x, args[0], f"{where}[{i}]") for i, x in enumerate(v)]
            else:
                if len(v) != len(args):
                    raise ProtocolError(f"{where} should have {len(args)} items, not {len(v)}.")
                out = [self.value(x, a, f"{where}[{i}]") for i, (x, a) in enumerate(zip(v, args))]
            return out if origin is list else tuple(out)
        if origin is dict:
            if type(v) is not dict or len(v) > MAX_ITEMS:
                raise ProtocolError(f"{where} should be a mapping, not {_shown(v)}.")
            return {k: self.value(x, args[1], f"{where}[{k!r}]") for k, x in v.items()}
        if dataclasses.is_dataclass(hint):
            return self.instance(hint, v, where)
        raise ProtocolError(f"{where} has a type the protocol does not carry.")

    def instance(self, cls: type, body, where: str):
        if type(body) is not dict:
            raise ProtocolError(f"{where} should be a mapping of {cls.__name__}'s fields, not {_shown(body)}.")
        hints = _hints(cls)
        unknown = set(body) - set(hints)
        if unknown:
            raise ProtocolError(f"{where} has a field {sorted(unknown)[0]!r} that {cls.__name__} does not have.")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for name, hint in hints.items():
            if name not in body:
                f = fields[name]
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    raise ProtocolError(f"{where} lacks the field {name!r} of {cls.__name__}.")
                continue
            values[name] = self.value(body[name], hint, f"{where}.{name}")
        return cls(**values)


def _shown(v) -> str:
    text = json.dumps(v) if isinstance(v, (dict, list, str, int, float, bool, type(None))) else type(v).__name__
    return text if len(text) <= 40 else text[:40] + "…"


def decode(frame: bytes) -> list:
    """The messages of one frame, in order; :class:`ProtocolError` if it is not a well-formed frame."""
    view = memoryview(frame)
    if len(view) < _HEAD.size:
        raise ProtocolError("The engine message is truncated: it is shorter than its header.")
    magic, size = _HEAD.unpack_from(view)
    if magic != MAGIC:
        raise ProtocolError("This is not a message of the engine protocol (wrong magic bytes).")
    if size > MAX_HEADER or _HEAD.size + size > len(view):
        raise ProtocolError(f"The engine message declares a header of {size:,} bytes, more than it holds "
                            f"or than {MAX_HEADER:,}.")
    try:
        header = json.loads(bytes(view[_HEAD.size:_HEAD.size + size]))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError("The engine message's header is not valid JSON.") from None
    if (type(header) is not dict or set(header) != {"messages", "buffers"} or type(header["messages"]) is not list
            or type(header["buffers"]) is not list):
        raise ProtocolError("The engine message's header should list its messages and buffers.")
    listed, shapes = header["messages"], header["buffers"]
    if len(listed) > MAX_MESSAGES or len(shapes) > MAX_BUFFERS:
        raise ProtocolError("The engine message holds more messages or buffers than the protocol allows.")
    buffers, offset = [], _HEAD.size + size
    for i, spec in enumerate(shapes):
        if (type(spec) is not list or len(spec) != 2 or spec[0] not in DTYPES or type(spec[1]) is not list
                or len(spec[1]) > MAX_DIMS or any(type(d) is not int or d < 0 for d in spec[1])):
            raise ProtocolError(f"Buffer {i} of the engine message has no valid dtype and shape "
                                f"(allowed dtypes: {', '.join(sorted(DTYPES))}).")
        dtype, shape = DTYPES[spec[0]], tuple(spec[1])
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        if nbytes > len(view) - offset:
            raise ProtocolError(f"Buffer {i} of the engine message declares {nbytes:,} bytes, more than the "
                                "message holds: it is truncated or forged.")
        buffers.append(np.frombuffer(view, dtype, count, offset).reshape(shape).copy())
        offset += nbytes
    if offset != len(view):
        raise ProtocolError(f"The engine message has {len(view) - offset:,} bytes more than its buffers declare.")
    decoder, known, out = _Decoder(buffers), messages(), []
    for i, item in enumerate(listed):
        if type(item) is not dict or set(item) != {"type", "body"} or type(item["type"]) is not str:
            raise ProtocolError(f"Message {i} of the engine message should have a type and a body.")
        cls = known.get(item["type"])
        if cls is None:
            raise ProtocolError(f"The engine protocol has no message {_shown(item['type'])}.")
        try:
            out.append(decoder.instance(cls, item["body"], item["type"]))
        except ProtocolError:
            raise
        except (TypeError, ValueError) as exc:  # a dataclass's own check (none today) or numpy's
            raise ProtocolError(f"{item['type']} is malformed: {exc}.") from None
    return out


# -- transport ------------------------------------------------------------------------------------

def parse_address(address: str):
    """``unix:PATH`` or a path (a Unix socket), or ``HOST:PORT`` (TCP): what Listener and Client take."""
    if address.startswith("unix:"):
        return address[5:]
    if "/" in address:
        return address
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise PlaygroundError(f"{address!r} is not an engine address: use unix:PATH or HOST:PORT.")
    return host or "127.0.0.1", int(port)


HANDSHAKE_S = 10.0  # how long a connecting side has to prove it holds the token


class Gate:
    """Where an engine listens. :meth:`accept` takes each connection at once and :meth:`admit` (in a
    thread of its own) lets it in only once it proves, within ``HANDSHAKE_S``, that it holds the
    token (multiprocessing's HMAC challenge, both ways): a side that connects and says nothing can
    neither hold up the others nor stay."""

    def __init__(self, address: str, token: bytes):
        try:
            self._listener = Listener(parse_address(address))  # no authkey: its handshake would block accept
        except OSError as exc:
            raise PlaygroundError(f"Cannot listen at {address}: {exc.strerror or exc}.") from None
        self._token = token
        self.closed = False

    def accept(self) -> Connection:
        return self._listener.accept()

    def admit(self, conn: Connection) -> None:
        """Raises AuthenticationError (a wrong token), or OSError/EOFError (silence past ``HANDSHAKE_S``,
        or a side that left); the caller then closes ``conn``."""
        import socket
        from multiprocessing.connection import answer_challenge, deliver_challenge

        sock = socket.socket(fileno=os.dup(conn.fileno()))  # the same socket: its timeouts are conn's
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _timeval(HANDSHAKE_S))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(HANDSHAKE_S))
            deliver_challenge(conn, self._token)
            answer_challenge(conn, self._token)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _timeval(0))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(0))
        finally:
            sock.close()

    def close(self) -> None:
        self.closed = True
        self._listener.close()


def _timeval(seconds: float) -> bytes:
    whole = int(seconds)
    return struct.pack("ll", whole, int((seconds - whole) * 1e6))


def listen(address: str, token: bytes) -> Gate:
    """A :class:`Gate` at ``address`` that admits only a side that knows ``token``."""
    return Gate(address, token)


def connect(address: str, token: bytes) -> Connection:
    return Client(parse_address(address), authkey=token)


def send(conn: Connection, *items) -> None:
    conn.send_bytes(encode(*items))


def receive(conn: Connection) -> list:
    """The next frame's messages; EOFError when the other side is gone, ProtocolError for a bad frame
    (too long frames are refused by the connection before they are read)."""
    try:
        frame = conn.recv_bytes(MAX_FRAME)
    except OSError as exc:
        if "bad message length" in str(exc):
            raise ProtocolError(f"The engine message is longer than {MAX_FRAME:,} bytes: refused.") from None
        raise EOFError(str(exc)) from None
    except TypeError:  # closed by another thread of this process while waiting
        raise EOFError("closed") from None
    return decode(frame)
