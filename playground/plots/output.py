"""What the model outputs: the decision boundary of a 2-D set, else a confusion matrix or predicted vs true."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

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
    lighten,
    make_plot,
    plane_axes,
    rgb,
    scatter_points,
    set_texts,
)

BACKGROUND_LIGHTEN = 0.3  # the heatmap is paler than the points drawn on it
POINT_SIZE = 7
MAX_CELL_TEXT = 12  # classes up to which confusion cells show their counts
CONFUSION_COLOURS = pg.ColorMap([0.0, 1.0], ["#ffffff", BLUE])


def output_colours(output: np.ndarray, task: str, value_range: tuple[float, float]) -> np.ndarray:
    """RGBA (uint8) of a model output grid (rows, cols, units) for ``task``.

    binary: orange-white-blue over P(class 1); multiclass: the arg-max class's colour,
    whiter the less sure the model is; regression: orange-white-blue over ``value_range``.
    """
    if task == "binary":
        colour = diverging(output[..., 0], 0.0, 1.0).astype(np.float64)
    elif task == "multiclass":
        units = output.shape[-1]
        palette = np.array([rgb(c) for c in class_colours(units)])
        best = output.argmax(axis=-1)
        sure = (output.max(axis=-1) - 1.0 / units) / (1.0 - 1.0 / units)
        colour = lighten(palette[best], 1.0 - np.clip(sure, 0.0, 1.0))
    else:
        colour = diverging(output[..., 0], *value_range).astype(np.float64)
    colour = lighten(colour, BACKGROUND_LIGHTEN)
    alpha = np.full(colour.shape[:-1] + (1,), 255.0)
    return np.concatenate([colour, alpha], axis=-1).round().astype(np.uint8)


def class_label(name: str) -> str:
    """The label of a class: "class 1" for a bare number, else its name."""
    return f"class {name}" if name.isdigit() else name


def _shown_quantity(ds: Dataset) -> str:
    if ds.task == "binary":
        return f"P({class_label(ds.class_names[1])})"
    return "Most likely class" if ds.task == "multiclass" else f"Predicted {ds.target_name}"


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
        self.setAccessibleName("Model output")
        self._dataset: Dataset | None = None
        self._boundary: events.Boundary | None = None
        self._predictions: events.Predictions | None = None
        self._image_array: np.ndarray | None = None
        self._confusion: np.ndarray | None = None
        self._value_range = (0.0, 1.0)
        self._cell_texts: list[pg.TextItem] = []

        self.stack = QStackedWidget()
        self.stack.addWidget(self._boundary_page())
        self.confusion_plot = make_plot("confusionPlot", "Confusion matrix", "predicted class", "true class",
                                        "Train to see the test set's confusion matrix.")
        self._confusion_image = pg.ImageItem(axisOrder="row-major")
        self._confusion_image.setColorMap(CONFUSION_COLOURS)
        self.confusion_plot.addItem(self._confusion_image)
        view = self.confusion_plot.getPlotItem().getViewBox()
        view.invertY(True)
        view.setAspectLocked(True)
        view.setMouseEnabled(False, False)
        self.confusion_plot.showGrid(x=False, y=False)
        self.stack.addWidget(self.confusion_plot)
        self.regression_plot = make_plot("regressionPlot", "Predicted vs true", "true value", "predicted value",
                                         "Train to see the test set's predictions.")
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
        self.test_check = QCheckBox("Show test data")
        self.test_check.setObjectName("showTestCheck")
        self.test_check.setToolTip("Draw the test points (dark outline) as well as the training points.")
        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 0)
        controls.addWidget(self.test_check)
        controls.addStretch(1)
        self.boundary_plot = make_plot("boundaryPlot", "Model output", "x1", "x2",
                                       "Choose a data set to see the model's output.")
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
            set_texts(self.regression_plot, bottom=f"true {ds.target_name}", left=f"predicted {ds.target_name}")
            low, high = self._value_range
            self._identity.setData([low, high], [low, high])
        else:
            self.stack.setCurrentIndex(1)
            self._prepare_confusion(ds.class_names)

    @Slot(object)
    def add_boundary(self, boundary: events.Boundary) -> None:
        """Keep the latest output grid; the next refresh draws it."""
        self._boundary = boundary
        self._dirty = True

    @Slot(object)
    def add_predictions(self, predictions: events.Predictions) -> None:
        """Keep the latest test predictions; the next refresh draws them."""
        self._predictions = predictions
        self._dirty = True

    def clear(self) -> None:
        """Drop the model's output (a new run or Reset); the data set's points stay."""
        self._boundary = None
        self._predictions = None
        self._dirty = True
        self.refresh()

    def _draw(self) -> None:
        """Draw the latest boundary or predictions (cheap when nothing new arrived)."""
        self._draw_boundary()
        self._draw_predictions()

    def image(self) -> np.ndarray | None:
        """The RGBA heatmap shown under the points, (rows = x2, columns = x1, 4), or None."""
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
        """(text, "#rrggbb" colour of its sample point) of each legend entry of the boundary plot."""
        return [(label.text, sample.item.opts["brush"].color().name()) for sample, label in self._legend.items]

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
            for name, colour in zip(ds.class_names, class_colours(ds.num_classes)):
                sample = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen("w"), brush=pg.mkBrush(colour))
                self._legend.addItem(sample, class_label(name))
        x0, x1, y0, y1 = ds.extent
        self.boundary_plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        names, same_units = plane_axes(ds)
        self.boundary_plot.setAspectLocked(same_units)
        set_texts(self.boundary_plot, bottom=names[0], left=names[1])
        self.boundary_plot.hint.item.setText("Train, or press Step, to see the model's output.")
        self.boundary_plot.hint.set_visible(True)

    def _point_colours(self, ds: Dataset, labels: np.ndarray) -> np.ndarray:
        if ds.task == "regression":
            return diverging(labels, *self._value_range)
        palette = np.array([rgb(c) for c in class_colours(ds.num_classes)])
        return palette[np.asarray(labels).astype(np.intp)]

    def _draw_boundary(self) -> None:
        ds, boundary = self._dataset, self._boundary
        if ds is None or not ds.is_2d or boundary is None:
            self._image_array = None
            self._heatmap.clear()
            set_texts(self.boundary_plot, title="Model output")
            self.boundary_plot.hint.set_visible(True)
            return
        self._image_array = output_colours(boundary.output, ds.task, self._value_range)
        self._heatmap.setImage(self._image_array, autoLevels=False, levels=(0, 255))
        xs, ys = boundary.xs, boundary.ys
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        self._heatmap.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys)))
        set_texts(self.boundary_plot, title=f"{_shown_quantity(ds)} at epoch {boundary.epoch}")
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
            set_texts(self.confusion_plot, title="Confusion matrix (test set)")
            set_texts(self.regression_plot, title="Predicted vs true (test set)")
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
            set_texts(self.regression_plot, title=f"Test set: MAE {mae:.4g} at epoch {predictions.epoch}")
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
        set_texts(self.confusion_plot, title=f"Test set: accuracy {accuracy:.1%} at epoch {predictions.epoch}")
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
