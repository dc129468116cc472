"""Small widgets and helpers the panels share: names, activation curves, the problems box."""
from __future__ import annotations

import base64
import html
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QWidget

from playground.core import catalog
from playground.core.spec import Problem
from playground.ui import i18n


def named(widget: QWidget, name: str, accessible: str, tip: str = "") -> QWidget:
    """Give ``widget`` an objectName (for tests and scripts), an accessible name and a tooltip."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)
    return widget


def set_combo_data(combo: QComboBox, data) -> None:
    """Select the item holding ``data`` without emitting a change."""
    index = combo.findData(data)
    if index >= 0 and index != combo.currentIndex():
        was = combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(was)


def set_quiet(widget, value) -> None:
    """Set a spin box's value or a check box's state without emitting a change."""
    was = widget.blockSignals(True)
    if hasattr(widget, "setChecked"):
        widget.setChecked(bool(value))
    else:
        widget.setValue(value)
    widget.blockSignals(was)


class _UndoPassThrough(QObject):
    """Lets Undo/Redo reach the window's actions while a spin box has focus.

    A spin box would otherwise claim Ctrl+Z for its own text, so a user who just
    changed a value and pressed Ctrl+Z would undo nothing in the experiment.
    """

    KEYS = {QKeySequence(k)[0].toCombined() for k in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y")}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Filtered out, the override is not accepted by the spin box: the shortcut goes to the window.
        return event.type() == QEvent.Type.ShortcutOverride and event.keyCombination().toCombined() in self.KEYS


_UNDO_FILTER: _UndoPassThrough | None = None


def undo_passes_through(*spins: QAbstractSpinBox) -> None:
    """Make Ctrl+Z / Ctrl+Shift+Z in these spin boxes undo and redo experiment edits."""
    global _UNDO_FILTER
    if _UNDO_FILTER is None:
        _UNDO_FILTER = _UndoPassThrough()
    for spin in spins:
        spin.installEventFilter(_UNDO_FILTER)


# -- activation curves ----------------------------------------------------------------------------

def _curve_pixmap(activation_id: str, width: int, height: int) -> QPixmap:
    act = catalog.activation(activation_id)
    xs = np.linspace(-3.0, 3.0, 61)
    ys = np.asarray(act.fn(xs), dtype=float)
    lo, hi = min(ys.min(), -1.0), max(ys.max(), 1.0)
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.white)
    pad = 2

    def point(x: float, y: float) -> QPointF:
        return QPointF(pad + (x + 3) / 6 * (width - 2 * pad),
                       height - pad - (y - lo) / (hi - lo) * (height - 2 * pad))

    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#bbbbbb"), 1))
    painter.drawLine(point(-3, 0), point(3, 0))
    painter.drawLine(point(0, lo), point(0, hi))
    path = QPainterPath(point(xs[0], ys[0]))
    for x, y in zip(xs[1:], ys[1:]):
        path.lineTo(point(x, y))
    painter.setPen(QPen(QColor("#e8710a"), 2 if height > 24 else 1.5))
    painter.drawPath(path)
    painter.end()
    return pixmap


@lru_cache(maxsize=None)
def activation_icon(activation_id: str) -> QIcon:
    """A small curve of the activation, for combo box items."""
    return QIcon(_curve_pixmap(activation_id, 28, 18))


@lru_cache(maxsize=None)
def activation_tooltip(activation_id: str) -> str:
    """Rich-text tooltip: name, formula, range, explanation and a plot of the curve on [-3, 3].

    Cached per process: the interface language is fixed at start-up (see ``playground.ui.i18n``)."""
    act = catalog.activation(activation_id)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    _curve_pixmap(activation_id, 120, 72).save(buffer, "PNG")
    image = base64.b64encode(bytes(data)).decode("ascii")
    text = i18n.translate("widgets", "Range {0}. {1}").format(act.output_range, i18n.catalog(act.explanation))
    axis = i18n.translate("widgets", "x from −3 to 3")
    return (f"<b>{html.escape(act.name)}</b>: {html.escape(act.formula)}<br>{html.escape(text)}<br>"
            f'<img src="data:image/png;base64,{image}"> <small>{html.escape(axis)}</small>')


def fill_activations(combo: QComboBox, auto_text: str | None = None) -> None:
    """Fill ``combo`` with the catalog's activations (icon + rich tooltip), optionally an Auto entry first."""
    if auto_text is not None:
        combo.addItem(auto_text, "auto")
    for act in catalog.ACTIVATIONS.values():
        combo.addItem(activation_icon(act.id), act.name, act.id)
        combo.setItemData(combo.count() - 1, activation_tooltip(act.id), Qt.ItemDataRole.ToolTipRole)


def fill_entries(combo: QComboBox, entries, auto_text: str | None = None) -> None:
    """Fill ``combo`` with catalog entries: display name, Keras id as data, formula and explanation as tooltip."""
    if auto_text is not None:
        combo.addItem(auto_text, "auto")
    for entry in entries.values():
        combo.addItem(i18n.catalog(entry.name), entry.id)
        combo.setItemData(combo.count() - 1, f"{entry.formula}\n{i18n.catalog(entry.explanation)}",
                          Qt.ItemDataRole.ToolTipRole)


def sync_tooltip(combo: QComboBox) -> None:
    """Show the selected item's tooltip on the combo box itself."""
    combo.setToolTip(combo.currentData(Qt.ItemDataRole.ToolTipRole) or "")


class ProblemsLabel(QLabel):
    """Incompatible choices, each with its fix: in a red box where one stops training, in an amber one
    where all are warnings (training goes on); hidden when there are none."""

    STYLES = {
        "error": "QLabel { border: 1px solid #c62828; border-radius: 3px; background: #fdecea;"
                 " color: #8e1b1b; padding: 4px; }",
        "warning": "QLabel { border: 1px solid #b26a00; border-radius: 3px; background: #fff4e0;"
                   " color: #6d4100; padding: 4px; }",
    }

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet(self.STYLES["error"])
        self.setAccessibleName(self.tr("Problems"))
        self.severity = "error"  # the box's colour: "error" if anything stops training, else "warning"
        self.hide()

    def show_messages(self, problems: list[Problem], other: str = "") -> None:
        """Show ``problems`` (and an extra sentence ``other``, e.g. a data set that failed to load)."""
        def esc(text: str) -> str:
            return html.escape(text, quote=False)

        items = [f"<b>{esc(p.message)}</b> {esc(p.fix)}" for p in problems]
        if other:
            items.insert(0, f"<b>{esc(other)}</b>")
        severity = "warning" if not other and all(p.severity == "warning" for p in problems) else "error"
        if severity != self.severity:
            self.severity = severity
            self.setStyleSheet(self.STYLES[severity])
        self.setText("<br>".join(f"⚠ {item}" for item in items))
        self.setVisible(bool(items))
