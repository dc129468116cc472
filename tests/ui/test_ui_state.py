"""The experiment state's ``changed`` signal says what changed, so each panel redraws only its own part."""
from __future__ import annotations

from playground.ui.state import PARTS, ExperimentState


def test_changed_names_the_parts_an_edit_undo_and_reset_changed(qapp):
    state = ExperimentState()
    said = []
    state.changed.connect(said.append)
    state.edit("Change learning rate", lambda exp: setattr(exp.training, "learning_rate", 0.003))
    state.edit("Change units", lambda exp: setattr(exp.model.layers[0], "units", 3))
    state.edit("Change noise", lambda exp: setattr(exp.dataset, "noise", 20.0))
    state.undo_stack.undo()
    state.undo_stack.undo()
    assert said == [{"training"}, {"model"}, {"dataset"}, {"dataset"}, {"model"}]
    state.reset(state.experiment, None)  # New, Open: everything is new
    assert said[-1] == PARTS == {"name", "dataset", "model", "training"}
