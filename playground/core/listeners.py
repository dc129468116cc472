"""Who hears a run's events: one list of listeners and one fan-out, as Keras' ``CallbackList``.

A listener is any callable taking one event (:mod:`playground.core.events`); it is called in the
engine's thread, in the order the listeners were added. The session hands every engine event to
its listeners (the window's event queue, a TensorBoard log, ...), and the command line's ``train``
gives the engine its progress printer, signal handling and TensorBoard writer as one list.

An exception in a listener is not swallowed: it ends the fan-out and reaches the engine, which
reports it as a ``Failed`` event and ends the run, as ``fit`` does with a callback that raises.
A listener that writes to the outside world (the TensorBoard writer) guards its own failures and
says so in a sentence; a bug in one must show, not leave views silently stale.

Listeners may be added or removed from any thread while a run is live: the list is replaced, never
changed in place, so an event under way goes to the listeners there were when it started.
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator

from playground.core import events as ev

Listener = Callable[[ev.Event], None]


class Listeners:
    """An ordered list of listeners, itself a listener: calling it calls each in turn."""

    def __init__(self, listeners: Iterable[Listener | None] = ()):
        self._listeners: tuple[Listener, ...] = tuple(listener for listener in listeners if listener is not None)
        self._lock = threading.Lock()  # for writers only: readers take the tuple as it is

    def append(self, listener: Listener) -> None:
        with self._lock:
            self._listeners += (listener,)

    def remove(self, listener: Listener) -> None:
        """Drop ``listener`` (the first entry that is it); nothing if it is not there."""
        with self._lock:
            listeners = list(self._listeners)
            if listener in listeners:
                listeners.remove(listener)
                self._listeners = tuple(listeners)

    def replace(self, old: Listener, new: Listener) -> None:
        """Put ``new`` where ``old`` is (at the end if ``old`` is not there)."""
        with self._lock:
            listeners = list(self._listeners)
            if old in listeners:
                listeners[listeners.index(old)] = new
            else:
                listeners.append(new)
            self._listeners = tuple(listeners)

    def __iter__(self) -> Iterator[Listener]:
        return iter(self._listeners)

    def __len__(self) -> int:
        return len(self._listeners)

    def __call__(self, event: ev.Event) -> None:
        for listener in self._listeners:
            listener(event)
