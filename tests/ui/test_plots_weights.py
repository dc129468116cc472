"""WeightsView, tested by what it draws: the bars against np.histogram's edges and counts, and the history
heatmap's count at (epoch, value) against the snapshots it was sent."""
import re

import numpy as np
import pytest

from playground import plots
from playground.core import events
from playground.plots.style import colour_at
from playground.plots.weights import MAX_COLUMNS, ROWS, History, WeightsView, occupied_range, rebin


@pytest.fixture
def view(qtbot):
    plots.configure()
    widget = WeightsView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    return widget


def layer(name, kernel, bias=None, bins=30, edges=None):
    """The LayerWeights the engine sends: exact histograms of the kernel and bias."""
    kc, ke = np.histogram(kernel, bins=bins if edges is None else edges)
    bc, be = np.histogram(bias, bins=bins) if bias is not None else (None, None)
    return events.LayerWeights(name, kc, ke, bc, be, kernel, bias, kernel.shape)


def snapshot(epoch, rng, spread=1.0, bias=True):
    layers = []
    for name, shape in (("hidden_1", (2, 8)), ("output", (8, 1))):
        b = rng.normal(0, 0.1, shape[1]) if bias else None
        layers.append(layer(name, rng.normal(0, spread, shape), b))
    return events.Weights(epoch, tuple(layers))


def skewed(rng, shape):
    """Weights piled up on the left with a long right tail: a histogram no shift or mirror leaves alike."""
    return rng.gamma(1.5, 0.3, shape) - 0.4


def title(plot):
    return plot.getPlotItem().titleLabel.text


def test_the_bars_stand_on_the_bins_of_the_weights_histogram(view):
    rng = np.random.default_rng(0)
    kernel, bias = skewed(rng, (6, 10)), skewed(rng, 10)
    other = skewed(rng, (10, 1)) * 3
    view.add(events.Weights(12, (layer("hidden_1", kernel, bias), layer("output", other, np.array([0.5])))))
    view.refresh()
    assert [view.layer_combo.itemText(i) for i in range(view.layer_combo.count())] == ["hidden_1", "output"]
    for choose, values, what in ((None, kernel, "hidden_1 kernel"),
                                 (lambda: view.bias_radio.setChecked(True), bias, "hidden_1 bias"),
                                 (lambda: view.kernel_radio.setChecked(True), kernel, "hidden_1 kernel"),
                                 (lambda: view.layer_combo.setCurrentText("output"), other, "output kernel")):
        if choose:
            choose()
        counts, edges = np.histogram(values, bins=30)
        drawn_edges, heights = view.bars()
        np.testing.assert_allclose(drawn_edges, edges, err_msg=f"the {what} bars are not on its bins' edges")
        np.testing.assert_array_equal(heights, counts, err_msg=f"the {what} bars are not its bins' counts")
        match = re.fullmatch(r"(\S+ \S+) at epoch (\d+)", title(view.histogram_plot))
        assert match and match.group(1) == what and int(match.group(2)) == 12, title(view.histogram_plot)
        (x0, x1), (_, y1) = view.histogram_plot.getPlotItem().getViewBox().viewRange()
        assert x0 <= edges[0] and edges[-1] <= x1 and counts.max() <= y1, f"the {what} bars are not all in view"


def test_bias_choice_is_off_for_layers_without_bias(view):
    view.bias_radio.setChecked(True)
    view.add(snapshot(1, np.random.default_rng(0), bias=False))
    view.refresh()
    assert not view.bias_radio.isEnabled()
    assert view.kernel_radio.isChecked()


EDGES = np.linspace(-1.0, 1.0, 31)  # every snapshot's bins: 30 of width 1/15
SPACING = 57  # epochs between snapshots: 7 of them span the heatmap's 400 columns one epoch each


def moving_snapshots():
    """8 snapshots at epochs 0, 57, ..., 399: 12 weights in bin 10 + k and 4 in bin 19, so the occupied
    values are bins 10..19, each 6 of the heatmap's 60 rows, and no snapshot is its own mirror."""
    out = []
    for k in range(8):
        kernel = np.concatenate([np.full(12, (EDGES[10 + k] + EDGES[11 + k]) / 2), np.full(4, EDGES[19] + 0.01)])
        out.append(events.Weights(SPACING * k, (layer("hidden_1", kernel.reshape(2, 8), edges=EDGES),)))
    return out


def test_the_history_heatmap_shows_each_snapshots_count_at_its_epoch_and_value(view):
    sent = moving_snapshots()
    for weights in sent:
        view.add(weights)
    view.refresh()
    assert view.history_shape() == (ROWS, 8)
    rows_per_bin = ROWS / 10
    for k, weights in enumerate(sent):
        counts = weights.layers[0].kernel_counts
        # the first epoch the snapshot is shown at, halfway to the next one, and the last's own column
        times = (SPACING * k + 0.5, SPACING * k + SPACING / 2) if k < 7 else (SPACING * k + 0.5,)
        for epoch in times:
            for b in range(10, 20):
                for value in (EDGES[b] + 0.2 / 15, EDGES[b + 1] - 0.2 / 15):
                    shown = view.history_at(epoch, value)
                    assert shown == pytest.approx(counts[b] / rows_per_bin), (
                        f"at epoch {epoch}, weight {value:.3f} the history shows {shown} but the snapshot of "
                        f"epoch {weights.epoch} has {counts[b]} weights there ({counts[b] / rows_per_bin:.3f} a row)")
    assert view.history_at(100.0, EDGES[9]) is None, "the history reaches below the lowest weight"
    assert view.history_at(-10.0, EDGES[15]) is None, "the history starts before the first snapshot"
    np.testing.assert_allclose(view.history_image().sum(axis=0), 16, err_msg="a column lost weights")


def test_the_history_on_screen_is_dark_where_the_weights_are(view):
    """A grab: the snapshot of epoch 57 piles 12 weights in bin 11; bin 18 is empty then."""
    for weights in moving_snapshots():
        view.add(weights)
    view.refresh()
    full = colour_at(view.history_plot, 80.0, (EDGES[11] + EDGES[12]) / 2)
    empty = colour_at(view.history_plot, 80.0, (EDGES[18] + EDGES[19]) / 2)
    assert empty.name() == "#ffffff", f"no weights, yet the history shows {empty.name()}"
    assert sum(full.getRgb()[:3]) < 300, f"12 of 16 weights, yet the history shows only {full.name()}"


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
    image = view.history_image()
    assert image.shape[0] == ROWS and np.isfinite(image).all()
    np.testing.assert_allclose(image.sum(axis=0), 16, err_msg="a column of the history lost weights")
    match = re.fullmatch(r"hidden_1 kernel at epoch (\d+)", title(view.histogram_plot))
    assert match and int(match.group(1)) == 2000, title(view.histogram_plot)


def test_a_full_history_keeps_evenly_spaced_snapshots_and_the_latest():
    history = History(4)
    for epoch in range(1, 2001):
        history.add(float(epoch), np.arange(5.0), np.full(4, epoch))
    epochs, edges, counts = history.columns()
    assert len(epochs) <= MAX_COLUMNS and epochs[0] == 1 and epochs[-1] == 2000
    assert len(set(np.diff(epochs[:-1]))) == 1, "the kept snapshots are not evenly spaced"
    np.testing.assert_array_equal(counts[:, 0], epochs, err_msg="a snapshot's counts went to another epoch")


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
    assert view.bars()[1].size == 0
    assert view.history_image() is None and view.history_at(1.0, 0.0) is None
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
