"""NetworkView: the diagram's links follow the kernels; wide layers are capped; hover shows values."""
import numpy as np
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from playground.core import events
from playground.plots.network import MAX_NODES, MAX_WIDTH, MIN_WIDTH, NetworkView


@pytest.fixture
def view(qtbot):
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def layer(name, kernel, bias=None):
    kc, ke = np.histogram(kernel, bins=30)
    bc, be = np.histogram(bias, bins=30) if bias is not None else (None, None)
    capped = kernel[:events.MAX_DRAWN, :events.MAX_DRAWN]
    return events.LayerWeights(name, kc, ke, bc, be, capped,
                               None if bias is None else bias[:events.MAX_DRAWN], kernel.shape)


def test_link_widths_follow_absolute_weights(view):
    view.set_architecture(["x1", "x2"], [3, 1], ["hidden_1", "output"])
    assert view.link_count() == 2 * 3 + 3 * 1
    neutral = view.link_pen_widths()
    assert np.allclose(neutral, neutral[0])
    hidden = np.array([[0.1, -0.2, 0.4], [-0.8, 0.0, 0.3]])
    output = np.array([[0.6], [-0.05], [0.2]])
    view.add(events.Weights(1, (layer("hidden_1", hidden, np.zeros(3)), layer("output", output, np.ones(1)))))
    view.refresh()
    weights = np.concatenate([hidden.ravel(), output.ravel()])
    widths = view.link_pen_widths()
    np.testing.assert_allclose(widths, MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.abs(weights) / 0.8)
    colours = [link.pen().color().name() for link in view.link_items()]
    assert colours[3] == "#f59322" and colours[2] == "#0877bd"  # -0.8 orange, 0.4 blue
    view.clear()
    assert np.allclose(view.link_pen_widths(), neutral)


def test_wide_layers_are_capped_with_a_count(view):
    inputs = [f"f{i}" for i in range(20)]
    view.set_architecture(inputs, [100, 10], ["hidden_1", "output"])
    assert view.link_count() == MAX_NODES * MAX_NODES + MAX_NODES * 10
    assert view.marker_texts() == [f"+{20 - MAX_NODES}", f"+{100 - MAX_NODES}"]
    rng = np.random.default_rng(0)
    hidden, output = rng.normal(size=(20, 100)), rng.normal(size=(100, 10))
    view.add(events.Weights(1, (layer("hidden_1", hidden, rng.normal(size=100)), layer("output", output))))
    view.refresh()
    drawn = np.concatenate([hidden[:MAX_NODES, :MAX_NODES].ravel(), output[:MAX_NODES].ravel()])
    widths = view.link_pen_widths()
    assert np.argmax(widths) == np.argmax(np.abs(drawn))
    assert np.all(np.diff(widths[np.argsort(np.abs(drawn))]) >= -1e-9)


def test_weights_of_another_architecture_are_not_drawn(view):
    view.set_architecture(["x1", "x2"], [3, 1], ["hidden_1", "output"])
    neutral = view.link_pen_widths()
    view.add(events.Weights(1, (layer("hidden_1", np.ones((2, 5))), layer("output", np.ones((5, 1))))))
    view.refresh()
    np.testing.assert_allclose(view.link_pen_widths(), neutral)


def test_hovering_shows_the_latest_value_in_a_tooltip(view):
    view.set_architecture(["x1", "x2"], [1], ["output"])
    node = view.node_items()[-1]  # the output unit
    link = view.link_items()[1]  # x2 -> output
    assert "not computed yet" in tooltip_at(view, node.boundingRect().center())
    view.add(events.Weights(1, (layer("output", np.array([[0.25], [-0.5]]), np.array([0.125])),)))
    view.refresh()
    assert "bias +0.1250" in tooltip_at(view, node.boundingRect().center())
    text = tooltip_at(view, link.path().pointAtPercent(0.5))
    assert "x2 → output unit 1" in text and "weight -0.5000" in text


def tooltip_at(view, scene_point):
    """What Qt shows when the mouse rests on ``scene_point``."""
    at = view.mapFromScene(scene_point)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
    return QToolTip.text()


def test_empty_view_has_a_hint(view):
    texts = [item.text() for item in view.scene().items() if hasattr(item, "text")]
    assert any("Choose a data set" in t for t in texts)
    assert view.link_count() == 0
