"""PyPI's unrelated "autograd" package uses our import name: nn must say so clearly."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from nn._engine_check import REPAIR


def _fake_hips_autograd(site: Path) -> None:
    """What ``pip install autograd`` leaves behind, in a folder put first on sys.path."""
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


def _import_nn_with(site: Path) -> subprocess.CompletedProcess:
    # Run from ``site`` too: the current folder comes first on sys.path, and from a source
    # checkout it would find the real engine before anything on PYTHONPATH.
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run(
        [sys.executable, "-c", "import nn"], cwd=site, env=env, capture_output=True, text=True, timeout=120
    )


def test_nn_explains_a_shadowing_autograd_and_how_to_repair(tmp_path):
    _fake_hips_autograd(tmp_path)
    result = _import_nn_with(tmp_path)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("ImportError:")
    assert str(tmp_path / "autograd") in error
    assert "HIPS" in error
    assert REPAIR in error


def test_nn_imports_with_the_real_engine(tmp_path):
    result = _import_nn_with(tmp_path)  # an empty folder first on the path changes nothing
    assert result.returncode == 0, result.stderr


def test_engine_carries_the_marker():
    script = textwrap.dedent(
        """
        import autograd
        assert autograd.__glassgrad__ is True
        """
    )
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 0
