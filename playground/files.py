"""Atomic file writing: a temporary file in the target folder, flushed to disk, then a rename.

A crash, a full disk or a failing writer never leaves a half-written file in place of a good
one, and a rename that returned survives a power cut (the file and then its folder are fsynced).

New files get the modes ``open()`` and ``mkdir()`` would give them (0666 and 0777 less the
umask), so a teacher's exports in a shared folder are readable to the class; a file that is
replaced keeps its mode. The temporary name is created with those modes directly instead of
``mkstemp``'s 0600, so the umask is applied by the kernel and never read or changed here
(``os.umask`` can only be read by setting it, which races with other threads).

A symbolic link is written through: the temporary file goes beside the link's target and is renamed
onto the target, so the link stays a link (a dangling link gets its target created, as ``open()``
would). Only a regular file is ever replaced: a device (``/dev/null``), a FIFO or a socket is
refused with a sentence, since renaming a file onto its name would put a plain file in its place.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from pathlib import Path
from typing import Callable, Iterator

from playground.errors import PlaygroundError

_NAME_TRIES = 100  # random temporary names tried before giving up (a clash is already unlikely)


def _check_folder(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise PlaygroundError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise PlaygroundError(f"Cannot write {path}: the folder {folder} is not writable.")


def _cannot_write(path: Path, exc: OSError) -> PlaygroundError:
    """The OS's reason, in one line: HDF5 (Keras' weights) raises OSErrors whose message spans lines
    and names the errno inside (``errno = 28``)."""
    text = str(exc.strerror or exc).strip()
    found = re.search(r"\berrno = (\d+)", text)
    reason = os.strerror(int(found.group(1))) if found else (text.splitlines() or [type(exc).__name__])[0]
    return PlaygroundError(f"Cannot write {path}: {reason}.")


def _create_beside(path: Path, suffix: str, create: Callable[[Path], object]) -> Path:
    """A new hidden name beside ``path`` made by ``create`` (which fails if the name exists)."""
    for _ in range(_NAME_TRIES):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{suffix}")
        try:
            create(tmp)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        return tmp
    raise PlaygroundError(f"Cannot write {path}: no free temporary name in {path.parent}.")


def _new_file(path: Path) -> None:
    """An empty file with the mode open() gives (0666 less the umask); fails if it exists."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))


def _fsync(path: Path) -> None:
    """Flush a file (or, on POSIX, a folder's entries) to disk; Windows flushes only what is
    open for writing."""
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable, where the OS allows: Windows cannot open a folder
    (NTFS journals the rename itself) and some file systems refuse to fsync one."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        _fsync(folder)


_SPECIAL = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe (FIFO)"),
            (stat.S_ISSOCK, "a socket"))


def _target(path: Path) -> Path:
    """Where writing ``path`` lands: a symbolic link's target (followed to the end), else ``path``.
    A name that exists but is not a regular file (or a folder, which the callers check) is refused."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if target.is_symlink():  # realpath gives up on a loop of links
        raise PlaygroundError(f"Cannot write {path}: it is a symbolic link that leads round in a loop.")
    with contextlib.suppress(OSError):
        mode = os.stat(target).st_mode
        for test, what in _SPECIAL:
            if test(mode):
                raise PlaygroundError(f"Cannot write {path}: it is {what}, not a file; choose a file name.")
    return target


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success flush it and rename it onto ``path``.

    ``suffix`` defaults to the target's own suffixes, since some writers (Keras)
    insist on a file name ending (``.weights.h5``, ``.keras``). An ``OSError`` of the
    writer (a full disk, …) becomes a :class:`PlaygroundError`; the old file is left as it was.
    A symbolic link is written through to its target; a device, FIFO or socket is refused.
    """
    path = _target(Path(path))
    _check_folder(path)
    if path.is_dir():
        raise PlaygroundError(f"Cannot write {path}: it is a folder.")
    if suffix is None:
        suffix = "".join(path.suffixes) or ".tmp"
    tmp = _create_beside(path, suffix, _new_file)
    try:
        yield tmp
        _fsync(tmp)
        if path.exists():
            os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _settle_tree(root: Path, folder_mode: int) -> None:
    """Give everything a writer made under ``root`` the modes of ``root`` (files without the
    execute bits), whatever modes the writer chose, and flush it all to disk."""
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), folder_mode & 0o666)
            _fsync(Path(dirpath, name))
        os.chmod(dirpath, folder_mode)
        _fsync_folder(Path(dirpath))


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it replaces ``path``.

    A folder cannot be renamed over another, so an old ``path`` moves aside first and
    comes back if the new one cannot take its place. A symbolic link to a folder is written through.
    """
    path = _target(Path(path))
    _check_folder(path)
    if path.exists() and not path.is_dir():
        raise PlaygroundError(f"Cannot write the folder {path}: a file of that name is in the way.")
    tmp = _create_beside(path, "", lambda p: os.mkdir(p, 0o777))
    try:
        yield tmp
        _settle_tree(tmp, _mode(path) if path.exists() else _mode(tmp))
        if path.exists():
            _replace_dir(tmp, path, path.with_name(f".{path.name}.{secrets.token_hex(4)}.old"))
        else:
            os.replace(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|nan)", re.IGNORECASE)


def csv_safe(cell: object) -> object:
    """A cell for a CSV a spreadsheet may open: text that starts like a formula (``= + - @``, a tab
    or a CR) gets a ``'`` before it, so the spreadsheet shows it as text instead of running it
    (OWASP's advice on CSV injection). Numbers, and text that is a number (``-0.5``, ``-inf``),
    are left as they are, so the file reads back as the same figures."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# -- run folders: replaced whole, and locked while a process writes them ------------------------

WRITING = ".writing-"  # in the hidden names of a folder being written: ``.NAME.writing-1a2b3c4d``


def _writing_name(path: Path, token: str) -> Path:
    return path.with_name(f".{path.name}{WRITING}{token}")


def unfinished_writes(path: str | os.PathLike) -> list[Path]:
    """The hidden folders :func:`replace_folder` left beside ``path`` when its process was killed."""
    path = Path(path)
    pattern = re.compile(rf"\.{re.escape(path.name)}{WRITING}[0-9a-f]{{8}}(\.old)?")
    with contextlib.suppress(OSError):
        return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name))
    return []


@contextlib.contextmanager
def replace_folder(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a new hidden folder beside ``path``; on success it takes ``path``'s place whole, so a
    reader finds the old folder or the new one, never a mix (a crash, a full disk or a kill while
    writing leaves the old one as it was).

    Entries of the old folder that the new one lacks (files a user put there) are moved into the
    new one first. A folder cannot be renamed over another, so the old one moves aside, the new one
    takes its name and the old one is removed: a kill between those two renames leaves both under
    hidden names (:func:`unfinished_writes`). Errors name ``path``, never the hidden folder.
    """
    path = Path(path)
    _check_folder(path)
    if path.exists() and not path.is_dir():
        raise PlaygroundError(f"Cannot write the folder {path}: a file of that name is in the way.")
    for _ in range(_NAME_TRIES):
        tmp = _writing_name(path, secrets.token_hex(4))
        try:
            os.mkdir(tmp, 0o777)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise _cannot_write(path, exc) from None
    else:
        raise PlaygroundError(f"Cannot write {path}: no free temporary name in {path.parent}.")
    try:
        try:
            yield tmp
        except PlaygroundError as exc:  # a writer's sentence names the file it wrote: the hidden one
            raise PlaygroundError(str(exc).replace(str(tmp), str(path))) from None
        _settle_tree(tmp, _mode(path) if path.exists() else _mode(tmp))
        if path.exists():
            _swap_in(tmp, path)
        else:
            os.rename(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(new: Path, path: Path) -> None:
    """Put the folder ``new`` in the place of the folder ``path``, with the entries of ``path`` that
    ``new`` lacks; on failure everything is back where it was."""
    moved: list[str] = []
    try:
        for name in sorted(set(os.listdir(path)) - set(os.listdir(new))):
            os.rename(path / name, new / name)
            moved.append(name)
        _replace_dir(new, path, new.with_name(new.name + ".old"))
    except OSError:
        for name in moved:
            with contextlib.suppress(OSError):
                os.rename(new / name, path / name)
        raise


def _replace_dir(new: Path, path: Path, old: Path) -> None:
    """The folder ``new`` takes the name of the folder ``path``, which moves to ``old`` first (a folder
    cannot be renamed over another) and is then removed; on failure ``path`` is back in its place."""
    os.replace(path, old)
    try:
        os.replace(new, path)
    except OSError:
        os.replace(old, path)
        raise
    shutil.rmtree(old, ignore_errors=True)


class FolderLock:
    """``with FolderLock(path):`` no other process writes the folder ``path`` meanwhile. The lock is
    a file beside it (``.NAME.lock``, holding the process id), locked with ``flock``: the OS drops the
    lock when its process ends, however it ends. Entering raises a sentence naming the process that
    holds it. Beside the folder, not inside, because :func:`replace_folder` replaces the folder."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.file = self.path.with_name(f".{self.path.name}.lock")
        self._fd: int | None = None

    def __enter__(self) -> "FolderLock":
        try:
            import fcntl
        except ImportError:  # Windows: no flock; a second writer is not detected there
            return self
        while True:
            try:
                fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise PlaygroundError(f"Cannot lock {self.path} for writing: {exc.strerror or exc}.") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode(errors="replace").strip()
                os.close(fd)
                who = f" (process {holder})" if holder.isdigit() else ""
                raise PlaygroundError(f"{self.path} is being written by another Playground process{who}; wait "
                                      "for it to end, or write elsewhere.") from None
            try:  # the holder before us may have removed the file as we opened it: lock the one there
                same = os.stat(self.file).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                self.file.unlink()  # while still locked, so nobody else holds the name meanwhile
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *exc) -> None:
        self.release()


def read_csv_table(path: str | os.PathLike, first_column: str, what: str) -> list[list[str]]:
    """The rows of a CSV file the app wrote (header first), or a sentence: one that cannot be read, or
    whose first column is not ``first_column`` (it is not ``what``)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PlaygroundError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from None
    if not rows or rows[0][:1] != [first_column]:
        raise PlaygroundError(f"{path} is not {what}: its first column should be '{first_column}'.")
    return rows
