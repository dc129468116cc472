"""Run control: what other threads ask of a live run — pause, resume, stop, a step, a live edit.

Any thread sets these through :class:`RunControl`; the engine's thread reads them between chunks
(:meth:`RunControl.next`), so each takes effect within one chunk, and waits on them while paused.
It holds no Keras state: what an edit or a step does is the engine's.
"""
from __future__ import annotations

import threading
from typing import Any, Callable


class RunControl:
    """The flags and queues of one engine's run, behind one condition variable."""

    def __init__(self):
        # Re-entrant: a listener called while the run waits (a Paused event) may pause or stop again.
        self._cond = threading.Condition(threading.RLock())
        self._stop = False
        self._paused = False
        self._steps: list[str] = []  # queued "epoch"/"batch" requests while paused
        self._edits: list[Any] = []  # queued live edits, applied between chunks
        self._running = False
        self._pause_told = False  # on_pause was called for the pause under way

    @property
    def running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def step(self, kind: str) -> bool:
        """Queue a step ("epoch"/"batch") into the live run, which pauses, and return True; False (and
        nothing queued) if no run is live."""
        with self._cond:
            if self._running:
                self._paused = True
                self._steps.append(kind)
                self._cond.notify_all()
            return self._running

    def offer(self, edit) -> bool:
        """Queue a live edit into the live run and return True; False (and nothing queued) if no run
        is live."""
        with self._cond:
            if self._running:
                self._edits.append(edit)
                self._cond.notify_all()
            return self._running

    # -- the engine's thread ---------------------------------------------------------------------
    def begin(self) -> None:
        """A run starts: an earlier stop is forgotten."""
        with self._cond:
            self._stop = False
            self._pause_told = False
            self._running = True

    def end(self) -> list:
        """The run ended: steps still queued are dropped; returns the edits that came as it ended."""
        with self._cond:
            self._running = False
            self._steps.clear()
            edits, self._edits = self._edits, []
        return edits

    def next(self, on_pause: Callable[[], None],
             done: Callable[[], bool] = lambda: False) -> tuple[bool, str | None, list]:
        """Between chunks: (stop asked, the step to do or None, the edits to apply), waiting while
        paused with nothing to do; ``on_pause`` is called (holding the lock) before the first wait of a
        pause, once: edits applied while paused do not end the pause, a step or a resume does. A run
        that is ``done`` (at its target) does not wait: a pause asked as it got there lets it finish.
        Edits come before a step: a step waits for the next call."""
        with self._cond:
            while self._paused and not self._stop and not self._steps and not self._edits and not done():
                if not self._pause_told:
                    on_pause()
                    self._pause_told = True
                self._cond.wait()
            step = self._steps.pop(0) if self._steps and not self._edits else None
            edits, self._edits = self._edits, []
            if not edits:  # a chunk runs next (a step, or the run going on): a later pause is told again
                self._pause_told = False
            return self._stop, step, edits
