"""A weight set by hand (a link edited in the network diagram) goes into a paused run between chunks, from
another thread, exactly; and the views get a snapshot with it."""
import threading

import numpy as np

from playground.core import events as ev
from playground.core.engine import Engine
from tests.core.experiments import xor_experiment


def test_a_weight_set_while_paused_is_applied_between_chunks_exactly():
    seen, paused = [], threading.Event()

    def listen(event):
        seen.append(event)
        if isinstance(event, ev.Paused):
            paused.set()

    engine = Engine(xor_experiment(epochs=100_000), listen)
    engine.prepare()
    engine.pause()  # the run starts paused: nothing trains while the edit is checked
    thread = threading.Thread(target=engine.run, name="engine")
    thread.start()
    try:
        assert paused.wait(60), "the run did not report its pause"
        before = len(seen)
        engine.set_kernel("hidden_1", 1, 3, 0.3125)  # from this (another) thread: queued into the run
        for _ in range(600):
            if any(isinstance(e, ev.Edited) for e in seen[before:]):
                break
            threading.Event().wait(0.05)
        edited = [e for e in seen[before:] if isinstance(e, ev.Edited)]
        assert edited, "the paused run did not apply the weight"
        assert edited[0].label.startswith("hidden_1[1, 3] ") and edited[0].label.endswith("→ +0.3125")
        weights = [e for e in seen[seen.index(edited[0]):] if isinstance(e, ev.Weights)]
        assert weights, "no snapshot of the edited model was sent"
        hidden = next(layer for layer in weights[0].layers if layer.name == "hidden_1")
        assert hidden.kernel[1, 3] == np.float32(0.3125), "the snapshot does not show the weight set"
        assert engine.epoch == edited[0].epoch, "the edit trained the model on"
    finally:
        engine.stop()
        thread.join(60)
    assert not thread.is_alive()
    assert engine.model.get_layer("hidden_1").kernel.numpy()[1, 3] == np.float32(0.3125)
    seen.clear()
    engine.set_kernel("hidden_1", 2, 0, 1.0)  # idle now: applied at once, here; XOR has 2 inputs
    failed = [e.message for e in seen if isinstance(e, ev.Failed)]
    assert failed == ["hidden_1's kernel has no weight [2, 0]; its shape is 2 x 8."], failed
