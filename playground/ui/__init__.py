"""The desktop application: main window, panels, and the training thread's bridge to the engine.

``MainWindow`` is imported on first use, so that ``playground.ui.app`` can check that Qt is able to
open a window before any Qt GUI library is loaded.
"""

__all__ = ["MainWindow"]


def __getattr__(name: str):
    if name == "MainWindow":
        from playground.ui.window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
