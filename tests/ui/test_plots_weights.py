"""WeightsView: the latest histogram and a bounded history heatmap from Weights events."""
import numpy as np
import pytest

from playground import plots
from playground.core import events
from playground.plots.weights import MAX_COLUMNS, ROWS, WeightsView, occupied_range, rebin


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = WeightsView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    return widget


def snapshot(epoch, rng, spread=1.0, bias=True):
    layers = []
    for name, shape in (("hidden_1", (2, 8)), ("output", (8, 1))):
        kernel = rng.normal(0, spread, shape)
        kc, ke = np.histogram(kernel, bins=30)
        b = rng.normal(0, 0.1, shape[1]) if bias else None
        bc, be = np.histogram(b, bins=30) if bias else (None, None)
        layers.append(events.LayerWeights(name, kc, ke, bc, be, kernel, b, shape))
    return events.Weights(epoch, tuple(layers))


def test_latest_histogram_of_the_chosen_layer_and_kind(view):
    rng = np.random.default_rng(0)
    weights = snapshot(3, rng)
    view.add(weights)
    view.refresh()
    assert [view.layer_combo.itemText(i) for i in range(view.layer_combo.count())] == ["hidden_1", "output"]
    edges, counts = view.histogram()
    np.testing.assert_array_equal(edges, weights.layers[0].kernel_edges)
    np.testing.assert_array_equal(counts, weights.layers[0].kernel_counts)
    view.bias_radio.setChecked(True)
    np.testing.assert_array_equal(view.histogram()[1], weights.layers[0].bias_counts)
    view.layer_combo.setCurrentText("output")
    np.testing.assert_array_equal(view.histogram()[1], weights.layers[1].bias_counts)
    assert view.history_shape() == (ROWS, 1)
    assert "output bias" in view.histogram_plot.getPlotItem().titleLabel.text


def test_bias_choice_is_off_for_layers_without_bias(view):
    view.bias_radio.setChecked(True)
    view.add(snapshot(1, np.random.default_rng(0), bias=False))
    view.refresh()
    assert not view.bias_radio.isEnabled()
    assert view.kernel_radio.isChecked()


def test_history_grows_then_stays_bounded(view):
    rng = np.random.default_rng(0)
    for epoch in range(1, 11):
        view.add(snapshot(epoch, rng))
    view.refresh()
    assert view.history_shape() == (ROWS, 10)
    for epoch in range(11, 2001):
        view.add(snapshot(epoch, rng, spread=1 + epoch / 1000))
    view.refresh()
    rows, columns = view.history_shape()
    assert rows == ROWS and MAX_COLUMNS // 2 <= columns <= MAX_COLUMNS
    history = view._histories["hidden_1", "kernel"]
    assert history.epochs.shape == (MAX_COLUMNS,)  # preallocated, never grown
    epochs = history.columns()[0]
    assert epochs[0] == 1 and epochs[-1] == 2000
    assert len(set(np.diff(history.epochs[:history.size]))) == 1  # evenly spaced after halving
    image = view._image.image
    assert image.shape[0] == ROWS and np.isfinite(image).all()
    np.testing.assert_allclose(image.sum(axis=0), 16)  # every column holds all 16 weights


def test_an_earlier_epoch_starts_a_new_history(view):
    rng = np.random.default_rng(0)
    for epoch in range(5):
        view.add(snapshot(epoch, rng))
    view.add(snapshot(0, rng))
    view.refresh()
    assert view.history_shape() == (ROWS, 1)


def test_clear_empties_the_view(view):
    view.add(snapshot(1, np.random.default_rng(0)))
    view.refresh()
    view.clear()
    assert view.history_shape() == (ROWS, 0)
    assert view.histogram()[1].size == 0
    assert view.histogram_plot.hint.item.isVisible()


def test_rebin_keeps_counts_and_splits_them_by_overlap():
    edges = np.array([[0.0, 1.0, 2.0], [1.0, 3.0, 5.0]])
    counts = np.array([[4.0, 2.0], [6.0, 0.0]])
    out = rebin(edges, counts, np.array([0.0, 0.5, 2.0, 5.0]))
    np.testing.assert_allclose(out, [[2.0, 4.0, 0.0], [0.0, 3.0, 3.0]])
    np.testing.assert_allclose(out.sum(axis=1), counts.sum(axis=1))


def test_occupied_range_ignores_empty_bins():
    edges = np.array([[-0.5, 0.0, 0.5], [-1.0, 0.0, 1.0]])
    counts = np.array([[0, 3], [2, 0]])
    assert occupied_range(edges, counts) == (-1.0, 0.5)
