"""The command line's progress line: fitted to the terminal, redrawn without leftovers.

The printer writes to a real pseudo-terminal of a chosen width; a small model of a terminal
(carriage return, erase-to-end-of-line, newline) turns what it wrote into what a user sees.
"""
import fcntl
import os
import re
import struct
import termios

import numpy as np
import pytest

from playground.cli import ProgressPrinter, progress_line
from playground.core import events as ev

LONG = {"loss": 0.04132132, "mae": 1234.56789, "test_loss": 0.0001234567, "test_mae": 98765.4321}
LONG_ACCURACY = {"loss": 1.234567e-05, "accuracy": 0.987654, "test_loss": 2.345678e-05, "test_accuracy": 0.98765}
SHORT = {"loss": 0.5, "accuracy": 1.0, "test_loss": 0.25, "test_accuracy": 1.0}
FIGURE = re.compile(r"(\w+) (\S+) \(test (\S+)\)")
BAR = re.compile(r"^\[(#*)(\.*)\] ")


def shown_figures(line: str) -> dict[str, float]:
    """The figures a reader finds in the line: ``name value (test value)`` pairs."""
    out = {}
    for name, train, test in FIGURE.findall(line):
        out[name], out[f"test_{name}"] = float(train), float(test)
    return out


def assert_figures_shown(line: str, metrics: dict[str, float]) -> None:
    shown = shown_figures(line)
    assert set(shown) == set(metrics), f"the line shows {sorted(shown)}, not every train and test figure: {line!r}"
    for name, value in metrics.items():
        assert shown[name] == pytest.approx(value, rel=5e-4), f"{name} reads {shown[name]}, not {value}: {line!r}"


@pytest.mark.parametrize("metrics", [LONG, LONG_ACCURACY, SHORT], ids=["long-mae", "long-accuracy", "short"])
@pytest.mark.parametrize("epoch, epochs", [(12_345, 100_000), (3, 10)])
def test_an_80_column_line_fits_and_keeps_every_train_and_test_figure(metrics, epoch, epochs):
    line = progress_line(80, epoch / epochs, epoch, epochs, 4321.5, metrics)
    assert len(line) <= 79, f"{len(line)} characters wrap on an 80-column terminal: {line!r}"
    assert_figures_shown(line, metrics)
    assert re.search(rf"epoch {epoch:,}\b", line), line


@pytest.mark.parametrize("metrics", [LONG, LONG_ACCURACY, SHORT], ids=["long-mae", "long-accuracy", "short"])
def test_a_200_column_line_has_the_whole_bar_the_total_and_the_speed(metrics):
    line = progress_line(200, 0.5, 50_000, 100_000, 4321.5, metrics)
    assert len(line) <= 199
    bar = BAR.match(line)
    assert bar, f"no bar: {line!r}"
    assert (len(bar[1]), len(bar[2])) == (15, 15), f"half the run should fill half of a 30-wide bar: {line!r}"
    assert "epoch 50,000/100,000" in line and "4,322 epochs/s" in line
    assert_figures_shown(line, metrics)


def test_the_bar_shrinks_before_anything_else_goes():
    wide = progress_line(200, 0.25, 3, 10, 812, SHORT)
    text = wide[BAR.match(wide).end():]
    width = len(text) + 1 + 2 + 1 + 12  # room for a bar of 12
    narrow = progress_line(width, 0.25, 3, 10, 812, SHORT)
    bar = BAR.match(narrow)
    assert bar and len(bar[1]) + len(bar[2]) == 12, f"the bar should shrink to 12: {narrow!r}"
    assert narrow[bar.end():] == text, "shrinking the bar must leave the rest of the line as it was"


# -- the printer on a terminal ------------------------------------------------------------------

def screen(output: str, columns: int) -> list[str]:
    """What a terminal shows after ``output``: \\r returns to the line's start, ESC[K erases to its
    end, \\n starts a new line, other characters overwrite."""
    lines, row, col = [""], 0, 0
    i = 0
    while i < len(output):
        if output.startswith("\x1b[K", i):
            lines[row] = lines[row][:col]
            i += 3
            continue
        c = output[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            row += 1
            lines.append("") if row == len(lines) else None
        else:
            assert col < columns, f"the line ran past column {columns}: {lines[row]!r}"
            lines[row] = lines[row][:col].ljust(col) + c + lines[row][col + 1:]
            col += 1
        i += 1
    return lines


@pytest.fixture
def terminal():
    """(a stream on a real 80-column pseudo-terminal, a function returning all it has shown)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.set_blocking(master, False)
    stream = os.fdopen(slave, "w", encoding="utf-8")
    received = []

    def shown() -> list[str]:
        stream.flush()
        while True:
            try:
                chunk = os.read(master, 65536)
            except BlockingIOError:
                break
            received.append(chunk)
        return screen(b"".join(received).decode(), 80)

    yield stream, shown
    stream.close()
    os.close(master)


def metrics_event(epoch: int, values: dict[str, float]) -> ev.Metrics:
    return ev.Metrics(epoch, epoch, {k: np.array([v]) for k, v in values.items()})


def progress_event(epoch: int, per_second: float = 850.0) -> ev.Progress:
    return ev.Progress(epoch, 0, 25, 2e5, per_second, 0.0)


def test_a_shorter_line_leaves_nothing_of_the_longer_one_before_it(terminal):
    stream, shown = terminal
    printer = ProgressPrinter(0, 100, stream)
    printer(ev.Started(0, "CPU", 100, 25, 105))
    printer(metrics_event(10, LONG_ACCURACY))
    printer(progress_event(10, per_second=123_456))
    long_line = shown()[-1]
    assert "2.346e-05" in long_line and len(long_line) <= 79
    printer(metrics_event(100, SHORT))
    printer(progress_event(100, per_second=9))  # the last epoch is always drawn
    printer.close()
    lines = shown()
    assert lines[0].startswith("Training on CPU: 105 parameters")
    assert lines[1] == progress_line(80, 1.0, 100, 100, 9, SHORT), \
        f"the old line's characters are left on screen: {lines[1]!r}"
    assert lines[2:] == [""], "close() ends the progress line"


def test_a_resumed_run_fills_the_bar_from_where_it_resumed(terminal):
    stream, shown = terminal
    printer = ProgressPrinter(40, 120, stream)  # resumed at epoch 40, to 120
    printer(ev.Started(40, "CPU", 120, 25, 105))
    printer(metrics_event(80, {"loss": 0.5}))
    printer(progress_event(80))
    lines = shown()
    assert lines[0].startswith("Resuming at epoch 40 on CPU")
    bar = BAR.match(lines[1])
    assert bar and len(bar[1]) == len(bar[2]), f"half of this run is done: {lines[1]!r}"
    assert "epoch 80/120" in lines[1]


def test_a_note_replaces_the_progress_line_and_the_next_progress_is_drawn_below(terminal):
    stream, shown = terminal
    printer = ProgressPrinter(0, 100, stream)
    printer(metrics_event(10, LONG_ACCURACY))
    printer(progress_event(10))
    printer.note("playground: stopping.")
    printer(progress_event(100))
    lines = shown()
    assert lines[0] == "playground: stopping.", f"the note is mixed with the progress line: {lines[0]!r}"
    assert lines[1].startswith("epoch 100/100") or BAR.match(lines[1])


def test_the_last_line_of_a_run_shows_its_last_epochs_figures():
    """A real run's events through the printer (as in a log file): the final line shows the figures of
    the last epoch trained — not of the first epoch of the chunk that ended the run."""
    import io

    from playground.core.engine import Engine
    from playground.core.spec import Experiment

    exp = Experiment(name="progress")
    exp.training.epochs = 40  # one event carries many epochs: first and last differ
    out = io.StringIO()
    printer = ProgressPrinter(0, exp.training.epochs, stream=out)
    engine = Engine(exp, printer)
    assert engine.run() == "finished"
    last = out.getvalue().strip().splitlines()[-1]
    assert_figures_shown(last, {k: v[-1] for k, v in engine.history.items()})
