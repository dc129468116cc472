"""The loss and activation lab against Keras itself and the numbers the notes printed."""
import numpy as np
import pytest

from playground.core import catalog, lab
from playground.errors import PlaygroundError

keras = pytest.importorskip("keras")


def _by_id(rows):
    return {row.id: row for row in rows}


@pytest.mark.parametrize("example", lab.EXAMPLES, ids=lambda e: e.title)
def test_each_worked_example_gives_keras_value_and_the_notes_number(example):
    rows = _by_id(lab.evaluate(example.y_true, example.y_pred, example.from_logits))
    row = rows[example.loss]
    y_true = np.array(lab.parse_values(example.y_true, "targets"), dtype="float32")
    y_pred = np.array(lab.parse_values(example.y_pred, "predictions"), dtype="float32")
    keras_value = float(eval(row.keras_call, {"keras": keras, "y_true": y_true, "y_pred": y_pred}))  # noqa: S307
    assert row.value == pytest.approx(keras_value, rel=2e-6, abs=1e-7), f"{row.name} differs from {row.keras_call}"
    if example.loss == "binary_crossentropy" and not example.from_logits:
        # TensorFlow 2.0 (the notes) took log(p + ε); the lab shows that number beside Keras 3's.
        assert f"printed {example.printed}" in row.note, row.note
    else:
        assert lab.shown(row.value) == str(example.printed), f"the notes printed {example.printed}"


def test_every_loss_that_applies_matches_its_keras_call():
    """Each row's Keras call, run as shown, gives the row's value; from_logits changes the cross-entropies."""
    y_true = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]], dtype="float32")
    scores = np.array([[0.2, 2.0, -1.0], [1.5, 0.3, 0.1], [3.0, -2.0, 0.5], [-0.5, 0.4, 0.2]], dtype="float32")
    probabilities = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    for from_logits, y_pred in ((True, scores), (False, probabilities)):
        rows = lab.loss_values(y_true, y_pred, from_logits)
        applied = {r.id for r in rows if r.value is not None}
        assert {"mean_squared_error", "categorical_crossentropy", "huber"} <= applied
        for row in rows:
            if row.value is None:
                continue
            assert ("from_logits=True" in row.keras_call) == (from_logits and "crossentropy" in row.id)
            keras_value = float(eval(row.keras_call, {"keras": keras, "y_true": y_true,  # noqa: S307
                                                      "y_pred": y_pred}))
            assert row.value == pytest.approx(keras_value, rel=1e-5), f"{row.name}, from_logits={from_logits}"
    indices = lab.loss_values(np.array([1, 2, 0, 1]), scores, from_logits=True)
    sparse = _by_id(indices)["sparse_categorical_crossentropy"]
    assert sparse.value == pytest.approx(_by_id(lab.loss_values(y_true, scores, True))["categorical_crossentropy"].value)


def test_losses_that_do_not_fit_say_why():
    rows = _by_id(lab.evaluate("[[0], [1]]", "[[2.5], [-1.0]]"))
    assert rows["binary_crossentropy"].value is None
    assert "probabilities" in rows["binary_crossentropy"].note and "logits" in rows["binary_crossentropy"].note
    assert rows["categorical_crossentropy"].note == "needs one column per class"
    assert rows["mean_squared_error"].value == pytest.approx((2.5**2 + 2.0**2) / 2)


@pytest.mark.parametrize("text, fragment", [
    ("", "Type the targets"),
    ("[[0, 1], [1]]", "rows of equal length"),
    ("0 1; a b", "must be numbers"),
    ("[[[1]]]", "a list of numbers or a list of rows"),
])
def test_typed_text_that_is_not_numbers_is_one_sentence(text, fragment):
    with pytest.raises(PlaygroundError, match=fragment):
        lab.evaluate(text, "[[0.5, 0.5]]")


def test_activation_derivatives_match_tensorflows_gradients():
    """Seed 001 computes sigmoid's gradient on linspace(-10, 10, 10) with GradientTape; every activation's
    derivative in the lab equals TensorFlow's gradient of the Keras activation."""
    import tensorflow as tf

    x = np.linspace(-10.0, 10.0, 10)
    _, slope = lab.activation_curve("sigmoid", x)
    notes = [4.5386874e-05, 4.1860685e-04, 3.8362255e-03, 3.3258751e-02, 1.8632649e-01,
             1.8632641e-01, 3.3258699e-02, 3.8362255e-03, 4.1854731e-04, 4.5416677e-05]
    np.testing.assert_allclose(slope, notes, rtol=2e-3)  # the notes' float32 x is off by ulps at ±1.11
    x = np.linspace(-3.0, 3.0, 25) + 0.01  # off the kinks at 0
    for activation in catalog.ACTIVATIONS:
        if activation == "softmax":
            continue  # drawn as one unit against a zero logit, not a curve Keras has
        values, slope = lab.activation_curve(activation, x)
        t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = keras.activations.get(activation)(t)
        np.testing.assert_allclose(values, y.numpy(), rtol=1e-5, atol=1e-6, err_msg=activation)
        np.testing.assert_allclose(slope, tape.gradient(y, t).numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=f"the derivative of {activation}")
