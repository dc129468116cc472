"""What the window keeps between sessions (QSettings): its geometry and dock layout, the folder the
last file dialog used, the recent files, the TensorBoard folder."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings("Playground", "Playground")


def last_directory() -> str:
    """Where the next file dialog starts: the folder of the last file opened or written."""
    return str(settings().value("lastDirectory", str(Path.home())))


def remember_directory(path: str | Path) -> None:
    settings().setValue("lastDirectory", str(Path(path).resolve().parent))


def remember(path: str | Path) -> None:
    """``path`` was opened or saved: first in the recent files, and its folder the next dialog's."""
    path = str(Path(path).resolve())
    s = settings()
    s.setValue("lastDirectory", str(Path(path).parent))
    recent = [p for p in recent_files() if p != path]
    s.setValue("recentFiles", [path, *recent][:MAX_RECENT])


def recent_files() -> list[str]:
    value = settings().value("recentFiles") or []
    return [value] if isinstance(value, str) else list(value)


def clear_recent_files() -> None:
    settings().remove("recentFiles")


def restore_window(window: QMainWindow) -> bool:
    """Restore the last window geometry and dock layout; False if there was no layout."""
    s = settings()
    geometry, layout = s.value("geometry"), s.value("windowState")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    return isinstance(layout, QByteArray) and window.restoreState(layout)


def save_window(window: QMainWindow) -> None:
    s = settings()
    s.setValue("geometry", window.saveGeometry())
    s.setValue("windowState", window.saveState())
