"""The Output and Network views fed by a real engine, tested by what they draw against the model's own
numbers computed here with plain Keras: the boundary's pixel at a point of the plane, the plane covering
the noisiest point, each neuron's thumbnail and large map, the confusion matrix of a binary table, and no
previous model's output over new data."""
import warnings

import numpy as np
import pytest

from playground import plots
from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.spec import Experiment, LayerSpec
from playground.data import Dataset, feature_label, load_csv, load_dataset
from playground.plots.network import NetworkView
from playground.plots.output import BACKGROUND_LIGHTEN, OutputView, output_colours
from playground.plots.style import lighten, neuron_colours, neuron_scale


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def trained_engine(ds, features, epochs, layers):
    exp = Experiment(name="views")
    exp.dataset.features = list(features)
    exp.model.normalize = True
    exp.model.layers = [LayerSpec(units=u, activation=a) for u, a in layers]
    exp.training.epochs = epochs
    exp.training.learning_rate = 0.02
    exp.training.batch_size = 16
    events = []
    engine = Engine(exp, events.append, ds)
    engine.run()
    assert engine.epoch == epochs, [e for e in events if isinstance(e, ev.Failed)]
    return engine, events


@pytest.fixture(scope="module")
def gauss_run():
    """Gaussian clouds at the highest noise (points far outside TF Playground's -6..6 square, and a plane
    that is neither square nor centred), features x1, x2, x1^2 normalized, two hidden layers, 3 epochs."""
    features = ("x1", "x2", "x1^2")
    ds = load_dataset("gauss", samples=240, noise=50, seed=4, features=features)
    engine, events = trained_engine(ds, features, 3, [(5, "relu"), (3, "tanh")])
    boundary = engine.boundary()
    return engine, ds, boundary


@pytest.fixture
def output(qtbot):
    plots.configure()
    view = OutputView()
    qtbot.addWidget(view)
    view.resize(520, 480)
    view.show()
    return view


@pytest.fixture
def network(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(700, 420)
    view.show()
    qtbot.waitExposed(view)
    return view


def plane(x0, x1, y0, y1, n):
    """The grid computed here: n points across each side of the plane, row i at the i-th x2."""
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def test_the_boundary_pixel_at_a_point_of_the_plane_is_the_models_output_there(gauss_run, output):
    engine, ds, boundary = gauss_run
    import keras

    assert engine.model.layers[-1].activation is keras.activations.sigmoid, "the test reads P(class 1) directly"
    output.set_dataset(ds)
    output.add_boundary(boundary)
    output.refresh()
    n = len(boundary.xs)
    xs, ys, _ = plane(*ds.extent, n)
    rng = np.random.default_rng(1)
    picks = rng.integers(0, n, (60, 2))
    points = np.array([[xs[j], ys[i]] for i, j in picks], dtype=np.float32)
    p = engine.model(points, training=False).numpy()[:, 0]  # the model at those coordinates, as Keras computes it
    p_flipped = engine.model(np.array([[xs[j], ys[n - 1 - i]] for i, j in picks], np.float32)).numpy()[:, 0]
    p_transposed = engine.model(np.array([[xs[i], ys[j]] for i, j in picks], np.float32)).numpy()[:, 0]
    assert min(np.sum(np.abs(p - p_flipped) > 0.05), np.sum(np.abs(p - p_transposed) > 0.05)) >= 10, \
        "the model is too symmetric for this test to see a flipped or transposed image"
    for (x, y), prob in zip(points, p):
        drawn = output.boundary_at(float(x), float(y))
        assert drawn is not None, f"nothing drawn at ({x:.2f}, {y:.2f}), inside the plane"
        expected = output_colours(np.array([[[prob]]]), "binary", (0.0, 1.0))[0, 0]
        assert np.abs(drawn.astype(int) - expected.astype(int)).max() <= 1, (
            f"at ({x:.2f}, {y:.2f}) the boundary shows {drawn[:3]}, but the model says P = {prob:.3f}, "
            f"coloured {expected[:3]}")


def test_the_plane_covers_the_noisiest_point_with_a_margin(gauss_run, output):
    engine, ds, boundary = gauss_run
    points = np.concatenate([ds.points_train, ds.points_test])
    lo, hi = points.min(axis=0), points.max(axis=0)
    assert lo.min() < -6 or hi.max() > 6, "the noisy set should reach past TF Playground's -6..6 square"
    margin = 0.04 * (hi - lo)
    assert boundary.xs[0] <= lo[0] - margin[0] and boundary.xs[-1] >= hi[0] + margin[0], \
        f"the grid's x1 {boundary.xs[0]:.2f}..{boundary.xs[-1]:.2f} does not cover the points' {lo[0]:.2f}..{hi[0]:.2f}"
    assert boundary.ys[0] <= lo[1] - margin[1] and boundary.ys[-1] >= hi[1] + margin[1], \
        f"the grid's x2 {boundary.ys[0]:.2f}..{boundary.ys[-1]:.2f} does not cover the points' {lo[1]:.2f}..{hi[1]:.2f}"
    output.set_dataset(ds)
    output.add_boundary(boundary)
    output.refresh()
    bare = [tuple(pt) for pt in points if output.boundary_at(float(pt[0]), float(pt[1])) is None]
    assert not bare, f"{len(bare)} points sit where no output is drawn, e.g. {bare[:3]}"
    (vx0, vx1), (vy0, vy1) = output.boundary_plot.getPlotItem().getViewBox().viewRange()
    assert vx0 <= boundary.xs[0] and vx1 >= boundary.xs[-1] and vy0 <= boundary.ys[0] and vy1 >= boundary.ys[-1], \
        "the plot's axes do not show the whole grid"


def test_each_neurons_thumbnail_is_its_layers_activation_on_the_plane(gauss_run, network, output):
    engine, ds, boundary = gauss_run
    import keras

    model = engine.model
    m = len(boundary.neuron_xs)
    xs, ys, grid = plane(*ds.extent, m)
    np.testing.assert_allclose(boundary.neuron_xs, xs, rtol=1e-6, err_msg="the maps' grid is not the plane's")
    np.testing.assert_allclose(boundary.neuron_ys, ys, rtol=1e-6, err_msg="the maps' grid is not the plane's")
    names = ["hidden_1", "hidden_2"]
    columns = [keras.Model(model.input, model.get_layer("hidden_1").input)(grid).numpy()]  # what layer 1 takes
    columns += [keras.Model(model.input, model.get_layer(name).output)(grid).numpy() for name in names]
    network.set_architecture(list(ds.feature_names), [5, 3, 1], names + ["output"])
    assert all(network.thumbnail(c, 0) is None for c in range(3)), "maps drawn before any arrived"
    network.add_boundary(boundary)
    network.refresh()
    output.set_dataset(ds)
    output.add_boundary(boundary)
    for column, values in enumerate(columns):
        values = values.reshape(m, m, -1)  # row i: x2 = ys[i]
        scale = neuron_scale(values)
        for unit in range(values.shape[-1]):
            drawn = network.thumbnail(column, unit)
            expected = neuron_colours(values[::-1, :, unit], scale)  # the top row on screen is the highest x2
            assert drawn is not None, f"node {unit} of column {column} shows no map"
            bad = np.abs(drawn.astype(int) - expected.astype(int)).max(axis=-1) > 2
            assert bad.mean() < 0.01, (
                f"the map of node {unit} of column {column} differs from Keras' activations on the plane "
                f"at {bad.sum()} of {m * m} pixels")
        # the node pointed at is shown large in the Output panel, over its own grid
        last = values.shape[-1] - 1
        name = feature_label(ds.feature_names[last]) if column == 0 else f"{names[column - 1]} unit {last + 1}"
        output.preview_neuron(column, last, name)
        assert output.shown_map() == name
        i, j = 4, m - 3
        drawn = output.boundary_at(float(xs[j]), float(ys[i]))
        expected = lighten(neuron_colours(values[i, j, -1], scale).astype(float), BACKGROUND_LIGHTEN).round()
        assert np.abs(drawn[:3].astype(int) - expected.astype(int)).max() <= 1, \
            f"the large map of {name} at ({xs[j]:.2f}, {ys[i]:.2f}) is not its activation there"
        output.preview_neuron(-1, -1, "")
        assert output.shown_map() == "", "the model's output did not come back when the mouse left the node"
    assert [label for label, _ in network.input_labels()] == [feature_label(f) for f in ds.feature_names]
    network.set_discretized(True)  # TF Playground's "Discretize output": each map by its sign
    values = columns[1].reshape(m, m, -1)
    expected = neuron_colours(values[::-1, :, 2], neuron_scale(values), True)
    np.testing.assert_array_equal(network.thumbnail(1, 2), expected,
                                  err_msg="a discretized map is not the sign of the activation")


def test_a_clicked_neuron_stays_until_the_model_output_button(gauss_run, output):
    engine, ds, boundary = gauss_run
    output.set_dataset(ds)
    output.add_boundary(boundary)
    output.pin_neuron(1, 2, "hidden_1 unit 3")
    output.preview_neuron(2, 0, "hidden_2 unit 1")
    assert output.shown_map() == "hidden_2 unit 1", "the node pointed at is not shown"
    output.preview_neuron(-1, -1, "")
    assert output.shown_map() == "hidden_1 unit 3", "the clicked node is not shown once the mouse leaves"
    assert output.back_button.isVisible()
    output.back_button.click()
    assert output.shown_map() == "" and not output.back_button.isVisible()


def binary_table(seed=0):
    """A binary set of 3 features (no plane): its output is a confusion matrix."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(160, 3)).astype(np.float32)
    y = (x[:, 0] - 0.5 * x[:, 1] + 0.3 * rng.normal(size=160) > 0.4).astype(np.float32)
    return Dataset("table", "binary", x[:100], y[:100], x[100:], y[100:], ("a", "b", "c"), ("no", "yes"))


def test_a_binary_table_shows_the_confusion_matrix_of_the_models_test_predictions(output):
    ds = binary_table()
    engine, events = trained_engine(ds, ("x1", "x2"), 4, [(4, "tanh")])
    output.set_dataset(ds)
    assert output.stack.currentWidget() is output.confusion_plot, "a binary table shows no confusion matrix"
    output.add_predictions(engine.predictions())
    output.refresh()
    predicted = (engine.model(ds.x_test, training=False).numpy()[:, 0] > 0.5).astype(int)
    true = ds.y_test.astype(int)
    expected = np.array([[np.sum((true == t) & (predicted == p)) for p in (0, 1)] for t in (0, 1)])
    assert expected[0, 1] != expected[1, 0] and expected[0, 0] != expected[1, 1], "the counts cannot show a swap"
    np.testing.assert_array_equal(output.confusion(), expected,
                                  err_msg="the matrix is not the model's predictions on the test split")
    for t in (0, 1):
        for p in (0, 1):
            assert output.confusion_at(p + 0.5, t + 0.5) == expected[t, p], f"cell true {t}, predicted {p}"


def three_class_csv(tmp_path):
    rng = np.random.default_rng(2)
    rows = ["a,b,kind"] + [f"{x:.3f},{y:.3f},{'red green blue'.split()[i % 3]}"
                           for i, (x, y) in enumerate(rng.normal(0, 3, (90, 2)))]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_csv(path)


@pytest.mark.filterwarnings("error")
def test_switching_to_new_data_drops_the_old_models_output(gauss_run, output, tmp_path):
    engine, ds, boundary = gauss_run
    output.set_dataset(ds)
    output.add_boundary(boundary)
    output.refresh()
    assert output.image() is not None
    csv = three_class_csv(tmp_path)
    assert csv.is_2d and csv.task == "multiclass"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        output.set_dataset(csv)
        output.add_boundary(boundary)  # the old model's last grid, still on its way
        output.refresh()
    assert output.image() is None and output.boundary_at(0.0, 0.0) is None, \
        "the previous model's output is drawn over the new data"
    assert output.boundary_plot.getPlotItem().titleLabel.text == "Model output"
    x0, x1, y0, y1 = csv.extent
    n = 20
    fresh = ev.Boundary(1, np.linspace(x0, x1, n, dtype=np.float32), np.linspace(y0, y1, n, dtype=np.float32),
                        np.full((n, n, 3), 1 / 3, np.float32))
    output.add_boundary(fresh)
    output.refresh()
    assert output.image() is not None, "the new model's output is not drawn"
    output.set_dataset(binary_table())
    output.add_predictions(ev.Predictions(3, np.zeros(7, np.float32), np.zeros(7, np.int32)))
    output.refresh()
    assert output.confusion() is None, "predictions of another data set's test split are drawn"
