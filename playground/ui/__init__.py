"""The desktop application: main window, panels, and the training thread's bridge to the engine."""
from playground.ui.window import MainWindow

__all__ = ["MainWindow"]
