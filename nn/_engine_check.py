"""Make sure ``import autograd`` gives glassgrad's engine, not PyPI's "autograd".

PyPI's unrelated ``autograd`` package (HIPS) uses the same import name.  Installing it
after glassgrad overwrites ``autograd/__init__.py``; uninstalling it then deletes
files that glassgrad needs.  Either way ``nn`` would fail later with a baffling
AttributeError, so it checks once, on import, and says what happened and the exact
commands that repair this installation.

The repair never names a package on an index: glassgrad is not published there, so
``pip install glassgrad`` would fetch nothing or someone else's code.  It reinstalls
from where this installation came from, which pip records in the distribution's
``direct_url.json`` (PEP 610): the source folder of an editable install, the folder
of ``pip install .``, the wheel or sdist file, or the git URL and commit.
"""

from __future__ import annotations

import importlib
import json
import shlex
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

DISTRIBUTION = "glassgrad"
UNINSTALL_HIPS = "pip uninstall -y autograd"


def _location(url: str) -> str:
    """A ``file://`` URL as a local path (what pip accepts and a user recognises); others unchanged."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return url2pathname(unquote(parsed.path))
    return url


def reinstall_command(direct_url: dict | None) -> str:
    """The pip command that reinstalls glassgrad from where ``direct_url.json`` says it came from.

    ``direct_url`` is that file's content, or None when there is none (or it is unreadable).
    """
    if not isinstance(direct_url, dict) or not isinstance(direct_url.get("url"), str):
        return (
            "pip install --force-reinstall --no-deps <the glassgrad wheel or source folder you "
            "installed from>   (pip recorded no source for this installation; in a source "
            "checkout: pip install -e .)"
        )
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        # The URL as recorded: pip takes git+file:///repo@commit, but not git+/repo@commit.
        revision = f"@{vcs['commit_id']}" if isinstance(vcs.get("commit_id"), str) else ""
        url = direct_url["url"]
        return f"pip install --force-reinstall --no-deps {shlex.quote(vcs['vcs'] + '+' + url + revision)}"
    where = _location(direct_url["url"])
    dir_info = direct_url.get("dir_info")
    if isinstance(dir_info, dict) and dir_info.get("editable") is True:
        return f"pip install -e {shlex.quote(where)}"
    # A wheel or sdist (archive_info), or a non-editable folder (`pip install .`).
    return f"pip install --force-reinstall --no-deps {shlex.quote(where)}"


def _direct_url() -> dict | None:
    """glassgrad's ``direct_url.json``, or None if it is not installed or recorded nothing."""
    try:
        import importlib.metadata  # here, not at the top: only a clash needs it (~40 ms per import)

        text = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        return json.loads(text) if text else None
    except Exception:  # not installed, unreadable or not JSON: the generic advice still helps
        return None


def repair_command(uninstall_hips: bool = True) -> str:
    """The commands that repair THIS installation: remove HIPS's autograd (if it is there),
    then reinstall glassgrad from where it came from."""
    reinstall = reinstall_command(_direct_url())
    return f"{UNINSTALL_HIPS} && {reinstall}" if uninstall_hips else reinstall


def _distributions_providing_autograd() -> list[str]:
    try:
        import importlib.metadata

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
    others = [name for name in owners if name.lower() != DISTRIBUTION]
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
    repair = repair_command(uninstall_hips=bool(others))
    raise ImportError(
        f"glassgrad's nn needs glassgrad's autograd engine, but {problem}. {cause}"
        f"Repair this installation with: {repair}"
    )
