"""2-D generators ported from TensorFlow Playground's ``src/dataset.ts``, plus two moons.

Each generator takes a seeded ``rng``, the number of points and the noise as a
fraction (TF Playground's percent / 100) and returns ``(points (n, 2), labels (n,))``.
Classification labels are 0/1 (TF Playground's -1/+1); regression labels are
computed exactly as TF Playground computes them.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

PlaneGenerator = Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]

EXTENT = (-6.0, 6.0, -6.0, 6.0)
"""TF Playground's plotting domain, for classification and regression alike (a set's plane grows past
it where noise carries points out)."""


def _halves(n: int) -> tuple[int, int]:
    """Sizes of the positive and negative halves of ``n`` points."""
    return n - n // 2, n // 2


def _polar(r: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)


def circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Points inside radius 2.5 are positive, points in the ring 3.5..5 negative."""
    radius = 5.0
    n_in, n_out = _halves(n)
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)])
    points = _polar(r, rng.uniform(0, 2 * np.pi, n))
    noisy = points + rng.uniform(-radius, radius, (n, 2)) * noise
    labels = np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5
    return points, labels


def xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in -5..5 padded 0.3 away from the axes; positive where x*y >= 0."""
    padding = 0.3
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, padding, -padding)
    noisy = points + rng.uniform(-5, 5, (n, 2)) * noise
    labels = noisy[:, 0] * noisy[:, 1] >= 0
    return points, labels


def gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs at (2, 2) positive and (-2, -2) negative; noise widens them."""
    variance = 0.5 + (4 - 0.5) * noise / 0.5
    n_pos, n_neg = _halves(n)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n_pos, n_neg], axis=0)
    points = centres + rng.normal(0.0, np.sqrt(variance), (n, 2))
    labels = np.arange(n) < n_pos
    return points, labels


def spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, 1.75 turns each; noise jitters points by up to ±noise."""
    half = n / 2
    n_pos, n_neg = _halves(n)
    i = np.concatenate([np.arange(n_pos), np.arange(n_neg)])
    delta = np.where(np.arange(n) < n_pos, 0.0, np.pi)
    r = i / half * 5
    t = 1.75 * i / half * 2 * np.pi + delta
    points = _polar(r, t) + rng.uniform(-1, 1, (n, 2)) * noise
    labels = delta == 0.0
    return points, labels


def reg_plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Target (x + y) / 10 of the noisy point, for points uniform in -6..6."""
    radius = 6.0
    points = rng.uniform(-radius, radius, (n, 2))
    noisy = points + rng.uniform(-radius, radius, (n, 2)) * noise
    return points, (noisy[:, 0] + noisy[:, 1]) / 10


_GAUSSIANS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
)


def reg_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Six signed bumps max(0, 1 - d/2); the target is the bump largest in absolute value."""
    radius = 6.0
    points = rng.uniform(-radius, radius, (n, 2))
    noisy = points + rng.uniform(-radius, radius, (n, 2)) * noise
    dist = np.hypot(noisy[:, None, 0] - _GAUSSIANS[:, 0], noisy[:, None, 1] - _GAUSSIANS[:, 1])
    bumps = _GAUSSIANS[:, 2] * np.clip(1 - dist / 2, 0, 1)
    strongest = np.argmax(np.abs(bumps), axis=1)
    return points, bumps[np.arange(n), strongest] + 0.0  # + 0.0 turns -0.0 into 0.0


def moons(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's ``make_moons`` (noise = Gaussian std), scaled 3.5x about its centre."""
    n_outer, n_inner = n // 2, n - n // 2
    outer = np.linspace(0, np.pi, n_outer)
    inner = np.linspace(0, np.pi, n_inner)
    points = np.concatenate(
        [
            np.stack([np.cos(outer), np.sin(outer)], axis=1),
            np.stack([1 - np.cos(inner), 1 - np.sin(inner) - 0.5], axis=1),
        ]
    )
    points += rng.normal(0.0, noise, points.shape)
    labels = np.arange(n) >= n_outer
    return (points - [0.5, 0.25]) * 3.5, labels
