"""Files: exports reloaded by plain Keras in a fresh process, weight loading, refusals, atomic writes."""
import csv
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from playground.core import export
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.errors import PlaygroundError
from playground.files import atomic_path, write_text_atomic


@pytest.fixture(scope="module")
def trained():
    exp = Experiment(name="xor")
    exp.dataset.samples = 200
    exp.model.normalize = True
    exp.model.layers = [LayerSpec(units=6), LayerSpec(units=4, activation="relu", dropout=0.1)]
    exp.training.epochs = 20
    exp.training.learning_rate = 0.03
    engine = Engine(exp)
    engine.run()
    return engine


PROBE = np.array([[1.5, 2.0], [-3.0, 2.5], [4.0, -4.0]], np.float32)


def _plain_keras(code: str) -> np.ndarray:
    """Run ``code`` in a fresh Python with only Keras imported; it prints a JSON array."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", "import keras, numpy as np, json\n" + code],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    return np.array(json.loads(out.stdout.strip().splitlines()[-1]))


def test_keras_file_reloads_in_plain_keras_with_same_predictions(trained, tmp_path):
    path = tmp_path / "model.keras"
    export.save_model(trained.model, path, trained.experiment, trained.dataset)
    theirs = _plain_keras(f"m = keras.models.load_model({str(path)!r}, safe_mode=True)\n"
                          f"print(json.dumps(m.predict(np.array({PROBE.tolist()}), verbose=0).tolist()))")
    np.testing.assert_allclose(theirs, trained.predict(PROBE), rtol=1e-5, atol=1e-6)


def test_savedmodel_serves_the_same_predictions(trained, tmp_path):
    folder = tmp_path / "saved"
    export.export_savedmodel(trained.model, folder, trained.experiment, trained.dataset)
    assert (folder / "saved_model.pb").exists()
    theirs = _plain_keras("import tensorflow as tf\n"
                          f"m = tf.saved_model.load({str(folder)!r})\n"
                          f"print(json.dumps(m.serve(tf.constant({PROBE.tolist()})).numpy().tolist()))")
    np.testing.assert_allclose(theirs, trained.predict(PROBE), rtol=1e-5, atol=1e-6)


def test_weights_load_into_a_fresh_engine(trained, tmp_path):
    path = tmp_path / "w.weights.h5"
    export.save_weights(trained.model, path, trained.experiment, trained.dataset)
    fresh = Engine(trained.experiment.model_copy(deep=True))
    fresh.prepare()
    assert not np.allclose(fresh.predict(PROBE), trained.predict(PROBE))
    export.load_weights_into(fresh.model, path)
    np.testing.assert_allclose(fresh.predict(PROBE), trained.predict(PROBE), rtol=1e-6)
    # ... and a .keras file's weights likewise.
    keras_path = tmp_path / "m.keras"
    export.save_model(trained.model, keras_path, trained.experiment, trained.dataset)
    other = Engine(trained.experiment.model_copy(deep=True))
    other.prepare()
    export.load_weights_into(other.model, keras_path)
    np.testing.assert_allclose(other.predict(PROBE), trained.predict(PROBE), rtol=1e-6)


def test_mismatched_weights_name_the_first_layer_that_differs(trained, tmp_path):
    path = tmp_path / "w.weights.h5"
    export.save_weights(trained.model, path, trained.experiment, trained.dataset)
    exp = trained.experiment.model_copy(deep=True)
    exp.model.layers[1].units = 5
    other = Engine(exp)
    other.prepare()
    with pytest.raises(PlaygroundError, match="Layer 'hidden_2' differs"):
        export.load_weights_into(other.model, path)
    exp.model.layers[1].units = 4
    exp.model.layers.append(LayerSpec(units=3))
    bigger = Engine(exp)
    bigger.prepare()
    with pytest.raises(PlaygroundError, match="no layer 'hidden_3'"):
        export.load_weights_into(bigger.model, path)


def test_a_keras_file_of_other_layers_is_refused_with_the_sentence_naming_the_layer(trained, tmp_path):
    path = tmp_path / "m.keras"
    export.save_model(trained.model, path, trained.experiment, trained.dataset)
    exp = trained.experiment.model_copy(deep=True)
    exp.model.layers[1].units = 5
    other = Engine(exp)
    other.prepare()
    before = [w.copy() for w in other.model.get_weights()]
    with pytest.raises(PlaygroundError) as raised:
        export.load_weights_into(other.model, path)
    assert str(raised.value) == (f"These weights do not fit the model. Layer 'hidden_2' differs: {path} has weights "
                                 "of shape (6, 4), (4,), this model needs (6, 5), (5,).")
    for now, then in zip(other.model.get_weights(), before):
        np.testing.assert_array_equal(now, then, err_msg="a refused file changed the model's weights")


@pytest.mark.parametrize("name, content, fragment", [
    ("junk.weights.h5", b"not an hdf5 file", "not a readable Keras weights file"),
    ("junk.keras", b"not a zip", "not a Keras model file"),
    ("w.h5", b"", "must have a name ending in .weights.h5"),
])
def test_foreign_files_give_sentences(trained, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlaygroundError, match=fragment):
        export.load_weights_into(trained.model, path)


def test_a_lambda_layer_is_refused(tmp_path):
    import keras

    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(PlaygroundError, match="Lambda layer"):
        export.load_model(path)


def test_history_csv(trained, tmp_path):
    path = tmp_path / "history.csv"
    export.save_history(trained.history, path)
    rows = list(csv.DictReader(path.open()))
    assert list(rows[0]) == ["epoch", "loss", "accuracy", "test_loss", "test_accuracy"]
    assert len(rows) == 20
    assert float(rows[-1]["loss"]) == trained.history["loss"][-1]


def test_history_csv_stays_numbers_a_spreadsheet_reads_and_resume_reads_back(tmp_path):
    """Formula-safe CSVs leave numbers alone: a negative or infinite figure is written as itself
    (no ' before -0.5), so a spreadsheet reads numbers and ``read_history`` the same figures."""
    history = {"loss": [0.5, -0.25, float("-inf")], "test_mae": [-1e-3, 2.0, float("nan")]}
    path = tmp_path / "history.csv"
    export.save_history(history, path)
    cells = [cell for row in csv.reader(path.open()) for cell in row]
    assert "-0.25" in cells and "-inf" in cells and not any(c.startswith("'") for c in cells)
    back = export.read_history(path)
    np.testing.assert_array_equal(back["loss"], history["loss"])
    np.testing.assert_array_equal(back["test_mae"], history["test_mae"])


def test_unwritable_folder_gives_a_sentence(trained, tmp_path):
    with pytest.raises(PlaygroundError, match="does not exist"):
        export.save_weights(trained.model, tmp_path / "missing" / "w.weights.h5", trained.experiment,
                            trained.dataset)
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    with pytest.raises(PlaygroundError, match="Cannot write .*Not a directory"):
        export.save_model(trained.model, a_file / "m.keras", trained.experiment, trained.dataset)


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path):
    target = tmp_path / "experiment.json"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["experiment.json"]


def test_keras_file_is_a_zip_with_the_config(trained, tmp_path):
    path = tmp_path / "m.keras"
    export.save_model(trained.model, path, trained.experiment, trained.dataset)
    names = zipfile.ZipFile(path).namelist()
    assert "config.json" in names and "model.weights.h5" in names
    assert "hidden_2" in export.describe_model(export.load_model(path))
