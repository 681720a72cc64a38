"""PyPI's unrelated "autograd" package uses our import name: nn must say so clearly, with
the exact commands that repair the installation at hand, and never a name on the index."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nn

NN_SOURCE = Path(nn.__file__).resolve().parent
BARE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(\[[\w,]*\])?")  # what pip looks up on an index


def _fake_hips_autograd(site: Path) -> None:
    """What ``pip install autograd`` leaves behind."""
    package = site / "autograd"
    package.mkdir()
    (package / "__init__.py").write_text("from .differential_operators import grad\n")
    (package / "differential_operators.py").write_text("def grad(f):\n    return f\n")
    info = site / "autograd-1.7.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.7.0\n")
    (info / "RECORD").write_text(
        "autograd/__init__.py,,\nautograd/differential_operators.py,,\nautograd-1.7.0.dist-info/METADATA,,\n"
    )
    (info / "top_level.txt").write_text("autograd\n")


def _fake_glassgrad(site: Path, direct_url: dict | None) -> None:
    """glassgrad's nn and its dist-info as pip leaves them; ``direct_url`` is what pip
    records in direct_url.json (PEP 610), None for an installation that has none."""
    shutil.copytree(NN_SOURCE, site / "nn", ignore=shutil.ignore_patterns("__pycache__"))
    info = site / "glassgrad-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.4\nName: glassgrad\nVersion: 0.1.0\n")
    (info / "RECORD").write_text("nn/__init__.py,,\nglassgrad-0.1.0.dist-info/METADATA,,\n")
    (info / "top_level.txt").write_text("autograd\nnn\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))


def _import_nn_in(site: Path) -> subprocess.CompletedProcess:
    """``import nn`` in an environment that is only the standard library and ``site``:
    -I ignores PYTHONPATH, the current folder and user site-packages, -S every site-packages."""
    script = f"import sys; sys.path.insert(0, {str(site)!r}); import nn"
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], cwd=site, capture_output=True, text=True, timeout=120
    )


def _import_error(site: Path) -> str:
    result = _import_nn_in(site)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("ImportError:"), result.stderr
    assert not _index_names(error), error
    return error


def _clash_message(site: Path) -> str:
    error = _import_error(site)
    assert str(site / "autograd") in error
    assert "HIPS" in error
    return error


def _index_names(message: str) -> list[str]:
    """Arguments of each ``pip install`` in ``message`` that pip would look up on an index:
    a bare name such as ``glassgrad`` or ``scalargrad[data]``, not a path, URL or <placeholder>."""
    names = []
    for command in re.findall(r"pip install (.*?)(?:\s&&|\s{2}|\)|$)", message):
        for argument in shlex.split(re.sub(r"<[^>]*>", "PLACEHOLDER/", command)):
            if BARE_NAME.fullmatch(argument):
                names.append(argument)
    return names


def test_the_index_name_check_can_fail():
    assert _index_names("Repair: pip install --force-reinstall --no-deps scalargrad") == ["scalargrad"]
    assert _index_names('then pip install -e /src && pip install "glassgrad[data]"') == ["glassgrad[data]"]
    assert _index_names("pip install -e . && pip install /a/b.whl   (or pip install <the wheel>)") == []


def test_editable_install_is_repaired_from_its_source_folder(tmp_path):
    source = tmp_path / "my glassgrad checkout"  # a space: the command must quote it
    source.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    _fake_glassgrad(site, {"url": source.as_uri(), "dir_info": {"editable": True}})
    error = _clash_message(site)
    assert f"pip uninstall -y autograd && pip install -e {shlex.quote(str(source))}" in error


def test_wheel_install_is_repaired_by_reinstalling_that_wheel(tmp_path):
    wheel = tmp_path / "dist" / "glassgrad-0.1.0-py3-none-any.whl"
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    _fake_glassgrad(site, {"url": wheel.as_uri(), "archive_info": {"hashes": {"sha256": "0" * 64}}})
    error = _clash_message(site)
    assert f"pip uninstall -y autograd && pip install --force-reinstall --no-deps {wheel}" in error
    assert "pip install -e" not in error


def test_install_from_a_folder_is_repaired_from_that_folder(tmp_path):
    source = tmp_path / "src"
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    _fake_glassgrad(site, {"url": source.as_uri(), "dir_info": {}})  # `pip install ./src`
    error = _clash_message(site)
    assert f"pip install --force-reinstall --no-deps {source}" in error
    assert "pip install -e" not in error


def test_git_install_is_repaired_from_the_same_commit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    url = "https://git.example.org/team/glassgrad.git"
    _fake_glassgrad(site, {"url": url, "vcs_info": {"vcs": "git", "commit_id": "ab12" * 10}})
    error = _clash_message(site)
    assert f"pip install --force-reinstall --no-deps git+{url}@{'ab12' * 10}" in error


def test_git_install_from_a_local_repository_keeps_its_file_url(tmp_path):
    # `pip install git+file:///path/to/repo` records a file:// URL; pip refuses git+/path@commit
    repo = tmp_path / "my repo"
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    _fake_glassgrad(site, {"url": repo.as_uri(), "vcs_info": {"vcs": "git", "commit_id": "cd34" * 10}})
    error = _clash_message(site)
    wanted = shlex.quote(f"git+{repo.as_uri()}@{'cd34' * 10}")
    assert f"pip install --force-reinstall --no-deps {wanted}" in error
    assert "%20" in wanted  # the space stays percent-encoded, as pip recorded it


@pytest.mark.parametrize("direct_url", [None, {"no": "url"}, "not json"])
def test_without_a_recorded_source_it_asks_for_the_wheel_or_folder(tmp_path, direct_url):
    site = tmp_path / "site"
    site.mkdir()
    _fake_hips_autograd(site)
    _fake_glassgrad(site, None if direct_url == "not json" else direct_url)
    if direct_url == "not json":
        (site / "glassgrad-0.1.0.dist-info" / "direct_url.json").write_text("{not json")
    error = _clash_message(site)
    generic = "pip uninstall -y autograd && pip install --force-reinstall --no-deps <the glassgrad wheel"
    assert generic in error


def test_an_engine_removed_by_uninstalling_hips_is_reinstalled(tmp_path):
    """`pip uninstall autograd` deletes the files HIPS's package overwrote: glassgrad's
    autograd is gone, HIPS's too, so the repair is the reinstall alone."""
    wheel = tmp_path / "glassgrad-0.1.0-py3-none-any.whl"
    site = tmp_path / "site"
    site.mkdir()
    _fake_glassgrad(site, {"url": wheel.as_uri(), "archive_info": {}})
    error = _import_error(site)
    assert "No module named 'autograd'" in error
    assert error.endswith(f"Repair this installation with: pip install --force-reinstall --no-deps {wheel}")


def test_nn_imports_with_the_real_engine(tmp_path):
    # An empty folder first on the path changes nothing.  Run from it too: from a source
    # checkout the current folder would find the real engine before PYTHONPATH anyway.
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    command = [sys.executable, "-c", "import nn"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_engine_carries_the_marker():
    script = textwrap.dedent(
        """
        import autograd
        assert autograd.__glassgrad__ is True
        """
    )
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 0
