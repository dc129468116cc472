"""The Training panel: loss, optimizer and schedule, batch size, epochs, device, and the run controls."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog
from playground.ui import i18n
from playground.ui.state import ExperimentState
from playground.ui.widgets import (
    ProblemsLabel,
    fill_entries,
    named,
    set_combo_data,
    set_quiet,
    sync_tooltip,
    undo_passes_through,
)

DEVICE_NAMES = {"auto": QT_TRANSLATE_NOOP("TrainingPanel", "Auto"), "cpu": "CPU", "gpu": "GPU"}


class StepButton(QPushButton):
    """Emits ``step(batch)``: a click steps one epoch, a Shift+click one batch."""

    step = Signal(bool)

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._shift = False
        self.clicked.connect(lambda: self.step.emit(self._shift))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        super().mouseReleaseEvent(event)
        self._shift = False

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        super().keyReleaseEvent(event)
        self._shift = False


class TrainingPanel(QWidget):
    """Edits ``experiment.training``; holds the Train/Stop/Step/Reset buttons the window drives."""

    def __init__(self, state: ExperimentState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.loss = named(QComboBox(), "lossCombo", self.tr("Loss"))
        fill_entries(self.loss, catalog.LOSSES, auto_text=self.tr("Auto"))
        self.optimizer = named(QComboBox(), "optimizerCombo", self.tr("Optimizer"))
        fill_entries(self.optimizer, catalog.OPTIMIZERS)
        self.learning_rate = named(QDoubleSpinBox(), "learningRateSpin", self.tr("Learning rate"),
                                   self.tr("The optimizer's step size η"))
        self.learning_rate.setDecimals(5)
        self.learning_rate.setRange(0.00001, 10.0)
        self.learning_rate.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.momentum = named(QDoubleSpinBox(), "momentumSpin", self.tr("Momentum"),
                              self.tr("SGD's momentum μ (0: none)"))
        self.momentum.setRange(0.0, 0.999)
        self.momentum.setDecimals(3)
        self.momentum.setSingleStep(0.1)
        self.nesterov = named(QCheckBox("Nesterov"), "nesterovCheck", self.tr("Nesterov momentum"),
                              self.tr("Evaluate the gradient one momentum step ahead"))
        self.weight_decay = named(QDoubleSpinBox(), "weightDecaySpin", self.tr("Weight decay"),
                                  self.tr("AdamW's decoupled weight decay λ"))
        self.weight_decay.setRange(0.0, 1.0)
        self.weight_decay.setDecimals(4)
        self.weight_decay.setSingleStep(0.001)
        self.schedule = named(QComboBox(), "scheduleCombo", self.tr("Learning rate schedule"))
        fill_entries(self.schedule, catalog.SCHEDULES)
        self.decay_steps = named(QSpinBox(), "decayStepsSpin", self.tr("Decay steps"),
                                 self.tr("Optimizer steps (batches) over which the schedule decays"))
        self.decay_steps.setRange(1, 10_000_000)
        self.decay_rate = named(QDoubleSpinBox(), "decayRateSpin", self.tr("Decay rate"),
                                self.tr("Factor applied every decay_steps steps (exponential decay)"))
        self.decay_rate.setRange(0.01, 1.0)
        self.decay_rate.setDecimals(3)
        self.decay_rate.setSingleStep(0.05)
        self.batch_size = named(QSpinBox(), "batchSizeSpin", self.tr("Batch size"),
                                self.tr("Examples per optimizer step (batch_size)"))
        self.batch_size.setRange(1, 65536)
        self.epochs = named(QSpinBox(), "epochsSpin", self.tr("Epochs"),
                            self.tr("Passes over the training data per run; Train again for as many more"))
        self.epochs.setRange(1, 1_000_000)
        self.seed = named(QSpinBox(), "trainingSeedSpin", self.tr("Training seed"),
                          self.tr("Seed of the initial weights, dropout and shuffling"))
        self.seed.setRange(0, 2**31 - 1)
        self.device = named(QComboBox(), "deviceCombo", self.tr("Device"),
                            self.tr("Auto picks the GPU only for networks big enough to gain from it"))
        for device in catalog.DEVICES:
            self.device.addItem(self.tr(DEVICE_NAMES[device]), device)
        spins = (self.learning_rate, self.momentum, self.weight_decay, self.decay_steps, self.decay_rate,
                 self.batch_size, self.epochs, self.seed)
        for spin in spins:
            spin.setKeyboardTracking(False)
        undo_passes_through(*spins)

        form = self.form = QFormLayout()
        form.addRow(self.tr("Loss"), self.loss)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.learning_rate)
        sgd = QHBoxLayout()
        sgd.addWidget(self.momentum, 1)
        sgd.addWidget(self.nesterov)
        form.addRow(self.tr("Momentum"), sgd)
        form.addRow(self.tr("Weight decay"), self.weight_decay)
        form.addRow(self.tr("Schedule"), self.schedule)
        decay = QHBoxLayout()
        decay.addWidget(self.decay_steps, 1)
        decay.addWidget(self.decay_rate, 1)
        form.addRow(self.tr("Steps, rate"), decay)
        sizes = QHBoxLayout()
        sizes.addWidget(self.batch_size, 1)
        sizes.addWidget(self.epochs, 1)
        form.addRow(self.tr("Batch, epochs"), sizes)
        seed_device = QHBoxLayout()
        seed_device.addWidget(self.seed, 1)
        seed_device.addWidget(self.device, 1)
        form.addRow(self.tr("Seed, device"), seed_device)

        style = self.style()
        self.train = named(QPushButton(self.tr("Train")), "trainButton", self.tr("Train"))
        self.train.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.stop = named(QPushButton(self.tr("Stop")), "stopButton", self.tr("Stop"),
                          self.tr("Stop training (the weights are kept)"))
        self.stop.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.step = named(StepButton(self.tr("Step")), "stepButton", self.tr("Step"),
                          self.tr("Train one epoch; Shift+click: one batch"))
        self.step.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.reset = named(QPushButton(self.tr("Reset")), "resetButton", self.tr("Reset weights"),
                           self.tr("Draw new initial weights (same architecture) and clear the history"))
        self.reset.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        controls = QHBoxLayout()
        controls.setSpacing(4)
        for button in (self.train, self.stop, self.step, self.reset):
            controls.addWidget(button)
        self.progress = named(QProgressBar(), "progressBar", self.tr("Training progress"))
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.problems = ProblemsLabel()
        self.problems.setObjectName("trainingProblems")

        settings = self._settings = QWidget()
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(0, 0, 0, 0)
        settings_layout.addWidget(self.problems)  # first, so a short panel still shows why Train is off
        settings_layout.addLayout(form)
        settings_layout.addStretch(1)
        scroll = QScrollArea()  # the settings scroll in a short window; the controls stay in view
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(settings)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)  # takes what is left
        scroll.setMinimumHeight(90)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(controls)
        layout.addWidget(self.progress)

        self.loss.currentIndexChanged.connect(
            lambda i: self._edit(self.tr("Change loss"), "loss", self.loss.itemData(i)))
        self.optimizer.currentIndexChanged.connect(
            lambda i: self._edit(self.tr("Change optimizer"), "optimizer", self.optimizer.itemData(i)))
        self.learning_rate.valueChanged.connect(
            lambda v: self._edit(self.tr("Change learning rate"), "learning_rate", v))
        self.momentum.valueChanged.connect(lambda v: self._edit(self.tr("Change momentum"), "momentum", v))
        self.nesterov.toggled.connect(lambda on: self._edit(self.tr("Toggle Nesterov"), "nesterov", bool(on)))
        self.weight_decay.valueChanged.connect(lambda v: self._edit(self.tr("Change weight decay"), "weight_decay", v))
        self.schedule.currentIndexChanged.connect(
            lambda i: self._edit(self.tr("Change schedule"), "schedule", self.schedule.itemData(i)))
        self.decay_steps.valueChanged.connect(
            lambda v: self._edit(self.tr("Change decay steps"), "decay_steps", int(v)))
        self.decay_rate.valueChanged.connect(lambda v: self._edit(self.tr("Change decay rate"), "decay_rate", v))
        self.batch_size.valueChanged.connect(lambda v: self._edit(self.tr("Change batch size"), "batch_size", int(v)))
        self.epochs.valueChanged.connect(lambda v: self._edit(self.tr("Change epochs"), "epochs", int(v)))
        self.seed.valueChanged.connect(lambda v: self._edit(self.tr("Change training seed"), "seed", int(v)))
        self.device.currentIndexChanged.connect(
            lambda i: self._edit(self.tr("Change device"), "device", self.device.itemData(i)))
        state.changed.connect(self._changed)
        state.rejected.connect(self.sync)
        self.sync()

    def _edit(self, text: str, field: str, value) -> None:
        self.state.edit(text, lambda exp: setattr(exp.training, field, value), key=f"training.{field}")

    @Slot(object)
    def _changed(self, parts: frozenset) -> None:
        """Redraw for an edit of this panel's part (else only the problems, which read the whole experiment)."""
        if parts & {"dataset", "training"}:
            self.sync()
        else:
            self.problems.show_messages(self.state.problems(), self.state.dataset_error)

    @Slot()
    def sync(self) -> None:
        t = self.state.experiment.training
        ds = self.state.dataset
        task = ds.task if ds is not None else ""
        auto = i18n.catalog(catalog.LOSSES[catalog.default_loss(task)].name) if task else "—"
        self.loss.setItemText(0, self.tr("Auto ({0})").format(auto))
        for combo, value in ((self.loss, t.loss), (self.optimizer, t.optimizer), (self.schedule, t.schedule),
                             (self.device, t.device)):
            set_combo_data(combo, value)
            sync_tooltip(combo)
        for spin, value in ((self.learning_rate, t.learning_rate), (self.momentum, t.momentum),
                            (self.weight_decay, t.weight_decay), (self.decay_steps, t.decay_steps),
                            (self.decay_rate, t.decay_rate), (self.batch_size, t.batch_size),
                            (self.epochs, t.epochs), (self.seed, t.seed), (self.nesterov, t.nesterov)):
            set_quiet(spin, value)
        optimizer = catalog.OPTIMIZERS[t.optimizer]
        self.learning_rate.setToolTip(self.tr("The optimizer's step size η ({0}'s usual value: {1:g})").format(
            optimizer.name, optimizer.default_learning_rate))
        # Only the settings that apply are shown (momentum stays visible while it is set, to be fixed).
        self.form.setRowVisible(3, t.optimizer == "sgd" or t.momentum > 0 or t.nesterov)
        self.form.setRowVisible(4, t.optimizer == "adamw")
        self.form.setRowVisible(6, t.schedule != "constant")
        self.decay_rate.setEnabled(t.schedule == "exponential")
        self.problems.show_messages(self.state.problems(), self.state.dataset_error)

    def preferred_height(self) -> int:
        """The height that shows every setting without scrolling."""
        layout = self.layout()
        margins = layout.contentsMargins()
        return (self._settings.sizeHint().height() + self.train.sizeHint().height()
                + self.progress.sizeHint().height() + 2 * layout.spacing() + margins.top() + margins.bottom())

    def set_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.progress.setFormat(text)
