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


CLASS_COUNTS = {  # per class, in class order (the UCI / scikit-learn documentation)
    "iris": [50, 50, 50],
    "wine": [59, 71, 48],
    "breast-cancer": [212, 357],
    "digits": [178, 182, 177, 183, 181, 182, 181, 179, 174, 180],
}
KNOWN_ROWS = [  # (set, the row's first features, its class name, the first feature's name)
    ("iris", [5.1, 3.5, 1.4, 0.2], "setosa", "sepal length (cm)"),
    ("iris", [6.3, 3.3, 6.0, 2.5], "virginica", "sepal length (cm)"),
    ("wine", [14.23, 1.71, 2.43, 15.6], "class_0", "alcohol"),
    ("wine", [12.86, 1.35, 2.32, 18.0], "class_2", "alcohol"),
    ("breast-cancer", [17.99, 10.38, 122.8, 1001.0], "malignant", "mean radius"),
    ("breast-cancer", [13.54, 14.36, 87.46, 566.3], "benign", "mean radius"),
    ("digits", [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0], "0", "pixel_0_0"),
    ("digits", [0, 0, 6, 14, 4, 0, 0, 0, 0, 0, 11, 16, 10, 0, 0, 0], "9", "pixel_0_0"),
]


@pytest.mark.parametrize("name", CLASS_COUNTS)
def test_tables_have_their_class_counts(name):
    ds = load_dataset(name, test_fraction=0.3)
    counts = np.bincount(all_labels(ds).astype(np.int64), minlength=ds.num_classes).tolist()
    assert counts == CLASS_COUNTS[name], f"{name}: {counts} rows per class, expected {CLASS_COUNTS[name]}"


@pytest.mark.parametrize(("name", "row", "label", "first_feature"), KNOWN_ROWS)
def test_a_known_row_keeps_its_class(name, row, label, first_feature):
    ds = load_dataset(name, test_fraction=0.3, seed=4)
    x = np.concatenate([ds.x_train, ds.x_test])
    found = np.flatnonzero(np.all(np.isclose(x[:, : len(row)], row, rtol=1e-6), axis=1))
    assert len(found) == 1, f"{name}: the row starting {row} is there {len(found)} times"
    assert ds.class_names[int(all_labels(ds)[found[0]])] == label, f"{name}: the row starting {row} is not {label}"
    assert ds.feature_names[0] == first_feature and len(ds.feature_names) == ds.input_dim


@pytest.mark.parametrize("name", CLASS_COUNTS)
def test_every_table_row_keeps_its_label_through_the_split(name):
    from sklearn import datasets

    bunch = getattr(datasets, {"breast-cancer": "load_breast_cancer"}.get(name, f"load_{name}"))()
    labels_of = {}
    for features, target in zip(bunch.data.astype(np.float32), bunch.target):
        labels_of.setdefault(features.tobytes(), set()).add(str(bunch.target_names[target]))
    ds = load_dataset(name, test_fraction=0.7, seed=9)
    for x, y in ((ds.x_train, ds.y_train), (ds.x_test, ds.y_test)):
        for features, label in zip(x, y):
            assert ds.class_names[int(label)] in labels_of[features.tobytes()], f"{name}: a row lost its label"


@pytest.mark.parametrize("name", [*PLANAR, "coffee", "iris"])
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    assert_same(load_dataset(name, seed=3), load_dataset(name, seed=3))
    a, b = load_dataset(name, seed=3), load_dataset(name, seed=4)
    assert not np.array_equal(a.x_train, b.x_train)


@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.25, 0.5, 0.7, 0.9])
def test_test_fraction_is_respected(fraction):
    for name, n in (("xor", 500), ("reg-gauss", 1200), ("iris", 150), ("coffee", 200)):
        ds = load_dataset(name, test_fraction=fraction)
        sizes = (len(ds.x_train), len(ds.y_train), len(ds.x_test), len(ds.y_test))
        n_test = round(n * fraction)
        assert sizes == (n - n_test, n - n_test, n_test, n_test), \
            f"{name}: test_fraction {fraction} should give {n - n_test} training and {n_test} test rows, not {sizes}"


@pytest.mark.parametrize("name", PLANAR)
def test_the_seed_draws_the_points_not_only_the_split(name):
    def drawn(seed):
        ds = load_dataset(name, seed=seed, noise=20)
        order = np.lexsort(all_points(ds).T)
        return all_points(ds)[order], all_labels(ds)[order]

    same, again, other = drawn(5), drawn(5), drawn(6)
    np.testing.assert_array_equal(same[0], again[0])
    np.testing.assert_array_equal(same[1], again[1])
    assert not np.array_equal(same[0], other[0]), f"{name}: seeds 5 and 6 generate the same points"


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


@pytest.mark.parametrize(("feature", "value"), [
    ("x1", 1.5), ("x2", -2.0), ("x1^2", 2.25), ("x2^2", 4.0), ("x1*x2", -3.0),
    ("sin_x1", math.sin(1.5)), ("sin_x2", math.sin(-2.0)),
])
def test_each_feature_cross_alone(feature, value):
    ds = load_dataset("xor", samples=20, features=[feature])
    assert ds.feature_names == (feature,) and ds.x_train.shape == (10, 1)
    assert ds.featurize(np.array([[1.5, -2.0]]))[0, 0] == pytest.approx(value, rel=1e-6), \
        f"{feature} of the point (1.5, -2) should be {value:.6g}"
    p = ds.points_train.astype(np.float64)
    expected = {"x1": p[:, 0], "x2": p[:, 1], "x1^2": p[:, 0] ** 2, "x2^2": p[:, 1] ** 2, "x1*x2": p[:, 0] * p[:, 1],
                "sin_x1": np.sin(p[:, 0]), "sin_x2": np.sin(p[:, 1])}[feature]
    np.testing.assert_allclose(ds.x_train[:, 0], expected, rtol=1e-5, atol=1e-6, err_msg=feature)


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


def test_spiral_points_lie_on_their_class_arm():
    # dataset.ts: genSpiral(0, +1) then genSpiral(π, -1); point i of n/2 at r = i/(n/2)·5,
    # t = 1.75·i/(n/2)·2π + Δ, (x, y) = (r sin t, r cos t). Label 1 is TF Playground's +1.
    ds = load_dataset("spiral", samples=400)
    p, y = all_points(ds).astype(np.float64), all_labels(ds)
    r = np.hypot(p[:, 0], p[:, 1])
    np.testing.assert_allclose(r * 200 / 5, np.round(r * 200 / 5), atol=1e-3, err_msg="radii are i/(n/2)·5")
    t = 1.75 * r / 5 * 2 * np.pi
    arm = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    for label, sign, delta in ((1.0, 1, "0"), (0.0, -1, "π")):
        np.testing.assert_allclose(p[y == label], sign * arm[y == label], atol=1e-4,
                                   err_msg=f"class {label:g} should lie on the arm turned by {delta}")
    assert (y == 1).sum() == (y == 0).sum() == 200


# -- TensorFlow Playground's src/dataset.ts, transcribed with numpy -------------------------------
# Each returns points and TF Playground's labels (+1 / -1; a value for regression) for n points
# and noise as a fraction. The generators are compared with these by statistics of what they
# produce, so any order of random draws passes but not another geometry or noise scale.

def tf_circle(rng, n, noise):
    radius, half = 5.0, n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, half)])
    angle = rng.uniform(0, 2 * np.pi, 2 * half)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    noisy = points + rng.uniform(-radius, radius, points.shape) * noise
    return points, np.where(np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5, 1, -1)


def tf_xor(rng, n, noise):
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    noisy = points + rng.uniform(-5, 5, (n, 2)) * noise
    return points, np.where(noisy[:, 0] * noisy[:, 1] >= 0, 1, -1)


def tf_gauss(rng, n, noise):
    variance = 0.5 + (4 - 0.5) * noise / 0.5  # d3.scale.linear().domain([0, .5]).range([0.5, 4])
    half = n // 2
    points = np.concatenate([rng.normal(2, math.sqrt(variance), (half, 2)),
                             rng.normal(-2, math.sqrt(variance), (half, 2))])
    return points, np.repeat([1, -1], half)


def tf_spiral(rng, n, noise):
    half = n / 2
    i = np.arange(math.ceil(half))
    arms = []
    for delta in (0.0, np.pi):
        r, t = i / half * 5, 1.75 * i / half * 2 * np.pi + delta
        arms.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (len(i), 2)) * noise)
    return np.concatenate(arms), np.repeat([1, -1], len(i))


def tf_reg_plane(rng, n, noise):
    points = rng.uniform(-6, 6, (n, 2))
    noisy = points + rng.uniform(-6, 6, (n, 2)) * noise
    return points, (noisy[:, 0] + noisy[:, 1]) / 10  # d3 scale [-10, 10] -> [-1, 1] of x + y


GAUSSIANS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


def tf_reg_gauss_label(points):
    label = np.zeros(len(points))
    for cx, cy, sign in GAUSSIANS:  # the bump largest in absolute value wins
        new = sign * np.clip(1 - np.hypot(points[:, 0] - cx, points[:, 1] - cy) / 2, 0, 1)
        label = np.where(np.abs(new) > np.abs(label), new, label)
    return label


def tf_reg_gauss(rng, n, noise):
    points = rng.uniform(-6, 6, (n, 2))
    noisy = points + rng.uniform(-6, 6, (n, 2)) * noise
    return points, tf_reg_gauss_label(noisy)


def sk_moons(rng, n, noise):
    """scikit-learn's make_moons (outer moon class 0 = -1 here), moved and scaled as the docs say."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n, shuffle=False, noise=noise or None, random_state=int(rng.integers(2**31)))
    return (x - [0.5, 0.25]) * 3.5, np.where(y == 1, 1, -1)


REFERENCE = {"circle": tf_circle, "xor": tf_xor, "gauss": tf_gauss, "spiral": tf_spiral,
             "reg-plane": tf_reg_plane, "reg-gauss": tf_reg_gauss, "moons": sk_moons}


def nearest_clean(name, n):
    """Mean distance from each point to the nearest noise-free point of its own class."""
    clean, clean_y = REFERENCE[name](np.random.default_rng(0), n, 0.0)

    def stat(p, y):
        means = []
        for label in (1, -1):
            a, b = p[y == label], clean[clean_y == label]
            means.append(np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1]).min(axis=1).mean())
        return means
    return stat


STATISTICS = {  # name: (points, ±1 labels or values) -> numbers that the noise and geometry decide
    "circle": lambda p, y: [np.mean(y[np.hypot(*p.T) < 3] == -1), np.mean(y[np.hypot(*p.T) > 3] == 1)],
    "xor": lambda p, y: [np.mean(y != np.where(p[:, 0] * p[:, 1] >= 0, 1, -1))],
    "gauss": lambda p, y: [*p[y == 1].mean(axis=0), *p[y == -1].mean(axis=0),
                           p[y == 1].var(axis=0).mean(), p[y == -1].var(axis=0).mean()],
    "spiral": nearest_clean("spiral", 1000),
    "moons": nearest_clean("moons", 1000),
    "reg-plane": lambda p, y: [np.mean(np.abs(y - p.sum(axis=1) / 10))],
    "reg-gauss": lambda p, y: [np.mean(np.abs(y - tf_reg_gauss_label(p)))],
}


@pytest.mark.parametrize(("name", "noise"), [
    ("circle", 30), ("circle", 50), ("xor", 30), ("gauss", 20), ("spiral", 30), ("moons", 10),
    ("reg-plane", 30), ("reg-gauss", 30),
])
def test_noise_and_geometry_match_the_reference(name, noise):
    n = 1000 if name in ("spiral", "moons") else 20000
    ds = load_dataset(name, samples=n, noise=noise, seed=1)
    y = all_labels(ds).astype(np.float64)
    got = np.array(STATISTICS[name](all_points(ds).astype(np.float64), np.where(y == 1, 1, -1) if ds.class_names else y))
    runs = np.array([STATISTICS[name](*REFERENCE[name](np.random.default_rng(seed), n, noise / 100)) for seed in range(8)])
    mean, spread = runs.mean(axis=0), runs.std(axis=0)
    assert np.all(np.abs(got - mean) <= 5 * spread + 1e-9), (
        f"{name} at noise {noise}: {np.round(got, 4)} where its definition ({REFERENCE[name].__name__}) gives "
        f"{np.round(mean, 4)} ± {np.round(spread, 4)}")


def test_moons_are_scikit_learns_without_noise():
    ds = load_dataset("moons", samples=101, noise=0)
    expected, labels = sk_moons(np.random.default_rng(0), 101, 0.0)
    got = all_points(ds).astype(np.float64)
    distance = np.hypot(got[:, None, 0] - expected[None, :, 0], got[:, None, 1] - expected[None, :, 1])
    match = distance.argmin(axis=1)
    assert distance.min(axis=1).max() < 1e-5 and len(set(match)) == 101, "the points are not make_moons'"
    np.testing.assert_array_equal(all_labels(ds), (labels[match] == 1).astype(np.float32),
                                  err_msg="the outer moon is class 0, the inner one class 1")


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
