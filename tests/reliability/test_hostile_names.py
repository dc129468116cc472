"""Hostile names into exported code: whatever an experiment or a CSV names, the code file is Python
that runs, and the name is text in it, never code.

Hypothesis makes names out of what breaks generated source (triple quotes, backslashes such as
``C:\\Users``, line breaks, U+2028, NUL, lone surrogates, brackets and commas, ``= + - @``) and
payloads that would create a file called ``SENTINEL`` if they ever ran, and puts them into every
text an experiment or a CSV holds: the experiment's name, the CSV's file name, its column headers,
the target column and the class labels. Many cases only compile the file (all three styles) and
compare it with the file for plain names: the same statements, and each name back as its literal;
a few run it as a user would, in a fresh process, and the sentinel must never appear.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from playground.core import codegen
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset
from playground.errors import PlaygroundError
from playground.files import csv_safe
from tests.reliability.support import assert_sentence, examples

SENTINEL = "SENTINEL"  # a payload that runs creates this file in the script's folder (its working folder)
FRAGMENTS = ['"""', "'''", '"', "'", "\\", "\\\\", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x0c", "\x00", "\t",
             "#", "(", ")", ",", "[", "]", "{", "}", "\\N", "\\u", "\\x", "\\U", ";", " ", "=", "-", "+", "@",
             "{0}", "%s", "é", "中", "C:\\Users\\me\\New net", f'open("{SENTINEL}", "w")',
             f"__import__('pathlib').Path('{SENTINEL}').touch()", f'x"""; open("{SENTINEL}", "w"); """']
_pieces = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), min_size=1, max_size=6).map("".join)
NAMES = _pieces | st.sampled_from(FRAGMENTS[-4:])  # whole payloads often, not only by chance
SURROGATE = re.compile("[\ud800-\udfff]")


def _text(name: str) -> str:
    """What a CSV (UTF-8 bytes) can hold of ``name``: no lone surrogates."""
    return SURROGATE.sub("?", name)


def _file_stem(name: str) -> str:
    """What a file name can hold of ``name`` (no slash, NUL or surrogate; 100 bytes at most)."""
    return "f" + re.sub(r"[/\x00\ud800-\udfff]", "_", name).encode()[:100].decode(errors="ignore")


@st.composite
def cases(draw):
    """(experiment, CSV text, CSV file name, code file name): hostile names everywhere."""
    cell = NAMES.map(lambda name: _text(name).strip() or "_")  # Playground strips a CSV's names
    headers = draw(st.lists(cell, min_size=3, max_size=3, unique=True))
    labels = draw(st.lists(cell, min_size=2, max_size=3, unique=True))
    exp = Experiment(name=draw(NAMES))
    exp.dataset.name = "csv"
    exp.dataset.target = headers[0]  # the first column: export_csv writes it last
    exp.model.layers = [LayerSpec(units=3)]
    exp.training.epochs = 1
    exp.training.batch_size = 4
    return exp, headers, labels, _file_stem(draw(NAMES)) + ".csv", _file_stem(draw(NAMES)) + ".py"


def _write_csv(path: Path, headers: list[str], labels: list[str]) -> None:
    import csv

    values = np.random.default_rng(0).normal(size=(12, 2)).round(3)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows([labels[i % len(labels)], *row] for i, row in enumerate(values.tolist()))


def _load(exp: Experiment, folder: Path, case) -> "object | None":
    """The data set Playground reads from the hostile CSV, or None where it refuses it in one sentence."""
    _, headers, labels, csv_name, _ = case
    path = folder / csv_name
    _write_csv(path, headers, labels)
    exp.dataset.path = str(path)
    try:
        ds = load_dataset(**exp.dataset.model_dump())
    except PlaygroundError as exc:
        assert_sentence(str(exc))
        event("refused by the CSV reader")
        return None
    event("read")
    return ds


def _shape(source: str) -> str:
    """The file's statements with every string blanked and the model class's name left out."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return re.sub(r"'\w*Model'", "'Model'", ast.dump(tree))


def _assigned(source: str, name: str):
    """The value of the module-level ``name = ...``."""
    return next(node.value for node in ast.parse(source).body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name)


@settings(max_examples=examples(0.5))
@given(case=cases())
def test_hostile_names_compile_to_the_same_statements_as_plain_ones(case):
    exp = case[0]
    with tempfile.TemporaryDirectory() as folder:
        ds = _load(exp, Path(folder), case)
    if ds is None:
        return
    plain_ds = dataclasses.replace(ds, feature_names=tuple(f"c{i}" for i in range(len(ds.feature_names))),
                                   target_name="t", class_names=tuple(f"k{i}" for i in range(len(ds.class_names))))
    plain_exp = exp.model_copy(update={"name": "plain"})
    data_name = codegen.data_file_for(case[4]).name
    for style in codegen.STYLES:
        source = codegen.python_code(exp, ds, style, data_name)
        compile(source, case[4], "exec")  # a SyntaxError fails the case
        assert _shape(source) == _shape(codegen.python_code(plain_exp, plain_ds, style, "plain_data.csv")), \
            "a name changed the file's statements"
        doc = ast.get_docstring(ast.parse(source), clean=False)
        assert " ".join(exp.name.split()) in " ".join(doc.split()), "the name is not in the docstring as itself"
        if ds.class_names:  # as the CSV beside the file has them
            assert ast.literal_eval(_assigned(source, "CLASSES")) == [csv_safe(c) for c in ds.class_names]
        assert ast.literal_eval(_assigned(source, "DATA").args[0]) == data_name


@settings(max_examples=examples(0.1))
@given(case=cases(), style=st.sampled_from(codegen.STYLES))
def test_hostile_names_give_a_file_that_trains_and_runs_no_name(case, style):
    exp = case[0]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ds = _load(exp, folder, case)
        if ds is None:
            return
        event(f"ran the {style} style")
        code = folder / "code"
        code.mkdir()
        written = codegen.export_code(exp, code / case[4], style, ds)
        result = subprocess.run([sys.executable, written[0].name], cwd=code, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, f"the generated file failed:\n{result.stderr[-3000:]}"
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert summary["epochs"] == 1
        assert not list(folder.rglob(SENTINEL)), "a name ran as code"
