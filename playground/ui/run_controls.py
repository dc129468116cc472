"""Train, Pause/Resume, Stop, Step and Reset: the buttons, their actions and Space."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def _takes_text(widget: QObject) -> bool:
    """Whether ``widget`` is a field to type text into, where Space types a space.

    A spin box's own line edit never has the focus (the spin box has), so spin boxes are not.
    """
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit))


class RunControls:
    """Part of :class:`~playground.ui.window.MainWindow`: what the run controls do and show."""

    def _connect_run_controls(self) -> None:
        p = self.training_panel
        p.train.clicked.connect(self.train_clicked)
        p.stop.clicked.connect(self.stop_clicked)
        p.step.step.connect(self.step_clicked)
        p.reset.clicked.connect(self.reset_clicked)

    @Slot()
    def _update_controls(self) -> None:
        ready, live, paused = self.tensorflow_ready, self.trainer.live, self.trainer.paused
        ok = self.state.trainable()
        p = self.training_panel
        style = self.style()
        if not ready:
            why = self.tr("Loading TensorFlow…")
        elif not ok:
            why = self.tr("Fix the problems shown first.")
        else:
            why = ""
        p.train.setEnabled(live or (ready and ok))
        text = self.tr("Resume") if live and paused else (self.tr("Pause") if live else self.tr("Train"))
        icon = style.StandardPixmap.SP_MediaPause if live and not paused else style.StandardPixmap.SP_MediaPlay
        p.train.setText(text)
        p.train.setIcon(style.standardIcon(icon))
        p.train.setToolTip(why or self.tr("{0} (Space)").format(text))
        self.act_train.setText(f"&{text}")
        self.act_train.setEnabled(p.train.isEnabled())
        p.stop.setEnabled(live)
        self.act_stop.setEnabled(live)
        self.network.set_editable(ready and ok and (paused or not live))
        for widget in (p.step, p.reset, self.act_step, self.act_step_batch, self.act_reset, *self.model_actions):
            widget.setEnabled(ready and ok)
        if why:
            for button in (p.step, p.reset):
                button.setToolTip(why)
        else:
            p.step.setToolTip(self.tr("Train one epoch (Ctrl+T); Shift+click: one batch"))
            p.reset.setToolTip(self.tr("Draw new initial weights (same architecture) and clear the history (Ctrl+R)"))
        self._show_run_status()

    @Slot()
    def train_clicked(self) -> None:
        """Train, or pause, or resume: the Train button and Space."""
        if not self.trainer.live:
            if self.tensorflow_ready and self.state.trainable():
                self._train_on()
        elif self.trainer.paused:
            self.trainer.resume()
        else:
            self.trainer.pause()
        self._update_controls()

    def _train_on(self) -> None:
        """Train to the Epochs target; at it (or past it), as many epochs more, with the new target set
        in Epochs (an undoable edit) and said in the status bar."""
        self._take_events()  # the epoch the model is at, not an earlier model's still in the queue
        epochs, done = self.state.experiment.training.epochs, self.epoch
        if done < epochs:
            self.trainer.run(epochs)
            return
        target = done + epochs
        self.state.edit(self.tr("Change epochs"), lambda exp: setattr(exp.training, "epochs", target))
        self.trainer.run(target)
        self._update_controls()
        self._passing = self.tr("Epoch {0} reached: training {1} epochs more, to epoch {2}.").format(
            done, epochs, target)
        self.statusBar().showMessage(self._passing, 5000)

    @Slot()
    def stop_clicked(self) -> None:
        self.trainer.stop()

    @Slot(bool)
    def step_clicked(self, batch: bool = False) -> None:
        if self.tensorflow_ready and self.state.trainable():
            self.trainer.step("batch" if batch else "epoch")
            self._update_controls()

    @Slot()
    def reset_clicked(self) -> None:
        if self.tensorflow_ready and self.state.trainable():
            self.trainer.reset()
            self.statusBar().showMessage(self.tr("New initial weights drawn."), 3000)

    @Slot(QWidget, QWidget)
    def _focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        """Watch the keys of the widget with the focus, if it is in this window (see eventFilter)."""
        if old is not None:
            old.removeEventFilter(self)
        if now is not None and self.isAncestorOf(now):
            now.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Space trains or pauses from anywhere in the window, except in a field that takes text.

        Spin boxes (and their line edits) claim Space before the Train shortcut sees it, so their
        key press arrives here instead; taking it keeps Space from changing them.
        """
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and not _takes_text(watched)):
            if not event.isAutoRepeat():
                self.act_train.trigger()
            return True
        return super().eventFilter(watched, event)
