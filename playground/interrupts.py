"""SIGINT and SIGTERM for the length of a ``with`` block: a long command (``train``, ``sweep``) acts on
them itself (the first asks for a stop that keeps what is done, a second aborts), then the handlers
before come back."""
from __future__ import annotations

import signal
import threading


class Interrupts:
    """``with`` it, SIGINT and SIGTERM call :meth:`_handle` (in the main thread only: elsewhere Python
    cannot set handlers, and the block runs without them)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self):
        self._previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        raise NotImplementedError
