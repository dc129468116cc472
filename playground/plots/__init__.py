"""pyqtgraph views fed from engine events: curves, weights, model output, network diagram, data preview."""
import pyqtgraph as pg

from playground.plots.curves import CurvesView
from playground.plots.network import NetworkView
from playground.plots.output import OutputView
from playground.plots.preview import DataPreview
from playground.plots.weights import WeightsView


def configure() -> None:
    """pyqtgraph's global look for every view: white background, dark text, antialiasing (call once)."""
    pg.setConfigOptions(antialias=True, background="w", foreground="k")


__all__ = ["CurvesView", "DataPreview", "NetworkView", "OutputView", "WeightsView", "configure"]
