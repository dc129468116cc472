"""The look every view shares: TensorFlow Playground's colours, colour maps and plot set-up."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from playground.data import FEATURES, Dataset

ORANGE = "#f59322"  # class 0, negative
BLUE = "#0877bd"  # class 1, positive
WHITE = "#ffffff"
TEXT = "#333333"
HINT = "#8a8a8a"
TRAIN = "#0877bd"
TEST = "#e8710a"
TAB10 = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip


def rgb(colour: str) -> np.ndarray:
    """``"#rrggbb"`` as a float array of three values in 0..255."""
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def class_colours(count: int) -> list[str]:
    """Orange and blue for two classes, tab10 (repeated) for more."""
    if count <= 2:
        return [ORANGE, BLUE][:max(count, 1)]
    return [TAB10[i % len(TAB10)] for i in range(count)]


def lighten(colours: np.ndarray, amount: np.ndarray | float) -> np.ndarray:
    """Blend RGB ``colours`` (..., 3) towards white by ``amount`` (0 keeps them, 1 gives white)."""
    amount = np.asarray(amount, dtype=np.float64)[..., None]
    return colours + (255.0 - colours) * amount


def diverging_lut(size: int = 256) -> np.ndarray:
    """An orange -> white -> blue look-up table of ``size`` RGB rows (uint8)."""
    t = np.linspace(-1.0, 1.0, size)
    ends = np.where(t[:, None] < 0, rgb(ORANGE), rgb(BLUE))
    return lighten(ends, 1.0 - np.abs(t)).round().astype(np.uint8)


def diverging(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """RGB (uint8) of ``values`` on the orange-white-blue map spanning ``low`` .. ``high``."""
    lut = diverging_lut()
    span = high - low if high > low else 1.0
    index = np.clip((np.asarray(values, dtype=np.float64) - low) / span, 0.0, 1.0) * (len(lut) - 1)
    return lut[np.nan_to_num(index, nan=(len(lut) - 1) / 2).round().astype(np.intp)]


def brushes(colours: np.ndarray) -> list:
    """A QBrush per RGB row for ScatterPlotItem's per-point brushes, one object per distinct colour."""
    unique, index = np.unique(np.asarray(colours).round().astype(np.uint8), axis=0, return_inverse=True)
    made = [pg.mkBrush(*map(int, colour)) for colour in unique]
    return [made[i] for i in index.ravel()]


class LogAxis(pg.AxisItem):
    """In log mode, labels only 1, 2 and 5 times each power of ten (pyqtgraph labels 1..9, which crowd)."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph's names)
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if not ticks or ticks[-1][0] is not None:
            return ticks
        minor = np.asarray(ticks[-1][1], dtype=np.float64)
        labelled = np.isin(np.round(10 ** (minor % 1)), (1, 2, 5))
        return ticks[:-1] + [(None, minor[labelled].tolist()), (None, minor[~labelled].tolist())]


def plane_axes(ds: Dataset) -> tuple[tuple[str, str], bool]:
    """A 2-D set's axis names, and whether they share units (the generated sets' x1, x2 plane)."""
    if set(ds.feature_names) <= set(FEATURES):
        return ("x1", "x2"), True
    return (ds.feature_names[0], ds.feature_names[1]), False


def make_plot(name: str, title: str, x_label: str, y_label: str, hint: str, *,
              log_axis: bool = False) -> pg.PlotWidget:
    """A PlotWidget with a name, axis labels, a light grid and a hint shown while it is empty."""
    axes = {"left": LogAxis("left")} if log_axis else None
    plot = pg.PlotWidget(name=name, axisItems=axes)
    if log_axis:
        plot.getAxis("left").setStyle(maxTextLevel=1)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.setObjectName(name)
    plot.setAccessibleName(title)
    plot.setTitle(title, color=TEXT, size="10pt")
    plot.setLabel("bottom", x_label, color=TEXT)
    plot.setLabel("left", y_label, color=TEXT)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(False)
    plot.hint = EmptyHint(plot, hint)
    return plot


class EmptyHint:
    """Grey text centred in a plot while it has nothing to show."""

    def __init__(self, plot: pg.PlotWidget, text: str):
        self.item = pg.TextItem(text, color=HINT, anchor=(0.5, 0.5))
        self.view = plot.getPlotItem().getViewBox()
        self.view.addItem(self.item, ignoreBounds=True)
        self.view.sigRangeChanged.connect(self._centre)
        self._centre()

    def set_visible(self, visible: bool) -> None:
        if visible != self.item.isVisible():
            self.item.setVisible(visible)
            self._centre()

    def _centre(self) -> None:
        if self.item.isVisible():
            (x0, x1), (y0, y1) = self.view.viewRange()
            self.item.setPos((x0 + x1) / 2, (y0 + y1) / 2)
