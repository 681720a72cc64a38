"""Make sure ``import autograd`` gives glassgrad's engine, not PyPI's "autograd".

PyPI's unrelated ``autograd`` package (HIPS) uses the same import name.  Installing it
after glassgrad overwrites ``autograd/__init__.py``; uninstalling it then deletes
files that glassgrad needs.  Either way ``nn`` would fail later with a baffling
AttributeError, so it checks once, on import, and says what happened and how to fix it.
"""

from __future__ import annotations

import importlib
import importlib.metadata

REPAIR = "pip uninstall -y autograd, then reinstall glassgrad the way you installed it"


def _distributions_providing_autograd() -> list[str]:
    try:
        return sorted(set(importlib.metadata.packages_distributions().get("autograd", [])))
    except Exception:  # metadata can be broken in odd environments; the message still helps
        return []


def check_engine() -> None:
    """Raise ImportError with a repair command unless ``autograd`` is glassgrad's engine."""
    try:
        engine = importlib.import_module("autograd")
    except ImportError as error:
        problem = f"'import autograd' fails ({error})"
    else:
        if getattr(engine, "__glassgrad__", False):
            return
        where = getattr(engine, "__file__", None) or list(getattr(engine, "__path__", []))
        problem = f"'import autograd' finds a different package at {where}"
    owners = _distributions_providing_autograd()
    others = [name for name in owners if name.lower() != "glassgrad"]
    cause = (
        f"The distributions {owners} all install the import name 'autograd'. "
        if len(owners) > 1
        else f"Distribution(s) providing 'autograd': {owners or 'none found'}. "
    )
    if others:
        cause += (
            "PyPI's unrelated 'autograd' package (HIPS) shares glassgrad's import name "
            "and has overwritten or removed glassgrad's engine. "
        )
    raise ImportError(
        f"glassgrad's nn needs glassgrad's autograd engine, but {problem}. {cause}"
        f"Repair with: {REPAIR}   (in a source checkout, reinstall with: pip install -e .)"
    )
