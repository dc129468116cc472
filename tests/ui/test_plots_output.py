"""OutputView: decision boundaries of 2-D sets, confusion matrices and predicted-vs-true plots."""
import numpy as np
import pytest

from playground import plots
from playground.core import events
from playground.data import Dataset, load_dataset
from playground.plots.output import OutputView


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = OutputView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    return widget


def grid_boundary(ds, epoch, fn):
    x0, x1, y0, y1 = ds.extent
    xs = np.linspace(x0, x1, 100, dtype=np.float32)
    ys = np.linspace(y0, y1, 100, dtype=np.float32)
    out = fn(*np.meshgrid(xs, ys))  # row i is ys[i], column j is xs[j]
    return events.Boundary(epoch, xs, ys, out if out.ndim == 3 else out[..., None])


def test_binary_boundary_colours_and_updates(view):
    ds = load_dataset("xor", seed=1)
    view.set_dataset(ds)
    view.refresh()
    assert view.boundary_plot.isVisible()
    assert view.image() is None
    view.add_boundary(grid_boundary(ds, 1, lambda x, y: np.full(x.shape, 0.5)))
    view.refresh()
    first = view.image()
    assert first.shape == (100, 100, 4)
    view.add_boundary(grid_boundary(ds, 2, lambda x, y: (x * y > 0).astype(np.float32)))
    view.refresh()
    image = view.image()
    assert not np.array_equal(image, first)
    r, g, b, _ = image[90, 90].astype(int)  # x1 > 0, x2 > 0: P(class 1) = 1
    assert b > r + 60 and b > g
    r, g, b, _ = image[90, 10].astype(int)  # x1 < 0, x2 > 0: class 0
    assert r > b + 60
    assert "epoch 2" in view.boundary_plot.getPlotItem().titleLabel.text


def test_points_and_the_test_data_checkbox(view):
    ds = load_dataset("circle", seed=2)
    view.set_dataset(ds)
    assert len(view._train_points.data) == len(ds.x_train)
    assert len(view._test_points.data) == len(ds.x_test)
    assert not view._test_points.isVisible()
    view.test_check.setChecked(True)
    assert view._test_points.isVisible()


def test_multiclass_boundary_takes_the_likeliest_class_colour(view):
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (60, 2)).astype(np.float32)
    labels = rng.integers(0, 3, 60).astype(np.int32)
    ds = Dataset("blobs", "multiclass", points[:40], labels[:40], points[40:], labels[40:], ("x1", "x2"),
                 ("a", "b", "c"), points[:40], points[40:], (-1.0, 1.0, -1.0, 1.0))
    view.set_dataset(ds)

    def probabilities(x, y):
        out = np.full(x.shape + (3,), 1 / 3)
        out[x > 0] = (0.0, 0.0, 1.0)  # sure of class 2 on the right
        return out

    view.add_boundary(grid_boundary(ds, 1, probabilities))
    view.refresh()
    image = view.image().astype(int)
    assert image[50, 99, 1] > image[50, 99, 0]  # tab10's green for class 2
    assert (image[50, 0, :3] == 255).all()  # unsure: white


def test_confusion_matrix_counts(view):
    ds = load_dataset("iris", seed=0)
    view.set_dataset(ds)
    assert view.stack.currentWidget() is view.confusion_plot
    assert view.confusion() is None
    y_true = np.array([0, 0, 1, 1, 2, 2, 2], dtype=np.int32)
    y_pred = np.array([0, 1, 1, 1, 2, 0, 2], dtype=np.int32)
    view.add_predictions(events.Predictions(7, y_true, y_pred))
    view.refresh()
    np.testing.assert_array_equal(view.confusion(), [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    assert [t.toPlainText() for t in view._cell_texts] == ["1", "1", "0", "0", "2", "0", "1", "0", "2"]
    assert "accuracy 71.4%" in view.confusion_plot.getPlotItem().titleLabel.text
    ticks = view.confusion_plot.getPlotItem().getAxis("left")._tickLevels[0]
    assert [name for _, name in ticks] == list(ds.class_names)
    view.clear()
    assert view.confusion() is None


def test_regression_predicted_against_true(view):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3)).astype(np.float32)
    y = x.sum(axis=1)
    ds = Dataset("sum", "regression", x[:40], y[:40], x[40:], y[40:], ("a", "b", "c"), (), target_name="total")
    view.set_dataset(ds)
    assert view.stack.currentWidget() is view.regression_plot
    view.add_predictions(events.Predictions(3, y[40:], y[40:] + 0.5))
    view.refresh()
    assert len(view._scatter.data) == 10
    assert "MAE 0.5" in view.regression_plot.getPlotItem().titleLabel.text
    assert view.confusion() is None


def test_clear_keeps_the_points_and_drops_the_output(view):
    ds = load_dataset("xor", seed=1)
    view.set_dataset(ds)
    view.add_boundary(grid_boundary(ds, 1, lambda x, y: np.full(x.shape, 0.5)))
    view.refresh()
    view.clear()
    assert view.image() is None
    assert len(view._train_points.data) == len(ds.x_train)
    assert view.boundary_plot.hint.item.isVisible()
