"""The network as the diagram draws it, known without Keras, against the model Keras builds."""
import keras

from playground.core.build import architecture, build_model
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset


def test_the_architecture_is_the_built_models_dense_layers_and_inputs():
    exp = Experiment(name="arch")
    exp.dataset.name = "iris"  # three classes: three output units
    exp.model.layers = [LayerSpec(units=5, activation="relu"), LayerSpec(units=3, activation="tanh", dropout=0.2)]
    ds = load_dataset(**exp.dataset.model_dump())
    drawn = architecture(exp, ds)
    model = build_model(exp, ds, 0)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert drawn.units == tuple(layer.units for layer in dense) == (5, 3, 3)
    assert drawn.names == tuple(layer.name for layer in dense)
    assert drawn.inputs == tuple(ds.feature_names) and len(drawn.inputs) == model.input.shape[-1] == 4


def test_a_planar_sets_inputs_are_its_chosen_features():
    exp = Experiment(name="arch")
    exp.dataset.samples = 40
    exp.dataset.features = ["x1", "x1*x2", "sin_x2"]
    ds = load_dataset(**exp.dataset.model_dump())
    assert architecture(exp, ds).inputs == ("x1", "x1*x2", "sin_x2")
