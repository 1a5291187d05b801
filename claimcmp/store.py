"""Output folders that are never half-written: a lock per target, a temporary folder, one rename.

A comparison folder is written under a temporary name beside its target (same parent, so the rename
stays on one file system) and renamed into place only when complete. An earlier run in the target is
renamed away first, the new folder renamed in, then the earlier one deleted; the two renames run with
SIGINT and SIGTERM held back, so Ctrl-C never lands between them. A lock file beside the target
(``.<name>.claimcmp-lock``, holding the writer's pid, ``flock``-ed) stops a second run aimed at the
same folder with :class:`~claimcmp.errors.OutputLockedError`. Whoever takes the lock first finishes
what a killed run left: a target renamed away and not replaced is put back, temporary folders are
deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from claimcmp.errors import OutputLockedError, OutputPathError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".claimcmp-lock"
TMP_TAG = ".claimcmp-tmp-"
OLD_TAG = ".claimcmp-old-"


def new_run_id() -> str:
    """A fresh run id (a uuid4 in hex form)."""
    return uuid.uuid4().hex


def target_path(path: str | os.PathLike[str], replaced: bool = True) -> Path:
    """``path`` as an absolute folder path; raises :class:`OutputPathError` if it cannot be one.

    ``replaced``: the folder will be replaced as a whole, so it must not be the current directory
    or one above it.
    """
    if not str(path).strip():
        raise OutputPathError("The output folder is empty (''): name a folder, e.g. --out out/event.")
    if "\x00" in str(path):
        raise OutputPathError(f"{str(path)!r} contains a NUL character: no folder can have that name.")
    target = Path(path).expanduser().resolve()
    if target.parent == target:
        raise OutputPathError(f"{target} is a file system root: name a folder below it.")
    cwd = Path.cwd().resolve()
    if replaced and (target == cwd or target in cwd.parents):
        raise OutputPathError(f"{path!s} is the current directory or one above it: name a folder below it.")
    return target


def check_writable(target: Path) -> None:
    """Raise :class:`OutputPathError` unless ``target`` is a folder, or can be created, and can be written."""
    if target.exists() and not target.is_dir():
        raise OutputPathError(f"{target} exists and is not a folder.")
    probe = target
    while not probe.exists():
        probe = probe.parent
    if probe != target and not probe.is_dir():
        raise OutputPathError(f"{target} cannot be created: {probe} is not a folder.")
    # the lock, the temporary folder and the rename all happen in the parent (or where it will be made)
    need = target.parent if target.parent.exists() else probe
    if not os.access(need, os.W_OK | os.X_OK):
        raise OutputPathError(f"{target} is not writable (no write permission on {need}).")


def check_replaceable(target: Path, known: frozenset[str]) -> None:
    """Raise :class:`OutputPathError` if ``target`` holds anything but files named in ``known``."""
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputPathError(f"{target} exists and is not a folder.")
    foreign = sorted(p.name for p in target.iterdir() if p.name not in known or not p.is_file())
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise OutputPathError(f"{target} holds files claimcmp did not write ({shown}); a run replaces its whole "
                              "output folder, so name a new or empty folder, or remove them.")


class OutputLock:
    """Exclusive lock on one output folder, held by a file beside it; a context manager.

    ``target``: the output folder (it need not exist; its parent is created). Entering raises
    :class:`OutputLockedError` while another process holds the lock, then clears what a killed run
    left behind (see the module docstring). Leaving deletes the lock file.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = target

    @property
    def path(self) -> Path:
        """The lock file: ``.<name>.claimcmp-lock`` in the target's parent folder."""
        t = Path(self.target)
        return t.parent / f".{t.name}{LOCK_SUFFIX}"

    def __enter__(self) -> OutputLock:
        lock = self.path
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            self._fd = _take(lock)
        except OutputLockedError:
            raise
        except OSError as exc:
            raise OutputPathError(f"cannot lock {self.target}: {exc.strerror or exc}.") from exc
        try:
            recover(Path(self.target))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)


def _take(lock: Path) -> int:
    """An open descriptor of ``lock``, locked; raises :class:`OutputLockedError` if another process has it."""
    while True:
        if fcntl is None:  # pragma: no cover - not on POSIX: the file's existence is the lock
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise OutputLockedError(_held_message(lock)) from None
            break
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLockedError(_held_message(lock)) from None
        try:  # the holder may have deleted the file between our open and our lock: then lock the new one
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _held_message(lock: Path) -> str:
    try:
        pid = lock.read_text(encoding="utf-8").strip() or "?"
    except OSError:
        pid = "?"
    return (f"another claimcmp run (pid {pid}) is writing into {lock.parent / lock.name[1:-len(LOCK_SUFFIX)]}; "
            f"wait for it to finish or choose another output folder (lock file: {lock}).")


def _siblings(target: Path, tag: str) -> list[Path]:
    prefix = f".{target.name}{tag}"
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.is_dir())


def recover(target: Path) -> None:
    """Finish what a killed run left beside ``target`` (call with its lock held)."""
    olds = _siblings(target, OLD_TAG)
    if olds and not target.exists():
        log.warning("restoring %s: a run was stopped while replacing it", target)
        os.rename(olds.pop(), target)
    for leftover in olds + _siblings(target, TMP_TAG):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (main thread, POSIX) until the block ends; they arrive after it."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_folder(target: Path, write: Callable[[Path], Any], known: frozenset[str]) -> Path:
    """Build a folder with ``write(tmp)`` and put it at ``target`` in one rename; returns ``target``.

    ``known``: the file names a run may have written, so an earlier output may be replaced
    (:func:`check_replaceable`). The caller holds the target's :class:`OutputLock`. On any error or
    interrupt the temporary folder is deleted and ``target`` is left as it was.
    """
    check_replaceable(target, known)
    target.parent.mkdir(parents=True, exist_ok=True)
    run = uuid.uuid4().hex[:12]
    tmp = target.parent / f".{target.name}{TMP_TAG}{run}"
    tmp.mkdir()
    try:
        write(tmp)
        _fsync_tree(tmp)
        with _signals_held():
            old = None
            if target.exists():
                old = target.parent / f".{target.name}{OLD_TAG}{run}"
                os.rename(target, old)
            try:
                os.rename(tmp, target)
            except BaseException:
                if old is not None:
                    os.rename(old, target)
                raise
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _fsync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` to disk, so the rename never publishes unwritten data."""
    for p in folder.iterdir():
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def file_digest(path: Path) -> dict[str, Any]:
    """``{"bytes": size, "sha256": hex digest}`` of one file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}
