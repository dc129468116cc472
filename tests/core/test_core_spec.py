"""The experiment file: round trips, validation sentences, migration, compatibility problems."""
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import catalog, spec
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset
from playground.errors import PlaygroundError

FIXTURES = Path(__file__).parent / "fixtures"


def test_round_trip_through_a_file(tmp_path):
    exp = Experiment(name="mine")
    exp.model.layers = [LayerSpec(units=5, activation="relu", dropout=0.25), LayerSpec(units=3)]
    exp.training.optimizer = "sgd"
    exp.training.momentum = 0.9
    exp.save(tmp_path / "e.json")
    doc = json.loads((tmp_path / "e.json").read_text())
    assert doc["format"] == "playground.experiment" and doc["version"] == spec.VERSION
    assert spec.load(tmp_path / "e.json") == exp


def test_a_version_1_file_keeps_loading():
    exp = spec.load(FIXTURES / "experiment_v1.json")
    assert exp.dataset.name == "xor"
    assert [layer.units for layer in exp.model.layers] == [8, 8]


def test_newer_version_is_refused_with_a_sentence():
    doc = Experiment().to_dict() | {"version": spec.VERSION + 1}
    with pytest.raises(PlaygroundError, match="newer than this Playground"):
        spec.from_dict(doc)


def test_migration_chain_brings_old_documents_up(monkeypatch):
    # When version 2 comes, its migration is registered for 1; the chain applies it to old files.
    def v1_to_v2(doc):
        doc = dict(doc, version=2)
        doc["training"] = dict(doc["training"], learning_rate=doc["training"]["learning_rate"] * 10)
        return doc

    monkeypatch.setattr(spec, "VERSION", 2)
    monkeypatch.setitem(spec.MIGRATIONS, 1, v1_to_v2)
    migrated = spec.migrate(json.loads((FIXTURES / "experiment_v1.json").read_text()))
    assert migrated["version"] == 2
    assert migrated["training"]["learning_rate"] == pytest.approx(0.3)


@pytest.mark.parametrize("text, fragment", [
    ("{", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"format": "other"}', 'should be "playground.experiment"'),
    ('{"format": "playground.experiment"}', "version"),
])
def test_broken_files_give_a_sentence(text, fragment):
    with pytest.raises(PlaygroundError, match=fragment):
        spec.from_json(text)


@pytest.mark.parametrize("path, value, fragment", [
    (("dataset", "noise"), 80, "dataset.noise: input should be less than or equal to 50"),
    (("dataset", "test_fraction"), 0.95, "dataset.test_fraction"),
    (("model", "layers", 0, "activation"), "relux", "model.layers.0.activation: unknown activation 'relux'"),
    (("training", "optimizer"), "lbfgs", "choose one of sgd, adam"),
    (("training", "batch_size"), 0, "training.batch_size"),
    (("training", "device"), "tpu", "training.device"),
    (("model", "layers", 0, "unitz"), 3, "model.layers.0.unitz: this field is not part of an experiment"),
    (("training", "decay_steps"), 2**64, "training.decay_steps: input should be less than or equal to 10000000"),
    (("dataset", "path"), "a\0b.csv", "dataset.path: a file name cannot hold a NUL character"),
])
def test_invalid_fields_name_their_path(path, value, fragment):
    doc = Experiment().to_dict()
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(PlaygroundError) as info:
        spec.from_dict(doc)
    assert fragment in str(info.value)
    assert "Traceback" not in str(info.value)


def test_missing_file_sentence(tmp_path):
    with pytest.raises(PlaygroundError, match="There is no experiment file"):
        spec.load(tmp_path / "none.json")


def _problem_paths(exp, task, units):
    return [p.path for p in spec.problems(exp, task, units)]


def test_defaults_have_no_problems_for_every_task():
    for task, units in [("binary", 1), ("multiclass", 3), ("regression", 1)]:
        assert spec.problems(Experiment(), task, units) == []


def test_softmax_with_one_output_unit_is_a_problem():
    exp = Experiment()
    exp.model.output_activation = "softmax"
    found = spec.problems(exp, "binary", 1)
    assert found[0].path == "model.output_activation"
    assert "sigmoid" in found[0].fix


def test_classification_loss_on_regression_is_a_problem():
    exp = Experiment()
    exp.training.loss = "binary_crossentropy"
    found = spec.problems(exp, "regression", 1)
    assert [p.path for p in found] == ["training.loss"]
    assert "Mean squared error" in found[0].fix


@pytest.mark.parametrize("loss, activation, task, units", [
    ("binary_crossentropy", "relu", "binary", 1),
    ("sparse_categorical_crossentropy", "sigmoid", "multiclass", 3),
    ("kl_divergence", "linear", "multiclass", 3),
    ("hinge", "sigmoid", "binary", 1),
])
def test_loss_and_output_activation_mismatch(loss, activation, task, units):
    exp = Experiment()
    exp.training.loss = loss
    exp.model.output_activation = activation
    assert _problem_paths(exp, task, units) == ["model.output_activation"]


def test_sparse_loss_on_a_binary_set_is_a_problem():
    exp = Experiment()
    exp.training.loss = "sparse_categorical_crossentropy"
    assert "training.loss" in _problem_paths(exp, "binary", 1)


def test_momentum_needs_sgd():
    exp = Experiment()
    exp.training.momentum = 0.9
    assert _problem_paths(exp, "binary", 1) == ["training.momentum"]
    exp.training.optimizer = "sgd"
    assert _problem_paths(exp, "binary", 1) == []


def test_linear_output_with_cross_entropy_trains_on_logits():
    exp = Experiment()
    exp.model.output_activation = "linear"
    assert spec.from_logits(exp, "binary")
    exp.model.output_activation = "sigmoid"
    assert not spec.from_logits(exp, "binary")


def test_check_raises_every_problem_in_one_message():
    exp = Experiment()
    exp.model.output_activation = "softmax"
    exp.training.momentum = 0.5
    with pytest.raises(PlaygroundError) as info:
        spec.check(exp, "binary", 1)
    assert "Softmax" in str(info.value) and "Momentum" in str(info.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**7) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["dataset", "model", "training", "name", "extra"]), json_values, max_size=4),
       st.sampled_from([1, 2, 0, "1", None]))
def test_any_document_loads_or_gives_a_playground_error(body, version):
    doc = {"format": spec.FORMAT, "version": version, **body}
    try:
        spec.from_dict(doc)
    except PlaygroundError as exc:
        assert str(exc).endswith(".")


def _regression_with_output(activation):
    exp = Experiment()
    exp.dataset.name = "reg-plane"
    exp.model.output_activation = activation
    exp.model.scale_targets = False  # the targets as they are reach the output layer
    return exp


def test_with_scaled_targets_the_output_range_is_checked_against_the_standardized_targets():
    exp = _regression_with_output("sigmoid")
    targets = np.array([0.0, 0.4, 1.0])  # inside (0, 1) as they are; standardized, -1.14 … 1.3
    assert spec.problems(exp, "regression", 1, targets) == []
    exp.model.scale_targets = True
    [found] = spec.problems(exp, "regression", 1, targets)
    z = (targets - targets.mean()) / targets.std()
    assert found.message.startswith(f"The targets, standardized for training, run from {z.min():.3g} to {z.max():.3g}")


@pytest.mark.parametrize("activation, targets", [
    ("sigmoid", [0.2, 0.5, 3.0]),  # above the top of (0, 1)
    ("relu", [-0.5, 0.1, 2.0]),  # below the bottom of [0, ∞)
    ("softplus", [-0.01, 4.0]),
    ("elu", [-1.5, 0.0, 9.0]),
    ("tanh", [-0.3, 1.2]),
    ("hard_sigmoid", [-0.2, 0.5]),
])
def test_bounded_output_that_cannot_reach_the_targets_is_a_warning(activation, targets):
    exp = _regression_with_output(activation)
    found = spec.problems(exp, "regression", 1, np.array(targets, dtype=np.float32))
    assert [(p.path, p.severity) for p in found] == [("model.output_activation", "warning")], \
        f"{activation} on targets {targets} should warn"
    assert "linear" in found[0].fix.lower()
    low, high = min(targets), max(targets)
    assert f"from {low:.3g} to {high:.3g}" in found[0].message
    assert catalog.ACTIVATIONS[activation].output_range in found[0].message
    spec.check(exp, "regression", 1, np.array(targets))  # a warning does not stop training


@pytest.mark.parametrize("activation, targets", [
    ("sigmoid", [0.0, 0.4, 1.0]),
    ("relu", [0.0, 7.5]),
    ("tanh", [-0.9, 0.99]),
    ("selu", [-1.7, 3.0]),
    ("linear", [-1e6, 1e6]),
    ("leaky_relu", [-50.0, 2.0]),
])
def test_targets_inside_the_output_range_are_fine(activation, targets):
    exp = _regression_with_output(activation)
    assert spec.problems(exp, "regression", 1, np.array(targets)) == []


def test_the_warning_needs_the_targets_and_a_regression():
    exp = _regression_with_output("sigmoid")
    ds = load_dataset("reg-plane")  # targets (x1 + x2) / 10: about -1.2 to 1.2
    assert [p.severity for p in spec.problems(exp, "regression", 1, ds.y_train)] == ["warning"]
    assert spec.problems(exp, "regression", 1) == []  # no targets given, nothing to compare
    exp.model.output_activation = "softmax"  # one softmax unit: already an error, said once
    assert [p.severity for p in spec.problems(exp, "regression", 1, ds.y_train)] == ["error"]
    exp.model.output_activation = "tanh"  # class indices 0..2 are labels, not values to reach
    found = spec.problems(exp, "multiclass", 3, np.array([0, 2, 1]))
    assert [p.severity for p in found] == ["error"], "class indices are not regression targets to reach"
