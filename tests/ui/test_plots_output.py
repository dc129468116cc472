"""OutputView, tested by what it draws: the heatmap's pixel over a point of the plane, the points and their
legend, the confusion matrix's cells and labels, the predicted-versus-true points, the titles' numbers."""
import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from playground import plots
from playground.core import events
from playground.data import Dataset, load_dataset
from playground.plots.output import OutputView, output_colours
from playground.plots.style import BLUE, ORANGE, TAB10, colour_at, lighten, rgb

# a plane twice as wide as it is tall and off-centre: a transposed or shifted heatmap cannot fit it
EXTENT = (-3.0, 5.0, -1.0, 3.0)


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = OutputView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    return widget


def plane_set(task="binary", classes=("0", "1")):
    """A 2-D set on EXTENT whose few points sit in its bottom-left corner, away from what tests look at."""
    rng = np.random.default_rng(3)
    points = np.column_stack([rng.uniform(-3.0, -2.5, 12), rng.uniform(-1.0, -0.5, 12)]).astype(np.float32)
    labels = (np.arange(12) % len(classes)).astype(np.float32 if task == "binary" else np.int32)
    return Dataset("plane", task, points[:8], labels[:8], points[8:], labels[8:], ("x1", "x2"), classes,
                   points[:8], points[8:], EXTENT)


def boundary(epoch, output, n=40):
    """A Boundary over EXTENT's n x n grid (row i at ys[i], column j at xs[j]) with ``output``'s values."""
    x0, x1, y0, y1 = EXTENT
    xs = np.linspace(x0, x1, n, dtype=np.float32)
    ys = np.linspace(y0, y1, n, dtype=np.float32)
    return events.Boundary(epoch, xs, ys, np.asarray(output, dtype=np.float32).reshape(n, n, -1))


def checkerboard(n=40):
    """P(class 1) on the grid that changes from each pixel to its neighbours and is no mirror of itself."""
    rows, columns = np.mgrid[0:n, 0:n]
    return ((3 * columns + 7 * rows) % 11) / 10


def title(plot):
    return plot.getPlotItem().titleLabel.text


def test_each_point_of_the_plane_is_drawn_in_the_colour_of_the_models_output_there(view):
    ds = plane_set()
    view.set_dataset(ds)
    event = boundary(5, checkerboard())
    view.add_boundary(event)
    view.refresh()
    expected = output_colours(event.output, "binary", (0.0, 1.0))  # row i, column j: the grid's (xs[j], ys[i])
    dx, dy = np.diff(event.xs).mean(), np.diff(event.ys).mean()
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 40, (60, 2)):
        for off_x, off_y in ((-0.3, -0.3), (0.3, 0.3), (-0.3, 0.3), (0.3, -0.3)):  # inside the sample's pixel
            x, y = event.xs[j] + off_x * dx, event.ys[i] + off_y * dy
            drawn = view.boundary_at(x, y)
            assert drawn is not None, f"no heatmap drawn at ({x:.3f}, {y:.3f}) inside the plane"
            assert np.array_equal(drawn, expected[i, j]), (
                f"at ({x:.3f}, {y:.3f}) the heatmap shows {drawn}, but the model's output there "
                f"(grid row {i}, column {j}) is {event.output[i, j, 0]:.1f}, coloured {expected[i, j]}")
    assert view.boundary_at(EXTENT[0] - dx, 0.0) is None and view.boundary_at(0.0, EXTENT[3] + dy) is None, \
        "the heatmap reaches past the plane's grid"


def test_the_boundary_on_screen_is_upright(view):
    """A grab of the plot: blue (class 1) where the model says so at the top right, orange below."""
    ds = plane_set()
    view.set_dataset(ds)
    n = 40
    x0, x1, y0, y1 = EXTENT
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    p = ((ys[:, None] > 1.0) & (xs[None, :] > 1.0)).astype(np.float32)  # class 1 only up and to the right
    view.add_boundary(boundary(1, p))
    view.refresh()
    blue, orange = (lighten(rgb(c), 0.3) for c in (BLUE, ORANGE))
    for x, y, colour, where in ((3.0, 2.0, blue, "up right"), (3.0, 0.0, orange, "down right"),
                                (-1.0, 2.0, orange, "up left"), (-1.0, 0.0, orange, "down left")):
        seen = colour_at(view.boundary_plot, x, y)
        assert np.abs(np.array(seen.getRgb()[:3]) - colour).max() <= 3, (
            f"{where} at ({x}, {y}) the screen shows {seen.name()}, not the model's colour {colour.round()}")


def test_output_colours_run_from_orange_through_white_to_blue():
    colours = output_colours(np.array([[[0.0], [0.5], [1.0]]]), "binary", (0.0, 1.0))[0, :, :3]
    np.testing.assert_allclose(colours[0], lighten(rgb(ORANGE), 0.3), atol=1, err_msg="P = 0 is not orange")
    np.testing.assert_allclose(colours[1], 255, atol=1, err_msg="P = 0.5 is not white")
    np.testing.assert_allclose(colours[2], lighten(rgb(BLUE), 0.3), atol=1, err_msg="P = 1 is not blue")


def test_the_title_names_the_epoch_of_the_boundary_drawn(view):
    view.set_dataset(plane_set())
    view.add_boundary(boundary(17, checkerboard()))
    view.refresh()
    match = re.fullmatch(r"P\(class 1\) at epoch (\d+)", title(view.boundary_plot))
    assert match and int(match.group(1)) == 17, title(view.boundary_plot)


def test_points_are_drawn_where_they_are_in_their_class_colour_from_the_legend(view):
    ds = load_dataset("xor", samples=80, seed=2)
    view.set_dataset(ds)
    legend = dict(view.legend())
    assert list(legend) == ["class 0", "class 1"]
    assert legend["class 0"] != legend["class 1"]
    for which, points, labels in (("train", ds.points_train, ds.y_train), ("test", ds.points_test, ds.y_test)):
        view.test_check.setChecked(True)
        drawn, colours = view.shown_points(which)
        np.testing.assert_allclose(drawn, points, err_msg=f"the {which} points are not drawn where they are")
        shown = ["#%02x%02x%02x" % tuple(c) for c in colours]
        wanted = [legend[f"class {int(label)}"] for label in labels]
        assert shown == wanted, f"{which} points are not in the legend's colour of their class"


def test_test_points_show_only_with_the_checkbox(view):
    ds = load_dataset("circle", samples=60, seed=2)
    view.set_dataset(ds)
    assert len(view.shown_points("train")[0]) == len(ds.points_train)
    assert len(view.shown_points("test")[0]) == 0, "test points drawn before 'Show test data' is checked"
    view.test_check.setChecked(True)
    np.testing.assert_allclose(view.shown_points("test")[0], ds.points_test)
    view.test_check.setChecked(False)
    assert len(view.shown_points("test")[0]) == 0


def test_multiclass_boundary_takes_the_likeliest_class_colour(view):
    ds = plane_set("multiclass", ("a", "b", "c"))
    view.set_dataset(ds)
    x0, x1, y0, y1 = EXTENT
    xs, ys = np.linspace(x0, x1, 40), np.linspace(y0, y1, 40)
    out = np.full((40, 40, 3), 1 / 3)
    out[:, xs > 2.0] = (0.0, 0.0, 1.0)  # sure of "c" on the right
    out[np.ix_(ys > 1.5, xs < 0.0)] = (0.0, 1.0, 0.0)  # sure of "b" up left
    view.add_boundary(boundary(1, out))
    view.refresh()
    assert [name for name, _ in view.legend()] == ["a", "b", "c"]
    green, orange = (np.round(lighten(rgb(TAB10[i]), 0.3)) for i in (2, 1))
    np.testing.assert_allclose(view.boundary_at(4.0, 0.0)[:3], green, atol=1, err_msg="right: not class c's colour")
    np.testing.assert_allclose(view.boundary_at(-2.0, 2.5)[:3], orange, atol=1, err_msg="up left: not class b's")
    np.testing.assert_array_equal(view.boundary_at(1.0, 0.0)[:3], 255, err_msg="unsure: not white")


def table_set(y_test):
    """A 3-class set of 4 features (no 2-D plane) whose test split has the targets ``y_test``: the output
    is a confusion matrix."""
    rng = np.random.default_rng(5)
    y_test = np.asarray(y_test, dtype=np.int32)
    x, y = rng.normal(size=(20 + len(y_test), 4)).astype(np.float32), (np.arange(20) % 3).astype(np.int32)
    return Dataset("flowers", "multiclass", x[:20], y, x[20:], y_test, tuple("abcd"),
                   ("setosa", "versicolor", "virginica"))


def confusion_counts(y_true, y_pred, k):
    counts = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts


def drawn_ticks(plot, side):
    """(data coordinate, text) of the tick labels ``plot`` draws on its ``side`` axis."""
    axis = plot.getPlotItem().getAxis(side)
    view = plot.getPlotItem().getViewBox()
    QApplication.processEvents()  # lay the plot out, as before a paint
    canvas = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(canvas)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    out = []
    for rect, _, text in texts:
        centre = view.mapSceneToView(axis.mapToScene(rect.center()))
        out.append((centre.y() if side == "left" else centre.x(), text))
    return sorted(out)


def test_confusion_matrix_cells_show_the_counts_of_the_predictions(view):
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 3, 40).astype(np.int32)
    ds = table_set(y_true)
    view.set_dataset(ds)
    assert view.stack.currentWidget() is view.confusion_plot
    y_pred = np.where(rng.uniform(size=40) < 0.6, y_true, rng.integers(0, 3, 40)).astype(np.int32)
    y_pred[y_true == 0] = 1  # class 0 is never right, and is mistaken for class 1 only: no symmetry
    counts = confusion_counts(y_true, y_pred, 3)
    view.add_predictions(events.Predictions(7, y_true, y_pred))
    view.refresh()
    texts = {(int(x), int(y)): int(text) for x, y, text in view.cell_texts()}
    for t in range(3):
        for p in range(3):
            x, y = p + 0.5, t + 0.5  # predicted class across, true class down
            assert view.confusion_at(x, y) == counts[t, p], (
                f"the cell of true {t}, predicted {p} is coloured for {view.confusion_at(x, y)}, not {counts[t, p]}")
            assert texts[p, t] == counts[t, p], f"the cell of true {t}, predicted {p} reads {texts[p, t]}"
    for side in ("left", "bottom"):
        ticks = drawn_ticks(view.confusion_plot, side)
        assert [name for _, name in ticks] == list(ds.class_names), f"the {side} axis's class names: {ticks}"
        assert [at for at, _ in ticks] == pytest.approx([0.5, 1.5, 2.5]), \
            f"the {side} axis's class names are not beside their rows/columns: {ticks}"
    match = re.fullmatch(r"Test set: accuracy ([\d.]+)% at epoch (\d+)", title(view.confusion_plot))
    assert match, title(view.confusion_plot)
    accuracy = round(100 * np.mean(y_true == y_pred), 1)
    assert float(match.group(1)) == accuracy, f"the title's accuracy is {match.group(1)}%, not {accuracy}%"
    assert int(match.group(2)) == 7, "the title's epoch is not the predictions' epoch"
    view.clear()
    assert view.confusion_at(0.5, 0.5) is None
    assert all(text == "" for *_, text in view.cell_texts())


def test_the_confusion_matrix_on_screen_has_true_classes_down(view):
    """A grab: the dark cell (most counts) is drawn at true class 2 (bottom row), predicted 0 (left)."""
    y_true = np.array([2] * 9 + [0, 1], dtype=np.int32)
    view.set_dataset(table_set(y_true))
    y_pred = np.array([0] * 9 + [0, 1], dtype=np.int32)
    view.add_predictions(events.Predictions(1, y_true, y_pred))
    view.refresh()
    dark = colour_at(view.confusion_plot, 0.2, 2.8)
    light = colour_at(view.confusion_plot, 2.8, 0.2)
    assert dark.name() == BLUE, f"true 2, predicted 0 (9 of 11) is drawn {dark.name()}"
    assert light.name() == "#ffffff", f"true 0, predicted 2 (none) is drawn {light.name()}"
    box = view.confusion_plot.getPlotItem().getViewBox()
    top, bottom = (view.confusion_plot.mapFromScene(box.mapViewToScene(QPointF(0.5, row + 0.5))).y() for row in (0, 2))
    assert top < bottom, "true class 0's row is not drawn above true class 2's"


def test_regression_draws_each_prediction_against_its_target(view):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3)).astype(np.float32)
    y = x.sum(axis=1)
    ds = Dataset("sum", "regression", x[:40], y[:40], x[40:], y[40:], ("a", "b", "c"), (), target_name="total")
    view.set_dataset(ds)
    assert view.stack.currentWidget() is view.regression_plot
    predicted = 0.5 * y[40:] + 1.0  # a different line from the targets: swapped axes show
    view.add_predictions(events.Predictions(3, y[40:], predicted))
    view.refresh()
    across, up = view.predicted_points()
    np.testing.assert_allclose(across, y[40:], err_msg="true values are not across")
    np.testing.assert_allclose(up, predicted, err_msg="predictions are not up")
    match = re.fullmatch(r"Test set: MAE ([\d.]+) at epoch (\d+)", title(view.regression_plot))
    assert match, title(view.regression_plot)
    mae = float(f"{np.mean(np.abs(predicted - y[40:])):.4g}")
    assert float(match.group(1)) == mae, f"the title's MAE is {match.group(1)}, not {mae}"
    assert int(match.group(2)) == 3, "the title's epoch is not the predictions' epoch"
    item = view.regression_plot.getPlotItem()
    assert (item.getAxis("bottom").labelText, item.getAxis("left").labelText) == ("true total", "predicted total")
    assert view.confusion() is None


def test_clear_keeps_the_points_and_drops_the_output(view):
    ds = plane_set()
    view.set_dataset(ds)
    view.add_boundary(boundary(1, checkerboard()))
    view.refresh()
    view.clear()
    assert view.boundary_at(1.0, 1.0) is None
    np.testing.assert_allclose(view.shown_points("train")[0], ds.points_train)
    assert view.boundary_plot.hint.item.isVisible()
    assert title(view.boundary_plot) == "Model output"


def test_the_colour_bar_is_the_scale_the_boundary_is_drawn_in(view):
    view.set_dataset(plane_set())
    assert view.colour_bar() is None, "a colour bar before any output is drawn"
    view.add_boundary(boundary(2, checkerboard()))
    view.refresh()
    low, high, label, colours = view.colour_bar()
    assert (low, high, label) == (0.0, 1.0, "P(class 1)")
    for p in (0.05, 0.3, 0.5, 0.8, 0.95):  # the bar's colour at P against the heatmap's for P
        row = min(int((p - low) / (high - low) * len(colours)), len(colours) - 1)
        expected = output_colours(np.array([[[p]]]), "binary", (0.0, 1.0))[0, 0, :3]
        assert np.abs(colours[row].astype(int) - expected.astype(int)).max() <= 3, \
            f"the colour bar shows {colours[row]} at P = {p}, the boundary {expected}"
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (12, 2)).astype(np.float32)
    target = (points[:, 0] * 3 - 7).astype(np.float32)  # -10 .. -4: a range not centred on 0
    ds = Dataset("plane", "regression", points[:8], target[:8], points[8:], target[8:], ("x1", "x2"), (),
                 points[:8], points[8:], EXTENT, target_name="height")
    view.set_dataset(ds)
    view.add_boundary(boundary(3, np.full((40, 40), -6.0)))
    view.refresh()
    low, high, label, colours = view.colour_bar()
    assert (low, high) == pytest.approx((target.min(), target.max())) and label == "Predicted height"
    row = min(int((-6.0 - low) / (high - low) * len(colours)), len(colours) - 1)
    assert np.abs(colours[row].astype(int) - view.boundary_at(0.0, 0.0)[:3].astype(int)).max() <= 3, \
        "the bar's colour at -6 is not the colour the surface is drawn in where the model says -6"
    view.set_dataset(plane_set("multiclass", ("a", "b", "c")))
    view.add_boundary(boundary(1, np.full((40, 40, 3), 1 / 3)))
    view.refresh()
    assert view.colour_bar() is None, "a colour bar beside a multiclass boundary (its legend says the colours)"


def test_a_legend_of_many_classes_is_capped_with_a_count(view):
    names = tuple(f"kind {i}" for i in range(13))
    view.set_dataset(plane_set("multiclass", names))
    legend = view.legend()
    assert [text for text, _ in legend] == [f"kind {i}" for i in range(7)] + ["+6 more"], legend
    assert [colour for _, colour in legend[:7]] == list(TAB10[:7])
    view.set_dataset(plane_set("multiclass", names[:8]))
    assert [text for text, _ in view.legend()] == list(names[:8]), "eight classes fit without a count"


def test_discretize_draws_decisions_only(view):
    view.set_dataset(plane_set())
    event = boundary(4, checkerboard())  # P runs 0, 0.1, ..., 1.0
    view.add_boundary(event)
    view.discretize_check.setChecked(True)
    orange, blue = (np.round(lighten(rgb(c), 0.3)) for c in (ORANGE, BLUE))
    for i, j in ((0, 0), (3, 5), (10, 20), (39, 39), (17, 2)):
        p = event.output[i, j, 0]
        drawn = view.boundary_at(float(event.xs[j]), float(event.ys[i]))[:3]
        np.testing.assert_allclose(drawn, blue if p > 0.5 else orange, atol=1,
                                   err_msg=f"P = {p:.1f} is not drawn as its class when discretized")
    assert view.colour_bar() is None, "a probability scale beside a discretized boundary"
    view.discretize_check.setChecked(False)
    p = event.output[3, 5, 0]
    drawn = view.boundary_at(float(event.xs[5]), float(event.ys[3]))[:3]
    np.testing.assert_allclose(drawn, output_colours(np.array([[[p]]]), "binary", (0, 1))[0, 0, :3], atol=1)
