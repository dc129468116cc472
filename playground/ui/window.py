"""The main window: dockable panels and views around one experiment, trained in a background thread.

Its parts live beside it: the docks and their layout (docks.py), the actions and menus declared once
(actions.py), the engine's events and everything sent to the engine (pump.py), the run controls
(run_controls.py), the file commands (file_commands.py) and what is kept between sessions
(settings.py)."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from playground import plots
from playground.core.build import architecture
from playground.ui import actions, docks
from playground.ui import settings as saved
from playground.ui.commands import SetWeight
from playground.ui.data_panel import DataPanel
from playground.ui.dialogs import Dialogs
from playground.ui.docks import first_geometry
from playground.ui.file_commands import FileCommands
from playground.ui.lab import LabPanel
from playground.ui.model_panel import ModelPanel
from playground.ui.pump import EventPump
from playground.ui.run_controls import RunControls
from playground.ui.runs_panel import RunsPanel
from playground.ui.state import PARTS, ExperimentState
from playground.ui.training_panel import TrainingPanel
from playground.ui.client import EngineClient

__all__ = ["MainWindow", "first_geometry"]


class MainWindow(EventPump, RunControls, FileCommands, QMainWindow):
    """The whole application window that ``python main.py`` shows (a QApplication must exist)."""

    tensorflowReady = Signal()  # TensorFlow has loaded; Train is enabled if the experiment allows
    firstShown = Signal()  # the window has been shown (and painted) for the first time

    def __init__(self, dialogs: Dialogs | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.dialogs = dialogs or Dialogs(self)
        self.state = ExperimentState(self)
        self.trainer = EngineClient(self)
        self.tensorflow_ready = False
        self._sent = None  # the (experiment, data set) last sent to the session
        self._shown_dataset = None
        self._architecture = None
        self._progress = None  # the latest ev.Progress
        self._epoch = 0
        self._device = ""
        self._status_dirty = True
        self._shown_once = False
        self._shut_down = False
        self.load_tensorflow_when_shown = True  # start loading TensorFlow once the window is on screen

        self.curves = plots.CurvesView()
        self.weights = plots.WeightsView()
        self.output = plots.OutputView()
        self.network = plots.NetworkView()
        self.views = (self.curves, self.weights, self.output, self.network)
        self._turn = 0  # which of the views after the curves is drawn next during a run
        self.data_panel = DataPanel(self.state, self.dialogs)
        self.model_panel = ModelPanel(self.state)
        self.training_panel = TrainingPanel(self.state)
        self.lab = LabPanel()
        self.runs_panel = RunsPanel(self.trainer.runs, self.dialogs, saved.last_directory)
        self.docks = docks.make_docks(self)
        actions.make_actions(self)
        actions.make_menus(self)
        self._make_status_bar()
        self._connect()
        self._update_undo_actions()
        self.setGeometry(first_geometry(self.screen().availableGeometry()))
        self._default_layout = self.saveState()
        self._layout_restored = saved.restore_window(self)
        self._start_pump()
        self._state_changed()
        self.statusBar().showMessage(self.tr("Loading TensorFlow…"))

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.tensorboard_label = QLabel()  # the folder, while runs are logged
        self.tensorboard_label.setObjectName("tensorboardLabel")
        self.tensorboard_label.hide()
        bar.addPermanentWidget(self.tensorboard_label)
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("epochLabel")
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.device_label = QLabel()
        self.device_label.setObjectName("deviceLabel")
        widest = (self.tr("Epoch {0}").format("1,000,000"), self.tr("{0:,.0f} samples/s").format(10_000_000), "")
        for label, text in zip((self.epoch_label, self.speed_label, self.device_label), widest):
            label.setContentsMargins(8, 0, 8, 0)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text) + 16)  # counting never cuts them
            bar.addPermanentWidget(label)

    def _connect(self) -> None:
        s = self.state
        s.changed.connect(self._state_changed)
        s.error.connect(self._edit_error)
        s.undo_stack.cleanChanged.connect(self._update_title)
        s.undo_stack.indexChanged.connect(self._update_undo_actions)
        self._connect_run_controls()
        self.network.neuronHovered.connect(self.output.preview_neuron)
        self.network.neuronClicked.connect(self.output.pin_neuron)
        self.network.weightEdited.connect(self._weight_edited)
        self.output.discretize_check.toggled.connect(self.network.set_discretized)
        self.runs_panel.overlaysChanged.connect(self._draw_runs)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # -- the experiment -> views and engine ------------------------------------------------------
    @Slot(object)
    def _state_changed(self, parts: frozenset = PARTS) -> None:
        exp, ds = self.state.experiment, self.state.dataset
        if "dataset" in parts and ds is not None and ds is not self._shown_dataset:
            self._shown_dataset = ds
            self.output.set_dataset(ds)
            self.network.set_task(ds.task)
            self.curves.set_metric("mae" if ds.task == "regression" else "accuracy")
        if parts & {"dataset", "model"} and ds is not None:
            network = architecture(exp, ds)
            if network != self._architecture:
                self._architecture = network
                self.network.set_architecture(list(network.inputs), list(network.units), list(network.names))
        self._send()
        self._update_title()
        self._update_controls()

    @Slot(str)
    def _edit_error(self, text: str) -> None:
        self.dialogs.warning(self.tr("Cannot use this data set"), text)

    @Slot(str, int, int, float, float)
    def _weight_edited(self, layer: str, i: int, j: int, before: float, after: float) -> None:
        """A link's weight typed in the network diagram: an undoable step that sets it in the model."""
        self.state.undo_stack.push(SetWeight(self._set_weight, layer, i, j, before, after))

    def undo(self) -> None:
        """Undo the last edit; for an edit that needed a new model, the session takes back the
        model as it was (weights, optimizer state, history, epoch)."""
        self.state.undo_stack.undo()

    def redo(self) -> None:
        self.state.undo_stack.redo()

    @Slot()
    def _update_undo_actions(self) -> None:
        stack = self.state.undo_stack
        self.act_undo.setEnabled(stack.canUndo())
        self.act_redo.setEnabled(stack.canRedo())
        self.act_undo.setText(self.tr("&Undo {0}").format(stack.undoText()).rstrip())
        self.act_redo.setText(self.tr("&Redo {0}").format(stack.redoText()).rstrip())

    @property
    def epoch(self) -> int:
        """The epoch of the latest event shown (epochs done)."""
        return self._epoch

    def predict(self, x) -> None:
        """Ask the engine for the model's output on ``x``; it arrives as ``trainer.predicted``."""
        self.trainer.predict(x)

    # -- window ----------------------------------------------------------------------------------
    @Slot()
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.state.display_name}[*] — Playground")
        self.setWindowModified(self.state.modified)

    @Slot()
    def reset_layout(self) -> None:
        self.restoreState(self._default_layout)
        for dock in self.docks.values():
            dock.show()
        QTimer.singleShot(0, self._default_sizes)

    @Slot()
    def _default_sizes(self) -> None:
        docks.default_sizes(self)

    @Slot()
    def show_shortcuts(self) -> None:
        self.dialogs.information(self.tr("Keyboard shortcuts"), actions.shortcuts_table())

    @Slot()
    def show_about(self) -> None:
        self.dialogs.information(
            self.tr("About Playground"),
            self.tr("<b>Playground</b>: build a neural network point-and-click and watch a real Keras model learn, "
                    "live. Everything you build exports to Keras' own formats."))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Zero timers run when the event loop is idle: after the first paint.
            if not self._layout_restored:
                QTimer.singleShot(0, self._default_sizes)  # once the dock layout has its real size
            QTimer.singleShot(0, self._first_shown)

    @Slot()
    def _first_shown(self) -> None:
        self.firstShown.emit()
        if self.load_tensorflow_when_shown:
            self.trainer.load_tensorflow()

    def load_tensorflow(self) -> None:
        """Start loading TensorFlow in the training thread (done on first show)."""
        self.trainer.load_tensorflow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._maybe_save():
            event.ignore()
            return
        sweep = getattr(self, "sweep_dialog", None)
        if sweep is not None and sweep.running and not self.dialogs.confirm(
                self.tr("A sweep is running"),
                self.tr("Stop the sweep and quit? Its finished runs are kept in its folder; running the same sweep "
                        "again goes on from them."), self.tr("Stop and Quit")):
            event.ignore()
            return
        saved.save_window(self)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop training and a sweep (as its Stop does: the finished runs stay) and end the engine
        (idempotent)."""
        if not self._shut_down:
            self._shut_down = True
            sweep = getattr(self, "sweep_dialog", None)
            if sweep is not None:
                sweep.done(0)  # the sweep command ends its workers; killing it would leave them training
            self._stop_engine()
