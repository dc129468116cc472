"""Benchmarks: speed, responsiveness, start-up and memory, printed as a table and written as JSON.

Run ``python -m tests.benchmarks`` (``--quick`` for tiny sizes, ``--json PATH`` for the
records, ``--only NAME`` for some). Each benchmark runs in a fresh process, so memory
and start-up figures are not disturbed by the others; every comparison inside one is
measured side by side in that process, repeated, and reported as the median.
"""

BENCHMARKS = {
    "tiny": "Tiny networks: engine against model.fit, epochs/s",
    "big": "784-256-128-10 on 60,000 samples: engine against model.fit, samples/s",
    "responsiveness": "The window training XOR: GUI-thread timer intervals and live updates",
    "startup": "Process start to the window shown, and to ready to train",
    "memory": "Resident memory over 1,000 and 10,000 epochs, events on",
    "boundary": "The 100x100 decision-boundary grid inside training",
    "gpu": "Benchmarks 1 and 2 on a GPU, and the device auto picks",
    "edits": "Edit -> first epoch of the model it gives, and a live edit -> the next chunk",
    "soak": "A million epochs with every event consumed: resident memory and its growth",
    "sweep": "A 12-run XOR sweep, 2 runs at a time vs 1; per-run overhead of Ray vs local processes",
}
"""Benchmark name (a module of this package with ``run(quick) -> list[Record]``) -> what it measures."""
