"""Weight histograms: the latest one as bars and their history as a heatmap (TensorBoard's histogram mode)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from playground.core import events
from playground.plots.style import BLUE, WHITE, LiveView, RangeFollower, image_value_at, make_plot, set_texts

ROWS = 60  # value bins of the history heatmap
MAX_COLUMNS = 500  # snapshots kept per layer; beyond that the time resolution halves
IMAGE_WIDTH = 400  # pixels across the heatmap's epoch axis
HISTORY_COLOURS = pg.ColorMap([0.0, 0.35, 1.0], [WHITE, "#7fb8dc", "#06304f"])


class History:
    """One layer's histograms over time, at most ``MAX_COLUMNS`` of them.

    When full, every other snapshot is dropped and from then on only every ``stride``-th is
    kept, so the columns stay evenly spaced in snapshots; the latest one, if not kept, shows
    as ``tail``.
    """

    def __init__(self, bins: int):
        self.epochs = np.zeros(MAX_COLUMNS)
        self.edges = np.zeros((MAX_COLUMNS, bins + 1))
        self.counts = np.zeros((MAX_COLUMNS, bins))
        self.size = 0
        self.stride = 1
        self.seen = 0
        self.tail: tuple[float, np.ndarray, np.ndarray] | None = None

    def add(self, epoch: float, edges: np.ndarray, counts: np.ndarray) -> None:
        self.seen += 1
        self.tail = (epoch, edges, counts)
        if (self.seen - 1) % self.stride:
            return
        self.epochs[self.size], self.edges[self.size], self.counts[self.size] = epoch, edges, counts
        self.size += 1
        if self.size < MAX_COLUMNS:
            self.tail = None
            return
        half = (MAX_COLUMNS + 1) // 2
        for array in (self.epochs, self.edges, self.counts):
            array[:half] = array[:MAX_COLUMNS:2].copy()
        self.size = half
        self.stride *= 2  # the latest snapshot is off the new stride: it stays the tail

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epochs, edges, counts) of every kept snapshot, the tail included."""
        n = self.size
        if self.tail is None:
            return self.epochs[:n], self.edges[:n], self.counts[:n]
        epoch, edges, counts = self.tail
        return (np.append(self.epochs[:n], epoch), np.vstack([self.edges[:n], edges]),
                np.vstack([self.counts[:n], counts]))


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
    """The chosen layer's kernel or bias: latest histogram on top, the history as a heatmap below."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.setAccessibleName("Weight histograms")
        self._histories: dict[tuple[str, str], History] = {}
        self._latest: dict[tuple[str, str], tuple[float, np.ndarray, np.ndarray]] = {}
        self._names: list[str] = []
        self._last_epoch = -1
        self._history_shape = (ROWS, 0)

        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("weightLayerCombo")
        self.layer_combo.setAccessibleName("Layer")
        self.layer_combo.setMinimumContentsLength(10)
        self.kernel_radio = QRadioButton("Kernel")
        self.kernel_radio.setObjectName("kernelRadio")
        self.kernel_radio.setToolTip("The layer's weight matrix (Keras: layer.kernel).")
        self.bias_radio = QRadioButton("Bias")
        self.bias_radio.setObjectName("biasRadio")
        self.bias_radio.setToolTip("The layer's bias vector (Keras: layer.bias).")
        self.kernel_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.kernel_radio)
        self._kind_group.addButton(self.bias_radio)
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 0)
        controls.addWidget(QLabel("Layer"))
        controls.addWidget(self.layer_combo)
        controls.addSpacing(12)
        controls.addWidget(self.kernel_radio)
        controls.addWidget(self.bias_radio)
        controls.addStretch(1)

        self.histogram_plot = make_plot("weightHistogramPlot", "Latest histogram", "weight value", "count",
                                        "Weight histograms appear when the model is built.")
        self._bars = self.histogram_plot.plot(stepMode="center", fillLevel=0, pen=pg.mkPen(BLUE, width=1.5),
                                              brush=pg.mkBrush(8, 119, 189, 90))
        self.history_plot = make_plot("weightHistoryPlot", "History", "epoch", "weight value",
                                      "Each snapshot becomes a column here.")
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setColorMap(HISTORY_COLOURS)
        self.history_plot.addItem(self._image)
        self.history_plot.getPlotItem().getViewBox().setDefaultPadding(0)
        self.history_plot.showGrid(x=False, y=False)
        self._histogram_range = RangeFollower(self.histogram_plot, self._resume_following)
        self._history_range = RangeFollower(self.history_plot, self._resume_following, grow_x=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.histogram_plot, 2)
        layout.addWidget(self.history_plot, 3)

        self.layer_combo.currentIndexChanged.connect(self._choice_changed)
        self.kernel_radio.toggled.connect(self._choice_changed)
        self.clear()

    # -- the interface --------------------------------------------------------------------------
    @Slot(object)
    def add(self, weights: events.Weights) -> None:
        """Store a snapshot of every layer's histograms (an earlier epoch starts a new history)."""
        if weights.epoch < self._last_epoch:
            self._forget()
        self._last_epoch = weights.epoch
        self._names = [layer.name for layer in weights.layers]
        for layer in weights.layers:
            for kind, edges, counts in (("kernel", layer.kernel_edges, layer.kernel_counts),
                                        ("bias", layer.bias_edges, layer.bias_counts)):
                if counts is None:
                    continue
                key = (layer.name, kind)
                history = self._histories.get(key)
                if history is None or history.counts.shape[1] != len(counts):
                    history = self._histories[key] = History(len(counts))
                history.add(float(weights.epoch), edges, counts)
                self._latest[key] = (float(weights.epoch), edges, counts)
        self._dirty = True

    def clear(self) -> None:
        """Forget every snapshot (a new run or Reset)."""
        self._forget()
        self._names = []
        self.refresh()

    def _draw(self) -> None:
        """Redraw the shown layer if a snapshot arrived (cheap when none did)."""
        self._update_choices()
        key = self._shown()
        history = self._histories.get(key)
        empty = history is None
        self.histogram_plot.hint.set_visible(empty)
        self.history_plot.hint.set_visible(empty)
        self._image.setVisible(not empty)
        if empty:
            self._bars.setData([], [])
            self._history_shape = (ROWS, 0)
            set_texts(self.histogram_plot, title="Latest histogram")
            set_texts(self.history_plot, title="History")
            return
        epoch, edges, counts = self._latest[key]
        self._bars.setData(edges, counts)
        self._histogram_range.show(x=(float(edges[0]), float(edges[-1])), y=(0.0, float(max(counts.max(), 1))))
        name, kind = key
        set_texts(self.histogram_plot, title=f"{name} {kind} at epoch {epoch:.0f}", bottom=f"{kind} value")
        set_texts(self.history_plot, left=f"{kind} value", title=f"{name} {kind} over time (colour: count)")
        self._draw_history(history)

    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """(edges, counts) of the latest histogram of the shown layer and kind (empty if none)."""
        latest = self._latest.get(self._shown())
        return (latest[1].copy(), latest[2].copy()) if latest else (np.zeros(0), np.zeros(0))

    def history_shape(self) -> tuple[int, int]:
        """(value rows, snapshot columns) of the shown history as of the last refresh."""
        return self._history_shape

    # -- what is drawn, read back as a user would see it (for tests) -----------------------------
    def bars(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn histogram: its bin edges across (n + 1) and bar heights (n); empty if none."""
        edges, heights = self._bars.getData()
        if edges is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(edges, dtype=np.float64), np.asarray(heights, dtype=np.float64)

    def history_image(self) -> np.ndarray | None:
        """The history heatmap's counts as drawn: rows are values (lowest first), columns times."""
        image = self._image.image
        return None if image is None or not self._image.isVisible() else np.array(image)

    def history_at(self, epoch: float, value: float) -> float | None:
        """The count the history heatmap shows at (``epoch``, ``value``), None outside it."""
        count = image_value_at(self._image, epoch, value) if self._image.isVisible() else None
        return None if count is None else float(count)

    # -- helpers --------------------------------------------------------------------------------
    def _forget(self) -> None:
        self._histogram_range.reset()
        self._history_range.reset()
        self._histories.clear()
        self._latest.clear()
        self._last_epoch = -1
        self._dirty = True

    def _shown(self) -> tuple[str, str]:
        return self.layer_combo.currentText(), "kernel" if self.kernel_radio.isChecked() else "bias"

    def _update_choices(self) -> None:
        names = [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())]
        if names != self._names:
            current = self.layer_combo.currentText()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(self._names)
            if current in self._names:
                self.layer_combo.setCurrentText(current)
            self.layer_combo.blockSignals(False)
        has_bias = (self.layer_combo.currentText(), "bias") in self._histories or not self._histories
        self.bias_radio.setEnabled(has_bias)
        if not has_bias and self.bias_radio.isChecked():
            self.kernel_radio.setChecked(True)

    def _draw_history(self, history: History) -> None:
        epochs, edges, counts = history.columns()
        low, high = occupied_range(edges, counts)
        if high <= low:
            low, high = low - 0.5, high + 0.5
        grid = np.linspace(low, high, ROWS + 1)
        columns = rebin(edges, counts, grid)  # (snapshots, ROWS)
        self._history_shape = (ROWS, len(columns))
        first, last = epochs[0], epochs[-1]
        if last > first:
            step = (last - first) / (IMAGE_WIDTH - 1)
            times = first + step * np.arange(IMAGE_WIDTH)
            picked = np.searchsorted(epochs, times, side="right") - 1
        else:
            step, picked = 1.0, np.array([len(epochs) - 1])
            first -= 0.5
        image = columns[picked].T  # row i: values around grid[i], column j: time j
        self._image.setImage(image, autoLevels=False, levels=(0.0, max(float(image.max()), 1.0)))
        self._image.setRect(QRectF(first, low, step * len(picked), high - low))
        self._history_range.show(x=(min(first, 0.0), first + step * len(picked)), y=(low, high))

    @Slot()
    def _choice_changed(self) -> None:
        self._resume_following()

    @Slot()
    def _resume_following(self) -> None:
        """Fit both plots to the shown layer again (another layer, or the "A" button)."""
        self._histogram_range.reset()
        self._history_range.reset()
        self._dirty = True
        self.refresh()


def _demo() -> None:
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
        layers = []
        for name, shape in (("hidden_1", (2, 8)), ("hidden_2", (8, 8)), ("output", (8, 1))):
            kernel = rng.normal(0, spread, shape)
            bias = rng.normal(0.1, spread / 3, shape[1])
            kc, ke = np.histogram(kernel, bins=30)
            bc, be = np.histogram(bias, bins=30)
            layers.append(events.LayerWeights(name, kc, ke, bc, be, kernel, bias, shape))
        view.add(events.Weights(state["epoch"], tuple(layers)))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(100)
    app.exec()


if __name__ == "__main__":
    _demo()
