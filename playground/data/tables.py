"""Small built-in tables: the coffee-roasting set and scikit-learn's bundled sets."""
from __future__ import annotations

import numpy as np

from playground.data.dataset import Table


def coffee() -> Table:
    """Andrew Ng's ``load_coffee_data``: 200 roasts (temperature °C, duration min), always from rng 2."""
    rng = np.random.default_rng(2)
    x = rng.random(400).reshape(-1, 2)
    x[:, 1] = x[:, 1] * 4 + 11.5  # 12-15 min is best
    x[:, 0] = x[:, 0] * (285 - 150) + 150  # 175-260 °C is best
    t, d = x[:, 0], x[:, 1]
    good = (t > 175) & (t < 260) & (d > 12) & (d < 15) & (d <= -3 / (260 - 175) * t + 21)
    return Table(
        x=x.astype(np.float32),
        y=good.astype(np.float32),
        feature_names=("temperature", "duration"),
        class_names=("bad roast", "good roast"),
        target_name="roast",
    )


_SKLEARN = {
    # name: (loader function in sklearn.datasets, target column name)
    "iris": ("load_iris", "species"),
    "wine": ("load_wine", "cultivar"),
    "breast-cancer": ("load_breast_cancer", "diagnosis"),
    "digits": ("load_digits", "digit"),
}


def sklearn_table(name: str) -> Table:
    """One of scikit-learn's bundled sets (read from disk, never downloaded)."""
    from sklearn import datasets  # slow import: only when asked for

    loader, target_name = _SKLEARN[name]
    bunch = getattr(datasets, loader)()
    return Table(
        x=bunch.data.astype(np.float32),
        y=bunch.target,
        feature_names=tuple(str(f) for f in bunch.feature_names),
        class_names=tuple(str(c) for c in bunch.target_names),
        target_name=target_name,
    )
