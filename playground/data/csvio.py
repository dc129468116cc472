"""CSV import and export.

Row numbers in messages are the ones a spreadsheet shows: the header is row 1.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np

from playground.data.dataset import Dataset, Table, check_number, check_seed, table_dataset
from playground.errors import PlaygroundError
from playground.files import atomic_path

MIN_ROWS = 10
MAX_AUTO_CLASSES = 20
"""A numeric target with whole values and at most this many distinct ones is a class label."""
MAX_CLASSES = 100
TASKS = ("regression", "classification")


def _rows_text(rows: np.ndarray | list[int], shown: int = 5) -> str:
    """``"row 4"``, ``"rows 4, 9"`` or ``"rows 4, 9, 12, 15, 20 and 7 more"``."""
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    text = ", ".join(str(r) for r in rows[:shown])
    return f"rows {text}" + (f" and {len(rows) - shown} more" if len(rows) > shown else "")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlaygroundError(f"The CSV file {path} does not exist.") from None
    except IsADirectoryError:
        raise PlaygroundError(f"{path} is a folder, not a CSV file.") from None
    except OSError as exc:
        raise PlaygroundError(f"The CSV file {path} cannot be read: {exc.strerror or exc}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise PlaygroundError(
            f"The CSV file {path} is not UTF-8 text (row {row} has the byte "
            f"0x{data[exc.start]:02x}); save it as 'CSV UTF-8'."
        ) from None


def _records(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """Non-blank records as (spreadsheet row number, fields)."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise PlaygroundError(f"The CSV file {path} cannot be read near line {reader.line_num}: {exc}.") from None
    return [(row, fields) for row, fields in enumerate(records, start=1) if "".join(fields).strip()]


def _check_header(path: Path, row: int, names: list[str]) -> None:
    if all(np.isfinite(_to_float(n)) for n in names):
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


def _numbers(name: str, values: tuple[str, ...], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values parsed as float64, and a mask of those that are not finite float32 numbers.

    Raises if any value is empty.
    """
    try:
        parsed = np.array(values, dtype=np.float64)
    except (ValueError, OverflowError):
        parsed = np.array([_to_float(v) for v in values])
    with np.errstate(over="ignore"):
        bad = ~np.isfinite(parsed.astype(np.float32))
    empty = [i for i in np.flatnonzero(bad) if not values[i].strip()]
    if empty:
        raise PlaygroundError(f"Column {name!r} is empty in {_rows_text(rows[empty])}.")
    return parsed, bad


def _non_numeric(name: str, values: tuple[str, ...], rows: np.ndarray, bad: np.ndarray, why: str) -> PlaygroundError:
    example = values[int(np.argmax(bad))].strip()
    return PlaygroundError(
        f"Column {name!r} has non-numeric values in {_rows_text(rows[bad])} "
        f"(e.g. {example[:30]!r}); {why}."
    )


def _target(
    name: str, values: tuple[str, ...], rows: np.ndarray, task: str | None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Labels and class names (``()`` for regression) of the target column."""
    parsed, bad = _numbers(name, values, rows)
    if task == "regression":
        if bad.any():
            raise _non_numeric(name, values, rows, bad, "a regression target must be numeric")
        return parsed, ()
    if bad.any():  # text: each distinct string is a class
        names, labels = np.unique(np.array([v.strip() for v in values]), return_inverse=True)
        class_names = tuple(str(n) for n in names)
    else:
        classes, labels = np.unique(parsed, return_inverse=True)
        whole = bool(np.all(classes == np.round(classes)))
        if task is None and not (whole and len(classes) <= MAX_AUTO_CLASSES):
            return parsed, ()
        class_names = tuple(str(int(c)) if whole else repr(float(c)) for c in classes)
    if len(class_names) < 2:
        raise PlaygroundError(
            f"The target column {name!r} has only one class ({class_names[0]!r}); "
            "classification needs at least two."
        )
    if len(class_names) > MAX_CLASSES:
        raise PlaygroundError(
            f"The target column {name!r} has {len(class_names)} different values, too many "
            f"classes (at most {MAX_CLASSES}); choose another target column or task='regression'."
        )
    return labels, class_names


def read_csv_table(path: str | os.PathLike, *, target: str | None = None, task: str | None = None) -> Table:
    """Parse a CSV file with a header row into numeric features and a target column."""
    if task not in (None, *TASKS):
        raise PlaygroundError(f"task must be one of {', '.join(TASKS)}, not {task!r}.")
    path = Path(path)
    records = _records(path, _read_text(path))
    if not records:
        raise PlaygroundError(f"The CSV file {path} is empty.")
    (header_row, names), data = records[0], records[1:]
    names = [n.strip() for n in names]
    _check_header(path, header_row, names)
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

    rows = np.array([row for row, _ in data])
    columns = dict(zip(names, zip(*(fields for _, fields in data))))
    features = [n for n in names if n != target]
    x = np.empty((len(data), len(features)), dtype=np.float32)
    for j, name in enumerate(features):
        parsed, bad = _numbers(name, columns[name], rows)
        if bad.any():
            raise _non_numeric(name, columns[name], rows, bad, "every feature column must hold numbers")
        x[:, j] = parsed
    y, class_names = _target(target, columns[target], rows, task)
    return Table(x=x, y=y, feature_names=tuple(features), class_names=class_names, target_name=target)


def load_csv(
    path: str | os.PathLike,
    *,
    target: str | None = None,
    test_fraction: float = 0.5,
    seed: int = 0,
    task: str | None = None,
) -> Dataset:
    """Load a CSV file as a data set named ``"csv"``.

    ``target`` defaults to the last column. A text target, or a numeric one with at
    most 20 distinct whole values, is a class label; any other numeric target is a
    regression target. ``task`` ("regression" or "classification") overrides that.
    """
    check_number("test_fraction", test_fraction, 0.1, 0.9)
    check_seed(seed)
    table = read_csv_table(path, target=target, task=task)
    return table_dataset("csv", table, seed=seed, test_fraction=test_fraction)


def export_csv(dataset: Dataset, path: str | os.PathLike) -> None:
    """Write all rows (train, then test) with a header; classes are written by name."""
    x = np.concatenate([dataset.x_train, dataset.x_test]).astype(np.float32)
    y = np.concatenate([dataset.y_train, dataset.y_test])
    if dataset.class_names:
        target = np.array(dataset.class_names)[y.astype(np.int64)]
    else:
        target = y.astype(np.float32).astype(str)
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*dataset.feature_names, dataset.target_name])
        writer.writerows(row + [label] for row, label in zip(x.astype(str).tolist(), target.tolist()))
