"""Chunk pacing: how much the engine trains between two events, so that they arrive ~30 times a second.

A chunk is whole epochs in one compiled call, or, where an epoch is slow, some batches of one. The
:class:`Pacer` sizes each chunk from the time per epoch the last one took; the weight-history rows a
compiled chunk collects (the snapshot budget) also bound how many epochs it may run. The Pacer also
makes each chunk's ``Progress`` event from the time the chunk took.
"""
from __future__ import annotations

from playground.core import events as ev

TARGET_EVENT_INTERVAL = 1 / 30  # seconds of training per chunk
SLOW_EPOCH = 0.25  # seconds: an epoch slower than this is split into batch chunks even if that compiles
MAX_CHUNK_EPOCHS = 4096
MAX_SNAPSHOTS_PER_CHUNK = 64  # weight-history rows a compiled chunk collects (it is cut short to fit)
SNAPSHOT_BUDGET = 1 << 18  # floats for those rows: a big model collects fewer per chunk


def snapshot_rows(tracked_size: int) -> int:
    """Weight-history rows a compiled chunk collects for a model of ``tracked_size`` tracked weights."""
    return max(1, min(MAX_SNAPSHOTS_PER_CHUNK, SNAPSHOT_BUDGET // tracked_size))


def batches_worth_compiling(parameters: int, samples: int) -> bool:
    """Whether a new model's batch loop is compiled up front: its epochs look slower than an event
    interval by a rough a-priori epoch time (1 GFLOP/s of useful work)."""
    return 6 * parameters * samples / 1e9 > TARGET_EVENT_INTERVAL


class Pacer:
    """Chunk sizes for one engine, from the time per epoch that its last chunk took."""

    def __init__(self):
        self.epoch_seconds = 0.0  # the last chunk's time per epoch
        self.samples_per_second = 0.0  # and its training samples per second
        self.batches_compiled = False  # the batch loop is compiled: batch chunks cost no compile
        self._last_epochs = 1
        self._last_batches = 1

    def chunk(self, epoch: int, batch: int, batches_per_epoch: int, target: int, fill: int) -> tuple[int, int]:
        """(whole epochs, batches) for the next chunk, aiming at TARGET_EVENT_INTERVAL of work; at most
        ``fill`` epochs (those whose weight-history rows the chunk has room for)."""
        if batch:  # finish the epoch under way first
            return 0, self.batch_chunk(batches_per_epoch - batch, batches_per_epoch)
        if self.epoch_seconds == 0:
            return 1, 0
        # Batch chunks only where the batch loop is compiled already, or epochs are so slow that its
        # one-off compile is worth it (a first epoch can look slow just from warming up).
        slow = self.epoch_seconds > (TARGET_EVENT_INTERVAL * 1.5 if self.batches_compiled else SLOW_EPOCH)
        if slow:
            self.batches_compiled = True
            return 0, self.batch_chunk(batches_per_epoch, batches_per_epoch)
        # Small chunks overstate the time per epoch (a fixed cost per call): grow at most 4x a chunk.
        epochs = max(1, min(int(TARGET_EVENT_INTERVAL / self.epoch_seconds), 4 * self._last_epochs))
        self._last_epochs = min(epochs, target - epoch, MAX_CHUNK_EPOCHS, fill)
        return self._last_epochs, 0

    def took(self, elapsed: float, epochs: int, batches: int, batches_per_epoch: int, samples: int,
             batch_size: int) -> None:
        """Take the time of the chunk just trained: ``epochs`` whole epochs, else ``batches`` batches of
        ``batch_size``, from an epoch of ``samples``, in ``elapsed`` seconds."""
        if epochs:
            self.epoch_seconds, trained = elapsed / epochs, samples * epochs
        else:
            self.epoch_seconds = elapsed * batches_per_epoch / batches
            trained = min(batches * batch_size, samples)
        self.samples_per_second = trained / elapsed if elapsed else 0.0

    def progress(self, epoch: int, batch: int, batches_per_epoch: int, target: int) -> ev.Progress:
        """The Progress event after the chunk just taken, at ``epoch`` and ``batch`` of a run to ``target``."""
        done = (epoch + batch / batches_per_epoch) / max(target, 1)
        return ev.Progress(epoch, batch, batches_per_epoch, self.samples_per_second,
                           1 / self.epoch_seconds if self.epoch_seconds else 0.0, min(1.0, done))

    def batch_chunk(self, left: int, batches_per_epoch: int) -> int:
        """Batches for the next chunk: aim at the interval, growing at most 4x (fixed costs per call
        make small chunks look slow per batch)."""
        if not self.epoch_seconds:
            return left
        per_batch = self.epoch_seconds / batches_per_epoch
        want = max(1, min(int(TARGET_EVENT_INTERVAL / per_batch), 4 * self._last_batches))
        self._last_batches = min(left, want)
        return self._last_batches


def epochs_to_fill(epoch: int, stride: int, rows: int) -> int:
    """The most epochs a chunk may run from ``epoch`` before its ``rows`` weight-history rows (one per
    epoch that is a multiple of ``stride``) are full."""
    return (epoch // stride + rows) * stride - epoch
