"""Atomic file writing: a temporary file in the target folder, then a rename.

A crash or a full disk never leaves a half-written file in place of a good one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from playground.errors import PlaygroundError


def _check_folder(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise PlaygroundError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise PlaygroundError(f"Cannot write {path}: the folder {folder} is not writable.")
    if path.is_dir():
        raise PlaygroundError(f"Cannot write {path}: it is a folder.")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``.

    ``suffix`` defaults to the target's own suffixes, since some writers (Keras)
    insist on a file name ending (``.weights.h5``, ``.keras``).
    """
    path = Path(path)
    _check_folder(path)
    if suffix is None:
        suffix = "".join(path.suffixes) or ".tmp"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise PlaygroundError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    except OSError as exc:
        raise PlaygroundError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        if tmp_path.exists():
            with contextlib.suppress(OSError):
                tmp_path.unlink()


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it replaces ``path``."""
    import shutil

    path = Path(path)
    _check_folder(path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as exc:
        raise PlaygroundError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        yield tmp
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except OSError as exc:
        raise PlaygroundError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
