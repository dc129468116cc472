"""The Runs panel: every model that trained this session, side by side (see :mod:`playground.core.runs`).

A row per run: whether the Curves panel draws it (earlier runs only, when ticked and comparable with
the current one: the same data and target; the current one is the bold line), its name (editable), what differs from it to the current run, its epochs, final train and
test figures and training time. Rename, delete, export the table as CSV, save a run as a run folder
(the one ``python main.py train --out`` writes) and open one again with its curves.

The panel holds no run state of its own: it reads the session's :class:`~playground.core.runs.RunLog`
when told to :meth:`refresh`, and writes names, show ticks and deletions back to it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core.runs import Row, RunLog
from playground.errors import PlaygroundError
from playground.plots.curves import run_colour

REFRESH_MS = 250  # the table follows a run a few times a second: reading the log takes its lock
SHOW, NAME, EPOCHS, LOSS, TEST_LOSS, METRIC, TEST_METRIC, TIME, DIFFERS = range(9)  # the long one last
RUN = Qt.ItemDataRole.UserRole  # the run's number, on every row's name item


def read_run_folder(path: str | Path):
    """(experiment, history) of a run folder as ``train --out`` and Save Run write it; ``path`` may be
    the folder or its experiment.json."""
    from playground.core.export import read_history
    from playground.core import spec

    folder = Path(path)
    folder = folder if folder.is_dir() else folder.parent
    missing = [n for n in ("experiment.json", "history.csv") if not (folder / n).is_file()]
    if missing:
        raise PlaygroundError(f"{folder} is not a run folder: it has no {' or '.join(missing)} (Save Run and "
                              "train --out write them).")
    return folder, spec.load(folder / "experiment.json"), read_history(folder / "history.csv")


class RunsPanel(QWidget):
    """The Runs table over the session's run log; ``dialogs`` asks for file names, starting in the
    folder ``directory()`` names (the window's last one)."""

    overlaysChanged = Signal()  # the earlier runs to draw on the curves (or their labels) changed
    saveRequested = Signal(int, str)  # save run (number) as a run folder (path): its model is the worker's
    continueRequested = Signal(str)  # continue the saved run in this folder as the current model

    def __init__(self, runs: RunLog, dialogs, directory: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.runs = runs
        self.dialogs = dialogs
        self._directory = directory
        self._rows: list[Row] = []
        self._drawn: tuple = ()  # what the overlays were drawn from (see refresh)
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

        self.table = QTableWidget(0, 9)
        self.table.setObjectName("runsTable")
        self.table.setAccessibleName(self.tr("Runs"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Show"), self.tr("Name"), self.tr("Epochs"), self.tr("Loss"), self.tr("Test loss"),
            self.tr("Metric"), self.tr("Test metric"), self.tr("Time"), self.tr("What differs (this → current)")])
        self.table.horizontalHeaderItem(SHOW).setToolTip(self.tr("Draw this run faintly on the Curves panel"))
        self.table.horizontalHeaderItem(LOSS).setToolTip(self.tr("The training loss at the last epoch"))
        self.table.horizontalHeaderItem(METRIC).setToolTip(
            self.tr("Accuracy (classification) or mean absolute error (regression) at the last epoch"))
        self.table.horizontalHeaderItem(DIFFERS).setToolTip(
            self.tr("The settings that changed from this run to the current one"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # what differs: the rest of the width, scrolling where it needs more
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(self._double_clicked)

        def button(text: str, name: str, slot, tip: str) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.rename_button = button(self.tr("Rename"), "renameRunButton", self.rename_selected,
                                    self.tr("Type a new name for the selected run (F2)"))
        self.delete_button = button(self.tr("Delete"), "deleteRunButton", self.delete_selected,
                                    self.tr("Forget the selected run"))
        self.save_button = button(self.tr("Save Run…"), "saveRunButton", self.save_selected,
                                  self.tr("Save the selected run as a folder: experiment, model, weights and "
                                          "history (python main.py train --resume continues it)"))
        self.open_button = button(self.tr("Open Run…"), "openRunButton", self.open_clicked,
                                  self.tr("Open a saved run folder to compare its curves"))
        self.export_button = button(self.tr("Export Table as CSV…"), "exportRunsButton", self.export_clicked,
                                    self.tr("Save this table as a CSV file"))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.rename_button, self.delete_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- the log -> the table -------------------------------------------------------------------
    def changed(self) -> None:
        """The log moved on (events were taken): :meth:`refresh` soon, at most every REFRESH_MS."""
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def refresh(self) -> None:
        """Show the log as it is now; emit ``overlaysChanged`` where what the curves draw changed."""
        rows = self.runs.rows()
        if rows != self._rows:
            self._rows = rows
            self._fill(rows)
        drawn = tuple((r.number, r.name, r.differs, r.shown, r.current, r.apart) for r in rows)
        if drawn != self._drawn:
            self._drawn = drawn
            self.overlaysChanged.emit()

    def _fill(self, rows: list[Row]) -> None:
        selected = self.selected_run()
        self._filling = True
        try:
            self.table.setRowCount(len(rows))
            for i, row in enumerate(rows):
                for column, item in enumerate(self._items(row)):
                    self.table.setItem(i, column, item)
                if row.number == selected:
                    self.table.selectRow(i)
        finally:
            self._filling = False
        self._update_buttons()

    def _items(self, row: Row) -> list[QTableWidgetItem]:
        fixed = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled

        def cell(text: str, tip: str = "", align=Qt.AlignmentFlag.AlignRight) -> QTableWidgetItem:
            item = QTableWidgetItem(text)
            item.setFlags(fixed)
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(tip)
            return item

        show = cell("", align=Qt.AlignmentFlag.AlignCenter)
        if row.current:
            show.setToolTip(self.tr("The current run: the bold lines on the Curves panel"))
        elif row.apart:  # another data set or target: its curves would mislead beside the current one's
            show.setFlags(Qt.ItemFlag.ItemIsSelectable)
            show.setCheckState(Qt.CheckState.Unchecked)
            show.setToolTip(self.tr("Not comparable with the current run ({0}): only runs on the same data "
                                    "and target can be drawn with it").format(row.apart))
        else:
            show.setFlags(fixed | Qt.ItemFlag.ItemIsUserCheckable)
            show.setCheckState(Qt.CheckState.Checked if row.shown else Qt.CheckState.Unchecked)
            show.setToolTip(self.tr("Draw this run faintly on the Curves panel"))
        name = cell(row.name, align=Qt.AlignmentFlag.AlignLeft)
        name.setFlags(fixed | Qt.ItemFlag.ItemIsEditable)
        name.setData(RUN, row.number)
        name.setData(Qt.ItemDataRole.DecorationRole, QColor(run_colour(row.number)))
        if row.source:
            name.setToolTip(self.tr("Saved in {0}. Double-click the row to continue training it here.").format(
                row.source))
        edits = "\n".join(row.edits)
        tip = self.tr("Live edits:\n{0}").format(edits) if edits else ""
        differs = cell(row.differs or (self.tr("(current)") if row.current else ""), tip, Qt.AlignmentFlag.AlignLeft)
        if row.current:
            for item in (name, differs):
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
        metric = "accuracy" if "accuracy" in row.final else "mae"
        metric_tip = self.tr("accuracy") if metric == "accuracy" else self.tr("mean absolute error")

        def figure(key: str, tip: str = "") -> QTableWidgetItem:
            value = row.final.get(key)
            return cell("" if value is None else f"{value:.4g}", tip)

        return [show, name, cell(f"{row.epochs:,}"), figure("loss"), figure("test_loss"), figure(metric, metric_tip),
                figure(f"test_{metric}", metric_tip), cell(self.tr("{0:.1f} s").format(row.seconds)), differs]

    # -- the table -> the log -------------------------------------------------------------------
    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        number = self.table.item(item.row(), NAME).data(RUN)
        if item.column() == SHOW:
            self.runs.show(number, item.checkState() == Qt.CheckState.Checked)
        elif item.column() == NAME:
            self.runs.rename(number, item.text())
        self.refresh()

    def selected_run(self) -> int:
        """The selected run's number (0 if none)."""
        rows = self.table.selectionModel().selectedRows(NAME)
        return rows[0].data(RUN) if rows else 0

    def select_run(self, number: int) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, NAME).data(RUN) == number:
                self.table.selectRow(i)

    @Slot()
    def _update_buttons(self) -> None:
        selected = bool(self.selected_run())
        for b in (self.rename_button, self.delete_button, self.save_button):
            b.setEnabled(selected)
        self.export_button.setEnabled(bool(self._rows))

    @Slot()
    def rename_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows(NAME)
        if rows:
            self.table.editItem(self.table.item(rows[0].row(), NAME))

    @Slot()
    def delete_selected(self) -> None:
        number = self.selected_run()
        if number:
            self.runs.delete(number)
            self.refresh()

    @Slot()
    def save_selected(self) -> None:
        self.save_run(self.selected_run() or self.runs.current)

    def save_run(self, number: int) -> None:
        """Ask for a folder and save run ``number`` there (the worker has its model)."""
        name = next((r.name for r in self._rows if r.number == number), None)
        if name is None:
            self.dialogs.warning(self.tr("Save Run"), self.tr("There is no run to save yet: train for an epoch first."))
            return
        path = self.dialogs.folder_path(self.tr("Save Run"), str(Path(self._directory()) / name.replace("/", "-")))
        if path:
            self.saveRequested.emit(number, path)

    @Slot()
    def open_clicked(self) -> None:
        path = self.dialogs.open_path(self.tr("Open Run (its experiment.json)"), self._directory(),
                                      self.tr("Run folder (experiment.json);;All files (*)"))
        if not path:
            return
        try:
            folder, experiment, history = read_run_folder(path)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot open the run"), str(exc))
            return
        self.select_run(0)
        number = self.runs.add(experiment, history, folder.name, str(folder))
        self.refresh()
        self.select_run(number)

    @Slot()
    def export_clicked(self) -> None:
        path = self.dialogs.save_path(self.tr("Export Table as CSV"), str(Path(self._directory()) / "runs.csv"),
                                      self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        try:
            self.runs.write_csv(path)
        except PlaygroundError as exc:
            self.dialogs.warning(self.tr("Cannot export the table"), str(exc))

    @Slot(int, int)
    def _double_clicked(self, row: int, column: int) -> None:
        """A double-click on a saved run (opened, or a sweep's) continues it in the window; on the
        name it renames, as on any run."""
        item = self.table.item(row, NAME)
        if column != NAME and item is not None:
            self._continue(item.data(RUN))

    def _continue(self, number: int) -> None:
        folder = next((row.source for row in self._rows if row.number == number), "")
        if folder:
            self.continueRequested.emit(folder)

    @Slot(object)
    def _context_menu(self, pos) -> None:
        number = self.selected_run()
        row = next((r for r in self._rows if r.number == number), None)
        menu = QMenu(self)
        if row is not None:
            show = QAction(self.tr("Show on Curves"), menu)
            show.setCheckable(True)
            show.setChecked(row.current or (row.shown and not row.apart))
            show.setEnabled(not row.current and not row.apart)
            show.toggled.connect(lambda on: (self.runs.show(number, on), self.refresh()))
            menu.addAction(show)
            menu.addAction(self.tr("Rename"), self.rename_selected)
            menu.addAction(self.tr("Delete"), self.delete_selected)
            menu.addAction(self.tr("Save Run…"), self.save_selected)
            go_on = menu.addAction(self.tr("Continue Training Here"), lambda: self._continue(number))
            go_on.setEnabled(bool(row.source))
            go_on.setToolTip(self.tr("Make this saved run the current model: its experiment, weights, optimizer "
                                     "state and history; Train goes on from its last epoch"))
            menu.addSeparator()
        menu.addAction(self.tr("Open Run…"), self.open_clicked)
        menu.addAction(self.tr("Export Table as CSV…"), self.export_clicked)
        menu.exec(self.table.viewport().mapToGlobal(pos))
