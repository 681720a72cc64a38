"""Seeing backprop: pictures of a graph of Values and a step-through of ``backward``.

``draw_graph(y)`` draws ``y``'s graph with data, grads and the chain rule on its edges;
``backward_frames(y)`` runs ``y``'s backward pass and keeps one picture per step.
This is the only part of glassgrad that touches Graphviz.
"""

from .dot import GraphTooLargeError
from .frames import BackwardFrames, Frame, StepViewer, backward_frames
from .picture import GraphPicture, draw_graph
from .render import GraphvizNotFoundError, RenderError

__all__ = [
    "BackwardFrames",
    "Frame",
    "StepViewer",
    "backward_frames",
    "GraphPicture",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "RenderError",
    "draw_graph",
]
