"""CSV import and export.

Row numbers in messages are the ones a spreadsheet shows: the header is row 1. With a semicolon
or a tab as the separator (European spreadsheet exports), a comma in a number is its decimal
point: ``1,5;2,25;a`` is 1.5, 2.25 and the class "a".

A regular file (no quotes in the data, the same number of fields on every row, finite numbers)
is parsed in bulk by numpy, about five times faster than cell by cell and in a third of the
memory (200,000 rows of 21 columns: 0.4 s and 160 MiB instead of 2.0 s and 440 MiB). Anything
else goes the careful way, cell by cell, which reads the same table or names the row and column
at fault: the bulk path never raises, it only declines.
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path
from typing import Sequence

import numpy as np

from playground.data.dataset import Dataset, Table, check_number, check_seed, table_dataset
from playground.errors import PlaygroundError
from playground.files import atomic_path, csv_safe

MIN_ROWS = 10
MAX_AUTO_CLASSES = 20
"""A numeric target with whole values and at most this many distinct ones is a class label."""
MAX_CLASSES = 100
BLOCK = 8192
"""Rows numpy parses per call: it holds the GIL while it parses, and a block (~10 ms) is as long as
a window reading the file in a background thread should wait for its turn."""
MAX_BYTES = 256 * 2**20
"""The largest CSV file read: ten times a million rows of three numbers; cell by cell (the careful
way) it takes about fifteen times its size in memory."""
TASKS = ("auto", "classification", "regression")
"""What the target column is: "auto" decides from its values (see :func:`load_csv`)."""


def _rows_text(rows: np.ndarray | list[int], shown: int = 5) -> str:
    """``"row 4"``, ``"rows 4, 9"`` or ``"rows 4, 9, 12, 15, 20 and 7 more"``."""
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    text = ", ".join(str(r) for r in rows[:shown])
    return f"rows {text}" + (f" and {len(rows) - shown} more" if len(rows) > shown else "")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most ``MAX_BYTES``. It is opened without
    blocking (a FIFO would wait for a writer) and checked before anything is read (``/dev/zero``
    never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise PlaygroundError(f"The CSV file {path} does not exist.") from None
    except IsADirectoryError:
        raise PlaygroundError(f"{path} is a folder, not a CSV file.") from None
    except ValueError:  # a NUL character in the name
        raise PlaygroundError(f"The CSV file name {str(path)[:80]!r} holds a NUL character.") from None
    except OSError as exc:
        raise PlaygroundError(f"The CSV file {path} cannot be read: {exc.strerror or exc}.") from None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise PlaygroundError(f"{path} is a folder, not a CSV file.")
        raise PlaygroundError(f"{path} is not a regular file (a device, a pipe or a socket), so it "
                              "cannot be read as a CSV file.")
    too_big = PlaygroundError(f"The CSV file {path} is larger than {MAX_BYTES / 2**20:,.0f} MiB, more "
                              "than Playground reads; use a sample of its rows.")
    with os.fdopen(fd, "rb") as f:
        if info.st_size > MAX_BYTES:
            raise too_big
        try:
            data = f.read(MAX_BYTES + 1)  # the file may grow while it is read
        except OSError as exc:
            raise PlaygroundError(f"The CSV file {path} cannot be read: {exc.strerror or exc}.") from None
        if len(data) > MAX_BYTES:
            raise too_big
        return data


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise PlaygroundError(
            f"The CSV file {path} is not UTF-8 text (row {row} has the byte "
            f"0x{data[exc.start]:02x}); save it as 'CSV UTF-8'."
        ) from None


def _delimiter(text: str) -> str:
    """Whichever of comma, semicolon and tab the first non-blank line holds most of."""
    first = re.search(r"^.*\S.*$", text, re.MULTILINE)
    return max(",;\t", key=(first.group() if first else "").count)


def _records(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank records as (spreadsheet row number, fields)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:  # a comprehension, not list(reader): the loop lets the GUI thread run while a big file is read
        return [(row, fields) for row, fields in enumerate(reader, start=1) if "".join(fields).strip()]
    except csv.Error as exc:
        raise PlaygroundError(f"The CSV file {path} cannot be read near line {reader.line_num}: {exc}.") from None


def _check_header(path: Path, row: int, names: list[str], decimal_comma: bool) -> None:
    if all(np.isfinite(_to_float(n.replace(",", ".") if decimal_comma else n)) for n in names):
        raise PlaygroundError(
            f"Row {row} of {path} should be a header with column names, but it holds only "
            f"numbers (e.g. {names[0]!r}); add a header row."
        )
    for column, name in enumerate(names, start=1):
        if not name:
            raise PlaygroundError(f"Column {column} has no name in the header (row {row}).")
        if names.index(name) != column - 1:
            raise PlaygroundError(f"The header names the column {name!r} twice; column names must be unique.")


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


def _not_float32(values: np.ndarray) -> np.ndarray:
    """Where float64 ``values`` are not finite float32 numbers (NaN, infinite, or too large)."""
    with np.errstate(over="ignore"):
        return ~np.isfinite(values.astype(np.float32))


def _numbers(
    name: str, values: Sequence[str], rows: np.ndarray, decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Values parsed as float64, and a mask of those that are not finite float32 numbers.

    Raises if any value is empty.
    """
    numeric = [v.replace(",", ".") for v in values] if decimal_comma else values
    try:
        parsed = np.array(numeric, dtype=np.float64)
    except (ValueError, OverflowError):
        parsed = np.array([_to_float(v) for v in numeric])
    bad = _not_float32(parsed)
    empty = [i for i in np.flatnonzero(bad) if not values[i].strip()]
    if empty:
        raise PlaygroundError(f"Column {name!r} is empty in {_rows_text(rows[empty])}.")
    return parsed, bad


def _non_numeric(name: str, values: Sequence[str], rows: np.ndarray, bad: np.ndarray, why: str) -> PlaygroundError:
    example = values[int(np.argmax(bad))].strip()
    return PlaygroundError(
        f"Column {name!r} has non-numeric values in {_rows_text(rows[bad])} "
        f"(e.g. {example[:30]!r}); {why}."
    )


def _classes(name: str, labels: np.ndarray, class_names: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """``(labels, class_names)``, once there are enough classes and not too many."""
    if len(class_names) < 2:
        raise PlaygroundError(
            f"The target column {name!r} has only one class ({class_names[0]!r}); "
            "classification needs at least two."
        )
    if len(class_names) > MAX_CLASSES:
        raise PlaygroundError(
            f"The target column {name!r} has {len(class_names)} different values, too many "
            f"classes (at most {MAX_CLASSES}); choose another target column or the task regression."
        )
    return labels, class_names


def _numeric_target(name: str, y: np.ndarray, task: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Labels and class names (``()`` for regression) of a target of finite numbers."""
    if task == "regression":
        return y, ()
    classes, labels = np.unique(y, return_inverse=True)
    whole = bool(np.all(classes == np.round(classes)))
    if task == "auto" and not (whole and len(classes) <= MAX_AUTO_CLASSES):
        return y, ()
    return _classes(name, labels, tuple(str(int(c)) if whole else repr(float(c)) for c in classes))


def _text_target(name: str, values: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each distinct (stripped) text is a class, in sorted order."""
    class_names = tuple(sorted(set(values)))
    index = {c: i for i, c in enumerate(class_names)}
    return _classes(name, np.array([index[v] for v in values]), class_names)


def _target(
    name: str, values: Sequence[str], rows: np.ndarray, task: str, decimal_comma: bool
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Labels and class names (``()`` for regression) of the target column."""
    parsed, bad = _numbers(name, values, rows, decimal_comma)
    if not bad.any():
        return _numeric_target(name, parsed, task)
    if task == "regression":
        raise _non_numeric(name, values, rows, bad, "a regression target must be numeric")
    return _text_target(name, [v.strip() for v in values])  # text: each distinct string is a class


def _loadtxt(lines: list[str], **kwargs) -> np.ndarray:
    """``np.loadtxt`` a block of rows at a time (see :data:`BLOCK`), joined."""
    return np.concatenate([np.loadtxt(lines[i:i + BLOCK], **kwargs) for i in range(0, len(lines), BLOCK)])


def _careful_table(path: Path, text: str, target: str | None, task: str) -> Table:
    """The table read cell by cell; raises with the row and column of the first problem."""
    delimiter = _delimiter(text)
    decimal_comma = delimiter != ","
    records = _records(path, text, delimiter)
    if not records:
        raise PlaygroundError(f"The CSV file {path} is empty.")
    (header_row, names), data = records[0], records[1:]
    names = [n.strip() for n in names]
    _check_header(path, header_row, names, decimal_comma)
    ragged = [(row, len(fields)) for row, fields in data if len(fields) != len(names)]
    if ragged:
        row, count = ragged[0]
        also = f" (so do {_rows_text([r for r, _ in ragged[1:]])})" if len(ragged) > 1 else ""
        raise PlaygroundError(f"Row {row} has {count} fields, but the header has {len(names)}{also}.")
    if len(data) < MIN_ROWS:
        raise PlaygroundError(
            f"The CSV file {path} has {len(data)} data row{'' if len(data) == 1 else 's'}; "
            f"at least {MIN_ROWS} are needed."
        )
    target = names[-1] if target is None else target
    if target not in names:
        raise PlaygroundError(f"There is no column {target!r}; the columns are: {', '.join(names)}.")
    if len(names) < 2:
        raise PlaygroundError(f"The CSV file needs at least one feature column besides the target {target!r}.")

    def column(name: str) -> list[str]:  # a loop per column, not zip(*rows): see _records
        j = names.index(name)
        return [fields[j] for _, fields in data]

    rows = np.array([row for row, _ in data])
    features = [n for n in names if n != target]
    x = np.empty((len(data), len(features)), dtype=np.float32)
    for j, name in enumerate(features):
        values = column(name)
        parsed, bad = _numbers(name, values, rows, decimal_comma)
        if bad.any():
            raise _non_numeric(name, values, rows, bad, "every feature column must hold numbers")
        x[:, j] = parsed
    y, class_names = _target(target, column(target), rows, task, decimal_comma)
    return Table(x=x, y=y, feature_names=tuple(features), class_names=class_names, target_name=target)


def _bulk_table(path: Path, text: str, target: str | None, task: str) -> Table | None:
    """The table parsed in bulk by numpy, or None where the careful way must decide.

    Declines files with quotes or NULs in the data, a lone CR, rows of another length than the
    header, a feature that is not a finite number, and every error (the careful way names its row).
    """
    if "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = list(filter(str.strip, text.split("\n")))
    if len(lines) <= MIN_ROWS:
        return None
    delimiter = _delimiter(text)
    decimal_comma = delimiter != ","
    header, data = lines[0], lines[1:]
    if header.count('"') % 2 or text.count('"') != header.count('"'):  # quotes beyond the header
        return None
    names = [n.strip() for n in next(csv.reader([header], delimiter=delimiter))]
    fields = len(names)
    if any(line.count(delimiter) != fields - 1 for line in data):
        return None
    target = names[-1] if target is None else target
    try:  # every sentence raised here is dropped: the careful way says it, with the right row
        _check_header(path, 1, names, decimal_comma)
        if fields < 2 or target not in names:
            return None
        t = names.index(target)
        numeric = [line.replace(",", ".") for line in data] if decimal_comma else data
        read = dict(delimiter=delimiter, comments=None, quotechar=None, ndmin=2)
        try:  # one pass where every column is numeric
            cells = _loadtxt(numeric, dtype=np.float64, **read)
            x, y = np.delete(cells, t, axis=1), cells[:, t]
        except ValueError:  # a text target (or a bad cell, which the features then meet again)
            x = _loadtxt(numeric, dtype=np.float64, usecols=[j for j in range(fields) if j != t], **read)
            y = None
        if _not_float32(x).any():
            return None
        if y is not None and not _not_float32(y).any():
            y, class_names = _numeric_target(target, y, task)
        else:  # text, or numbers only Python reads (1_0): the careful way's rules, on this one column
            values = list(_loadtxt(data, dtype=object, usecols=[t], **read)[:, 0])
            y, class_names = _target(target, values, np.arange(2, len(values) + 2), task, decimal_comma)
    except (PlaygroundError, ValueError):
        return None
    features = tuple(n for n in names if n != target)
    return Table(x=x.astype(np.float32), y=y, feature_names=features, class_names=class_names, target_name=target)


def read_csv_table(path: str | os.PathLike, *, target: str | None = None, task: str = "auto") -> Table:
    """Parse a CSV file with a header row into numeric features and a target column."""
    if task not in TASKS:
        raise PlaygroundError(f"task must be one of {', '.join(TASKS)}, not {task!r}.")
    path = Path(path)
    text = _read_text(path)
    table = _bulk_table(path, text, target, task)
    return table if table is not None else _careful_table(path, text, target, task)


def load_csv(
    path: str | os.PathLike,
    *,
    target: str | None = None,
    test_fraction: float = 0.5,
    seed: int = 0,
    task: str = "auto",
) -> Dataset:
    """Load a CSV file as a data set named ``"csv"``.

    ``target`` defaults to the last column. With ``task="auto"`` a text target, or a
    numeric one with at most 20 distinct whole values, is a class label and any other
    numeric target is a regression target; "classification" or "regression" says which
    (ratings 1 to 10 are then a regression target).
    """
    check_number("test_fraction", test_fraction, 0.1, 0.9)
    check_seed(seed)
    table = read_csv_table(path, target=target, task=task)
    return table_dataset("csv", table, seed=seed, test_fraction=test_fraction)


def export_csv(dataset: Dataset, path: str | os.PathLike) -> None:
    """Write all rows (train, then test) with a header; classes are written by name. A name that
    starts like a spreadsheet formula is written with a ``'`` before it (:func:`~playground.files.csv_safe`)."""
    x = np.concatenate([dataset.x_train, dataset.x_test]).astype(np.float32)
    y = np.concatenate([dataset.y_train, dataset.y_test])
    if dataset.class_names:
        target = np.array([csv_safe(c) for c in dataset.class_names], dtype=object)[y.astype(np.int64)]
    else:
        target = y.astype(np.float32).astype(str)
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([csv_safe(name) for name in (*dataset.feature_names, dataset.target_name)])
        writer.writerows(row + [label] for row, label in zip(x.astype(str).tolist(), target.tolist()))
