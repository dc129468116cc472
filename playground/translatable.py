"""Marking text for translation without Qt: the core and the data sets are Qt-free, so they mark their
texts with :func:`QT_TRANSLATE_NOOP` (the name ``pyside6-lupdate`` looks for) and the UI translates
them when it shows them."""
from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark ``text`` for translation and return it unchanged: ``scripts/update-translations.sh``
    collects the marked strings and the UI translates them when it shows them
    (``playground.ui.i18n.catalog``)."""
    return text
