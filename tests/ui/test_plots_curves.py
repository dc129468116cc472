"""CurvesView, tested by what it draws: each line's points against the values it was sent, smoothing
against TensorBoard's formula computed here, the log axis, the legend and the hover read-out."""
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from playground import plots
from playground.core import events
from playground.plots.curves import CurvesView, smooth
from playground.plots.style import TEST, TRAIN

KEYS = {("loss", "train"): "loss", ("loss", "test"): "test_loss",
        ("accuracy", "train"): "accuracy", ("accuracy", "test"): "test_accuracy"}


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = CurvesView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    return widget


def metrics(first, last, metric="accuracy", offset=0.0):
    e = np.arange(first, last + 1, dtype=np.float64)
    return events.Metrics(last, first, {"loss": 1 / e + offset, metric: e / (e + 10), "test_loss": 1.2 / e + offset,
                                        f"test_{metric}": e / (e + 15)})


def noisy(first, last, seed=0):
    """Four different, jagged series (smoothing and a swap of any two show)."""
    rng = np.random.default_rng(seed)
    e = np.arange(first, last + 1, dtype=np.float64)
    return events.Metrics(last, first, {"loss": 2 / e + rng.uniform(0, 0.3, e.size),
                                        "accuracy": 0.5 + 0.4 * e / (e + 20) + rng.uniform(0, 0.08, e.size),
                                        "test_loss": 3 / e + 0.2 + rng.uniform(0, 0.5, e.size),
                                        "test_accuracy": 0.4 + 0.3 * e / (e + 30) + rng.uniform(0, 0.15, e.size)})


def tensorboard_smooth(values, weight):
    """TensorBoard's smoothing as its JavaScript writes it: an EMA from 0, debiased; NaN kept and skipped."""
    out, last, count = [], 0.0, 0
    for v in values:
        if not np.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        count += 1
        out.append(last / (1 - weight ** count))
    return np.array(out)


def drawn(view, plot, which, faint=False):
    item = view.faint_line(plot, which) if faint else view.line(plot, which)
    x, y = item.getData()
    return np.asarray(x), np.asarray(y)


def test_each_line_draws_the_epochs_and_values_of_its_series(view):
    sent = [noisy(1, 30), noisy(31, 45, seed=1)]  # two events, the second continuing the first
    for event in sent:
        view.add(event)
    view.refresh()
    epochs = np.arange(1, 46)
    for (plot, which), key in KEYS.items():
        values = np.concatenate([event.values[key] for event in sent])
        x, y = drawn(view, plot, which)
        np.testing.assert_array_equal(x, epochs, err_msg=f"the {plot} {which} line is not drawn at its epochs")
        np.testing.assert_allclose(y, values, err_msg=f"the {plot} {which} line does not draw the {key!r} values")
        np.testing.assert_allclose(view.series(plot, which)[1], values)
    assert not view.loss_plot.hint.item.isVisible()


def test_the_legend_names_each_line_and_shows_its_colour(view):
    view.add(noisy(1, 20))
    view.refresh()
    for plot in ("loss", "accuracy"):
        legend = view.legend(plot)
        assert list(legend) == ["train", "test"]
        for which, colour in (("train", TRAIN), ("test", TEST)):
            line = legend[which]
            assert line is view.line(plot, which), f"the {plot} legend's {which!r} stands for another line"
            assert line.opts["pen"].color().name() == colour, f"the {plot} {which} line is not drawn in {colour}"
            np.testing.assert_allclose(line.getData()[1], noisy(1, 20).values[KEYS[plot, which]],
                                       err_msg=f"the {plot} legend's {which!r} line draws another series")
    assert TRAIN != TEST


def test_a_new_run_replaces_the_old_epochs(view):
    view.add(metrics(1, 50))
    view.add(metrics(1, 20, offset=1.0))
    view.refresh()
    x, y = drawn(view, "loss", "train")
    np.testing.assert_array_equal(x, np.arange(1, 21))
    np.testing.assert_allclose(y, 1 / x + 1.0)


def test_smoothing_draws_tensorboards_moving_average_over_the_faint_raw_values(view):
    view.add(noisy(1, 40))
    view.refresh()
    assert not view.faint_line("loss", "train").isVisible()
    view.smooth_check.setChecked(True)
    assert view.smooth_slider.isEnabled() and float(view.smooth_label.text()) == 0.6
    first = noisy(1, 40)
    for event in (noisy(41, 47, seed=1), noisy(48, 90, seed=2)):  # pieces arriving while smoothing is on
        view.add(event)
    view.refresh()
    for weight in (0.6, 0.9):
        view.smooth_slider.setValue(round(weight * 100))
        assert float(view.smooth_label.text()) == weight
        for (plot, which), key in KEYS.items():
            raw = np.concatenate([first.values[key], noisy(41, 47, seed=1).values[key],
                                  noisy(48, 90, seed=2).values[key]])
            x, y = drawn(view, plot, which)
            np.testing.assert_array_equal(x, np.arange(1, 91))
            np.testing.assert_allclose(y, tensorboard_smooth(raw, weight), rtol=1e-12,
                                       err_msg=f"the {plot} {which} line is not TensorBoard's smoothing at {weight}")
            assert view.faint_line(plot, which).isVisible(), f"the raw {plot} {which} values are not drawn behind"
            np.testing.assert_allclose(drawn(view, plot, which, faint=True)[1], raw,
                                       err_msg=f"the faint {plot} {which} line is not the raw values")
    view.smooth_check.setChecked(False)
    np.testing.assert_allclose(drawn(view, "loss", "train")[1], view.series("loss", "train")[1])
    assert not view.faint_line("loss", "train").isVisible()


def test_smooth_matches_tensorboards_loop():
    rng = np.random.default_rng(1)
    y = rng.normal(size=200)
    y[50] = np.nan
    np.testing.assert_allclose(smooth(y, 0.8), tensorboard_smooth(y, 0.8))


def test_log_scale_draws_the_loss_on_a_log_axis(view):
    view.add(noisy(1, 60))
    view.refresh()
    view.log_check.setChecked(True)
    assert view.loss_plot.getPlotItem().getAxis("left").logMode, "the loss axis is not logarithmic"
    assert view.loss_plot.getPlotItem().getAxis("left").labelText == "loss (log scale)"
    for which, key in (("train", "loss"), ("test", "test_loss")):
        np.testing.assert_allclose(drawn(view, "loss", which)[1], np.log10(noisy(1, 60).values[key]),
                                   err_msg=f"the {which} loss is not drawn at log10 of its values")
    np.testing.assert_allclose(drawn(view, "accuracy", "train")[1], noisy(1, 60).values["accuracy"],
                               err_msg="the accuracy went on a log axis too")
    view.smooth_check.setChecked(True)  # smoothed in loss units, then drawn on the log axis
    np.testing.assert_allclose(drawn(view, "loss", "test")[1],
                               np.log10(tensorboard_smooth(noisy(1, 60).values["test_loss"], 0.6)))
    view.log_check.setChecked(False)
    assert not view.loss_plot.getPlotItem().getAxis("left").logMode
    np.testing.assert_allclose(drawn(view, "loss", "test")[1],
                               tensorboard_smooth(noisy(1, 60).values["test_loss"], 0.6))


def test_mean_absolute_error_for_regression(view):
    view.add(metrics(1, 10))
    view.set_metric("mae")
    assert len(view.series("loss", "train")[0]) == 0  # another task: the old curves go
    item = view.metric_plot.getPlotItem()
    assert item.titleLabel.text == "Mean absolute error" and item.getAxis("left").labelText == "MAE"
    view.add(metrics(1, 10, metric="mae"))
    view.refresh()
    x, y = drawn(view, "mae", "train")
    np.testing.assert_allclose(y, x / (x + 10))
    np.testing.assert_allclose(drawn(view, "mae", "test")[1], x / (x + 15))


def move_mouse(plot, x, y):
    """A real mouse move over ``plot`` to its data coordinate (``x``, ``y``)."""
    QTest.qWait(12)  # pyqtgraph drops moves that come within 10 ms of the last (its mouseRateLimit)
    view = plot.getPlotItem().getViewBox()
    at = QPointF(plot.mapFromScene(view.mapViewToScene(QPointF(x, y))))
    event = QMouseEvent(QEvent.Type.MouseMove, at, plot.viewport().mapToGlobal(at), Qt.MouseButton.NoButton,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(plot.viewport(), event)


def read_out(text):
    """The hover label's rows ("epoch 40", "train 0.8", ...) as numbers by name."""
    return {name: float(value) for name, value in (row.split(" ") for row in text.split("\n"))}


def test_hover_reads_out_the_train_and_test_values_of_the_nearest_epoch(view):
    sent = noisy(1, 100)
    view.add(sent)
    view.refresh()
    for plot in (view.loss_plot, view.metric_plot):
        plot.setRange(xRange=(1, 100), yRange=(0, 1), padding=0)
    for plot, at, epoch in ((view.loss_plot, 40.2, 40), (view.metric_plot, 40.8, 41), (view.loss_plot, 99.9, 100)):
        move_mouse(plot, at, 0.5)
        for name in ("loss", "accuracy"):
            shown = read_out(view.hover_text(name))
            expected = {"epoch": epoch, "train": float(f"{sent.values[KEYS[name, 'train']][epoch - 1]:.4g}"),
                        "test": float(f"{sent.values[KEYS[name, 'test']][epoch - 1]:.4g}")}
            assert shown == expected, f"with the mouse at epoch {at}, the {name} read-out is {shown}, not {expected}"
    move_mouse(view.loss_plot, -4, 0.5)  # off the plot, over its axis
    assert view.hover_text("loss") == "" and view.hover_text("accuracy") == ""


def test_clear_empties_the_plots(view):
    view.add(metrics(1, 10))
    view.refresh()
    view.clear()
    assert len(view.series("loss", "train")[0]) == 0
    assert view.loss_plot.hint.item.isVisible()


def x_range(view):
    return view.loss_plot.getPlotItem().getViewBox().viewRange()[0]


def test_the_view_keeps_every_epoch_in_sight_and_moves_in_steps(view):
    view.add(metrics(1, 120))
    view.refresh()
    first = x_range(view)
    assert first[0] <= 0 and 120 <= first[1] <= 210  # 0 .. 200, a round end
    y0, y1 = view.loss_plot.getPlotItem().getViewBox().viewRange()[1]
    assert y0 <= 1.2 / 120 and 1.2 <= y1  # every loss value, train and test
    view.add(metrics(121, 190))
    view.refresh()
    assert x_range(view) == first  # still inside: the axes are not redrawn
    view.log_check.setChecked(True)
    view.add(metrics(191, 3000))
    view.refresh()
    x0, x1 = x_range(view)
    assert x0 <= 0 and 3000 <= x1 <= 5200
    y0, y1 = view.loss_plot.getPlotItem().getViewBox().viewRange()[1]
    assert y0 <= np.log10(1 / 3000) and np.log10(1.2) <= y1  # in log units on a log axis
    a0, a1 = view.metric_plot.getPlotItem().getViewBox().viewRange()[1]
    assert a0 <= 1 / 16 and 3000 / 3010 <= a1


def zoom_with_the_wheel(plot):
    centre = QPointF(plot.viewport().rect().center())
    wheel = QWheelEvent(centre, plot.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(plot.viewport(), wheel)


def test_zooming_with_the_wheel_stops_following_and_the_a_button_resumes(view, qtbot):
    view.add(metrics(1, 100))
    view.refresh()
    zoom_with_the_wheel(view.loss_plot)
    zoomed = x_range(view)
    assert zoomed[1] - zoomed[0] < 100  # zoomed in
    view.add(metrics(101, 400))
    view.refresh()
    assert x_range(view) == zoomed  # the user's view stays
    item = view.loss_plot.getPlotItem()
    assert not item.buttonsHidden  # the "A" button is offered on hover
    item.autoBtn.clicked.emit(item.autoBtn)
    assert item.buttonsHidden
    assert 400 <= x_range(view)[1] <= 520


def test_smoothing_a_piece_at_a_time_equals_smoothing_the_whole():
    y = np.random.default_rng(2).normal(size=300)
    y[[10, 150]] = np.nan
    state = [0.0, 0]
    pieces = np.concatenate([smooth(part, 0.9, state) for part in np.split(y, [7, 150, 151])])
    np.testing.assert_allclose(pieces, smooth(y, 0.9), equal_nan=True)


def test_a_million_epochs_draw_as_a_few_thousand_points_that_keep_every_spike(view):
    spike = 612_345
    for first in range(1, 1_000_001, 40_000):
        event = metrics(first, first + 39_999)
        if first <= spike < first + 40_000:
            event.values["loss"][spike - first] = 50.0
        view.add(event)
        view.refresh()
    x, y = view.series("loss", "train")
    assert len(x) == 1_000_000 and x[-1] == 1_000_000
    drawn = view.line("loss", "train")
    assert len(drawn.xData) <= 4_100  # what is drawn stays small however long the run
    assert drawn.xData[-1] == 1_000_000  # and ends at the latest epoch
    assert drawn.yData.max() == 50.0 and drawn.yData.min() == y.min()  # extremes survive
    assert x_range(view)[1] >= 1_000_000
    view.smooth_check.setChecked(True)
    assert len(view.line("loss", "train").xData) <= 4_100


def test_zoomed_in_the_epochs_in_view_are_drawn_in_full(view):
    view.add(metrics(1, 100_000))
    view.refresh()
    assert len(view.line("loss", "train").xData) < 5_000
    zoom_with_the_wheel(view.loss_plot)  # the view stops following the run
    view.loss_plot.setXRange(5_000, 5_600, padding=0)
    drawn = view.line("loss", "train")
    assert drawn.xData[0] <= 5_000 and drawn.xData[-1] >= 5_600
    np.testing.assert_array_equal(np.diff(drawn.xData), 1)  # every epoch, not buckets
    np.testing.assert_allclose(drawn.yData, 1 / drawn.xData)


def test_a_step_of_the_epoch_axis_draws_the_new_epochs_at_once(view):
    view.add(metrics(1, 190))
    view.refresh()
    view.add(metrics(191, 260))  # past the 200 the axis ended at: it steps to 500
    view.refresh()
    drawn, _ = view.line("loss", "train").getData()  # what the next paint draws (clipped to the view)
    assert drawn[-1] == 260


def _in_view(view, plot, scene_rect_or_point):
    """A scene point or rectangle of ``plot`` in ``view``'s own coordinates."""
    if isinstance(scene_rect_or_point, QPointF):
        return plot.mapTo(view, plot.mapFromScene(scene_rect_or_point))
    return QRectF(QPointF(plot.mapTo(view, plot.mapFromScene(scene_rect_or_point.topLeft()))),
                  QPointF(plot.mapTo(view, plot.mapFromScene(scene_rect_or_point.bottomRight()))))


def test_at_a_small_window_size_no_legend_or_read_out_covers_the_newest_epochs(qtbot):
    """The curves panel of a 1366x768 window (about 620 x 400): 100 epochs, three earlier runs drawn with
    long names, the mouse on the last epoch. The newest point of every line is in the clear, and every
    legend entry is whole."""
    plots.configure()
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(620, 400)
    view.show()
    sent = metrics(1, 100)
    view.add(sent)
    e = np.arange(1, 101, dtype=np.float64)
    view.set_overlays([(n, f"Run {n}: features x₁, x₂ → x₁, x₂, x₁·x₂", {"loss": 1.1 / e, "accuracy": e / (e + 12)})
                       for n in (1, 2, 3)])
    view.refresh()
    qtbot.waitUntil(lambda: view.loss_plot.height() > 0)
    QApplication.processEvents()
    move_mouse(view.loss_plot, 100, 0.5)
    assert read_out(view.hover_text("loss"))["epoch"] == 100, "the read-out is not shown for the last epoch"
    for plot_name, plot in (("loss", view.loss_plot), ("accuracy", view.metric_plot)):
        assert plot.height() >= 120, f"the {plot_name} plot is squeezed to {plot.height()} px"
        vb = plot.getPlotItem().getViewBox()
        legend = view.legend_widget(plot_name)
        covers = {"legend": QRectF(QPointF(legend.mapTo(view, QPoint(0, 0))), QSizeF(legend.size())),
                  "read-out": _in_view(view, plot, plot.getPlotItem().titleLabel.sceneBoundingRect())}
        lines = [view.line(plot_name, w).getData() for w in ("train", "test")]
        lines += [view.overlay(n, plot_name, w) for n in (1, 2, 3) for w in ("train", "test")]
        for x, y in lines:
            point = _in_view(view, plot, vb.mapViewToScene(QPointF(x[-1], y[-1])))
            for what, rect in covers.items():
                assert not rect.contains(QPointF(point)), \
                    f"the {plot_name} {what} covers the newest epoch of a line (at {point}, under {rect})"
        assert legend.heightForWidth(legend.width()) <= legend.height(), f"the {plot_name} legend is cut"
        assert {"train", "test"} <= set(view.legend(plot_name))
