"""A small scatter preview of a data set for the Data panel."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.data import Dataset
from playground.data.dataset import cross_features
from playground.plots.style import (HINT, Axis, brushes, class_colours, diverging, neuron_colours, neuron_scale,
                                    plane_axes, rgb, scatter_points)

translate = QCoreApplication.translate
MAX_POINTS = 2000  # a seeded sample of bigger sets keeps the preview (and its PCA) quick


THUMBNAIL_EXTENT = 6.0  # TensorFlow Playground's plane, -6 to 6 on both axes


def feature_thumbnail(feature: str, size: int) -> QPixmap:
    """A ``size`` pixel square heatmap of one input ``feature`` over the plane, as TensorFlow Playground
    shows each feature beside its name: orange negative, white 0, blue positive (x₁ grows to the right,
    x₂ upwards)."""
    axis = np.linspace(-THUMBNAIL_EXTENT, THUMBNAIL_EXTENT, size, dtype=np.float32)
    x1, x2 = np.meshgrid(axis, axis[::-1])  # the top row is the largest x2
    values = cross_features(np.column_stack([x1.ravel(), x2.ravel()]), [feature])[:, 0].reshape(size, size)
    rows = np.ascontiguousarray(neuron_colours(values, neuron_scale(values)).astype(np.uint8))
    image = QImage(rows.data, size, size, rows.strides[0], QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image)


def projection(x: np.ndarray) -> np.ndarray:
    """The rows of ``x`` on the first two principal components of its standardized columns (numpy SVD)."""
    spread = x.std(axis=0)
    scaled = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    _, _, vt = np.linalg.svd(scaled, full_matrices=False)
    return scaled @ vt[:2].T


def _coordinates(ds: Dataset, points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, str, bool]:
    """2-D coordinates to draw, what they are, and whether both axes share units."""
    if ds.is_2d:
        names, same_units = plane_axes(ds)
        return points, translate("DataPreview", "{0} across, {1} up").format(*names), same_units
    if ds.input_dim > 2:
        what = translate("DataPreview", "first two principal components of {0} standardized features").format(
            ds.input_dim)
        return projection(points), what, False
    what = translate("DataPreview", "{0} across, {1} up").format(ds.feature_names[0], ds.target_name)
    return np.column_stack([points[:, 0], labels]), what, False


class DataPreview(QWidget):
    """The points of a data set: raw 2-D points, or the first two features, or a PCA projection."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self.setAccessibleName(self.tr("Data preview"))
        self.plot = pg.PlotWidget(axisItems={"left": Axis("left"), "bottom": Axis("bottom")})
        self.plot.setObjectName("previewPlot")
        self.plot.setAccessibleName(self.tr("Preview of the data set's points"))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setStyle(tickLength=-4, tickFont=self._small_font())
        self._points = pg.ScatterPlotItem(size=5, pen=pg.mkPen(255, 255, 255, 160, width=0.6))
        self.plot.addItem(self._points)
        self.caption = QLabel()
        self.caption.setObjectName("previewCaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet(f"color: {HINT};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self.clear()

    def _small_font(self):
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 2, 6))
        return font

    def set_dataset(self, ds: Dataset) -> None:
        """Draw ``ds``'s train and test points coloured by class (or by target for regression)."""
        points = np.concatenate([ds.points_train, ds.points_test] if ds.is_2d else [ds.x_train, ds.x_test])
        labels = np.concatenate([ds.y_train, ds.y_test])
        total = len(labels)
        if total > MAX_POINTS:
            keep = np.sort(np.random.default_rng(0).choice(total, MAX_POINTS, replace=False))
            points, labels = points[keep], labels[keep]
        points, what, same_units = _coordinates(ds, np.asarray(points, dtype=np.float64), labels)
        if ds.task == "regression":
            colours = diverging(labels, float(labels.min()), float(labels.max()))
            colour_by = ds.target_name
        else:
            colours = np.array([rgb(c) for c in class_colours(ds.num_classes)])[labels.astype(np.intp)]
            colour_by = self.tr("class")
        self._points.setData(pos=points, brush=brushes(colours))
        self.plot.setAspectLocked(same_units)
        self.plot.enableAutoRange()
        sample = (self.tr("{0:,} points").format(len(labels)) if len(labels) == total else
                  self.tr("{0:,} of {1:,} points").format(len(labels), total))
        self.caption.setText(self.tr("{0}: {1}; colour: {2}").format(sample, what, colour_by))

    def clear(self) -> None:
        """No data set: an empty plot and a hint."""
        self._points.clear()
        self.caption.setText(self.tr("Choose a data set to preview its points."))

    def point_count(self) -> int:
        return len(self._points.data)

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions (n, 2) and fill colours (n, 3) of the points drawn, train points first."""
        return scatter_points(self._points)


def _demo() -> None:
    from playground.data import load_dataset
    from playground.plots import configure

    app = pg.mkQApp("Preview")
    configure()
    view = DataPreview()
    view.resize(320, 260)
    view.set_dataset(load_dataset("spiral"))
    view.show()
    app.exec()


if __name__ == "__main__":
    _demo()
