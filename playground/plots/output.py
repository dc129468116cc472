"""What the model outputs: the decision boundary of a 2-D set, else a confusion matrix or predicted vs true."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from playground.core import events
from playground.data import Dataset
from playground.plots.style import (
    BLUE,
    TEXT,
    LiveView,
    brushes,
    class_colours,
    diverging,
    image_value_at,
    diverging_lut,
    lighten,
    make_plot,
    neuron_colours,
    neuron_scale,
    plane_axes,
    rgb,
    scatter_points,
    set_texts,
)

BACKGROUND_LIGHTEN = 0.3  # the heatmap is paler than the points drawn on it
POINT_SIZE = 7
MAX_CELL_TEXT = 12  # classes up to which confusion cells show their counts
MAX_LEGEND = 8  # legend entries; more classes show the first MAX_LEGEND - 1 and "+N more"
CONFUSION_COLOURS = pg.ColorMap([0.0, 1.0], ["#ffffff", BLUE])
translate = QCoreApplication.translate


def output_colours(output: np.ndarray, task: str, value_range: tuple[float, float],
                   discrete: bool = False) -> np.ndarray:
    """RGBA (uint8) of a model output grid (rows, cols, units) for ``task``.

    binary: orange-white-blue over P(class 1); multiclass: the arg-max class's colour,
    whiter the less sure the model is; regression: orange-white-blue over ``value_range``.
    ``discrete`` (TensorFlow Playground's "Discretize output") shows classifiers' decisions only:
    the likelier class at full colour.
    """
    if task == "binary":
        p = output[..., 0]
        colour = diverging((p > 0.5).astype(np.float64) if discrete else p, 0.0, 1.0).astype(np.float64)
    elif task == "multiclass":
        units = output.shape[-1]
        palette = np.array([rgb(c) for c in class_colours(units)])
        best = output.argmax(axis=-1)
        sure = 1.0 if discrete or units < 2 else (output.max(axis=-1) - 1.0 / units) / (1.0 - 1.0 / units)
        colour = lighten(palette[best], 1.0 - np.clip(sure, 0.0, 1.0))
    else:
        colour = diverging(output[..., 0], *value_range).astype(np.float64)
    return _opaque(lighten(colour, BACKGROUND_LIGHTEN))


def _opaque(colour: np.ndarray) -> np.ndarray:
    alpha = np.full(colour.shape[:-1] + (1,), 255.0)
    return np.concatenate([colour, alpha], axis=-1).round().astype(np.uint8)


def boundary_fits(boundary: events.Boundary, ds: Dataset) -> bool:
    """Whether ``boundary`` was computed for a model of ``ds``: a 2-D set, its plane, its output units.
    Anything else is a previous model's output, which must not be drawn over these points."""
    if not ds.is_2d or boundary.output.shape[-1] != ds.output_units:
        return False
    x0, x1, y0, y1 = ds.extent
    ends = (boundary.xs[0], boundary.xs[-1], boundary.ys[0], boundary.ys[-1])
    return bool(np.allclose(ends, (x0, x1, y0, y1), rtol=1e-5, atol=1e-6))


def predictions_fit(predictions: events.Predictions, ds: Dataset) -> bool:
    """Whether ``predictions`` are of ``ds``'s test split (its targets, in order)."""
    true = np.asarray(predictions.y_true)
    return not ds.is_2d and 0 < len(true) <= len(ds.y_test) and np.array_equal(true, ds.y_test[:len(true)])


def class_label(name: str) -> str:
    """The label of a class: "class 1" for a bare number, else its name."""
    return translate("OutputView", "class {0}").format(name) if name.isdigit() else name


def _shown_quantity(ds: Dataset) -> str:
    if ds.task == "binary":
        return f"P({class_label(ds.class_names[1])})"
    if ds.task == "multiclass":
        return translate("OutputView", "Most likely class")
    return translate("OutputView", "Predicted {0}").format(ds.target_name)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> np.ndarray:
    """Counts with true classes as rows and predicted classes as columns."""
    true = np.asarray(y_true).astype(np.intp).ravel()
    pred = np.asarray(y_pred).astype(np.intp).ravel()
    keep = (true >= 0) & (true < classes) & (pred >= 0) & (pred < classes)
    return np.bincount(true[keep] * classes + pred[keep], minlength=classes * classes).reshape(classes, classes)


class OutputView(LiveView, QWidget):
    """The decision boundary under the data points (2-D sets), a confusion matrix, or predicted vs true."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("outputView")
        self.setAccessibleName(self.tr("Model output"))
        self._dataset: Dataset | None = None
        self._boundary: events.Boundary | None = None
        self._predictions: events.Predictions | None = None
        self._image_array: np.ndarray | None = None
        self._confusion: np.ndarray | None = None
        self._value_range = (0.0, 1.0)
        self._cell_texts: list[pg.TextItem] = []
        # A neuron's map shown instead of the model's output: (column, unit, name) of the diagram's node
        # pointed at (hovered) and of the one clicked (pinned); the hovered one wins while the mouse is on it.
        self._hovered: tuple[int, int, str] | None = None
        self._pinned: tuple[int, int, str] | None = None

        self.stack = QStackedWidget()
        self.stack.addWidget(self._boundary_page())
        self.confusion_plot = make_plot("confusionPlot", self.tr("Confusion matrix"), self.tr("predicted class"),
                                        self.tr("true class"), self.tr("Train to see the test set's confusion matrix."))
        self._confusion_image = pg.ImageItem(axisOrder="row-major")
        self._confusion_image.setColorMap(CONFUSION_COLOURS)
        self.confusion_plot.addItem(self._confusion_image)
        view = self.confusion_plot.getPlotItem().getViewBox()
        view.invertY(True)
        view.setAspectLocked(True)
        view.setMouseEnabled(False, False)
        self.confusion_plot.showGrid(x=False, y=False)
        self.stack.addWidget(self.confusion_plot)
        self.regression_plot = make_plot("regressionPlot", self.tr("Predicted vs true"), self.tr("true value"),
                                         self.tr("predicted value"),
                                         self.tr("Train to see the test set's predictions."))
        self._identity = self.regression_plot.plot(pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine))
        self._scatter = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(8, 119, 189, 140))
        self.regression_plot.addItem(self._scatter)
        self.stack.addWidget(self.regression_plot)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.clear()

    def _boundary_page(self) -> QWidget:
        page = QWidget()
        self.test_check = QCheckBox(self.tr("Show test data"))
        self.test_check.setObjectName("showTestCheck")
        self.test_check.setToolTip(self.tr("Draw the test points (dark outline) as well as the training points."))
        self.discretize_check = QCheckBox(self.tr("Discretize output"))
        self.discretize_check.setObjectName("discretizeCheck")
        self.discretize_check.setToolTip(self.tr("Show only the decisions: each point of the plane in its likelier "
                                                 "class's colour, each neuron map by its sign (TensorFlow Playground's "
                                                 "option)."))
        self.discretize_check.toggled.connect(self._restyle)
        self.back_button = QPushButton(self.tr("Model output"))
        self.back_button.setObjectName("modelOutputButton")
        self.back_button.setToolTip(self.tr("Show the model's output again instead of the neuron's map."))
        self.back_button.setVisible(False)
        self.back_button.clicked.connect(self.show_model_output)
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 0)
        controls.addWidget(self.test_check)
        controls.addWidget(self.discretize_check)
        controls.addStretch(1)
        controls.addWidget(self.back_button)
        self.boundary_plot = make_plot("boundaryPlot", self.tr("Model output"), "x1", "x2",
                                       self.tr("Choose a data set to see the model's output."))
        self._heatmap = pg.ImageItem(axisOrder="row-major")
        self.boundary_plot.addItem(self._heatmap)
        self._train_points = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen("w", width=1))
        self._test_points = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen("#222222", width=1.5))
        self._test_points.setVisible(False)
        for item in (self._train_points, self._test_points):
            self.boundary_plot.addItem(item)
        self.boundary_plot.showGrid(x=False, y=False)
        self._legend = self.boundary_plot.getPlotItem().addLegend(
            offset=(-6, 6), labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 210), verSpacing=-4)
        # The colour scale of P(class 1), the regression value or a neuron's map, right of the plot.
        self._colour_bar = pg.ColorBarItem(values=(0.0, 1.0), width=12, interactive=False, colorMap=pg.ColorMap(
            np.linspace(0.0, 1.0, 256), lighten(diverging_lut().astype(np.float64), BACKGROUND_LIGHTEN)))
        self._colour_bar.getAxis("right").setTextPen(TEXT)
        plot_item = self.boundary_plot.getPlotItem()
        plot_item.layout.addItem(self._colour_bar, 2, 5)
        plot_item.layout.setColumnFixedWidth(4, 5)
        self.test_check.toggled.connect(self._test_points.setVisible)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.boundary_plot, 1)
        return page

    # -- the interface --------------------------------------------------------------------------
    def set_dataset(self, ds: Dataset) -> None:
        """Show ``ds``: its points under a boundary (2-D), else a confusion matrix or predicted vs true."""
        self._dataset = ds
        self.clear()
        if ds.is_2d:
            self.stack.setCurrentIndex(0)
            self._show_points(ds)
        elif ds.task == "regression":
            self.stack.setCurrentIndex(2)
            set_texts(self.regression_plot, bottom=self.tr("true {0}").format(ds.target_name),
                      left=self.tr("predicted {0}").format(ds.target_name))
            low, high = self._value_range
            self._identity.setData([low, high], [low, high])
        else:
            self.stack.setCurrentIndex(1)
            self._prepare_confusion(ds.class_names)

    @Slot(object)
    def add_boundary(self, boundary: events.Boundary) -> None:
        """Keep the latest output grid, if it is of a model of this data set; the next refresh draws it."""
        if self._dataset is not None and boundary_fits(boundary, self._dataset):
            self._boundary = boundary
            self._dirty = True

    @Slot(object)
    def add_predictions(self, predictions: events.Predictions) -> None:
        """Keep the latest test predictions, if they are of this data set; the next refresh draws them."""
        if self._dataset is not None and predictions_fit(predictions, self._dataset):
            self._predictions = predictions
            self._dirty = True

    @Slot(int, int, str)
    def preview_neuron(self, column: int, unit: int, name: str) -> None:
        """Show the map of the diagram's node the mouse is on (``column`` 0 for the inputs, -1 when it
        left every node: back to the clicked one, or the model's output)."""
        self._hovered = None if column < 0 else (column, unit, name)
        self._restyle()

    @Slot(int, int, str)
    def pin_neuron(self, column: int | None, unit: int = 0, name: str = "") -> None:
        """Keep showing the map of a clicked node; clicking it again (or None, the "Model output"
        button) goes back to the model's output."""
        node = None if column is None or column < 0 else (column, unit, name)
        self._pinned = None if node == self._pinned else node
        if node is None:
            self._hovered = None
        self._restyle()

    @Slot()
    def show_model_output(self) -> None:
        """Back from a clicked neuron's map to the model's output (the "Model output" button)."""
        self.pin_neuron(None)

    def _restyle(self) -> None:
        self._dirty = True
        self.refresh()

    def clear(self) -> None:
        """Drop the model's output (a new run or Reset); the data set's points stay."""
        self._boundary = None
        self._hovered = self._pinned = None
        self._predictions = None
        self._dirty = True
        self.refresh()

    def _draw(self) -> None:
        """Draw the latest boundary or predictions (cheap when nothing new arrived)."""
        self._draw_boundary()
        self._draw_predictions()

    def image(self) -> np.ndarray | None:
        """The RGBA heatmap shown under the points (the model's output, or the neuron map pointed at),
        (rows = x2, columns = x1, 4), or None."""
        return None if self._image_array is None else self._image_array.copy()

    def confusion(self) -> np.ndarray | None:
        """The confusion matrix shown (rows: true class, columns: predicted), or None."""
        return None if self._confusion is None else self._confusion.copy()

    # -- what is drawn, read back as a user would see it (for tests) -----------------------------
    def boundary_at(self, x1: float, x2: float) -> np.ndarray | None:
        """The RGBA of the heatmap drawn at the plane's point (``x1``, ``x2``), None where there is none."""
        return image_value_at(self._heatmap, x1, x2)

    def confusion_at(self, x: float, y: float) -> float | None:
        """The count the confusion matrix's colour shows at (``x``, ``y``): the cell of predicted class
        ``floor(x)`` and true class ``floor(y)``; None outside the matrix."""
        value = image_value_at(self._confusion_image, x, y)
        return None if value is None else float(value)

    def cell_texts(self) -> list[tuple[float, float, str]]:
        """(x, y, text) of the counts written on the confusion matrix's cells."""
        return [(text.pos().x(), text.pos().y(), text.toPlainText()) for text in self._cell_texts]

    def shown_points(self, which: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions (n, 2) and fill colours (n, 3) of the "train" or "test" points drawn on the
        boundary plot (none while they are hidden)."""
        item = {"train": self._train_points, "test": self._test_points}[which]
        return scatter_points(item) if item.isVisible() else (np.zeros((0, 2)), np.zeros((0, 3), np.uint8))

    def predicted_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The predicted-versus-true plot's points: (true values across, predicted values up)."""
        x, y = self._scatter.getData()
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def legend(self) -> list[tuple[str, str]]:
        """(text, "#rrggbb" colour of its sample point) of each legend entry of the boundary plot
        ("" for the "+N more" entry, which has none)."""
        return [(label.text, sample.item.opts["brush"].color().name() if sample.item.opts["size"] else "")
                for sample, label in self._legend.items]

    def colour_bar(self) -> tuple[float, float, str, np.ndarray] | None:
        """The colour scale beside the boundary plot as drawn: its lowest and highest value, its label and
        its colours from low to high (256 RGB rows); None while it is hidden."""
        bar = self._colour_bar
        if not bar.isVisible():
            return None
        image = bar.bar.pixmap().toImage()
        colours = np.array([image.pixelColor(0, row).getRgb()[:3] for row in range(image.height())])
        low, high = bar.levels()
        return float(low), float(high), bar.getAxis("right").labelText, colours

    def shown_map(self) -> str:
        """What the boundary plot shows: "" for the model's output, else the neuron's name."""
        node = self._shown_node()
        return "" if node is None else node[2]

    # -- 2-D sets -------------------------------------------------------------------------------
    def _show_points(self, ds: Dataset) -> None:
        if ds.task == "regression":
            targets = np.concatenate([ds.y_train, ds.y_test])
            self._value_range = (float(targets.min()), float(targets.max()))
        # train points: a white rim on tinted ground; regression's near-zero targets are white, so grey
        self._train_points.setPen(pg.mkPen("#9a9a9a" if ds.task == "regression" else "w", width=1))
        for item, points, labels in ((self._train_points, ds.points_train, ds.y_train),
                                     (self._test_points, ds.points_test, ds.y_test)):
            item.setData(pos=points, brush=brushes(self._point_colours(ds, labels)))
        self._legend.clear()
        if ds.task != "regression":
            entries = list(zip(ds.class_names, class_colours(ds.num_classes)))
            shown = entries if len(entries) <= MAX_LEGEND else entries[:MAX_LEGEND - 1]
            for name, colour in shown:
                sample = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen("w"), brush=pg.mkBrush(colour))
                self._legend.addItem(sample, class_label(name))
            if len(shown) < len(entries):
                more = self.tr("+{0} more").format(len(entries) - len(shown))
                self._legend.addItem(pg.ScatterPlotItem(size=0, pen=None), more)
        x0, x1, y0, y1 = ds.extent
        self.boundary_plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        names, same_units = plane_axes(ds)
        self.boundary_plot.setAspectLocked(same_units)
        set_texts(self.boundary_plot, bottom=names[0], left=names[1])
        self.boundary_plot.hint.item.setText(self.tr("Train, or press Step, to see the model's output."))
        self.boundary_plot.hint.set_visible(True)

    def _point_colours(self, ds: Dataset, labels: np.ndarray) -> np.ndarray:
        if ds.task == "regression":
            return diverging(labels, *self._value_range)
        palette = np.array([rgb(c) for c in class_colours(ds.num_classes)])
        return palette[np.asarray(labels).astype(np.intp)]

    def _shown_node(self) -> tuple[int, int, str] | None:
        """The neuron whose map is shown (hovered, else pinned), if the latest boundary has its map."""
        boundary = self._boundary
        for node in (self._hovered, self._pinned):
            if node is not None and boundary is not None and node[0] < len(boundary.neurons) \
                    and node[1] < boundary.neurons[node[0]].shape[-1]:
                return node
        return None

    def _draw_boundary(self) -> None:
        ds, boundary = self._dataset, self._boundary
        node = self._shown_node()
        self.back_button.setVisible(self._pinned is not None)
        if ds is None or not ds.is_2d or boundary is None:
            self._image_array = None
            self._heatmap.clear()
            self._colour_bar.setVisible(False)
            set_texts(self.boundary_plot, title=self.tr("Model output"))
            self.boundary_plot.hint.set_visible(True)
            return
        discrete = self.discretize_check.isChecked()
        if node is None:
            self._image_array = output_colours(boundary.output, ds.task, self._value_range, discrete)
            xs, ys = boundary.xs, boundary.ys
            title = self.tr("{0} at epoch {1}").format(_shown_quantity(ds), boundary.epoch)
            scale = None if ds.task == "multiclass" else ((0.0, 1.0) if ds.task == "binary" else self._value_range)
            label = _shown_quantity(ds)
        else:
            column, unit, name = node
            maps = boundary.neurons[column]
            top = neuron_scale(maps)
            self._image_array = _opaque(lighten(neuron_colours(maps[..., unit], top, discrete).astype(np.float64),
                                                BACKGROUND_LIGHTEN))
            xs, ys = boundary.neuron_xs, boundary.neuron_ys
            title = self.tr("{0} at epoch {1}").format(name, boundary.epoch)
            scale, label = (-top, top), name
        self._heatmap.setImage(self._image_array, autoLevels=False, levels=(0, 255))
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        self._heatmap.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys)))
        self._colour_bar.setVisible(scale is not None and not (discrete and (node is not None or ds.task == "binary")))
        if scale is not None:
            self._colour_bar.setLevels(scale)
            if self._colour_bar.getAxis("right").labelText != label:
                self._colour_bar.getAxis("right").setLabel(label, color=TEXT)
        set_texts(self.boundary_plot, title=title)
        self.boundary_plot.hint.set_visible(False)

    # -- other sets -----------------------------------------------------------------------------
    def _prepare_confusion(self, class_names: tuple[str, ...]) -> None:
        for item in self._cell_texts:
            self.confusion_plot.removeItem(item)
        k = len(class_names)
        self._cell_texts = []
        if k <= MAX_CELL_TEXT:
            font = QFont(self.font())
            font.setPointSizeF(12 if k <= 4 else 9)
            for i in range(k * k):
                text = pg.TextItem("", color=TEXT, anchor=(0.5, 0.5))
                text.setFont(font)
                text.setPos(i % k + 0.5, i // k + 0.5)
                self.confusion_plot.addItem(text)
                self._cell_texts.append(text)
        ticks = [[(i + 0.5, name) for i, name in enumerate(class_names)]]
        plot = self.confusion_plot.getPlotItem()
        plot.getAxis("bottom").setTicks(ticks)
        plot.getAxis("left").setTicks(ticks)
        plot.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)

    def _draw_predictions(self) -> None:
        ds, predictions = self._dataset, self._predictions
        self._confusion = None
        if ds is None or ds.is_2d or predictions is None:
            self._confusion_image.clear()
            for text in self._cell_texts:
                text.setText("")
            self._scatter.clear()
            set_texts(self.confusion_plot, title=self.tr("Confusion matrix (test set)"))
            set_texts(self.regression_plot, title=self.tr("Predicted vs true (test set)"))
            self.confusion_plot.hint.set_visible(True)
            self.regression_plot.hint.set_visible(True)
            return
        if ds.task == "regression":
            true = np.asarray(predictions.y_true, dtype=np.float64).ravel()
            pred = np.asarray(predictions.y_pred, dtype=np.float64).ravel()
            self._scatter.setData(true, pred)
            low, high = float(min(true.min(), pred.min())), float(max(true.max(), pred.max()))
            self._identity.setData([low, high], [low, high])
            mae = float(np.mean(np.abs(pred - true)))
            set_texts(self.regression_plot,
                      title=self.tr("Test set: MAE {0:.4g} at epoch {1}").format(mae, predictions.epoch))
            self.regression_plot.hint.set_visible(False)
            return
        k = ds.num_classes
        counts = confusion_matrix(predictions.y_true, predictions.y_pred, k)
        self._confusion = counts
        self._confusion_image.setImage(counts.astype(np.float64), autoLevels=False,
                                       levels=(0.0, max(float(counts.max()), 1.0)))
        self._confusion_image.setRect(QRectF(0, 0, k, k))  # after setImage: the rect scales its pixels
        top = max(int(counts.max()), 1)
        for i, text in enumerate(self._cell_texts):
            value = int(counts.flat[i])
            text.setText(str(value))
            text.setColor("w" if value > top / 2 else TEXT)
        accuracy = np.trace(counts) / max(int(counts.sum()), 1)
        set_texts(self.confusion_plot,
                  title=self.tr("Test set: accuracy {0:.1%} at epoch {1}").format(accuracy, predictions.epoch))
        self.confusion_plot.hint.set_visible(False)


def _demo() -> None:
    from playground.data import load_dataset
    from playground.plots import configure

    app = pg.mkQApp("Output")
    configure()
    view = OutputView()
    view.resize(520, 520)
    view.show()
    ds = load_dataset("circle")
    view.set_dataset(ds)
    xs = ys = np.linspace(ds.extent[0], ds.extent[1], 100, dtype=np.float32)
    radius = np.hypot(*np.meshgrid(xs, ys))
    state = {"epoch": 0}

    def tick() -> None:
        state["epoch"] += 10
        sharp = 0.2 + state["epoch"] / 200
        p = 1 / (1 + np.exp(-sharp * (3 - radius)))
        view.add_boundary(events.Boundary(state["epoch"], xs, ys, p[..., None]))
        view.refresh()

    timer = pg.QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    app.exec()


if __name__ == "__main__":
    _demo()
