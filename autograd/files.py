"""Saving a file so that no failure, not even a kill, leaves it half-written or emptied.

``write_atomically(path, data)`` writes ``data`` to a temporary file beside the target,
named ``.NAME.PID@HOST.XXXXXXXX.tmp`` (NAME the target's name, PID and HOST the writing
process and machine), then renames it over the target in one step.  A target whose name is
so long that this would pass the file system's limit on a name (``NAME_MAX``, 255 bytes on
most) has NAME cut and followed by ``~`` and 8 hex digits of its hash, so that every name
``open()`` accepts can be saved.  Until that rename
the old file is untouched; after it the new file is complete.  A process killed in
between leaves only its temporary file, which the next save of the same target on the
same machine removes once the process named in it is no longer running.

What a plain ``open(path, "w")`` would do is kept: an existing file keeps its
permission bits, a new one gets the umask's; a symlink is written through to its
target; a file you may not write is refused with a PermissionError naming it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import socket
import stat
import threading
from pathlib import Path

__all__ = ["remove_stale_temporaries", "temporary_name", "write_atomically"]

# The temporary files this process is writing right now: a file named with our own PID
# that is not in this set was left by an earlier process that had the same PID.
_writing: set[str] = set()
_writing_lock = threading.Lock()
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_EXCL: never reuse a file


def _host() -> str:
    """This machine's name as it appears in temporary names: letters, digits and '-' only."""
    name = socket.gethostname().split(".")[0]
    return re.sub(r"[^A-Za-z0-9-]", "-", name)[:32] or "host"


# What a temporary name adds to NAME, at most, in bytes: '.' and '.', a PID of up to 10 digits,
# '@', a host of up to 32 characters, '.', 8 hex digits and '.tmp'.
_ADDED = 2 + 10 + 1 + 32 + 1 + 8 + 4
_HASHED = 1 + 8  # '~' and 8 hex digits of the name's hash, after a name that had to be cut
DEFAULT_NAME_MAX = 255  # bytes: ext4, XFS, Btrfs, APFS, tmpfs; where the system cannot tell us


def name_max(folder: str | os.PathLike) -> int:
    """The longest file name, in bytes, that the file system of ``folder`` allows."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError, TypeError):  # no pathconf (Windows), no such folder
        return DEFAULT_NAME_MAX


def _stem(target_name: str, limit: int) -> str:
    """NAME in the temporary names of ``target_name``: the name itself if they fit in ``limit``
    bytes, else its longest start that leaves room, then ``~`` and 8 hex digits of its hash."""
    encoded = os.fsencode(target_name)
    if len(encoded) + _ADDED <= limit:
        return target_name
    room = max(limit - _ADDED - _HASHED, 0)
    kept, used = [], 0
    for ch in target_name:  # whole characters only: never half of a UTF-8 sequence
        size = len(os.fsencode(ch))
        if used + size > room:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + "~" + hashlib.sha256(encoded).hexdigest()[:8]


def temporary_name(target: str | os.PathLike) -> str:
    """A fresh name for the temporary file behind a save of ``target``: ``.NAME.PID@HOST.XXXXXXXX.tmp``,
    within the limit on a name of the file system ``target`` is on."""
    path = Path(target)
    stem = _stem(path.name, name_max(path.parent))
    return f".{stem}.{os.getpid()}@{_host()}.{secrets.token_hex(4)}.tmp"


def _writer(target_name: str, file_name: str, limit: int = DEFAULT_NAME_MAX) -> tuple[int, str] | None:
    """(PID, HOST) from ``file_name`` if it is a temporary file of ``target_name``, else None."""
    prefix = f".{_stem(target_name, limit)}."
    if not (file_name.startswith(prefix) and file_name.endswith(".tmp")):
        return None
    match = re.fullmatch(r"(\d+)@([A-Za-z0-9-]{1,32})\.[0-9a-f]{8}", file_name[len(prefix) : -len(".tmp")])
    return (int(match.group(1)), match.group(2)) if match else None


def _is_running(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (when unsure: True, so nothing is removed)."""
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there: never guess
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists but belongs to someone else, or cannot be asked
    return True


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary files of saves of ``path`` whose writer is no longer running.

    A temporary file of another live process, of a save running in this process right
    now, or of another machine (whose processes cannot be seen from here) is never
    touched.  Returns what was removed; errors are ignored (the cleanup must never make
    a save fail).
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    me, here = os.getpid(), _host()
    limit = name_max(folder)
    for name in names:
        writer = _writer(target.name, name, limit)
        if writer is None or writer[1] != here:
            continue
        pid = writer[0]
        if pid == me:
            with _writing_lock:
                live = str(folder / name) in _writing
        else:
            live = _is_running(pid)
        if not live:
            try:
                os.unlink(folder / name)
                removed.append(folder / name)
            except OSError:
                pass
    return removed


def _refuse(error: OSError, target: Path, what: str) -> OSError:
    """The same kind of OSError, naming ``target`` (not the temporary file) and what went wrong."""
    code = error.errno if error.errno is not None else errno.EIO
    reason = error.strerror or os.strerror(code)
    return type(error)(code, f"{reason}: cannot save {target} ({what})", str(target))


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: a failure or kill keeps the previous file intact.

    A symlink at ``path`` is followed and its target replaced (the link stays a link);
    an existing file keeps its permission bits (rwx for owner, group, others), a new
    file gets the umask's, as with ``open``.  A temporary file left by a killed save of
    the same target is removed first (see ``remove_stale_temporaries``).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    target = Path(os.path.realpath(path))  # through every symlink, to the file itself
    folder = target.parent
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as error:  # a symlink loop, a path through a file, ...
        raise _refuse(error, target, "cannot look at it") from None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(errno.EISDIR, f"cannot save {target}: it is a folder", str(target))
        if not stat.S_ISREG(existing.st_mode):  # never replace a device, FIFO or socket
            raise OSError(errno.EINVAL, f"cannot save {target}: not a regular file", str(target))
        if not os.access(target, os.W_OK):  # a plain open(path, "w") would be refused too
            raise PermissionError(errno.EACCES, f"cannot save {target}: the file is read-only", str(target))
    remove_stale_temporaries(target)

    temporary = folder / temporary_name(target)
    with _writing_lock:
        _writing.add(str(temporary))
    try:
        try:
            handle = os.open(temporary, _NEW_FILE, 0o666)  # the kernel applies the umask, as for open()
        except OSError as error:
            raise _refuse(error, target, f"cannot create a file in {folder}") from None
        try:
            with os.fdopen(handle, "wb") as file:
                if existing is not None:
                    _keep_mode_and_owner(file.fileno(), temporary, existing)
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException as error:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            if isinstance(error, OSError) and error.errno is not None:
                raise _refuse(error, target, "nothing was changed") from None
            raise
    finally:
        with _writing_lock:
            _writing.discard(str(temporary))
    _sync_folder(folder)


def _keep_mode_and_owner(fd: int, temporary: Path, existing: os.stat_result) -> None:
    """Give the new file the old one's permission bits (and group/owner where allowed)."""
    mode = stat.S_IMODE(existing.st_mode) & 0o777  # like a plain write, which clears setuid/setgid
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows before Python 3.13
        os.chmod(temporary, mode)
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except OSError:
            pass  # only root may give a file away; the file is then ours, as after a plain rewrite by us


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can fsync a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
