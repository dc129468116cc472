"""DataPreview: the Data panel's scatter of a data set."""
import numpy as np
import pytest

from playground import plots
from playground.data import load_dataset
from playground.plots.preview import MAX_POINTS, DataPreview, projection


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = DataPreview()
    qtbot.addWidget(widget)
    widget.resize(300, 220)
    widget.show()
    return widget


def test_2d_sets_show_every_raw_point(view):
    ds = load_dataset("xor", samples=300, seed=0)
    view.set_dataset(ds)
    assert view.point_count() == 300
    np.testing.assert_allclose(np.sort(view._points.data["x"]),
                               np.sort(np.concatenate([ds.points_train[:, 0], ds.points_test[:, 0]])))
    assert "x1 across, x2 up" in view.caption.text()


def test_wide_tables_are_projected(view):
    ds = load_dataset("wine", seed=0)
    view.set_dataset(ds)
    assert view.point_count() == len(ds.x_train) + len(ds.x_test)
    assert "principal components of 13" in view.caption.text()


def test_big_sets_are_sampled(view):
    view.set_dataset(load_dataset("circle", samples=5000, seed=0))
    assert view.point_count() == MAX_POINTS
    assert f"{MAX_POINTS:,} of 5,000 points" in view.caption.text()


def test_regression_and_clear(view):
    view.set_dataset(load_dataset("reg-plane", samples=400, seed=0))
    assert view.point_count() == 400
    assert "colour: y" in view.caption.text()
    view.clear()
    assert view.point_count() == 0
    assert "Choose a data set" in view.caption.text()


def test_projection_finds_the_widest_direction():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=500), rng.normal(size=500) * 0.01, rng.normal(size=500)])
    x[:, 2] = x[:, 0]  # two columns share one direction
    out = projection(x)
    assert out.shape == (500, 2)
    assert abs(np.corrcoef(out[:, 0], x[:, 0])[0, 1]) > 0.99
