"""The engine's numbers against independent computations.

Every reference here is written in the test from the experiment's numbers: a plain Keras model
built with the initializer seeds of ``playground.core.build`` (the rule is replicated, not
called), the engine's documented shuffle reimplemented in numpy, forward passes and penalties in
numpy. Inputs are chosen so that a mistake changes the answer: several epochs of several batches
with a short last batch, an asymmetric train/test split, regularizers large enough to matter, a
trained XOR whose boundary is read at a point where a flip changes the class.
"""
import numpy as np
import pytest

from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.data import load_dataset

pytestmark = pytest.mark.timeout(240)

# The boundary and predict() may be computed on a GPU with TensorFloat-32 matmuls (about 1e-3
# relative) even where training runs on the CPU; every mistake these tests look for is far larger.
SNAPSHOT_ATOL = 2e-3

EPOCHS = 4


def exact_experiment() -> Experiment:
    """XOR on the raw columns (no crosses): 140 training points in batches of 16 (8 full + 12)."""
    exp = Experiment(name="xor-exact")
    exp.dataset.samples = 200
    exp.dataset.test_fraction = 0.3
    exp.dataset.seed = 4
    exp.dataset.features = ["x1", "x2"]
    exp.model.layers = [LayerSpec(units=5, activation="tanh", kernel_l2=0.01),
                        LayerSpec(units=3, activation="relu", bias_l1=0.003)]
    exp.training.learning_rate = 0.02
    exp.training.batch_size = 16
    exp.training.epochs = EPOCHS
    exp.training.seed = 3
    return exp


def engine_order(seed: int, epoch: int, n: int) -> np.ndarray:
    """The engine's documented per-epoch order, rewritten in numpy: an integer hash of
    (seed, epoch, index) kept to 32 bits, its top 24 bits as sort keys, ties in index order."""
    u = np.uint64
    h = np.arange(n, dtype=u) * u(0x9E3779B1) + u(epoch * 0x85EBCA77) + u(seed * 0xC2B2AE3D)
    for shift, factor in ((16, 0x7FEB352D), (15, 0x846CA68B), (16, 1)):
        h = ((h ^ (h >> u(shift))) * u(factor)) & u(0xFFFFFFFF)
    return np.argsort((h >> u(8)).astype(np.float32), kind="stable")


def reference_model(exp: Experiment):
    """The experiment's network as a plain compiled keras.Sequential, seeded as build.py seeds it:
    hidden layer i from ``seed * 1000 + i``, the output layer from ``seed * 1000 + 999``."""
    import keras

    base = exp.training.seed * 1000
    layers = [keras.Input(shape=(len(exp.dataset.features),))]
    for i, spec in enumerate(exp.model.layers):
        layers.append(keras.layers.Dense(
            spec.units, activation=spec.activation,
            kernel_initializer=keras.initializers.GlorotUniform(seed=base + i),
            kernel_regularizer=keras.regularizers.L1L2(spec.kernel_l1, spec.kernel_l2),
            bias_regularizer=keras.regularizers.L1L2(spec.bias_l1, spec.bias_l2)))
    layers.append(keras.layers.Dense(1, activation="sigmoid",
                                     kernel_initializer=keras.initializers.GlorotUniform(seed=base + 999)))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(exp.training.learning_rate),
                  loss=keras.losses.BinaryCrossentropy(),
                  metrics=[keras.metrics.BinaryAccuracy(name="accuracy")])
    return model


def run_fit(exp, ds, orders):
    """Train the reference one epoch at a time on ``x[order]`` (fit's own shuffle off); returns the
    per-epoch figures (the test split evaluated after each epoch) and the final weights.

    It runs on the CPU, where the engine trains networks this small even on a GPU machine (a GPU's
    TensorFloat-32 matmuls would differ from it by far more than the tolerance)."""
    import tensorflow as tf

    with tf.device("/CPU:0"):
        return _run_fit(exp, ds, orders)


def _run_fit(exp, ds, orders):
    model = reference_model(exp)
    initial = [w.numpy().copy() for w in model.trainable_weights]
    x, y = ds.x_train, ds.y_train.reshape(-1, 1).astype(np.float32)
    y_test = ds.y_test.reshape(-1, 1).astype(np.float32)
    figures = {"loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}
    for order in orders:
        logs = model.fit(x[order], y[order], batch_size=exp.training.batch_size, epochs=1, shuffle=False,
                         verbose=0).history
        test_loss, test_accuracy = model.evaluate(ds.x_test, y_test, batch_size=len(y_test), verbose=0)
        for key, value in (("loss", logs["loss"][0]), ("accuracy", logs["accuracy"][0]),
                           ("test_loss", test_loss), ("test_accuracy", test_accuracy)):
            figures[key].append(value)
    return initial, figures, [w.numpy() for w in model.trainable_weights]


@pytest.fixture(scope="module")
def reference():
    """``model.fit`` over the engine's shuffled orders, EPOCHS epochs."""
    exp = exact_experiment()
    ds = load_dataset(**exp.dataset.model_dump())
    n = len(ds.x_train)
    assert n % exp.training.batch_size, "the data must end in a short batch"
    orders = [engine_order(exp.training.seed, epoch, n) for epoch in range(EPOCHS)]
    initial, figures, weights = run_fit(exp, ds, orders)
    return {"ds": ds, "orders": orders, "initial": initial, "figures": figures, "weights": weights}


@pytest.fixture(scope="module")
def trained():
    """The engine's own run of the same experiment, with every event it reported."""
    events = []
    engine = Engine(exact_experiment(), events.append)
    engine.prepare()
    initial = [w.numpy().copy() for w in engine.model.trainable_weights]
    assert engine.run() == "finished"
    return engine, initial, events


def assert_same_weights(ours, theirs, what):
    assert len(ours) == len(theirs), f"{what}: {len(ours)} weight arrays, expected {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(np.asarray(a), b, rtol=1e-4, atol=2e-5,
                                   err_msg=f"{what}: weight array {i} differs")


def test_initial_weights_follow_the_seed_rule(reference, trained):
    engine, initial, _ = trained
    assert_same_weights(initial, reference["initial"],
                        "the engine's initial weights are not those of the experiment's seeds")


def test_training_matches_keras_fit_over_shuffled_batches(reference, trained):
    """Several epochs of several batches, shuffled per epoch: same weights, same epoch losses."""
    engine = trained[0]
    fit = reference["figures"]
    np.testing.assert_allclose(engine.history["loss"], fit["loss"], rtol=1e-5,
                               err_msg="the epoch loss is not fit's batch-size-weighted mean over the "
                                       "epoch's shuffled batches")
    np.testing.assert_allclose(engine.history["accuracy"], fit["accuracy"], atol=1e-6,
                               err_msg="the epoch accuracy differs from fit's")
    assert_same_weights(engine.model.trainable_weights, reference["weights"],
                        f"after {EPOCHS} epochs the weights differ from fit's on the same shuffled orders")


def test_batch_by_batch_steps_match_keras_fit():
    """The batch loop (used for slow epochs and Shift+Step) shuffles and trains like the epoch loop."""
    exp = exact_experiment()
    ds = load_dataset(**exp.dataset.model_dump())
    n = len(ds.x_train)
    orders = [engine_order(exp.training.seed, epoch, n) for epoch in range(2)]
    _, fit, weights = run_fit(exp, ds, orders)
    engine = Engine(exp)
    batches = -(-n // exp.training.batch_size)
    for _ in range(2 * batches):
        engine.step_batch()
    assert (engine.epoch, engine.batch) == (2, 0), "two epochs of single batches did not end two epochs"
    np.testing.assert_allclose(engine.history["loss"], fit["loss"], rtol=1e-5,
                               err_msg="stepping batch by batch gives other epoch losses than fit")
    assert_same_weights(engine.model.trainable_weights, weights,
                        "stepping batch by batch trains to other weights than fit")


def test_shuffling_matters_and_differs_between_epochs(reference, trained):
    """The order changes every epoch, and training on one fixed order ends elsewhere: so the match
    with fit above could not hold if the engine did not shuffle, or shuffled once."""
    orders = reference["orders"]
    n = len(orders[0])
    for epoch, order in enumerate(orders):
        assert sorted(order) == list(range(n)), f"epoch {epoch}'s order is not a permutation"
        assert (order != np.arange(n)).mean() > 0.9, f"epoch {epoch}'s order is hardly shuffled"
    for a in range(len(orders)):
        for b in range(a + 1, len(orders)):
            assert (orders[a] != orders[b]).mean() > 0.9, f"epochs {a} and {b} have the same order"
    exp = exact_experiment()
    _, _, same_order_weights = run_fit(exp, reference["ds"], [orders[0]] * EPOCHS)
    engine = trained[0]
    largest = max(float(np.max(np.abs(w.numpy() - r)))
                  for w, r in zip(engine.model.trainable_weights, same_order_weights))
    assert largest > 1e-3, "the engine trains as if every epoch had the first epoch's order"


def test_metrics_events_match_history_and_an_independent_evaluation(reference, trained):
    engine, _, events = trained
    metrics = [e for e in events if isinstance(e, ev.Metrics)]
    expected_first = 1
    for m in metrics:
        assert m.first_epoch == expected_first, "Metrics events skip or repeat epochs"
        assert all(len(v) == m.epoch - m.first_epoch + 1 for v in m.values.values()), \
            "a Metrics event's arrays do not cover first_epoch..epoch"
        expected_first = m.epoch + 1
    assert expected_first == EPOCHS + 1
    for key in ("loss", "accuracy", "test_loss", "test_accuracy"):
        reported = np.concatenate([m.values[key] for m in metrics])
        np.testing.assert_array_equal(reported, engine.history[key],
                                      err_msg=f"the Metrics events' {key} is not the history's")
    fit = reference["figures"]
    np.testing.assert_allclose(engine.history["test_loss"], fit["test_loss"], rtol=1e-5,
                               err_msg="test_loss is not model.evaluate on the test split at that epoch")
    np.testing.assert_allclose(engine.history["test_accuracy"], fit["test_accuracy"], atol=1e-6,
                               err_msg="test_accuracy is not model.evaluate's on the test split")


# -- numpy forward passes and losses ------------------------------------------------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0), "linear": lambda z: z,
               "sigmoid": sigmoid}


def forward(weights, activations, x):
    """A Dense stack in float64 from ``[kernel, bias, kernel, bias, ...]``."""
    out = np.asarray(x, np.float64)
    for (kernel, bias), act in zip(zip(weights[::2], weights[1::2]), activations):
        out = ACTIVATIONS[act](out @ kernel + bias)
    return out


def bce(y, p):
    """Binary cross-entropy of probabilities, clipped as Keras clips them."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    y = y.reshape(p.shape)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_logits(y, z):
    """Binary cross-entropy of logits, in the overflow-free form max(z, 0) - z*y + log(1 + e^-|z|)."""
    y = y.reshape(z.shape)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def full_batch_experiment(*layers: LayerSpec) -> Experiment:
    """One batch per epoch, so an epoch's training loss is the loss at the epoch's starting weights."""
    exp = Experiment(name="full-batch")
    exp.dataset.samples = 200
    exp.dataset.test_fraction = 0.4
    exp.dataset.seed = 2
    exp.model.layers = list(layers)
    exp.training.learning_rate = 0.05
    exp.training.batch_size = 1000
    exp.training.epochs = 2
    return exp


def penalty_terms(spec: LayerSpec, kernel, bias) -> dict[str, float]:
    """Keras' L1L2 penalty of one layer, term by term: l1 * sum|w| + l2 * sum w^2 (no 1/2)."""
    return {"kernel L1": spec.kernel_l1 * float(np.abs(kernel).sum()),
            "kernel L2": spec.kernel_l2 * float(np.square(kernel).sum()),
            "bias L1": spec.bias_l1 * float(np.abs(bias).sum()),
            "bias L2": spec.bias_l2 * float(np.square(bias).sum())}


def test_training_loss_includes_kernel_and_bias_penalties():
    """Epoch 1 is the loss at the initial weights (zero biases), epoch 2 at the weights after one
    step (biases moved): each is the data loss plus L1 and L2 of the kernel and the bias."""
    spec = LayerSpec(units=4, activation="tanh", kernel_l1=0.02, kernel_l2=0.03, bias_l1=0.05, bias_l2=0.4)
    exp = full_batch_experiment(spec)
    engine = Engine(exp)
    engine.prepare()
    ds = load_dataset(**exp.dataset.model_dump())
    for epoch in range(2):
        weights = engine.model.get_weights()
        data_loss = bce(ds.y_train, forward(weights, ["tanh", "sigmoid"], ds.x_train))
        terms = penalty_terms(spec, weights[0], weights[1])
        engine.step_epoch()
        reported = engine.history["loss"][epoch]
        assert reported == pytest.approx(data_loss + sum(terms.values()), rel=1e-5), \
            f"epoch {epoch + 1}'s loss {reported} is not the data loss {data_loss} plus the penalties {terms}"
    # The check above could not pass with any one term dropped.
    assert min(terms.values()) > 1e-3 * reported, f"a penalty is too small to tell apart: {terms}"


def test_dropout_applies_in_training_and_not_at_test():
    exp = full_batch_experiment(LayerSpec(units=8, activation="tanh", dropout=0.5))
    events = []
    engine = Engine(exp, events.append)
    engine.prepare()
    ds = load_dataset(**exp.dataset.model_dump())
    acts = ["tanh", "sigmoid"]
    clean = bce(ds.y_train, forward(engine.model.get_weights(), acts, ds.x_train))
    engine.step_epoch()
    trained = engine.model.get_weights()
    train_loss = engine.history["loss"][0]
    assert abs(train_loss - clean) > 1e-3, \
        f"the training loss {train_loss} equals the loss without dropout {clean}: dropout is not applied"
    assert engine.history["test_loss"][0] == pytest.approx(
        bce(ds.y_test, forward(trained, acts, ds.x_test)), rel=1e-5), "dropout applied to the test loss"
    np.testing.assert_allclose(engine.predict(ds.x_test), forward(trained, acts, ds.x_test),
                               atol=SNAPSHOT_ATOL, err_msg="predict() is not the model without dropout")
    boundary = [e for e in events if isinstance(e, ev.Boundary)][-1]
    gx, gy = np.meshgrid(boundary.xs, boundary.ys)
    grid = forward(trained, acts, np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    np.testing.assert_allclose(boundary.output[..., 0], grid, atol=SNAPSHOT_ATOL,
                               err_msg="the decision boundary is not the model without dropout")


# -- training on logits ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def logits_run():
    """XOR with a linear output and binary cross-entropy: the engine must train on logits."""
    exp = Experiment(name="xor-logits")
    exp.dataset.test_fraction = 0.4
    exp.model.output_activation = "linear"
    exp.training.learning_rate = 0.03
    exp.training.epochs = 60
    events = []
    engine = Engine(exp, events.append)
    engine.step_epoch()  # after one epoch many logits are still small: a wrong threshold shows
    first = engine.model.get_weights()
    assert engine.run() == "finished"
    ds = load_dataset(**exp.dataset.model_dump())
    acts = [layer.activation for layer in exp.model.layers] + ["linear"]
    return engine, events, ds, engine.model.get_weights(), acts, first


def test_linear_output_with_cross_entropy_learns_xor_on_logits(logits_run):
    engine, _, ds, weights, acts, first = logits_run
    for epoch, w in ((1, first), (engine.epoch, weights)):
        logits = forward(w, acts, ds.x_test)
        accuracy = np.mean((logits[:, 0] > 0) == (ds.y_test > 0.5))
        assert engine.history["test_accuracy"][epoch - 1] == pytest.approx(accuracy, abs=1e-6), \
            f"epoch {epoch}'s test accuracy does not threshold the logits at 0"
        expected_loss = bce_logits(ds.y_test, logits)
        assert engine.history["test_loss"][epoch - 1] == pytest.approx(expected_loss, rel=1e-4), \
            f"epoch {epoch}'s test loss is not binary cross-entropy from logits on the model's output"
    assert engine.history["test_accuracy"][-1] >= 0.95, "XOR on logits did not reach 95% test accuracy"


def test_boundary_and_predictions_are_probabilities_of_the_logits(logits_run):
    engine, events, ds, weights, acts, first = logits_run
    boundaries = {e.epoch: e for e in events if isinstance(e, ev.Boundary)}
    assert set(boundaries) >= {1, engine.epoch}
    x0, x1, y0, y1 = ds.extent
    for boundary in boundaries.values():
        np.testing.assert_allclose(boundary.xs, np.linspace(x0, x1, len(boundary.xs)), rtol=1e-6)
        np.testing.assert_allclose(boundary.ys, np.linspace(y0, y1, len(boundary.ys)), rtol=1e-6)
    # Row i is ys[i], column j is xs[j]. (xs[10], ys[80]) is left and up, where x1 * x2 < 0: the
    # trained model's class 0, which a grid flipped up-down would show as class 1. XOR is symmetric
    # under a transpose, but the model after one epoch is not: there a transposed grid shows.
    i, j = 80, 10
    xs, ys = boundaries[1].xs, boundaries[1].ys
    point, swapped = np.array([[xs[j], ys[i]]]), np.array([[xs[i], ys[j]]])
    assert point[0, 0] < 0 < point[0, 1]
    gap = abs(sigmoid(forward(first, acts, point)[0, 0]) - sigmoid(forward(first, acts, swapped)[0, 0]))
    assert gap > 10 * SNAPSHOT_ATOL, "the point cannot tell a transposed grid apart"
    for epoch, w in ((1, first), (engine.epoch, weights)):
        expected = sigmoid(forward(w, acts, point)[0, 0])
        assert boundaries[epoch].output[i, j, 0] == pytest.approx(expected, abs=SNAPSHOT_ATOL), \
            f"epoch {epoch}'s boundary at (x1={point[0, 0]:.2f}, x2={point[0, 1]:.2f}) is not sigmoid(logit)"
    assert sigmoid(forward(weights, acts, point)[0, 0]) < 0.2, "the model does not put this point in class 0"
    gx, gy = np.meshgrid(xs, ys)
    grid = sigmoid(forward(weights, acts, np.stack([gx.ravel(), gy.ravel()], axis=1)))
    np.testing.assert_allclose(boundaries[engine.epoch].output[..., 0], grid.reshape(gx.shape),
                               atol=SNAPSHOT_ATOL,
                               err_msg="the boundary is not sigmoid of the logits with row = x2, column = x1")

    pred = engine.predictions()
    np.testing.assert_array_equal(pred.y_true, ds.y_test,
                                  err_msg="Predictions' targets are not the test split's, in order")
    expected_classes = (forward(weights, acts, ds.x_test)[:, 0] > 0).astype(np.int32)
    np.testing.assert_array_equal(pred.y_pred, expected_classes,
                                  err_msg="predicted classes are not the thresholded probabilities")
    assert np.mean(pred.y_pred == pred.y_true) >= 0.95, "predictions are not aligned with their targets"


def test_multiclass_predictions_are_the_most_probable_class():
    """Iris on logits (linear output, sparse cross-entropy): Predictions carry the test targets in
    order and the argmax of the model's output; the test loss is cross-entropy from logits."""
    exp = Experiment(name="iris-logits")
    exp.dataset.name = "iris"
    exp.dataset.test_fraction = 0.3
    exp.model.output_activation = "linear"
    exp.model.layers = [LayerSpec(units=6, activation="relu")]
    exp.training.loss = "sparse_categorical_crossentropy"
    exp.training.learning_rate = 0.02
    exp.training.epochs = 40
    events = []
    engine = Engine(exp, events.append)
    assert engine.run() == "finished"
    ds = load_dataset(**exp.dataset.model_dump())
    logits = forward(engine.model.get_weights(), ["relu", "linear"], ds.x_test)
    pred = [e for e in events if isinstance(e, ev.Predictions)][-1]
    assert pred.epoch == engine.epoch
    np.testing.assert_array_equal(pred.y_true, ds.y_test,
                                  err_msg="Predictions' targets are not the test split's, in order")
    np.testing.assert_array_equal(pred.y_pred, logits.argmax(axis=1),
                                  err_msg="predicted classes are not the most probable ones")
    assert np.mean(pred.y_pred == pred.y_true) >= 0.8, "iris did not learn"
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -np.mean(log_p[np.arange(len(ds.y_test)), ds.y_test.astype(int)])
    assert engine.history["test_loss"][-1] == pytest.approx(expected, rel=1e-4), \
        "the test loss is not sparse cross-entropy from logits"


def test_hinge_scores_become_probabilities_and_classes_by_their_sign():
    """Hinge loss with a linear output (a score): a score above 0 is class 1. The boundary shows (clip(score) + 1) / 2
    as P(class 1) and the predicted classes are the scores' signs; an inverted mapping fails both."""
    exp = Experiment(name="xor-hinge")
    exp.model.output_activation = "linear"
    exp.training.loss = "hinge"
    exp.training.learning_rate = 0.03
    exp.training.epochs = 30
    events = []
    engine = Engine(exp, events.append)
    assert engine.run() == "finished"
    ds = load_dataset(**exp.dataset.model_dump())
    weights = engine.model.get_weights()
    acts = [layer.activation for layer in exp.model.layers] + ["linear"]
    boundary = [e for e in events if isinstance(e, ev.Boundary)][-1]
    gx, gy = np.meshgrid(boundary.xs, boundary.ys)
    scores = forward(weights, acts, np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    np.testing.assert_allclose(boundary.output[..., 0], (np.clip(scores, -1, 1) + 1) / 2, atol=SNAPSHOT_ATOL,
                               err_msg="the boundary is not P(class 1) = (clip(score) + 1) / 2")
    pred = engine.predictions()
    expected = (forward(weights, acts, ds.x_test)[:, 0] > 0).astype(np.int32)
    np.testing.assert_array_equal(pred.y_pred, expected, err_msg="hinge classes are not the scores' signs")
    assert np.mean(pred.y_pred == ds.y_test) >= 0.9, "XOR with hinge loss did not learn (or classes are inverted)"
