"""Random experiments: building and training one never raises anything but the project's error."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import catalog, events as ev, spec
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec

layers = st.builds(
    LayerSpec,
    units=st.integers(1, 6),
    activation=st.sampled_from(sorted(catalog.ACTIVATIONS)),
    use_bias=st.booleans(),
    kernel_initializer=st.sampled_from(sorted(catalog.INITIALIZERS)),
    kernel_l2=st.sampled_from([0.0, 0.01]),
    bias_l1=st.sampled_from([0.0, 0.01]),
    dropout=st.sampled_from([0.0, 0.3]),
)


@st.composite
def experiments(draw):
    exp = Experiment(name="random")
    exp.dataset.name = draw(st.sampled_from(["xor", "reg-gauss", "iris", "coffee"]))
    exp.dataset.samples = 60 if exp.dataset.name in ("xor", "reg-gauss") else None
    exp.dataset.features = draw(st.sampled_from([["x1", "x2"], ["x1", "x1*x2", "sin_x2"]]))
    exp.model.normalize = draw(st.booleans())
    exp.model.layers = draw(st.lists(layers, max_size=3))
    exp.model.output_activation = draw(st.sampled_from(["auto", *sorted(catalog.ACTIVATIONS)]))
    t = exp.training
    t.loss = draw(st.sampled_from(["auto", *sorted(catalog.LOSSES)]))
    t.optimizer = draw(st.sampled_from(sorted(catalog.OPTIMIZERS)))
    t.learning_rate = draw(st.sampled_from([1e-3, 0.1, 5.0]))
    t.momentum = draw(st.sampled_from([0.0, 0.9]))
    t.schedule = draw(st.sampled_from(["constant", "exponential", "cosine"]))
    t.batch_size = draw(st.sampled_from([1, 7, 64, 5000]))
    return exp


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(experiments())
def test_random_experiment_trains_or_says_why(exp):
    seen = []
    engine = Engine(exp, seen.append)
    reason = engine.run(epochs=2)
    failures = [e.message for e in seen if isinstance(e, ev.Failed)]
    assert not any(m.startswith("Training failed") for m in failures), failures  # an unexpected exception
    from playground.data import load_dataset

    ds = load_dataset(**exp.dataset.model_dump())
    if spec.problems(exp, ds.task, ds.output_units):
        assert reason == "failed" and failures
    else:
        assert reason in ("finished", "diverged"), failures
