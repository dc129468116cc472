"""Which edits a training model takes live and which need a new model (no Qt)."""
import pytest

from playground.core.edits import classify, model_key
from playground.core.spec import Experiment, LayerSpec


def edited(change):
    before = Experiment(name="xor")
    after = before.model_copy(deep=True)
    change(after)
    return before, after


def setter(section, field, value, layer=None):
    def change(exp):
        target = getattr(exp, section)
        if layer is not None:
            target = target.layers[layer]
        setattr(target, field, value)
    return change


LIVE = {
    "learning rate": setter("training", "learning_rate", 0.003),
    "batch size": setter("training", "batch_size", 32),
    "dropout": setter("model", "dropout", 0.2, layer=0),
    "L1": setter("model", "kernel_l1", 0.001, layer=1),
    "L2": setter("model", "kernel_l2", 0.001, layer=0),
    "optimizer": setter("training", "optimizer", "sgd"),
    "epochs": setter("training", "epochs", 500),
    "schedule": setter("training", "schedule", "cosine"),
    "momentum": setter("training", "momentum", 0.9),
}
REBUILD = {
    "units": setter("model", "units", 4, layer=0),
    "activation": setter("model", "activation", "relu", layer=1),
    "initializer": setter("model", "kernel_initializer", "he_normal", layer=0),
    "layer added": lambda exp: exp.model.layers.append(LayerSpec()),
    "layer removed": lambda exp: exp.model.layers.pop(),
    "data set": setter("dataset", "name", "circle"),
    "features": setter("dataset", "features", ["x1", "x2", "x1^2"]),
    "loss": setter("training", "loss", "mse"),
    "output activation": setter("model", "output_activation", "linear"),
    "seed": setter("training", "seed", 3),
    "device": setter("training", "device", "cpu"),
    "normalize": setter("model", "normalize", True),
}


@pytest.mark.parametrize("what", LIVE)
def test_live_edits_keep_the_model(what):
    before, after = edited(LIVE[what])
    assert classify(before, after).kind == "live", f"a {what} edit should apply to the running model"
    assert model_key(before) == model_key(after), f"a {what} edit should keep the model's key"


@pytest.mark.parametrize("what", REBUILD)
def test_rebuilding_edits_need_a_new_model(what):
    before, after = edited(REBUILD[what])
    assert classify(before, after).kind == "rebuild", f"a {what} edit should need a new model"
    assert model_key(before) != model_key(after), f"a {what} edit should change the model's key"


def test_a_name_alone_changes_nothing():
    before, after = edited(lambda exp: setattr(exp, "name", "renamed"))
    assert classify(before, after).kind == "none"
    assert classify(before, after).label() == ""
    assert model_key(before) == model_key(after)


def test_a_rebuild_names_what_forced_it_first():
    def change(exp):
        exp.training.learning_rate = 0.1
        exp.model.layers[0].units = 3
    edit = classify(*edited(change))
    assert edit.kind == "rebuild"
    assert [c.path for c in edit.changes] == ["model.layers.0.units", "training.learning_rate"]


def test_labels_read_as_a_marker():
    def change(exp):
        exp.training.learning_rate = 0.003
        exp.training.batch_size = 32
    assert classify(*edited(change)).label() == "lr 0.01 → 0.003, batch 10 → 32"
    assert classify(*edited(setter("training", "optimizer", "sgd"))).label() == "optimizer adam → sgd (fresh state)"
    assert classify(*edited(setter("model", "dropout", 0.2, layer=0))).label() == "dropout hidden_1 0 → 0.2"
    assert classify(*edited(setter("training", "nesterov", True))).label() == "nesterov off → on"
    assert classify(*edited(REBUILD["layer added"])).label() == "layers 2 → 3"
