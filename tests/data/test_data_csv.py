"""CSV import/export: happy paths, every bad-input sentence, round trip, garbage."""
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import FEATURES, Dataset, export_csv, load_csv, load_dataset
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
    def denied(self):
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path, table("a,b", numbered_rows()))
    monkeypatch.setattr(Path, "read_bytes", denied)
    assert_fails(path, "cannot be read: Permission denied")


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
    assert_fails(path, "task must be one of regression, classification", task="binary")
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
