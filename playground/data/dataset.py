"""The ``Dataset`` every loader returns, the 2-D feature crosses, and the shared split."""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from playground.errors import PlaygroundError

# Each cross maps the columns x1, x2 (shape (m, 1)) with an array module ``ops``: numpy here, and
# ``keras.ops`` where the model computes the same crosses itself (playground.core.build), so the
# data set's features and an exported model's inputs follow one definition.
_CROSSES: dict[str, Callable] = {
    "x1": lambda x1, x2, ops: x1,
    "x2": lambda x1, x2, ops: x2,
    "x1^2": lambda x1, x2, ops: ops.square(x1),
    "x2^2": lambda x1, x2, ops: ops.square(x2),
    "x1*x2": lambda x1, x2, ops: ops.multiply(x1, x2),
    "sin_x1": lambda x1, x2, ops: ops.sin(x1),
    "sin_x2": lambda x1, x2, ops: ops.sin(x2),
}
FEATURES = tuple(_CROSSES)
"""TensorFlow Playground's feature crosses of a 2-D point, in display order."""
_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂",
           "sin_x1": "sin(x₁)", "sin_x2": "sin(x₂)"}


def feature_label(name: str) -> str:
    """How a feature is written for a reader, everywhere it is shown: x₁² for the cross ``x1^2``;
    any other feature (a CSV column) by its own name."""
    return _LABELS.get(name, name)


def check_number(name: str, value: object, low: float, high: float, *, whole: bool = False) -> None:
    """Raise unless ``low <= value <= high`` (and a whole number, if ``whole``)."""
    kind = numbers.Integral if whole else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        what = "a whole number" if whole else "a number"
        raise PlaygroundError(f"{name} must be {what} from {low:g} to {high:g}, not {value!r}.")


def check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise PlaygroundError(f"seed must be a whole number of 0 or more, not {seed!r}.")


def check_features(features: Sequence[str]) -> tuple[str, ...]:
    """Return ``features`` as a tuple, or raise if empty, unknown or repeated."""
    if isinstance(features, str):
        features = (features,)
    features = tuple(features)
    if not features:
        raise PlaygroundError(f"Choose at least one input feature from: {', '.join(FEATURES)}.")
    unknown = [f for f in features if f not in _CROSSES]
    if unknown:
        raise PlaygroundError(
            f"Unknown input feature {unknown[0]!r}; the features are: {', '.join(FEATURES)}."
        )
    if len(set(features)) != len(features):
        raise PlaygroundError(f"Each input feature may be chosen once, got: {', '.join(features)}.")
    return features


def cross_features(points, features: Sequence[str], ops=np):
    """Map raw ``(m, 2)`` points to the ``(m, len(features))`` feature crosses.

    With the default ``ops`` (numpy) the points become float32 arrays; with ``keras.ops`` and a
    symbolic Keras tensor the crosses become layers of a functional model.
    """
    if ops is np:
        points = np.asarray(points, dtype=np.float32)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"points must have shape (m, 2), got {points.shape}")
    x1, x2 = ops.split(points, 2, axis=1)
    return ops.concatenate([_CROSSES[f](x1, x2, ops) for f in features], axis=1)


@dataclass(frozen=True, eq=False)
class Dataset:
    """A featurized data set split into train and test parts.

    ``x_train``/``x_test`` hold the features the first Dense layer sees (``feature_names``, the
    crosses for TensorFlow Playground's sets); a model takes the raw columns (``raw_names``,
    ``raw_train``/``raw_test``) and computes the crosses itself, so an exported model needs no
    preprocessing outside it. Labels: binary float32 0/1, multiclass int32 class index,
    regression float32. 2-D sets also keep the raw points and the plotting domain, for
    decision boundaries.
    """

    name: str
    task: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    points_train: np.ndarray | None = None
    points_test: np.ndarray | None = None
    extent: tuple[float, float, float, float] | None = None
    target_name: str = "y"

    @property
    def input_dim(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def output_units(self) -> int:
        return self.num_classes if self.task == "multiclass" else 1

    @property
    def is_2d(self) -> bool:
        return self.points_train is not None

    @property
    def crosses(self) -> tuple[str, ...]:
        """The feature crosses a model computes from the points (x1, x2); empty where its
        features are the raw columns themselves."""
        if self.is_2d and set(self.feature_names) <= set(FEATURES) and self.feature_names != ("x1", "x2"):
            return self.feature_names
        return ()

    @property
    def raw_names(self) -> tuple[str, ...]:
        """The columns a model takes, in order."""
        return ("x1", "x2") if self.crosses else self.feature_names

    @property
    def raw_dim(self) -> int:
        return len(self.raw_names)

    @property
    def raw_train(self) -> np.ndarray:
        return self.points_train if self.crosses else self.x_train

    @property
    def raw_test(self) -> np.ndarray:
        return self.points_test if self.crosses else self.x_test

    def featurize(self, points: np.ndarray) -> np.ndarray:
        """Map raw ``(m, 2)`` points to the features (numpy's twin of the crosses a model computes).

        Sets built from feature crosses apply them; sets whose two features are
        raw columns (coffee, a 2-column CSV) use the points as they are.
        """
        if not self.is_2d:
            raise PlaygroundError(
                f"The data set {self.name!r} has {self.input_dim} features, not a 2-D plane, "
                "so it has no decision boundary to draw."
            )
        return cross_features(points, self.crosses or ("x1", "x2"))


def split_indices(rng: np.random.Generator, n: int, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """A seeded permutation of ``range(n)`` cut into (train, test); test has round(n * fraction) rows."""
    n_test = round(n * test_fraction)
    if n_test < 1 or n_test >= n:
        raise PlaygroundError(
            f"A test fraction of {test_fraction:g} leaves an empty train or test part "
            f"for {n} rows; use more rows or a fraction nearer 0.5."
        )
    order = rng.permutation(n)
    return order[n_test:], order[:n_test]


def labels_for(task: str, y: np.ndarray) -> np.ndarray:
    """Cast labels to the dtype of ``task``: float32, or int32 class indices for multiclass."""
    return np.asarray(y, dtype=np.int32 if task == "multiclass" else np.float32)


def plane_extent(points: np.ndarray, margin: float = 0.05,
                 within: tuple[float, float, float, float] | None = None) -> tuple[float, float, float, float]:
    """The points' bounding box widened by ``margin`` of its size on every side, so that a boundary
    drawn over it lies under every point; with ``within`` (a set's usual plane), that plane, widened
    only on a side where points (noise) fall outside it."""
    lo, hi = points.min(axis=0).astype(float), points.max(axis=0).astype(float)
    pad = np.where(hi > lo, (hi - lo) * margin, 1.0)
    x0, x1, y0, y1 = lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1]
    if within is not None:
        x0 = x0 if lo[0] < within[0] else within[0]
        x1 = x1 if hi[0] > within[1] else within[1]
        y0 = y0 if lo[1] < within[2] else within[2]
        y1 = y1 if hi[1] > within[3] else within[3]
    return (x0, x1, y0, y1)


def split_dataset(
    name: str,
    task: str,
    x: np.ndarray,
    y: np.ndarray,
    *,
    rng: np.random.Generator,
    test_fraction: float,
    feature_names: Sequence[str],
    class_names: Sequence[str] = (),
    points: np.ndarray | None = None,
    extent: tuple[float, float, float, float] | None = None,
    target_name: str = "y",
) -> Dataset:
    """Split featurized rows (and their raw points, if any) into a ``Dataset``."""
    train, test = split_indices(rng, len(x), test_fraction)
    x = np.asarray(x, dtype=np.float32)
    y = labels_for(task, y)
    if points is not None:
        points = np.asarray(points, dtype=np.float32)
    return Dataset(
        name=name,
        task=task,
        x_train=x[train],
        y_train=y[train],
        x_test=x[test],
        y_test=y[test],
        feature_names=tuple(feature_names),
        class_names=tuple(class_names),
        points_train=None if points is None else points[train],
        points_test=None if points is None else points[test],
        extent=None if extent is None else tuple(float(v) for v in extent),
        target_name=target_name,
    )


@dataclass(frozen=True)
class Table:
    """Rows of numeric features with their labels, before the split."""

    x: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    target_name: str

    @property
    def task(self) -> str:
        if not self.class_names:
            return "regression"
        return "binary" if len(self.class_names) == 2 else "multiclass"


def table_dataset(name: str, table: Table, *, seed: int, test_fraction: float) -> Dataset:
    """Split a table with a seeded permutation; a two-feature table also gets a plane."""
    plane = {}
    if table.x.shape[1] == 2:
        plane = {"points": table.x, "extent": plane_extent(table.x)}
    return split_dataset(
        name,
        table.task,
        table.x,
        table.y,
        rng=np.random.default_rng(seed),
        test_fraction=test_fraction,
        feature_names=table.feature_names,
        class_names=table.class_names,
        target_name=table.target_name,
        **plane,
    )
