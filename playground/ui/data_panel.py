"""The Data panel: which data set, its parameters, and a preview of its points."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog
from playground.core.spec import Experiment, ModelSpec
from playground.core.spec import load as load_experiment
from playground.data import FEATURES, dataset_info, feature_label, list_datasets
from playground.data.csvio import MAX_AUTO_CLASSES, TASKS
from playground.data.registry import MAX_IMAGE_SAMPLES, MAX_SAMPLES
from playground.plots import DataPreview
from playground.plots.preview import feature_thumbnail
from playground.resources_path import example_path
from playground.ui import i18n
from playground.ui.dialogs import Dialogs
from playground.ui.state import ExperimentState
from playground.ui.widgets import ProblemsLabel, named, set_combo_data, set_quiet, undo_passes_through

CSV = "csv"
THUMBNAIL = 22  # px: each input feature's heatmap beside its check box
ALL_SAMPLES = 9  # the samples spin box's "All" value for image sets (real sizes start at 10)


@lru_cache(maxsize=None)
def _example(name: str) -> Experiment:
    """The example experiment of the built-in set ``name``, read once (copy what you take from it)."""
    return load_experiment(example_path(name))


def choose_builtin(exp: Experiment, name: str) -> None:
    """Switch ``exp`` to the built-in data set ``name`` with the settings its example trains it with.

    Each built-in set has an example tuned for it (resources/examples/<name>.json); with the
    window's plain defaults wine, coffee and breast cancer stay near chance, because their
    columns need normalizing. So a set comes with its example's split, input normalization,
    output, loss and training settings (optimizer, learning rate, batch size, epochs). The hidden
    layers follow the example too, unless the user built them: a network that is not the default
    or an example's stays, as in TensorFlow Playground. Noise keeps the set's own default, and the
    device (a choice of machine, not of data) stays. It is one edit: Undo brings it all back.
    """
    example = _example(name).model_copy(deep=True)
    shipped = [ModelSpec().layers, *(_example(info.name).model.layers for info in list_datasets())]
    if exp.model.layers not in shipped:
        example.model.layers = exp.model.layers
    example.dataset.noise = dataset_info(name).default_noise
    example.training.device = exp.training.device
    exp.dataset, exp.model, exp.training = example.dataset, example.model, example.training


class DataPanel(QWidget):
    """Edits the data set choice through the state (a built-in set brings its example's settings);
    shows a CSV file loading and load errors inline."""

    def __init__(self, state: ExperimentState, dialogs: Dialogs, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.dialogs = state, dialogs

        self.combo = named(QComboBox(), "datasetCombo", self.tr("Data set"), self.tr("The data set to learn from"))
        for info in list_datasets():
            self.combo.addItem(i18n.dataset(info.title), info.name)
            self.combo.setItemData(self.combo.count() - 1,
                                   self.tr("{0}\nTask: {1}.").format(
                                       i18n.dataset(info.description), i18n.catalog(catalog.TASK_NAMES[info.task])),
                                   Qt.ItemDataRole.ToolTipRole)
        self.combo.insertSeparator(self.combo.count())
        self.combo.addItem(self.tr("CSV file…"), CSV)
        self.combo.setItemData(self.combo.count() - 1, i18n.dataset(dataset_info(CSV).description),
                               Qt.ItemDataRole.ToolTipRole)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("datasetDescription")

        self.csv_button = named(QPushButton(self.tr("Choose file…")), "csvFileButton", self.tr("Choose CSV file"))
        self.csv_label = QLabel()
        self.csv_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target_combo = named(QComboBox(), "targetCombo", self.tr("Target column"),
                                  self.tr("The column the model learns to predict"))
        self.task_combo = named(QComboBox(), "taskCombo", self.tr("Task"),
                                self.tr("Auto: a text target, or one of at most {0} different whole "
                                        "numbers, is a class label; other numbers are a regression target. Choose "
                                        "Regression for ratings such as 1 to 10.").format(MAX_AUTO_CLASSES))
        self.task_titles = {"auto": self.tr("Auto"), "classification": self.tr("Classification"),
                            "regression": self.tr("Regression")}
        for task in TASKS:
            self.task_combo.addItem(self.task_titles[task], task)
        self.csv_box = QWidget()
        csv_form = QFormLayout(self.csv_box)
        csv_form.setContentsMargins(0, 0, 0, 0)
        file_row = QHBoxLayout()
        file_row.addWidget(self.csv_label, 1)
        file_row.addWidget(self.csv_button)
        csv_form.addRow(self.tr("File"), file_row)
        csv_form.addRow(self.tr("Target"), self.target_combo)
        csv_form.addRow(self.tr("Task"), self.task_combo)

        self.samples = named(QSpinBox(), "samplesSpin", self.tr("Samples"), self.tr("How many points to generate"))
        self.samples.setSingleStep(50)
        self.noise = named(QSpinBox(), "noiseSpin", self.tr("Noise"),
                           self.tr("Random displacement of the points, in percent (TensorFlow Playground's noise)"))
        self.noise.setRange(0, 50)
        self.noise.setSuffix(" %")
        self.train_share = named(QSpinBox(), "trainShareSpin", self.tr("Training share"),
                                 self.tr("The share of the data used for training; the rest is the test set"))
        self.train_share.setRange(10, 90)
        self.train_share.setSingleStep(5)
        self.train_share.setSuffix(" %")
        self.seed = named(QSpinBox(), "dataSeedSpin", self.tr("Data seed"),
                          self.tr("The random seed of the generator and of the train/test split"))
        self.seed.setRange(0, 2**31 - 1)
        for spin in (self.samples, self.noise, self.train_share, self.seed):
            spin.setKeyboardTracking(False)
        undo_passes_through(self.samples, self.noise, self.train_share, self.seed)
        form = QGridLayout()  # two settings a row: the panel is a narrow column
        for i, (text, spin) in enumerate(((self.tr("Samples"), self.samples), (self.tr("Noise"), self.noise),
                                          (self.tr("Training"), self.train_share), (self.tr("Seed"), self.seed))):
            form.addWidget(QLabel(text), i // 2, 2 * (i % 2))
            form.addWidget(spin, i // 2, 2 * (i % 2) + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)

        self.features_box = QGroupBox(self.tr("Input features"))
        self.features_box.setToolTip(self.tr("Feature crosses of the two coordinates, as in TensorFlow Playground"))
        grid = QGridLayout(self.features_box)
        grid.setContentsMargins(6, 2, 6, 2)
        self.feature_checks: dict[str, QCheckBox] = {}
        for i, feature in enumerate(FEATURES):
            check = named(QCheckBox(feature_label(feature)), f"feature_{feature}",
                          self.tr("Feature {0}").format(feature))
            check.setIcon(QIcon(feature_thumbnail(feature, THUMBNAIL)))  # the feature over the plane
            check.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
            check.toggled.connect(self._features_edited)
            grid.addWidget(check, i // 4, i % 4)
            self.feature_checks[feature] = check

        self.message = ProblemsLabel()
        self.message.setObjectName("dataMessage")
        self.loading = QLabel()
        self.loading.setObjectName("dataLoading")
        self.loading.hide()
        self.preview = DataPreview()
        self.preview.setMinimumHeight(90)

        layout = QVBoxLayout(self)
        layout.addWidget(self.combo)
        layout.addWidget(self.description)
        layout.addWidget(self.csv_box)
        layout.addLayout(form)
        layout.addWidget(self.features_box)
        layout.addWidget(self.loading)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)

        self.combo.currentIndexChanged.connect(self._dataset_chosen)
        self.csv_button.clicked.connect(self._choose_csv)
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.task_combo.currentIndexChanged.connect(self._task_chosen)
        self.samples.valueChanged.connect(self._samples_edited)
        self.noise.valueChanged.connect(lambda v: self._edit(self.tr("Change noise"), "noise", float(v)))
        self.train_share.valueChanged.connect(
            lambda v: self._edit(self.tr("Change training share"), "test_fraction", round(1 - v / 100, 4)))
        self.seed.valueChanged.connect(lambda v: self._edit(self.tr("Change data seed"), "seed", int(v)))
        state.changed.connect(self._changed)
        state.rejected.connect(self.sync)
        state.error.connect(self._show_error)
        state.loading.connect(self._show_loading)
        self._shown_dataset = None
        self.sync()

    # -- from the state ---------------------------------------------------------------------------
    @Slot(object)
    def _changed(self, parts: frozenset) -> None:
        """Redraw for an edit of the data set's part."""
        if "dataset" in parts:
            self.sync()

    @Slot()
    def sync(self) -> None:
        spec = self.state.experiment.dataset
        info = dataset_info(spec.name)
        ds = self.state.dataset
        set_combo_data(self.combo, spec.name)
        self.combo.setToolTip(self.combo.currentData(Qt.ItemDataRole.ToolTipRole))
        text = i18n.dataset(info.description)
        if ds is not None:
            rows = (self.tr(" {0}: {1} training and {2} test rows, {3} features.") if ds.input_dim != 1 else
                    self.tr(" {0}: {1} training and {2} test rows, {3} feature."))
            text += rows.format(i18n.catalog(catalog.TASK_NAMES[ds.task]).capitalize(), len(ds.x_train),
                                len(ds.x_test), ds.input_dim)
        self.description.setText(text)

        self.csv_box.setVisible(spec.name == CSV)
        if spec.name == CSV:
            self.csv_label.setText(Path(spec.path).name if spec.path else self.tr("(none)"))
            self.csv_label.setToolTip(spec.path or "")
            columns = [*ds.feature_names, ds.target_name] if ds is not None else []
            was = self.target_combo.blockSignals(True)
            self.target_combo.clear()
            self.target_combo.addItems(columns)
            self.target_combo.setCurrentText(spec.target or (columns[-1] if columns else ""))
            self.target_combo.blockSignals(was)
            set_combo_data(self.task_combo, spec.task)
            auto = f" ({i18n.catalog(catalog.TASK_NAMES[ds.task])})" if ds is not None and spec.task == "auto" else ""
            self.task_combo.setItemText(0, self.task_titles["auto"] + auto)

        self._sync_samples(info, spec.samples, ds)
        self.noise.setEnabled(info.kind == "2d")
        set_quiet(self.noise, round(spec.noise))
        set_quiet(self.train_share, round((1 - spec.test_fraction) * 100))
        set_quiet(self.seed, spec.seed)
        self.features_box.setVisible(info.kind == "2d")
        for feature, check in self.feature_checks.items():
            set_quiet(check, feature in spec.features)

        self.message.show_messages([], self.state.dataset_error)
        if ds is not self._shown_dataset and ds is not None:
            self._shown_dataset = ds
            self.preview.set_dataset(ds)

    def _sync_samples(self, info, samples: int | None, ds) -> None:
        was = self.samples.blockSignals(True)
        if info.kind == "2d":
            self.samples.setEnabled(True)
            self.samples.setSpecialValueText("")
            self.samples.setRange(10, MAX_SAMPLES)
            self.samples.setValue(samples or info.default_samples)
        elif info.kind == "image" and info.input_dim == 784:
            self.samples.setEnabled(True)
            self.samples.setRange(ALL_SAMPLES, MAX_IMAGE_SAMPLES)
            self.samples.setSpecialValueText(self.tr("All"))
            self.samples.setValue(samples or ALL_SAMPLES)
        else:  # a table of fixed size
            rows = len(ds.x_train) + len(ds.x_test) if ds is not None else 0
            self.samples.setEnabled(False)
            self.samples.setSpecialValueText("")
            self.samples.setRange(0, max(rows, 1))
            self.samples.setValue(rows)
        self.samples.setToolTip(self.tr("How many points to generate") if info.kind == "2d" else
                                self.tr("How many images to use (a seeded subset); All: every image")
                                if self.samples.isEnabled() else self.tr("This data set has a fixed size"))
        self.samples.blockSignals(was)

    @Slot(str)
    def _show_error(self, text: str) -> None:
        self.message.show_messages([], text)

    @Slot(str)
    def _show_loading(self, text: str) -> None:
        self.loading.setText(text)
        self.loading.setVisible(bool(text))

    # -- edits ------------------------------------------------------------------------------------
    def _edit(self, text: str, field: str, value) -> None:
        self.state.edit(text, lambda exp: setattr(exp.dataset, field, value), key=f"dataset.{field}")

    @Slot(int)
    def _dataset_chosen(self, index: int) -> None:
        self.state.cancel_loading()  # the newest choice wins over a CSV file still loading
        name = self.combo.itemData(index)
        if name == CSV:
            self._choose_csv()
            return
        self.state.edit(self.tr("Choose data set {0}").format(self.combo.itemText(index)),
                        lambda exp: choose_builtin(exp, name))

    @Slot()
    def _choose_csv(self) -> None:
        current = self.state.experiment.dataset.path or ""
        path = self.dialogs.open_path(self.tr("Import a CSV file"), str(Path(current).parent) if current else "",
                                      self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if not path:
            self.sync()
            return
        self.import_csv(path)

    def import_csv(self, path: str, target: str | None = None) -> None:
        """Use the CSV file ``path`` as the data set (``target`` defaults to its last column).

        The file loads in the background; the edit applies when it has loaded. Inputs are
        normalized: a table's columns come in units of their own (see :func:`choose_builtin`).
        """
        def change(exp):
            d = exp.dataset
            d.name, d.path, d.target, d.samples, d.task = CSV, str(path), target, None, "auto"
            exp.model.normalize = True
        self._show_error("")  # the last file's failure is history while this one loads
        self.state.edit(self.tr("Import {0}").format(Path(path).name), change)

    @Slot(int)
    def _target_chosen(self, index: int) -> None:
        self._edit(self.tr("Choose target column"), "target", self.target_combo.itemText(index))

    @Slot(int)
    def _task_chosen(self, index: int) -> None:
        self._edit(self.tr("Choose task"), "task", self.task_combo.itemData(index))

    @Slot(int)
    def _samples_edited(self, value: int) -> None:
        self._edit(self.tr("Change samples"), "samples", None if value == ALL_SAMPLES else int(value))

    @Slot()
    def _features_edited(self) -> None:
        features = [f for f, check in self.feature_checks.items() if check.isChecked()]
        if not features:
            self.sync()
            self.message.show_messages([], self.tr("Choose at least one input feature."))
            return
        self._edit(self.tr("Change input features"), "features", features)
