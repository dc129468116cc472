"""The Lab dock: every loss for targets and outputs the user types, and each activation's curve.

All numbers come from :mod:`playground.core.lab` (NumPy, no TensorFlow), so the dock answers at
once, even while TensorFlow loads or a run trains.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog, lab
from playground.errors import PlaygroundError
from playground.plots.style import BLUE, HINT, ORANGE, make_plot
from playground.ui import i18n
from playground.ui.widgets import fill_activations, named

CURVE_X = np.linspace(-5.0, 5.0, 401)


class LabPanel(QWidget):
    """Loss lab (targets, outputs, a logits switch, a table of losses) over an activation plot."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.example = named(QComboBox(), "labExample", self.tr("Worked example"),
                             self.tr("Fill in a worked example from the notes"))
        self.example.addItem(self.tr("Worked examples from the notes…"), None)
        for example in lab.EXAMPLES:
            self.example.addItem(i18n.lab(example.title), example)
        self.targets = named(QLineEdit(), "labTargets", self.tr("Targets"), self.tr(
            "y_true: one row per sample, e.g. [[0, 1, 0], [0, 0, 1]], 0 1 0; 0 0 1, or class indices 1 2 for sparse"))
        self.predictions = named(QLineEdit(), "labPredictions", self.tr("Predictions"), self.tr(
            "y_pred: the model's outputs, shaped like the targets (one column per class)"))
        self.logits = named(QCheckBox(self.tr("Predictions are logits (from_logits=True)")), "labLogits",
                            self.tr("Predictions are logits"), self.tr(
                                "Raw scores before sigmoid/softmax: the cross-entropies then take from_logits=True"))
        self.error = named(QLabel(), "labError", self.tr("Lab input problem"))
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.printed = named(QLabel(), "labPrinted", self.tr("What the notes printed"))
        self.printed.setWordWrap(True)
        self.printed.setStyleSheet(f"color: {HINT};")
        columns = (self.tr("Loss"), self.tr("Value"))
        self.table = named(QTableWidget(0, len(columns)), "labLosses", self.tr("Losses"))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = len(catalog.LOSSES)  # every loss in view at once: the dock scrolls, not the table
        self.table.setMinimumHeight(rows * self.table.verticalHeader().defaultSectionSize()
                                    + self.table.horizontalHeader().sizeHint().height() + 4)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.details = named(QLabel(), "labDetails", self.tr("The selected loss: formula and Keras call"))
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._rows: list[lab.LossValue] = []

        self.activation = named(QComboBox(), "labActivation", self.tr("Activation"))
        fill_activations(self.activation)
        self.formula = named(QLabel(), "labFormula", self.tr("Activation formula"))
        self.formula.setWordWrap(True)
        self.plot = make_plot("labPlot", self.tr("Activation"), "x", "", "")
        self.plot.addLegend(offset=(8, 8))
        self.curve = self.plot.plot(pen=pg.mkPen(BLUE, width=2), name="f(x)")
        self.slope = self.plot.plot(pen=pg.mkPen(ORANGE, width=2, style=Qt.PenStyle.DashLine), name="f′(x)")
        self.plot.setMinimumHeight(200)

        losses = QGroupBox(self.tr("Losses"))
        form = QFormLayout()
        form.addRow(self.example)
        form.addRow(self.tr("Targets (y_true)"), self.targets)
        form.addRow(self.tr("Predictions (y_pred)"), self.predictions)
        form.addRow(self.logits)
        box = QVBoxLayout(losses)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.printed)
        box.addWidget(self.table, 1)
        box.addWidget(self.details)
        activations = QGroupBox(self.tr("Activations"))
        box = QVBoxLayout(activations)
        box.addWidget(self.activation)
        box.addWidget(self.formula)
        box.addWidget(self.plot, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(losses, 3)
        layout.addWidget(activations, 2)

        self.example.currentIndexChanged.connect(self._example_chosen)
        self.targets.textChanged.connect(self.recompute)
        self.predictions.textChanged.connect(self.recompute)
        self.logits.toggled.connect(self.recompute)
        self.activation.currentIndexChanged.connect(self._draw_activation)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.example.setCurrentIndex(1)
        self.activation.setCurrentIndex(self.activation.findData("sigmoid"))
        self._draw_activation()

    @Slot()
    def _example_chosen(self) -> None:
        example: lab.Example | None = self.example.currentData()
        if example is None:
            return
        for widget, value in ((self.targets, example.y_true), (self.predictions, example.y_pred),
                              (self.logits, example.from_logits)):
            widget.blockSignals(True)
            widget.setChecked(value) if isinstance(widget, QCheckBox) else widget.setText(value)
            widget.blockSignals(False)
        self.recompute()
        self.table.selectRow(list(catalog.LOSSES).index(example.loss))

    @Slot()
    def recompute(self) -> None:
        """The table for the typed values; a sentence instead when they are not numbers."""
        example: lab.Example | None = self.example.currentData()
        if example and (self.targets.text(), self.predictions.text(), self.logits.isChecked()) != (
                example.y_true, example.y_pred, example.from_logits):
            self.example.blockSignals(True)
            self.example.setCurrentIndex(0)  # edited: no longer the notes' example
            self.example.blockSignals(False)
            example = None
        self.printed.setText(self.tr("The notes printed {0} for {1}.").format(
            example.printed, i18n.catalog(catalog.LOSSES[example.loss].name).lower())
            if example else "")
        try:
            rows = lab.evaluate(self.targets.text(), self.predictions.text(), self.logits.isChecked())
        except PlaygroundError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self._rows = []
            self.table.setRowCount(0)
            self._show_details()
            return
        self.error.hide()
        self._rows = rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            value = lab.shown(row.value) if row.value is not None else "—"
            note = _note(row)
            for column, text in enumerate((i18n.catalog(row.name), value)):
                item = QTableWidgetItem(f"{text} *" if column == 1 and note and row.value is not None else text)
                item.setToolTip(note or text)  # why a loss does not apply, or what the notes printed
                if row.value is None:
                    item.setForeground(QColor(HINT))
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, column, item)
        self._show_details()

    @Slot()
    def _show_details(self) -> None:
        """The selected loss's formula, Keras call and note, under the table (which stays narrow)."""
        selected = self.table.selectionModel().selectedRows()
        if not selected or not self._rows:
            self.details.setText(self.tr("Select a loss to see its formula and Keras call."))
            return
        row = self._rows[selected[0].row()]
        note = f"<br><i>{html.escape(_note(row))}</i>" if row.note_template else ""
        self.details.setText(f"<b>{html.escape(i18n.catalog(row.name))}</b>: {html.escape(row.formula)}<br>"
                             f"<code>{html.escape(row.keras_call)}</code>{note}")

    @Slot()
    def _draw_activation(self) -> None:
        act = catalog.activation(self.activation.currentData())
        y, slope = lab.activation_curve(act.id, CURVE_X)
        self.curve.setData(CURVE_X, y)
        self.slope.setData(CURVE_X, slope)
        text = self.tr("range {0}. {1}").format(act.output_range, i18n.catalog(act.explanation))
        self.formula.setText(f"<b>{html.escape(act.name)}</b>: {html.escape(act.formula)} — {html.escape(text)}")


def _note(row: lab.LossValue) -> str:
    """The row's note in the interface language, its values filled in ("" if none)."""
    return i18n.lab(row.note_template).format(*row.note_values) if row.note_template else ""
