"""WeightsView, tested by what it draws: the bars against np.histogram's edges and counts, the history
heatmap's count at (epoch, value) against the weights of that epoch, the distribution bands against
np.percentile, and the summary line against the last epoch's figures."""
import re

import numpy as np
import pytest

from playground import plots
from playground.core import events
from playground.plots.style import colour_at
from playground.core.history import PERCENTILES, LayerHistory, summarise
from playground.plots.weights import ROWS, WeightsView, occupied_range, rebin


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


EDGES = np.linspace(-1.0, 1.0, 31)  # every column's bins: 30 of width 1/15 (each row spans -1 .. 1)
SPACING = 57  # epochs between recorded columns: 7 of them span the heatmap's 400 pixels one epoch each


def moving_rows():
    """8 epochs 0, 57, ..., 399 of an 18-weight kernel: the extremes -1 and 1, 12 weights in bin 10 + k
    and 4 in bin 19, so the occupied values are bins 0..29 with most in 10..19; no column is its own
    mirror."""
    rows = []
    for k in range(8):
        rows.append(np.concatenate([[-1.0, 1.0], np.full(12, (EDGES[10 + k] + EDGES[11 + k]) / 2),
                                    np.full(4, EDGES[19] + 0.01)]))
    return SPACING * np.arange(8), np.array(rows)


def history_event(epochs, rows, name="hidden_1", whole=False):
    """The WeightHistory the engine sends for a kernel whose weights at ``epochs`` are ``rows``."""
    layer = LayerHistory(name, summarise(rows), summarise(rows[:, :3] * 0.5))
    return events.WeightHistory(int(epochs[-1]), np.asarray(epochs), (layer,), whole=whole)


def test_the_history_heatmap_shows_each_epochs_count_at_its_epoch_and_value(view):
    epochs, rows = moving_rows()
    view.add_history(history_event(epochs[:3], rows[:3]))
    view.add_history(history_event(epochs[3:], rows[3:]))  # columns arrive chunk by chunk
    view.refresh()
    assert view.history_shape() == (ROWS, 8)
    rows_per_bin = ROWS / 30
    for k, epoch0 in enumerate(epochs):
        counts, _ = np.histogram(rows[k], bins=EDGES)
        # the first epoch the column is shown at, and halfway to the next one (the last one's own width)
        for epoch in (epoch0 + 0.5, epoch0 + SPACING / 2):
            for b in (0, 10, 10 + k, 15, 19, 29):
                for value in (EDGES[b] + 0.2 / 15, EDGES[b + 1] - 0.2 / 15):
                    shown = view.history_at(epoch, value)
                    assert shown == pytest.approx(counts[b] / rows_per_bin), (
                        f"at epoch {epoch}, weight {value:.3f} the history shows {shown} but epoch {epoch0} "
                        f"has {counts[b]} weights there ({counts[b] / rows_per_bin:.3f} a row)")
    assert view.history_at(epochs[-1] + SPACING + 1, 0.0) is None, "the history reaches past the last epoch"
    assert view.history_at(-10.0, EDGES[15]) is None, "the history starts before the first epoch"
    np.testing.assert_allclose(view.history_image().sum(axis=0), 18, err_msg="a column lost weights")


def test_the_history_on_screen_is_dark_where_the_weights_are(view):
    """A grab: epoch 57 piles 12 weights in bin 11; bin 18 is empty then."""
    view.add_history(history_event(*moving_rows()))
    view.refresh()
    full = colour_at(view.history_plot, 80.0, (EDGES[11] + EDGES[12]) / 2)
    empty = colour_at(view.history_plot, 80.0, (EDGES[18] + EDGES[19]) / 2)
    assert empty.name() == "#ffffff", f"no weights, yet the history shows {empty.name()}"
    assert sum(full.getRgb()[:3]) < 300, f"12 of 18 weights, yet the history shows only {full.name()}"


def test_the_distributions_are_the_percentiles_of_each_epochs_weights(view, qtbot):
    rng = np.random.default_rng(3)
    epochs = np.arange(0, 40)
    rows = skewed(rng, (40, 50)) * (1 + epochs[:, None] / 20)  # spreading out, skewed: no band is symmetric
    view.add_history(history_event(epochs, rows))
    view.tabs.setCurrentIndex(1)
    view.refresh()
    drawn_epochs, drawn = view.distribution()
    np.testing.assert_array_equal(drawn_epochs, epochs, err_msg="the bands are not at the recorded epochs")
    np.testing.assert_allclose(drawn, np.percentile(rows, PERCENTILES, axis=1).T, rtol=1e-6,
                               err_msg="the bands are not the percentiles of each epoch's weights")
    assert drawn[:, 0].min() == pytest.approx(rows.min()) and drawn[:, -1].max() == pytest.approx(rows.max())
    (x0, x1), (y0, y1) = view.distribution_plot.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 and 39 <= x1 and y0 <= rows.min() and rows.max() <= y1, "the bands are not all in view"


def test_the_summary_line_reads_the_last_epochs_figures_and_dead_relus(view):
    rng = np.random.default_rng(5)
    rows = skewed(rng, (3, 24))
    view.add_history(history_event(np.array([4, 5, 6]), rows))
    kernel = rows[-1].reshape(3, 8)
    kc, ke = np.histogram(kernel, bins=30)
    view.add(events.Weights(6, (events.LayerWeights("hidden_1", kc, ke, None, None, kernel, None, (3, 8), 0.375),)))
    view.refresh()
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", view.summary_text())]
    epoch, mean, std, low, high, dead, units = numbers
    last = rows[-1]
    assert epoch == 6
    assert (mean, std, low, high) == pytest.approx((last.mean(), last.std(), last.min(), last.max()), rel=1e-3), \
        f"the summary {view.summary_text()!r} is not the last epoch's mean, std, min and max"
    assert (dead, units) == (3, 8), view.summary_text()


def test_a_whole_history_replaces_the_columns(view):
    epochs, rows = moving_rows()
    view.add_history(history_event(epochs, rows))
    view.add_history(history_event(np.array([0, 1]), rows[:2], whole=True))  # a kept model taken back
    view.refresh()
    assert view.history_shape() == (ROWS, 2)


def test_clear_empties_the_view(view):
    view.add(snapshot(1, np.random.default_rng(0)))
    view.add_history(history_event(*moving_rows()))
    view.refresh()
    view.clear()
    assert view.history_shape() == (ROWS, 0)
    assert view.bars()[1].size == 0
    assert view.history_image() is None and view.history_at(1.0, 0.0) is None
    assert view.histogram_plot.hint.item.isVisible()
    assert view.summary_text() == "" and view.distribution()[0].size == 0


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


def _trained_engine(exp, dataset=None):
    """An engine trained two epochs, and the Weights snapshot it sent last."""
    from playground.core.engine import Engine

    sent = []
    engine = Engine(exp, sent.append, dataset)
    engine.jit = False
    assert engine.run(epochs=2) == "finished"
    return engine, [e for e in sent if isinstance(e, events.Weights)][-1]


def _narrow():
    from playground.core.spec import Experiment, LayerSpec

    exp = Experiment(name="narrow")
    exp.dataset.samples = 100
    exp.model.layers = [LayerSpec(units=5), LayerSpec(units=3, activation="relu")]
    return _trained_engine(exp)


def _wide(tmp_path):
    """MNIST's shape: 784 inputs into 128 units (the diagram draws a few; the histogram counts all 100,352)."""
    from playground.core.spec import Experiment, LayerSpec

    rng = np.random.default_rng(3)
    path = tmp_path / "wide.csv"
    x = rng.uniform(0, 1, (40, 784))
    table = np.column_stack([x, (x[:, :392].sum(1) > x[:, 392:].sum(1)).astype(int)])
    np.savetxt(path, table, delimiter=",", fmt=["%.4f"] * 784 + ["%d"], comments="",
               header=",".join([f"p{i}" for i in range(784)] + ["label"]))
    exp = Experiment(name="wide")
    exp.dataset.name, exp.dataset.path, exp.dataset.target = "csv", str(path), "label"
    exp.model.layers = [LayerSpec(units=128, activation="relu")]
    return _trained_engine(exp)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("make", ["narrow", "wide"])
def test_each_layers_latest_histogram_is_np_histogram_of_its_weights_in_keras(view, make, tmp_path):
    engine, weights = _narrow() if make == "narrow" else _wide(tmp_path)
    view.add(weights)
    view.refresh()
    names = [layer.name for layer in engine.model.layers if hasattr(layer, "kernel")]
    assert [view.layer_combo.itemText(i) for i in range(view.layer_combo.count())] == names
    for name in names:
        kernel, bias = engine.model.get_layer(name).get_weights()
        for kind, values in (("kernel", kernel), ("bias", bias)):
            view.layer_combo.setCurrentText(name)
            (view.kernel_radio if kind == "kernel" else view.bias_radio).setChecked(True)
            view.refresh()
            edges, heights = view.bars()
            counts, expected_edges = np.histogram(values, bins=len(heights) or 30)
            np.testing.assert_array_equal(heights, counts, err_msg=f"{make}: the {name} {kind} bars are not "
                                          f"np.histogram of the layer's get_weights() ({values.size} weights)")
            np.testing.assert_allclose(edges, expected_edges, rtol=1e-6, err_msg=f"{make}: {name} {kind} edges")
    if make == "wide":
        assert engine.model.get_layer("hidden_1").get_weights()[0].shape == (784, 128)


def test_a_long_summary_line_is_elided_and_never_widens_the_view(view, qtbot):
    """The summary changes at every refresh of a run: it must not ask the window for room (the dock
    would grow and the window lay out and repaint again, many times a second)."""
    rng = np.random.default_rng(6)
    before = view.minimumSizeHint().width()
    rows = skewed(rng, (3, 24)) * 1e6 + 1e-9  # figures of many digits: a line wider than the view
    view.add_history(history_event(np.array([123456, 123457, 123458]), rows))
    view.resize(260, 500)
    view.refresh()
    qtbot.wait(10)
    label = view.summary_label
    assert view.minimumSizeHint().width() == before, "the summary line widened the view"
    assert label.text().startswith("epoch 123458 · mean"), label.text()
    shown = super(type(label), label).text()
    assert shown.endswith("…") and len(shown) < len(label.text()), f"the cut line {shown!r} is not elided"
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
