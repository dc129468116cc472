"""Loss and accuracy (or mean absolute error) per epoch, for the train and test parts."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from playground.core import events
from playground.plots.style import TEST, TRAIN, LiveView, RangeFollower, make_plot, set_texts

METRIC_TITLES = {"accuracy": QT_TRANSLATE_NOOP("CurvesView", "Accuracy"),  # translated when shown
                 "mae": QT_TRANSLATE_NOOP("CurvesView", "Mean absolute error")}
SERIES = ("train", "test")
READOUT_SEPARATOR = " · "  # between the title and the hover read-out's values
DEFAULT_SMOOTHING = 0.6
SIDE_BY_SIDE = 2.5  # width to height past which the two plots stand side by side
MAX_OVERLAYS = 8  # earlier runs drawn at once: more lines than this read as noise
OVERLAY_OPACITY = 0.5
OVERLAY_LABEL_CHARS = 40  # a legend entry's text beyond this is cut ("…"): the legend covers the plot
# Earlier runs' colours (by run number, so a run keeps its colour), apart from train blue and test orange.
RUN_COLOURS = ("#7b5ea7", "#2e8b57", "#c2185b", "#8d6e63", "#607d8b", "#b8860b", "#00897b", "#5c6bc0")


def run_colour(number: int) -> str:
    """The colour run ``number`` is drawn in on the curves (and marked with in the Runs table)."""
    return RUN_COLOURS[(number - 1) % len(RUN_COLOURS)]


def overlay_label(name: str, differs: str) -> str:
    """A legend entry for an earlier run: its name and what differs, cut to a legend's width."""
    text = f"{name}: {differs}" if differs else name
    return text if len(text) <= OVERLAY_LABEL_CHARS else text[:OVERLAY_LABEL_CHARS - 1] + "…"


def smooth(y: np.ndarray, weight: float, state: list | None = None) -> np.ndarray:
    """TensorBoard's debiased exponential moving average; non-finite values are skipped and kept.

    ``state`` (``[biased average, finite values seen]``, updated in place) carries the average
    from one call to the next, so a growing series is smoothed a piece at a time.
    """
    out = np.array(y, dtype=np.float64)
    finite = np.isfinite(out)
    values = out[finite]
    if weight <= 0 or values.size == 0:
        return out
    from scipy.signal import lfilter  # on first use: importing scipy.signal takes 0.15-1.5 s

    last, seen = state if state is not None else (0.0, 0)
    average, _ = lfilter([1.0 - weight], [1.0, -weight], values, zi=[weight * last])
    steps = seen + np.arange(1, values.size + 1)
    debias = -np.expm1(steps * np.log(weight))  # 1 - weight ** step, exact for tiny powers too
    out[finite] = average / debias
    if state is not None:
        state[:] = [float(average[-1]), seen + values.size]
    return out


def peaks(rows: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Buckets of ``size`` consecutive rows (epoch, values…): each one's first epoch and the minimum
    and maximum of every value column, NaN ignored (the rows that fill no whole bucket are left)."""
    count = len(rows) // size
    block = rows[:count * size].reshape(count, size, rows.shape[1])
    return block[:, 0, 0], np.fmin.reduce(block[:, :, 1:], axis=1), np.fmax.reduce(block[:, :, 1:], axis=1)


def interleave(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rows to draw for buckets: each bucket's minimum, then its maximum, at its first epoch."""
    out = np.empty((2 * len(x), 1 + low.shape[1]))
    out[0::2, 0] = out[1::2, 0] = x
    out[0::2, 1:], out[1::2, 1:] = low, high
    return out


class _Decimated:
    """A growing table (epoch, values…) reduced for drawing, in time proportional to the new rows.

    Up to ``LIMIT`` rows are drawn as they are. Beyond, rows fold into buckets drawn as their
    minimum and maximum (pyqtgraph's "peak" mode, so spikes stay visible); when the buckets
    pass ``LIMIT``, neighbours merge and the bucket size doubles. A run of a million epochs
    draws as ~4,000 points per line, at the cost of a few thousand.
    """

    LIMIT = 2000

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.size = 1
        self.folded = 0  # source rows in complete buckets
        self._buckets: _Columns | None = None

    def rows(self, table: np.ndarray) -> np.ndarray:
        """What to draw of ``table`` (the same table as last time, longer, or else from scratch)."""
        if len(table) < self.folded:
            self.reset()
        if self.size == 1 and len(table) <= self.LIMIT:
            return table
        if self._buckets is None:
            self._buckets = _Columns(2 * table.shape[1] - 1)
            self.size = 2
        new = table[self.folded:-1]  # the last row stays as it is: the line ends at the latest epoch
        x, low, high = peaks(new, self.size)
        self._buckets.extend(np.column_stack([x, low, high]))
        self.folded += len(x) * self.size
        while self._buckets.size > self.LIMIT:
            self._merge()
        buckets = self._buckets.data[:self._buckets.size]
        half = (buckets.shape[1] - 1) // 2
        return np.vstack([interleave(buckets[:, 0], buckets[:, 1:1 + half], buckets[:, 1 + half:]),
                          table[self.folded:]])

    def _merge(self) -> None:
        """Pairs of buckets become one of twice the size (an odd last one goes back to the rows)."""
        buckets = self._buckets
        pairs = buckets.size // 2
        data = buckets.data[:2 * pairs]
        half = (data.shape[1] - 1) // 2
        merged = np.column_stack([data[0::2, 0],
                                  np.fmin(data[0::2, 1:1 + half], data[1::2, 1:1 + half]),
                                  np.fmax(data[0::2, 1 + half:], data[1::2, 1 + half:])])
        self.folded -= (buckets.size - 2 * pairs) * self.size
        buckets.truncate(0)
        buckets.extend(merged)
        self.size *= 2


def decimate(table: np.ndarray, limit: int) -> np.ndarray:
    """``table`` reduced to about ``2 * limit`` rows the same way, in one go (a zoomed-in slice)."""
    size = -(-len(table) // limit)
    if size <= 1:
        return table
    x, low, high = peaks(table[:-1], size)
    return np.vstack([interleave(x, low, high), table[len(x) * size:]])


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


class CurveLegend(QLabel):
    """A plot's legend as a header row above it, where it covers no data: each curve's line, in its
    colour and style, and its name; entries flow onto another row where the plot is narrow, and are
    never cut."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setContentsMargins(4, 0, 4, 0)
        self._entries: list[tuple[str, pg.PlotDataItem]] = []

    def add(self, item: pg.PlotDataItem, text: str) -> None:
        self._entries.append((text, item))
        self._show()

    def remove(self, item: pg.PlotDataItem) -> None:
        self._entries = [(t, i) for t, i in self._entries if i is not item]
        self._show()

    def entries(self) -> dict[str, pg.PlotDataItem]:
        """The curve each entry stands for, by the entry's text."""
        return {text: item for text, item in self._entries}

    def _show(self) -> None:
        parts = []
        for text, item in self._entries:
            pen = pg.mkPen(item.opts["pen"])
            sample = "━━" if pen.style() == Qt.PenStyle.SolidLine else "╍╍"
            parts.append(f'<span style="white-space:nowrap"><span style="color:{pen.color().name()}">{sample}'
                         f"</span>&nbsp;{html.escape(text)}</span>")
        self.setText(" &nbsp; ".join(parts))


class CurvesView(LiveView, QWidget):
    """Two stacked plots: loss and the metric per epoch, train and test lines, log scale and smoothing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("curvesView")
        self.setAccessibleName(self.tr("Training curves"))
        self._metric = "accuracy"
        self._buffer = _Columns(9)  # epoch, loss, metric, test_loss, test_metric, then those 4 smoothed
        self._smoothing_state = [[0.0, 0] for _ in range(4)]  # of each smoothed column, see smooth()
        self._drawn = _Decimated()

        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip(self.tr("Show the loss on a logarithmic axis."))
        self.smooth_check = QCheckBox(self.tr("Smoothing"))
        self.smooth_check.setObjectName("smoothingCheck")
        self.smooth_check.setToolTip(self.tr("Exponential moving average of the curves, as in TensorBoard;\n"
                                             "the raw values stay faintly behind."))
        self.smooth_slider = QSlider(Qt.Orientation.Horizontal)
        self.smooth_slider.setObjectName("smoothingSlider")
        self.smooth_slider.setAccessibleName(self.tr("Smoothing weight"))
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

        self.loss_plot = make_plot("lossPlot", self.tr("Loss"), self.tr("epoch"), self.tr("loss"),
                                   self.tr("Train to see the loss per epoch."), log_axis=True)
        self.metric_plot = make_plot("accuracyPlot", self.tr("Accuracy"), self.tr("epoch"), self.tr("accuracy"),
                                     self.tr("Train to see the accuracy per epoch."))
        self.metric_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.metric_plot):
            # Room for a loss's or an accuracy's usual tick labels ("0.693") from the start, never less:
            # the first epochs drawn then do not widen the axes, which laid out and painted both plots
            # twice in the first frame of a run. Longer labels widen them as before.
            axis = plot.getAxis("left")
            axis.setStyle(autoReduceTextSpace=False)
            axis.textWidth = QFontMetrics(axis.font()).horizontalAdvance("0.693")  # taken at its first paint
        self._lines: dict[tuple[str, str], tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._hover: dict[str, pg.InfiniteLine] = {}  # the epoch under the mouse, marked on each plot
        self._readouts: dict[str, str] = {}  # its values, shown in each plot's title (outside the data)
        self._titles = {"loss": self.tr("Loss"), "accuracy": self.tr("Accuracy")}
        self._legends = {"loss": CurveLegend(), "accuracy": CurveLegend()}
        self._series_names = {"train": self.tr("train"), "test": self.tr("test")}
        self._markers: list[tuple[float, str, list[pg.InfiniteLine]]] = []  # see add_marker()
        self._overlay_runs: list[tuple[int, str, dict[str, np.ndarray]]] = []  # see set_overlays()
        self._overlays: dict[tuple[int, str, str], pg.PlotDataItem] = {}  # (run, plot, which) -> line
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
            legend = self._legends[plot_name]
            legend.setObjectName(f"{plot_name}Legend")
            for which, colour in zip(SERIES, (TRAIN, TEST)):
                back = item.plot(pen=pg.mkPen(colour, width=1))
                back.setOpacity(0.3)
                line = item.plot(pen=pg.mkPen(colour, width=1))  # hairlines: 4x cheaper to paint than wider
                legend.add(line, self._series_names[which])
                self._lines[plot_name, which] = (back, line)
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#999999", width=1, style=Qt.PenStyle.DashLine))
            marker.setVisible(False)
            item.addItem(marker, ignoreBounds=True)
            self._hover[plot_name] = marker
            plot.scene().sigMouseMoved.connect(self._mouse_moved)

        self.loss_plot.getPlotItem().getViewBox().sigXRangeChanged.connect(self._epochs_moved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        self._plots = QBoxLayout(QBoxLayout.Direction.TopToBottom)  # side by side where the view is wide
        for legend, plot in ((self._legends["loss"], self.loss_plot), (self._legends["accuracy"], self.metric_plot)):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(legend)  # the legend above its plot, covering none of its data
            column.addWidget(plot, 1)
            self._plots.addLayout(column, 1)
        layout.addLayout(self._plots, 1)

        self.log_check.toggled.connect(self._log_toggled)
        self.smooth_check.toggled.connect(self._smoothing_toggled)
        self.smooth_slider.valueChanged.connect(self._smoothing_changed)
        self._show_metric()
        self.clear()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The loss and the metric side by side in a wide, low view (a window's bottom row), else one
        above the other, so that each plot keeps a height to read."""
        super().resizeEvent(event)
        wide = event.size().width() > SIDE_BY_SIDE * event.size().height()
        self._plots.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)

    # -- the interface --------------------------------------------------------------------------
    @property
    def metric(self) -> str:
        """The lower plot's metric: "accuracy" or "mae"."""
        return self._metric

    def set_metric(self, name: str) -> None:
        """Show ``"accuracy"`` or ``"mae"`` on the lower plot (another metric than before clears the plots)."""
        if name not in METRIC_TITLES:
            raise ValueError(f"metric must be one of {sorted(METRIC_TITLES)}, not {name!r}")
        if name != self._metric:
            self._metric = name
            self.clear()
            self.set_overlays(self._overlay_runs)  # their metric's curves, where they have it
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
            self._resmooth()
        missing = np.full(len(epochs), np.nan)
        keys = ("loss", metric, "test_loss", f"test_{metric}")
        raw = [np.asarray(values.get(k, missing), dtype=np.float64) for k in keys]
        weight = self._smoothing_weight()  # smoothed only while shown: it imports scipy
        smoothed = [smooth(y, weight, state) if weight else missing for y, state in zip(raw, self._smoothing_state)]
        self._buffer.extend(np.column_stack([epochs] + raw + smoothed))
        self._dirty = True

    def add_marker(self, epoch: float, label: str) -> None:
        """A thin vertical line with ``label`` at ``epoch`` on both plots: where an edit took effect."""
        lines = []
        for plot in (self.loss_plot, self.metric_plot):
            line = pg.InfiniteLine(epoch, angle=90, pen=pg.mkPen("#b07000", width=1), label=label,
                                   labelOpts={"position": 0.9, "color": "#b07000", "anchors": [(0, 1), (0, 1)]})
            plot.getPlotItem().addItem(line, ignoreBounds=True)
            lines.append(line)
        self._markers.append((float(epoch), label, lines))

    def set_overlays(self, runs: list[tuple[int, str, dict[str, np.ndarray]]]) -> None:
        """Draw earlier runs faintly behind the current one: ``runs`` are (number, legend label,
        per-epoch history as the engine keeps it), at most :data:`MAX_OVERLAYS` of them; train
        lines solid and test lines dashed, in :func:`run_colour`, one entry a run in the loss
        plot's legend (in both, the legends of a short window would cover the curves)."""
        for (_, plot_name, which), item in self._overlays.items():
            if (plot_name, which) == ("loss", "train"):
                self._legends[plot_name].remove(item)
            self._plot(plot_name).getPlotItem().removeItem(item)
        self._overlays.clear()
        self._overlay_runs = list(runs[:MAX_OVERLAYS])
        for number, label, history in self._overlay_runs:
            colour = run_colour(number)
            for plot_name, key in (("loss", "loss"), ("accuracy", self._metric)):
                if key not in history:
                    continue  # a run of another task: it has no curve of this metric
                train = np.asarray(history[key], np.float64)
                test = np.asarray(history.get(f"test_{key}", np.full(train.size, np.nan)), np.float64)
                rows = decimate(np.column_stack([np.arange(1, train.size + 1), train, test]), _Decimated.LIMIT)
                for which, column, style in (("train", 1, Qt.PenStyle.SolidLine), ("test", 2, Qt.PenStyle.DashLine)):
                    item = pg.PlotDataItem(rows[:, 0], rows[:, column], pen=pg.mkPen(colour, width=1, style=style))
                    item.setOpacity(OVERLAY_OPACITY)
                    item.setZValue(-1)  # behind the current run's lines
                    self._plot(plot_name).getPlotItem().addItem(item)
                    if (plot_name, which) == ("loss", "train"):
                        self._legends[plot_name].add(item, label)
                    self._overlays[number, plot_name, which] = item

    def overlay(self, number: int, plot: str, which: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The (epochs, values) drawn for earlier run ``number`` on ``plot`` ("loss", or "accuracy"/"mae")
        and ``which`` ("train"/"test"); None where that run is not drawn."""
        item = self._overlays.get((number, self._plot_name(plot), which))
        return None if item is None else item.getData()

    def markers(self) -> list[tuple[float, str]]:
        """The markers drawn: (epoch, label), oldest first."""
        return [(epoch, label) for epoch, label, _ in self._markers]

    def clear(self) -> None:
        """Forget every epoch and marker (a new run or Reset)."""
        for _, _, lines in self._markers:
            for plot, line in zip((self.loss_plot, self.metric_plot), lines):
                plot.getPlotItem().removeItem(line)
        self._markers.clear()
        self._buffer.truncate(0)
        self._resmooth()
        self._dirty = True
        self._hide_hover()
        for follower in self._followers.values():
            follower.reset()
        for plot in (self.loss_plot, self.metric_plot):
            plot.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
        self.refresh()

    def _draw(self) -> None:
        """Draw what arrived since the last refresh (cheap when nothing did)."""
        table = self._buffer.data[:self._buffer.size]
        following = self._followers["loss"].following
        rows = self._drawn.rows(table) if following else self._visible_rows(table)
        x = rows[:, 0]
        smoothing = self._smoothing_weight() > 0
        single = len(x) == 1  # one epoch (a Step) is a point: a line through one point draws nothing
        for (plot_name, which), (back, line) in self._lines.items():
            column = self._column(plot_name, which)
            if (line.opts["symbol"] is not None) != single:
                colour = line.opts["pen"].color()
                line.setSymbol("o" if single else None)
                line.setSymbolSize(6)
                line.setSymbolPen(colour)
                line.setSymbolBrush(colour)
            if smoothing:
                back.setData(x, rows[:, column])
                line.setData(x, rows[:, column + 4])
            else:
                line.setData(x, rows[:, column])
            back.setVisible(smoothing)
        for plot in (self.loss_plot, self.metric_plot):
            plot.hint.set_visible(self._buffer.size == 0)
        if following:
            self._follow(rows)

    def series(self, plot: str, which: str) -> tuple[np.ndarray, np.ndarray]:
        """The raw (epochs, values) of ``plot`` ("loss", or "accuracy"/"mae" for the lower plot) and
        ``which`` ("train" or "test")."""
        return self._buffer.column(0).copy(), self._buffer.column(self._column(plot, which)).copy()

    def line(self, plot: str, which: str) -> pg.PlotDataItem:
        """The bold curve drawn for ``plot`` and ``which`` (smoothed when smoothing is on)."""
        return self._lines[self._plot_name(plot), which][1]

    def faint_line(self, plot: str, which: str) -> pg.PlotDataItem:
        """The faint raw curve drawn behind the smoothed one (hidden while smoothing is off)."""
        return self._lines[self._plot_name(plot), which][0]

    def legend(self, plot: str) -> dict[str, pg.PlotDataItem]:
        """The curve each legend entry of ``plot`` stands for, by the entry's text."""
        return self._legends[self._plot_name(plot)].entries()

    def legend_widget(self, plot: str) -> CurveLegend:
        """The header row above ``plot`` that holds its legend."""
        return self._legends[self._plot_name(plot)]

    def hover_text(self, plot: str) -> str:
        """The read-out shown in ``plot``'s title for the epoch under the mouse, a row a value
        ("epoch 40\ntrain 0.41\ntest 0.45"; "" while none is shown)."""
        name = self._plot_name(plot)
        shown = self._plot(name).__dict__.get("_texts", {}).get("title", "")
        readout = self._readouts.get(name, "")
        return readout.replace(READOUT_SEPARATOR, "\n") if readout and shown.endswith(readout) else ""

    # -- helpers --------------------------------------------------------------------------------
    def _show_metric(self) -> None:
        name = self._metric
        title = self.tr(METRIC_TITLES[name])
        self._titles["accuracy"] = title
        set_texts(self.metric_plot, title=title)
        self.metric_plot.setAccessibleName(title)
        set_texts(self.metric_plot, left=title.lower() if name == "accuracy" else "MAE")
        self.metric_plot.hint.item.setText(self.tr("Train to see the {0} per epoch.").format(title.lower()))

    def _plot(self, plot_name: str) -> pg.PlotWidget:
        return self.loss_plot if plot_name == "loss" else self.metric_plot

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

    def _follow(self, rows: np.ndarray) -> None:
        """Keep every epoch and value drawn in ``rows`` in view (the raw values: smoothing only
        moves inside them; decimated rows keep every extreme)."""
        if len(rows) == 0:
            return
        x = rows[:, 0]
        log = self.log_check.isChecked()
        for plot_name, follower in self._followers.items():
            values = np.concatenate([rows[:, self._column(plot_name, w)] for w in SERIES])
            values = values[np.isfinite(values) & ((values > 0) | (not log or plot_name != "loss"))]
            if values.size == 0:
                continue
            lo, hi = float(values.min()), float(values.max())
            if log and plot_name == "loss":
                lo, hi = np.log10(lo), np.log10(hi)
            epochs = (0.0, float(x.max())) if plot_name == "loss" else None  # the metric plot's is linked
            follower.show(x=epochs, y=(lo, hi))

    @Slot()
    def _stop_following(self) -> None:
        for follower in self._followers.values():
            follower.stop()

    @Slot()
    def _resume_following(self) -> None:
        for follower in self._followers.values():
            follower.reset()
        self._dirty = True
        self.refresh()

    def _visible_rows(self, table: np.ndarray) -> np.ndarray:
        """The rows of the epochs in view, with a row either side, reduced like the whole table."""
        (x0, x1), _ = self.loss_plot.getPlotItem().getViewBox().viewRange()
        epochs = table[:, 0]
        start = max(int(np.searchsorted(epochs, x0)) - 1, 0)
        stop = int(np.searchsorted(epochs, x1, side="right")) + 1
        return decimate(table[start:stop], _Decimated.LIMIT)

    @Slot()
    def _epochs_moved(self) -> None:
        """The user zoomed or panned: draw the epochs now in view at full detail."""
        if not self._followers["loss"].following:
            self._dirty = True
            self.refresh()

    def _resmooth(self) -> None:
        """Smooth every kept epoch again (smoothing turned on, another weight, or epochs replaced)."""
        weight = self._smoothing_weight()
        self._smoothing_state = [[0.0, 0] for _ in range(4)]
        for i, state in enumerate(self._smoothing_state):
            column = self._buffer.column(1 + i)
            self._buffer.data[:self._buffer.size, 5 + i] = smooth(column, weight, state) if weight else np.nan
        self._drawn.reset()
        self._dirty = True

    def _smoothing_weight(self) -> float:
        return self.smooth_slider.value() / 100 if self.smooth_check.isChecked() else 0.0

    def _show_smoothing_weight(self) -> None:
        self.smooth_label.setText(f"{self.smooth_slider.value() / 100:.2f}")

    @Slot(bool)
    def _log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        set_texts(self.loss_plot, left=self.tr("loss (log scale)") if on else self.tr("loss"))
        self._followers["loss"].y = None  # the range is in other units now
        self._dirty = True
        self.refresh()

    @Slot(bool)
    def _smoothing_toggled(self, on: bool) -> None:
        self.smooth_slider.setEnabled(on)
        self._resmooth()
        self.refresh()

    @Slot(int)
    def _smoothing_changed(self, _value: int) -> None:
        self._show_smoothing_weight()
        if self.smooth_check.isChecked():
            self._resmooth()
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
        for plot_name, marker in self._hover.items():
            rows = [self.tr("epoch {0:.0f}").format(x[i])]
            rows += [f"{self._series_names[which]} {self._buffer.data[i, self._column(plot_name, which)]:.4g}"
                     for which in SERIES]
            marker.setPos(x[i])
            marker.setVisible(True)
            readout = READOUT_SEPARATOR.join(rows)
            self._readouts[plot_name] = readout
            # in the title, above the plot: a label inside it would cover the newest epochs
            set_texts(plots[plot_name], title=f"{self._titles[plot_name]}{READOUT_SEPARATOR}{readout}")

    def _hide_hover(self) -> None:
        for plot_name, marker in self._hover.items():
            marker.setVisible(False)
            set_texts(self._plot(plot_name), title=self._titles[plot_name])
            self._readouts.pop(plot_name, None)

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
