"""Seeing backprop: pictures of a graph of Values and a step-through of ``backward``.

``draw_graph(y)`` draws ``y``'s graph with data, grads and the chain rule on its edges;
``backward_frames(y)`` runs ``y``'s backward pass and keeps one picture per step.
This is the only part of glassgrad that touches Graphviz.

Modules: scene.py decides what is drawn, text.py makes every string safe, dot.py writes
DOT text, render.py runs Graphviz, picture.py and frames.py are the public objects,
viewer.py (notebook widget, HTML page) and animation.py (GIF) show the frames.
"""

from .frames import BackwardFrames, Frame, backward_frames
from .picture import GraphPicture, draw_graph
from .render import BackendChoiceError, GraphvizNotFoundError, RenderError
from .scene import GraphLayoutWarning, GraphTooLargeError
from .viewer import StepViewer

__all__ = [
    "BackendChoiceError",
    "BackwardFrames",
    "Frame",
    "StepViewer",
    "backward_frames",
    "GraphPicture",
    "GraphLayoutWarning",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "RenderError",
    "draw_graph",
]
