"""Every save works for every file name ``open()`` accepts, up to the file system's limit.

The temporary file beside the target adds ``.PID@HOST.XXXXXXXX.tmp``; a target name near
NAME_MAX (255 bytes on the file systems tried here) must still be saved: model JSON, PNG,
SVG, PDF and DOT pictures, the step-through HTML page, GIF and animated PNG.
"""

import os
import sys

import pytest
from graphs import tanh_neuron  # the 2-input tanh neuron the picture tests draw

import nn
from autograd import backward_frames, draw_graph, files
from autograd.files import remove_stale_temporaries, temporary_name, write_atomically

needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="PIDs of other processes: POSIX")


def names_at_the_limit(limit: int, suffix: str) -> list[str]:
    """Names of exactly ``limit`` bytes (and one under) in 1-, 2-, 3- and 4-byte UTF-8 characters."""
    names = []
    for ch in ("a", "é", "€", "😀"):
        size = len(ch.encode())
        room = limit - len(suffix.encode())
        body = ch * (room // size) + "a" * (room % size)  # fill up to the limit exactly
        names.append(body + suffix)
        names.append(body[:-1] + suffix)  # one character under
    return names


@pytest.fixture
def limit(tmp_path):
    found = os.pathconf(tmp_path, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    assert found >= 100
    return found


def test_the_names_are_at_the_limit_and_open_accepts_them(tmp_path, limit):
    assert files.name_max(tmp_path) == limit
    for name in names_at_the_limit(limit, ".json"):
        assert len(os.fsencode(name)) in (limit, limit - 1, limit - 2, limit - 3, limit - 4)
        (tmp_path / name).write_bytes(b"{}")  # a plain open() takes it
    assert max(len(os.fsencode(n)) for n in names_at_the_limit(limit, ".json")) == limit


def test_write_atomically_at_the_limit_leaves_only_the_file(tmp_path, limit):
    for name in names_at_the_limit(limit, ".bin"):
        target = tmp_path / name
        write_atomically(target, b"old")
        write_atomically(target, b"new")
        assert target.read_bytes() == b"new"
        temp = temporary_name(target)
        assert len(os.fsencode(temp)) <= limit
    assert len(os.listdir(tmp_path)) == 8  # the files, and no temporary left


def test_a_name_one_byte_over_the_limit_is_refused_naming_it(tmp_path, limit):
    target = tmp_path / ("a" * (limit - 4) + ".json")  # limit + 1 bytes
    with pytest.raises(OSError) as caught:
        open(target, "wb")
    with pytest.raises(OSError) as ours:
        write_atomically(target, b"x")
    assert ours.value.errno == caught.value.errno
    assert str(target) in str(ours.value)
    assert os.listdir(tmp_path) == []


def test_a_model_saves_and_loads_at_the_limit(tmp_path, limit):
    model = nn.MLP(2, [3, 1], seed=1)
    for name in names_at_the_limit(limit, ".json")[::3]:
        path = tmp_path / name
        model.save(path)
        other = nn.MLP(2, [3, 1], seed=2)
        other.load(path)
        assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".dot"])
def test_pictures_save_at_the_limit(tmp_path, limit, suffix):
    a = tanh_neuron()["a"]
    a.backward()
    picture = draw_graph(a)
    for name in names_at_the_limit(limit, suffix)[::2]:  # exactly at the limit, each kind of character
        path = picture.save(tmp_path / name)
        assert path.stat().st_size > 100
    assert len(os.listdir(tmp_path)) == 4


def test_step_through_page_and_animations_save_at_the_limit(tmp_path, limit):
    pytest.importorskip("PIL")  # GIF and animated PNG need Pillow (the `plots` extra)
    frames = backward_frames(tanh_neuron()["a"])
    for suffix, save in ((".html", frames.save_html), (".gif", frames.save), (".png", frames.save)):
        name = names_at_the_limit(limit, suffix)[2]  # 'é'…, exactly at the limit
        path = save(tmp_path / name)
        assert len(os.fsencode(path.name)) == limit and path.stat().st_size > 100
    assert len(os.listdir(tmp_path)) == 3


@needs_posix
def test_a_stale_temporary_of_a_long_name_is_recognised_and_removed(tmp_path, limit):
    name = "é" * 122 + ".json"  # the example: 249 bytes
    target = tmp_path / name
    mine = temporary_name(target)
    assert files._writer(name, mine, limit) == (os.getpid(), files._host())
    other = temporary_name(tmp_path / ("é" * 121 + "e.json"))  # another long target: another hash
    assert files._writer(name, other, limit) is None
    dead = 2**22 + 12345  # above Linux's pid_max: no such process
    stale = tmp_path / mine.replace(f".{os.getpid()}@", f".{dead}@")
    stale.write_bytes(b"partial")
    assert remove_stale_temporaries(target) == [stale]
    write_atomically(target, b"x")
    assert os.listdir(tmp_path) == [name]
