"""Where a model trains: TensorFlow's GPU and thread settings, and the choice of device.

Owns the process-wide settings that must be made before TensorFlow starts its runtime (GPU memory
growth, thread pools that leave a core to the window), the process's scheduling priority, and, per engine, the :class:`Placement`: the
devices a model trains on, its name for the user, and the ``MirroredStrategy`` that several GPUs
(or logical CPUs in tests) train under.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from playground.errors import PlaygroundError

ENGINE_NICE = 5  # the engine process's scheduling priority: below its window's (0), above a sweep's (10)


def lower_priority(nice: int) -> None:
    """This process at scheduling priority ``nice`` or lower (Unix; one already lower stays so): the
    window's GUI thread then gets a core at once when it wakes, while training takes the rest."""
    if not hasattr(os, "setpriority"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, 0, max(nice, os.getpriority(os.PRIO_PROCESS, 0)))
    except OSError:
        pass


# Networks smaller than this train faster on the CPU: kernel launches cost more than the maths.
GPU_MIN_WORK = 2_000_000  # parameters x batch size


def configure_gpus() -> list:
    """Turn on memory growth for every GPU; must run before TensorFlow touches one."""
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # each Engine traces its own loops: retracing notes are noise
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # already initialised: growth was set earlier or cannot change now
    return gpus


def leave_cores_free(count: int) -> int:
    """Keep TensorFlow's thread pools ``count`` cores short of the machine (at least one thread),
    so that another thread, such as a window's, always finds a core; returns the threads set.
    Must run before TensorFlow starts its runtime."""
    import tensorflow as tf

    threads = max(1, (os.cpu_count() or 1) - count)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # the runtime already started (another engine in this process): its pools stay
    return threads


def choose_device(requested: str, parameters: int, batch_size: int) -> tuple[tuple[str, ...], str]:
    """(TensorFlow devices to train on, a human name) for ``requested`` ("auto", "cpu" or "gpu").

    Several GPUs give several devices: the engine then trains with ``MirroredStrategy``.
    """
    import tensorflow as tf

    gpus = configure_gpus()
    if requested == "gpu" and not gpus:
        raise PlaygroundError("Training on the GPU was asked for, but TensorFlow sees no GPU on this "
                              "machine; choose the CPU or auto.")
    use_gpu = bool(gpus) and requested != "cpu" and (
        requested == "gpu" or parameters * batch_size >= GPU_MIN_WORK)
    if not use_gpu:
        return ("/CPU:0",), "CPU"
    name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU")
    devices = tuple(f"/GPU:{i}" for i in range(len(gpus)))
    return devices, f"GPU:0 ({name})" if len(gpus) == 1 else f"{len(gpus)} GPUs ({name}), mirrored"


@dataclass(frozen=True)
class Placement:
    """The devices one model trains on: ``name`` for the user, ``device`` (the first) for the data and
    the loops, and a ``strategy`` where there are several (None for one)."""
    name: str
    device: str
    strategy: Any = None

    def scope(self):
        """The context that model, optimizer and data are made in."""
        import tensorflow as tf

        return self.strategy.scope() if self.strategy is not None else tf.device(self.device)


def place(requested: str, parameters: int, batch_size: int, devices: tuple[str, ...] | None = None) -> Placement:
    """The :class:`Placement` for the experiment's device choice, or for ``devices`` given outright."""
    import tensorflow as tf

    if devices:
        name = ", ".join(devices)
    else:
        devices, name = choose_device(requested, parameters, batch_size)
    strategy = tf.distribute.MirroredStrategy(list(devices)) if len(devices) > 1 else None
    return Placement(name, devices[0], strategy)
