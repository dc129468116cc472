"""A 2-D set's plane (where its boundary is drawn) lies under every point, noise included: TensorFlow
Playground's -6..6 square, widened with a margin on a side where noise carries points out of it."""
import numpy as np
import pytest

from playground.data import load_csv, load_dataset
from playground.data.planar import EXTENT

PLANAR = ("circle", "xor", "gauss", "spiral", "moons", "reg-plane", "reg-gauss")


def gap(ds):
    """How far inside the plane the outermost points lie, on each side, as fractions of the points' span."""
    points = np.concatenate([ds.points_train, ds.points_test]).astype(float)
    lo, hi = points.min(axis=0), points.max(axis=0)
    x0, x1, y0, y1 = ds.extent
    span = hi - lo
    return np.array([(lo[0] - x0) / span[0], (x1 - hi[0]) / span[0], (lo[1] - y0) / span[1], (y1 - hi[1]) / span[1]])


@pytest.mark.parametrize("name", PLANAR)
def test_the_plane_holds_every_noisy_point_with_a_margin(name):
    ds = load_dataset(name, samples=400, noise=50, seed=3)
    widened = np.array(ds.extent) != np.array(EXTENT)  # sides that noise pushed out of TF Playground's plane
    assert np.all(gap(ds) >= 0), f"{name}'s plane {ds.extent} leaves points outside: {gap(ds)}"
    assert np.all(gap(ds)[widened] >= 0.049), \
        f"{name}'s plane {ds.extent} leaves a point at the edge of a side it widened: {gap(ds)}"
    x0, x1, y0, y1 = ds.extent
    assert x0 <= EXTENT[0] and x1 >= EXTENT[1] and y0 <= EXTENT[2] and y1 >= EXTENT[3], \
        f"{name}'s plane {ds.extent} is smaller than TensorFlow Playground's"


def test_noise_widens_the_plane_only_where_points_leave_it():
    quiet, noisy = load_dataset("gauss", seed=3), load_dataset("gauss", noise=50, seed=3)
    assert quiet.extent == EXTENT, "points inside TF Playground's plane changed it"
    assert noisy.extent[0] < EXTENT[0] and noisy.extent[3] > EXTENT[3], "noisy points outside did not widen it"


def test_a_two_column_csv_gets_a_plane_around_its_points(tmp_path):
    path = tmp_path / "t.csv"
    rows = "".join(f"{i * 3 - 40},{(i % 7) * 0.01},{i % 2}\n" for i in range(30))  # far from -6..6, and flat
    path.write_text("a,b,y\n" + rows, encoding="utf-8")
    ds = load_csv(path)
    assert ds.is_2d and gap(ds).min() >= 0.049, f"the plane {ds.extent} does not hold the points with a margin"
