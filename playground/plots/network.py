"""The network as TensorFlow Playground draws it: columns of nodes joined by links coloured by weight, and,
for 2-D data, each node's output over the input plane drawn inside it (its neuron map)."""
from __future__ import annotations

import math
from functools import partial
from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPainterPathStroker, QPen, QPixmap, \
    QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLineEdit,
    QWidget,
)

from playground.core import events
from playground.data import feature_label
from playground.plots.style import BLUE, HINT, ORANGE, TEXT, LiveView, lighten, neuron_colours, neuron_scale, rgb

# Nodes drawn per column: every unit up to the engine's cap on neuron maps (a wide column shrinks the
# drawing to fit); the rest are counted in a "+K".
MAX_NODES = events.MAX_DRAWN
COLUMN_GAP = 130.0  # the least distance between columns; a wide view spreads them (up to 3 times)
NODE_GAP = 50.0  # between node centres: the maps fill most of a column
NODE = 44.0  # a node's side: a square, as TensorFlow Playground draws them, holding its neuron map
MIN_WIDTH, MAX_WIDTH = 0.4, 6.0  # link pen widths for weight 0 and the largest |weight| drawn
HOVER_WIDTH = 8.0  # how close to a link the mouse must come to show its tooltip
MAX_ZOOM = 3.0  # the maps grow with the panel up to three times their drawn size
FONT_POINTS = 8.5  # text keeps this size at every zoom: a wide network shrinks its drawing, not its labels
MARGIN = 8.0  # pixels around the drawing
NEUTRAL = QColor("#c8c8c8")


class _Link(QGraphicsPathItem):
    """A link between two nodes, easy to point at (its shape is a wide band around the curve); a click
    asks the view to edit its weight."""

    def __init__(self, path: QPainterPath, describe: Callable[[], str], clicked: Callable[[QPointF], None]):
        super().__init__(path)
        self.describe = describe
        self._clicked = clicked
        stroker = QPainterPathStroker()
        stroker.setWidth(HOVER_WIDTH)
        self._shape = stroker.createStroke(path)

    def shape(self) -> QPainterPath:
        return self._shape

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._clicked(event.scenePos())
        event.accept()


class _Node(QGraphicsRectItem):
    """A unit (or an input feature): a square coloured by its bias, holding its neuron map when there is one.
    Pointing at it or clicking it shows the map large (through the view's signals)."""

    def __init__(self, centre: QPointF, describe: Callable[[], str], hovered: Callable[[bool], None],
                 clicked: Callable[[], None]):
        super().__init__(centre.x() - NODE / 2, centre.y() - NODE / 2, NODE, NODE)
        self.describe = describe
        self._hovered, self._clicked = hovered, clicked
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.map = QGraphicsPixmapItem(self)
        self.map.setPos(self.rect().topLeft())
        self.map.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.map.setVisible(False)

    def show_map(self, rgb_rows: np.ndarray | None) -> None:
        """Draw ``rgb_rows`` (m, m, 3, uint8; the top row first) inside the node, or no map (None)."""
        if rgb_rows is None:
            self.map.setVisible(False)
            return
        rows = np.ascontiguousarray(rgb_rows, dtype=np.uint8)
        m = rows.shape[0]
        image = QImage(rows.data, rows.shape[1], m, rows.strides[0], QImage.Format.Format_RGB888).copy()
        self.map.setPixmap(QPixmap.fromImage(image))
        self.map.setScale(NODE / m)
        self.map.setVisible(True)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._hovered(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._hovered(False)
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._clicked()
        event.accept()


class _Scene(QGraphicsScene):
    """Writes the tooltip of the node or link under the mouse when Qt asks for it, from the latest weights."""

    def helpEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        for item in self.items(event.scenePos()):
            if isinstance(item, (_Link, _Node)):
                item.setToolTip(item.describe())
                break
        super().helpEvent(event)


class _WeightEditor(QLineEdit):
    """The inline editor of one link's weight: Enter applies the number typed, Escape or a click
    elsewhere closes it."""

    def __init__(self, parent: QWidget, commit: Callable[[str], bool]):
        super().__init__(parent)
        self.setObjectName("weightEditor")
        self.setAccessibleName(self.tr("Weight of the link"))
        self._commit = commit
        self.returnPressed.connect(self._enter)
        self.editingFinished.connect(self._finished)

    def _enter(self) -> None:
        if self._commit(self.text()):
            self.hide()

    def _finished(self) -> None:
        if not self.hasFocus():
            self.hide()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)


def link_widths(weights: np.ndarray, largest: float) -> np.ndarray:
    """Pen widths proportional to |weight|, the largest drawn |weight| getting ``MAX_WIDTH``."""
    scale = np.abs(weights) / largest if largest > 0 else np.zeros_like(weights)
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.nan_to_num(scale)


class NetworkView(LiveView, QGraphicsView):
    """Inputs, hidden layers and the output as columns of nodes; links show the kernels' weights, nodes their
    neuron maps (2-D data)."""

    neuronHovered = Signal(int, int, str)  # column (0: inputs), unit, name of the node the mouse is on; -1: none
    neuronClicked = Signal(int, int, str)
    weightEdited = Signal(str, int, int, float, float)  # layer, kernel row, column, old weight, new weight

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setAccessibleName(self.tr("Network diagram"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(QBrush(Qt.GlobalColor.white))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scene = _Scene(self)
        self.setScene(self._scene)
        self._input_names: list[str] = []
        self._layer_names: list[str] = []
        self._units: list[int] = []  # units per column, inputs first
        self._drawn: list[int] = []  # nodes drawn per column
        self._gap = COLUMN_GAP  # between columns, as drawn
        self._markers: list[QGraphicsSimpleTextItem] = []
        self._input_labels: list[QGraphicsSimpleTextItem] = []
        self._texts: list[QGraphicsSimpleTextItem] = []  # every label, for the fit's margins
        self._links: list[list[_Link]] = []  # per layer, row-major over (input node, unit)
        self._nodes: list[list[_Node]] = []  # per column
        self._kernels: list[np.ndarray | None] = []  # per layer, the drawn part of the latest kernel
        self._biases: list[np.ndarray | None] = []
        self._weights: events.Weights | None = None
        self._boundary: events.Boundary | None = None
        self._discrete = False
        self._task = ""  # the data set's task: how the output node's map is coloured
        self._editable = False
        self._editing: tuple[int, int, int, float] | None = None  # layer, i, j, old weight
        self._editor = _WeightEditor(self.viewport(), self._commit_edit)
        self._editor.hide()
        self._build()

    # -- the interface --------------------------------------------------------------------------
    def set_architecture(self, input_names: list[str], layer_units: list[int], layer_names: list[str]) -> None:
        """Build the diagram's items for this architecture (the last layer is the output)."""
        self._input_names = list(input_names)
        self._layer_names = list(layer_names)
        self._units = [len(input_names)] + list(layer_units)
        self._weights = None
        self._boundary = None
        self._build()

    @Slot(object)
    def add(self, weights: events.Weights) -> None:
        """Keep the latest kernels; the next refresh recolours the links."""
        self._weights = weights
        self._dirty = True

    @Slot(object)
    def add_boundary(self, boundary: events.Boundary) -> None:
        """Keep the latest neuron maps; the next refresh draws them in the nodes."""
        self._boundary = boundary
        self._dirty = True

    def set_task(self, task: str) -> None:
        """The data set's task: a classifier's output node shows P(class) over the plane, orange 0 to
        blue 1 as the Output view draws it; a regression's its value, on the neuron maps' scale."""
        self._task = task
        self._dirty = True

    @Slot(bool)
    def set_discretized(self, discrete: bool) -> None:
        """Draw the neuron maps by their sign only (TensorFlow Playground's "Discretize output")."""
        self._discrete = discrete
        self._dirty = True
        self.refresh()

    def set_editable(self, editable: bool) -> None:
        """Whether a click on a link edits its weight (while no run trains the model)."""
        self._editable = editable
        if not editable:
            self._editor.hide()

    def clear(self) -> None:
        """Forget the weights and maps (a new run or Reset); the architecture stays."""
        self._weights = None
        self._boundary = None
        self._editor.hide()
        self._dirty = True
        self.refresh()

    def _draw(self) -> None:
        """Restyle links and nodes from the latest weights, and draw the latest maps (cheap when none arrived)."""
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
        maps = self._maps()
        for column, nodes in enumerate(self._nodes):
            values, scale = self._output_map() if column == len(self._nodes) - 1 and maps else (None, None)
            if column < len(maps):
                values = maps[column]
                scale = neuron_scale(values)
            for i, node in enumerate(nodes):
                node.show_map(None if values is None else
                              neuron_colours(values[::-1, :, i], scale, self._discrete).astype(np.uint8))

    def link_count(self) -> int:
        return sum(len(links) for links in self._links)

    def link_pen_widths(self) -> np.ndarray:
        """Pen widths of every link, layer by layer, row-major over (input node, unit)."""
        return np.array([link.pen().widthF() for links in self._links for link in links])

    def link_items(self) -> list[_Link]:
        return [link for links in self._links for link in links]

    def node_items(self) -> list[_Node]:
        return [node for nodes in self._nodes for node in nodes]

    def node_item(self, column: int, unit: int) -> _Node:
        """The node of ``unit`` in ``column`` (0: the inputs)."""
        return self._nodes[column][unit]

    def link_item(self, layer: int, i: int, j: int) -> _Link:
        """The link of ``kernel[i, j]`` of layer ``layer`` (0: the first hidden layer)."""
        return self._links[layer][i * self._drawn[layer + 1] + j]

    def marker_texts(self) -> list[str]:
        """The "+K" texts of capped columns."""
        return [item.text() for item in self._markers]

    def input_labels(self) -> list[tuple[str, bool]]:
        """The inputs' labels and whether each is shown (a dense column shows every other one, or fewer)."""
        return [(item.text(), item.isVisible()) for item in self._input_labels]

    def label_pixel_size(self) -> float:
        """The height on screen, in pixels, of the labels' text (the same at every zoom)."""
        transform = self.viewportTransform()
        return max((item.deviceTransform(transform).mapRect(item.boundingRect()).height() for item in self._texts),
                   default=0.0)

    def thumbnail(self, column: int, unit: int) -> np.ndarray | None:
        """The neuron map drawn in a node, as RGB rows (m, m, 3) with the top row first, as on screen;
        None where the node shows no map."""
        item = self._nodes[column][unit].map
        if not item.isVisible():
            return None
        image = item.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        return rows[:, :3 * image.width()].reshape(image.height(), image.width(), 3).copy()

    def weight_editor(self) -> QLineEdit:
        """The inline editor a click on a link opens (hidden when closed)."""
        return self._editor

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self._editor.hide()
        self._scene.clear()
        self._links, self._nodes, self._markers, self._input_labels, self._texts = [], [], [], [], []
        self._kernels, self._biases = [], []
        if not self._layer_names:
            self._text(self.tr("Choose a data set to see the network."), 0, 0, colour=HINT)
            self._fit()
            return
        self._drawn = [min(units, MAX_NODES) for units in self._units]
        self._gap = gap = self._column_gap()
        tallest = max(self._drawn) * NODE_GAP
        centres = []
        for column, (units, drawn) in enumerate(zip(self._units, self._drawn)):
            x = column * gap
            top = (tallest - drawn * NODE_GAP) / 2 + NODE_GAP / 2
            centres.append([QPointF(x, top + i * NODE_GAP) for i in range(drawn)])
            title = self.tr("Inputs") if column == 0 else self._layer_names[column - 1]
            if column == 0:
                count = self.tr("{0} features") if units != 1 else self.tr("{0} feature")
            else:
                count = self.tr("{0} units") if units != 1 else self.tr("{0} unit")
            self._text(count.format(units), x, top - NODE / 2 - 4, anchor=(0.5, 1.0))
            self._text(title, x, top - NODE / 2 - 4, anchor=(0.5, 2.0), bold=True)
            if units > drawn:
                self._markers.append(self._text(f"+{units - drawn}", x, centres[-1][-1].y() + NODE / 2 + 2,
                                                anchor=(0.5, 0.0)))
        for layer in range(len(self._layer_names)):
            links = []
            for i, start in enumerate(centres[layer]):
                for j, end in enumerate(centres[layer + 1]):
                    path = QPainterPath(start)
                    middle = (start.x() + end.x()) / 2
                    path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
                    link = _Link(path, partial(self._describe_link, layer, i, j),
                                 partial(self._link_clicked, layer, i, j))
                    self._scene.addItem(link)
                    links.append(link)
            self._links.append(links)
        for column, points in enumerate(centres):
            nodes = []
            for i, centre in enumerate(points):
                node = _Node(centre, partial(self._describe_node, column, i),
                             partial(self._node_hovered, column, i), partial(self._node_clicked, column, i))
                node.setPen(QPen(QColor("#555555"), 1.2))
                node.setBrush(QBrush(QColor("#eeeeee")))
                self._scene.addItem(node)
                nodes.append(node)
            self._nodes.append(nodes)
        for name, centre in zip(self._input_names, centres[0]):
            self._input_labels.append(self._text(feature_label(name), centre.x() - NODE / 2 - 5, centre.y(),
                                                 anchor=(1.0, 0.5)))
        self._text(self.tr("links: orange negative, blue positive; width ∝ |weight|"),  # a line below any "+K"
                   (len(self._units) - 1) * gap / 2, tallest + 6, colour=HINT,
                   anchor=(0.5, -1.1 if self._markers else 0.0))
        self._dirty = True
        self.refresh()
        self._fit()

    def _text(self, text: str, x: float, y: float, *, anchor: tuple[float, float] = (0.5, 0.0),
              colour: str = TEXT, bold: bool = False) -> QGraphicsSimpleTextItem:
        """Text drawn at a fixed size on screen whatever the zoom, placed so that the point ``anchor``
        of it (fractions of its width and height; (0.5, 0) is its top centre) sits at (``x``, ``y``)."""
        item = self._scene.addSimpleText(text)
        font = QFont(self.font())
        font.setPointSizeF(FONT_POINTS)
        font.setBold(bold)
        item.setFont(font)
        item.setBrush(QBrush(QColor(colour)))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        rect = item.boundingRect()
        item.setTransform(QTransform.fromTranslate(-anchor[0] * rect.width(), -anchor[1] * rect.height()))
        item.setPos(x, y)
        self._texts.append(item)
        return item

    def _fit(self) -> None:
        """Scale the nodes and links to the view, leaving room in pixels for the labels (which keep their
        size), and show only as many input labels as fit beside their nodes."""
        view = self.viewport().rect()
        nodes = [node.sceneBoundingRect() for node in self.node_items()]
        if not nodes:
            self.resetTransform()
            self.centerOn(self._scene.itemsBoundingRect().center())
            return
        core = nodes[0]
        for rect in nodes[1:]:
            core = core.united(rect)
        line = self.label_pixel_size()
        label_width = max((item.boundingRect().width() for item in self._input_labels), default=0.0)
        left, right = label_width + 5 + MARGIN, MARGIN + 30
        top, bottom = 2 * line + 4 + MARGIN, line + 6 + MARGIN + (1.1 * line if self._markers else 0)
        scale = min((view.width() - left - right) / max(core.width(), 1),
                    (view.height() - top - bottom) / max(core.height(), 1), MAX_ZOOM)
        scale = max(scale, 0.05)
        rect = core.adjusted(-left / scale, -top / scale, right / scale, bottom / scale)
        self._scene.setSceneRect(rect)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        step = max(1, math.ceil(line / (NODE_GAP * scale)))  # labels closer than a line would overlap
        for i, item in enumerate(self._input_labels):
            item.setVisible(i % step == 0)

    def _column_gap(self) -> float:
        """How far apart to draw the columns: so that the drawing has about the view's shape (a wide
        view spreads the columns rather than leaving empty sides), at least ``COLUMN_GAP``."""
        view = self.viewport().rect()
        columns = len(self._units) - 1
        if columns < 1 or view.height() <= 0:
            return COLUMN_GAP
        tallest = max(min(units, MAX_NODES) for units in self._units) * NODE_GAP
        wanted = (tallest * max(view.width() - 140, 1) / max(view.height() - 70, 1) - NODE) / columns
        return min(max(COLUMN_GAP, wanted), 3 * COLUMN_GAP)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._layer_names and abs(self._column_gap() - self._gap) > 0.1 * self._gap:
            self._build()  # spread the columns anew for the view's new shape
        else:
            self._fit()

    # -- weights and maps -----------------------------------------------------------------------
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

    def _maps(self) -> tuple[np.ndarray, ...]:
        """The latest neuron maps, one per column before the output's; none if they are of another
        architecture."""
        maps = self._boundary.neurons if self._boundary is not None else ()
        expected = [min(units, events.MAX_DRAWN) for units in self._units[:-1]]
        return maps if [m.shape[-1] for m in maps] == expected else ()

    def _output_map(self) -> tuple[np.ndarray | None, float | None]:
        """The output node's map: the model's output over the plane, centred on 0 (a classifier's
        probability p as 2p - 1, so that 0.5 is white), with its colour scale; None if it does not fit."""
        output = self._boundary.output if self._boundary is not None else None
        if output is None or output.ndim != 3 or output.shape[-1] != self._drawn[-1]:
            return None, None
        if self._task in ("binary", "multiclass"):
            return 2.0 * output - 1.0, 1.0
        return output, neuron_scale(output)

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
            pen.setCosmetic(True)  # as wide on screen at every zoom
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            link.setPen(pen)

    def _node_name(self, column: int, i: int) -> str:
        return feature_label(self._input_names[i]) if column == 0 else self._unit_name(column - 1, i)

    def _unit_name(self, layer: int, i: int) -> str:
        """Unit ``i`` of layer ``layer`` (0: the first hidden layer), as the tooltips and captions name it."""
        return self.tr("{0} unit {1}").format(self._layer_names[layer], i + 1)

    def _node_hovered(self, column: int, i: int, inside: bool) -> None:
        if not inside:
            self.neuronHovered.emit(-1, -1, "")
        elif column < len(self._maps()):
            self.neuronHovered.emit(column, i, self._node_name(column, i))

    def _node_clicked(self, column: int, i: int) -> None:
        if column < len(self._maps()):
            self.neuronClicked.emit(column, i, self._node_name(column, i))

    def _describe_link(self, layer: int, i: int, j: int) -> str:
        kernel = self._kernels[layer]
        value = self.tr("not computed yet") if kernel is None else f"{kernel[i, j]:+.4f}"
        text = self.tr("{0} → {1}\nweight {2}\n(kernel[{3}, {4}] of {5})").format(
            self._node_name(layer, i), self._unit_name(layer, j), value, i, j, self._layer_names[layer])
        return text + "\n" + self.tr("click to edit") if self._editable and kernel is not None else text

    def _describe_node(self, column: int, i: int) -> str:
        if column == 0:
            return self.tr("input {0}: {1}").format(i + 1, feature_label(self._input_names[i]))
        bias = self._biases[column - 1]
        if bias is not None:
            value = f"{bias[i]:+.4f}"
        elif self._kernels[column - 1] is None:
            value = self.tr("not computed yet")
        else:
            value = self.tr("none (use_bias is off)")
        return self.tr("{0}\nbias {1}").format(self._unit_name(column - 1, i), value)

    # -- editing a weight -----------------------------------------------------------------------
    def _link_clicked(self, layer: int, i: int, j: int, scene_point: QPointF) -> None:
        """Open the inline editor at the click, with the weight as it is (while no run trains)."""
        kernel = self._kernels[layer] if layer < len(self._kernels) else None
        if not self._editable or kernel is None:
            return
        old = float(kernel[i, j])
        self._editing = (layer, i, j, old)
        editor = self._editor
        editor.setText(f"{old:.6g}")
        editor.setToolTip(self.tr("New weight of {0} → {1}; Enter applies it, Escape cancels.").format(
            self._node_name(layer, i), self._unit_name(layer, j)))
        editor.setStyleSheet("")
        editor.setFixedWidth(editor.fontMetrics().horizontalAdvance("-0.0000000") + 12)
        at = self.mapFromScene(scene_point)
        editor.move(min(at.x(), self.viewport().width() - editor.width()),
                    min(at.y(), self.viewport().height() - editor.sizeHint().height()))
        editor.show()
        editor.setFocus()
        editor.selectAll()

    def _commit_edit(self, text: str) -> bool:
        """Send the typed weight out (as ``weightEdited``); a text that is no number stays, marked, with
        a sentence saying what to type."""
        if self._editing is None:
            return True
        try:
            value = float(text.strip().replace(",", "."))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            self._editor.setStyleSheet("border: 1px solid #d62728;")
            self._editor.setToolTip(self.tr("{0} is not a number: type a weight such as -0.25.").format(repr(text)))
            return False
        layer, i, j, old = self._editing
        self._editing = None
        if value != old:
            self.weightEdited.emit(self._layer_names[layer], i, j, old, value)
        return True


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
    m = 30
    gx, gy = np.meshgrid(np.linspace(-6, 6, m), np.linspace(-6, 6, m))
    inputs = np.stack([gx, gy, gx ** 2], axis=-1)

    def tick() -> None:
        layers, maps = [], [inputs]
        for name, shape in zip(("hidden_1", "hidden_2", "output"), shapes):
            kernel = rng.normal(0, 0.5, shape)
            bias = rng.normal(0, 0.1, shape[1])
            kc, ke = np.histogram(kernel, bins=30)
            bc, be = np.histogram(bias, bins=30)
            capped = kernel[:events.MAX_DRAWN, :events.MAX_DRAWN]
            layers.append(events.LayerWeights(name, kc, ke, bc, be, capped, bias[:events.MAX_DRAWN], shape))
            if name != "output":
                maps.append(np.tanh(maps[-1] @ kernel / 3 + bias))
        view.add(events.Weights(0, tuple(layers)))
        xs = np.linspace(-6, 6, m, dtype=np.float32)
        view.add_boundary(events.Boundary(0, xs, xs, np.zeros((m, m, 1)), xs, xs,
                                          tuple(a[..., :events.MAX_DRAWN] for a in maps)))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(500)
    app.exec()


if __name__ == "__main__":
    _demo()
