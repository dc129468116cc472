"""The plots' shared axis: its grid and tick lines, filled rather than stroked, must draw the pixels
pyqtgraph's own axis draws."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from playground import plots
from playground.plots.style import Axis, LogAxis


def drawn(qtbot, axis, size, x_range, y_range) -> np.ndarray:
    """A plot with a grid and a line, as the views make them, grabbed as RGB pixels."""
    plots.configure()
    plot = pg.PlotWidget(axisItems={"left": axis("left"), "bottom": axis("bottom")})
    qtbot.addWidget(plot)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.getAxis("left").setStyle(tickLength=-4)  # tick marks inside the plot too
    plot.resize(*size)
    plot.setXRange(*x_range, padding=0)
    plot.setYRange(*y_range, padding=0)
    plot.plot(np.arange(50), np.sin(np.arange(50) / 5))
    plot.show()
    qtbot.waitExposed(plot)
    for _ in range(3):  # the axes' text space settles
        QApplication.processEvents()
        qtbot.wait(20)
    image = plot.grab().toImage()
    return np.array(image.constBits()).reshape(image.height(), image.width(), 4)[:, :, :3].astype(int)


@pytest.mark.parametrize("size, x_range, y_range", [
    ((500, 300), (0, 37.3), (-1.2, 1.7)),
    ((613, 287), (0, 100), (0, 1)),
    ((900, 455), (3.3, 1234.5), (0.013, 0.78)),
])
@pytest.mark.parametrize("axis", [Axis, LogAxis])
def test_the_grid_is_drawn_as_pyqtgraph_draws_it(qtbot, axis, size, x_range, y_range):
    theirs = drawn(qtbot, pg.AxisItem, size, x_range, y_range)
    ours = drawn(qtbot, axis, size, x_range, y_range)
    assert ours.shape == theirs.shape
    differ = np.abs(ours - theirs).max(axis=2) > 0
    # A line that falls exactly between two pixels may land on the other one: at most one line moved.
    height, width = differ.shape
    assert differ.sum() <= 2 * max(width, height), \
        f"{differ.sum()} pixels differ, in rows {sorted(set(np.nonzero(differ)[0].tolist()))[:10]}"
    ink = lambda rgb: (255 - rgb).sum()  # noqa: E731 - how much the grid and the line darken the plot
    assert ink(ours) == pytest.approx(ink(theirs), rel=0.01)
