"""Every shipped example trains with its own defaults to the result the README promises."""
import numpy as np
import pytest

from playground.core import spec
from playground.core.engine import Engine
from playground.data import images, list_datasets
from playground.resources_path import example_path, examples

# (metric, bar): test accuracy at least, or test MAE at most.
BARS = {
    "xor": ("test_accuracy", 0.95), "circle": ("test_accuracy", 0.95), "gauss": ("test_accuracy", 0.95),
    "spiral": ("test_accuracy", 0.9), "moons": ("test_accuracy", 0.95), "coffee": ("test_accuracy", 0.9),
    "iris": ("test_accuracy", 0.9), "wine": ("test_accuracy", 0.9), "breast-cancer": ("test_accuracy", 0.9),
    "digits": ("test_accuracy", 0.9), "reg-plane": ("test_mae", 0.05), "reg-gauss": ("test_mae", 0.1),
}


def test_there_is_one_example_per_built_in_data_set():
    assert {p.stem for p in examples()} == {info.name for info in list_datasets()}


@pytest.mark.parametrize("name", sorted(BARS))
def test_example_trains_to_its_bar(name):
    exp = spec.load(example_path(name))
    engine = Engine(exp)
    assert engine.run() == "finished"
    metric, bar = BARS[name]
    value = engine.history[metric][-1]
    assert (value >= bar) if metric.endswith("accuracy") else (value <= bar), f"{name}: {metric} {value}"


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_image_examples_run_from_a_keras_cache(name, tmp_path, monkeypatch):
    """No real MNIST here (offline CI): a small cache in Keras' layout shows the example runs end to end."""
    import gzip

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(images, "download_with_keras", lambda name: (_ for _ in ()).throw(OSError("offline")))
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 300).astype(np.uint8)
    pictures = (labels[:, None, None] * 25 + rng.integers(0, 20, (300, 28, 28))).astype(np.uint8)
    folder = tmp_path / "datasets"
    folder.mkdir()
    if name == "mnist":
        np.savez(folder / "mnist.npz", x_train=pictures[:240], y_train=labels[:240],
                 x_test=pictures[240:], y_test=labels[240:])
    else:
        (folder / name).mkdir()
        for prefix, part in (("train", slice(0, 240)), ("t10k", slice(240, 300))):
            (folder / name / f"{prefix}-images-idx3-ubyte.gz").write_bytes(
                gzip.compress(bytes(16) + pictures[part].tobytes()))
            (folder / name / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(
                gzip.compress(bytes(8) + labels[part].tobytes()))
    exp = spec.load(example_path(name))
    engine = Engine(exp)
    assert engine.run(epochs=3) == "finished"
    assert engine.history["loss"][-1] < engine.history["loss"][0]
