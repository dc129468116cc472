"""Hypothesis profiles of the reliability suite.

``ci`` (the default): derandomized, so every run tries the same few hundred cases, in about a
minute and a half on a 2-core machine. ``long``: ten times as many per test, freshly random each
run, for an hour of hunting::

    HYPOTHESIS_PROFILE=long QT_QPA_PLATFORM=offscreen python -m pytest -p no:randomly tests/reliability

(``--hypothesis-profile=long`` works too when ``tests/reliability`` is on the command line.) Each
test sizes itself from the profile's ``max_examples`` (:func:`tests.reliability.support.examples`).
"""
import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture])
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=600, derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The real window's fixtures (scripted dialogs, the driver, isolated settings) for the window's faults.
from tests.ui.conftest import (  # noqa: E402,F401
    _engine_thread, _plots_configured, driver, engine_in_this_process, engine_server, isolated_settings, make_window)
