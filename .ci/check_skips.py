"""CI: in the main run every test runs; list the skipped ones and fail if there are any
(an expected failure, pytest's xfail, is reported apart and is not a skip).

    python .ci/check_skips.py junit.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    cases = ET.parse(path).getroot().iter("testcase")
    skipped, xfailed = [], []
    total = 0
    for case in cases:
        total += 1
        for skip in case.findall("skipped"):
            line = f"{case.get('classname')}::{case.get('name')}: {skip.get('message')}"
            (xfailed if skip.get("type") == "pytest.xfail" else skipped).append(line)
    for line in xfailed:
        print(f"expected failure: {line}")
    for line in skipped:
        print(f"skipped in the main run: {line}")
    print(f"{total} tests in the main run, {len(skipped)} skipped, {len(xfailed)} expected failures")
    return 1 if skipped or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
