"""Importing TensorFlow without the log lines its C++ core prints at start-up.

``import tensorflow`` writes lines such as ``I0000 ... oneDNN custom operations are on`` and,
on a machine without a GPU, ``E0000 ... failed call to cuInit: INTERNAL: CUDA error``, which
reads like a failure although nothing is wrong. Some come from Abseil before its logging is
initialised, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hold them back: they go straight to file
descriptor 2. :func:`import_tensorflow` therefore points descriptor 2 at the null device for the
duration of the import (and puts it back afterwards, even when the import fails), and sets
``TF_CPP_MIN_LOG_LEVEL=3`` unless the user set a level, for the lines TensorFlow logs later (the
first device query, the first XLA compile).

Whoever imports TensorFlow first in a process should do it through here: the command line does
at the start of a command, the window's training thread when it loads TensorFlow. Anything else
written to descriptor 2 during those seconds (by another thread, too) is lost with them, which
is why the switch exists: ``PLAYGROUND_VERBOSE=1`` (or the command line's ``--verbose``) imports
TensorFlow untouched. Qt-free, so ``playground.core`` may use it.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Iterator

from playground.errors import PlaygroundError

VERBOSE_ENV = "PLAYGROUND_VERBOSE"
_lock = threading.Lock()  # descriptor 2 is the process's: one redirect at a time


def verbose_requested() -> bool:
    """Whether ``PLAYGROUND_VERBOSE`` asks for TensorFlow's own messages (anything but empty, 0, no, false)."""
    return os.environ.get(VERBOSE_ENV, "").strip().lower() not in ("", "0", "no", "false")


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Descriptor 2 goes to the null device inside the block and is restored after it, always."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all (a detached process): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()  # what Python buffered during the block belongs to the block
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow(verbose: bool = False):
    """``import tensorflow``, without its start-up log lines unless ``verbose`` or ``PLAYGROUND_VERBOSE``.

    Returns the module. A failed import becomes one sentence; a quiet one points at the switch,
    since whatever TensorFlow printed about the failure was hidden.
    """
    if "tensorflow" not in sys.modules:
        quiet = not (verbose or verbose_requested())
        if quiet:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        with _lock, (_stderr_to_devnull() if quiet else contextlib.nullcontext()):
            try:
                import tensorflow  # noqa: F401
            except ImportError as exc:
                hint = f"; set {VERBOSE_ENV}=1 to see its own messages" if quiet else ""
                raise PlaygroundError(f"TensorFlow could not be imported ({exc}){hint}.") from None
    import tensorflow as tf

    return tf
