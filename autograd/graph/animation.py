"""The step-through as one animated file (GIF or animated PNG) for slides and chat.

Each step is drawn by Graphviz with the step's text under its title, so the text is in
every frame; the loop ends on a still of the final state, shown longer.  Pillow (which
comes with matplotlib) puts the frames together.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_atomically
from .dot import PALETTES, scene_to_dot
from .render import render

if TYPE_CHECKING:
    from .frames import BackwardFrames

ANIMATION_FORMATS = {".gif": "GIF", ".png": "PNG"}


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "saving the steps as an animation needs Pillow: pip install pillow "
            "(or write frames.save_html('steps.html'), which needs nothing)"
        ) from None
    return Image


def check_seconds(name: str, seconds: object) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0.05 <= seconds <= 60:
        raise ValueError(f"{name} must be a number of seconds from 0.05 to 60, got {seconds!r}")
    return float(seconds)


def save_animation(frames: BackwardFrames, path: Path, seconds_per_step: float, final_seconds: float) -> Path:
    """Render every step (text included) and the final state, and write them to ``path``."""
    kind = ANIMATION_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"cannot tell the animation format from the suffix {path.suffix!r} of {str(path)!r}: "
            "use .gif or .png (an animated PNG)"
        )
    step_ms = round(check_seconds("seconds_per_step", seconds_per_step) * 1000)
    final_ms = round(check_seconds("final_seconds", final_seconds) * 1000)
    Image = _pillow()
    # The title says "step k of n: ..."; the caption is the rest of the step's text.
    captions = [frames.step_text(k).split("\n", 1)[1] for k in range(len(frames))]
    scenes = [frames.scene(k, frames.rankdir, caption=captions[k]) for k in range(len(frames))]
    scenes.append(frames.final_scene())
    images = [
        Image.open(io.BytesIO(render(scene_to_dot(s), "png", values=len(frames.nodes)))) for s in scenes
    ]
    width = max(image.width for image in images)
    height = max(image.height for image in images)
    background = PALETTES[frames.theme]["background"]
    canvases = []
    for image in images:  # every frame the same size, the picture at the top left
        canvas = Image.new("RGB", (width, height), background)
        canvas.paste(image.convert("RGB"), (0, 0))
        canvases.append(canvas if kind == "PNG" else canvas.convert("P", palette=Image.Palette.ADAPTIVE))
    buffer = io.BytesIO()
    canvases[0].save(
        buffer,
        format=kind,
        save_all=True,
        append_images=canvases[1:],
        duration=[step_ms] * len(frames) + [final_ms],
        loop=0,
    )
    write_atomically(path, buffer.getvalue())
    return path
