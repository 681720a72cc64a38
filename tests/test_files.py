"""autograd.files.write_atomically: old or new file, never a mix; modes, symlinks, errors; no litter.

The kill test runs real processes that save in a loop and are SIGKILLed at random
moments; ``python tests/test_files.py 500`` runs it 500 times and prints the figures.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

import autograd.files as files
import nn
from autograd.files import remove_stale_temporaries, write_atomically

FILES_PY = str(Path(files.__file__).resolve())
POSIX = os.name == "posix"
needs_posix = pytest.mark.skipif(not POSIX, reason="permissions, symlinks and signals as on POSIX")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def temporaries(path) -> list[str]:
    path = Path(path)
    return sorted(n for n in os.listdir(path.parent) if n.startswith(f".{path.name}.") and n.endswith(".tmp"))


class umask:
    def __init__(self, mask):
        self.mask = mask

    def __enter__(self):
        self.old = os.umask(self.mask)

    def __exit__(self, *exc):
        os.umask(self.old)


# ------------------------------------------------------------------ permissions
@needs_posix
@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, mask, expected):
    with umask(mask):
        write_atomically(tmp_path / "new.json", b"{}")
        plain = tmp_path / "plain.json"
        plain.write_bytes(b"{}")  # what open() gives, the reference
    assert mode(tmp_path / "new.json") == expected == mode(plain)


@needs_posix
@pytest.mark.parametrize("existing", [0o600, 0o640, 0o604, 0o755])
def test_an_existing_file_keeps_its_mode(tmp_path, existing):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")
    os.chmod(target, existing)
    with umask(0o022):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == existing


@needs_posix
def test_a_saved_model_keeps_a_private_files_mode(tmp_path):
    target = tmp_path / "model.json"
    model = nn.MLP(2, [2, 1], seed=0)
    model.save(target)
    os.chmod(target, 0o600)
    model.save(target)
    assert mode(target) == 0o600


def test_data_must_be_bytes(tmp_path):
    with pytest.raises(TypeError, match="data must be bytes"):
        write_atomically(tmp_path / "x", "text")
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------ symlinks
@needs_posix
def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / "model.json"
    real.write_bytes(b"old")
    os.chmod(real, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(os.path.relpath(real, tmp_path))  # a relative link, as users make them
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)

    write_atomically(link, b"through the link")
    assert link.is_symlink() and real.read_bytes() == b"through the link"
    write_atomically(chain, b"through two links")
    assert chain.is_symlink() and link.is_symlink()
    assert real.read_bytes() == b"through two links"
    assert mode(real) == 0o600
    assert temporaries(real) == [] and temporaries(link) == []


@needs_posix
def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "missing.json")
    write_atomically(link, b"made")
    assert link.is_symlink() and (tmp_path / "missing.json").read_bytes() == b"made"


@needs_posix
def test_a_symlink_loop_is_an_error_that_names_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(OSError) as caught:
        write_atomically(a, b"x")
    assert str(tmp_path) in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


# ------------------------------------------------------------------ refusals
def test_a_folder_is_refused_by_name(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(IsADirectoryError, match="dir"):
        write_atomically(tmp_path / "dir", b"x")
    assert os.listdir(tmp_path) == ["dir"]


@needs_posix
def test_a_fifo_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomically(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe"]


def test_a_permission_error_names_the_target_not_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(PermissionError) as caught:
        write_atomically(target, b"new")
    assert caught.value.filename == str(target)
    assert str(target) in str(caught.value) and ".tmp" not in str(caught.value)
    assert target.read_bytes() == b"old"


def test_an_os_error_while_writing_names_the_target_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left") as caught:
        write_atomically(target, b"new")
    assert caught.value.filename == str(target) and caught.value.errno == 28
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["model.json"]


# A real refusal needs a user without root's powers: as root, run it as nobody.
DENIED = r"""
import os, runpy, sys
write = runpy.run_path(sys.argv[1])["write_atomically"]
folder = sys.argv[2]
for name in ("in-locked-folder.json", "read-only.json"):
    target = os.path.join(folder, name) if name == "read-only.json" else os.path.join(folder, "locked", name)
    try:
        write(target, b"new")
        print(name, "WRITTEN")
    except PermissionError as e:
        print(name, "PermissionError", e.filename == target, ".tmp" in str(e), target in str(e))
"""


@needs_posix
def test_real_permission_errors_name_the_target():
    nobody = 65534 if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="glassgrad-perm-"))
    try:
        os.chmod(folder, 0o777)
        (folder / "locked").mkdir(mode=0o755)
        os.chmod(folder / "locked", 0o555)  # no one but root may add a file
        read_only = folder / "read-only.json"
        read_only.write_bytes(b"old")
        os.chmod(read_only, 0o444)
        os.chmod(folder, 0o755)
        module = folder / "files.py"  # a copy the other user can surely read
        shutil.copy(FILES_PY, module)
        os.chmod(module, 0o644)
        kwargs = {"user": nobody} if nobody is not None else {}
        done = None
        system_python = shutil.which("python3", path=os.defpath) or sys.executable
        for python in dict.fromkeys([sys.executable, system_python]):
            try:
                done = subprocess.run(
                    [python, "-I", "-S", "-c", DENIED, str(module), str(folder)],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    **kwargs,
                )
                break
            except OSError:  # that user may not run this interpreter (e.g. one under /root)
                continue
        if done is None:
            pytest.skip("no Python interpreter that an unprivileged user may run")
        lines = done.stdout.splitlines()
        assert lines == [
            "in-locked-folder.json PermissionError True False True",
            "read-only.json PermissionError True False True",
        ], done.stderr
        assert read_only.read_bytes() == b"old"
        assert os.listdir(folder / "locked") == []
        assert sorted(os.listdir(folder)) == ["files.py", "locked", "read-only.json"]
    finally:
        os.chmod(folder / "locked", 0o755)
        shutil.rmtree(folder)


# ------------------------------------------------------------------ stale temporary files
def dead_pid() -> int:
    """The PID of a process that has exited and been reaped (so it is not running)."""
    child = subprocess.Popen([sys.executable, "-I", "-S", "-c", "pass"])
    child.wait()
    return child.pid


@needs_posix
def test_temporary_files_name_the_target_and_the_writer():
    name = files.temporary_name("/some/folder/model.json")
    host = files._host()
    assert name.startswith(f".model.json.{os.getpid()}@{host}.") and name.endswith(".tmp")
    assert files._writer("model.json", name) == (os.getpid(), host)
    others = [
        ".model.json.tmp",
        ".model.json.x@h.abcdef12.tmp",
        ".model.json.1.abcdef12.tmp",  # no host
        f".model.json.5.1@{host}.abcdef12.tmp",  # the target "model.json.5"'s
        "model.json",
    ]
    for other in others:
        assert files._writer("model.json", other) is None


@needs_posix
def test_the_next_save_removes_only_stale_temporaries_of_its_own_target(tmp_path):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")
    dead = dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-I", "-S", "-c", "import time; time.sleep(60)"])
    try:
        host = files._host()
        other = "elsewhere" if host != "elsewhere" else "elsewhere2"
        stale = [f".model.json.{dead}@{host}.0badc0de.tmp", f".model.json.{os.getpid()}@{host}.1badc0de.tmp"]
        kept = [
            f".model.json.{sleeper.pid}@{host}.2badc0de.tmp",  # a live process is writing it
            f".model.json.{dead}@{other}.5badc0de.tmp",  # another machine's: its PIDs are not ours to judge
            f".other.json.{dead}@{host}.3badc0de.tmp",  # another target's
            f".model.json.5.{dead}@{host}.4badc0de.tmp",  # the target "model.json.5"'s
            ".model.json.notapid.tmp",
            "model.json.bak",
        ]
        for name in stale + kept:
            (tmp_path / name).write_bytes(b"partial")
        write_atomically(target, b"new")
        assert target.read_bytes() == b"new"
        assert sorted(os.listdir(tmp_path)) == sorted([*kept, "model.json"])
    finally:
        sleeper.kill()
        sleeper.wait()


@needs_posix
def test_a_save_in_progress_in_another_thread_is_not_cleaned_up(tmp_path, monkeypatch):
    target = tmp_path / "model.json"
    writing, release = threading.Event(), threading.Event()
    real_fsync = os.fsync
    seen = []

    def slow_fsync(fd):
        if threading.current_thread().name == "slow":
            writing.set()
            release.wait(10)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    slow = threading.Thread(target=write_atomically, args=(target, b"slow"), name="slow")
    slow.start()
    assert writing.wait(10)
    seen = temporaries(target)
    assert len(seen) == 1  # the slow thread's own file, named with our PID
    write_atomically(target, b"quick")
    assert temporaries(target) == seen  # not removed: it is being written
    release.set()
    slow.join(10)
    assert target.read_bytes() == b"slow" and temporaries(target) == []


@needs_posix
def test_remove_stale_temporaries_reports_what_it_removed(tmp_path):
    target = tmp_path / "m.json"
    stale = tmp_path / f".m.json.{dead_pid()}@{files._host()}.00000000.tmp"
    stale.write_bytes(b"")
    assert remove_stale_temporaries(target) == [stale]
    assert remove_stale_temporaries(target) == []


# ------------------------------------------------------------------ SIGKILL during saves
SAVER = r"""
import runpy, sys
write = runpy.run_path(sys.argv[1])["write_atomically"]
target, size = sys.argv[2], int(sys.argv[3])
contents = [b"A" * size, b"B" * size]
print("go", flush=True)
i = 0
while True:
    i += 1
    write(target, contents[i % 2])
"""


def kill_during_saves(folder: Path, kills: int, size: int = 1 << 18, seed: int = 0) -> dict[str, int]:
    """Start savers and SIGKILL each at a random moment; check the target after every kill."""
    rng = random.Random(seed)
    target = folder / "model.bin"
    old_or_new = {b"A" * size, b"B" * size}
    write_atomically(target, b"A" * size)
    os.chmod(target, 0o640)
    names = ("kills", "partial_files", "wrong_mode", "kills_leaving_a_temporary", "stale_after_next_save")
    figures = dict.fromkeys(names, 0)
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", SAVER, FILES_PY, str(target), str(size)],
            stdout=subprocess.PIPE,
        )
        assert child.stdout.readline() == b"go\n"
        threading.Event().wait(rng.uniform(0.0, 0.015))
        child.send_signal(signal.SIGKILL)
        child.wait()  # reaped: its PID is no longer a running process
        child.stdout.close()
        figures["kills"] += 1
        figures["partial_files"] += target.read_bytes() not in old_or_new
        figures["wrong_mode"] += mode(target) != 0o640
        figures["kills_leaving_a_temporary"] += bool(temporaries(target))
        write_atomically(target, b"B" * size)  # the next save
        figures["stale_after_next_save"] += len(temporaries(target))
    return figures


@needs_posix
def test_sigkill_during_saves_leaves_old_or_new_and_no_litter(tmp_path):
    figures = kill_during_saves(tmp_path, kills=25)
    assert figures["partial_files"] == 0
    assert figures["wrong_mode"] == 0
    assert figures["stale_after_next_save"] == 0
    # the kills did land between write and rename, so the cleanup was exercised
    assert figures["kills_leaving_a_temporary"] >= 1, figures
    assert sorted(os.listdir(tmp_path)) == ["model.bin"]


if __name__ == "__main__":  # the figures for the README: python tests/test_files.py 500
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        print(kill_during_saves(Path(folder), kills=n, seed=1))
