"""MNIST and Fashion-MNIST from Keras' download cache, read with numpy alone.

Keras keeps ``mnist.npz`` in ``$KERAS_HOME/datasets/`` and Fashion-MNIST as four
gzip files in ``$KERAS_HOME/datasets/fashion-mnist/``. Only when they are missing
is Keras (and so TensorFlow) imported, to download them.
"""
from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import numpy as np

from playground.data.dataset import Dataset, labels_for
from playground.errors import PlaygroundError

URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # x_train, y_train, x_test, y_test


def keras_datasets_dir() -> Path:
    """Where Keras caches downloads: ``$KERAS_HOME/datasets`` (``~/.keras``, else ``/tmp/.keras``)."""
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    if not os.access(home if home.exists() else home.parent, os.W_OK):
        home = Path("/tmp/.keras")
    return home / "datasets"


def _cached_files(name: str) -> list[Path]:
    folder = keras_datasets_dir()
    if name == "mnist":
        return [folder / "mnist.npz"]
    return [folder / "fashion-mnist" / f for f in FASHION_FILES]


def _read_cache(name: str, files: list[Path]) -> Arrays:
    damaged = (
        f"The cached {name} files in {files[0].parent} cannot be read; "
        "delete them and load the data set again."
    )
    try:
        if name == "mnist":
            with np.load(files[0], allow_pickle=False) as f:
                arrays = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
        else:
            raw = [gzip.open(p).read() for p in files]
            y_train, y_test = (np.frombuffer(b, np.uint8, offset=8) for b in raw[0::2])
            x_train, x_test = (np.frombuffer(b, np.uint8, offset=16) for b in raw[1::2])
            arrays = x_train.reshape(-1, 28, 28), y_train, x_test.reshape(-1, 28, 28), y_test
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        raise PlaygroundError(damaged) from None
    x_train, y_train, x_test, y_test = arrays
    for x, y in ((x_train, y_train), (x_test, y_test)):
        if x.shape[1:] != (28, 28) or len(x) != len(y) or len(x) == 0 or np.any((y < 0) | (y >= 10)):
            raise PlaygroundError(damaged)
    return arrays


def download_with_keras(name: str) -> Arrays:
    """Let Keras download the set into its cache (imports TensorFlow: seconds)."""
    import keras

    module = keras.datasets.mnist if name == "mnist" else keras.datasets.fashion_mnist
    (x_train, y_train), (x_test, y_test) = module.load_data()
    return x_train, y_train, x_test, y_test


def _offline_message(name: str, files: list[Path]) -> str:
    names = ", ".join(p.name for p in files)
    return (
        f"The {name} data set is not in Keras' cache and could not be downloaded. "
        f"Download {names} from {URL} and put {'it' if len(files) == 1 else 'them'} "
        f"in {files[0].parent}."
    )


def load_images(name: str) -> Arrays:
    """Keras' train/test arrays of the set ``"mnist"`` or ``"fashion-mnist"``, cached or downloaded."""
    files = _cached_files(name)
    if all(p.is_file() for p in files):
        return _read_cache(name, files)
    try:
        return download_with_keras(name)
    except Exception:  # no network, proxy, refused, half-written: all mean "fetch it yourself"
        raise PlaygroundError(_offline_message(name, files)) from None


def image_dataset(name: str, *, samples: int | None, seed: int) -> Dataset:
    """Keras' own split, flattened to 784 floats in [0, 1]; ``samples`` picks a seeded subset.

    The test part keeps Keras' test/train proportion of ``samples``.
    """
    x_train, y_train, x_test, y_test = load_images(name)
    if samples is not None:
        if samples > len(x_train):
            raise PlaygroundError(
                f"samples must be at most {len(x_train)} for {name}, not {samples}."
            )
        rng = np.random.default_rng(seed)
        n_test = max(1, round(samples * len(x_test) / len(x_train)))
        train, test = rng.permutation(len(x_train))[:samples], rng.permutation(len(x_test))[:n_test]
        x_train, y_train, x_test, y_test = x_train[train], y_train[train], x_test[test], y_test[test]

    def pixels(x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), -1).astype(np.float32) / np.float32(255)

    return Dataset(
        name=name,
        task="multiclass",
        x_train=pixels(x_train),
        y_train=labels_for("multiclass", y_train),
        x_test=pixels(x_test),
        y_test=labels_for("multiclass", y_test),
        feature_names=tuple(f"pixel_{r}_{c}" for r in range(28) for c in range(28)),
        class_names=FASHION_CLASSES if name == "fashion-mnist" else tuple("0123456789"),
        target_name="item" if name == "fashion-mnist" else "digit",
    )
