"""Where the shipped resources are, through importlib.resources (works from an installed copy too)."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resources() -> Path:
    return Path(str(files("playground.resources")))


def examples() -> list[Path]:
    return sorted(p for p in (resources() / "examples").iterdir() if p.suffix == ".json")


def example_path(name: str) -> Path:
    return resources() / "examples" / f"{name}.json"
