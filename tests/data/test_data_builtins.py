"""Built-in data sets: shapes, determinism, TF Playground formulas, coffee, parameters."""
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.data import FEATURES, Dataset, dataset_info, list_datasets, load_dataset
from playground.errors import PlaygroundError

ROOT = Path(__file__).resolve().parents[2]
PLANAR = ["circle", "xor", "gauss", "spiral", "moons", "reg-plane", "reg-gauss"]
TABLES = {  # name: (rows, features, classes)
    "coffee": (200, 2, 2),
    "iris": (150, 4, 3),
    "wine": (178, 13, 3),
    "breast-cancer": (569, 30, 2),
    "digits": (1797, 64, 10),
}


def all_points(ds: Dataset) -> np.ndarray:
    return np.concatenate([ds.points_train, ds.points_test])


def all_labels(ds: Dataset) -> np.ndarray:
    return np.concatenate([ds.y_train, ds.y_test])


def assert_same(a: Dataset, b: Dataset) -> None:
    for field in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
        assert getattr(a, field).dtype == getattr(b, field).dtype


def check_labels(ds: Dataset) -> None:
    expected = {"binary": np.float32, "multiclass": np.int32, "regression": np.float32}[ds.task]
    for y, x in ((ds.y_train, ds.x_train), (ds.y_test, ds.x_test)):
        assert y.dtype == expected and y.shape == (len(x),)
        if ds.task == "binary":
            assert set(np.unique(y)) <= {0.0, 1.0}
        if ds.task == "multiclass":
            assert y.min() >= 0 and y.max() < ds.num_classes
    assert ds.x_train.dtype == ds.x_test.dtype == np.float32
    assert ds.x_train.shape[1] == ds.x_test.shape[1] == len(ds.feature_names) == ds.input_dim


def test_registry_lists_every_builtin_once_in_display_order():
    names = [info.name for info in list_datasets()]
    assert names[:4] == ["circle", "xor", "gauss", "spiral"]
    assert set(names) == {*PLANAR, *TABLES, "mnist", "fashion-mnist"}
    assert len(names) == len(set(names))
    for info in list_datasets():
        assert dataset_info(info.name) == info
        assert info.kind in ("2d", "table", "image") and info.description.endswith(".")
    assert dataset_info("csv").kind == "table"


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(PlaygroundError, match="Unknown data set 'nope'.*circle.*mnist.*csv"):
        load_dataset("nope")


@pytest.mark.parametrize("name", PLANAR)
def test_planar_sets_have_documented_shapes(name):
    info = dataset_info(name)
    ds = load_dataset(name)
    assert ds.name == name and ds.task == info.task
    assert len(ds.x_train) + len(ds.x_test) == info.default_samples == (1200 if name.startswith("reg") else 500)
    assert ds.feature_names == ("x1", "x2") and ds.is_2d and ds.extent == (-6.0, 6.0, -6.0, 6.0)
    assert ds.points_train.dtype == np.float32 and ds.points_train.shape == ds.x_train.shape
    check_labels(ds)
    if ds.task == "binary":
        assert ds.class_names == ("0", "1") and ds.num_classes == 2 and ds.output_units == 1
        assert 0 < all_labels(ds).mean() < 1
    else:
        assert ds.class_names == () and ds.num_classes == 0 and ds.output_units == 1


@pytest.mark.parametrize("name", TABLES)
def test_tables_have_documented_shapes(name):
    rows, features, classes = TABLES[name]
    ds = load_dataset(name)
    assert ds.x_train.shape == (rows - round(rows * 0.5), features)
    assert ds.x_test.shape == (round(rows * 0.5), features)
    assert ds.num_classes == classes == len(set(all_labels(ds)))
    assert ds.task == dataset_info(name).task == ("binary" if classes == 2 else "multiclass")
    assert ds.output_units == (1 if classes == 2 else classes)
    assert dataset_info(name).input_dim == features
    assert ds.is_2d == (name == "coffee")
    check_labels(ds)


def test_sklearn_names_are_kept():
    iris = load_dataset("iris")
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert iris.feature_names[0] == "sepal length (cm)"
    assert load_dataset("breast-cancer").class_names == ("malignant", "benign")
    digits = load_dataset("digits")
    assert digits.class_names == tuple("0123456789") and digits.x_train.max() == 16


@pytest.mark.parametrize("name", [*PLANAR, "coffee", "iris"])
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    assert_same(load_dataset(name, seed=3), load_dataset(name, seed=3))
    a, b = load_dataset(name, seed=3), load_dataset(name, seed=4)
    assert not np.array_equal(a.x_train, b.x_train)


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.5, 0.9])
def test_test_fraction_is_respected(fraction):
    for name, n in (("xor", 500), ("iris", 150)):
        ds = load_dataset(name, test_fraction=fraction)
        assert len(ds.x_test) == round(n * fraction) and len(ds.x_train) == n - round(n * fraction)


def test_split_is_a_permutation_of_the_same_points():
    a, b = load_dataset("spiral", test_fraction=0.2), load_dataset("spiral", test_fraction=0.7)
    assert np.array_equal(np.sort(all_points(a), axis=0), np.sort(all_points(b), axis=0))


def test_samples_sets_the_size():
    ds = load_dataset("circle", samples=101)
    assert len(ds.x_train) + len(ds.x_test) == 101


@pytest.mark.parametrize("name", PLANAR)
def test_noise_changes_the_data(name):
    quiet, noisy = load_dataset(name, noise=0), load_dataset(name, noise=30)
    assert not (
        np.array_equal(all_points(quiet), all_points(noisy))
        and np.array_equal(all_labels(quiet), all_labels(noisy))
    )


@pytest.mark.parametrize("name", ["spiral", "reg-gauss"])
def test_feature_crosses(name):
    ds = load_dataset(name, features=FEATURES)
    assert ds.input_dim == 7 and ds.feature_names == FEATURES
    np.testing.assert_array_equal(ds.featurize(ds.points_train), ds.x_train)
    np.testing.assert_array_equal(ds.featurize(ds.points_test), ds.x_test)
    p = ds.points_train.astype(np.float64)
    expected = [p[:, 0], p[:, 1], p[:, 0] ** 2, p[:, 1] ** 2, p[:, 0] * p[:, 1], np.sin(p[:, 0]), np.sin(p[:, 1])]
    np.testing.assert_allclose(ds.x_train, np.stack(expected, axis=1), rtol=1e-5, atol=1e-6)
    small = load_dataset(name, features=["x1^2", "sin_x2"])
    assert small.input_dim == 2
    np.testing.assert_array_equal(small.x_train, ds.x_train[:, [2, 6]])
    grid = np.array([[0.0, 0.0], [1.0, -2.0]])
    np.testing.assert_allclose(small.featurize(grid), [[0, 0], [1, math.sin(-2)]], rtol=1e-6)


def test_featurize_needs_a_plane():
    with pytest.raises(PlaygroundError, match="'iris' has 4 features"):
        load_dataset("iris").featurize(np.zeros((3, 2)))


def test_xor_labels_are_the_sign_of_x_times_y():
    ds = load_dataset("xor")
    p, y = all_points(ds), all_labels(ds)
    np.testing.assert_array_equal(y, (p[:, 0] * p[:, 1] >= 0).astype(np.float32))
    assert np.abs(p).min() >= 0.3 and np.abs(p).max() <= 5.3


def test_circle_labels_by_radius():
    ds = load_dataset("circle")
    radius = np.hypot(*all_points(ds).T)
    np.testing.assert_array_equal(all_labels(ds), (radius < 3).astype(np.float32))
    assert radius.max() <= 5 and not ((radius > 2.5001) & (radius < 3.4999)).any()


def test_gauss_and_spiral_shapes():
    gauss = load_dataset("gauss")
    p, y = all_points(gauss), all_labels(gauss)
    np.testing.assert_allclose(p[y == 1].mean(axis=0), [2, 2], atol=0.2)
    np.testing.assert_allclose(p[y == 0].mean(axis=0), [-2, -2], atol=0.2)
    # variance 0.5 at noise 0, 0.5 + 3.5 * 2 * noise in general (TF Playground's d3 scale)
    assert abs(p[y == 1].var(axis=0).mean() - 0.5) < 0.1
    wide = load_dataset("gauss", noise=50)
    assert abs(all_points(wide)[all_labels(wide) == 1].var(axis=0).mean() - 4.0) < 0.8
    radius = np.hypot(*all_points(load_dataset("spiral")).T)
    assert radius.max() < 5 and np.isclose(np.sort(radius)[:2], 0).all()


def test_regression_targets_follow_tf_playground():
    plane = load_dataset("reg-plane")
    p = all_points(plane)
    np.testing.assert_allclose(all_labels(plane), (p[:, 0] + p[:, 1]) / 10, atol=1e-6)

    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]

    def js_label(x, y):  # getLabel() of regressGaussian, line by line
        label = 0.0
        for cx, cy, sign in centres:
            new = sign * min(1.0, max(0.0, 1 - math.dist((x, y), (cx, cy)) / 2))
            if abs(new) > abs(label):
                label = new
        return label

    gauss = load_dataset("reg-gauss", samples=300)
    expected = [js_label(x, y) for x, y in all_points(gauss).astype(np.float64)]
    np.testing.assert_allclose(all_labels(gauss), expected, atol=1e-5)
    assert all_labels(gauss).min() < -0.5 and all_labels(gauss).max() > 0.5


def test_moons_fill_the_plane_and_interleave():
    ds = load_dataset("moons")
    p, y = all_points(ds), all_labels(ds)
    assert np.abs(p).max() <= 6 and p[:, 0].min() < -5 and p[:, 0].max() > 5
    assert p[y == 0, 1].mean() > p[y == 1, 1].mean()
    assert dataset_info("moons").default_noise > 0


def test_coffee_matches_the_seed_notes():
    ds = load_dataset("coffee", seed=5, noise=40, samples=50)  # noise and samples are ignored
    x = np.concatenate([ds.x_train, ds.x_test])
    assert len(x) == 200
    assert f"{x[:, 0].max():0.2f}, {x[:, 0].min():0.2f}" == "284.99, 151.32"
    assert f"{x[:, 1].max():0.2f}, {x[:, 1].min():0.2f}" == "15.45, 11.51"
    assert ds.feature_names == ("temperature", "duration")
    assert ds.class_names == ("bad roast", "good roast")
    t, d = x[:, 0].astype(np.float64), x[:, 1].astype(np.float64)
    good = (175 < t) & (t < 260) & (12 < d) & (d < 15) & (d <= -3 / 85 * t + 21)
    np.testing.assert_array_equal(np.concatenate([ds.y_train, ds.y_test]), good)
    np.testing.assert_array_equal(ds.points_train, ds.x_train)
    np.testing.assert_array_equal(ds.featurize(ds.points_test), ds.x_test)
    x0, x1, y0, y1 = ds.extent
    assert x0 < 151.32 and x1 > 284.99 and y0 < 11.51 and y1 > 15.45
    np.testing.assert_array_equal(np.sort(x, axis=0), np.sort(np.concatenate(
        [load_dataset("coffee", seed=0).x_train, load_dataset("coffee", seed=0).x_test]), axis=0))


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"noise": 51}, "noise must be a number from 0 to 50, not 51"),
        ({"noise": -1}, "noise"),
        ({"test_fraction": 0.95}, "test_fraction must be a number from 0.1 to 0.9"),
        ({"test_fraction": 0}, "test_fraction"),
        ({"samples": 5}, "samples must be a whole number from 10 to 50000, not 5"),
        ({"samples": 12.5}, "samples"),
        ({"seed": -1}, "seed must be a whole number of 0 or more"),
        ({"features": []}, "at least one input feature"),
        ({"features": ["x3"]}, "Unknown input feature 'x3'; the features are: x1, x2"),
        ({"features": ["x1", "x1"]}, "once"),
    ],
)
def test_bad_parameters_are_named(kwargs, words):
    with pytest.raises(PlaygroundError, match=words.replace("(", r"\(")):
        load_dataset("xor", **kwargs)


def test_csv_name_needs_a_path():
    with pytest.raises(PlaygroundError, match="CSV file"):
        load_dataset("csv")


def test_import_stays_light():
    code = (
        "import sys, playground.data; "
        "heavy = {'tensorflow', 'keras', 'sklearn', 'PySide6', 'pyqtgraph'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
