"""Weight histograms: the latest one as bars, and their history by epoch as a heatmap and as percentile bands
(TensorBoard's histogram and distribution modes)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QHBoxLayout, QLabel, QRadioButton, QTabWidget, QVBoxLayout,
                               QWidget)

from playground.core import events
from playground.core.history import PERCENTILES, Summary, WeightLog
from playground.plots.style import (BLUE, WHITE, LiveView, RangeFollower, SteadyLabel, image_value_at, make_plot,
                                    set_texts)

ROWS = 60  # value bins of the history heatmap
IMAGE_WIDTH = 400  # pixels across the heatmap's epoch axis (more than the history's columns)
HISTORY_COLOURS = pg.ColorMap([0.0, 0.35, 1.0], [WHITE, "#7fb8dc", "#06304f"])
# TensorBoard's distribution bands, outermost first: min-max, ±3σ… ±1σ quantiles; then the median.
BAND_ALPHAS = (40, 70, 100, 140)


def occupied_range(edges: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """Lowest and highest edge of the non-empty bins over all snapshots."""
    full = counts > 0
    if not full.any():
        return float(edges[:, 0].min()), float(edges[:, -1].max())
    first = np.where(full.any(axis=1), full.argmax(axis=1), -1)
    last = np.where(full.any(axis=1), full.shape[1] - 1 - full[:, ::-1].argmax(axis=1), -1)
    rows = np.flatnonzero(first >= 0)
    return float(edges[rows, first[rows]].min()), float(edges[rows, last[rows] + 1].max())


def rebin(edges: np.ndarray, counts: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Redistribute each row's histogram onto the common bin edges ``grid`` by overlap.

    Counts are spread evenly inside their bins: each row's cumulative count is piecewise
    linear, read at the grid edges with one ``np.interp`` over all rows (rows made disjoint
    by an offset, and queries clipped to each row's own edges).
    """
    rows = len(edges)
    cumulative = np.hstack([np.zeros((rows, 1)), np.cumsum(counts, axis=1)])
    low = min(edges[:, 0].min(), grid[0])
    gap = max(edges[:, -1].max(), grid[-1]) - low + 1.0
    offset = np.arange(rows)[:, None] * gap
    queries = np.clip(grid[None, :], edges[:, :1], edges[:, -1:])
    at = np.interp((queries - low + offset).ravel(), (edges - low + offset).ravel(), cumulative.ravel())
    return np.diff(at.reshape(rows, len(grid)), axis=1)


class WeightsView(LiveView, QWidget):
    """The chosen layer's kernel or bias: a summary line, the latest histogram, and its history by
    epoch as a heatmap (TensorBoard's histogram mode) or as percentile bands (its distributions)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.setAccessibleName(self.tr("Weight histograms"))
        self._history = WeightLog()
        self._latest: dict[tuple[str, str], tuple[int, np.ndarray, np.ndarray]] = {}
        self._dead: dict[str, tuple[float, int]] = {}  # layer -> (fraction of dead ReLUs, units)
        self._names: list[str] = []
        self._last_epoch = -1
        self._history_shape = (ROWS, 0)

        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("weightLayerCombo")
        self.layer_combo.setAccessibleName(self.tr("Layer"))
        self.layer_combo.setMinimumContentsLength(10)
        self.kernel_radio = QRadioButton(self.tr("Kernel"))
        self.kernel_radio.setObjectName("kernelRadio")
        self.kernel_radio.setToolTip(self.tr("The layer's weight matrix (Keras: layer.kernel)."))
        self.bias_radio = QRadioButton(self.tr("Bias"))
        self.bias_radio.setObjectName("biasRadio")
        self.bias_radio.setToolTip(self.tr("The layer's bias vector (Keras: layer.bias)."))
        self.kernel_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.kernel_radio)
        self._kind_group.addButton(self.bias_radio)
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 0)
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer_combo)
        controls.addSpacing(12)
        controls.addWidget(self.kernel_radio)
        controls.addWidget(self.bias_radio)
        controls.addStretch(1)
        self.summary_label = SteadyLabel()
        self.summary_label.setObjectName("weightSummary")
        self.summary_label.setContentsMargins(6, 0, 6, 0)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setToolTip(self.tr(
            "The shown tensor at the last epoch of its history: mean, standard deviation, smallest and "
            "largest value. For a hidden ReLU layer, its dead units: those that output 0 for every "
            "training sample, so their weights get no gradient and stop learning."))

        self.histogram_plot = make_plot("weightHistogramPlot", self.tr("Latest histogram"), self.tr("weight value"),
                                        self.tr("count"), self.tr("Weight histograms appear when the model is built."))
        self._bars = self.histogram_plot.plot(stepMode="center", fillLevel=0, pen=pg.mkPen(BLUE, width=1.5),
                                              brush=pg.mkBrush(8, 119, 189, 90))
        self.history_plot = make_plot("weightHistoryPlot", self.tr("Histograms by epoch"), self.tr("epoch"),
                                      self.tr("weight value"), self.tr("Each recorded epoch becomes a column here."))
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setColorMap(HISTORY_COLOURS)
        self.history_plot.addItem(self._image)
        self.history_plot.getPlotItem().getViewBox().setDefaultPadding(0)
        self.history_plot.showGrid(x=False, y=False)
        self.distribution_plot = make_plot(
            "weightDistributionPlot", self.tr("Distribution by epoch"), self.tr("epoch"), self.tr("weight value"),
            self.tr("Percentile bands over the epochs appear here."))
        self._percentiles = [self.distribution_plot.plot(pen=pg.mkPen(BLUE, width=2 if i == 4 else 0.5))
                             for i in range(len(PERCENTILES))]
        for depth, alpha in enumerate(BAND_ALPHAS):
            band = pg.FillBetweenItem(self._percentiles[depth], self._percentiles[-1 - depth],
                                      brush=pg.mkBrush(8, 119, 189, alpha))
            self.distribution_plot.addItem(band)
        self.distribution_plot.setToolTip(self.tr(
            "TensorBoard's distributions: the darkest band holds the middle 38% of the weights (±½σ of a "
            "normal distribution), then 68% (±1σ), 87% (±1½σ) and all of them; the line is the median."))
        self._histogram_range = RangeFollower(self.histogram_plot, self._resume_following)
        self._history_range = RangeFollower(self.history_plot, self._resume_following, grow_x=True)
        self._distribution_range = RangeFollower(self.distribution_plot, self._resume_following, grow_x=True)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("weightHistoryTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.history_plot, self.tr("Histograms"))
        self.tabs.addTab(self.distribution_plot, self.tr("Distributions"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.histogram_plot, 2)
        layout.addWidget(self.tabs, 3)

        self.layer_combo.currentIndexChanged.connect(self._choice_changed)
        self.kernel_radio.toggled.connect(self._choice_changed)
        self.tabs.currentChanged.connect(self._choice_changed)
        self.clear()

    # -- the interface --------------------------------------------------------------------------
    @Slot(object)
    def add(self, weights: events.Weights) -> None:
        """The model's weights now: every layer's latest histograms (an earlier epoch: a new model)."""
        if weights.epoch < self._last_epoch:
            self._forget()
        self._last_epoch = weights.epoch
        self._names = [layer.name for layer in weights.layers]
        for layer in weights.layers:
            for kind, edges, counts in (("kernel", layer.kernel_edges, layer.kernel_counts),
                                        ("bias", layer.bias_edges, layer.bias_counts)):
                if counts is not None:
                    self._latest[(layer.name, kind)] = (weights.epoch, edges, counts)
            if layer.dead is not None:
                self._dead[layer.name] = (layer.dead, layer.shape[1])
            else:
                self._dead.pop(layer.name, None)
        self._dirty = True

    @Slot(object)
    def add_history(self, history: events.WeightHistory) -> None:
        """Columns of the weight history by epoch (``whole``: all of it, replacing what is here)."""
        if history.whole:
            self._history.clear()
        self._history.add(history.epochs, history.layers)
        self._dirty = True

    def clear(self) -> None:
        """Forget everything (another model)."""
        self._forget()
        self._names = []
        self.refresh()

    def _draw(self) -> None:
        """Redraw the shown layer if something arrived (cheap when nothing did)."""
        self._update_choices()
        key = self._shown()
        latest = self._latest.get(key)
        summary = self._summary(key)
        self.histogram_plot.hint.set_visible(latest is None)
        self.history_plot.hint.set_visible(summary is None)
        self.distribution_plot.hint.set_visible(summary is None)
        self._image.setVisible(summary is not None)
        name, kind = key
        if latest is None:
            self._bars.setData([], [])
            set_texts(self.histogram_plot, title=self.tr("Latest histogram"))
        else:
            epoch, edges, counts = latest
            self._bars.setData(edges, counts)
            self._histogram_range.show(x=(float(edges[0]), float(edges[-1])), y=(0.0, float(max(counts.max(), 1))))
            set_texts(self.histogram_plot, title=self.tr("{0} {1} at epoch {2}").format(name, kind, epoch),
                      bottom=self.tr("{0} value").format(kind))
        if summary is None:
            self._history_shape = (ROWS, 0)
            for curve in self._percentiles:
                curve.setData([], [])
            set_texts(self.history_plot, title=self.tr("Histograms by epoch"))
            set_texts(self.distribution_plot, title=self.tr("Distribution by epoch"))
            self.summary_label.setText("")
            return
        set_texts(self.history_plot, left=self.tr("{0} value").format(kind),
                  title=self.tr("{0} {1} by epoch (colour: count)").format(name, kind))
        set_texts(self.distribution_plot, left=self.tr("{0} value").format(kind),
                  title=self.tr("{0} {1} percentiles by epoch").format(name, kind))
        self._draw_summary(name, summary)
        # Only the tab shown is drawn (showing the other one draws it): a hidden plot costs the window's
        # thread as much as a shown one.
        if self.tabs.currentWidget() is self.history_plot:
            self._draw_history(summary)
        else:
            self._draw_distribution(summary)

    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """(edges, counts) of the latest histogram of the shown layer and kind (empty if none)."""
        latest = self._latest.get(self._shown())
        return (latest[1].copy(), latest[2].copy()) if latest else (np.zeros(0), np.zeros(0))

    def history_shape(self) -> tuple[int, int]:
        """(value rows, epoch columns) of the shown history as of the last refresh."""
        return self._history_shape

    # -- what is drawn, read back as a user would see it (for tests) -----------------------------
    def bars(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn histogram: its bin edges across (n + 1) and bar heights (n); empty if none."""
        edges, heights = self._bars.getData()
        if edges is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(edges, dtype=np.float64), np.asarray(heights, dtype=np.float64)

    def history_image(self) -> np.ndarray | None:
        """The history heatmap's counts as drawn: rows are values (lowest first), columns epochs."""
        image = self._image.image
        return None if image is None or not self._image.isVisible() else np.array(image)

    def history_at(self, epoch: float, value: float) -> float | None:
        """The count the history heatmap shows at (``epoch``, ``value``), None outside it."""
        count = image_value_at(self._image, epoch, value) if self._image.isVisible() else None
        return None if count is None else float(count)

    def distribution(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn percentile curves: their epochs (k) and values (k x len(PERCENTILES))."""
        data = [curve.getData() for curve in self._percentiles]
        if data[0][0] is None:
            return np.zeros(0), np.zeros((0, len(PERCENTILES)))
        return np.asarray(data[0][0]), np.stack([np.asarray(y) for _, y in data], axis=1)

    def summary_text(self) -> str:
        return self.summary_label.text()

    # -- helpers --------------------------------------------------------------------------------
    def _forget(self) -> None:
        for follower in (self._histogram_range, self._history_range, self._distribution_range):
            follower.reset()
        self._history.clear()
        self._latest.clear()
        self._dead.clear()
        self._last_epoch = -1
        self._dirty = True

    def _shown(self) -> tuple[str, str]:
        return self.layer_combo.currentText(), "kernel" if self.kernel_radio.isChecked() else "bias"

    def _summary(self, key: tuple[str, str]) -> Summary | None:
        """The shown tensor's history (None if there is none)."""
        name, kind = key
        for layer in self._history.layers:
            if layer.name == name:
                return layer.kernel if kind == "kernel" else layer.bias
        return None

    def _update_choices(self) -> None:
        names = self._names or [layer.name for layer in self._history.layers]
        shown = [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())]
        if names != shown:
            current = self.layer_combo.currentText()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            if current in names:
                self.layer_combo.setCurrentText(current)
            self.layer_combo.blockSignals(False)
        name = self.layer_combo.currentText()
        has_bias = (name, "bias") in self._latest or not self._latest
        self.bias_radio.setEnabled(has_bias)
        if not has_bias and self.bias_radio.isChecked():
            self.kernel_radio.setChecked(True)

    def _draw_summary(self, name: str, summary: Summary) -> None:
        epoch = int(self._history.epochs[-1])
        text = self.tr("epoch {0} · mean {1:.4g} · std {2:.4g} · min {3:.4g} · max {4:.4g}").format(
            epoch, summary.mean[-1], summary.std[-1], summary.percentiles[-1, 0], summary.percentiles[-1, -1])
        if name in self._dead:
            fraction, units = self._dead[name]
            text += self.tr(" · dead ReLUs {0} of {1}").format(round(fraction * units), units)
        self.summary_label.setText(text)

    def _draw_history(self, summary: Summary) -> None:
        epochs, edges, counts = self._history.epochs.astype(np.float64), summary.edges, summary.counts
        low, high = occupied_range(edges, counts)
        if high <= low:
            low, high = low - 0.5, high + 0.5
        grid = np.linspace(low, high, ROWS + 1)
        columns = rebin(edges, counts.astype(np.float64), grid)  # (epochs, ROWS)
        self._history_shape = (ROWS, len(columns))
        # Column k covers epochs [e_k, e_k+1); the last one as wide as the one before it (or 1 epoch).
        first = epochs[0]
        end = epochs[-1] + (epochs[-1] - epochs[-2] if len(epochs) > 1 else 1.0)
        step = (end - first) / IMAGE_WIDTH
        times = first + step * (np.arange(IMAGE_WIDTH) + 0.5)
        picked = np.searchsorted(epochs, times, side="right") - 1
        image = columns[picked].T  # row i: values around grid[i], column j: epoch j
        self._image.setImage(image, autoLevels=False, levels=(0.0, max(float(image.max()), 1.0)))
        self._image.setRect(QRectF(first, low, end - first, high - low))
        self._history_range.show(x=(min(first, 0.0), end), y=(low, high))

    def _draw_distribution(self, summary: Summary) -> None:
        epochs = self._history.epochs.astype(np.float64)
        for i, curve in enumerate(self._percentiles):
            curve.setData(epochs, summary.percentiles[:, i])
        drawn = summary.percentiles[np.isfinite(summary.percentiles)]  # NaN: an epoch of no finite weights
        self._distribution_range.show(x=(min(float(epochs[0]), 0.0), float(epochs[-1]) + 1.0),
                                      y=(float(drawn.min()), float(drawn.max())) if drawn.size else (-1.0, 1.0))

    @Slot()
    def _choice_changed(self) -> None:
        self._resume_following()

    @Slot()
    def _resume_following(self) -> None:
        """Fit the plots to the shown layer again (another layer, or the "A" button)."""
        for follower in (self._histogram_range, self._history_range, self._distribution_range):
            follower.reset()
        self._dirty = True
        self.refresh()


def _demo() -> None:
    from playground.core.history import LayerHistory, summarise
    from playground.plots import configure

    app = pg.mkQApp("Weights")
    configure()
    view = WeightsView()
    view.resize(520, 560)
    view.show()
    rng = np.random.default_rng(0)
    state = {"epoch": 0}

    def tick() -> None:
        state["epoch"] += 7
        spread = 0.3 + state["epoch"] / 1500
        layers, histories = [], []
        for name, shape in (("hidden_1", (2, 8)), ("hidden_2", (8, 8)), ("output", (8, 1))):
            kernel = rng.normal(0, spread, shape)
            bias = rng.normal(0.1, spread / 3, shape[1])
            kc, ke = np.histogram(kernel, bins=30)
            bc, be = np.histogram(bias, bins=30)
            layers.append(events.LayerWeights(name, kc, ke, bc, be, kernel, bias, shape))
            histories.append(LayerHistory(name, summarise(kernel.reshape(1, -1)), summarise(bias[None, :])))
        view.add(events.Weights(state["epoch"], tuple(layers)))
        view.add_history(events.WeightHistory(state["epoch"], np.array([state["epoch"]]), tuple(histories)))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(100)
    app.exec()


if __name__ == "__main__":
    _demo()
