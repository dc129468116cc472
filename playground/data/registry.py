"""The built-in data sets by name, and ``load_dataset``, the one way to load any of them.

Titles and descriptions are English here (the CLI lists them so), marked with
``QT_TRANSLATE_NOOP("datasets", …)`` for the interface, which translates them when it shows
them (``playground.ui.i18n.dataset``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from playground.data import images, planar, tables
from playground.data.csvio import load_csv
from playground.data.dataset import (
    Dataset,
    check_features,
    check_number,
    check_seed,
    cross_features,
    plane_extent,
    split_dataset,
    table_dataset,
)
from playground.errors import PlaygroundError
from playground.translatable import QT_TRANSLATE_NOOP

MAX_SAMPLES = 50_000
"""Most points a generated 2-D set may have."""
MAX_IMAGE_SAMPLES = 60_000


@dataclass(frozen=True)
class DatasetInfo:
    """What the UI shows about a data set before loading it.

    ``default_samples`` is None where the set has its own fixed size (for MNIST-style
    sets ``samples`` then picks a subset); ``input_dim`` is None where it depends on
    the 2-D features chosen, and for CSV, whose ``task`` is also unknown ("").
    """

    name: str
    title: str
    task: str
    kind: str
    default_samples: int | None
    input_dim: int | None
    description: str
    default_noise: float = 0.0


_INFOS = (
    DatasetInfo("circle", QT_TRANSLATE_NOOP("datasets", "Circle"), "binary", "2d", 500, None,
                QT_TRANSLATE_NOOP("datasets", "A blob of one class inside a ring of the other (TensorFlow "
                                              "Playground).")),
    DatasetInfo("xor", QT_TRANSLATE_NOOP("datasets", "Exclusive or"), "binary", "2d", 500, None,
                QT_TRANSLATE_NOOP("datasets", "Four quadrants: the class is positive where x1 and x2 have the same "
                                              "sign.")),
    DatasetInfo("gauss", QT_TRANSLATE_NOOP("datasets", "Gaussian"), "binary", "2d", 500, None,
                QT_TRANSLATE_NOOP("datasets", "Two Gaussian clouds, easy to separate with a straight line; noise "
                                              "makes them overlap.")),
    DatasetInfo("spiral", QT_TRANSLATE_NOOP("datasets", "Spiral"), "binary", "2d", 500, None,
                QT_TRANSLATE_NOOP("datasets", "Two interleaved spirals, the hardest TensorFlow Playground set.")),
    DatasetInfo("moons", QT_TRANSLATE_NOOP("datasets", "Two moons"), "binary", "2d", 500, None,
                QT_TRANSLATE_NOOP("datasets", "Two interleaving half circles (scikit-learn's "
                                              "make_moons)."), default_noise=10.0),
    DatasetInfo("reg-plane", QT_TRANSLATE_NOOP("datasets", "Plane"), "regression", "2d", 1200, None,
                QT_TRANSLATE_NOOP("datasets", "Regression: the target rises linearly with x1 + x2.")),
    DatasetInfo("reg-gauss", QT_TRANSLATE_NOOP("datasets", "Multi Gaussian"), "regression", "2d", 1200, None,
                QT_TRANSLATE_NOOP("datasets", "Regression: six positive and negative bumps on a flat plane.")),
    DatasetInfo("coffee", QT_TRANSLATE_NOOP("datasets", "Coffee roasting"), "binary", "table", None, 2,
                QT_TRANSLATE_NOOP("datasets", "200 coffee roasts by temperature (°C) and duration (minutes), "
                                              "labelled good or bad.")),
    DatasetInfo("iris", QT_TRANSLATE_NOOP("datasets", "Iris flowers"), "multiclass", "table", None, 4,
                QT_TRANSLATE_NOOP("datasets", "150 iris flowers, 4 measurements, 3 species (scikit-learn).")),
    DatasetInfo("wine", QT_TRANSLATE_NOOP("datasets", "Wine"), "multiclass", "table", None, 13,
                QT_TRANSLATE_NOOP("datasets", "178 wines, 13 chemical measurements, 3 cultivars (scikit-learn).")),
    DatasetInfo("breast-cancer", QT_TRANSLATE_NOOP("datasets", "Breast cancer"), "binary", "table", None, 30,
                QT_TRANSLATE_NOOP("datasets", "569 tumours, 30 cell measurements: malignant or benign "
                                              "(scikit-learn).")),
    DatasetInfo("digits", QT_TRANSLATE_NOOP("datasets", "Digits 8×8"), "multiclass", "image", None, 64,
                QT_TRANSLATE_NOOP("datasets", "1,797 handwritten digits as 8×8 images with pixel values 0..16 "
                                              "(scikit-learn).")),
    DatasetInfo("mnist", QT_TRANSLATE_NOOP("datasets", "MNIST"), "multiclass", "image", None, 784,
                QT_TRANSLATE_NOOP("datasets", "70,000 handwritten digits as 28×28 grey images (Keras' download).")),
    DatasetInfo("fashion-mnist", QT_TRANSLATE_NOOP("datasets", "Fashion-MNIST"), "multiclass", "image", None, 784,
                QT_TRANSLATE_NOOP("datasets", "70,000 28×28 grey images of 10 kinds of clothing (Keras' download).")),
)  # fmt: skip
_BY_NAME = {info.name: info for info in _INFOS}
CSV_INFO = DatasetInfo("csv", QT_TRANSLATE_NOOP("datasets", "CSV file"), "", "table", None, None,
                       QT_TRANSLATE_NOOP("datasets", "Your own table: numeric feature columns and a target "
                                                     "column."))  # fmt: skip

_PLANAR: dict[str, planar.PlaneGenerator] = {
    "circle": planar.circle,
    "xor": planar.xor,
    "gauss": planar.gauss,
    "spiral": planar.spiral,
    "moons": planar.moons,
    "reg-plane": planar.reg_plane,
    "reg-gauss": planar.reg_gauss,
}


def list_datasets() -> list[DatasetInfo]:
    """The built-in data sets in display order (CSV import, ``"csv"``, is not listed)."""
    return list(_INFOS)


def dataset_info(name: str) -> DatasetInfo:
    """The description of the data set ``name`` (a built-in or ``"csv"``)."""
    if name == CSV_INFO.name:
        return CSV_INFO
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join([*_BY_NAME, CSV_INFO.name])
        raise PlaygroundError(f"Unknown data set {name!r}; the data sets are: {known}.") from None


def load_dataset(
    name: str,
    *,
    samples: int | None = None,
    noise: float = 0.0,
    test_fraction: float = 0.5,
    seed: int = 0,
    features: Sequence[str] = ("x1", "x2"),
    path: str | None = None,
    target: str | None = None,
    task: str = "auto",
) -> Dataset:
    """Load a data set by name; the same arguments give bit-identical arrays.

    ``noise`` is a percentage (0..50) used by the generated 2-D sets, ``features``
    picks their feature crosses. ``samples`` sizes the generated sets and subsamples
    MNIST-style sets; the other tables have a fixed size. ``"csv"`` reads ``path``, with
    ``target`` and ``task`` ("auto", "classification", "regression") as in :func:`load_csv`.
    """
    info = dataset_info(name)
    if task != "auto" and name != "csv":
        raise PlaygroundError(f"The task can be chosen for a CSV file only; the data set {name!r} "
                              f"is always {info.task}, so set task to 'auto'.")
    check_number("noise", noise, 0, 50)
    check_number("test_fraction", test_fraction, 0.1, 0.9)
    check_seed(seed)
    features = check_features(features)
    if info.kind == "2d":
        samples = info.default_samples if samples is None else samples
        check_number("samples", samples, 10, MAX_SAMPLES, whole=True)
        rng = np.random.default_rng(seed)
        points, labels = _PLANAR[name](rng, int(samples), noise / 100)
        return split_dataset(
            name,
            info.task,
            cross_features(points, features),
            labels,
            rng=rng,
            test_fraction=test_fraction,
            feature_names=features,
            class_names=() if info.task == "regression" else ("0", "1"),
            points=points,
            extent=plane_extent(points, within=planar.EXTENT),
            target_name="y" if info.task == "regression" else "label",
        )
    if name in ("mnist", "fashion-mnist"):
        if samples is not None:
            check_number("samples", samples, 10, MAX_IMAGE_SAMPLES, whole=True)
        return images.image_dataset(name, samples=samples, seed=seed)
    if name == "csv":
        if path is None:
            raise PlaygroundError("Choose a CSV file to load the 'csv' data set from.")
        return load_csv(path, target=target, test_fraction=test_fraction, seed=seed, task=task)
    table = tables.coffee() if name == "coffee" else tables.sklearn_table(name)
    return table_dataset(name, table, seed=seed, test_fraction=test_fraction)
