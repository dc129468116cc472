"""The interface language: English in the source, Chinese (zh_CN) from ``resources/i18n``.

Every string a user reads goes through Qt's translation (``self.tr`` in a widget,
``translate(context, text)`` elsewhere); the catalog's names and explanations are marked in the
Qt-free core with ``QT_TRANSLATE_NOOP("catalog", …)`` and translated here, when they are shown.
``scripts/update-translations.sh`` collects the strings into ``playground_zh_CN.ts`` and compiles
the ``.qm`` that ships, so a user needs no Qt tooling.

Which language: ``PLAYGROUND_LANGUAGE`` (``en``, ``zh_CN``) if set, else the choice saved from
View → Language, else the system locale. The choice applies from the next start: every panel
builds its texts once, and re-building them live would need a second code path in each of them.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from playground.resources_path import resources

ENVIRONMENT = "PLAYGROUND_LANGUAGE"
SETTING = "language"
SYSTEM = "system"
# The choices in View → Language; a language's own name is never translated (a reader finds it).
LANGUAGES = {"en": "English", "zh_CN": "中文"}
translate = QCoreApplication.translate


def folder():
    """Where the compiled translations (``playground_<locale>.qm``) ship."""
    return resources() / "i18n"


def saved_choice() -> str:
    """The language chosen in View → Language: ``system`` or a key of :data:`LANGUAGES`."""
    value = QSettings("Playground", "Playground").value(SETTING, SYSTEM)
    return value if value in LANGUAGES else SYSTEM


def save_choice(choice: str) -> None:
    QSettings("Playground", "Playground").setValue(SETTING, choice)


def locale() -> QLocale:
    """The language to show: the environment's, the saved choice, or the system's."""
    choice = os.environ.get(ENVIRONMENT) or saved_choice()
    return QLocale.system() if choice == SYSTEM else QLocale(choice)


def install(app: QCoreApplication) -> list[QTranslator]:
    """Install Playground's translation for :func:`locale` (and Qt's own, for the standard buttons of
    message boxes and file dialogs); returns the translators installed, none for English."""
    target = locale()
    installed = []
    for name, where in (("playground", str(folder())),
                        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(target, name, "_", where) and app.installTranslator(translator):
            installed.append(translator)
    return installed


def catalog(text: str) -> str:
    """A catalog name or explanation in the interface language (marked ``QT_TRANSLATE_NOOP("catalog", …)``)."""
    return translate("catalog", text)


def dataset(text: str) -> str:
    """A built-in data set's title or description in the interface language (marked
    ``QT_TRANSLATE_NOOP("datasets", …)`` in ``playground.data.registry``)."""
    return translate("datasets", text)


def lab(text: str) -> str:
    """A lab text of ``playground.core.lab`` in the interface language (marked ``QT_TRANSLATE_NOOP("lab", …)``)."""
    return translate("lab", text)


def _translator(choice: str) -> QTranslator:
    """The translation of ``choice`` (an empty one for English): to say something in a language not shown yet."""
    translator = QTranslator()
    if choice != "en":
        translator.load(QLocale.system() if choice == SYSTEM else QLocale(choice), "playground", "_", str(folder()))
    return translator


class LanguageMenu(QMenu):
    """View → Language: System, English, 中文. A choice is saved and applies at the next start; the
    message saying so is in the language shown now and, where it differs, in the chosen one."""

    def __init__(self, dialogs, parent: QWidget | None = None):
        super().__init__(self.tr("&Language"), parent)
        self.setObjectName("languageMenu")
        self.dialogs = dialogs
        group = QActionGroup(self)
        saved = saved_choice()
        for choice, text in ((SYSTEM, self.tr("System")), *LANGUAGES.items()):
            action = QAction(text, self, checkable=True, checked=choice == saved)
            action.setData(choice)
            group.addAction(action)
            self.addAction(action)
        group.triggered.connect(self._chosen)

    @Slot(QAction)
    def _chosen(self, action: QAction) -> None:
        choice = action.data()
        if choice == saved_choice():
            return
        save_choice(choice)
        source = QT_TRANSLATE_NOOP("LanguageMenu", "The language changes the next time Playground starts.")
        lines = [self.tr(source)]
        other = _translator(choice).translate("LanguageMenu", source) or source
        if other not in lines:
            lines.append(other)
        self.dialogs.information(self.tr("Language"), "\n".join(lines))
