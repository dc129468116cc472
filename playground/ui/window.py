"""The main window: dockable panels and views around one experiment, trained in a background thread."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QWidget,
)

from playground import plots, resources_path
from playground.core import codegen
from playground.core import events as ev
from playground.core.build import architecture
from playground.core.session import NewModel
from playground.core.spec import Experiment
from playground.data import list_datasets
from playground.errors import PlaygroundError
from playground.files import atomic_path
from playground.plots.curves import MAX_OVERLAYS, overlay_label
from playground.ui import i18n
from playground.ui.commands import SetWeight
from playground.ui.data_panel import DataPanel
from playground.ui.dialogs import Dialogs
from playground.ui.i18n import LanguageMenu
from playground.ui.lab import LabPanel
from playground.ui.model_panel import ModelPanel
from playground.ui.runs_panel import RunsPanel
from playground.ui.state import ExperimentState
from playground.ui.training_panel import TrainingPanel
from playground.ui.client import EngineClient

REFRESH_S = 1 / 30  # views redraw at most ~30 times a second
MAX_RECENT = 8
FIRST_SIZE = QSize(1600, 1000)  # the first window's size where the screen has room for it
SCREEN_SHARE = 0.9  # ... and at most this share of the screen's free area where it has not
EXPERIMENT_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Playground experiments (*.json);;All files (*)")
SHORTCUTS = (  # the descriptions are translated when shown (MainWindow.show_shortcuts)
    ("Space", QT_TRANSLATE_NOOP("MainWindow", "Train / pause / resume")),
    ("Ctrl+.", QT_TRANSLATE_NOOP("MainWindow", "Stop training")),
    ("Ctrl+T", QT_TRANSLATE_NOOP("MainWindow", "Step one epoch (Shift+click Step: one batch)")),
    ("Ctrl+Shift+T", QT_TRANSLATE_NOOP("MainWindow", "Step one batch")),
    ("Ctrl+R", QT_TRANSLATE_NOOP("MainWindow", "Reset weights")),
    ("Ctrl+N / Ctrl+O / Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "New, open, save experiment")),
    ("Ctrl+Z / Ctrl+Shift+Z", QT_TRANSLATE_NOOP("MainWindow", "Undo / redo")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("MainWindow", "Export weights")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("MainWindow", "Quit")),
)


def settings() -> QSettings:
    return QSettings("Playground", "Playground")


def _with_suffix(path: str, suffix: str) -> str:
    return path if not path or path.endswith(suffix) else str(Path(path).with_suffix("")) + suffix


def first_geometry(available: QRect) -> QRect:
    """The first window: 1600x1000 but at most 90% of the screen's free area, centred on it.

    A fixed 1600x1000 put Train and the status bar below the bottom of a 1366x768 laptop screen.
    (A saved geometry that no longer fits is Qt's to fix: ``restoreGeometry`` shrinks and moves it
    onto the screen, or refuses it where the screen's width changed a lot, leaving this one.)
    """
    rect = QRect(QPoint(), FIRST_SIZE.boundedTo(available.size() * SCREEN_SHARE))
    rect.moveCenter(available.center())
    return rect


def _takes_text(widget: QObject) -> bool:
    """Whether ``widget`` is a field to type text into, where Space types a space.

    A spin box's own line edit never has the focus (the spin box has), so spin boxes are not.
    """
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit))


class MainWindow(QMainWindow):
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
        self._progress: ev.Progress | None = None
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
        self.runs_panel = RunsPanel(self.trainer.runs, self.dialogs, self._directory)
        self._make_docks()
        self._make_actions()
        self._make_menus()
        self._make_status_bar()
        self._connect()
        self._update_undo_actions()
        self.setGeometry(first_geometry(self.screen().availableGeometry()))
        self._default_layout = self.saveState()
        self._layout_restored = self._restore_settings()

        # The engine's events wait in a queue (see worker.py); this timer takes them and redraws.
        self.timer = QTimer(self)
        self.timer.setInterval(round(REFRESH_S * 1000))
        self.timer.timeout.connect(self._take_events)
        self.timer.start()
        self._state_changed()
        self.statusBar().showMessage(self.tr("Loading TensorFlow…"))

    # -- construction ---------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if scroll:  # scrolls vertically in a short window, never cut at the side
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            area.setWidget(widget)
            area.setMinimumWidth(widget.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
            area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
            area.setMinimumHeight(120)
            widget = area
        dock.setWidget(widget)
        return dock

    def _make_docks(self) -> None:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.setDockNestingEnabled(True)
        self.docks = {
            "data": self._dock(self.tr("Data"), "dataDock", self.data_panel),
            "model": self._dock(self.tr("Model"), "modelDock", self.model_panel, scroll=True),
            "training": self._dock(self.tr("Training"), "trainingDock", self.training_panel),
            "curves": self._dock(self.tr("Curves"), "curvesDock", self.curves),
            "output": self._dock(self.tr("Output"), "outputDock", self.output),
            "weights": self._dock(self.tr("Weights"), "weightsDock", self.weights),
            "network": self._dock(self.tr("Network"), "networkDock", self.network),
            "lab": self._dock(self.tr("Loss && Activation Lab"), "labDock", self.lab, scroll=True),
            "runs": self._dock(self.tr("Runs"), "runsDock", self.runs_panel),
        }
        d = self.docks
        self.addDockWidget(left, d["data"])
        self.addDockWidget(left, d["training"])
        self.tabifyDockWidget(d["data"], d["model"])
        self.addDockWidget(right, d["output"])
        self.splitDockWidget(d["output"], d["network"], Qt.Orientation.Horizontal)
        self.splitDockWidget(d["output"], d["curves"], Qt.Orientation.Vertical)
        self.splitDockWidget(d["network"], d["weights"], Qt.Orientation.Vertical)
        self.tabifyDockWidget(d["weights"], d["lab"])  # a lesson: a tab behind Weights, raised from View
        self.tabifyDockWidget(d["curves"], d["runs"])  # compare runs: a tab behind Curves
        d["weights"].raise_()
        d["data"].raise_()
        d["curves"].raise_()

    def _default_sizes(self) -> None:
        """Share the window between the docks: panels left, output and curves centre, network and weights right."""
        d, h, v = self.docks, Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        width, height = self.width(), self.height()
        self.resizeDocks([d["data"], d["output"], d["network"]],
                         [int(width * 0.24), int(width * 0.40), int(width * 0.36)], h)
        training = self.training_panel.preferred_height() + 40
        self.resizeDocks([d["data"], d["training"]], [height - training, training], v)
        self.resizeDocks([d["output"], d["curves"]], [int(height * 0.5), int(height * 0.5)], v)
        self.resizeDocks([d["network"], d["weights"]], [int(height * 0.4), int(height * 0.6)], v)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        self.act_new = a(self.tr("&New"), self.new_experiment_clicked, key.New, self.tr("Start a new experiment"))
        self.act_open = a(self.tr("&Open experiment…"), self.open_clicked, key.Open, self.tr("Open an experiment file"))
        self.act_save = a(self.tr("&Save"), self.save_clicked, key.Save, self.tr("Save the experiment"))
        self.act_save_as = a(self.tr("Save &As…"), self.save_as_clicked, key.SaveAs,
                             self.tr("Save the experiment under a new name"))
        self.act_export_weights = a(self.tr("Export &weights…"), lambda: self._export_clicked("save_weights"),
                                    "Ctrl+E", self.tr("Save the model's weights (.weights.h5)"))
        self.act_export_model = a(self.tr("Export &model (.keras)…"), lambda: self._export_clicked("save_model"),
                                  tip=self.tr("Save the whole model: architecture, weights and optimizer"))
        self.act_export_savedmodel = a(self.tr("Export Saved&Model…"),
                                       lambda: self._export_clicked("export_savedmodel"),
                                       tip=self.tr("Export a TensorFlow SavedModel folder (for serving)"))
        self.act_export_history = a(self.tr("Export &history CSV…"), lambda: self._export_clicked("save_history"),
                                    tip=self.tr("Save the per-epoch loss and metrics as CSV"))
        self.act_export_code = a(self.tr("Export &Python Code…"), self.export_code_clicked,
                                 tip=self.tr("Write the experiment as a Python file that trains on its own "
                                             "(keras.Sequential, functional API or keras.Model subclass)"))
        self.act_export_image = a(self.tr("Export plot &image…"), self.export_image_clicked,
                                  tip=self.tr("Save a panel or the whole window as a PNG image"))
        self.act_load_weights = a(self.tr("&Load weights…"), lambda: self._export_clicked("load_weights"),
                                  tip=self.tr("Load weights saved from a model of the same architecture"))
        self.act_save_run = a(self.tr("Save R&un…"), self.runs_panel.save_selected,
                              tip=self.tr("Save the selected (or current) run as a folder: experiment, model, "
                                          "weights and history"))
        self.act_open_run = a(self.tr("Open Ru&n…"), self.open_run_clicked,
                              tip=self.tr("Open a saved run folder to compare its curves (Runs panel)"))
        self.act_quit = a(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.act_undo = a(self.tr("&Undo"), self.undo, key.Undo)
        self.act_redo = a(self.tr("&Redo"), self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.act_train = a(self.tr("&Train"), self.train_clicked, "Space", self.tr("Train / pause / resume"))
        self.act_train.setAutoRepeat(False)  # holding Space down must not toggle train and pause
        self.act_stop = a(self.tr("&Stop"), self.stop_clicked, "Ctrl+.", self.tr("Stop training"))
        self.act_step = a(self.tr("Step one &epoch"), lambda: self.step_clicked(False), "Ctrl+T")
        self.act_step_batch = a(self.tr("Step one &batch"), lambda: self.step_clicked(True), "Ctrl+Shift+T")
        self.act_reset = a(self.tr("&Reset weights"), self.reset_clicked, "Ctrl+R", self.tr("Draw new initial weights"))
        self.act_reset_layout = a(self.tr("Reset &layout"), self.reset_layout)
        self.act_shortcuts = a(self.tr("&Keyboard shortcuts"), self.show_shortcuts, key.HelpContents)
        self.act_about = a(self.tr("&About Playground"), self.show_about)
        self.model_actions = (self.act_export_weights, self.act_export_model, self.act_export_savedmodel,
                              self.act_export_history, self.act_load_weights, self.act_export_code)
        for action in (self.act_train, self.act_stop, self.act_step, self.act_step_batch, self.act_reset,
                       self.act_undo, self.act_redo):
            self.addAction(action)  # shortcuts work while the menu bar is hidden

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = file.addMenu(self.tr("Open E&xample"))
        self._fill_examples()
        file.addActions([self.act_save, self.act_save_as])
        file.addSeparator()
        file.addActions([self.act_export_weights, self.act_export_model, self.act_export_savedmodel,
                         self.act_export_history, self.act_export_code, self.act_export_image])
        file.addSeparator()
        file.addAction(self.act_load_weights)
        file.addSeparator()
        file.addActions([self.act_save_run, self.act_open_run])
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([self.act_undo, self.act_redo])
        train = bar.addMenu(self.tr("&Training"))
        train.addActions([self.act_train, self.act_stop, self.act_step, self.act_step_batch, self.act_reset])
        train.addSeparator()
        self.act_keep_weights = QAction(self.tr("&Keep Trained Weights Where Shapes Match"), self)
        self.act_keep_weights.setObjectName("keepWeightsAction")
        self.act_keep_weights.setCheckable(True)
        self.act_keep_weights.setStatusTip(self.tr("A new model (after an edit of the network) starts from the "
                                                   "trained weights of every layer whose shape is unchanged"))
        self.act_keep_weights.toggled.connect(
            lambda on: setattr(self.trainer, "keep_matching_weights", on))
        train.addAction(self.act_keep_weights)
        self.act_tensorboard = QAction(self.tr("Log Runs to &TensorBoard…"), self)
        self.act_tensorboard.setObjectName("tensorboardAction")
        self.act_tensorboard.setCheckable(True)
        self.act_tensorboard.toggled.connect(self._log_to_tensorboard)
        train.addAction(self.act_tensorboard)
        self.tensorboard_label = QLabel()  # the folder, in the status bar while runs are logged
        self.tensorboard_label.setObjectName("tensorboardLabel")
        self.tensorboard_label.hide()
        self.statusBar().addPermanentWidget(self.tensorboard_label)
        view = bar.addMenu(self.tr("&View"))
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.act_reset_layout)
        view.addMenu(LanguageMenu(self.dialogs, view))
        help_ = bar.addMenu(self.tr("&Help"))
        help_.addActions([self.act_shortcuts, self.act_about])

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("epochLabel")
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.device_label = QLabel()
        self.device_label.setObjectName("deviceLabel")
        for label in (self.epoch_label, self.speed_label, self.device_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _connect(self) -> None:
        s, w, p = self.state, self.trainer, self.training_panel
        s.changed.connect(self._state_changed)
        s.error.connect(self._edit_error)
        s.undo_stack.cleanChanged.connect(self._update_title)
        s.undo_stack.indexChanged.connect(self._update_undo_actions)
        w.stateChanged.connect(self._on_idle)
        self.trainer.modelReady.connect(self._on_prepared)
        w.ready.connect(self._on_tensorflow_ready)
        w.error.connect(self._on_worker_error)
        w.done.connect(self._on_done)
        w.fileDone.connect(self._file_done)
        w.idle.connect(self._on_idle)
        p.train.clicked.connect(self.train_clicked)
        p.stop.clicked.connect(self.stop_clicked)
        p.step.step.connect(self.step_clicked)
        p.reset.clicked.connect(self.reset_clicked)
        self.network.neuronHovered.connect(self.output.preview_neuron)
        self.network.neuronClicked.connect(self.output.pin_neuron)
        self.network.weightEdited.connect(self._weight_edited)
        self.output.discretize_check.toggled.connect(self.network.set_discretized)
        self.runs_panel.overlaysChanged.connect(self._draw_runs)
        self.runs_panel.saveRequested.connect(self.trainer.save_run)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # -- state -> views and engine --------------------------------------------------------------
    @Slot()
    def _state_changed(self) -> None:
        exp, ds = self.state.experiment, self.state.dataset
        if ds is not None and ds is not self._shown_dataset:
            self._shown_dataset = ds
            self.output.set_dataset(ds)
            self.curves.set_metric("mae" if ds.task == "regression" else "accuracy")
        if ds is not None:
            network = architecture(exp, ds)
            if network != self._architecture:
                self._architecture = network
                self.network.set_architecture(list(network.inputs), list(network.units), list(network.names))
        self._send()
        self._update_title()
        self._update_controls()

    def _send(self) -> None:
        """Give the session the experiment as it is now (once TensorFlow is loaded); the session
        decides what the edit needs (see playground.core.session)."""
        if not self.tensorflow_ready or self._shut_down:
            return
        sent = (self.state.experiment, self.state.dataset)
        if self._sent is not None and sent[0] == self._sent[0] and sent[1] is self._sent[1]:
            return
        self._sent = sent
        if self.state.trainable():
            self.trainer.edit(*sent)
        else:
            self.trainer.discard()

    @Slot(str)
    def _edit_error(self, text: str) -> None:
        self.dialogs.warning(self.tr("Cannot use this data set"), text)

    # -- engine -> views ------------------------------------------------------------------------
    @Slot()
    def _take_events(self) -> None:
        """Store what the queued engine events carry, then draw (everything, where a run stopped)."""
        queue, settled = self.trainer.events, False
        if queue:
            self.runs_panel.changed()  # the run log moved on with them (see playground.core.runs)
        while queue:
            event = queue.popleft()
            self._on_event(event)
            settled = settled or isinstance(event, (ev.Paused, ev.Finished, ev.Diverged, ev.Failed))
        self._refresh(everything=settled)  # where a run stops, every view shows where it is

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, NewModel):
            self._clear_views()
        elif isinstance(event, ev.Metrics):
            self.curves.add(event)
        elif isinstance(event, ev.Weights):
            self.weights.add(event)
            self.network.add(event)
        elif isinstance(event, ev.WeightHistory):
            self.weights.add_history(event)
        elif isinstance(event, ev.Boundary):
            self.output.add_boundary(event)
            self.network.add_boundary(event)
        elif isinstance(event, ev.Predictions):
            self.output.add_predictions(event)
        elif isinstance(event, ev.Progress):
            self._progress = event
        elif isinstance(event, ev.Started):
            self._device = event.device
            self.statusBar().showMessage(
                self.tr("Training to epoch {0} on {1}…").format(event.total_epochs, event.device))
        elif isinstance(event, ev.Edited):
            self.curves.add_marker(event.epoch, event.label)
            self.statusBar().showMessage(self.tr("Applied at epoch {0}: {1}.").format(event.epoch, event.label), 5000)
        elif isinstance(event, ev.Paused):
            self.statusBar().showMessage(self.tr("Paused at {0}.").format(self._position(event.epoch)))
            self._update_controls()
        elif isinstance(event, ev.Finished):
            self.statusBar().showMessage(self._finished_text(event))
        elif isinstance(event, ev.Diverged):
            self.statusBar().showMessage(event.message)
        elif isinstance(event, ev.Failed):
            self.statusBar().showMessage(event.message)
            self.dialogs.warning(self.tr("Training failed"), event.message)
        self._epoch = event.epoch
        self._status_dirty = True

    def _finished_text(self, event: ev.Finished) -> str:
        if event.reason == "finished":
            return self.tr("Trained to epoch {0} in {1:.1f} s.").format(event.epoch, event.seconds)
        if event.reason == "stopped":
            return self.tr("Stopped at epoch {0}.").format(event.epoch)
        return self.tr("Stepped to {0}.").format(self._position(event.epoch))

    def _position(self, epoch: int) -> str:
        """"epoch 12" (12 done), or "batch 3 of 25 of epoch 13" in the middle of an epoch."""
        progress = self._progress
        if progress is not None and progress.epoch == epoch and progress.batch:
            return self.tr("batch {0} of {1} of epoch {2}").format(
                progress.batch, progress.batches_per_epoch, epoch + 1)
        return self.tr("epoch {0}").format(epoch)

    @Slot()
    def _draw_runs(self) -> None:
        """Earlier runs, as the Runs panel shows them, faintly on the curves."""
        self.curves.set_overlays([(number, overlay_label(name, differs), history) for number, name, differs,
                                  history in self.trainer.runs.overlays(MAX_OVERLAYS)])

    @Slot()
    def open_run_clicked(self) -> None:
        """File > Open Run…: into the Runs panel, which it raises."""
        self.docks["runs"].show()
        self.docks["runs"].raise_()
        self.runs_panel.open_clicked()

    @Slot(bool)
    def _log_to_tensorboard(self, on: bool) -> None:
        """Training > Log Runs to TensorBoard: every run (model) into a folder of its own, in the folder
        asked for the first time (then remembered), written in the training thread."""
        folder = str(settings().value("tensorboardFolder", ""))
        self.trainer.log_to_tensorboard("")
        if on and not folder:
            folder = self.dialogs.directory(self.tr("Folder for TensorBoard Logs"), self._directory())
        if on and folder:
            try:
                self.trainer.log_to_tensorboard(folder)
                settings().setValue("tensorboardFolder", folder)
            except PlaygroundError as exc:
                self.dialogs.warning(self.tr("TensorBoard"), str(exc))
        on = bool(self.trainer.tensorboard_folder)
        self.act_tensorboard.blockSignals(True)
        self.act_tensorboard.setChecked(on)
        self.act_tensorboard.blockSignals(False)
        tip = self.tr("Each run is written to a folder of {0}: tensorboard --logdir {0}").format(folder) if on else ""
        self.act_tensorboard.setToolTip(tip)
        self.tensorboard_label.setText(self.tr("TensorBoard: {0}").format(folder))
        self.tensorboard_label.setToolTip(tip)
        self.tensorboard_label.setVisible(on)

    def _clear_views(self) -> None:
        for view in self.views:
            view.clear()
        self._progress = None
        self._epoch = 0
        self._status_dirty = True

    @Slot(str)
    def _on_idle(self, _kind: str) -> None:
        self._take_events()  # the run's or step's last events, before the controls say it is over
        self._update_controls()

    @Slot(str)
    def _on_prepared(self, device: str) -> None:
        self._device = device
        self._status_dirty = True
        if not self.trainer.live:
            self.statusBar().showMessage(self.tr("Ready to train."), 3000)

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self.tensorflow_ready = True
        self.statusBar().showMessage(self.tr("TensorFlow is ready."), 3000)
        self._update_controls()
        self.tensorflowReady.emit()  # a receiver may close the window: then nothing is built
        self._send()

    @Slot(str)
    def _on_worker_error(self, text: str) -> None:
        self._take_events()
        self.statusBar().showMessage(text)
        self.dialogs.warning("Playground", text)

    @Slot(str)
    def _on_done(self, text: str) -> None:
        self._take_events()
        self.statusBar().showMessage(text, 8000)

    @Slot(str, str)
    def _file_done(self, _operation: str, path: str) -> None:
        """A file operation succeeded: the next file dialog starts in its folder (not in a failed one's)."""
        settings().setValue("lastDirectory", str(Path(path).resolve().parent))

    @Slot()
    def _refresh(self, everything: bool = False) -> None:
        """Draw what arrived: the curves every time, one other view in turn (all when ``everything``).

        Painting every view 30 times a second would take more than the GUI thread has; in turn,
        the weights, output and network views are each drawn ~10 times a second during a run.
        """
        self.curves.refresh()
        others = self.views[1:]
        for i in range(len(others)):
            view = others[(self._turn + i) % len(others)]
            if view.pending:
                view.refresh()
                if not everything:
                    self._turn = (self._turn + i + 1) % len(others)
                    break
        if not self._status_dirty:
            return
        self._status_dirty = False
        progress = self._progress
        self.epoch_label.setText(self.tr("Epoch {0}").format(self._epoch))
        self.device_label.setText(self._device or "—")
        if progress is not None:
            self.speed_label.setText(self.tr("{0:,.0f} samples/s").format(progress.samples_per_second))
            self.training_panel.set_progress(progress.fraction, self.tr("Epoch {0} ({1:.0%})").format(
                progress.epoch, progress.fraction))
        else:
            self.speed_label.setText(self.tr("— samples/s"))
            self.training_panel.set_progress(0.0, "")

    # -- controls --------------------------------------------------------------------------------
    @Slot()
    def _update_controls(self) -> None:
        ready, live, paused = self.tensorflow_ready, self.trainer.live, self.trainer.paused
        ok = self.state.trainable()
        p = self.training_panel
        style = self.style()
        if not ready:
            why = self.tr("Loading TensorFlow…")
        elif not ok:
            why = self.tr("Fix the problems shown first.")
        else:
            why = ""
        p.train.setEnabled(live or (ready and ok))
        text = self.tr("Resume") if live and paused else (self.tr("Pause") if live else self.tr("Train"))
        icon = style.StandardPixmap.SP_MediaPause if live and not paused else style.StandardPixmap.SP_MediaPlay
        p.train.setText(text)
        p.train.setIcon(style.standardIcon(icon))
        p.train.setToolTip(why or self.tr("{0} (Space)").format(text))
        self.act_train.setText(f"&{text}")
        self.act_train.setEnabled(p.train.isEnabled())
        p.stop.setEnabled(live)
        self.act_stop.setEnabled(live)
        self.network.set_editable(ready and ok and (paused or not live))
        for widget in (p.step, p.reset, self.act_step, self.act_step_batch, self.act_reset, *self.model_actions):
            widget.setEnabled(ready and ok)
        if why:
            for button in (p.step, p.reset):
                button.setToolTip(why)
        else:
            p.step.setToolTip(self.tr("Train one epoch (Ctrl+T); Shift+click: one batch"))
            p.reset.setToolTip(self.tr("Draw new initial weights (same architecture) and clear the history (Ctrl+R)"))

    @Slot()
    def train_clicked(self) -> None:
        """Train, or pause, or resume: the Train button and Space."""
        if not self.trainer.live:
            if self.tensorflow_ready and self.state.trainable():
                self.trainer.run(self.state.experiment.training.epochs)
        elif self.trainer.paused:
            self.trainer.resume()
            self.statusBar().showMessage(self.tr("Training…"))
        else:
            self.trainer.pause()
        self._update_controls()

    @Slot(QWidget, QWidget)
    def _focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        """Watch the keys of the widget with the focus, if it is in this window (see eventFilter)."""
        if old is not None:
            old.removeEventFilter(self)
        if now is not None and self.isAncestorOf(now):
            now.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Space trains or pauses from anywhere in the window, except in a field that takes text.

        Spin boxes (and their line edits) claim Space before the Train shortcut sees it, so their
        key press arrives here instead; taking it keeps Space from changing them.
        """
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and not _takes_text(watched)):
            if not event.isAutoRepeat():
                self.act_train.trigger()
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def stop_clicked(self) -> None:
        self.trainer.stop()

    @Slot(bool)
    def step_clicked(self, batch: bool = False) -> None:
        if self.tensorflow_ready and self.state.trainable():
            self.trainer.step("batch" if batch else "epoch")
            self._update_controls()

    @Slot()
    def reset_clicked(self) -> None:
        if self.tensorflow_ready and self.state.trainable():
            self.trainer.reset()
            self.statusBar().showMessage(self.tr("New initial weights drawn."), 3000)

    @property
    def epoch(self) -> int:
        """The epoch of the latest event shown (epochs done)."""
        return self._epoch

    def predict(self, x) -> None:
        """Ask the engine for the model's output on ``x``; it arrives as ``trainer.predicted``."""
        self.trainer.predict(x)

    @Slot(str, int, int, float, float)
    def _weight_edited(self, layer: str, i: int, j: int, before: float, after: float) -> None:
        """A link's weight typed in the network diagram: an undoable step that sets it in the model."""
        self.state.undo_stack.push(SetWeight(self._set_weight, layer, i, j, before, after))

    def _set_weight(self, layer: str, i: int, j: int, value: float) -> None:
        """Set one weight in the session's model: into a paused run (between chunks), else in the
        training thread; the views then show a snapshot of the model with it."""
        if not self.trainer.set_weight(layer, i, j, value):
            self.statusBar().showMessage(self.tr("There is no model to set a weight in."), 5000)

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

    # -- files -----------------------------------------------------------------------------------
    def _directory(self) -> str:
        return str(settings().value("lastDirectory", str(Path.home())))

    def _remember(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        s = settings()
        s.setValue("lastDirectory", str(Path(path).parent))
        recent = [p for p in (s.value("recentFiles") or []) if p != path]
        s.setValue("recentFiles", [path, *recent][:MAX_RECENT])

    def recent_files(self) -> list[str]:
        value = settings().value("recentFiles") or []
        return [value] if isinstance(value, str) else list(value)

    @Slot()
    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_checked(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear list"))
        clear.triggered.connect(lambda: settings().remove("recentFiles"))

    def _fill_examples(self) -> None:
        """One entry per shipped example, by its data set's name (``xor.json``: "Exclusive or") and
        in the data set list's order, with the data set's description as its tooltip."""
        infos = {info.name: info for info in list_datasets()}
        rank = {name: i for i, name in enumerate(infos)}
        self.examples_menu.setToolTipsVisible(True)
        for path in sorted(resources_path.examples(), key=lambda p: (rank.get(p.stem, len(rank)), p.stem)):
            info = infos.get(path.stem)
            action = self.examples_menu.addAction(i18n.dataset(info.title) if info else path.stem)
            action.setToolTip(i18n.dataset(info.description) if info else str(path))
            action.triggered.connect(lambda _=False, p=str(path): self._open_checked(p, example=True))

    def _maybe_save(self) -> bool:
        """Ask about unsaved changes; False if the user cancels (or the save fails)."""
        if not self.state.modified:
            return True
        answer = self.dialogs.save_changes(self.state.display_name)
        if answer == "save":
            return self.save_clicked()
        return answer == "discard"

    @Slot()
    def new_experiment_clicked(self) -> None:
        if self._maybe_save():
            self.trainer.stop()
            self.state.reset(Experiment(), None)

    @Slot()
    def open_clicked(self) -> None:
        if not self._maybe_save():
            return
        path = self.dialogs.open_path(self.tr("Open experiment"), self._directory(), self.tr(EXPERIMENT_FILTER))
        if path:
            self.open_experiment(path)

    def _open_checked(self, path: str, example: bool = False) -> None:
        if self._maybe_save():
            self.open_experiment(path, example=example)

    def open_experiment(self, path: str | Path, example: bool = False) -> bool:
        """Open the experiment file ``path``; on error say why and keep the current one.

        An ``example`` opens as a new, unsaved experiment (examples are read-only).
        """
        from playground.core import spec

        try:
            experiment = spec.load(path)
            self.trainer.stop()
            self.state.reset(experiment, None if example else Path(path))
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot open the experiment"), str(exc))
            return False
        if not example:
            self._remember(path)
        self.statusBar().showMessage(self.tr("Opened {0}.").format(Path(path).name), 5000)
        return True

    @Slot()
    def save_clicked(self) -> bool:
        if self.state.path is None:
            return self.save_as_clicked()
        return self.save_experiment(self.state.path)

    @Slot()
    def save_as_clicked(self) -> bool:
        start = str(Path(self._directory()) / f"{Path(self.state.display_name).stem}.json")
        path = _with_suffix(
            self.dialogs.save_path(self.tr("Save experiment"), start, self.tr(EXPERIMENT_FILTER)), ".json")
        return bool(path) and self.save_experiment(path)

    def save_experiment(self, path: str | Path) -> bool:
        try:
            self.state.save(path)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot save the experiment"), str(exc))
            return False
        self._remember(path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {0}.").format(Path(path).name), 5000)
        return True

    FILE_DIALOGS = {  # operation: (title, filter, suffix, save?); the texts are translated when shown
        "save_weights": (QT_TRANSLATE_NOOP("MainWindow", "Export weights"),
                         QT_TRANSLATE_NOOP("MainWindow", "Keras weights (*.weights.h5)"), ".weights.h5", True),
        "save_model": (QT_TRANSLATE_NOOP("MainWindow", "Export model"), QT_TRANSLATE_NOOP("MainWindow", "Keras model (*.keras)"),
                       ".keras", True),
        "export_savedmodel": (QT_TRANSLATE_NOOP("MainWindow", "Export SavedModel folder"), "", "", True),
        "save_history": (QT_TRANSLATE_NOOP("MainWindow", "Export history"), QT_TRANSLATE_NOOP("MainWindow", "CSV files (*.csv)"),
                         ".csv", True),
        "load_weights": (QT_TRANSLATE_NOOP("MainWindow", "Load weights"),
                         QT_TRANSLATE_NOOP("MainWindow", "Keras weights or model (*.weights.h5 *.keras)"), "", False),
    }

    def _export_clicked(self, operation: str) -> None:
        title, filters, suffix, save = self.FILE_DIALOGS[operation]
        title, filters = self.tr(title), self.tr(filters) if filters else ""
        stem = str(Path(self._directory()) / Path(self.state.display_name).stem)
        if operation == "export_savedmodel":
            path = self.dialogs.folder_path(title, stem + "_savedmodel")
        elif save:
            path = _with_suffix(self.dialogs.save_path(title, stem + suffix, filters), suffix)
        else:
            path = self.dialogs.open_path(title, self._directory(), filters)
        if path:
            self._file_operation(operation, path)

    def _file_operation(self, operation: str, path: str | Path) -> None:
        """Queue a file operation on the model; a live run is stopped first, if the user agrees."""
        if self.trainer.live:
            question = (self.tr("Stop training to load the weights?") if operation == "load_weights" else
                        self.tr("Stop training to export?"))
            if not self.dialogs.confirm(self.tr("Training is running"), question, self.tr("Stop")):
                return
            self.trainer.stop()
        self.trainer.file_operation(operation, str(path))

    def export_weights(self, path: str | Path) -> None:
        """Save the weights to ``path`` (``.weights.h5``); the worker reports done or an error."""
        self._file_operation("save_weights", path)

    def export_model(self, path: str | Path) -> None:
        self._file_operation("save_model", path)

    def export_savedmodel(self, path: str | Path) -> None:
        self._file_operation("export_savedmodel", path)

    def export_history(self, path: str | Path) -> None:
        self._file_operation("save_history", path)

    def load_weights(self, path: str | Path) -> None:
        self._file_operation("load_weights", path)

    CODE_STYLES = {"keras.Sequential": "sequential",  # the choices, translated when shown
                   QT_TRANSLATE_NOOP("MainWindow", "Functional API: keras.Model(inputs, outputs)"): "functional",
                   QT_TRANSLATE_NOOP("MainWindow", "keras.Model subclass"): "subclass"}

    @Slot()
    def export_code_clicked(self) -> None:
        styles = {self.tr(text): style for text, style in self.CODE_STYLES.items()}
        style = self.dialogs.choose(self.tr("Export Python code"), self.tr("Model style (seed 002 shows all three)"),
                                    list(styles))
        if not style:
            return
        start = str(Path(self._directory()) / f"{Path(self.state.display_name).stem}.py")
        path = _with_suffix(self.dialogs.save_path(self.tr("Export Python code"), start,
                                                   self.tr("Python files (*.py)")), ".py")
        if path:
            self.export_code(path, styles[style])

    def export_code(self, path: str | Path, style: str) -> bool:
        """Write the experiment as a Python file in ``style`` (and its data CSV beside it, for a set
        without a generator): the engine builds a fresh model of its own for it, never the one
        training, and reports done or an error."""
        try:
            codegen.check_style(style)
            self.trainer.export_code(self.state.experiment, self.state.dataset, str(path), style)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot export the code"), str(exc))
            return False
        return True

    IMAGE_SOURCES = {QT_TRANSLATE_NOOP("MainWindow", "Curves"): "curves", QT_TRANSLATE_NOOP("MainWindow", "Output"): "output",  # translated when shown
                     QT_TRANSLATE_NOOP("MainWindow", "Weights"): "weights", QT_TRANSLATE_NOOP("MainWindow", "Network"): "network",
                     QT_TRANSLATE_NOOP("MainWindow", "Whole window"): "window"}

    @Slot()
    def export_image_clicked(self) -> None:
        sources = {self.tr(text): source for text, source in self.IMAGE_SOURCES.items()}
        what = self.dialogs.choose(self.tr("Export plot image"), self.tr("Panel"), list(sources))
        if not what:
            return
        start = str(Path(self._directory()) / f"{Path(self.state.display_name).stem}_{sources[what]}.png")
        path = _with_suffix(self.dialogs.save_path(self.tr("Export plot image"), start,
                                                   self.tr("PNG images (*.png)")), ".png")
        if path:
            self.export_plot_image(path, sources[what])

    def export_plot_image(self, path: str | Path, what: str = "window") -> bool:
        """Save a PNG of a dock (``curves``, ``output``, ``weights``, ``network``) or the whole ``window``."""
        widget = self if what == "window" else self.docks[what].widget()
        try:
            with atomic_path(path, suffix=".png") as tmp:
                if not widget.grab().save(str(tmp), "PNG"):
                    raise PlaygroundError(f"Cannot write the image {path}.")
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot export the image"), str(exc))
            return False
        self.statusBar().showMessage(self.tr("Saved {0}.").format(Path(path).name), 5000)
        return True

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
    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(self.tr(v))}</td></tr>"
                       for k, v in SHORTCUTS)
        self.dialogs.information(self.tr("Keyboard shortcuts"), f"<table cellspacing='6'>{rows}</table>")

    @Slot()
    def show_about(self) -> None:
        self.dialogs.information(
            self.tr("About Playground"),
            self.tr("<b>Playground</b>: build a neural network point-and-click and watch a real Keras model learn, "
                    "live. Everything you build exports to Keras' own formats."))

    def _restore_settings(self) -> bool:
        """Restore the last window geometry and dock layout; False if there was none."""
        s = settings()
        geometry, layout = s.value("geometry"), s.value("windowState")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        return isinstance(layout, QByteArray) and self.restoreState(layout)

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
        s = settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop training and end the training thread (idempotent)."""
        if not self._shut_down:
            self._shut_down = True
            self.timer.stop()
            self.trainer.shutdown()
