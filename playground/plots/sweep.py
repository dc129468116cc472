"""The sweep view: a sweep's final test metric against each swept setting.

One small plot per swept setting: a point per finished run at its value of that setting (every
repeat and every value of the other settings), the mean over those runs as a line and their
min–max as a bar, and the best run (:func:`playground.core.sweep.best_row`) marked with a star in
each plot. Numbers are placed by value (on a log axis when they span a factor of ten or more, as a
log range does), anything else (activations, optimizers) in the order first seen.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QWidget

from playground.core.sweep import best_row, score_column
from playground.plots.style import BLUE, HINT, TEST, make_plot

MAX_PLOTS = 3
_NAMES = {"test_accuracy": "final test accuracy", "test_loss": "final test loss"}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


class SweepView(QWidget):
    """Final test metric per swept setting; :meth:`set_rows` with sweep.csv's rows (or the same
    rows as they come) redraws it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sweepView")
        self.setAccessibleName(self.tr("Sweep: the final test figure against each swept setting"))
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.plots: list[pg.PlotWidget] = []
        self._drawn: dict[str, dict] = {}
        self._items: dict[int, list] = {}  # what each plot draws now, removed before it is redrawn
        self.column = ""

    def set_rows(self, paths: list[str], rows: list[dict]) -> None:
        rows = [r for r in rows if r.get("status") == "finished"]
        self.column = score_column(rows)
        best = best_row(rows)
        paths = paths[:MAX_PLOTS]
        while len(self.plots) < len(paths):
            plot = make_plot(f"sweepPlot{len(self.plots)}", "", "", "", self.tr("No finished runs yet"))
            plot.setMouseEnabled(False, False)
            self._layout.addWidget(plot)
            self.plots.append(plot)
        for plot in self.plots[len(paths):]:
            plot.hide()
        self._drawn = {}
        for plot, path in zip(self.plots, paths):
            plot.show()
            self._draw(plot, path, rows, best)

    def _draw(self, plot: pg.PlotWidget, path: str, rows: list[dict], best: dict | None) -> None:
        for item in self._items.pop(id(plot), []):
            plot.removeItem(item)
        items = self._items[id(plot)] = []
        ys = np.array([_number(r.get(self.column)) if _number(r.get(self.column)) is not None else np.nan
                       for r in rows], dtype=float)
        values = [r.get(path) for r in rows]
        numeric = all(_number(v) is not None for v in values)
        positive = numeric and values and min(values) > 0
        log = bool(positive and max(values) / min(values) >= 10)
        if numeric:
            xs = np.array([math.log10(v) if log else float(v) for v in values], dtype=float)
            ticks = None
        else:
            order = list(dict.fromkeys(str(v) for v in values))
            xs = np.array([order.index(str(v)) for v in values], dtype=float)
            ticks = [list(enumerate(order))]
        plot.getAxis("bottom").setTicks(ticks)
        if ticks:
            plot.setXRange(-0.5, len(ticks[0]) - 0.5, padding=0)
        else:
            plot.enableAutoRange(axis="x")
        if log:
            plot.getAxis("bottom").setTicks([[(x, f"{10 ** x:.3g}") for x in sorted(set(xs.tolist()))]])
        plot.setTitle(path.rsplit(".", 1)[-1], size="9pt")
        plot.setLabel("bottom", path + (" (log scale)" if log else ""))
        plot.setLabel("left", _NAMES.get(self.column, self.column))
        plot.hint.set_visible(not rows)
        keep = ~np.isnan(ys)
        points = pg.ScatterPlotItem(xs[keep], ys[keep], size=7, pen=pg.mkPen(HINT), brush=pg.mkBrush(BLUE))
        items.append(points)
        summary = []
        for x in sorted(set(xs[keep].tolist())):
            at = ys[keep][xs[keep] == x]
            summary.append((x, float(at.mean()), float(at.min()), float(at.max())))
        if summary:
            sx, mean, low, high = (np.array(c) for c in zip(*summary))
            if numeric:  # a line between the means; choices get a mark each (no order between them)
                items.append(pg.PlotDataItem(sx, mean, pen=pg.mkPen(TEST, width=2)))
            else:
                items.append(pg.ScatterPlotItem(sx, mean, symbol="_", size=26, pen=pg.mkPen(TEST, width=2.5)))
            items.append(pg.ErrorBarItem(x=sx, y=mean, top=high - mean, bottom=mean - low, beam=0.0,
                                         pen=pg.mkPen(TEST, width=1.5)))
        star = None
        if best is not None and best in rows:
            i = rows.index(best)
            star = (float(xs[i]), float(ys[i]))
            items.append(pg.ScatterPlotItem([star[0]], [star[1]], symbol="star", size=18,
                                            pen=pg.mkPen("#333333"), brush=pg.mkBrush("#ffd21f")))
        for item in items:
            plot.addItem(item)
        self._drawn[path] = {"points": (xs[keep], ys[keep]), "summary": summary, "best": star, "log": log}

    # -- what is drawn (for tests and the dialog) -------------------------------------------------
    def points(self, path: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the runs' points in ``path``'s plot (x: log10 of the value on a log axis)."""
        return self._drawn[path]["points"]

    def summary(self, path: str) -> list[tuple[float, float, float, float]]:
        """(x, mean, min, max) per value of ``path``, as the line and bars draw them."""
        return self._drawn[path]["summary"]

    def best(self, path: str) -> tuple[float, float] | None:
        """Where the best run's star is in ``path``'s plot."""
        return self._drawn[path]["best"]
