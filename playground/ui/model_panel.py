"""The Model panel: the stack of Dense layers, the output layer, a live parameter count and problems."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal, Slot
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog
from playground.core.build import layer_table
from playground.core.spec import LayerSpec, Problem
from playground.ui import commands
from playground.ui.state import ExperimentState
from playground.ui.widgets import (
    ProblemsLabel,
    fill_activations,
    fill_entries,
    named,
    set_combo_data,
    set_quiet,
    sync_tooltip,
    undo_passes_through,
)

REGULARIZERS = (("kernel_l1", QT_TRANSLATE_NOOP("LayerRow", "Kernel L1")),
                ("kernel_l2", QT_TRANSLATE_NOOP("LayerRow", "Kernel L2")),
                ("bias_l1", QT_TRANSLATE_NOOP("LayerRow", "Bias L1")),
                ("bias_l2", QT_TRANSLATE_NOOP("LayerRow", "Bias L2")))


def _small_spin(maximum: float, step: float, decimals: int) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, maximum)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setKeyboardTracking(False)
    return spin


class LayerRow(QWidget):
    """One hidden layer: units, activation, and (behind "⋯") initializer, L1/L2, dropout and bias."""

    edited = Signal(int, str, object)  # layer index, LayerSpec field, value
    resized = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = 0
        self.handle = QLabel("⠿")
        self.handle.setToolTip(self.tr("Drag to reorder"))
        self.title = QLabel()
        self.title.setMinimumWidth(58)
        self.units = named(QSpinBox(), "unitsSpin", self.tr("Units"),
                           self.tr("Number of units (neurons) in this layer"))
        self.units.setRange(1, 8192)
        self.units.setKeyboardTracking(False)
        self.activation = named(QComboBox(), "activationCombo", self.tr("Activation"))
        fill_activations(self.activation)
        self.activation.setIconSize(QSize(28, 18))
        self.activation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activation.setMinimumContentsLength(7)
        self.more = named(QToolButton(), "optionsButton", self.tr("More options"),
                          self.tr("Initializer, L1/L2 regularization, dropout and bias"))
        self.more.setText("⋯")
        self.more.setCheckable(True)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.handle)
        top.addWidget(self.title)
        top.addWidget(self.units)
        top.addWidget(self.activation, 1)
        top.addWidget(self.more)

        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(18, 0, 0, 4)
        self.initializer = named(QComboBox(), "initializerCombo", self.tr("Kernel initializer"))
        fill_entries(self.initializer, catalog.INITIALIZERS)
        form.addRow(self.tr("Initializer"), self.initializer)
        self.regularizers: dict[str, QDoubleSpinBox] = {}
        for field, label in REGULARIZERS:
            label = self.tr(label)
            spin = named(_small_spin(10.0, 0.001, 5), f"{field}Spin", label,
                         self.tr("{0} regularization factor (0: off); adds it times {1} to the loss").format(
                             label, "Σ|w|" if field.endswith("l1") else "Σw²"))
            form.addRow(label, spin)
            self.regularizers[field] = spin
        self.dropout = named(_small_spin(0.95, 0.05, 2), "dropoutSpin", self.tr("Dropout"),
                             self.tr("Share of this layer's outputs set to zero at random while training"))
        form.addRow(self.tr("Dropout"), self.dropout)
        self.bias = named(QCheckBox(self.tr("Use bias")), "biasCheck", self.tr("Use bias"),
                          self.tr("Add a trainable bias b to x·W"))
        undo_passes_through(self.units, self.dropout, *self.regularizers.values())
        form.addRow("", self.bias)
        self.details.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.details)

        self.units.valueChanged.connect(lambda v: self.edited.emit(self.index, "units", int(v)))
        self.activation.currentIndexChanged.connect(
            lambda i: self.edited.emit(self.index, "activation", self.activation.itemData(i)))
        self.initializer.currentIndexChanged.connect(
            lambda i: self.edited.emit(self.index, "kernel_initializer", self.initializer.itemData(i)))
        for field, spin in self.regularizers.items():
            spin.valueChanged.connect(lambda v, f=field: self.edited.emit(self.index, f, float(v)))
        self.dropout.valueChanged.connect(lambda v: self.edited.emit(self.index, "dropout", float(v)))
        self.bias.toggled.connect(lambda on: self.edited.emit(self.index, "use_bias", bool(on)))
        self.more.toggled.connect(self._toggle_details)

    def set_layer(self, index: int, layer: LayerSpec) -> None:
        """Show ``layer`` (the ``index``-th hidden layer) without emitting edits."""
        self.index = index
        self.title.setText(self.tr("Hidden {0}").format(index + 1))
        self.setAccessibleName(self.tr("Hidden layer {0}").format(index + 1))
        set_quiet(self.units, layer.units)
        set_combo_data(self.activation, layer.activation)
        sync_tooltip(self.activation)
        set_combo_data(self.initializer, layer.kernel_initializer)
        sync_tooltip(self.initializer)
        for field, spin in self.regularizers.items():
            set_quiet(spin, getattr(layer, field))
        set_quiet(self.dropout, layer.dropout)
        set_quiet(self.bias, layer.use_bias)
        extras = sum(1 for f, _ in REGULARIZERS if getattr(layer, f)) + (layer.dropout > 0) + (not layer.use_bias)
        self.more.setText(f"⋯{extras}" if extras else "⋯")

    @Slot(bool)
    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.resized.emit()


class LayerList(QListWidget):
    """The hidden layers; drag and drop asks for a move instead of moving items itself."""

    moveRequested = Signal(int, int)  # source row, target row

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As tall as its rows (within limits), so the panel asks for the room it really needs."""
        rows = sum(self.sizeHintForRow(i) for i in range(self.count()))
        return QSize(super().sizeHint().width(), max(self.minimumHeight(), min(rows + 2 * self.frameWidth() + 4, 360)))

    def drop_target(self, event: QDropEvent) -> int:
        """The row the dragged layer should end up at."""
        index = self.indexAt(event.position().toPoint())
        if not index.isValid():
            return self.count() - 1
        row = index.row()
        rect = self.visualRect(index)
        below = event.position().y() > rect.center().y()
        target = row + 1 if below else row
        return target - 1 if target > self.currentRow() else target

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        source = self.currentRow()
        if event.source() is not self or source < 0:
            event.ignore()
            return
        target = self.drop_target(event)
        event.setDropAction(Qt.DropAction.IgnoreAction)  # the state moves it; Qt must not remove rows
        event.accept()
        if target != source:
            self.moveRequested.emit(source, target)


class SummaryTable(QTableWidget):
    """The ``model.summary()`` table, as tall as its rows."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        rows = self.verticalHeader().length() + self.horizontalHeader().height()
        return QSize(super().sizeHint().width(), rows + 2 * self.frameWidth() + 2)


class ModelPanel(QWidget):
    """Edits ``experiment.model`` through the state."""

    def __init__(self, state: ExperimentState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.normalize = named(QCheckBox(self.tr("Normalize inputs")), "normalizeCheck", self.tr("Normalize inputs"),
                               self.tr("A Normalization layer first, adapted to the training data: each feature "
                                       "is shifted and scaled to mean 0 and variance 1"))
        self.inputs = QLabel()
        self.inputs.setObjectName("inputLabel")
        self.list = named(LayerList(), "layerList", self.tr("Hidden layers"),
                          self.tr("The hidden Dense layers, input side first; drag to reorder"))
        self.list.setMinimumHeight(110)
        self.add = named(QPushButton(self.tr("Add")), "addLayerButton", self.tr("Add layer"),
                         self.tr("Add a hidden layer after the selected one"))
        self.remove = named(QPushButton(self.tr("Remove")), "removeLayerButton", self.tr("Remove layer"),
                            self.tr("Remove the selected hidden layer"))
        self.duplicate = named(QPushButton(self.tr("Duplicate")), "duplicateLayerButton", self.tr("Duplicate layer"),
                               self.tr("Copy the selected hidden layer"))
        self.up = named(QToolButton(), "moveUpButton", self.tr("Move layer up"), self.tr("Move the selected layer up"))
        self.up.setArrowType(Qt.ArrowType.UpArrow)
        self.down = named(QToolButton(), "moveDownButton", self.tr("Move layer down"),
                          self.tr("Move the selected layer down"))
        self.down.setArrowType(Qt.ArrowType.DownArrow)
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.duplicate):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)

        self.output_frame = QFrame()
        self.output_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.output_units = QLabel()
        self.output_units.setObjectName("outputUnitsLabel")
        self.output_activation = named(QComboBox(), "outputActivationCombo", self.tr("Output activation"))
        fill_activations(self.output_activation, auto_text=self.tr("Auto"))
        self.output_activation.setIconSize(QSize(28, 18))
        self.output_activation.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.output_activation.setMinimumContentsLength(9)
        out_row = QHBoxLayout(self.output_frame)
        out_row.setContentsMargins(6, 3, 6, 3)
        out_row.addWidget(QLabel(self.tr("Output")))
        out_row.addWidget(self.output_units)
        out_row.addWidget(self.output_activation, 1)
        self.scale_targets = named(QCheckBox(self.tr("Scale targets")), "scaleTargetsCheck", self.tr("Scale targets"),
                                   self.tr("Regression: train on the targets standardized with the training "
                                           "data's mean and standard deviation; a last Rescaling layer gives "
                                           "predictions, MAE and exports in the targets' own units"))
        out_row.addWidget(self.scale_targets)

        self.summary = named(SummaryTable(0, 3), "summaryTable", self.tr("Model summary"),
                             self.tr("The layers Keras builds, with their parameter counts (like model.summary())"))
        self.summary.setHorizontalHeaderLabels([self.tr("Layer (type)"), self.tr("Output"), self.tr("Param #")])
        self.summary.verticalHeader().hide()
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.summary.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.summary.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.total = QLabel()
        self.total.setObjectName("totalParamsLabel")
        self.problems = ProblemsLabel()
        self.problems.setObjectName("modelProblems")

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)  # first, where it is seen
        top = QHBoxLayout()
        top.addWidget(self.inputs, 1)
        top.addWidget(self.normalize)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.output_frame)
        layout.addWidget(self.summary)
        layout.addWidget(self.total)
        layout.addStretch(1)

        self.normalize.toggled.connect(self._normalize_toggled)
        self.scale_targets.toggled.connect(self._scale_targets_toggled)
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        self.duplicate.clicked.connect(self._duplicate)
        self.up.clicked.connect(lambda: self._move_selected(-1))
        self.down.clicked.connect(lambda: self._move_selected(+1))
        self.list.moveRequested.connect(self.move_layer)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.output_activation.currentIndexChanged.connect(self._output_activation_chosen)
        state.changed.connect(self._changed)
        state.rejected.connect(self.sync)
        self._select_after: int | None = None
        self._outcome: Problem | None = None
        self.sync()

    # -- from the state ---------------------------------------------------------------------------
    def rows(self) -> list[LayerRow]:
        return [self.list.itemWidget(self.list.item(i)) for i in range(self.list.count())]

    @Slot(object)
    def _changed(self, parts: frozenset) -> None:
        """Redraw for an edit of this panel's part (else only the problems, which read the whole experiment)."""
        if parts & {"dataset", "model"}:
            self.sync()
        else:
            self.problems.show_messages(self.state.problems())

    @Slot()
    def sync(self) -> None:
        exp, ds = self.state.experiment, self.state.dataset
        layers = exp.model.layers
        while self.list.count() > len(layers):
            self.list.takeItem(self.list.count() - 1)
        while self.list.count() < len(layers):
            item = QListWidgetItem(self.list)
            row = LayerRow()
            row.edited.connect(self._layer_edited)
            row.resized.connect(self._update_sizes)
            self.list.setItemWidget(item, row)
        for i, (row, layer) in enumerate(zip(self.rows(), layers)):
            row.set_layer(i, layer)
        self._update_sizes()
        if self._select_after is not None:
            self.list.setCurrentRow(min(self._select_after, len(layers) - 1))
            self._select_after = None

        set_quiet(self.normalize, exp.model.normalize)
        task = ds.task if ds is not None else ""
        set_quiet(self.scale_targets, exp.model.scale_targets)
        self.scale_targets.setVisible(task == "regression")  # only a regression's targets are scaled
        units = ds.output_units if ds is not None else 0
        if ds is None:
            self.inputs.setText(self.tr("Input: —"))
        else:
            self.inputs.setText((self.tr("Input: {0} features") if ds.input_dim != 1 else
                                 self.tr("Input: {0} feature")).format(ds.input_dim))
        self.output_units.setText(
            (self.tr("{0} units") if units != 1 else self.tr("{0} unit")).format(units) if ds else "—")
        self.output_units.setToolTip(self.tr("Fixed by the data set: one unit per class for multi-class "
                                             "classification, else one"))
        auto = catalog.ACTIVATIONS[catalog.default_output_activation(task)].name if task else "—"
        self.output_activation.setItemText(0, self.tr("Auto ({0})").format(auto))
        set_combo_data(self.output_activation, exp.model.output_activation)
        sync_tooltip(self.output_activation)
        self._fill_summary()
        self.problems.show_messages(self.state.problems() + ([self._outcome] if self._outcome else []))
        self._update_buttons()

    def show_outcome(self, problem: Problem | None) -> None:
        """A warning about how the trained model did (see ``spec.no_better_than_mean``), shown with the
        problems until another model (None) replaces it."""
        if problem != self._outcome:
            self._outcome = problem
            self.problems.show_messages(self.state.problems() + ([problem] if problem else []))

    def _fill_summary(self) -> None:
        ds = self.state.dataset
        rows = [] if ds is None else layer_table(self.state.experiment, ds.input_dim, ds.output_units, ds.task)
        self.summary.setRowCount(len(rows))
        for i, row in enumerate(rows):
            name = f"{row.name} ({row.kind})" + (f" {row.activation}" if row.activation else "")
            for col, text in enumerate((name, f"(None, {row.output_units})", f"{row.parameters:,}")):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary.setItem(i, col, item)
        self.summary.updateGeometry()
        trainable = sum(r.parameters for r in rows if r.trainable)
        fixed = sum(r.parameters for r in rows if not r.trainable)
        self.total.setText(self.tr("Total params: <b>{0:,}</b> (trainable {1:,}, non-trainable {2:,})").format(
            trainable + fixed, trainable, fixed))

    @Slot()
    def _update_sizes(self) -> None:
        for i, row in enumerate(self.rows()):
            self.list.item(i).setSizeHint(row.sizeHint())
        self.list.updateGeometry()

    @Slot()
    def _update_buttons(self) -> None:
        count, current = self.list.count(), self.list.currentRow()
        self.add.setEnabled(count < commands.MAX_LAYERS)
        self.duplicate.setEnabled(0 <= current and count < commands.MAX_LAYERS)
        self.remove.setEnabled(count > 0)
        self.up.setEnabled(current > 0)
        self.down.setEnabled(0 <= current < count - 1)

    # -- edits ------------------------------------------------------------------------------------
    def _selected(self) -> int:
        """The selected layer, else the last one."""
        current = self.list.currentRow()
        return current if current >= 0 else self.list.count() - 1

    @Slot()
    def _add(self) -> None:
        index = self._selected() + 1
        self._select_after = index
        self.state.edit(self.tr("Add layer"), lambda exp: commands.add_layer(exp, index))

    @Slot()
    def _remove(self) -> None:
        index = self._selected()
        self._select_after = max(index - 1, 0)
        self.state.edit(self.tr("Remove hidden layer {0}").format(index + 1),
                        lambda exp: commands.remove_layer(exp, index))

    @Slot()
    def _duplicate(self) -> None:
        index = self._selected()
        self._select_after = index + 1
        self.state.edit(self.tr("Duplicate hidden layer {0}").format(index + 1),
                        lambda exp: commands.duplicate_layer(exp, index))

    def _move_selected(self, delta: int) -> None:
        index = self.list.currentRow()
        self.move_layer(index, index + delta)

    @Slot(int, int)
    def move_layer(self, source: int, target: int) -> None:
        self._select_after = target
        self.state.edit(self.tr("Move hidden layer {0}").format(source + 1),
                        lambda exp: commands.move_layer(exp, source, target))

    @Slot(int, str, object)
    def _layer_edited(self, index: int, field: str, value) -> None:
        self.list.setCurrentRow(index)
        label = field.replace("kernel_", "").replace("_", " ")
        self.state.edit(self.tr("Change {0} of hidden layer {1}").format(label, index + 1),
                        lambda exp: commands.set_layer(exp, index, field, value), key=f"layer.{index}.{field}")

    @Slot(bool)
    def _normalize_toggled(self, on: bool) -> None:
        self.state.edit(self.tr("Normalize inputs") if on else self.tr("Don't normalize inputs"),
                        lambda exp: setattr(exp.model, "normalize", on))

    @Slot(bool)
    def _scale_targets_toggled(self, on: bool) -> None:
        self.state.edit(self.tr("Scale targets") if on else self.tr("Don't scale targets"),
                        lambda exp: setattr(exp.model, "scale_targets", on))

    @Slot(int)
    def _output_activation_chosen(self, index: int) -> None:
        value = self.output_activation.itemData(index)
        self.state.edit(self.tr("Change output activation"), lambda exp: setattr(exp.model, "output_activation", value))
