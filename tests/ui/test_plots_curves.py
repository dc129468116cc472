"""CurvesView: loss and metric curves from Metrics events."""
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from playground import plots
from playground.core import events
from playground.plots.curves import CurvesView, smooth


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


def test_curves_gain_the_points_added(view):
    view.add(metrics(1, 1200))  # one event, many epochs
    view.add(metrics(1201, 1210))
    view.refresh()
    x, y = view.series("loss", "train")
    assert np.array_equal(x, np.arange(1, 1211))
    np.testing.assert_allclose(y, 1 / x)
    x, y = view.series("accuracy", "test")
    np.testing.assert_allclose(y, x / (x + 15))
    line = view.line("loss", "test")
    np.testing.assert_allclose(line.yData, 1.2 / x)
    assert not view.loss_plot.hint.item.isVisible()


def test_a_new_run_replaces_the_old_epochs(view):
    view.add(metrics(1, 50))
    view.add(metrics(1, 20, offset=1.0))
    view.refresh()
    x, y = view.series("loss", "train")
    assert len(x) == 20
    np.testing.assert_allclose(y, 1 / x + 1.0)


def test_smoothing_draws_the_moving_average_over_faint_raw_data(view):
    view.add(metrics(1, 300))
    view.refresh()
    raw = view.series("loss", "train")[1]
    view.smooth_check.setChecked(True)
    line = view.line("loss", "train")
    assert view.smooth_slider.isEnabled()
    np.testing.assert_allclose(line.yData, smooth(raw, 0.6))
    assert not np.allclose(line.yData, raw)
    view.smooth_slider.setValue(90)
    np.testing.assert_allclose(line.yData, smooth(raw, 0.9))
    view.smooth_check.setChecked(False)
    np.testing.assert_allclose(line.yData, raw)


def test_smooth_matches_tensorboards_loop():
    rng = np.random.default_rng(1)
    y = rng.normal(size=200)
    y[50] = np.nan
    expected, last, count = [], 0.0, 0
    for v in y:
        if not np.isfinite(v):
            expected.append(v)
            continue
        last = last * 0.8 + 0.2 * v
        count += 1
        expected.append(last / (1 - 0.8 ** count))
    np.testing.assert_allclose(smooth(y, 0.8), expected)


def test_log_scale_puts_the_loss_on_a_log_axis(view):
    view.add(metrics(1, 100))
    view.refresh()
    view.log_check.setChecked(True)
    assert view.loss_plot.getPlotItem().getAxis("left").logMode
    _, shown = view.line("loss", "train").getData()
    np.testing.assert_allclose(np.nanmax(shown), np.log10(1.0))
    assert np.nanmin(shown) < -1.9  # log10(1 / 100)
    view.log_check.setChecked(False)
    assert not view.loss_plot.getPlotItem().getAxis("left").logMode


def test_mean_absolute_error_for_regression(view):
    view.add(metrics(1, 10))
    view.set_metric("mae")
    assert len(view.series("loss", "train")[0]) == 0  # another task: the old curves go
    assert view.metric_plot.getPlotItem().titleLabel.text == "Mean absolute error"
    view.add(metrics(1, 10, metric="mae"))
    view.refresh()
    x, y = view.series("mae", "train")
    np.testing.assert_allclose(y, x / (x + 10))


def test_hover_marks_the_epoch_and_labels_its_values(view):
    view.add(metrics(1, 100))
    view.refresh()
    item = view.loss_plot.getPlotItem()
    item.getViewBox().setRange(xRange=(1, 100), yRange=(0, 1), padding=0)
    scene_pos = item.getViewBox().mapViewToScene(QPointF(40.2, 0.5))
    view.loss_plot.scene().sigMouseMoved.emit(scene_pos)
    marker, label = view._hover["accuracy"]
    assert marker.isVisible() and marker.value() == 40
    assert "epoch 40" in label.toPlainText() and f"train {40 / 50:.4g}" in label.toPlainText()


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


def test_zooming_with_the_wheel_stops_following_and_the_a_button_resumes(view, qtbot):
    view.add(metrics(1, 100))
    view.refresh()
    plot = view.loss_plot
    centre = plot.viewport().rect().center()
    wheel = QWheelEvent(QPointF(centre), plot.viewport().mapToGlobal(QPointF(centre)), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(plot.viewport(), wheel)
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
    view._stop_following()  # as a zoom with the mouse does
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
