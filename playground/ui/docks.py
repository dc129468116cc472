"""The window's docks and how it shares its area between them: the first geometry on a screen, the
default layout, and the sizes it gives the docks."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QSizePolicy, QWidget

FIRST_SIZE = QSize(1600, 1000)  # the first window's size where the screen has room for it
SCREEN_SHARE = 0.9  # ... and at most this share of the screen's free area where it has not


def first_geometry(available: QRect) -> QRect:
    """The first window: 1600x1000 but at most 90% of the screen's free area, centred on it.

    A fixed 1600x1000 put Train and the status bar below the bottom of a 1366x768 laptop screen.
    (A saved geometry that no longer fits is Qt's to fix: ``restoreGeometry`` shrinks and moves it
    onto the screen, or refuses it where the screen's width changed a lot, leaving this one.)
    """
    rect = QRect(QPoint(), FIRST_SIZE.boundedTo(available.size() * SCREEN_SHARE))
    rect.moveCenter(available.center())
    return rect


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: it scrolls vertically in a short window, never cut at the side."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    area.setMinimumWidth(widget.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
    area.setMinimumHeight(120)
    return area


def dock(window: QMainWindow, title: str, name: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
    result = QDockWidget(title, window)
    result.setObjectName(name)
    result.setWidget(scrolling(widget) if scroll else widget)
    return result


DOCKS = (  # key, title (translated when made), object name, the window's widget in it, whether it scrolls
    ("data", QT_TRANSLATE_NOOP("MainWindow", "Data"), "dataDock", "data_panel", False),
    ("model", QT_TRANSLATE_NOOP("MainWindow", "Model"), "modelDock", "model_panel", True),
    ("training", QT_TRANSLATE_NOOP("MainWindow", "Training"), "trainingDock", "training_panel", False),
    ("curves", QT_TRANSLATE_NOOP("MainWindow", "Curves"), "curvesDock", "curves", False),
    ("output", QT_TRANSLATE_NOOP("MainWindow", "Output"), "outputDock", "output", False),
    ("weights", QT_TRANSLATE_NOOP("MainWindow", "Weights"), "weightsDock", "weights", False),
    ("network", QT_TRANSLATE_NOOP("MainWindow", "Network"), "networkDock", "network", False),
    ("lab", QT_TRANSLATE_NOOP("MainWindow", "Loss && Activation Lab"), "labDock", "lab", True),
    ("runs", QT_TRANSLATE_NOOP("MainWindow", "Runs"), "runsDock", "runs_panel", False),
)


def make_docks(window) -> dict[str, QDockWidget]:
    """The docks of ``window`` (a MainWindow with its panels and views made), laid out by default."""
    d = {key: dock(window, QCoreApplication.translate("MainWindow", title), name, getattr(window, widget), scroll)
         for key, title, name, widget, scroll in DOCKS}
    # The left column (the data, the model behind it, and training) runs the window's full height; the
    # network and the output (the weights and the lab behind it) share the top of the rest, the curves
    # (the runs behind them) its bottom.
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    window.setCorner(Qt.Corner.BottomLeftCorner, left)
    window.setDockNestingEnabled(True)
    window.addDockWidget(left, d["data"])
    window.addDockWidget(left, d["training"])
    window.tabifyDockWidget(d["data"], d["model"])
    window.addDockWidget(right, d["network"])
    window.splitDockWidget(d["network"], d["output"], Qt.Orientation.Horizontal)
    window.addDockWidget(bottom, d["curves"])
    window.tabifyDockWidget(d["output"], d["weights"])  # the weights by epoch: a tab behind Output
    window.tabifyDockWidget(d["weights"], d["lab"])  # a lesson: a tab behind them, raised from View
    window.tabifyDockWidget(d["curves"], d["runs"])  # compare runs: a tab behind Curves
    d["output"].raise_()
    d["data"].raise_()
    d["curves"].raise_()
    return d


LEFT_WIDTH = (300, 380)  # the left column's width: at least (at 1366 wide), at most (at 1920 and more)
BOTTOM_SHARE = 0.3  # the curves' share of the height


def default_sizes(window) -> None:
    """Share the window between the docks: the panels a column on the left; the rest to the network
    and the output above (the network the larger), the curves below."""
    d, h, v = window.docks, Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    width, height = window.width(), window.height()
    left = max(LEFT_WIDTH[0], min(LEFT_WIDTH[1], int(width * 0.22)), d["data"].minimumSizeHint().width())
    rest = width - left
    output = min(int(rest * 0.42), int(height * (1 - BOTTOM_SHARE)) + 40)  # about square, with its colour bar
    window.resizeDocks([d["data"], d["network"], d["output"]], [left, rest - output, output], h)
    training = window.training_panel.preferred_height() + 50  # and the title bar
    window.resizeDocks([d["data"], d["training"]], [height - training, training], v)
    bottom = max(265, int(height * BOTTOM_SHARE))
    window.resizeDocks([d["network"], d["curves"]], [height - bottom, bottom], v)
