"""7. The GPU, where TensorFlow sees one: benchmarks 1 and 2 there, and the device "auto" picks.

The engine is timed on the GPU and on the CPU, with ``model.fit`` on the GPU beside it;
"auto" should pick the CPU for networks too small to gain from the GPU, when that is faster.
"""
from __future__ import annotations

from playground.core.device import configure_gpus
from playground.core.engine import Engine
from tests.benchmarks import big, tiny
from tests.benchmarks.common import median, progress, record, shape_name, skipped, tiny_experiment

NAME = "gpu"


def auto_choice(exp, dataset=None) -> str:
    """The device the engine reports for ``exp`` with device "auto"."""
    exp = exp.model_copy(deep=True)
    exp.training.device = "auto"
    engine = Engine(exp, dataset=dataset)
    engine.prepare()
    return engine.device


def auto_records(label: str, choice: str, gpu: float, cpu: float, unit: str) -> list:
    """Whether auto picked the faster device (``gpu`` and ``cpu``: the engine's speed on each)."""
    faster_on_gpu = gpu > cpu
    picked_gpu = choice.startswith("GPU") or "GPUs" in choice
    return [
        record(NAME, f"{label}: engine on the CPU", cpu, unit),
        record(NAME, f"{label}: auto picks the faster device", 1.0 if picked_gpu == faster_on_gpu else 0.0, "",
               (">=", 1), device=choice,
               note="1 = yes; the faster device is the one with the higher engine speed above"),
    ]


def run(quick: bool) -> list:
    gpus = configure_gpus()
    if not gpus:
        why = "no GPU visible to TensorFlow on this machine"
        return [skipped(NAME, "XOR 2-8-8-1: engine / fit on the GPU", "x", tiny.RATIO_TARGET, why, "no GPU"),
                skipped(NAME, "784-256-128-10: engine / fit on the GPU", "x", big.TARGET, why, "no GPU")]
    repeats, seconds = (1, 0.4) if quick else (3, 1.5)
    out = []

    exp = tiny_experiment("xor", 2, device="gpu")
    label = f"XOR {shape_name(exp)} {exp.training.optimizer}"
    progress(f"gpu: {label}")
    on_gpu = tiny.compare(exp, repeats, seconds, fit_device="/GPU:0")
    on_cpu = tiny.compare(tiny_experiment("xor", 2, device="cpu"), repeats, seconds)
    out += tiny.records_for(exp, on_gpu, benchmark=NAME)
    out += auto_records(label, auto_choice(exp), median(on_gpu.engine), median(on_cpu.engine), "epochs/s")

    train, test, epochs = (6000, 1000, 1) if quick else (60_000, 10_000, 2)
    ds = big.synthetic(train, test)
    progress(f"gpu: 784-256-128-10 on {train:,} samples")
    on_gpu = big.compare(big.experiment("gpu"), ds, repeats, epochs, fit_device="/GPU:0")
    on_cpu = big.compare(big.experiment("cpu"), ds, repeats, epochs)
    out += big.records_for(on_gpu, benchmark=NAME)
    out += auto_records("784-256-128-10 adam", auto_choice(big.experiment("gpu"), ds), median(on_gpu.engine),
                        median(on_cpu.engine), "samples/s")
    return out
