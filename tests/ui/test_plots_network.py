"""NetworkView, tested by what it draws: each link found by the nodes it joins on screen, its colour and width
against that weight, the tooltip under the mouse read as numbers; wide layers capped."""
import re

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QToolTip

from playground.core import events
from playground.plots.network import MAX_NODES, MAX_WIDTH, MIN_WIDTH, NetworkView
from playground.plots.style import BLUE, ORANGE


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


# 3 inputs -> 4 hidden units -> 2 outputs; no two weights alike, none mirrored
HIDDEN = np.array([[0.1, -0.2, 0.4, -0.7], [-0.8, 0.05, 0.3, 0.6], [0.25, -0.45, -0.15, 0.35]])
OUTPUT = np.array([[0.5, -0.3], [-0.65, 0.2], [0.12, -0.05], [0.75, -0.4]])
HIDDEN_BIAS = np.array([0.3, -0.6, 0.0, 0.15])
OUTPUT_BIAS = np.array([-0.2, 0.5])


def trained(view):
    view.set_architecture(["x1", "x2", "x1^2"], [4, 2], ["hidden_1", "output"])
    view.add(events.Weights(1, (layer("hidden_1", HIDDEN, HIDDEN_BIAS), layer("output", OUTPUT, OUTPUT_BIAS))))
    view.refresh()


def node_places(view):
    """(column, row) of each node on screen, by its centre: columns left to right, rows top down."""
    centres = [(node.sceneBoundingRect().center(), node) for node in view.node_items()]
    xs = sorted({round(c.x(), 3) for c, _ in centres})
    places = {}
    for column, x in enumerate(xs):
        in_column = sorted((c.y(), node) for c, node in centres if round(c.x(), 3) == x)
        for row, (_, node) in enumerate(in_column):
            places[node] = (column, row)
    return places


def link_ends(view):
    """Each link with the (column, row) of the nodes its drawn path starts and ends at."""
    places = {}
    for node, place in node_places(view).items():
        places[round(node.sceneBoundingRect().center().x(), 3), round(node.sceneBoundingRect().center().y(), 3)] = place
    out = []
    for link in view.link_items():
        ends = [link.mapToScene(link.path().pointAtPercent(t)) for t in (0.0, 1.0)]
        start, end = (places[round(p.x(), 3), round(p.y(), 3)] for p in ends)
        out.append((link, start, end))
    return out


def test_each_link_is_drawn_in_the_colour_and_width_of_the_weight_between_its_nodes(view):
    trained(view)
    kernels = [HIDDEN, OUTPUT]
    largest = max(np.abs(HIDDEN).max(), np.abs(OUTPUT).max())
    seen = set()
    for link, (column, i), (next_column, j) in link_ends(view):
        assert next_column == column + 1
        weight = kernels[column][i, j]
        seen.add((column, i, j))
        pen = link.pen()
        colour = BLUE if weight >= 0 else ORANGE
        assert pen.color().name() == colour, f"the link from node {i} to {j} of layer {column} ({weight:+}) " \
                                             f"is drawn {pen.color().name()}, not {colour}"
        width = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * abs(weight) / largest
        assert pen.widthF() == pytest.approx(width), \
            f"the link from node {i} to {j} of layer {column} ({weight:+}) is {pen.widthF():.2f} wide, not {width:.2f}"
    assert len(seen) == HIDDEN.size + OUTPUT.size, "some pair of nodes has no link, or two"


def test_units_are_coloured_by_the_sign_and_size_of_their_bias(view):
    trained(view)
    places = node_places(view)
    colours = {place: node.brush().color() for node, place in places.items()}
    for column, biases in ((1, HIDDEN_BIAS), (2, OUTPUT_BIAS)):
        for row, bias in enumerate(biases):
            r, _, b, _ = colours[column, row].getRgb()
            if bias > 0:
                assert b > r, f"unit {row + 1} of column {column} (bias {bias:+}) is not blue"
            elif bias < 0:
                assert r > b, f"unit {row + 1} of column {column} (bias {bias:+}) is not orange"
            else:
                assert colours[column, row].name() == "#ffffff", f"unit {row + 1} (bias 0) is not white"
    strong, weak = colours[1, 1], colours[2, 0]  # -0.6 and -0.2: the larger, the deeper
    assert strong.lightness() < weak.lightness(), "a larger bias is not drawn deeper"


def clear_point(link, links):
    """A point on ``link`` that no other link's hover band comes near (where a user can point at it alone,
    a pixel either way)."""
    for t in np.linspace(0.2, 0.8, 25):
        point = link.mapToScene(link.path().pointAtPercent(t))
        near = [point + QPointF(dx, dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
        if not any(other.shape().contains(other.mapFromScene(p)) for other in links if other is not link for p in near):
            return point
    return None


def tooltip_at(view, scene_point):
    """What Qt shows when the mouse rests on ``scene_point``."""
    at = view.mapFromScene(scene_point)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
    return QToolTip.text()


LINK_TIP = re.compile(r"(.+) → (\w+) unit (\d+)\nweight ([+-]\d\.\d{4})\n\(kernel\[(\d+), (\d+)\] of (\w+)\)")


def test_hovering_a_link_shows_the_weight_between_the_nodes_it_joins(view):
    trained(view)
    links = view.link_items()
    inputs, layers, kernels = ["x₁", "x₂", "x₁²"], ["hidden_1", "output"], [HIDDEN, OUTPUT]
    checked = 0
    for link, (column, i), (_, j) in link_ends(view):
        point = clear_point(link, links)
        if point is None:
            continue
        text = tooltip_at(view, point)
        match = LINK_TIP.fullmatch(text)
        assert match, text
        source = inputs[i] if column == 0 else f"{layers[column - 1]} unit {i + 1}"
        assert match.group(1) == source and match.group(2) == layers[column] and int(match.group(3)) == j + 1, \
            f"the link from node {i} to {j} of layer {column} is described as {text!r}"
        weight = kernels[column][i, j]
        assert float(match.group(4)) == round(weight, 4), \
            f"the link from node {i} to {j} of layer {column} reads weight {match.group(4)}, not {weight}"
        assert (int(match.group(5)), int(match.group(6))) == (i, j)
        checked += 1
    assert checked >= 16, f"only {checked} of {len(links)} links could be pointed at alone"


def test_hovering_a_unit_shows_its_bias(view):
    view.set_architecture(["x1", "x2"], [1], ["output"])
    node = next(node for node, (column, _) in node_places(view).items() if column == 1)
    assert tooltip_at(view, node.sceneBoundingRect().center()) == "output unit 1\nbias not computed yet"
    trained_output = layer("output", np.array([[0.25], [-0.5]]), np.array([0.125]))
    view.add(events.Weights(1, (trained_output,)))
    view.refresh()
    match = re.fullmatch(r"output unit 1\nbias ([+-]\d\.\d{4})", tooltip_at(view, node.sceneBoundingRect().center()))
    assert match and float(match.group(1)) == 0.125
    trained(view)
    for node, (column, row) in node_places(view).items():
        if column == 0:
            continue
        text = tooltip_at(view, node.sceneBoundingRect().center())
        name, biases = (("hidden_1", HIDDEN_BIAS), ("output", OUTPUT_BIAS))[column - 1]
        match = re.fullmatch(rf"{name} unit (\d+)\nbias ([+-]\d\.\d{{4}})", text)
        assert match and int(match.group(1)) == row + 1, f"unit {row + 1} of {name} is described as {text!r}"
        assert float(match.group(2)) == round(biases[row], 4), f"unit {row + 1} of {name} reads {text!r}"


def test_clearing_draws_every_link_alike_again(view):
    trained(view)
    view.clear()
    widths = view.link_pen_widths()
    assert np.allclose(widths, widths[0]) and len({link.pen().color().name() for link in view.link_items()}) == 1


def test_wide_layers_are_capped_with_a_count(view):
    inputs = [f"f{i}" for i in range(MAX_NODES + 12)]
    view.set_architecture(inputs, [100, MAX_NODES - 2], ["hidden_1", "output"])
    assert view.link_count() == MAX_NODES * MAX_NODES + MAX_NODES * (MAX_NODES - 2)
    assert view.marker_texts() == ["+12", f"+{100 - MAX_NODES}"]
    rng = np.random.default_rng(0)
    hidden, output = rng.normal(size=(MAX_NODES + 12, 100)), rng.normal(size=(100, MAX_NODES - 2))
    view.add(events.Weights(1, (layer("hidden_1", hidden, rng.normal(size=100)), layer("output", output))))
    view.refresh()
    kernels = [hidden, output]
    largest = max(np.abs(hidden[:MAX_NODES, :MAX_NODES]).max(), np.abs(output[:MAX_NODES]).max())
    for link, (column, i), (_, j) in link_ends(view):
        width = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * abs(kernels[column][i, j]) / largest
        assert link.pen().widthF() == pytest.approx(width), \
            f"the link from node {i} to {j} of layer {column} is not as wide as its weight"


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_sixteen_units_all_show_their_maps_and_the_output_node_the_outputs_map(view, task):
    """Every unit of a 16-unit layer is drawn with its map (no "+8"), and the output node shows the
    model's output over the plane: P(class 1) from orange (0) to blue (1), or the value on its scale."""
    from playground.plots.style import neuron_colours, neuron_scale

    view.set_task(task)
    view.set_architecture(["x1", "x2"], [16, 1], ["hidden_1", "output"])
    assert view.marker_texts() == []
    rng = np.random.default_rng(1)
    m, n = 6, 10
    inputs, hidden = rng.normal(size=(m, m, 2)), np.tanh(rng.normal(size=(m, m, 16)))
    output = rng.uniform(0, 1, (n, n, 1)) if task == "binary" else rng.normal(0, 3, (n, n, 1))
    axis = np.linspace(-6, 6, n, dtype=np.float32)
    view.add_boundary(events.Boundary(1, axis, axis, output, axis[:m], axis[:m], (inputs, hidden)))
    view.refresh()
    for unit in range(16):
        np.testing.assert_array_equal(view.thumbnail(1, unit), neuron_colours(hidden[::-1, :, unit],
                                                                               neuron_scale(hidden)))
    shown = view.thumbnail(2, 0)
    assert shown is not None, "the output node shows no map"
    values, scale = (2 * output - 1, 1.0) if task == "binary" else (output, neuron_scale(output))
    np.testing.assert_array_equal(shown, neuron_colours(values[::-1, :, 0], scale))
    if task == "binary":  # the likelier class 1 is blue where P > 0.5, as in the Output view
        top_left = output[-1, 0, 0]
        assert (shown[0, 0, 2] > shown[0, 0, 0]) == (top_left > 0.5)


def test_weights_of_another_architecture_are_not_drawn(view):
    view.set_architecture(["x1", "x2"], [3, 1], ["hidden_1", "output"])
    neutral = view.link_pen_widths()
    view.add(events.Weights(1, (layer("hidden_1", np.ones((2, 5))), layer("output", np.ones((5, 1))))))
    view.refresh()
    np.testing.assert_allclose(view.link_pen_widths(), neutral)


def test_empty_view_has_a_hint(view):
    texts = [item.text() for item in view.scene().items() if hasattr(item, "text")]
    assert "Choose a data set to see the network." in texts
    assert view.link_count() == 0


def test_labels_keep_their_size_and_do_not_overlap_with_wide_layers(qtbot):
    """16-unit layers in a small dock: the drawing shrinks, its text does not (about 11 px, not 6); input
    labels that would overlap are skipped, never squeezed; features are written as the Data panel does."""
    from PySide6.QtGui import QFont, QFontMetricsF

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(340, 160)
    view.show()
    qtbot.waitExposed(view)
    features = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"] + [f"f{i}" for i in range(9)]
    view.set_architecture(features, [16, 16, 1], ["hidden_1", "hidden_2", "output"])
    font = QFont(view.font())
    font.setPointSizeF(8.5)
    assert view.label_pixel_size() >= QFontMetricsF(font).height() - 0.5, \
        f"labels are {view.label_pixel_size():.1f} px tall on screen"
    labels = view.input_labels()
    written = ["x₁", "x₂", "x₁²", "x₂²", "x₁·x₂", "sin(x₁)", "sin(x₂)"]  # as the Data panel writes them
    assert [text for text, _ in labels][:7] == written
    shown = [item for item in view.scene().items() if isinstance(item, QGraphicsSimpleTextItem)
             and item.isVisible() and item.text() in {text for text, _ in labels}]
    rects = sorted((view.mapFromScene(item.scenePos()).y(), item.text()) for item in shown)
    gaps = np.diff([y for y, _ in rects])
    assert len(rects) >= 4 and gaps.min() >= view.label_pixel_size() - 1, \
        f"input labels overlap on screen: {rects}"
    node = view.node_items()[0].sceneBoundingRect()
    assert view.transform().m11() * node.width() < 28, "the drawing did not shrink: the test proves nothing"


def move_mouse(view, at):
    """The mouse moves to ``at`` on the view (QTest's mouseMove delivers no move event offscreen)."""
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(at), QPointF(view.viewport().mapToGlobal(at)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_pointing_at_and_clicking_a_node_with_a_map_names_it(view, qtbot):
    view.set_architecture(["x1", "x1^2"], [3, 1], ["hidden_1", "output"])
    m = 6
    xs = np.linspace(-2, 2, m, dtype=np.float32)
    maps = (np.zeros((m, m, 2), np.float32), np.ones((m, m, 3), np.float32))
    hovered, clicked = [], []
    view.neuronHovered.connect(lambda *a: hovered.append(a))
    view.neuronClicked.connect(lambda *a: clicked.append(a))
    node = view.node_item(1, 2)
    at = view.mapFromScene(node.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert clicked == [], "a node without a map offered one"
    view.add_boundary(events.Boundary(1, xs, xs, np.zeros((m, m, 1)), xs, xs, maps))
    view.refresh()
    move_mouse(view, at + QPoint(0, 200))  # off the node, then onto it
    move_mouse(view, at)
    assert hovered[-1] == (1, 2, "hidden_1 unit 3")
    move_mouse(view, at + QPoint(0, 200))
    assert hovered[-1] == (-1, -1, ""), "leaving the node did not say so"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert clicked == [(1, 2, "hidden_1 unit 3")]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(view.node_item(0, 1).sceneBoundingRect().center()))
    assert clicked[-1] == (0, 1, "x₁²")


def test_clicking_a_link_while_editable_edits_its_weight(view, qtbot):
    trained(view)
    edits = []
    view.weightEdited.connect(lambda *a: edits.append(a))
    link = view.link_item(0, 2, 1)  # x1^2 -> hidden_1 unit 2: -0.45
    at = view.mapFromScene(clear_point(link, view.link_items()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert view.weight_editor().isHidden(), "the editor opened while training (not editable)"
    view.set_editable(True)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    editor = view.weight_editor()
    assert editor.isVisible() and float(editor.text()) == pytest.approx(HIDDEN[2, 1])
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible() and edits == [] and "'abc' is not a number" in editor.toolTip()
    editor.selectAll()
    qtbot.keyClicks(editor, "0.8125")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert edits == [("hidden_1", 2, 1, HIDDEN[2, 1], 0.8125)], edits
    assert editor.isHidden()
