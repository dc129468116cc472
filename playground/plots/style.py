"""The look every view shares: TensorFlow Playground's colours, colour maps and plot set-up."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QLabel, QSizePolicy

from playground.data import FEATURES, Dataset, feature_label

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


def neuron_scale(maps: np.ndarray) -> float:
    """Where the colour scale of one diagram column's neuron maps ends: ±1 as TensorFlow Playground
    draws them (tanh's range), wider where the values go further (ReLU units, raw features), so
    every map keeps its shape and maps of one column compare."""
    largest = float(np.abs(maps).max()) if maps.size else 0.0
    return max(1.0, largest) if math.isfinite(largest) else 1.0


def neuron_colours(values: np.ndarray, scale: float, discrete: bool = False) -> np.ndarray:
    """RGB (uint8) of neuron-map values: orange negative, white at 0, blue positive, over ±``scale``;
    ``discrete`` keeps only the sign (TensorFlow Playground's "Discretize output")."""
    values = np.asarray(values, dtype=np.float64)
    return diverging(np.sign(values) * scale if discrete else values, -scale, scale)


def brushes(colours: np.ndarray) -> list:
    """A QBrush per RGB row for ScatterPlotItem's per-point brushes, one object per distinct colour."""
    unique, index = np.unique(np.asarray(colours).round().astype(np.uint8), axis=0, return_inverse=True)
    made = [pg.mkBrush(*map(int, colour)) for colour in unique]
    return [made[i] for i in index.ravel()]


def image_value_at(item: pg.ImageItem, x: float, y: float) -> np.ndarray | None:
    """The pixel of ``item``'s image drawn over the data coordinate (``x``, ``y``), None outside it.

    Read through the item's own placement (its rect, axis order and the view's transform), so it
    tells what is on screen where a user points, whatever the view meant to draw there.
    """
    image = item.image
    if image is None:
        return None
    local = item.mapFromView(QPointF(x, y))
    column, row = math.floor(local.x()), math.floor(local.y())
    if item.axisOrder == "col-major":
        image = image.swapaxes(0, 1)
    if 0 <= row < image.shape[0] and 0 <= column < image.shape[1]:
        return np.array(image[row, column])
    return None


def scatter_points(item: pg.ScatterPlotItem) -> tuple[np.ndarray, np.ndarray]:
    """Positions (n, 2) and fill colours (n, 3, uint8) of the points ``item`` draws."""
    x, y = item.getData()
    colours = [spot.brush().color().getRgb()[:3] for spot in item.points()]
    return np.column_stack([x, y]).astype(np.float64), np.array(colours, dtype=np.uint8).reshape(-1, 3)


def colour_at(plot: pg.PlotWidget, x: float, y: float) -> QColor:
    """The colour a user sees at the data coordinate (``x``, ``y``) of ``plot`` (from a grab of it)."""
    view = plot.getPlotItem().getViewBox()
    point = plot.mapFromScene(view.mapViewToScene(QPointF(x, y)))
    image = plot.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


class Axis(pg.AxisItem):
    """pyqtgraph's axis, with its grid and tick lines filled as rectangles of one device pixel, the
    pixels pyqtgraph's lines cover: Qt's raster engine strokes a translucent line 30-80 times slower
    than it fills them (measured: a plot's 51 grid lines, 2.6-6.8 ms against 0.08 ms), and the
    grid was most of a plot's paint (10.7 of 12.9 ms), which every view pays at its first paint and
    again whenever its ticks move. Other lines (slanted, dashed, wide) are drawn as pyqtgraph does."""

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803 (pyqtgraph's names)
        p.setRenderHint(p.RenderHint.Antialiasing, False)  # as pyqtgraph draws them: aliased
        device = p.deviceTransform()
        sx, sy = abs(device.m11()) or 1.0, abs(device.m22()) or 1.0  # logical units per device pixel
        lines = []
        for pen, p1, p2 in tickSpecs:
            if (pen.style() != Qt.PenStyle.SolidLine or not pen.isCosmetic() or pen.widthF() > 1
                    or (p1.x() != p2.x() and p1.y() != p2.y())):
                lines.append((pen, p1, p2))
                continue
            # An aliased one-pixel line lights the pixels its points fall in; a rectangle grown by half
            # a pixel all round fills the same ones.
            x, y = min(p1.x(), p2.x()), min(p1.y(), p2.y())
            p.fillRect(QRectF(x - 0.5 / sx, y - 0.5 / sy, abs(p2.x() - p1.x()) + 1 / sx,
                              abs(p2.y() - p1.y()) + 1 / sy), pen.color())
        super().drawPicture(p, axisSpec, lines, textSpecs)


class LogAxis(Axis):
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
        return (feature_label("x1"), feature_label("x2")), True
    return (feature_label(ds.feature_names[0]), feature_label(ds.feature_names[1])), False


def make_plot(name: str, title: str, x_label: str, y_label: str, hint: str, *,
              log_axis: bool = False) -> pg.PlotWidget:
    """A PlotWidget with a name, axis labels, a light grid and a hint shown while it is empty."""
    plot = pg.PlotWidget(name=name, axisItems={"left": (LogAxis if log_axis else Axis)("left"),
                                               "bottom": Axis("bottom")})
    if log_axis:
        plot.getAxis("left").setStyle(maxTextLevel=1)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.enableAutoSIPrefix(False)
        # kept as a pixmap until its ticks change: redrawing tick labels is most of a live plot's paint
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.setObjectName(name)
    plot.setAccessibleName(title)
    set_texts(plot, title=title, bottom=x_label, left=y_label)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(False)
    plot.hint = EmptyHint(plot, hint)
    return plot


def set_texts(plot: pg.PlotWidget, *, title: str | None = None, bottom: str | None = None,
              left: str | None = None) -> None:
    """Set the title and axis labels that differ from those shown.

    pyqtgraph redraws an axis's tick labels on every ``setLabel``, even with the same text: a live
    view setting its labels at each refresh would never paint a cached axis.
    """
    shown = plot.__dict__.setdefault("_texts", {})
    for place, text in (("title", title), ("bottom", bottom), ("left", left)):
        if text is None or shown.get(place) == text:
            continue
        shown[place] = text
        if place == "title":
            plot.setTitle(text, color=TEXT, size="10pt")
        else:
            plot.setLabel(place, text, color=TEXT)


class LiveView:
    """What the live views share: what arrives marks them dirty, and :meth:`refresh` draws it once.

    A view stores events as they come (cheap) and draws in ``_draw``, which the window calls
    through :meth:`refresh` when a whole snapshot of the model came (~30 times a second), and only when
    ``pending``.
    """

    _dirty = False

    @property
    def pending(self) -> bool:
        """Whether something arrived that :meth:`refresh` has not drawn yet."""
        return self._dirty

    def refresh(self) -> None:
        """Draw what arrived since the last refresh (nothing to do when nothing did)."""
        if self._dirty:
            self._dirty = False
            self._draw()

    def _draw(self) -> None:
        raise NotImplementedError


class SteadyLabel(QLabel):
    """A one-line label for a figure that changes at every refresh: it takes the width its layout gives
    it (what does not fit is elided, the whole line is in :meth:`text`) and the height of one line, so a
    new text never lays out the window again (a plain ``QLabel`` asks its parents for a new size each
    time, and the window then repaints whole docks many times a second)."""

    def __init__(self):
        super().__init__()
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name: one line, whatever its text
        margins = self.contentsMargins()
        return QSize(0, self.fontMetrics().height() + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        if shown != super().text():
            super().setText(shown)


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


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``value`` (> 0)."""
    base = 10.0 ** math.floor(math.log10(value))
    return next(m * base for m in (1.0, 2.0, 5.0, 10.0) if m * base >= value * (1 - 1e-9))


def fitted_range(lo: float, hi: float, current: tuple[float, float] | None = None,
                 fill: float = 0.5) -> tuple[float, float]:
    """A view range for data spanning ``lo`` .. ``hi``: ``current`` while it holds the data and the
    data fill at least ``fill`` of it, else the data's span rounded outward to a 1-2-5 step."""
    if current is not None and current[0] <= lo and hi <= current[1] and hi - lo >= fill * (current[1] - current[0]):
        return current
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
        lo, hi = lo - span / 2, hi + span / 2
    step = nice_ceiling(span / 4)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def grown_range(lo: float, hi: float, current: tuple[float, float] | None = None,
                least: float = 10.0) -> tuple[float, float]:
    """A view range from ``lo`` for data growing to ``hi`` (epochs): its end grows in 1-2-5 steps."""
    if current is not None and current[0] <= lo and hi <= current[1]:
        return current
    return lo, nice_ceiling(max(hi - lo, least)) + lo


class RangeFollower:
    """Keeps a plot's view on its data in coarse steps, instead of pyqtgraph's auto-range.

    Auto-range moves the axes with every new point, and redrawing tick labels is most of what a
    live plot costs to paint (three quarters of it, measured); here a range changes only when the
    data leave it or shrink to less than half of it, and a growing epoch axis grows in 1-2-5 steps.
    Zooming or panning with the mouse stops the following; the plot's "A" button resumes it.
    """

    def __init__(self, plot: pg.PlotWidget, on_resume: Callable[[], None], *, grow_x: bool = False):
        self.item = plot.getPlotItem()
        self.grow_x = grow_x
        self.following = True
        self.x: tuple[float, float] | None = None
        self.y: tuple[float, float] | None = None
        self._on_resume = on_resume
        view = self.item.getViewBox()
        view.disableAutoRange()
        view.sigRangeChangedManually.connect(self.stop)
        self.item.autoBtn.clicked.disconnect(self.item.autoBtnClicked)
        self.item.autoBtn.clicked.connect(self.resume)
        self.item.hideButtons()

    def show(self, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None) -> None:
        """Keep the data extents ``x`` and ``y`` (lo, hi) in view; None leaves that axis alone."""
        if not self.following:
            return
        new_x = self.x if x is None else (grown_range if self.grow_x else fitted_range)(*x, self.x)
        new_y = self.y if y is None else fitted_range(*y, self.y)
        if (new_x, new_y) == (self.x, self.y):
            return
        self.x, self.y = new_x, new_y
        self.item.getViewBox().setRange(xRange=new_x, yRange=new_y, padding=0.02)

    def reset(self) -> None:
        """Follow again from scratch (new data, or another scale)."""
        self.following = True
        self.x = self.y = None
        self.item.hideButtons()

    def resume(self) -> None:
        self.reset()
        self.item.autoBtn.hide()
        self._on_resume()

    def stop(self, *_args) -> None:
        """Leave the range where the user put it, and offer the "A" button to follow again."""
        self.following = False
        self.item.showButtons()
