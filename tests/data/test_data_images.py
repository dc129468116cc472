"""MNIST / Fashion-MNIST from a fake Keras cache, and the offline message."""
import gzip

import numpy as np
import pytest

from playground.data import images, load_dataset
from playground.errors import PlaygroundError


def fake_images(rng, n):
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network(name):
        raise OSError("URL fetch failure: network is unreachable")

    monkeypatch.setattr(images, "download_with_keras", no_network)
    (tmp_path / "datasets").mkdir()
    return tmp_path


@pytest.fixture
def mnist_cache(keras_home):
    rng = np.random.default_rng(0)
    (x_train, y_train), (x_test, y_test) = fake_images(rng, 60), fake_images(rng, 20)
    np.savez(keras_home / "datasets" / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return x_train, y_train, x_test, y_test


def write_fashion_cache(keras_home, n_train=40, n_test=10):
    rng = np.random.default_rng(1)
    folder = keras_home / "datasets" / "fashion-mnist"
    folder.mkdir()
    arrays = [*fake_images(rng, n_train), *fake_images(rng, n_test)]
    for (x, y), prefix in ((arrays[:2], "train"), (arrays[2:], "t10k")):
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(bytes(16) + x.tobytes()))
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(8) + y.tobytes()))
    return arrays


def test_mnist_from_the_cache_keeps_keras_split(mnist_cache):
    x_train, y_train, x_test, y_test = mnist_cache
    ds = load_dataset("mnist", test_fraction=0.9)  # Keras' split wins
    assert ds.task == "multiclass" and ds.num_classes == ds.output_units == 10
    assert ds.x_train.shape == (60, 784) and ds.x_test.shape == (20, 784) and ds.input_dim == 784
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int32
    np.testing.assert_array_equal(ds.x_train, x_train.reshape(60, -1) / np.float32(255))
    np.testing.assert_array_equal(ds.y_test, y_test)
    assert 0 <= ds.x_train.min() and ds.x_train.max() <= 1
    assert ds.class_names == tuple("0123456789") and ds.feature_names[29] == "pixel_1_1"
    assert not ds.is_2d


def test_samples_takes_a_seeded_subset_in_proportion(mnist_cache):
    x_train, y_train, x_test, y_test = mnist_cache
    a = load_dataset("mnist", samples=30, seed=1)
    assert a.x_train.shape == (30, 784) and a.x_test.shape == (10, 784)
    for subset, labels, images, originals in ((a.x_train, a.y_train, x_train, y_train),
                                              (a.x_test, a.y_test, x_test, y_test)):
        pixels = np.round(subset * 255).astype(np.uint8).reshape(-1, 28, 28)
        index = [int(np.flatnonzero((images == image).all(axis=(1, 2)))[0]) for image in pixels]
        assert len(set(index)) == len(index), "a subset repeats an image"
        np.testing.assert_array_equal(labels, originals[index], err_msg="each image keeps its own label")
    np.testing.assert_array_equal(a.x_train, load_dataset("mnist", samples=30, seed=1).x_train)
    assert not np.array_equal(a.x_train, load_dataset("mnist", samples=30, seed=2).x_train)
    with pytest.raises(PlaygroundError, match="samples must be at most 60 for mnist"):
        load_dataset("mnist", samples=61)


def test_fashion_mnist_from_the_cache(keras_home):
    x_train, y_train, x_test, y_test = write_fashion_cache(keras_home)
    ds = load_dataset("fashion-mnist")
    assert ds.x_train.shape == (40, 784) and ds.x_test.shape == (10, 784)
    np.testing.assert_array_equal(ds.y_train, y_train)
    np.testing.assert_array_equal(ds.x_test * 255, x_test.reshape(10, -1))
    assert ds.class_names[0] == "T-shirt/top" and ds.class_names[-1] == "Ankle boot"


def test_offline_mnist_says_what_to_download_and_where(keras_home):
    with pytest.raises(PlaygroundError) as info:
        load_dataset("mnist")
    message = str(info.value)
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/" in message
    assert "mnist.npz" in message and str(keras_home / "datasets") in message
    assert message.startswith("The mnist data set is not in Keras' cache") and message.endswith(".")
    assert "Traceback" not in message and "URL fetch failure" not in message  # our sentence, not the OSError


def test_offline_fashion_lists_the_four_files(keras_home):
    with pytest.raises(PlaygroundError) as info:
        load_dataset("fashion-mnist")
    message = str(info.value)
    for name in images.FASHION_FILES:
        assert name in message
    assert str(keras_home / "datasets" / "fashion-mnist") in message


def test_download_is_used_when_not_cached(keras_home, monkeypatch):
    rng = np.random.default_rng(2)
    arrays = (*fake_images(rng, 12), *fake_images(rng, 12))
    monkeypatch.setattr(images, "download_with_keras", lambda name: arrays)
    assert load_dataset("mnist").x_train.shape == (12, 784)


def test_damaged_cache_is_a_clear_error(keras_home):
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"not a zip file")
    with pytest.raises(PlaygroundError, match="cannot be read; delete them"):
        load_dataset("mnist")
