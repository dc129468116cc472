"""Listeners: one list of event listeners, one fan-out, and what a listener that raises does to a run."""
from playground.core import events as ev
from playground.core.engine import Engine
from playground.core.listeners import Listeners
from tests.core.experiments import xor_experiment


def test_every_listener_hears_every_event_in_the_order_they_were_added():
    heard = []
    first, second, third = (lambda event, n=n: heard.append((n, event.epoch)) for n in (1, 2, 3))
    listeners = Listeners([first, None, second])
    listeners(ev.Paused(1))
    listeners.append(third)
    listeners.remove(first)
    listeners(ev.Paused(2))
    listeners.replace(second, first)
    listeners(ev.Paused(3))
    assert heard == [(1, 1), (2, 1), (2, 2), (3, 2), (1, 3), (3, 3)]
    assert len(listeners) == 2


def test_a_listener_added_during_a_fan_out_hears_the_next_event_not_this_one():
    heard = []
    listeners = Listeners()

    def add_another(event):
        if event.epoch == 1:
            listeners.append(heard.append)

    listeners.append(add_another)
    listeners(ev.Paused(1))
    listeners(ev.Paused(2))
    assert [event.epoch for event in heard] == [2]


def test_a_listener_that_raises_ends_the_run_with_a_sentence_and_the_others_hear_it():
    """The exception is not swallowed: the fan-out stops there and the engine reports it as Failed."""
    heard = []

    def broken(event):
        if isinstance(event, ev.Metrics):
            raise ValueError("the view broke")

    engine = Engine(xor_experiment(3), Listeners([broken, heard.append]))
    engine.jit = False
    assert engine.run() == "failed"
    failed = [e for e in heard if isinstance(e, ev.Failed)]
    assert len(failed) == 1 and "ValueError: the view broke" in failed[0].message
    assert not [e for e in heard if isinstance(e, ev.Metrics)], "a listener after the broken one heard its event"
    assert not [e for e in heard if isinstance(e, ev.Finished)]
