"""DataPreview, tested by what it draws: each point's position and colour against the data set's own numbers,
and the caption's count read as a number."""
import re

import numpy as np
import pytest

from playground import plots
from playground.data import Dataset, load_dataset
from playground.plots.preview import MAX_POINTS, DataPreview, projection
from playground.plots.style import BLUE, ORANGE, rgb


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = DataPreview()
    qtbot.addWidget(widget)
    widget.resize(300, 220)
    widget.show()
    return widget


def caption_count(view):
    """(points drawn, points in the set) as the caption says them."""
    match = re.match(r"([\d,]+)(?: of ([\d,]+))? points: ", view.caption.text())
    assert match, view.caption.text()
    shown = int(match.group(1).replace(",", ""))
    return shown, int((match.group(2) or match.group(1)).replace(",", ""))


def test_2d_sets_draw_every_point_where_it_is_in_its_class_colour(view):
    ds = load_dataset("xor", samples=300, seed=0)
    view.set_dataset(ds)
    positions, colours = view.points()
    np.testing.assert_allclose(positions, np.concatenate([ds.points_train, ds.points_test]),
                               err_msg="the points are not drawn at their (x1, x2)")
    labels = np.concatenate([ds.y_train, ds.y_test]).astype(int)
    expected = np.array([rgb(ORANGE), rgb(BLUE)])[labels]
    np.testing.assert_array_equal(colours, expected, err_msg="class 0 is not orange and class 1 blue")
    assert caption_count(view) == (300, 300)
    assert view.caption.text().endswith(": x₁ across, x₂ up; colour: class")


def test_a_one_feature_table_draws_the_feature_across_and_the_target_up(view):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, (40, 1)).astype(np.float32)
    y = (x[:, 0] ** 2 / 10 - 3).astype(np.float32)  # not symmetric in x and y: swapped axes show
    ds = Dataset("square", "regression", x[:30], y[:30], x[30:], y[30:], ("size",), (), target_name="price")
    view.set_dataset(ds)
    positions, colours = view.points()
    np.testing.assert_allclose(positions, np.column_stack([x[:, 0], y]), rtol=1e-6,
                               err_msg="not the feature across and the target up")
    lowest, highest = np.argmin(y), np.argmax(y)
    np.testing.assert_array_equal(colours[lowest], rgb(ORANGE), err_msg="the lowest target is not orange")
    np.testing.assert_array_equal(colours[highest], rgb(BLUE), err_msg="the highest target is not blue")
    assert view.caption.text() == "40 points: size across, price up; colour: price"


def test_wide_tables_are_drawn_on_their_first_two_principal_components(view):
    rng = np.random.default_rng(1)
    a, b, noise = rng.normal(size=(3, 120, 1))
    # columns on scales from 0.01 to 1000: unstandardized, the widest column alone would be the first axis
    x = np.hstack([1000 * a + 300 * noise, 0.01 * (a + b), b - a, 5 * b + noise, rng.normal(size=(120, 1))])
    labels = (a[:, 0] > 0).astype(np.float32)
    ds = Dataset("wide", "binary", x[:90].astype(np.float32), labels[:90], x[90:].astype(np.float32), labels[90:],
                 tuple("abcde"), ("0", "1"))
    view.set_dataset(ds)
    positions, _ = view.points()
    x = x.astype(np.float32).astype(np.float64)
    standard = (x - x.mean(axis=0)) / x.std(axis=0)
    variances, vectors = np.linalg.eigh(np.cov(standard, rowvar=False))
    components = standard @ vectors[:, ::-1][:, :2]  # the two directions of most variance, widest first
    for i in range(2):
        correlation = np.corrcoef(positions[:, i], components[:, i])[0, 1]
        assert abs(correlation) > 0.9999, f"axis {i} is not principal component {i + 1} (r = {correlation:.4f})"
    assert caption_count(view) == (len(x), len(x))
    assert "first two principal components of 5 standardized features" in view.caption.text()


def test_big_sets_draw_a_sample_of_their_own_points(view):
    ds = load_dataset("circle", samples=5000, seed=0)
    view.set_dataset(ds)
    positions, _ = view.points()
    assert len(positions) == MAX_POINTS and caption_count(view) == (MAX_POINTS, 5000)
    every = {tuple(p) for p in np.concatenate([ds.points_train, ds.points_test]).astype(np.float64)}
    drawn = {tuple(p) for p in positions}
    assert drawn <= every, "a drawn point is none of the data set's points"
    assert len(drawn) == MAX_POINTS, f"the sample draws {MAX_POINTS - len(drawn)} points twice"


def test_clear_draws_nothing(view):
    view.set_dataset(load_dataset("reg-plane", samples=400, seed=0))
    assert caption_count(view) == (400, 400)
    view.clear()
    assert len(view.points()[0]) == 0 and view.point_count() == 0
    assert view.caption.text() == "Choose a data set to preview its points."


def test_projection_finds_the_widest_direction():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=500), rng.normal(size=500) * 0.01, rng.normal(size=500)])
    x[:, 2] = x[:, 0]  # two columns share one direction
    out = projection(x)
    assert out.shape == (500, 2)
    assert abs(np.corrcoef(out[:, 0], x[:, 0])[0, 1]) > 0.99
