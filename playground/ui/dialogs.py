"""Every modal question the window asks, in one replaceable object (tests pass a scripted one)."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from playground.ui.i18n import translate


class Dialogs:
    """Message boxes and file dialogs parented to the main window."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def information(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def confirm(self, title: str, text: str, accept: str) -> bool:
        """Ask a yes/no question whose yes button reads ``accept``; True if accepted."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel,
                          self.parent)
        yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def save_changes(self, name: str) -> str:
        """"save", "discard" or "cancel" for unsaved changes to ``name``."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.parent, translate("Dialogs", "Unsaved changes"),
            translate("Dialogs", "Save changes to {0}?").format(name),
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def open_path(self, title: str, directory: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(self.parent, title, directory, filters)[0]

    def save_path(self, title: str, directory: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(self.parent, title, directory, filters)[0]

    def folder_path(self, title: str, directory: str) -> str:
        """A folder to create (SavedModel export): asked for as a file name."""
        return QFileDialog.getSaveFileName(self.parent, title, directory, translate("Dialogs", "Folder (*)"))[0]

    def directory(self, title: str, directory: str) -> str:
        """An existing folder (the dialog can make one), or "" if cancelled."""
        return QFileDialog.getExistingDirectory(self.parent, title, directory)

    def choose(self, title: str, label: str, items: list[str]) -> str:
        """One of ``items``, or "" if cancelled."""
        item, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return item if ok else ""
