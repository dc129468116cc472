"""Between the window and the engine: the experiment sent to the session, the engine's events taken
from the worker's queue and drawn, and the few things the window sets on the engine itself (a weight
typed in, TensorBoard logging, keeping trained weights). Every use of ``trainer.worker`` and
``trainer.session`` is here."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QTimer, Slot

from playground.core import events as ev
from playground.core.engine import KernelEdit
from playground.core.session import NewModel
from playground.errors import PlaygroundError
from playground.plots.curves import MAX_OVERLAYS, overlay_label
from playground.ui import settings as saved

REFRESH_S = 1 / 30  # views redraw at most ~30 times a second


class EventPump:
    """Part of :class:`~playground.ui.window.MainWindow`: what goes to the engine and what comes back."""

    def _start_pump(self) -> None:
        w = self.trainer.worker
        w.stateChanged.connect(self._on_idle)
        self.trainer.modelReady.connect(self._on_prepared)
        w.ready.connect(self._on_tensorflow_ready)
        w.error.connect(self._on_worker_error)
        w.done.connect(self._on_done)
        w.fileDone.connect(self._file_done)
        w.idle.connect(self._on_idle)
        self.runs_panel.saveRequested.connect(self.trainer.save_run)
        # The engine's events wait in a queue (see worker.py); this timer takes them and redraws.
        self.timer = QTimer(self)
        self.timer.setInterval(round(REFRESH_S * 1000))
        self.timer.timeout.connect(self._take_events)
        self.timer.start()

    # -- state -> engine -------------------------------------------------------------------------
    def _send(self) -> None:
        """Give the session the experiment as it is now (once TensorFlow is loaded); the session
        decides what the edit needs (see playground.core.session)."""
        if not self.tensorflow_ready or self._shut_down:
            return
        sent = (self.state.experiment, self.state.dataset)
        if self._sent is not None and sent[0] == self._sent[0] and sent[1] is self._sent[1]:
            return
        self._sent = sent
        if self.state.trainable():
            self.trainer.edit(*sent)
        else:
            self.trainer.discard()

    def _set_weight(self, layer: str, i: int, j: int, value: float) -> None:
        """Set one weight in the session's model: into a paused run (between chunks), else in the
        training thread; the views then show a snapshot of the model with it."""
        engine = self.trainer.session.engine
        if engine is None:
            self.statusBar().showMessage(self.tr("There is no model to set a weight in."), 5000)
            return
        edit = KernelEdit(layer, i, j, value)
        if not engine.offer(edit):
            QTimer.singleShot(0, self.trainer.worker, partial(engine.set_kernel, layer, i, j, value))

    @Slot(bool)
    def keep_matching_weights(self, on: bool) -> None:
        """Training > Keep Trained Weights Where Shapes Match."""
        self.trainer.session.keep_matching_weights = on

    @Slot(bool)
    def log_to_tensorboard(self, on: bool) -> None:
        """Training > Log Runs to TensorBoard: every run (model) into a folder of its own, in the folder
        asked for the first time (then remembered), written in the training thread."""
        from playground.core.tensorboard import TensorBoardLog

        worker, folder = self.trainer.worker, str(saved.settings().value("tensorboardFolder", ""))
        if worker.logger is not None:
            worker.logger.close()  # waits for an event it is writing; it takes no more
            worker.logger = None
        if on and not folder:
            folder = self.dialogs.directory(self.tr("Folder for TensorBoard Logs"), saved.last_directory())
        if on and folder:
            try:
                worker.logger = TensorBoardLog(folder, self.trainer.session)
                saved.settings().setValue("tensorboardFolder", folder)
            except PlaygroundError as exc:
                self.dialogs.warning(self.tr("TensorBoard"), str(exc))
        on = worker.logger is not None
        self.act_tensorboard.blockSignals(True)
        self.act_tensorboard.setChecked(on)
        self.act_tensorboard.blockSignals(False)
        tip = self.tr("Each run is written to a folder of {0}: tensorboard --logdir {0}").format(folder) if on else ""
        self.act_tensorboard.setToolTip(tip)
        self.tensorboard_label.setText(self.tr("TensorBoard: {0}").format(folder))
        self.tensorboard_label.setToolTip(tip)
        self.tensorboard_label.setVisible(on)

    def _stop_engine(self) -> None:
        """End the training thread and the TensorBoard log (the window shuts down)."""
        self.timer.stop()
        self.trainer.shutdown()
        if self.trainer.worker.logger is not None:
            self.trainer.worker.logger.close()

    # -- engine -> views -------------------------------------------------------------------------
    @Slot()
    def _take_events(self) -> None:
        """Store what the queued engine events carry, then draw (everything, where a run stopped)."""
        queue, settled = self.trainer.worker.events, False
        if queue:
            self.runs_panel.changed()  # the run log moved on with them (see playground.core.runs)
        while queue:
            event = queue.popleft()
            self._on_event(event)
            settled = settled or isinstance(event, (ev.Paused, ev.Finished, ev.Diverged, ev.Failed))
        self._refresh(everything=settled)  # where a run stops, every view shows where it is

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, NewModel):
            self._clear_views()
        elif isinstance(event, ev.Metrics):
            self.curves.add(event)
        elif isinstance(event, ev.Weights):
            self.weights.add(event)
            self.network.add(event)
        elif isinstance(event, ev.WeightHistory):
            self.weights.add_history(event)
        elif isinstance(event, ev.Boundary):
            self.output.add_boundary(event)
            self.network.add_boundary(event)
        elif isinstance(event, ev.Predictions):
            self.output.add_predictions(event)
        elif isinstance(event, ev.Progress):
            self._progress = event
        elif isinstance(event, ev.Started):
            self._device = event.device
            self.statusBar().showMessage(
                self.tr("Training to epoch {0} on {1}…").format(event.total_epochs, event.device))
        elif isinstance(event, ev.Edited):
            self.curves.add_marker(event.epoch, event.label)
            self.statusBar().showMessage(self.tr("Applied at epoch {0}: {1}.").format(event.epoch, event.label), 5000)
        elif isinstance(event, ev.Paused):
            self.statusBar().showMessage(self.tr("Paused at {0}.").format(self._position(event.epoch)))
            self._update_controls()
        elif isinstance(event, ev.Finished):
            self.statusBar().showMessage(self._finished_text(event))
        elif isinstance(event, ev.Diverged):
            self.statusBar().showMessage(event.message)
        elif isinstance(event, ev.Failed):
            self.statusBar().showMessage(event.message)
            self.dialogs.warning(self.tr("Training failed"), event.message)
        self._epoch = event.epoch
        self._status_dirty = True

    def _finished_text(self, event: ev.Finished) -> str:
        if event.reason == "finished":
            return self.tr("Trained to epoch {0} in {1:.1f} s.").format(event.epoch, event.seconds)
        if event.reason == "stopped":
            return self.tr("Stopped at epoch {0}.").format(event.epoch)
        return self.tr("Stepped to {0}.").format(self._position(event.epoch))

    def _position(self, epoch: int) -> str:
        """"epoch 12" (12 done), or "batch 3 of 25 of epoch 13" in the middle of an epoch."""
        progress = self._progress
        if progress is not None and progress.epoch == epoch and progress.batch:
            return self.tr("batch {0} of {1} of epoch {2}").format(
                progress.batch, progress.batches_per_epoch, epoch + 1)
        return self.tr("epoch {0}").format(epoch)

    @Slot()
    def _draw_runs(self) -> None:
        """Earlier runs, as the Runs panel shows them, faintly on the curves."""
        self.curves.set_overlays([(number, overlay_label(name, differs), history) for number, name, differs,
                                  history in self.trainer.session.runs.overlays(MAX_OVERLAYS)])

    def _clear_views(self) -> None:
        for view in self.views:
            view.clear()
        self._progress = None
        self._epoch = 0
        self._status_dirty = True

    @Slot(str)
    def _on_idle(self, _kind: str) -> None:
        self._take_events()  # the run's or step's last events, before the controls say it is over
        self._update_controls()

    @Slot(str)
    def _on_prepared(self, device: str) -> None:
        self._device = device
        self._status_dirty = True
        if not self.trainer.live:
            self.statusBar().showMessage(self.tr("Ready to train."), 3000)

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self.tensorflow_ready = True
        self.statusBar().showMessage(self.tr("TensorFlow is ready."), 3000)
        self._update_controls()
        self.tensorflowReady.emit()  # a receiver may close the window: then nothing is built
        self._send()

    @Slot(str)
    def _on_worker_error(self, text: str) -> None:
        self._take_events()
        self.statusBar().showMessage(text)
        self.dialogs.warning("Playground", text)

    @Slot(str)
    def _on_done(self, text: str) -> None:
        self._take_events()
        self.statusBar().showMessage(text, 8000)

    @Slot(str, str)
    def _file_done(self, _operation: str, path: str) -> None:
        """A file operation succeeded: the next file dialog starts in its folder (not in a failed one's)."""
        saved.remember_directory(path)

    @Slot()
    def _refresh(self, everything: bool = False) -> None:
        """Draw what arrived: the curves every time, one other view in turn (all when ``everything``).

        Painting every view 30 times a second would take more than the GUI thread has; in turn,
        the weights, output and network views are each drawn ~10 times a second during a run.
        """
        self.curves.refresh()
        others = self.views[1:]
        for i in range(len(others)):
            view = others[(self._turn + i) % len(others)]
            if view.pending:
                view.refresh()
                if not everything:
                    self._turn = (self._turn + i + 1) % len(others)
                    break
        if not self._status_dirty:
            return
        self._status_dirty = False
        progress = self._progress
        self.epoch_label.setText(self.tr("Epoch {0}").format(self._epoch))
        self.device_label.setText(self._device or "—")
        if progress is not None:
            self.speed_label.setText(self.tr("{0:,.0f} samples/s").format(progress.samples_per_second))
            self.training_panel.set_progress(progress.fraction, self.tr("Epoch {0} ({1:.0%})").format(
                progress.epoch, progress.fraction))
        else:
            self.speed_label.setText(self.tr("— samples/s"))
            self.training_panel.set_progress(0.0, "")
