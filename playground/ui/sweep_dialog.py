"""Training → Sweep…: many runs of the window's experiment, trained outside the window.

The dialog runs ``python -m playground sweep … --progress jsonl --out DIR`` as a child process
(QProcess), so the window's process never imports TensorFlow for a sweep and never waits for one:
each finished run arrives as a JSON line, its folder is read back as File → Open Run reads one
(:func:`playground.ui.runs_panel.read_run_folder`) into the Runs table, and the sweep view
(:class:`playground.plots.sweep.SweepView`) is redrawn. Bad settings come back as the command's
own sentence (exit 2) and are shown in the dialog. Stop ends the runs under way (SIGTERM, which the
command treats as Ctrl-C) and keeps the finished ones; Start again with the same folder resumes.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from playground.core.spec import Experiment
from playground.core.sweep import RAY_INSTALL
from playground.errors import PlaygroundError
from playground.plots.sweep import SweepView
from playground.ui.runs_panel import read_run_folder

SETTINGS = 3  # rows of settings the dialog offers (the command takes more)
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the child runs this same Playground


def setting_paths(exp: Experiment) -> list[str]:
    """The settings offered in the path boxes (any other dotted path may be typed)."""
    paths = ["training.learning_rate", "training.batch_size", "training.optimizer", "training.seed",
             "training.epochs"]
    for i, _ in enumerate(exp.model.layers):
        paths += [f"model.layers.{i}.{k}" for k in ("units", "activation", "dropout", "kernel_l2")]
    return paths + ["dataset.noise", "dataset.seed"]


class SweepDialog(QDialog):
    """Settings, values, repeats, epochs and where to run; Start/Stop; the sweep view."""

    runFinished = Signal(int)  # the Runs table's number of a run that arrived

    def __init__(self, experiment: Experiment, runs_panel, directory: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle(self.tr("Sweep"))
        self.experiment = experiment.model_copy(deep=True)
        self.runs_panel = runs_panel
        self.process: QProcess | None = None
        self.rows: list[dict] = []
        self.paths: list[str] = []
        self.numbers: list[int] = []  # the Runs table's numbers of this sweep's runs
        self.summary: dict | None = None
        self._buffer = b""
        self._stderr = b""
        self._temp = ""

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Setting")), 0, 0)
        grid.addWidget(QLabel(self.tr("Values: a, b, c or lin:FROM:TO:COUNT or log:FROM:TO:COUNT")), 0, 1)
        self.path_boxes: list[QComboBox] = []
        self.value_edits: list[QLineEdit] = []
        for i in range(SETTINGS):
            path = QComboBox()
            path.setObjectName(f"sweepPath{i}")
            path.setEditable(True)
            path.addItems(["", *setting_paths(experiment)])
            values = QLineEdit()
            values.setObjectName(f"sweepValues{i}")
            grid.addWidget(path, i + 1, 0)
            grid.addWidget(values, i + 1, 1)
            self.path_boxes.append(path)
            self.value_edits.append(values)
        self.path_boxes[0].setCurrentText("training.learning_rate")
        self.value_edits[0].setText("log:0.003:0.3:3")

        form = QFormLayout()
        self.repeats = QSpinBox(objectName="sweepRepeats", minimum=1, maximum=1000, value=1)
        self.epochs = QSpinBox(objectName="sweepEpochs", minimum=1, maximum=1_000_000,
                               value=experiment.training.epochs)
        self.where = QComboBox(objectName="sweepWhere")
        self.where.addItem(self.tr("This machine"), "local")
        self.where.addItem(self.tr("Ray cluster"), "ray")
        self.workers = QSpinBox(objectName="sweepWorkers", minimum=1, maximum=256, value=os.cpu_count() or 1)
        self.address = QLineEdit("auto", objectName="sweepAddress")
        self.address.setToolTip(self.tr("A Ray cluster's address, auto (the one this machine belongs to) or local "
                                        "(start one here); needs {0}").format(RAY_INSTALL))
        self.out = QLineEdit(str(Path(directory) / f"{experiment.name or 'experiment'}-sweep"), objectName="sweepOut")
        form.addRow(self.tr("Repeats (seeds) per point"), self.repeats)
        form.addRow(self.tr("Epochs per run"), self.epochs)
        where = QHBoxLayout()
        where.addWidget(self.where)
        where.addWidget(QLabel(self.tr("workers")))
        where.addWidget(self.workers)
        where.addWidget(QLabel(self.tr("Ray address")))
        where.addWidget(self.address)
        form.addRow(self.tr("Where"), where)
        form.addRow(self.tr("Folder"), self.out)
        self.where.currentIndexChanged.connect(self._where_changed)
        self._where_changed()

        self.status = QLabel(objectName="sweepStatus")
        self.status.setWordWrap(True)
        self.view = SweepView()
        self.view.setMinimumHeight(220)
        self.start_button = QPushButton(self.tr("Start"), objectName="sweepStart")
        self.stop_button = QPushButton(self.tr("Stop"), objectName="sweepStop", enabled=False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(820, 620)

    @Slot()
    def _where_changed(self) -> None:
        ray = self.where.currentData() == "ray"
        self.address.setEnabled(ray)

    # -- the command ---------------------------------------------------------------------------
    def arguments(self, experiment_file: str) -> list[str]:
        """The command line the dialog runs (after the Python executable)."""
        args = ["-m", "playground", "sweep", experiment_file]
        for path, values in zip(self.path_boxes, self.value_edits):
            if path.currentText().strip():
                args += ["--set", f"{path.currentText().strip()}={values.text().strip()}"]
        args += ["--repeats", str(self.repeats.value()), "--epochs", str(self.epochs.value())]
        if self.where.currentData() == "ray":
            args += ["--ray", self.address.text().strip() or "auto"]
            if self.address.text().strip() == "local":
                args += ["--parallel", str(self.workers.value())]
        else:
            args += ["--parallel", str(self.workers.value())]
        return args + ["--progress", "jsonl", "--out", self.out.text().strip()]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    @Slot()
    def start(self) -> None:
        if self.running:
            return
        self._temp = tempfile.mkdtemp(prefix="playground-sweep-")
        experiment_file = str(Path(self._temp) / "experiment.json")
        try:
            self.experiment.save(experiment_file)
        except PlaygroundError as exc:
            self.status.setText(str(exc))
            return
        self.rows, self.numbers, self.summary = [], [], None
        self.paths = [p.currentText().strip() for p in self.path_boxes if p.currentText().strip()]
        self._buffer = self._stderr = b""
        process = self.process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONPATH", os.pathsep.join(p for p in (PACKAGE_ROOT, env.value("PYTHONPATH")) if p))
        env.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(lambda: setattr(self, "_stderr", self._stderr +
                                                               bytes(process.readAllStandardError().data())))
        process.finished.connect(self._finished)
        self.status.setText(self.tr("Checking the settings and starting the workers…"))
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        process.start(sys.executable, self.arguments(experiment_file))

    @Slot()
    def stop(self) -> None:
        """End the runs under way; the finished ones stay (the command's SIGTERM is a Ctrl-C)."""
        if self.running:
            self.status.setText(self.tr("Stopping: the runs under way end, the finished ones are kept…"))
            self.process.terminate()

    @Slot()
    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # not ours (a library printing to stdout)
            if isinstance(event, dict):
                self._event(event)

    def _event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "start":
            skipped = self.tr(" ({0} done before, skipped)").format(event["skipped"]) if event.get("skipped") else ""
            self.status.setText(self.tr("Sweep of {0} runs on {1}{2}.").format(event["runs"], event["where"], skipped))
        elif kind == "run":
            self._add_run(event)
            self.status.setText(self.tr("{0} of {1} runs done; the last: {2}.").format(
                event["done"], event["of"], event["label"]))
        elif kind == "failed":
            self.status.setText(self.tr("Run {0} ({1}) failed: {2}").format(event["run"], event["label"],
                                                                           event["message"]))
        elif kind == "done":
            self.summary = event

    def _add_run(self, row: dict) -> None:
        folder = Path(self.out.text().strip()) / row["folder"]
        try:
            folder, experiment, history = read_run_folder(folder)
        except PlaygroundError as exc:
            self.status.setText(str(exc))
            return
        runs = self.runs_panel.runs
        number = runs.add(experiment, history, folder.name, str(folder))
        for earlier in [r.number for r in runs.rows()]:  # the curves overlay this sweep's runs only
            runs.show(earlier, earlier in self.numbers or earlier == number)
        self.numbers.append(number)
        self.runs_panel.refresh()
        self.runs_panel.overlaysChanged.emit()
        self.rows.append(row)
        self.view.set_rows(self.paths, self.rows)
        self.runFinished.emit(number)

    @Slot(int, QProcess.ExitStatus)
    def _finished(self, code: int, status) -> None:
        self._read()
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if self._temp:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = ""
        said = self._stderr.decode(errors="replace").strip().splitlines()
        if code == 2:
            self.status.setText(said[-1].removeprefix("playground: ") if said else self.tr("The sweep was refused."))
        elif self.summary is not None:
            best = self.summary.get("best") or {}
            end = self.tr("stopped") if self.summary.get("stopped") else self.tr("done")
            self.status.setText(self.tr("Sweep {0}: {1} runs in {2}; the best: {3}.").format(
                end, self.summary["runs"], self.summary["out"], best.get("folder", "—")))
        else:
            self.status.setText(self.tr("The sweep ended (exit status {0}): {1}").format(
                code, said[-1] if said else ""))

    def done(self, result: int) -> None:  # Close: a running sweep is stopped, its finished runs kept
        if self.running:
            self.process.terminate()
            self.process.waitForFinished(30_000)
        super().done(result)
