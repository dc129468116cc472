"""Between the window and the engine: the experiment sent to the session, the engine's events taken
from the engine client's queue and drawn, and the few things the window sets on the engine itself (a
weight typed in, TensorBoard logging, keeping trained weights). The engine runs in its own process
(:mod:`playground.ui.client`); nothing here touches Keras."""
from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QTimer, Slot

from playground.core import events as ev
from playground.core.session import NewModel
from playground.core.spec import no_better_than_mean
from playground.errors import PlaygroundError
from playground.plots.curves import MAX_OVERLAYS, overlay_label
from playground.ui import settings as saved

POLL_S = 1 / 60  # how often the queued events are looked at: a whole snapshot is drawn soon after it came
MAX_HOLD_S = 3.0  # events wait at most this long for a whole snapshot of the model (one comes every <= 1 s)
SETTLED = (ev.Paused, ev.Finished, ev.Diverged, ev.Failed)


def _through_snapshot(events: deque) -> int:
    """How many of ``events`` to draw now: through the newest whole snapshot of the model (its
    ``Weights`` and then its output map or predictions, see ``snapshots.views``), a new model,
    or the run settling. A snapshot that has its weights but not yet its map waits for it."""
    end, weights = 0, []
    for i, event in enumerate(events):
        if isinstance(event, (ev.Boundary, ev.Predictions, NewModel, *SETTLED)):
            end = i + 1
            weights.clear()
        elif isinstance(event, ev.Weights):
            weights.append(i)
    if len(weights) >= 2:  # a snapshot of weights alone (no map to draw): the next one has begun
        end = weights[-1]
    return end


class EventPump:
    """Part of :class:`~playground.ui.window.MainWindow`: what goes to the engine and what comes back."""

    def _start_pump(self) -> None:
        w = self.trainer
        w.stateChanged.connect(self._on_idle)
        self.trainer.modelReady.connect(self._on_prepared)
        w.ready.connect(self._on_tensorflow_ready)
        w.error.connect(self._on_worker_error)
        w.done.connect(self._on_done)
        w.fileDone.connect(self._file_done)
        w.idle.connect(self._on_idle)
        self.runs_panel.saveRequested.connect(self.trainer.save_run)
        self.runs_panel.continueRequested.connect(self.continue_run)
        self._held: deque[ev.Event] = deque()  # events taken from the queue, to draw with the next snapshot
        self._to_draw: deque = deque()  # views with a frame to draw during a run, one per event-loop turn
        self._held_since = time.monotonic()  # when events were last drawn
        self._texts: dict[str, str] = {}  # the run's status by the trainer's state: running, paused, idle
        self._shown_status = ""
        self._passing = ""  # a message about the run shown for a while (RunControls._train_on)
        self.statusBar().messageChanged.connect(lambda text: text or self._show_run_status())
        # The engine's events wait in a queue (see client.py); this timer takes them and redraws.
        self.timer = QTimer(self)
        self.timer.setInterval(round(POLL_S * 1000))
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
        engine's training thread; the views then show a snapshot of the model with it."""
        if not self.trainer.set_weight(layer, i, j, value):
            self.statusBar().showMessage(self.tr("There is no model to set a weight in."), 5000)

    @Slot(bool)
    def keep_matching_weights(self, on: bool) -> None:
        """Training > Keep Trained Weights Where Shapes Match."""
        self.trainer.keep_matching_weights = on

    @Slot(bool)
    def log_to_tensorboard(self, on: bool) -> None:
        """Training > Log Runs to TensorBoard: every run (model) into a folder of its own, in the folder
        asked for the first time (then remembered), written by the engine."""
        folder = str(saved.settings().value("tensorboardFolder", ""))
        self.trainer.log_to_tensorboard("")
        if on and not folder:
            folder = self.dialogs.directory(self.tr("Folder for TensorBoard Logs"), saved.last_directory())
        if on and folder:
            try:
                self.trainer.log_to_tensorboard(folder)
                saved.settings().setValue("tensorboardFolder", folder)
            except PlaygroundError as exc:
                self.dialogs.warning(self.tr("TensorBoard"), str(exc))
        on = bool(self.trainer.tensorboard_folder)
        self.act_tensorboard.blockSignals(True)
        self.act_tensorboard.setChecked(on)
        self.act_tensorboard.blockSignals(False)
        tip = self.tr("Each run is written to a folder of {0}: tensorboard --logdir {0}").format(folder) if on else ""
        self.act_tensorboard.setToolTip(tip)
        self.tensorboard_label.setText(self.tr("TensorBoard: {0}").format(folder))
        self.tensorboard_label.setToolTip(tip)
        self.tensorboard_label.setVisible(on)

    def _stop_engine(self) -> None:
        """End the engine, and with it the TensorBoard log (the window shuts down)."""
        self.timer.stop()
        self.trainer.shutdown()

    # -- engine -> views -------------------------------------------------------------------------
    @Slot()
    def _take_events(self) -> None:
        """Store what the queued engine events carry up to the newest snapshot of the model, then draw
        every view from it: the curves, the progress, the weights, the output and the network all show
        the same epoch (see :meth:`_refresh`). Events after the snapshot (the next epochs' metrics) wait
        for the next one; where a run settled, or none is live, everything is drawn."""
        if self._to_draw and self.trainer.live:
            return  # the last snapshot is still being drawn: no view may move two snapshots ahead
        queue, held = self.trainer.events, self._held
        while queue:
            held.append(queue.popleft())
        if not held:
            return self._refresh()
        self.runs_panel.changed()  # the run log moved on with them (see playground.core.runs)
        count = _through_snapshot(held) if self.trainer.live else len(held)
        if count < len(held) and time.monotonic() - self._held_since > MAX_HOLD_S:
            count = len(held)  # no whole snapshot came for a while (a model being rebuilt): draw what there is
        if count:
            self._held_since = time.monotonic()
        for _ in range(count):
            self._on_event(held.popleft())
        self._refresh()

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, NewModel):
            self._clear_views()
            self.model_panel.show_outcome(None)
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
            self._texts["running"] = self.tr("Training to epoch {0} on {1}…").format(event.total_epochs, event.device)
            self._texts.pop("paused", None)  # a pause of an earlier run is not this one's
        elif isinstance(event, ev.Edited):
            self.curves.add_marker(event.epoch, event.label)
            self.statusBar().showMessage(self.tr("Applied at epoch {0}: {1}.").format(event.epoch, event.label), 5000)
        elif isinstance(event, ev.Paused):
            self._texts["paused"] = self.tr("Paused at {0}.").format(self._position(event.epoch))
        elif isinstance(event, ev.Finished):
            self._texts["idle"] = self._finished_text(event)
            self._texts.pop("running", None)  # the next run says its own target when it starts
            ds = self.state.dataset
            if ds is not None:  # a regression no better than its targets' mean says so in the Model panel
                _, test_mae = self.curves.series(self.curves.metric, "test")
                self.model_panel.show_outcome(
                    no_better_than_mean(self.state.experiment, ds.task, ds.y_train, ds.y_test, test_mae))
        elif isinstance(event, ev.Diverged):
            self._texts["idle"] = event.message
        elif isinstance(event, ev.Failed):
            self._texts["idle"] = event.message
            self.dialogs.warning(self.tr("Training failed"), event.message)
        if isinstance(event, (ev.Started, *SETTLED)):
            self._show_run_status()
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
                                  history in self.trainer.runs.overlays(MAX_OVERLAYS)])

    def _run_status(self) -> str:
        """What the status bar says when nothing else is to be said: where the run is, by the trainer's
        state (the one the buttons and the progress follow)."""
        if not self.tensorflow_ready:
            return self.tr("Loading TensorFlow…")
        state = self.trainer.state
        if state in ("running", "paused"):
            # a pause asked for says "Pausing…" until the run says where it paused
            return self._texts.get(state) or (self.tr("Pausing…") if state == "paused" else self.tr("Training…"))
        return self._texts.get("idle") or (self.tr("Ready to train.") if self.trainer.model_current else "")

    @Slot()
    def _show_run_status(self) -> None:
        """Show the run's status where it changed (a passing message, such as "Saved …", stays until its
        time is up; then the run's status comes back)."""
        if self._passing and self.statusBar().currentMessage() == self._passing:
            return  # a passing message about the run (Train at the target) has its time
        self._passing = ""
        text = self._run_status()
        if text and (text != self._shown_status or not self.statusBar().currentMessage()):
            self._shown_status = text
            self.statusBar().showMessage(text)

    def _clear_views(self) -> None:
        for view in self.views:
            view.clear()
        self._texts.pop("idle", None)
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
        self._show_run_status()

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self.tensorflow_ready = True
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
    def _refresh(self) -> None:
        """Draw every view that has something new, and the progress, all at the epoch of the events taken.

        During a run the views are drawn one per turn of the event loop, each painted before the next
        is drawn: a whole frame drawn and painted at once kept the GUI thread busy for 50-90 ms at the
        start of a run. No new events are taken until the last view is drawn, so the views differ by at
        most one snapshot, for a few ms. Where none is live (a run settled), all are drawn now."""
        self._draw_status()
        if not self.trainer.live:
            self._to_draw.clear()
            for view in self.views:
                if view.pending:
                    view.refresh()
            return
        self._to_draw.extend(view for view in self.views if view.pending)  # empty: see _take_events
        self._draw_next_view()

    @Slot()
    def _draw_next_view(self) -> None:
        """Draw the next view of the frame under way; the one after it waits for the next turn of the
        event loop, after this one is painted."""
        if self._to_draw:
            self._to_draw.popleft().refresh()
        if self._to_draw:
            # a timer, not a posted call (0 ms): Qt sends posted events in one pass, so other timers
            # (user input's too) would wait for the whole frame again
            QTimer.singleShot(1, self, self._draw_next_view)

    def _draw_status(self) -> None:
        """The epoch, the device, the speed and the progress bar, where they changed."""
        if not self._status_dirty:
            return
        self._status_dirty = False
        progress = self._progress
        self.epoch_label.setText(self.tr("Epoch {0}").format(self._epoch))
        self.device_label.setText(self._device or "—")
        if progress is not None:
            # of the run's target during a run, else (a step) of the Epochs target
            fraction = progress.fraction if self.trainer.live else \
                min(1.0, progress.epoch / max(self.state.experiment.training.epochs, 1))
            self.speed_label.setText(self.tr("{0:,.0f} samples/s").format(progress.samples_per_second))
            self.training_panel.set_progress(fraction, self.tr("Epoch {0} ({1:.0%})").format(
                progress.epoch, fraction))
        else:
            self.speed_label.setText(self.tr("— samples/s"))
            self.training_panel.set_progress(0.0, "")
