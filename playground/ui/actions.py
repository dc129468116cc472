"""The window's actions, declared once: text, shortcut, tip and the window's method each calls. The
menus and Help > Keyboard shortcuts are made from this table, so a shortcut is written in one place."""
from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from playground.ui.i18n import LanguageMenu

Key = QKeySequence.StandardKey


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text) if text else ""


@dataclass(frozen=True)
class Act:
    """One action: ``window.act_<name>``, calling ``window.<slot>(*args)`` (with the checked state
    where ``checkable``); the texts are translated when the action is made."""

    name: str
    text: str
    slot: str
    keys: tuple = ()  # shortcuts: key strings or QKeySequence.StandardKey values
    tip: str = ""
    args: tuple = ()
    help: str = ""  # its line in Help > Keyboard shortcuts (default: the tip)
    checkable: bool = False
    everywhere: bool = False  # its shortcut works while the menu bar is hidden (an action of the window)
    object_name: str = ""


ACTIONS = (
    Act("new", QT_TRANSLATE_NOOP("MainWindow", "&New"), "new_experiment_clicked", (Key.New,), QT_TRANSLATE_NOOP("MainWindow", "Start a new experiment")),
    Act("open", QT_TRANSLATE_NOOP("MainWindow", "&Open experiment…"), "open_clicked", (Key.Open,),
        QT_TRANSLATE_NOOP("MainWindow", "Open an experiment file")),
    Act("save", QT_TRANSLATE_NOOP("MainWindow", "&Save"), "save_clicked", (Key.Save,), QT_TRANSLATE_NOOP("MainWindow", "Save the experiment")),
    Act("save_as", QT_TRANSLATE_NOOP("MainWindow", "Save &As…"), "save_as_clicked", (Key.SaveAs,),
        QT_TRANSLATE_NOOP("MainWindow", "Save the experiment under a new name")),
    Act("export_weights", QT_TRANSLATE_NOOP("MainWindow", "Export &weights…"), "file_clicked", ("Ctrl+E",),
        QT_TRANSLATE_NOOP("MainWindow", "Save the model's weights (.weights.h5)"), ("save_weights",)),
    Act("export_model", QT_TRANSLATE_NOOP("MainWindow", "Export &model (.keras)…"), "file_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Save the whole model: architecture, weights and optimizer"), ("save_model",)),
    Act("export_savedmodel", QT_TRANSLATE_NOOP("MainWindow", "Export Saved&Model…"), "file_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Export a TensorFlow SavedModel folder (for serving)"), ("export_savedmodel",)),
    Act("export_history", QT_TRANSLATE_NOOP("MainWindow", "Export &history CSV…"), "file_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Save the per-epoch loss and metrics as CSV"), ("save_history",)),
    Act("export_code", QT_TRANSLATE_NOOP("MainWindow", "Export &Python Code…"), "export_code_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Write the experiment as a Python file that trains on its own "
                        "(keras.Sequential, functional API or keras.Model subclass)")),
    Act("export_image", QT_TRANSLATE_NOOP("MainWindow", "Export plot &image…"), "export_image_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Save a panel or the whole window as a PNG image")),
    Act("load_weights", QT_TRANSLATE_NOOP("MainWindow", "&Load weights…"), "file_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Load weights saved from a model of the same architecture"), ("load_weights",)),
    Act("save_run", QT_TRANSLATE_NOOP("MainWindow", "Save R&un…"), "save_run_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Save the selected (or current) run as a folder: experiment, model, weights and history")),
    Act("open_run", QT_TRANSLATE_NOOP("MainWindow", "Open Ru&n…"), "open_run_clicked", (),
        QT_TRANSLATE_NOOP("MainWindow", "Open a saved run folder to compare its curves (Runs panel)")),
    Act("quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), "close", ("Ctrl+Q",), help=QT_TRANSLATE_NOOP("MainWindow", "Quit")),
    Act("undo", QT_TRANSLATE_NOOP("MainWindow", "&Undo"), "undo", (Key.Undo,), help=QT_TRANSLATE_NOOP("MainWindow", "Undo"), everywhere=True),
    Act("redo", QT_TRANSLATE_NOOP("MainWindow", "&Redo"), "redo", ("Ctrl+Shift+Z", "Ctrl+Y"), help=QT_TRANSLATE_NOOP("MainWindow", "Redo"),
        everywhere=True),
    Act("train", QT_TRANSLATE_NOOP("MainWindow", "&Train"), "train_clicked", ("Space",), QT_TRANSLATE_NOOP("MainWindow", "Train / pause / resume"),
        everywhere=True),
    Act("stop", QT_TRANSLATE_NOOP("MainWindow", "&Stop"), "stop_clicked", ("Ctrl+.",), QT_TRANSLATE_NOOP("MainWindow", "Stop training"),
        everywhere=True),
    Act("step", QT_TRANSLATE_NOOP("MainWindow", "Step one &epoch"), "step_clicked", ("Ctrl+T",), args=(False,),
        help=QT_TRANSLATE_NOOP("MainWindow", "Step one epoch (Shift+click Step: one batch)"), everywhere=True),
    Act("step_batch", QT_TRANSLATE_NOOP("MainWindow", "Step one &batch"), "step_clicked", ("Ctrl+Shift+T",), args=(True,),
        help=QT_TRANSLATE_NOOP("MainWindow", "Step one batch"), everywhere=True),
    Act("reset", QT_TRANSLATE_NOOP("MainWindow", "&Reset weights"), "reset_clicked", ("Ctrl+R",),
        QT_TRANSLATE_NOOP("MainWindow", "Draw new initial weights"), everywhere=True),
    Act("keep_weights", QT_TRANSLATE_NOOP("MainWindow", "&Keep Trained Weights Where Shapes Match"), "keep_matching_weights",
        tip=QT_TRANSLATE_NOOP("MainWindow", "A new model (after an edit of the network) starts from the trained weights of "
                            "every layer whose shape is unchanged"), checkable=True, object_name="keepWeightsAction"),
    Act("tensorboard", QT_TRANSLATE_NOOP("MainWindow", "Log Runs to &TensorBoard…"), "log_to_tensorboard", checkable=True,
        object_name="tensorboardAction"),
    Act("sweep", QT_TRANSLATE_NOOP("MainWindow", "S&weep…"), "sweep_clicked",
        tip=QT_TRANSLATE_NOOP("MainWindow", "Train many runs of this experiment with settings changed, outside "
                              "the window: on this machine's cores or a Ray cluster")),
    Act("reset_layout", QT_TRANSLATE_NOOP("MainWindow", "Reset &layout"), "reset_layout"),
    Act("shortcuts", QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"), "show_shortcuts", (Key.HelpContents,)),
    Act("about", QT_TRANSLATE_NOOP("MainWindow", "&About Playground"), "show_about"),
)
# Each menu: action names, "-" for a separator, "@recent" / "@examples" / "@docks" / "@language" for
# what the window fills in.
MENUS = (
    (QT_TRANSLATE_NOOP("MainWindow", "&File"), ("new", "open", "@recent", "@examples", "save", "save_as", "-", "export_weights",
                                "export_model", "export_savedmodel", "export_history", "export_code",
                                "export_image", "-", "load_weights", "-", "save_run", "open_run", "-", "quit")),
    (QT_TRANSLATE_NOOP("MainWindow", "&Edit"), ("undo", "redo")),
    (QT_TRANSLATE_NOOP("MainWindow", "&Training"), ("train", "stop", "step", "step_batch", "reset", "-", "keep_weights",
                                    "tensorboard", "sweep")),
    (QT_TRANSLATE_NOOP("MainWindow", "&View"), ("@docks", "-", "reset_layout", "@language")),
    (QT_TRANSLATE_NOOP("MainWindow", "&Help"), ("shortcuts", "about")),
)
MODEL_ACTIONS = ("export_weights", "export_model", "export_savedmodel", "export_history", "load_weights",
                 "export_code")  # need a model to act on


def make_actions(window) -> None:
    """``window.act_<name>`` for every entry of :data:`ACTIONS`, connected to its method."""
    for spec in ACTIONS:
        action = QAction(_tr(spec.text), window)
        action.setObjectName(spec.object_name or f"{spec.name}Action")
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        if spec.tip:
            action.setStatusTip(_tr(spec.tip))
            action.setToolTip(_tr(spec.tip))
        slot = getattr(window, spec.slot)
        if spec.checkable:
            action.setCheckable(True)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _=False, slot=slot, args=spec.args: slot(*args))
        if spec.everywhere:
            window.addAction(action)
        setattr(window, f"act_{spec.name}", action)
    window.act_train.setAutoRepeat(False)  # holding Space down must not toggle train and pause
    window.model_actions = tuple(getattr(window, f"act_{name}") for name in MODEL_ACTIONS)


def make_menus(window) -> None:
    bar = window.menuBar()
    for title, entries in MENUS:
        menu = bar.addMenu(_tr(title))
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
            elif entry == "@recent":
                window.recent_menu = menu.addMenu(_tr(QT_TRANSLATE_NOOP("MainWindow", "Open &Recent")))
                window.recent_menu.aboutToShow.connect(window.fill_recent)
            elif entry == "@examples":
                window.examples_menu = menu.addMenu(_tr(QT_TRANSLATE_NOOP("MainWindow", "Open E&xample")))
                window.fill_examples()
            elif entry == "@docks":
                menu.addActions([dock.toggleViewAction() for dock in window.docks.values()])
            elif entry == "@language":
                menu.addMenu(LanguageMenu(window.dialogs, menu))
            else:
                menu.addAction(getattr(window, f"act_{entry}"))


def shortcuts_table() -> str:
    """Help > Keyboard shortcuts: every action with a shortcut, from :data:`ACTIONS`."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = "".join(
        f"<tr><td><b>{html.escape(' / '.join(QKeySequence(k).toString(native) for k in spec.keys))}</b></td>"
        f"<td>{html.escape(_tr(spec.help or spec.tip or spec.text).replace('&', ''))}</td></tr>"
        for spec in ACTIONS if spec.keys)
    return f"<table cellspacing='6'>{rows}</table>"
