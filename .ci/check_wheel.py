"""CI: the wheel holds exactly the modules of autograd/ and nn/ in the source tree, and the LICENSE.

    python .ci/check_wheel.py dist/glassgrad-*.whl SOURCE_ROOT
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

PACKAGES = ("autograd", "nn")


def main(wheel: str, root: str) -> int:
    source = Path(root)
    expected = {
        path.relative_to(source).as_posix()
        for package in PACKAGES
        for path in (source / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {name for name in names if name.endswith(".py")}
    missing, extra = sorted(expected - shipped), sorted(shipped - expected)
    licenses = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
    for name in missing:
        print(f"missing from the wheel: {name}")
    for name in extra:
        print(f"in the wheel but not in the source tree: {name}")
    if not licenses:
        print("no LICENSE in the wheel's .dist-info/licenses/")
    if missing or extra or not licenses:
        return 1
    print(f"the wheel holds all {len(expected)} modules of {' and '.join(PACKAGES)}, and the LICENSE")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
