"""The wheel ships every module of autograd/ and nn/, and the version lives in one place.

The wheel is built from a copy of the source tree, so the build never writes into the
checkout (other runs may be using it) and finds its packages the way a clean clone would.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import autograd
import nn

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn")
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")


def source_modules() -> set[str]:
    """Every .py file under autograd/ and nn/ in the source tree, as paths inside a wheel."""
    return {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("build", reason="needs the `build` package (pip install build, in the dev extra)")
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not a source tree: no pyproject.toml beside tests/")
    tree = tmp_path_factory.mktemp("tree")
    for name in BUILD_INPUTS:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, tree / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(tree)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = out.glob("glassgrad-*.whl")
    return built


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(name).decode("utf-8")
    fields: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    return fields


@pytest.mark.slow
def test_the_wheel_holds_every_module_of_both_packages(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.endswith(".py")}
    expected = source_modules()
    assert "autograd/graph/__init__.py" in expected  # the sub-package an explicit list once left out
    assert expected - shipped == set(), "modules missing from the wheel"
    assert shipped - expected == set(), "the wheel ships modules that are not in the source tree"


@pytest.mark.slow
def test_the_wheel_carries_the_license_and_its_spdx_expression(wheel):
    fields = wheel_metadata(wheel)
    assert fields["License-Expression"] == ["MIT"]
    assert fields["License-File"] == ["LICENSE"]
    with zipfile.ZipFile(wheel) as archive:
        (license_path,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(license_path) == (ROOT / "LICENSE").read_bytes()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.slow
def test_one_version_everywhere(wheel):
    (built,) = wheel_metadata(wheel)["Version"]
    assert wheel.name.startswith(f"glassgrad-{built}-")
    assert autograd.__version__ == built
    assert nn.__version__ == built
    # The installed distribution's metadata; stale only if the installation is older than
    # the source (then reinstall: pip install -e .).
    assert importlib.metadata.version("glassgrad") == built


def test_pyproject_reads_the_version_from_its_home():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, flags=re.M)
    assert not re.search(r"""^version\s*=\s*["']""", pyproject, flags=re.M)  # no static version
    assert 'version = {attr = "autograd._version.__version__"}' in pyproject


def test_the_version_is_written_once():
    """Nothing but autograd/_version.py spells the version out."""
    spelled = re.compile(r"""__version__\s*=\s*["']""")
    homes = [p for p in source_modules() if spelled.search((ROOT / p).read_text(encoding="utf-8"))]
    assert homes == ["autograd/_version.py"]
