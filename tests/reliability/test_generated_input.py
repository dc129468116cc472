"""Bad input, generated: experiment files, CSV files and command lines that Hypothesis makes up.

Each property starts from something valid and breaks it the ways users and other programs do:
extreme values (units 0 or 10⁹, a batch larger than the data, a learning rate of 0, NaN or 10¹⁰,
noise out of range), wrong types, missing and unknown fields, truncation, bytes that are not
UTF-8, byte-order marks, deep nesting. The only outcomes allowed are success or the project's
:class:`PlaygroundError` with one sentence; on the command line, exit 2 with one line on stderr
and no traceback. A success must be a real one: an experiment reads back as itself, a CSV table
has the shape of its file. Case counts: :func:`support.examples` of the Hypothesis profile.
"""
from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from playground.core import catalog, spec
from playground.core.build import layer_table
from playground.data import load_dataset
from playground.data.csvio import MIN_ROWS, read_csv_table
from playground.errors import PlaygroundError
from playground.resources_path import resources
from tests.reliability.support import assert_sentence, examples, run_cli

EXAMPLE = json.loads((resources() / "examples" / "xor.json").read_text(encoding="utf-8"))
WORK = Path(tempfile.mkdtemp(prefix="playground-reliability-"))  # Hypothesis reuses one folder per module

# -- experiment documents -----------------------------------------------------------------------

EXTREMES = st.sampled_from([
    0, -1, 1, 10**9, 10**12, 2**63, 10**400, 0.0, -0.0, 1e-300, 1e10, 1e308, math.nan, math.inf, -math.inf,
    True, False, None, "", "x", "8", "nan", "\ud800", "é" * 3, "x" * 100_000, [], [1], {}, {"a": 1},
])


def _paths(doc, prefix=()):
    """Every key path into a JSON document (dicts and lists)."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(EXAMPLE) if p]


def _data_files() -> list[str]:
    """What ``dataset.path`` may name: a good CSV, and what is no CSV at all (a device that never
    ends, a FIFO that waits for a writer, a folder, a binary file, nothing, a NUL, a long name)."""
    folder = WORK / "data"
    folder.mkdir(exist_ok=True)
    good = folder / "good.csv"
    good.write_text("a,b,y\n" + "".join(f"{i % 7},{i % 5 - 2}.5,{i % 2}\n" for i in range(30)))
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 4)
    paths = [str(good), str(good), "/dev/zero", str(folder), str(folder / "binary.csv"), str(folder / "missing.csv"),
             f"{folder}/a\0b.csv", "x" * 5000]
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo.csv"
        if not fifo.exists():
            os.mkfifo(fifo)
        paths.append(str(fifo))
    return paths


DATA_PATHS = st.sampled_from(_data_files())


@st.composite
def documents(draw) -> bytes:
    """An experiment file's bytes: the XOR example with a few fields changed, dropped or added,
    then perhaps re-encoded, given a BOM, truncated or sprinkled with stray bytes."""
    doc = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(PATHS))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["set", "set", "set", "drop", "add"]))
            if action == "set":
                parent[path[-1]] = draw(EXTREMES | st.from_type(type(parent[path[-1]])).filter(
                    lambda v: not isinstance(v, float) or math.isfinite(v)))
            elif action == "drop":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(EXTREMES)
        except (KeyError, IndexError, TypeError):  # an earlier change removed or replaced this path
            continue
    if isinstance(doc.get("dataset"), dict) and draw(st.integers(0, 3)) == 0:
        doc["dataset"].update(name="csv", path=draw(DATA_PATHS), target=draw(st.sampled_from([None, "y", "nope"])))
    shape = draw(st.sampled_from(["object", "object", "object", "list", "deep", "scalar"]))
    if shape == "list":
        doc = [doc]
    elif shape == "deep":
        depth = draw(st.sampled_from([10, 1000, 100_000]))
        return ("[" * depth + "]" * depth).encode()
    elif shape == "scalar":
        doc = draw(EXTREMES)
    text = json.dumps(doc, allow_nan=True)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    damage = draw(st.sampled_from(["none", "none", "truncate", "bytes"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@settings(max_examples=examples(2.0))
@given(documents())
def test_an_experiment_file_loads_as_itself_or_says_why(data):
    path = WORK / "experiment.json"
    path.write_bytes(data)
    try:
        exp = spec.load(path)
    except PlaygroundError as exc:
        event("refused")
        assert_sentence(str(exc))
        return
    event("loaded")
    assert spec.from_json(exp.to_json()) == exp, "a loaded experiment does not save and load as itself"
    try:  # what the window and the command line do next: its data set, its problems, its layer table
        ds = load_dataset(**exp.dataset.model_dump())
    except PlaygroundError as exc:
        assert_sentence(str(exc))
        return
    for problem in spec.problems(exp, ds.task, ds.output_units, ds.y_train):
        assert_sentence(str(problem))
    rows = layer_table(exp, ds.input_dim, ds.output_units, ds.task)
    assert rows[-1].output_units == ds.output_units


def _pick(draw, values):
    return draw(st.sampled_from(values))


@st.composite
def runnable_documents(draw) -> dict:
    """An experiment meant to train in a second: tiny data (20 points, a 30-row CSV, or a hostile
    ``dataset.path``) and one or two small layers, with every training choice drawn from its edges
    (learning rate 10, momentum 0.999, decay steps 2**64, a batch of 65536, dropout 0.99, ...)."""
    doc = copy.deepcopy(EXAMPLE)
    name = _pick(draw, ["xor", "reg-gauss", "spiral", "iris", "csv"])
    doc["dataset"].update(name=name, samples=20 if name in ("xor", "reg-gauss", "spiral") else None)
    if name == "iris":
        doc["dataset"]["features"] = ["x1", "x2"]
    if name == "csv":
        doc["dataset"].update(path=draw(DATA_PATHS), target=_pick(draw, [None, "y"]))
    wild = draw(st.integers(0, 3)) == 0  # choices that may not fit each other (a problem, exit 2)
    doc["model"]["normalize"] = draw(st.booleans())
    doc["model"]["output_activation"] = _pick(draw, ["auto", *sorted(catalog.ACTIVATIONS)]) if wild else "auto"
    doc["model"]["layers"] = [{
        "units": _pick(draw, [1, 3, 16]), "activation": _pick(draw, sorted(catalog.ACTIVATIONS)),
        "kernel_initializer": _pick(draw, sorted(catalog.INITIALIZERS)), "use_bias": draw(st.booleans()),
        "kernel_l1": _pick(draw, [0.0, 10.0]), "bias_l2": _pick(draw, [0.0, 10.0]),
        "dropout": _pick(draw, [0.0, 0.5, 0.99]),
    } for _ in range(draw(st.integers(1, 2)))]
    optimizer = _pick(draw, sorted(catalog.OPTIMIZERS))
    momentum = _pick(draw, [0.0, 0.9, 0.999]) if wild or optimizer == "sgd" else 0.0
    doc["training"].update(
        loss=_pick(draw, ["auto", *sorted(catalog.LOSSES)]) if wild else "auto", optimizer=optimizer,
        learning_rate=_pick(draw, [1e-6, 0.03, 0.3, 10.0]), momentum=momentum,
        nesterov=momentum > 0 and draw(st.booleans()), weight_decay=_pick(draw, [0.0, 1.0]),
        schedule=_pick(draw, ["constant", "exponential", "cosine"]), decay_steps=_pick(draw, [1, 10_000_000, 2**64]),
        decay_rate=_pick(draw, [1e-9, 0.5, 1.0]), batch_size=_pick(draw, [1, 7, 65536]),
        seed=_pick(draw, [0, 13, 2**31 - 1]), device="cpu")
    return doc


@settings(max_examples=examples(0.14))  # each one trains: 8 in the ci profile
@given(runnable_documents(), st.integers(1, 2))
def test_a_generated_experiment_trains_briefly_or_says_why(doc, epochs):
    """``train`` on what the window would let through and what it would not: it writes its run, says
    why not (exit 2, one sentence), or reports a divergence; never a traceback, never a hang."""
    path = WORK / "runnable.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = Path(tempfile.mkdtemp(dir=WORK, prefix="run-")) / "run"
    code, stdout, err = run_cli(["train", str(path), "--epochs", str(epochs), "--out", str(out)])
    event(f"exit {code}")
    assert "Traceback" not in err, f"train printed a traceback:\n{err}"
    if code == 0:
        assert json.loads(stdout.strip().splitlines()[-1])["epochs"] == epochs
        assert (out / "model.keras").is_file() and (out / "model.weights.h5").is_file(), "train wrote no model"
        assert len((out / "history.csv").read_text().strip().splitlines()) == epochs + 1
    elif code == 1:
        assert "infinite or NaN" in err, f"train exited 1:\n{err}"  # a divergence: said, and not bad input
    else:
        assert code == 2, f"train exited {code}:\n{err}"
        assert_sentence(err.strip().splitlines()[-1])


@pytest.mark.parametrize("case, expected", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("\ufeff" + json.dumps(EXAMPLE), None),  # Notepad's byte-order mark: the file is fine
    (json.dumps({**EXAMPLE, "format": "x" * 100_000}), "should be \"playground.experiment\" (got 'xxx"),
    (json.dumps({**EXAMPLE, "version": "x" * 100_000}), "no valid \"version\" (got 'xxx"),
])
def test_the_cases_that_broke_once(case, expected):
    """Found by the property above: a deeply nested file raised RecursionError; a BOM was refused; a
    100,000-character format or version was quoted whole (a page, not a sentence)."""
    path = WORK / "found.json"
    path.write_text(case, encoding="utf-8")
    if expected is None:
        assert spec.load(path).name == EXAMPLE["name"], "an experiment file with a BOM did not load"
    else:
        with pytest.raises(PlaygroundError) as refused:
            spec.load(path)
        assert expected in str(refused.value)
        assert_sentence(str(refused.value))


def test_a_network_too_big_for_memory_is_a_problem_not_an_allocation():
    """64 layers of 8192 units pass every field's range, but would ask for 4.3 billion weights."""
    exp = spec.Experiment()
    exp.model.layers = [spec.LayerSpec(units=8192) for _ in range(64)]
    found = [p for p in spec.problems(exp, "binary", 1) if p.path == "model.layers"]
    assert found and found[0].severity == "error", "an absurd network was not reported as a problem"
    assert f"{63 * 8192 * 8192:,} weights" in str(found[0]), "the count is not the weights between the layers"
    exp.model.layers = [spec.LayerSpec(units=8192), spec.LayerSpec(units=8192)]  # 67 M: trains
    assert not [p for p in spec.problems(exp, "binary", 1) if p.path == "model.layers"]


# -- CSV files -----------------------------------------------------------------------------------

NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e30, 1e30, allow_nan=False).map(lambda v: float(np.float32(v))))
CELLS = st.one_of(
    NUMBERS.map(repr), st.sampled_from(["", " ", "nan", "inf", "-inf", "1e300", "9" * 400, "1_0", "0x10", "a", "b",
                                        "é", '"q"', "1,5", "\x00", "\r", "\n", '"', " 2 "]))


@st.composite
def csv_files(draw) -> tuple[bytes, bool, np.ndarray | None]:
    """(the file's bytes, whether it is clean, its features when clean). A clean file has a header,
    at least MIN_ROWS rows of finite numbers and a 0/1 target; the others are broken in one of
    the ways listed in the module docstring, or several."""
    columns = draw(st.integers(1, 6))
    rows = draw(st.sampled_from([0, 1, MIN_ROWS - 1, MIN_ROWS, 25]))
    names = [f"c{j}" for j in range(columns - 1)] + ["target"]
    x = np.array(draw(st.lists(st.lists(NUMBERS, min_size=columns - 1, max_size=columns - 1), min_size=rows,
                               max_size=rows)), dtype=np.float64).reshape(rows, columns - 1)
    y = [str(i % 2) for i in range(rows)]
    table = [names] + [[repr(v) for v in row] + [t] for row, t in zip(x.tolist(), y)]
    clean = columns >= 2 and rows >= MIN_ROWS
    for _ in range(draw(st.integers(0, 3))):  # damage
        clean = False
        kind = draw(st.sampled_from(["cell", "cell", "ragged", "header", "blank"]))
        r = draw(st.integers(0, len(table) - 1))
        if kind == "cell" and table[r]:
            table[r][draw(st.integers(0, len(table[r]) - 1))] = draw(CELLS)
        elif kind == "ragged":
            table[r] = table[r][:-1] if draw(st.booleans()) else table[r] + ["1"]
        elif kind == "header":
            table[0] = [draw(st.sampled_from(["", "c0", "1", "target", " x "])) for _ in table[0]]
        else:
            table[r] = [""]
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(row) for row in table) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    if delimiter != "," or newline == "\r" or encoding in ("utf-16", "cp1252") and not text.isascii():
        clean = False  # still readable (a decimal comma, old Mac lines, ASCII in cp1252), but not compared
    if encoding == "utf-16":
        clean = False
    return text.encode(encoding, errors="replace"), clean, x if clean else None


@settings(max_examples=examples(2.0))
@given(csv_files())
def test_a_csv_file_reads_as_its_table_or_says_why(case):
    data, clean, x = case
    path = WORK / "data.csv"
    path.write_bytes(data)
    try:
        table = read_csv_table(path)
    except PlaygroundError as exc:
        event("refused")
        assert not clean, f"a clean CSV file was refused: {exc}"
        assert_sentence(str(exc))
        return
    event("read, clean" if clean else "read, damaged")
    assert table.x.dtype == np.float32 and np.isfinite(table.x).all(), "a table holds a value that is not a number"
    assert len(table.y) == len(table.x) >= MIN_ROWS and table.x.shape[1] == len(table.feature_names) >= 1
    if clean:
        np.testing.assert_array_equal(table.x, x.astype(np.float32), err_msg="the features read are not the file's")
        assert table.class_names == ("0", "1") and table.y.tolist() == [i % 2 for i in range(len(x))]


# -- command lines -------------------------------------------------------------------------------

def _cli_files() -> Path:
    """A folder of what a command line names: a tiny valid experiment (2 epochs of 20 XOR points),
    a broken one, a binary file, a plain file, a folder, garbage .keras and .weights.h5 files."""
    folder = WORK / "cli"
    folder.mkdir(exist_ok=True)
    tiny = copy.deepcopy(EXAMPLE)
    tiny["dataset"]["samples"] = 20
    tiny["model"]["layers"] = tiny["model"]["layers"][:1]
    tiny["training"].update(epochs=2, device="cpu")
    (folder / "tiny.json").write_text(json.dumps(tiny), encoding="utf-8")
    (folder / "bad.json").write_text('{"format": "playground.experiment", "version": 1, "model": 3}')
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00\x01")
    (folder / "afile").write_text("x")
    (folder / "adir").mkdir(exist_ok=True)
    (folder / "junk.keras").write_bytes(b"PK\x03\x04junk")
    (folder / "junk.weights.h5").write_bytes(b"\x89HDF\r\n\x1a\njunk")
    return folder


CLI = _cli_files()
FILES = ["tiny.json", "bad.json", "binary.json", "missing.json", "afile", "adir", "junk.keras",
         "junk.weights.h5", "/proc/nope.json", "x" * 300, "\udcff.json"]
FOLDERS = ["out", "afile", "afile/sub", "adir", "/proc/nope", "/dev/null", "out/deeper/still", ""]
VALUES = ["-1", "0", "1", "2", "1000001", str(10**7), str(2**63), "x", "1.5", "", "1e3", "٣"]
FIRST_WORDS = ["train"] * 5 + ["datasets", "inspect", "trian", "tarin", "dataset", "inspekt", "nosuchfile.json",
                             "--bogus", "-h", "--version", "TRAIN", "--verbose"]
OPTIONS = {  # command: {what: the arguments it may take}
    "train": {"file": [[f] for f in FILES], "epochs": [["--epochs", v] for v in VALUES],
              "checkpoint": [["--checkpoint-every", v] for v in VALUES], "out": [["--out", f] for f in FOLDERS],
              "device": [["--device", d] for d in ("cpu", "gpu", "auto", "tpu")],
              "resume": [["--resume", f] for f in ("run0", "adir", "afile", "missing")],
              "other": [["--epoch", "1"], ["--verbose"], ["-x"]]},
    "inspect": {"file": [[f] for f in FILES], "other": [["--verbose"], ["--all"]]},
    "datasets": {"export": [["--export", n, f] for n in ("xor", "iris", "nope", "csv")
                            for f in ("d.csv", "adir", "/proc/x.csv")],
                 "other": [["--export", "xor"], ["--list"]]},
}


@st.composite
def command_lines(draw) -> list[str]:
    """An argument list: a first word (a command, a typo, an option), then options and values drawn
    from what a user might type, in any order. Never an existing file first: that opens the window."""
    argv = [draw(st.sampled_from(FIRST_WORDS))]
    if argv[0] == "train" and draw(st.integers(0, 2)):  # a run that may well train: a good file, an --out
        argv += ["tiny.json", "--out", draw(st.sampled_from(["run0", "run1", "run2", *FOLDERS]))]
    options = OPTIONS.get(argv[0], {"file": [[f] for f in FILES[:3]], "epochs": [["--epochs", "1"]]})
    for _ in range(draw(st.integers(0, 3))):
        argv += draw(st.sampled_from(options[draw(st.sampled_from(sorted(options)))]))
    return argv


@settings(max_examples=examples(1.0))
@given(command_lines())
def test_a_command_line_works_or_exits_2_with_a_sentence(argv):
    import contextlib

    with contextlib.chdir(CLI):
        code, out, err = run_cli(argv)
    lines = err.strip().splitlines()
    event(f"{argv[0]}: exit {code}")
    assert "Traceback" not in err, f"playground {' '.join(argv)} printed a traceback:\n{err}"
    if code == 0:
        if argv[0] == "train":
            result = json.loads(out.strip().splitlines()[-1])
            assert result["epochs"] >= 1 and math.isfinite(result["loss"]), out
            assert (Path(CLI, result["out"]) / "model.keras").is_file(), "train said done but wrote no model"
        return
    assert code == 2, f"playground {' '.join(argv)} exited {code}:\n{err}"
    assert lines, f"playground {' '.join(argv)} exited 2 without a word"
    assert_sentence(lines[-1])
    assert len(lines) == 1 or lines[0].startswith("usage:") or all(
        line.startswith(("usage:", " ")) for line in lines[:-1]), f"more than one sentence:\n{err}"


# -- very wide and very long CSV files: time and memory bounded -------------------------------------

MEASURE = """
import json, resource, sys, time
from playground.data.csvio import load_csv
from playground.errors import PlaygroundError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    ds = load_csv(sys.argv[1])
    outcome = f"{len(ds.x_train) + len(ds.x_test)} rows, {ds.input_dim} features"
except PlaygroundError as exc:
    outcome = str(exc)
print(json.dumps({"seconds": time.perf_counter() - t0, "outcome": outcome,
                  "growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""
BIG_CSVS = {  # name: (header, one block of rows, repeats, last line, outcome, seconds, MB) - bounds ~4x measured
    "10,000 columns": (",".join(f"c{j}" for j in range(10_000)) + ",y\n",
                       "".join(",".join(str((i * j) % 7) for j in range(10_000)) + f",{i % 2}\n" for i in range(20)),
                       1, "", "20 rows, 10000 features", 10, 400),
    "1,000,000 rows": ("a,b,c,y\n", "".join(f"{i % 97},{i % 89}.5,{i % 83},{i % 2}\n" for i in range(1000)),
                       1000, "", "1000000 rows, 3 features", 20, 800),
    "1,000,000 rows, a bad cell last": ("a,b,c,y\n", "".join(f"{i % 97},{i % 89}.5,{i % 83},{i % 2}\n"
                                                             for i in range(1000)),
                                        1000, "x,1,2,0\n", "non-numeric values in row 1000002", 40, 2000),
}


@pytest.mark.parametrize("name", BIG_CSVS)
def test_very_wide_and_very_long_csv_files_read_in_bounded_time_and_memory(tmp_path, name):
    """Measured here (2 cores, busy): 10,000 columns 0.4 s / 10 MB; a million rows 0.4 s / 185 MB by
    numpy in bulk; a million rows with a bad cell at the end (cell by cell, to name it) 2.3 s / 480 MB."""
    import subprocess
    import sys

    header, block, repeats, last, outcome, seconds, megabytes = BIG_CSVS[name]
    path = tmp_path / "big.csv"
    path.write_text(header + block * repeats + last)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome in figures["outcome"], figures
    assert figures["seconds"] <= seconds, f"{name}: {figures['seconds']:.1f} s"
    assert figures["growth_mb"] <= megabytes, f"{name}: {figures['growth_mb']:.0f} MB"
    print(f"{name}: {figures['seconds']:.2f} s, {figures['growth_mb']:.0f} MB")
