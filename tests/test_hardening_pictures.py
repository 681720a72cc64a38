"""Hardening of the pictures: display hooks never raise, frames after an earlier backward tell
the truth, ``.source``/``.layout`` describe what is drawn, and Steps name every Value apart.
"""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, backward_frames, dot, draw_graph
from autograd.backward import topological_order
from autograd.graph import GraphvizNotFoundError, RenderError
from autograd.graph import picture as picture_module
from autograd.graph import render as render_module


def ten_lines():
    """The README's ten-line example: z and a unlabelled."""
    x1, x2 = Value(1.5, label="x1"), Value(0.5, label="x2")
    w1, w2, b = Value(-2.0, label="w1"), Value(1.0, label="w2"), Value(3.0, label="b")
    z = x1 * w1 + x2 * w2 + b
    return z.tanh(), w1


def wide_neuron():
    """A chain of 12 tanh: far wider than the 900 px budget left to right."""
    x = Value(0.3, "x")
    y = x
    for _ in range(12):
        y = (y * 1.1).tanh()
    y.label = "y"
    y.backward()
    return y


def displays(root):
    """Every display hook of a picture of ``root``: draw_graph's, a frame's and the frames'."""
    frames = backward_frames(root)
    return [
        ("draw_graph", draw_graph(root)),
        ("draw_graph as asked", draw_graph(root, max_width=None)),
        ("frames[0]", frames[0]),
        ("frames[-1]", frames[len(frames) - 1]),
        ("frames", frames),
    ]


# ------------------------------------------------------------------ item 9: display hooks
def shown(thing) -> str:
    """What the display hook shows as text (the viewer widget: its picture pane and text panel)."""
    bundle = thing._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    if "application/vnd.jupyter.widget-view+json" in bundle:
        viewer = thing.viewer()
        return viewer.picture.value + viewer.panel.value
    return bundle["text/plain"]


def no_graphviz(monkeypatch, tmp_path):
    monkeypatch.delenv(render_module.BACKEND_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "pygraphviz", None)


def test_without_graphviz_every_display_hook_shows_the_message_as_text(monkeypatch, tmp_path):
    no_graphviz(monkeypatch, tmp_path)
    a, _w1 = ten_lines()
    for name, thing in displays(a):
        assert "pip install" in shown(thing), name
    frame_text = backward_frames(a)[0]._repr_mimebundle_()["text/plain"]
    assert frame_text.startswith("step 1 of 5") and "cannot draw it" in frame_text


def test_a_bad_backend_setting_is_shown_by_every_display_hook(monkeypatch):
    monkeypatch.setenv(render_module.BACKEND_ENV, "garbage")
    a, _w1 = ten_lines()
    for name, thing in displays(a):
        text = shown(thing)
        assert "GLASSGRAD_GRAPHVIZ_BACKEND" in text and "garbage" in text, name
    with pytest.raises(ValueError, match="'garbage'"):  # still a ValueError where it is asked
        render_module.choose_backend()
    with pytest.raises(GraphvizNotFoundError):  # and what copes with a missing Graphviz copes with it
        render_module.choose_backend()


FAILURES = [ValueError("bad"), OSError(24, "Too many open files"), RenderError("x"), RuntimeError("y"),
            KeyError("z"), UnicodeDecodeError("utf-8", b"", 0, 1, "r")]


@pytest.mark.parametrize("error", FAILURES)
def test_any_failure_to_draw_is_shown_as_text_never_raised(monkeypatch, error):
    def failing_render(*args, **kwargs):
        raise error

    monkeypatch.setattr(picture_module, "render", failing_render)
    a, _w1 = ten_lines()
    for name, thing in displays(a):
        assert type(error).__name__ in shown(thing), name


# ------------------------------------------------------------------ item 13: after an earlier backward
def test_frames_after_an_earlier_backward_end_on_the_grads_backward_leaves():
    a, w1 = ten_lines()
    a.backward()
    first = w1.grad
    frames = backward_frames(a)
    assert w1.grad == 2 * first
    final = frames.final_scene()
    assert final.grads == [node.grad for node in frames.nodes]  # the last picture is .grad
    source = autograd.graph.dot.scene_to_dot(final)
    assert f"grad {autograd.graph.text.fmt(w1.grad)} = {autograd.graph.text.fmt(first)} earlier + " in source
    for k in range(len(frames)):  # every step says plainly that this pass starts from zero
        assert "this pass starts every grad at 0" in frames[k].text
        assert f"w1 {autograd.graph.text.fmt(first)}" in frames[k].text
    step_source = frames.frame_source(0)
    assert f"+ {autograd.graph.text.fmt(first)} earlier, at the end" in step_source


def test_frames_of_a_first_backward_say_nothing_about_earlier_grads():
    a, w1 = ten_lines()
    frames = backward_frames(a)
    assert all("earlier" not in frames[k].text for k in range(len(frames)))
    assert "earlier" not in autograd.graph.dot.scene_to_dot(frames.final_scene())
    assert frames.final_scene().grads == [node.grad for node in frames.nodes]


@settings(max_examples=40, deadline=None)
@given(earlier_passes=st.integers(0, 3), shape=st.integers(0, 2), x=st.floats(-2, 2), y=st.floats(-2, 2))
def test_the_final_frame_equals_grad_whatever_came_before(earlier_passes, shape, x, y):
    a, b = Value(x, "a"), Value(y)
    builds = [lambda: (a * b + a).tanh(), lambda: dot([a, b], [b, a], 1.0).sigmoid(), lambda: a * a * b]
    root = builds[shape]()
    for _ in range(earlier_passes):
        root.backward()
    b.grad += 0.25  # a leaf may also hold a grad from elsewhere
    frames = backward_frames(root)
    assert frames.final_scene().grads == [node.grad for node in frames.nodes]


# ------------------------------------------------------------------ item 14: .source / .layout
def test_source_and_layout_describe_the_layout_drawn(tmp_path):
    a = wide_neuron()
    picture = draw_graph(a)
    assert picture.layout == "top to bottom"
    assert 'rankdir="TB"' in picture.source and 'rankdir="LR"' not in picture.source
    picture.save(tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text() == picture.source
    svg = picture.svg()
    assert picture_module.svg_width_px(svg) <= 900
    asked = draw_graph(a, max_width=None)
    assert asked.layout == "as asked" and 'rankdir="LR"' in asked.source
    frames = backward_frames(a)
    assert frames.rankdir == "TB" and frames[0].picture.layout == "top to bottom"


def test_without_graphviz_source_is_as_asked_and_layout_says_why(monkeypatch, tmp_path):
    no_graphviz(monkeypatch, tmp_path)
    picture = draw_graph(wide_neuron())
    assert 'rankdir="LR"' in picture.source
    assert picture.layout.startswith("as asked (not fitted") and "GraphvizNotFoundError" in picture.layout


# ------------------------------------------------------------------ item 18: naming in print(step)
def test_print_step_names_every_unlabelled_value_apart():
    a, _w1 = ten_lines()
    steps = list(a.backward_steps())
    heads = [str(step).splitlines()[0].split(":")[0] for step in steps]
    assert len(set(heads)) == len(heads) == 5
    assert heads[1] != heads[2]  # the two '+' nodes of the README example
    assert all(re.fullmatch(r"#\d+ \((tanh|\+|\*)\)", head) for head in heads)
    frames = backward_frames(ten_lines()[0])
    for step in frames.steps:  # the same number as the step-through pictures
        assert step.name(step.node).startswith(frames.name(step.node) + " (")


@st.composite
def unlabelled_graphs(draw):
    leaves = [Value(draw(st.sampled_from([0.5, -1.0, 2.0]))) for _ in range(3)]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 10))):
        i, j = draw(st.integers(0, len(nodes) - 1)), draw(st.integers(0, len(nodes) - 1))
        op = draw(st.sampled_from(["+", "*", "tanh"]))
        a, b = nodes[i], nodes[j]
        nodes.append(a + b if op == "+" else a * b if op == "*" else a.tanh())
    return nodes[-1]


@settings(max_examples=60, deadline=None)
@given(root=unlabelled_graphs())
def test_step_names_are_one_to_one_with_values(root):
    named: dict[str, int] = {}
    for step in root.backward_steps():
        for value in (step.node, *step.node.parents):
            name = step.name(value)
            assert named.setdefault(name, id(value)) == id(value), f"{name} names two Values"
        assert str(step).splitlines()[0].startswith(step.name(step.node) + ":")
    assert len(named) == (len(topological_order(root)) if root.parents else 0)  # every Value named
