"""Everything the window does with files: new, open, save, recent files and examples, the exports
(weights, model, SavedModel, history, Python code, images), loading weights, saving and opening runs."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot

from playground import resources_path
from playground.core import codegen
from playground.core.spec import Experiment
from playground.data import list_datasets
from playground.errors import PlaygroundError
from playground.files import atomic_path
from playground.ui import i18n
from playground.ui import settings as saved

EXPERIMENT_FILTER = QT_TRANSLATE_NOOP("FileCommands", "Playground experiments (*.json);;All files (*)")


def _file_stem(name: str) -> str:
    """A name that may hold anything (an experiment's) as the start of a suggested file name: the
    characters file systems refuse or that break a line (/ \\ : * ? " < > |, controls, U+2028, a
    lone surrogate) become "_"."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]', "_", Path(name).stem).strip(" .")
    return stem or "untitled"


def _with_suffix(path: str, suffix: str) -> str:
    return path if not path or path.endswith(suffix) else str(Path(path).with_suffix("")) + suffix


class FileCommands:
    """Part of :class:`~playground.ui.window.MainWindow`: the File menu's commands."""

    FILE_DIALOGS = {  # operation: (title, filter, suffix, save?); the texts are translated when shown
        "save_weights": (QT_TRANSLATE_NOOP("FileCommands", "Export weights"),
                         QT_TRANSLATE_NOOP("FileCommands", "Keras weights (*.weights.h5)"), ".weights.h5", True),
        "save_model": (QT_TRANSLATE_NOOP("FileCommands", "Export model"),
                       QT_TRANSLATE_NOOP("FileCommands", "Keras model (*.keras)"), ".keras", True),
        "export_savedmodel": (QT_TRANSLATE_NOOP("FileCommands", "Export SavedModel folder"), "", "", True),
        "save_history": (QT_TRANSLATE_NOOP("FileCommands", "Export history"),
                         QT_TRANSLATE_NOOP("FileCommands", "CSV files (*.csv)"), ".csv", True),
        "load_weights": (QT_TRANSLATE_NOOP("FileCommands", "Load weights"),
                         QT_TRANSLATE_NOOP("FileCommands", "Keras weights or model (*.weights.h5 *.keras)"), "",
                         False),
    }
    CODE_STYLES = {"keras.Sequential": "sequential",  # the choices, translated when shown
                   QT_TRANSLATE_NOOP("FileCommands", "Functional API: keras.Model(inputs, outputs)"): "functional",
                   QT_TRANSLATE_NOOP("FileCommands", "keras.Model subclass"): "subclass"}
    IMAGE_SOURCES = {QT_TRANSLATE_NOOP("FileCommands", "Curves"): "curves",  # translated when shown
                     QT_TRANSLATE_NOOP("FileCommands", "Output"): "output",
                     QT_TRANSLATE_NOOP("FileCommands", "Weights"): "weights",
                     QT_TRANSLATE_NOOP("FileCommands", "Network"): "network",
                     QT_TRANSLATE_NOOP("FileCommands", "Whole window"): "window"}

    # -- experiments -----------------------------------------------------------------------------
    def _maybe_save(self) -> bool:
        """Ask about unsaved changes; False if the user cancels (or the save fails)."""
        if not self.state.modified:
            return True
        answer = self.dialogs.save_changes(self.state.display_name)
        if answer == "save":
            return self.save_clicked()
        return answer == "discard"

    def _start(self, suffix: str) -> str:
        """Where a save dialog starts: the last folder, the experiment's name with ``suffix``."""
        return str(Path(saved.last_directory()) / f"{_file_stem(self.state.display_name)}{suffix}")

    @Slot()
    def new_experiment_clicked(self) -> None:
        if self._maybe_save():
            self.trainer.stop()
            self.state.reset(Experiment(), None)

    @Slot()
    def open_clicked(self) -> None:
        if not self._maybe_save():
            return
        path = self.dialogs.open_path(self.tr("Open experiment"), saved.last_directory(), self.tr(EXPERIMENT_FILTER))
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
            saved.remember(path)
        self.statusBar().showMessage(self.tr("Opened {0}.").format(Path(path).name), 5000)
        return True

    @Slot()
    def save_clicked(self) -> bool:
        if self.state.path is None:
            return self.save_as_clicked()
        return self.save_experiment(self.state.path)

    @Slot()
    def save_as_clicked(self) -> bool:
        path = _with_suffix(
            self.dialogs.save_path(self.tr("Save experiment"), self._start(".json"), self.tr(EXPERIMENT_FILTER)),
            ".json")
        return bool(path) and self.save_experiment(path)

    def save_experiment(self, path: str | Path) -> bool:
        try:
            self.state.save(path)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot save the experiment"), str(exc))
            return False
        saved.remember(path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {0}.").format(Path(path).name), 5000)
        return True

    def recent_files(self) -> list[str]:
        return saved.recent_files()

    @Slot()
    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in saved.recent_files():
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_checked(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear list"))
        clear.triggered.connect(saved.clear_recent_files)

    def fill_examples(self) -> None:
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

    # -- the model's files -----------------------------------------------------------------------
    def file_clicked(self, operation: str) -> None:
        """File > Export … / Load weights…: ask where, then do ``operation``."""
        title, filters, suffix, save = self.FILE_DIALOGS[operation]
        title, filters = self.tr(title), self.tr(filters) if filters else ""
        stem = self._start("")
        if operation == "export_savedmodel":
            path = self.dialogs.folder_path(title, stem + "_savedmodel")
        elif save:
            path = _with_suffix(self.dialogs.save_path(title, stem + suffix, filters), suffix)
        else:
            path = self.dialogs.open_path(title, saved.last_directory(), filters)
        if path:
            self._file_operation(operation, path)

    def _file_operation(self, operation: str, path: str | Path) -> None:
        """Queue a file operation on the model: an export from a paused run exports the model as it
        stands; a running run (or loading weights into a live one) is stopped first, if the user agrees."""
        if self.trainer.live and not (self.trainer.paused and operation != "load_weights"):
            question = (self.tr("Stop training to load the weights?") if operation == "load_weights" else
                        self.tr("Stop training to export?"))
            if not self.dialogs.confirm(self.tr("Training is running"), question, self.tr("Stop")):
                return
            self.trainer.stop()
        self.trainer.file_operation(operation, str(path))

    def export_weights(self, path: str | Path) -> None:
        """Save the weights to ``path`` (``.weights.h5``); the engine reports done or an error."""
        self._file_operation("save_weights", path)

    def export_model(self, path: str | Path) -> None:
        self._file_operation("save_model", path)

    def export_savedmodel(self, path: str | Path) -> None:
        self._file_operation("export_savedmodel", path)

    def export_history(self, path: str | Path) -> None:
        self._file_operation("save_history", path)

    def load_weights(self, path: str | Path) -> None:
        self._file_operation("load_weights", path)

    @Slot()
    def export_code_clicked(self) -> None:
        styles = {self.tr(text): style for text, style in self.CODE_STYLES.items()}
        style = self.dialogs.choose(self.tr("Export Python code"),
                                    self.tr("Model style (the notes on model styles show all three)"), list(styles))
        if not style:
            return
        path = _with_suffix(self.dialogs.save_path(self.tr("Export Python code"), self._start(".py"),
                                                   self.tr("Python files (*.py)")), ".py")
        if path:
            self.export_code(path, styles[style])

    def export_code(self, path: str | Path, style: str) -> bool:
        """Write the experiment as a Python file in ``style`` (and its data CSV beside it, for a set
        without a generator): the engine builds a fresh model of its own for it, never the one
        training, that trains for as many epochs as the model here was trained (the epoch target,
        before any); it reports done or an error."""
        try:
            codegen.check_style(style)
            self.trainer.export_code(self.state.experiment, self.state.dataset, str(path), style, self.epoch)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot export the code"), str(exc))
            return False
        return True

    @Slot()
    def export_image_clicked(self) -> None:
        sources = {self.tr(text): source for text, source in self.IMAGE_SOURCES.items()}
        what = self.dialogs.choose(self.tr("Export plot image"), self.tr("Panel"), list(sources))
        if not what:
            return
        path = _with_suffix(self.dialogs.save_path(self.tr("Export plot image"), self._start(f"_{sources[what]}.png"),
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

    # -- runs ------------------------------------------------------------------------------------
    @Slot()
    def save_run_clicked(self) -> None:
        self.runs_panel.save_selected()

    @Slot()
    def open_run_clicked(self) -> None:
        """File > Open Run…: into the Runs panel, which it raises."""
        self.docks["runs"].show()
        self.docks["runs"].raise_()
        self.runs_panel.open_clicked()

    @Slot(str)
    def continue_run(self, folder: str) -> None:
        """Continue Training Here (a double-click on a saved run in the Runs panel): the run's experiment
        becomes the window's, as one step that Undo takes back, and its model the current one, with its
        optimizer state and history; Train goes on from its last epoch. A live run stops first."""
        from playground.ui.runs_panel import read_run_folder

        try:
            folder_path, experiment, _ = read_run_folder(folder)
            self.state.load_dataset(experiment.dataset)  # read now: the edit below then applies at once
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot continue the run"), str(exc))
            return
        name = folder_path.name
        if self.trainer.live and not self.dialogs.confirm(
                self.tr("Continue Training Here"),
                self.tr("Stop the current run and continue {0} here? The current run stays in the Runs "
                        "table.").format(name), self.tr("Continue Here")):
            return

        def become(exp: Experiment) -> None:
            for field, value in experiment.model_copy(deep=True):
                setattr(exp, field, value)

        self.state.edit(self.tr("Continue run {0}").format(name), become)
        self.trainer.continue_run(str(folder_path), self.state.experiment, self.state.dataset)
        self.statusBar().showMessage(self.tr("Continuing {0}: Train goes on from its last epoch.").format(name),
                                     8000)

    @Slot()
    def sweep_clicked(self) -> None:
        """Training > Sweep…: runs of this experiment in a child process, into the Runs panel."""
        from playground.ui.sweep_dialog import SweepDialog

        self.docks["runs"].show()
        self.sweep_dialog = SweepDialog(self.state.experiment, self.runs_panel, saved.last_directory(), self)
        self.sweep_dialog.show()
