"""CSV import/export: happy paths, every bad-input sentence, round trip, garbage."""
import os
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import spec
from playground.core.spec import DatasetSpec
from playground.data import FEATURES, Dataset, csvio, export_csv, load_csv, load_dataset
from playground.errors import PlaygroundError


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def table(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def numbered_rows(n: int = 12, target=lambda i: i % 2) -> list[str]:
    return [f"{i},{i * 0.5},{target(i)}" for i in range(n)]


def rows_of(ds: Dataset) -> list:
    """All rows as (features, label as text), sorted: comparable across splits."""
    x = np.concatenate([ds.x_train, ds.x_test]).tolist()
    y = np.concatenate([ds.y_train, ds.y_test])
    labels = [ds.class_names[int(v)] for v in y] if ds.class_names else y.tolist()
    return sorted(zip(map(tuple, x), labels))


def assert_fails(path: Path, *words: str, **kwargs) -> str:
    with pytest.raises(PlaygroundError) as info:
        load_csv(path, **kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, message
    return message


# --- happy paths ---------------------------------------------------------


def test_numeric_binary_target_defaults_to_last_column(tmp_path):
    ds = load_csv(write(tmp_path, table("a,b,label", numbered_rows())), test_fraction=0.25)
    assert ds.name == "csv" and ds.task == "binary"
    assert ds.feature_names == ("a", "b") and ds.target_name == "label" and ds.class_names == ("0", "1")
    assert ds.x_train.shape == (9, 2) and ds.x_test.shape == (3, 2)
    assert ds.y_train.dtype == np.float32 and ds.x_train.dtype == np.float32
    np.testing.assert_array_equal(ds.x_train[:, 1], ds.x_train[:, 0] * 0.5)
    np.testing.assert_array_equal(ds.y_train, ds.x_train[:, 0] % 2)


def test_text_target_becomes_sorted_classes(tmp_path):
    names = ["virginica", "setosa", "versicolor"]
    ds = load_csv(write(tmp_path, table("a,b,species", numbered_rows(15, lambda i: names[i % 3]))))
    assert ds.task == "multiclass" and ds.class_names == ("setosa", "versicolor", "virginica")
    assert ds.y_train.dtype == np.int32 and ds.output_units == 3
    for x, y in zip(ds.x_train, ds.y_train):
        assert ds.class_names[y] == names[int(x[0]) % 3]


def test_numeric_classes_are_sorted_by_value_and_named_by_number(tmp_path):
    ds = load_csv(write(tmp_path, table("a,b,c", numbered_rows(30, lambda i: [2, 10, 7][i % 3]))))
    assert ds.task == "multiclass" and ds.class_names == ("2", "7", "10")


def test_many_or_fractional_values_mean_regression(tmp_path):
    many = load_csv(write(tmp_path, table("a,b,c", numbered_rows(30, lambda i: i)), "many.csv"))
    assert many.task == "regression" and many.class_names == () and many.num_classes == 0
    ds = load_csv(write(tmp_path, table("a,b,price", numbered_rows(12, lambda i: i / 4))))
    assert ds.task == "regression" and ds.y_train.dtype == np.float32 and ds.output_units == 1
    np.testing.assert_array_equal(ds.y_train, ds.x_train[:, 0] / 4)


def test_target_by_name_and_task_override(tmp_path):
    path = write(tmp_path, table("a,kind,b", [f"{i},{i % 3},{i / 3}" for i in range(12)]))
    ds = load_csv(path, target="kind")
    assert ds.feature_names == ("a", "b") and ds.task == "multiclass" and ds.target_name == "kind"
    assert load_csv(path, target="kind", task="regression").task == "regression"
    forced = load_csv(write(tmp_path, table("a,b,c", numbered_rows(12, lambda i: i % 2 / 2)), "f.csv"),
                      task="classification")
    assert forced.task == "binary" and forced.class_names == ("0.0", "0.5")


def test_bom_semicolons_crlf_blank_lines_and_spaces(tmp_path):
    text = "\ufeff x ; y ; label \r\n\r\n" + "".join(f" {i} ; {i * 2} ; {'ab'[i % 2]} \r\n" for i in range(10))
    ds = load_csv(write(tmp_path, text + ";;\r\n"))
    assert ds.feature_names == ("x", "y") and ds.class_names == ("a", "b")
    assert len(ds.x_train) + len(ds.x_test) == 10


def test_decimal_commas_with_semicolons_or_tabs(tmp_path):
    rows = [f"{i},5;{i * 2},25;{'ab'[i % 2]}" for i in range(11)] + ["-0,125;1e3;New York, NY"]
    for separator in (";", "\t"):
        text = table("x;y;city", rows).replace(";", separator)
        ds = load_csv(write(tmp_path, text, f"eu{separator == ';'}.csv"), test_fraction=0.25)
        x = np.concatenate([ds.x_train, ds.x_test])
        assert sorted(x[:, 0].tolist()) == [-0.125] + [i + 0.5 for i in range(11)]
        assert sorted(x[:, 1].tolist()) == [i * 2 + 0.25 for i in range(11)] + [1000.0]
        assert ds.class_names == ("New York, NY", "a", "b")  # a comma in text stays a comma
    ratings = load_csv(write(tmp_path, table("x;score", [f"{i};{i % 2},5" for i in range(12)]), "s.csv"),
                       task="classification")
    assert ratings.class_names == ("0.5", "1.5")
    assert_fails(write(tmp_path, table("1,5;2;0", rows[:11]), "h.csv"), "Row 1", "should be a header", "'1,5'")


def test_decimal_commas_name_the_row_and_column_of_a_bad_number(tmp_path):
    rows = [f"{i},5;{i};{i % 2}" for i in range(2000)]
    rows[1500] = "1.234,5;7;1"
    assert_fails(write(tmp_path, table("price;n;label", rows)),
                 "Column 'price' has non-numeric values in row 1502 (e.g. '1.234,5')")


def test_integer_ratings_are_classes_or_a_regression_as_the_task_says(tmp_path):
    path = write(tmp_path, table("a,b,rating", numbered_rows(40, lambda i: 1 + i % 10)))
    for task, expected in (("auto", "multiclass"), ("classification", "multiclass"), ("regression", "regression")):
        ds = load_dataset(**DatasetSpec(name="csv", path=str(path), task=task).model_dump())
        assert ds.task == expected, task
    regression = load_csv(path, task="regression")
    assert regression.output_units == 1 and regression.class_names == ()
    np.testing.assert_array_equal(regression.y_train, 1 + regression.x_train[:, 0] % 10)
    assert load_csv(path).class_names == tuple(str(i) for i in range(1, 11))


def test_experiment_files_name_the_task():
    old = {"format": "playground.experiment", "version": 1, "dataset": {"name": "csv", "path": "a.csv"}}
    assert spec.from_dict(old).dataset.task == "auto"  # files from before the task field still open
    bad = {**old, "dataset": {"name": "csv", "path": "a.csv", "task": "binary"}}
    with pytest.raises(PlaygroundError, match=r"dataset.task: input should be 'auto', 'classification' or "
                                              r"'regression' \(got 'binary'\)."):
        spec.from_dict(bad)
    with pytest.raises(PlaygroundError, match="task can be chosen for a CSV file only; the data set 'wine'"):
        load_dataset("wine", task="regression")


def test_a_big_file_reads_as_its_quoted_twin_and_names_a_deep_bad_cell(tmp_path):
    """The plain file takes numpy's bulk path (in two blocks), the quoted one the careful way: one table."""
    rows = csvio.BLOCK + 1000
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(size=(rows, 3)) * 100, 3)
    kinds = np.array(["cat", "dog", "emu"])[rng.integers(0, 3, rows)]
    plain = [f"{a},{b},{c},{k}" for (a, b, c), k in zip(x, kinds)]
    quoted = [f'"{a}",{b},{c},"{k}"' for (a, b, c), k in zip(x, kinds)]
    fast = load_csv(write(tmp_path, table("a,b,c,kind", plain), "plain.csv"))
    careful = load_csv(write(tmp_path, table("a,b,c,kind", quoted), "quoted.csv"))
    assert fast.class_names == careful.class_names == ("cat", "dog", "emu")
    for part in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(fast, part), getattr(careful, part))
    np.testing.assert_array_equal(np.sort(np.concatenate([fast.x_train, fast.x_test]), axis=0),
                                  np.sort(x.astype(np.float32), axis=0))
    plain[2500] = plain[2500].replace(",", ",,", 1)
    assert_fails(write(tmp_path, table("a,b,c,kind", plain), "bad.csv"), "Row 2502 has 5 fields, but the header has 4")


def test_two_feature_csv_gets_a_plane(tmp_path):
    ds = load_csv(write(tmp_path, table("a,b,label", numbered_rows())))
    assert ds.is_2d and ds.extent[0] < 0 and ds.extent[1] > 11
    np.testing.assert_array_equal(ds.featurize(ds.points_test), ds.x_test)
    three = load_csv(write(tmp_path, table("a,b,c,d", [f"{i},{i},{i},{i % 2}" for i in range(10)]), "3.csv"))
    assert not three.is_2d


def test_csv_through_load_dataset(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows()))
    ds = load_dataset("csv", path=str(path), target="b", seed=3)
    assert ds.target_name == "b" and ds.task == "regression"
    assert rows_of(ds) == rows_of(load_csv(path, target="b"))


def test_csv_split_is_seeded(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows(40)))
    np.testing.assert_array_equal(load_csv(path, seed=1).x_train, load_csv(path, seed=1).x_train)
    assert not np.array_equal(load_csv(path, seed=1).x_train, load_csv(path, seed=2).x_train)


# --- bad input: one clear sentence each ----------------------------------


def test_missing_file_and_folder(tmp_path):
    assert_fails(tmp_path / "nope.csv", "does not exist", "nope.csv")
    assert_fails(tmp_path, "is a folder")


def test_unreadable_file(tmp_path, monkeypatch):
    def denied(*args):
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path, table("a,b", numbered_rows()))
    monkeypatch.setattr(csvio.os, "open", denied)  # root reads any file, so the refusal is simulated
    assert_fails(path, "cannot be read: Permission denied")


def test_a_device_is_refused_before_reading_it():
    """``/dev/zero`` never ends: it was read until the memory ran out."""
    assert_fails(Path("/dev/zero"), "/dev/zero is not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a FIFO to read waits for a writer; here one comes (so that a regression fails instead
    of hanging), writes nothing and closes, and the FIFO must still be refused for what it is."""
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: open(fifo, "wb").close(), daemon=True)
    writer.start()
    try:
        assert_fails(fifo, "is not a regular file")
    finally:  # a reader that does not wait, held open until the writer's open has returned
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer.join()
        os.close(reader)


def test_a_file_larger_than_playground_reads_is_refused_unread(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:  # sparse: nothing is written, the file only says how long it is
        f.truncate(csvio.MAX_BYTES + 1)
    assert_fails(path, "larger than 256 MiB")


def test_a_nul_in_the_file_name_is_a_sentence(tmp_path):
    assert_fails(Path(f"{tmp_path}/a\0b.csv"), "NUL character")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(table("a,b,c", numbered_rows(3)).encode() + "caf\xe9,1,2\n".encode("latin-1"))
    assert_fails(path, "not UTF-8", "row 5", "0xe9")


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n"])
def test_empty_file(tmp_path, text):
    assert_fails(write(tmp_path, text), "is empty")


def test_no_header(tmp_path):
    assert_fails(write(tmp_path, table("1,2,0", numbered_rows())), "Row 1", "should be a header", "'1'")


def test_header_names(tmp_path):
    assert_fails(write(tmp_path, table("a,,c", numbered_rows())), "Column 2 has no name in the header (row 1)")
    assert_fails(write(tmp_path, table("a,b,a", numbered_rows())), "column 'a' twice")


def test_ragged_rows(tmp_path):
    rows = numbered_rows()
    rows[2], rows[7], rows[8] = "1,2", "1,2,3,4", "5"
    message = assert_fails(write(tmp_path, table("a,b,c", rows)), "Row 4 has 2 fields, but the header has 3")
    assert "rows 9, 10" in message


def test_missing_values(tmp_path):
    rows = numbered_rows()
    rows[2], rows[7] = "2,,0", "7, ,1"
    assert_fails(write(tmp_path, table("x,y,label", rows)), "Column 'y' is empty in rows 4, 9.")
    rows = numbered_rows()
    rows[0] = "0,0,"
    assert_fails(write(tmp_path, table("x,y,label", rows)), "Column 'label' is empty in row 2.")


def test_non_numeric_features(tmp_path):
    rows = numbered_rows(20)
    rows[1], rows[5] = "abc,1,0", "1.2.3,1,0"
    for i in (10, 11, 12, 13, 14, 15):
        rows[i] = f"nan,1,{i % 2}"
    assert_fails(write(tmp_path, table("x,y,label", rows)),
                 "Column 'x' has non-numeric values in rows 3, 7, 12, 13, 14 and 3 more (e.g. 'abc')")


def test_overflowing_feature_is_not_a_number(tmp_path):
    rows = numbered_rows()
    rows[0] = "1e40,1,0"
    assert_fails(write(tmp_path, table("x,y,label", rows)), "Column 'x'", "row 2", "'1e40'")


def test_unknown_target_lists_the_columns(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows()))
    assert_fails(path, "no column 'lable'", "the columns are: a, b, label", target="lable")


def test_only_one_class(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows(12, lambda i: "yes")))
    assert_fails(path, "only one class ('yes')")


def test_too_many_classes(tmp_path):
    path = write(tmp_path, table("a,b,name", numbered_rows(150, lambda i: f"id{i}")))
    assert_fails(path, "150 different values", "too many classes")


def test_too_few_rows(tmp_path):
    assert_fails(write(tmp_path, table("a,b,label", numbered_rows(9))), "has 9 data rows; at least 10")


def test_no_feature_column(tmp_path):
    path = write(tmp_path, table("label", [str(i % 2) for i in range(12)]))
    assert_fails(path, "at least one feature column besides the target 'label'")


def test_regression_needs_a_numeric_target(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows(12, lambda i: "ab"[i % 2])))
    assert_fails(path, "Column 'label' has non-numeric values in rows 2, 3", "regression", task="regression")


def test_bad_arguments(tmp_path):
    path = write(tmp_path, table("a,b,label", numbered_rows()))
    assert_fails(path, "task must be one of auto, classification, regression", task="binary")
    assert_fails(path, "test_fraction must be a number from 0.1 to 0.9", test_fraction=1.0)


# --- export --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("xor", {"features": FEATURES, "noise": 20}),
        ("reg-plane", {"noise": 10}),
        ("coffee", {}),
        ("iris", {}),
        ("breast-cancer", {}),  # classes reload sorted: benign, malignant
    ],
)
def test_export_then_load_gives_the_same_rows(tmp_path, name, kwargs):
    ds = load_dataset(name, **kwargs)
    path = tmp_path / f"{name}.csv"
    export_csv(ds, path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[: len(ds.feature_names)] == list(ds.feature_names)
    back = load_csv(path, target=ds.target_name)
    assert back.feature_names == ds.feature_names and back.task == ds.task
    assert sorted(back.class_names) == sorted(ds.class_names)
    assert rows_of(back) == rows_of(ds)


def test_export_writes_train_then_test_with_class_names(tmp_path):
    ds = load_dataset("coffee")
    path = tmp_path / "coffee.csv"
    export_csv(ds, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "temperature,duration,roast" and len(lines) == 201
    first = lines[1].split(",")
    assert [np.float32(v) for v in first[:2]] == ds.x_train[0].tolist()
    assert first[2] == ds.class_names[int(ds.y_train[0])]
    assert [p.name for p in tmp_path.iterdir()] == ["coffee.csv"]  # no temporary file left


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(PlaygroundError, match="does not exist"):
        export_csv(load_dataset("xor"), tmp_path / "no" / "x.csv")


# --- garbage never escapes as anything but PlaygroundError --------------

FIELDS = ["1", "0", "2.5", "-3", "1e40", "nan", "abc", "", " ", '"q,"', "x y", "\u00e9", "0x1", '"', "1_0"]
csvish = st.lists(
    st.lists(st.sampled_from(FIELDS), min_size=0, max_size=5).map(",".join), min_size=0, max_size=16
).map("\n".join)
garbage = st.one_of(
    csvish.map(str.encode),
    st.text(alphabet=st.sampled_from(list('ab01.,;\t\n\r"- e\x00')), max_size=300).map(str.encode),
    st.text(max_size=200).map(str.encode),
    st.binary(max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=garbage, target=st.sampled_from([None, "1", "abc", "zzz"]),
       task=st.sampled_from([None, "regression", "classification"]))
def test_garbage_either_loads_or_raises_playground_error(data, target, task):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.csv"
        path.write_bytes(data)
        try:
            ds = load_csv(path, target=target, task=task)
        except PlaygroundError as exc:
            assert str(exc).strip()
        else:
            assert np.isfinite(ds.x_train).all() and len(ds.x_train) and len(ds.x_test)


# --- numpy's bulk path reads what the careful way reads -------------------

CELLS = ["1", "-2.5", " 3 ", "4e2", "1,5", "0,25", "", " ", "nan", "inf", "1e40", "abc", "x y", "1_0", '"7"', "#8"]
NUMBERS = ["1", "-2.5", " 3 ", "4e2", "0", "2", "0.5"]


@st.composite
def regular(draw):
    """Rows of the header's length holding numbers, then at most two odd cells: mostly files the bulk path takes."""
    separator = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.sampled_from([["a", "b", "t"], ["a", "t"], [" a ", "b", "c", "t"]]))
    labels = draw(st.sampled_from([["x", "y", " z "], ["0", "1", "2", "12", "-1"], NUMBERS]))
    if separator != ",":
        labels = [*labels, "New York, NY", "1,5"]
    rows = draw(st.lists(st.tuples(*[st.sampled_from(NUMBERS)] * (len(header) - 1), st.sampled_from(labels)),
                         min_size=10, max_size=16).map(lambda rows: [list(r) for r in rows]))
    for _ in range(draw(st.integers(0, 2))):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(CELLS))
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n", "\n\n  \n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(regular(), csvish), target=st.sampled_from([None, "a", "t"]),
       task=st.sampled_from(["auto", "regression", "classification"]))
def test_bulk_path_gives_the_careful_table_or_declines(text, target, task):
    bulk = csvio._bulk_table(Path("g.csv"), text, target, task)
    if bulk is None:
        return
    careful = csvio._careful_table(Path("g.csv"), text, target, task)
    assert (bulk.feature_names, bulk.class_names, bulk.target_name) == (
        careful.feature_names, careful.class_names, careful.target_name)
    np.testing.assert_array_equal(bulk.x, careful.x)
    np.testing.assert_array_equal(bulk.y, careful.y)
    assert bulk.x.dtype == careful.x.dtype


def test_export_writes_formula_like_names_as_text_and_numbers_as_numbers(tmp_path):
    """A header or class label that starts like a spreadsheet formula (= + - @) is written with a
    ' before it; the feature values (negative ones too) are written as the numbers they are."""
    rows = "".join(f"{-0.5 * i},{i % 3},{['=1+2', '@cmd', 'plain'][i % 3]}\n" for i in range(12))
    source = tmp_path / "in.csv"
    source.write_text("-x,+y,=HYPERLINK(\"http://evil\")\n" + rows, encoding="utf-8")
    ds = load_csv(source)
    out = tmp_path / "out.csv"
    export_csv(ds, out)
    import csv

    written = list(csv.reader(out.open(newline="", encoding="utf-8")))
    assert written[0] == ["'-x", "'+y", "'=HYPERLINK(\"http://evil\")"]
    assert {row[2] for row in written[1:]} == {"'=1+2", "'@cmd", "plain"}
    assert any(row[0].startswith("-") and float(row[0]) < 0 for row in written[1:])
