"""Every picture stored in a notebook fits a page unshrunk: at most 900 px wide.

The notebooks are committed with their outputs, so GitHub shows them without running
anything; a picture wider than the page is shown shrunk, and its labels become hard to
read.  This reads the stored outputs (no notebook is run): an SVG's width attribute
(Graphviz writes points, 1 pt = 4/3 px) and a PNG's width from its header.
"""

from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGE = 900  # px


def svg_width(svg: str) -> float:
    match = re.search(r'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"', svg)
    assert match, "an SVG without a width attribute"
    value, unit = match.groups()
    return float(value) * (4 / 3 if unit == "pt" else 1)


def png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">I", data[16:20])[0]


def pictures(path: Path) -> list[tuple[str, float]]:
    """(where, width in px) of every picture in the notebook's stored outputs."""
    found = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data:
                svg = "".join(data["image/svg+xml"])
                found.append((f"cell {index} (svg)", svg_width(svg)))
            if "image/png" in data:
                found.append((f"cell {index} (png)", png_width(base64.b64decode(data["image/png"]))))
    return found


def test_the_width_readers_read_widths():
    assert svg_width('<svg width="675pt" height="10pt">') == 900
    assert svg_width('<svg xmlns="x" width="901px">') == 901
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 901, 20)
    assert png_width(header) == 901


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks here")
def test_some_notebooks_have_pictures():
    assert sum(len(pictures(path)) for path in NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_picture_fits_a_page(path):
    too_wide = [(where, round(width)) for where, width in pictures(path) if width > PAGE]
    assert too_wide == [], f"{path.name}: pictures wider than {PAGE} px: {too_wide}"
