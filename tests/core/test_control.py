"""RunControl alone (no TensorFlow): what the engine's run loop is told between chunks."""
from __future__ import annotations

import threading
import time

import pytest

from playground.core.control import RunControl


def _next_in_thread(control: RunControl, told: list):
    """``control.next`` in a thread (it waits while paused); returns a function that joins it."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("r", control.next(lambda: told.append(1))),
                              daemon=True)
    thread.start()

    def join():
        thread.join(5)
        assert not thread.is_alive(), "next() did not return"
        return result["r"]
    return join


def _until(predicate):
    end = time.monotonic() + 5
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


@pytest.mark.timeout(30)
def test_a_pause_is_told_once_edits_while_paused_keep_it_and_a_step_ends_it():
    control = RunControl()
    control.begin()
    control.pause()
    told: list = []

    join = _next_in_thread(control, told)
    _until(lambda: len(told) == 1)  # the pause is told as the run waits
    assert control.offer("edit")
    assert join() == (False, None, ["edit"])

    join = _next_in_thread(control, told)  # still paused after the edit: waits, not told again
    time.sleep(0.1)
    assert len(told) == 1, "an edit applied while paused told the pause again"
    assert control.step("epoch")
    assert join() == (False, "epoch", [])

    join = _next_in_thread(control, told)  # after the step's chunk the pause is told again
    _until(lambda: len(told) == 2)
    control.stop()
    assert join() == (True, None, [])
