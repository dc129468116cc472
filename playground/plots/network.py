"""The network as TensorFlow Playground draws it: columns of nodes joined by links coloured by weight."""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from playground.core import events
from playground.plots.style import BLUE, HINT, ORANGE, TEXT, LiveView, lighten, rgb

MAX_NODES = min(12, events.MAX_DRAWN)  # nodes drawn per column; the rest are counted in a "+K"
COLUMN_GAP = 150.0
NODE_GAP = 34.0
RADIUS = 10.0
MIN_WIDTH, MAX_WIDTH = 0.4, 6.0  # link pen widths for weight 0 and the largest |weight| drawn
HOVER_WIDTH = 8.0  # how close to a link the mouse must come to show its tooltip
MAX_ZOOM = 1.6
NEUTRAL = QColor("#c8c8c8")


class _Link(QGraphicsPathItem):
    """A link between two nodes, easy to point at (its shape is a wide band around the curve)."""

    def __init__(self, path: QPainterPath, describe: Callable[[], str]):
        super().__init__(path)
        self.describe = describe
        stroker = QPainterPathStroker()
        stroker.setWidth(HOVER_WIDTH)
        self._shape = stroker.createStroke(path)

    def shape(self) -> QPainterPath:
        return self._shape


class _Node(QGraphicsEllipseItem):
    def __init__(self, centre: QPointF, describe: Callable[[], str]):
        super().__init__(centre.x() - RADIUS, centre.y() - RADIUS, 2 * RADIUS, 2 * RADIUS)
        self.describe = describe
        self.setZValue(1)


class _Scene(QGraphicsScene):
    """Writes the tooltip of the node or link under the mouse when Qt asks for it, from the latest weights."""

    def helpEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        for item in self.items(event.scenePos()):
            if isinstance(item, (_Link, _Node)):
                item.setToolTip(item.describe())
                break
        super().helpEvent(event)


def link_widths(weights: np.ndarray, largest: float) -> np.ndarray:
    """Pen widths proportional to |weight|, the largest drawn |weight| getting ``MAX_WIDTH``."""
    scale = np.abs(weights) / largest if largest > 0 else np.zeros_like(weights)
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.nan_to_num(scale)


class NetworkView(LiveView, QGraphicsView):
    """Inputs, hidden layers and the output as columns of nodes; links show the kernels' weights."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setAccessibleName("Network diagram")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(Qt.GlobalColor.white))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scene = _Scene(self)
        self.setScene(self._scene)
        self._input_names: list[str] = []
        self._layer_names: list[str] = []
        self._units: list[int] = []  # units per column, inputs first
        self._drawn: list[int] = []  # nodes drawn per column
        self._markers: list[QGraphicsSimpleTextItem] = []
        self._links: list[list[_Link]] = []  # per layer, row-major over (input node, unit)
        self._nodes: list[list[_Node]] = []  # per column
        self._kernels: list[np.ndarray | None] = []  # per layer, the drawn part of the latest kernel
        self._biases: list[np.ndarray | None] = []
        self._weights: events.Weights | None = None
        self._build()

    # -- the interface --------------------------------------------------------------------------
    def set_architecture(self, input_names: list[str], layer_units: list[int], layer_names: list[str]) -> None:
        """Build the diagram's items for this architecture (the last layer is the output)."""
        self._input_names = list(input_names)
        self._layer_names = list(layer_names)
        self._units = [len(input_names)] + list(layer_units)
        self._weights = None
        self._build()

    @Slot(object)
    def add(self, weights: events.Weights) -> None:
        """Keep the latest kernels; the next refresh recolours the links."""
        self._weights = weights
        self._dirty = True

    def clear(self) -> None:
        """Forget the weights (a new run or Reset); the architecture stays."""
        self._weights = None
        self._dirty = True
        self.refresh()

    def _draw(self) -> None:
        """Restyle links and nodes from the latest weights (cheap when none arrived)."""
        self._take_weights()
        kernels = [k for k in self._kernels if k is not None and k.size]
        largest = max((float(np.abs(k).max()) for k in kernels), default=0.0)
        for layer, kernel in enumerate(self._kernels):
            self._style_links(layer, kernel, largest)
        biases = [b for b in self._biases if b is not None and b.size]
        largest_bias = max((float(np.abs(b).max()) for b in biases), default=0.0)
        for nodes, bias in zip(self._nodes[1:], self._biases):
            for j, node in enumerate(nodes):
                node.setBrush(QBrush(_signed_colour(0.0 if bias is None else float(bias[j]), largest_bias)))

    def link_count(self) -> int:
        return sum(len(links) for links in self._links)

    def link_pen_widths(self) -> np.ndarray:
        """Pen widths of every link, layer by layer, row-major over (input node, unit)."""
        return np.array([link.pen().widthF() for links in self._links for link in links])

    def link_items(self) -> list[_Link]:
        return [link for links in self._links for link in links]

    def node_items(self) -> list[_Node]:
        return [node for nodes in self._nodes for node in nodes]

    def marker_texts(self) -> list[str]:
        """The "+K" texts of capped columns."""
        return [item.text() for item in self._markers]

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self._scene.clear()
        self._links, self._nodes, self._markers = [], [], []
        self._kernels, self._biases = [], []
        if not self._layer_names:
            self._text("Choose a data set to see the network.", 0, 0, colour=HINT)
            self._fit()
            return
        self._drawn = [min(units, MAX_NODES) for units in self._units]
        tallest = max(self._drawn) * NODE_GAP
        centres = []
        for column, (units, drawn) in enumerate(zip(self._units, self._drawn)):
            x = column * COLUMN_GAP
            top = (tallest - drawn * NODE_GAP) / 2 + NODE_GAP / 2
            centres.append([QPointF(x, top + i * NODE_GAP) for i in range(drawn)])
            title = "Inputs" if column == 0 else self._layer_names[column - 1]
            what = "feature" if column == 0 else "unit"
            self._text(title, x, -44, bold=True)
            self._text(f"{units} {what}{'s' * (units != 1)}", x, -28)
            if units > drawn:
                self._markers.append(self._text(f"+{units - drawn}", x, centres[-1][-1].y() + RADIUS + 2))
        for layer in range(len(self._layer_names)):
            links = []
            for i, start in enumerate(centres[layer]):
                for j, end in enumerate(centres[layer + 1]):
                    path = QPainterPath(start)
                    middle = (start.x() + end.x()) / 2
                    path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
                    link = _Link(path, partial(self._describe_link, layer, i, j))
                    self._scene.addItem(link)
                    links.append(link)
            self._links.append(links)
        for column, points in enumerate(centres):
            nodes = []
            for i, centre in enumerate(points):
                node = _Node(centre, partial(self._describe_node, column, i))
                node.setPen(QPen(QColor("#555555"), 1.2))
                node.setBrush(QBrush(QColor("#eeeeee")))
                self._scene.addItem(node)
                nodes.append(node)
            self._nodes.append(nodes)
        for name, centre in zip(self._input_names, centres[0]):
            label = self._text(name, centre.x() - RADIUS - 6, centre.y(), align=1.0)
            label.moveBy(0, -label.boundingRect().height() / 2)
        self._text("links: orange negative, blue positive; width ∝ |weight|",
                   (len(self._units) - 1) * COLUMN_GAP / 2, tallest + 30, colour=HINT)
        self._dirty = True
        self.refresh()
        self._fit()

    def _text(self, text: str, x: float, y: float, *, align: float = 0.5, colour: str = TEXT,
              bold: bool = False) -> QGraphicsSimpleTextItem:
        """Text whose top is at ``y``; ``align`` 0.5 centres it on ``x``, 1.0 ends it there."""
        item = self._scene.addSimpleText(text)
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        font.setBold(bold)
        item.setFont(font)
        item.setBrush(QBrush(QColor(colour)))
        item.setPos(x - align * item.boundingRect().width(), y)
        return item

    def _fit(self) -> None:
        rect = self._scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
        self._scene.setSceneRect(rect)
        view = self.viewport().rect()
        scale = min(view.width() / max(rect.width(), 1), view.height() / max(rect.height(), 1), MAX_ZOOM)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    # -- weights --------------------------------------------------------------------------------
    def _take_weights(self) -> None:
        """The drawn corner of each layer's latest kernel and bias, by layer name (None if missing or
        of another architecture)."""
        by_name = {layer.name: layer for layer in self._weights.layers} if self._weights else {}
        self._kernels, self._biases = [], []
        for layer, name in enumerate(self._layer_names):
            weights = by_name.get(name)
            rows, columns = self._drawn[layer], self._drawn[layer + 1]
            if weights is None or weights.shape != (self._units[layer], self._units[layer + 1]):
                self._kernels.append(None)
                self._biases.append(None)
                continue
            self._kernels.append(weights.kernel[:rows, :columns])
            self._biases.append(None if weights.bias is None else weights.bias[:columns])

    def _style_links(self, layer: int, kernel: np.ndarray | None, largest: float) -> None:
        links = self._links[layer]
        if kernel is None:
            pen = QPen(NEUTRAL, 1.0)
            for link in links:
                link.setPen(pen)
            return
        widths = link_widths(kernel, largest).ravel()
        alphas = 90 + 165 * (widths - MIN_WIDTH) / (MAX_WIDTH - MIN_WIDTH)
        for link, weight, width, alpha in zip(links, kernel.ravel(), widths, alphas):
            colour = QColor(BLUE if weight >= 0 else ORANGE)
            colour.setAlpha(int(alpha))
            pen = QPen(colour, float(width))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            link.setPen(pen)

    def _describe_link(self, layer: int, i: int, j: int) -> str:
        source = self._input_names[i] if layer == 0 else f"{self._layer_names[layer - 1]} unit {i + 1}"
        target = f"{self._layer_names[layer]} unit {j + 1}"
        kernel = self._kernels[layer]
        value = "not computed yet" if kernel is None else f"{kernel[i, j]:+.4f}"
        return f"{source} → {target}\nweight {value}\n(kernel[{i}, {j}] of {self._layer_names[layer]})"

    def _describe_node(self, column: int, i: int) -> str:
        if column == 0:
            return f"input {i + 1}: {self._input_names[i]}"
        name = self._layer_names[column - 1]
        bias = self._biases[column - 1]
        if bias is not None:
            value = f"{bias[i]:+.4f}"
        else:
            value = "not computed yet" if self._kernels[column - 1] is None else "none (use_bias is off)"
        return f"{name} unit {i + 1}\nbias {value}"


def _signed_colour(value: float, largest: float) -> QColor:
    """Orange for negative, blue for positive, paler the smaller |value| is next to ``largest``."""
    strength = abs(value) / largest if largest > 0 else 0.0
    r, g, b = lighten(rgb(BLUE if value >= 0 else ORANGE), 1.0 - 0.8 * strength)
    return QColor(int(r), int(g), int(b))


def _demo() -> None:
    import pyqtgraph as pg

    app = pg.mkQApp("Network")
    view = NetworkView()
    view.resize(640, 420)
    view.show()
    view.set_architecture(["x1", "x2", "x1^2"], [8, 40, 1], ["hidden_1", "hidden_2", "output"])
    rng = np.random.default_rng(0)
    shapes = [(3, 8), (8, 40), (40, 1)]

    def tick() -> None:
        layers = []
        for name, shape in zip(("hidden_1", "hidden_2", "output"), shapes):
            kernel = rng.normal(0, 0.5, shape)
            bias = rng.normal(0, 0.1, shape[1])
            kc, ke = np.histogram(kernel, bins=30)
            bc, be = np.histogram(bias, bins=30)
            capped = kernel[:events.MAX_DRAWN, :events.MAX_DRAWN]
            layers.append(events.LayerWeights(name, kc, ke, bc, be, capped, bias[:events.MAX_DRAWN], shape))
        view.add(events.Weights(0, tuple(layers)))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(500)
    app.exec()


if __name__ == "__main__":
    _demo()
