"""Loss and accuracy (or mean absolute error) per epoch, for the train and test parts."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from playground.core import events
from playground.plots.style import TEST, TRAIN, RangeFollower, make_plot, set_texts

METRIC_TITLES = {"accuracy": "Accuracy", "mae": "Mean absolute error"}
SERIES = ("train", "test")
DEFAULT_SMOOTHING = 0.6


def smooth(y: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's debiased exponential moving average; non-finite values are skipped and kept."""
    out = np.array(y, dtype=np.float64)
    finite = np.isfinite(out)
    values = out[finite]
    if weight <= 0 or values.size == 0:
        return out
    from scipy.signal import lfilter  # imported on first use: scipy.signal costs ~1.5 s of start-up

    average = lfilter([1.0 - weight], [1.0, -weight], values)
    debias = np.ones(values.size)
    early = min(values.size, int(np.ceil(np.log(1e-17) / np.log(weight))))  # later, weight ** t is below 1e-17
    debias[:early] -= weight ** np.arange(1, early + 1)
    out[finite] = average / debias
    return out


class _Columns:
    """Preallocated float columns grown by doubling (pyqtgraph's scrollingPlots style)."""

    def __init__(self, columns: int, capacity: int = 256):
        self.data = np.full((capacity, columns), np.nan)
        self.size = 0

    def extend(self, rows: np.ndarray) -> None:
        need = self.size + len(rows)
        if need > len(self.data):
            grown = np.full((max(need, 2 * len(self.data)), self.data.shape[1]), np.nan)
            grown[:self.size] = self.data[:self.size]
            self.data = grown
        self.data[self.size:need] = rows
        self.size = need

    def truncate(self, size: int) -> None:
        self.size = min(self.size, size)

    def column(self, i: int) -> np.ndarray:
        return self.data[:self.size, i]


class CurvesView(QWidget):
    """Two stacked plots: loss and the metric per epoch, train and test lines, log scale and smoothing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("curvesView")
        self.setAccessibleName("Training curves")
        self._metric = "accuracy"
        self._buffer = _Columns(5)  # epoch, loss, metric, test_loss, test_metric
        self._dirty = False

        self.log_check = QCheckBox("Log scale")
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip("Show the loss on a logarithmic axis.")
        self.smooth_check = QCheckBox("Smoothing")
        self.smooth_check.setObjectName("smoothingCheck")
        self.smooth_check.setToolTip("Exponential moving average of the curves, as in TensorBoard;\n"
                                     "the raw values stay faintly behind.")
        self.smooth_slider = QSlider(Qt.Orientation.Horizontal)
        self.smooth_slider.setObjectName("smoothingSlider")
        self.smooth_slider.setAccessibleName("Smoothing weight")
        self.smooth_slider.setRange(0, 99)
        self.smooth_slider.setValue(round(DEFAULT_SMOOTHING * 100))
        self.smooth_slider.setEnabled(False)
        self.smooth_label = QLabel()
        self.smooth_label.setMinimumWidth(32)
        self._show_smoothing_weight()

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 0)
        controls.addWidget(self.log_check)
        controls.addSpacing(12)
        controls.addWidget(self.smooth_check)
        controls.addWidget(self.smooth_slider, 1)
        controls.addWidget(self.smooth_label)

        self.loss_plot = make_plot("lossPlot", "Loss", "epoch", "loss", "Train to see the loss per epoch.",
                                   log_axis=True)
        self.metric_plot = make_plot("accuracyPlot", "Accuracy", "epoch", "accuracy",
                                     "Train to see the accuracy per epoch.")
        self.metric_plot.setXLink(self.loss_plot)
        self._lines: dict[tuple[str, str], tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._hover: dict[str, tuple[pg.InfiniteLine, pg.TextItem]] = {}
        self._legends: dict[str, pg.LegendItem] = {}
        self._followers = {
            "loss": RangeFollower(self.loss_plot, self._resume_following, grow_x=True),
            "accuracy": RangeFollower(self.metric_plot, self._resume_following),
        }
        for plot_name, plot in (("loss", self.loss_plot), ("accuracy", self.metric_plot)):
            item = plot.getPlotItem()
            item.setClipToView(True)
            item.setDownsampling(auto=True, mode="peak")
            # zoom or pan in either plot (their epoch axes are linked) and both stop following
            item.getViewBox().sigRangeChangedManually.connect(self._stop_following)
            legend = item.addLegend(offset=(-8, 8), labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 200))
            self._legends[plot_name] = legend
            for which, colour in zip(SERIES, (TRAIN, TEST)):
                back = item.plot(pen=pg.mkPen(colour, width=1))
                back.setOpacity(0.3)
                line = item.plot(pen=pg.mkPen(colour, width=1))  # hairlines: 4x cheaper to paint than wider
                legend.addItem(line, which)
                self._lines[plot_name, which] = (back, line)
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#999999", width=1, style=Qt.PenStyle.DashLine))
            label = pg.TextItem(color="k", fill=pg.mkBrush(255, 255, 255, 220), border=pg.mkPen("#cccccc"))
            for hover_item in (marker, label):
                hover_item.setVisible(False)
                item.addItem(hover_item, ignoreBounds=True)
            self._hover[plot_name] = (marker, label)
            plot.scene().sigMouseMoved.connect(self._mouse_moved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.loss_plot, 1)
        layout.addWidget(self.metric_plot, 1)

        self.log_check.toggled.connect(self._log_toggled)
        self.smooth_check.toggled.connect(self._smoothing_toggled)
        self.smooth_slider.valueChanged.connect(self._smoothing_changed)
        self._show_metric()
        self.clear()

    # -- the interface --------------------------------------------------------------------------
    def set_metric(self, name: str) -> None:
        """Show ``"accuracy"`` or ``"mae"`` on the lower plot (another metric than before clears the plots)."""
        if name not in METRIC_TITLES:
            raise ValueError(f"metric must be one of {sorted(METRIC_TITLES)}, not {name!r}")
        if name != self._metric:
            self._metric = name
            self.clear()
        self._show_metric()

    @Slot(object)
    def add(self, metrics: events.Metrics) -> None:
        """Append the epochs ``first_epoch`` .. ``epoch`` (a new run starting over replaces the old)."""
        values = metrics.values
        metric = next((k for k in values if k in METRIC_TITLES), self._metric)
        if metric != self._metric:
            self.set_metric(metric)
        epochs = np.arange(metrics.first_epoch, metrics.epoch + 1, dtype=np.float64)
        if self._buffer.size and metrics.first_epoch <= self._buffer.data[self._buffer.size - 1, 0]:
            self._buffer.truncate(int(np.searchsorted(self._buffer.column(0), metrics.first_epoch)))
        missing = np.full(len(epochs), np.nan)
        keys = ("loss", metric, "test_loss", f"test_{metric}")
        rows = np.column_stack([epochs] + [values.get(k, missing) for k in keys])
        self._buffer.extend(rows)
        self._dirty = True

    def clear(self) -> None:
        """Forget every epoch (a new run or Reset)."""
        self._buffer.truncate(0)
        self._dirty = True
        self._hide_hover()
        for follower in self._followers.values():
            follower.reset()
        for plot in (self.loss_plot, self.metric_plot):
            plot.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
        self.refresh()

    @property
    def pending(self) -> bool:
        """Whether something arrived that :meth:`refresh` has not drawn yet."""
        return self._dirty

    def refresh(self) -> None:
        """Draw what arrived since the last refresh (cheap when nothing did)."""
        if not self._dirty:
            return
        self._dirty = False
        x = self._buffer.column(0)
        smoothing = self._smoothing_weight()
        for (plot_name, which), (back, line) in self._lines.items():
            y = self._buffer.column(self._column(plot_name, which))
            if smoothing:
                back.setData(x, y)
                line.setData(x, smooth(y, smoothing))
            else:
                line.setData(x, y)
            back.setVisible(bool(smoothing))
        for plot in (self.loss_plot, self.metric_plot):
            plot.hint.set_visible(self._buffer.size == 0)
        self._follow()

    def series(self, plot: str, which: str) -> tuple[np.ndarray, np.ndarray]:
        """The raw (epochs, values) of ``plot`` ("loss", or "accuracy"/"mae" for the lower plot) and
        ``which`` ("train" or "test")."""
        return self._buffer.column(0).copy(), self._buffer.column(self._column(plot, which)).copy()

    def line(self, plot: str, which: str) -> pg.PlotDataItem:
        """The bold curve drawn for ``plot`` and ``which`` (smoothed when smoothing is on)."""
        return self._lines[self._plot_name(plot), which][1]

    # -- helpers --------------------------------------------------------------------------------
    def _show_metric(self) -> None:
        name = self._metric
        title = METRIC_TITLES[name]
        set_texts(self.metric_plot, title=title)
        self.metric_plot.setAccessibleName(title)
        set_texts(self.metric_plot, left=title.lower() if name == "accuracy" else "MAE")
        self.metric_plot.hint.item.setText(f"Train to see the {title.lower()} per epoch.")
        # accuracy rises and MAE falls: keep the legend in the corner the curves leave empty
        self._legends["accuracy"].setOffset((-8, -8) if name == "accuracy" else (-8, 8))

    def _plot_name(self, plot: str) -> str:
        if plot == "loss":
            return "loss"
        if plot in ("accuracy", self._metric):
            return "accuracy"
        raise ValueError(f"plot must be 'loss' or 'accuracy', not {plot!r}")

    def _column(self, plot: str, which: str) -> int:
        if which not in SERIES:
            raise ValueError(f"which must be 'train' or 'test', not {which!r}")
        return 1 + (self._plot_name(plot) == "accuracy") + 2 * (which == "test")

    def _follow(self) -> None:
        """Keep every epoch and value in view (the raw values: smoothing only moves inside them)."""
        if self._buffer.size == 0:
            return
        x = self._buffer.column(0)
        log = self.log_check.isChecked()
        for plot_name, follower in self._followers.items():
            values = np.concatenate([self._buffer.column(self._column(plot_name, w)) for w in SERIES])
            values = values[np.isfinite(values) & ((values > 0) | (not log or plot_name != "loss"))]
            if values.size == 0:
                continue
            lo, hi = float(values.min()), float(values.max())
            if log and plot_name == "loss":
                lo, hi = np.log10(lo), np.log10(hi)
            epochs = (0.0, float(x[-1])) if plot_name == "loss" else None  # the metric plot's is linked
            follower.show(x=epochs, y=(lo, hi))

    @Slot()
    def _stop_following(self) -> None:
        for follower in self._followers.values():
            follower.stop()

    @Slot()
    def _resume_following(self) -> None:
        for follower in self._followers.values():
            follower.reset()
        self._follow()

    def _smoothing_weight(self) -> float:
        return self.smooth_slider.value() / 100 if self.smooth_check.isChecked() else 0.0

    def _show_smoothing_weight(self) -> None:
        self.smooth_label.setText(f"{self.smooth_slider.value() / 100:.2f}")

    @Slot(bool)
    def _log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        set_texts(self.loss_plot, left="loss (log scale)" if on else "loss")
        self._followers["loss"].y = None  # the range is in other units now
        self._follow()

    @Slot(bool)
    def _smoothing_toggled(self, on: bool) -> None:
        self.smooth_slider.setEnabled(on)
        self._dirty = True
        self.refresh()

    @Slot(int)
    def _smoothing_changed(self, _value: int) -> None:
        self._show_smoothing_weight()
        self._dirty = True
        self.refresh()

    @Slot(object)
    def _mouse_moved(self, pos) -> None:
        """Mark the epoch under the mouse on both plots and label its values."""
        plots = {"loss": self.loss_plot, "accuracy": self.metric_plot}
        view = next((p.getPlotItem().getViewBox() for p in plots.values()
                     if p.scene() is self.sender() and p.getPlotItem().getViewBox()
                     .sceneBoundingRect().contains(pos)), None)
        x = self._buffer.column(0)
        if view is None or x.size == 0:
            self._hide_hover()
            return
        at = view.mapSceneToView(pos).x()
        i = min(int(np.searchsorted(x, at)), x.size - 1)
        if i > 0 and at - x[i - 1] < x[i] - at:
            i -= 1
        for plot_name, (marker, label) in self._hover.items():
            rows = [f"epoch {x[i]:.0f}"]
            rows += [f"{which} {self._buffer.data[i, self._column(plot_name, which)]:.4g}" for which in SERIES]
            (x0, x1), (_, y1) = plots[plot_name].getPlotItem().getViewBox().viewRange()
            marker.setPos(x[i])
            label.setText("\n".join(rows))
            label.setAnchor((1, 0) if x[i] > (x0 + x1) / 2 else (0, 0))
            label.setPos(x[i], y1)
            marker.setVisible(True)
            label.setVisible(True)

    def _hide_hover(self) -> None:
        for marker, label in self._hover.values():
            marker.setVisible(False)
            label.setVisible(False)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._hide_hover()
        super().leaveEvent(event)


def _demo() -> None:
    from playground.plots import configure

    app = pg.mkQApp("Curves")
    configure()
    view = CurvesView()
    view.resize(520, 560)
    view.show()
    rng = np.random.default_rng(0)
    state = {"epoch": 0}

    def tick() -> None:
        first = state["epoch"] + 1
        state["epoch"] += 25
        e = np.arange(first, state["epoch"] + 1)
        loss = 0.7 * np.exp(-e / 300) + 0.05 + rng.normal(0, 0.02, e.size)
        acc = 1 - 0.5 * np.exp(-e / 200) + rng.normal(0, 0.01, e.size)
        view.add(events.Metrics(state["epoch"], first, {"loss": loss, "accuracy": acc,
                                                        "test_loss": loss * 1.1, "test_accuracy": acc - 0.03}))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(33)
    app.exec()


if __name__ == "__main__":
    _demo()
