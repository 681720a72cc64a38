"""Pictures of the graph (autograd.graph): numbers in the SVG, backends, saving, step-through frames.

Expected numbers are worked out by hand (or with ``math``) in each test, never read back
from the code under test.  The SVG is parsed as XML.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import unicodedata
import warnings
import xml.etree.ElementTree as ET

import pytest
from graphs import tanh_neuron
from hypothesis import example, given, settings
from hypothesis import strategies as st

from autograd import Value, backward_steps, dot
from autograd.graph import (
    GraphLayoutWarning,
    GraphTooLargeError,
    GraphvizNotFoundError,
    RenderError,
    backward_frames,
    draw_graph,
)
from autograd.graph import render as render_module

SVG = "{http://www.w3.org/2000/svg}"


def g4(x: float) -> str:
    """Four significant digits, the precision the pictures promise."""
    return f"{x:.4g}"


# ----------------------------------------------------------------- SVG reading helpers
def svg_groups(svg: str, kind: str) -> list[dict]:
    """Each <g class="node ..."> (kind='node') or edge: its title, classes, texts and stroke colours."""
    root = ET.fromstring(svg)
    groups = []
    for g in root.iter(f"{SVG}g"):
        classes = g.get("class", "").split()
        if kind not in classes:
            continue
        strokes = {el.get("stroke") for el in g if el.tag in (f"{SVG}path", f"{SVG}polygon", f"{SVG}ellipse")}
        groups.append(
            {
                "id": g.get("id"),
                "title": g.find(f"{SVG}title").text,
                "classes": set(classes),
                "texts": [t.text.strip() for t in g.iter(f"{SVG}text") if t.text],
                "strokes": strokes,
            }
        )
    return groups


def value_boxes(svg: str) -> list[dict]:
    return [g for g in svg_groups(svg, "node") if "value" in g["classes"]]


def box_of(svg: str, label: str) -> dict:
    """The drawn box whose first text is ``label``."""
    boxes = [g for g in value_boxes(svg) if g["texts"] and g["texts"][0] == label]
    assert len(boxes) == 1, f"expected one box labelled {label!r}, found {len(boxes)}"
    return boxes[0]


def labelled_edges(svg: str) -> list[dict]:
    """Each edge parent -> op as drawn: 'edge' ('v0->v5op'), its classes and its label lines.

    An edge's chain rule is a label node ('e5_0lab') between the two: v0 -> e5_0lab -> v5op.
    """
    labels = {g["title"]: g for g in svg_groups(svg, "node") if "edge-label" in g["classes"]}
    edges = []
    for g in svg_groups(svg, "edge"):
        parent, _, head = g["title"].partition("->")
        if head in labels:  # the first half of a labelled edge
            child = head.split("_")[0][1:]
            edges.append(
                {"edge": f"{parent}->v{child}op", "classes": g["classes"], "texts": labels[head]["texts"]}
            )
        elif head.endswith("op") and not parent.startswith("e"):  # an edge drawn without a label
            edges.append({"edge": g["title"], "classes": g["classes"], "texts": g["texts"]})
    return edges


def edge_texts(svg: str) -> dict[str, list[str]]:
    """Edge 'v0->v5op' -> its label lines."""
    return {e["edge"]: e["texts"] for e in labelled_edges(svg)}


# ----------------------------------------------------------------- a 2-input tanh neuron (tests/graphs.py)
# By hand: z = -6 + 0 + 6 + asinh(1) = asinh(1); a = tanh(asinh 1) = 1/√2; da/dz = 1 - a² = 1/2.
# da/dw1 = x1/2 = 1, da/dx1 = w1/2 = -1.5, da/dw2 = x2/2 = 0, da/dx2 = w2/2 = 0.5, da/db = 0.5.
NEURON_DATA = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6 + math.asinh(1.0),
               "z": math.asinh(1.0), "a": 1 / math.sqrt(2)}  # fmt: skip
NEURON_GRADS = {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5, "z": 0.5, "a": 1.0}


def test_every_value_appears_with_its_data_and_grad():
    v = tanh_neuron()
    v["a"].backward()
    svg = draw_graph(v["a"]).svg()
    assert len(value_boxes(svg)) == 7
    for name in NEURON_DATA:
        texts = box_of(svg, name)["texts"]
        assert f"data {g4(NEURON_DATA[name])}" in texts, (name, texts)
        assert f"grad {g4(NEURON_GRADS[name])}" in texts, (name, texts)


def test_ops_are_drawn_as_bubbles():
    v = tanh_neuron()
    svg = draw_graph(v["a"]).svg()
    ops = sorted(t for g in svg_groups(svg, "node") if "op" in g["classes"] for t in g["texts"])
    assert ops == ["dot", "tanh"]


def test_edges_carry_local_times_upstream_equals_contribution():
    v = tanh_neuron()
    v["a"].backward()
    svg = draw_graph(v["a"]).svg()
    title_of = {box["texts"][0]: box["title"] for box in value_boxes(svg)}
    edges = edge_texts(svg)
    # ∂z/∂w1 = x1 = 2, upstream dz = 0.5, contribution 1; ∂z/∂x1 = w1 = -3 -> -1.5; ∂a/∂z = 0.5.
    expected = {
        ("w1", "z"): ["local 2", "× 0.5", "= 1"],
        ("x1", "z"): ["local -3", "× 0.5", "= -1.5"],
        ("x2", "z"): ["local 1", "× 0.5", "= 0.5"],
        ("b", "z"): ["local 1", "× 0.5", "= 0.5"],
        ("z", "a"): ["local 0.5", "× 1", "= 0.5"],
    }
    for (parent, child), lines in expected.items():
        assert edges[f"{title_of[parent]}->{title_of[child]}op"] == lines


def test_fan_out_shows_the_sum_of_contributions():
    c = Value(3.0, "c")
    d = c * c + c.tanh()
    d.backward()
    svg = draw_graph(d).svg()
    tanh_slope = 1 - math.tanh(3.0) ** 2  # ∂tanh(c)/∂c
    expected = f"grad {g4(6 + tanh_slope)} = 3 + 3 + {g4(tanh_slope)}"
    assert expected in box_of(svg, "c")["texts"]


def test_duplicate_parents_get_one_edge_each():
    a = Value(4.0, "a")
    y = a + a
    y.label = "y"
    y.backward()
    svg = draw_graph(y).svg()
    labels = [e["texts"] for e in labelled_edges(svg)]
    assert labels == [["local 1", "× 1", "= 1"], ["local 1", "× 1", "= 1"]]
    assert "grad 2 = 1 + 1" in box_of(svg, "a")["texts"]


def test_edge_labels_appear_by_default_only_after_backward():
    v = tanh_neuron()
    before = draw_graph(v["a"]).svg()
    assert not any("local" in t for texts in edge_texts(before).values() for t in texts)
    forced = draw_graph(v["a"], edge_labels=True).svg()
    assert any(t == "local 2" for texts in edge_texts(forced).values() for t in texts)
    v["a"].backward()
    after = draw_graph(v["a"]).svg()
    assert any(texts[1:] == ["× 0.5", "= 1"] for texts in edge_texts(after).values())
    hidden = draw_graph(v["a"], edge_labels=False).svg()
    assert not any(texts for texts in edge_texts(hidden).values())


def test_leaves_parameters_and_output_are_styled_apart():
    v = tanh_neuron()
    svg = draw_graph(v["a"], params=[v["w1"], v["w2"], v["b"]]).svg()
    kinds = {name: box_of(svg, name)["classes"] for name in NEURON_DATA}
    assert {"param"} <= kinds["w1"] and {"param"} <= kinds["b"]
    assert {"leaf"} <= kinds["x1"] and "param" not in kinds["x1"]
    assert {"output"} <= kinds["a"]
    assert {"inner"} <= kinds["z"]
    fills = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if "value" in g.get("class", "").split():
            label = next(t.text for t in g.iter(f"{SVG}text"))
            fills[label] = {el.get("fill") for el in g if el.tag in (f"{SVG}path", f"{SVG}polygon")}
    assert len({frozenset(fills[n]) for n in ("x1", "w1", "z", "a")}) == 4  # four different looks


def test_group_tag_makes_a_leaf_a_parameter_and_draws_a_cluster():
    v = tanh_neuron()
    for name in ("w1", "w2", "b", "z", "a"):
        v[name].group = "neuron 1"
    picture = draw_graph(v["a"])
    svg = picture.svg()
    assert "param" in box_of(svg, "w1")["classes"]
    clusters = svg_groups(svg, "cluster")
    assert [c["texts"] for c in clusters] == [["neuron 1"]]
    pygraphviz = pytest.importorskip("pygraphviz")
    graph = pygraphviz.AGraph(string=picture.source)
    (cluster,) = graph.subgraphs()
    labels_inside = {box_of(svg, name)["title"] for name in ("w1", "w2", "b", "z", "a")}
    assert labels_inside <= set(cluster.nodes())
    assert box_of(svg, "x1")["title"] not in cluster.nodes()


def test_highlight_draws_chosen_values_distinctly():
    v = tanh_neuron()
    svg = draw_graph(v["a"], highlight=[v["z"], v["w2"]]).svg()
    highlighted = {box["texts"][0] for box in value_boxes(svg) if "highlight" in box["classes"]}
    assert highlighted == {"z", "w2"}
    assert box_of(svg, "z")["strokes"] != box_of(svg, "x1")["strokes"]
    with pytest.raises(ValueError, match="highlight"):
        draw_graph(v["z"], highlight=v["a"])  # a is not in z's graph


def test_unlabelled_values_still_show_their_numbers():
    x = Value(0.5)
    y = (x * 4).exp()  # constant leaf 4, product 2, exp(2)
    y.backward()
    svg = draw_graph(y).svg()
    texts = [t for box in value_boxes(svg) for t in box["texts"]]
    for data in (0.5, 4.0, 2.0, math.exp(2.0)):
        assert f"data {g4(data)}" in texts
    # dy/dx = 4·e², dy/d4 = 0.5·e², dy/d(x·4) = e²
    for grad in (4 * math.exp(2), 0.5 * math.exp(2), math.exp(2), 1.0):
        assert f"grad {g4(grad)}" in texts


def test_bad_arguments_are_named():
    v = tanh_neuron()
    with pytest.raises(TypeError, match="root"):
        draw_graph(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(v["a"], rankdir="sideways")
    with pytest.raises(TypeError, match=r"highlight\[0\]"):
        draw_graph(v["a"], highlight=["z"])


# ----------------------------------------------------------------- big graphs
def chain(n: int) -> Value:
    y = Value(1.0, "x")
    for _ in range(n - 1):
        y = y * 1.0001
    return y


def test_a_graph_over_the_limit_is_refused_with_advice():
    y = chain(300)  # 300 products + 299 constants + x = 599 Values
    with pytest.raises(GraphTooLargeError) as info:
        draw_graph(y)
    message = str(info.value)
    assert "400" in message and "draw_graph(node)" in message and "collapse_groups=True" in message
    assert draw_graph(y, max_nodes=600).source.count('class="value') == 599


def test_a_huge_graph_is_refused_without_walking_all_of_it():
    y = chain(200_000)
    with pytest.raises(GraphTooLargeError):
        draw_graph(y)


def test_collapse_groups_draws_one_box_per_group():
    xs = [Value(float(i), f"x{i}") for i in range(3)]
    outputs = []
    for n in range(3):
        ws = [Value(0.1 * (n + i), f"w{n}{i}") for i in range(3)]
        z = dot(ws, xs)
        a = z.tanh()
        for value in (*ws, z, a):
            value.group = f"N{n}"
        outputs.append(a)
    y = outputs[0] + outputs[1] + outputs[2]
    svg = draw_graph(y, collapse_groups=True).svg()
    groups = [g for g in svg_groups(svg, "node") if "group" in g["classes"]]
    assert sorted(g["texts"][0] for g in groups) == ["N0", "N1", "N2"]
    assert all(g["texts"][1] == "5 values (3 parameters)" for g in groups)
    # 3 inputs feed each group; each group feeds the first or second '+'.
    assert len(svg_groups(svg, "edge")) == 9 + 3 + 1
    with pytest.raises(GraphTooLargeError, match="boxes"):
        draw_graph(y, collapse_groups=True, max_nodes=4)


# ----------------------------------------------------------------- saving
@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF"), (".svg", b"<?xml")]
)
def test_save_picks_the_format_from_the_suffix(tmp_path, suffix, magic):
    v = tanh_neuron()
    v["a"].backward()
    path = draw_graph(v["a"]).save(tmp_path / f"neuron{suffix}")
    assert path.read_bytes().startswith(magic)
    assert os.listdir(tmp_path) == [f"neuron{suffix}"]  # no temporary file left behind


def test_save_refuses_an_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"'\.jpg'.*\.dot"):
        draw_graph(Value(1.0)).save(tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="''"):
        draw_graph(Value(1.0)).save(tmp_path / "g")


def test_a_failed_render_leaves_an_existing_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "g.png"
    target.write_bytes(b"the old picture")

    def broken_render(source, fmt, values=None):
        raise RenderError("simulated Graphviz failure")

    monkeypatch.setattr("autograd.graph.picture.render", broken_render)
    with pytest.raises(RenderError):
        draw_graph(Value(1.0)).save(target)
    assert target.read_bytes() == b"the old picture"
    assert os.listdir(tmp_path) == ["g.png"]


def test_a_failed_write_leaves_an_existing_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "g.svg"
    target.write_bytes(b"the old picture")
    picture = draw_graph(Value(1.0))
    picture.svg()

    def failing_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("autograd.graph.picture.os.replace", failing_replace)
    with pytest.raises(OSError, match="simulated"):
        picture.save(target)
    assert target.read_bytes() == b"the old picture"
    assert os.listdir(tmp_path) == ["g.svg"]


def test_jupyter_gets_svg():
    bundle = draw_graph(tanh_neuron()["a"])._repr_mimebundle_()
    ET.fromstring(bundle["image/svg+xml"])  # well-formed XML
    assert "text/plain" in bundle


# ----------------------------------------------------------------- backends
def test_pygraphviz_backend_renders(monkeypatch):
    pytest.importorskip("pygraphviz")
    monkeypatch.setenv(render_module.BACKEND_ENV, "pygraphviz")
    assert render_module.choose_backend() == "pygraphviz"
    svg = draw_graph(tanh_neuron()["a"]).svg()
    assert len(value_boxes(svg)) == 7


def test_dot_program_backend_renders(monkeypatch):
    if shutil.which("dot") is None:
        pytest.skip("no Graphviz `dot` program on PATH (apt install graphviz to run this test)")
    monkeypatch.setenv(render_module.BACKEND_ENV, "dot")
    assert render_module.choose_backend() == "dot"
    svg = draw_graph(tanh_neuron()["a"]).svg()
    assert len(value_boxes(svg)) == 7
    assert render_module.render("digraph { a -> b }", "png").startswith(b"\x89PNG")


def test_without_dot_on_path_it_falls_back_to_pygraphviz(monkeypatch, tmp_path):
    pytest.importorskip("pygraphviz")
    monkeypatch.delenv(render_module.BACKEND_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` anywhere
    assert shutil.which("dot") is None
    assert render_module.choose_backend() == "pygraphviz"
    draw_graph(Value(2.0, "x")).save(tmp_path / "x.png")
    assert (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")


def test_with_neither_backend_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv(render_module.BACKEND_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # makes `import pygraphviz` fail
    picture = draw_graph(Value(2.0, "x"))
    assert "digraph" in picture.source  # the DOT text needs no Graphviz
    with pytest.raises(GraphvizNotFoundError) as info:
        picture.svg()
    message = str(info.value)
    assert "pip install 'pygraphviz>=2.0.4'" in message and "apt install graphviz" in message
    # Jupyter gets the message as text instead of a traceback.
    bundle = picture._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "pip install" in bundle["text/plain"]
    target = tmp_path / "x.png"
    target.write_bytes(b"old")
    with pytest.raises(GraphvizNotFoundError):
        picture.save(target)
    assert target.read_bytes() == b"old"


def test_forcing_a_missing_or_unknown_backend_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv(render_module.BACKEND_ENV, "dot")
    with pytest.raises(GraphvizNotFoundError, match="no `dot` program"):
        render_module.choose_backend()
    monkeypatch.setenv(render_module.BACKEND_ENV, "cairo")
    with pytest.raises(ValueError, match="'cairo'"):
        render_module.choose_backend()


def test_render_errors_are_reported():
    pytest.importorskip("pygraphviz")
    with pytest.raises(RenderError):
        render_module._render_with_pygraphviz("digraph { a -> }", "svg")


def test_a_local_derivative_that_fails_is_drawn_not_raised():
    x = Value(2.0, "x")
    y = x.log()
    x.data = 0.0  # log_local now divides by zero
    svg = draw_graph(y, edge_labels=True).svg()
    assert ["local: ZeroDivisionError"] in edge_texts(svg).values()


# ----------------------------------------------------------------- step-through frames
def test_frames_follow_backward_steps_and_leave_the_same_grads():
    v = tanh_neuron()
    frames = backward_frames(v["a"])
    assert [frame.node for frame in frames] == [v["a"], v["z"]]
    for name, grad in NEURON_GRADS.items():
        assert v[name].grad == pytest.approx(grad)


def test_frame_k_highlights_node_k_with_the_grads_of_that_moment():
    v = tanh_neuron()
    frames = backward_frames(v["a"])
    # Step 1 (a = tanh z): only z has received its grad; the leaves are still at 0.
    # Step 2 (z = dot): every leaf has received its contribution.
    expected = [
        ("a", {"z": 0.5, "w1": 0.0, "x1": 0.0, "w2": 0.0, "x2": 0.0, "b": 0.0, "a": 1.0}),
        ("z", NEURON_GRADS),
    ]
    for k, (current, grads) in enumerate(expected):
        svg = frames[k].svg()
        highlighted = [box for box in value_boxes(svg) if "current" in box["classes"]]
        assert [box["texts"][0] for box in highlighted] == [current]
        for name, grad in grads.items():
            assert f"grad {g4(grad)}" in box_of(svg, name)["texts"], (k, name)
            assert frames[k].grads[v[name]] == pytest.approx(grad)


def test_frames_mark_pending_nodes_and_current_edges():
    v = tanh_neuron()
    frames = backward_frames(v["a"])
    first, last = frames[0].svg(), frames[1].svg()
    assert {b["texts"][0] for b in value_boxes(first) if "pending" in b["classes"]} == {
        "z", "w1", "w2", "x1", "x2", "b"}  # fmt: skip
    assert not [b for b in value_boxes(last) if "pending" in b["classes"]]
    # Frame 1: the edge z -> tanh carries the step; the five edges into dot wait (local only).
    edges = labelled_edges(first)
    current = [e for e in edges if "edge-current" in e["classes"]]
    idle = [e for e in edges if "edge-idle" in e["classes"]]
    assert [e["texts"] for e in current] == [["local 0.5", "× 1", "= 0.5"]]
    # ∂z/∂(w1, w2, x1, x2, b) = (x1, x2, w1, w2, 1) = (2, 0, -3, 1, 1), no contribution yet.
    assert sorted(e["texts"] for e in idle) == sorted(
        [["local 2"], ["local 0"], ["local -3"], ["local 1"], ["local 1"]]
    )


def test_partial_sums_show_while_a_fan_out_is_still_accumulating():
    c = Value(3.0, "c")
    d = c * c + c.tanh()
    d.label = "d"
    frames = backward_frames(d)
    tanh_slope = 1 - math.tanh(3.0) ** 2
    received = 0.0
    for frame in frames:
        # Each step adds its contributions to c: 3 + 3 from c·c, tanh′(3) from tanh(c).
        if frame.node.op == "*":
            received += 6.0
        elif frame.node.op == "tanh":
            received += tanh_slope
        texts = box_of(frame.svg(), "c")["texts"]
        assert any(t.startswith(f"grad {g4(received)}") for t in texts), (frame.index, texts)
    assert c.grad == pytest.approx(6 + tanh_slope)


def test_frame_text_names_node_upstream_and_terms():
    v = tanh_neuron()
    text = backward_frames(v["a"])[1].text
    assert "node: z = dot(w1, w2, x1, x2, b)" in text
    assert "upstream: ∂a/∂z = 0.5" in text
    assert "w1: 2 × 0.5 = 1" in text and "x1: -3 × 0.5 = -1.5" in text


def test_frames_need_a_graph_and_refuse_bad_input():
    with pytest.raises(ValueError, match="leaf"):
        backward_frames(Value(1.0))
    with pytest.raises(TypeError, match="Value"):
        backward_frames(1.0)
    with pytest.raises(GraphTooLargeError):
        backward_frames(chain(300))
    with pytest.raises(IndexError, match="2 steps"):
        backward_frames(tanh_neuron()["a"])[2]


def test_widget_viewer_follows_its_slider():
    pytest.importorskip("ipywidgets")
    v = tanh_neuron()
    viewer = backward_frames(v["a"]).viewer()
    assert viewer.value == 0 and "∂a/∂a" in viewer.panel.value
    first_picture = viewer.picture.value
    viewer.next_button.click()
    assert viewer.value == 1 and "∂a/∂z" in viewer.panel.value
    assert viewer.picture.value != first_picture
    viewer.next_button.click()  # already at the last step: stays
    assert viewer.value == 1
    viewer.slider.value = 0
    assert "∂a/∂a" in viewer.panel.value
    viewer.prev_button.click()
    assert viewer.value == 0


def test_plain_fallback_shows_frame_n_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    frames = backward_frames(tanh_neuron()["a"])
    bundle = frames._repr_mimebundle_()
    ET.fromstring(bundle["image/svg+xml"])
    assert "step 1 of 2" in bundle["text/plain"] and "ipywidgets" in bundle["text/plain"]
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        frames.viewer()
    one = frames[1]._repr_mimebundle_()
    assert "step 2 of 2" in one["text/plain"] and "step 2 of 2" in one["text/html"]
    assert "<svg" in one["text/html"]


def test_save_html_writes_one_self_contained_page(tmp_path):
    frames = backward_frames(tanh_neuron()["a"])
    path = frames.save_html(tmp_path / "steps.html")
    page = path.read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == ["steps.html"]
    assert page.count('<section class="frame"') == 2 and page.count("<svg") == 2
    assert 'type="range"' in page and 'id="prev"' in page and 'id="next"' in page
    assert "ArrowRight" in page
    for needle in ("<link", " src=", 'href="http', "@import", "url("):
        assert needle not in page, needle
    # Each frame's SVG is well-formed XML with frame-specific ids.
    start = page.index("<svg")
    ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    assert 'id="f0_v' in page and 'id="f1_v' in page


# ----------------------------------------------------------------- debugger and tracebacks
def test_a_failing_local_derivative_is_named_in_the_traceback():
    x = Value(2.0, "x")
    y = x.log()
    x.data = 0.0  # log_local computes 1 / x.data during backward
    with pytest.raises(ZeroDivisionError) as info:
        y.backward()
    names = [entry.name for entry in info.traceback]
    assert names[-1] == "log_local"
    assert "<lambda>" not in names


def test_the_same_failure_during_step_through_names_the_op_too():
    a, b = Value(1.0, "a"), Value(4.0, "b")
    y = a / b
    b.data = 0.0  # div_local divides by b.data
    with pytest.raises(ZeroDivisionError) as info:
        backward_frames(y)
    names = [entry.name for entry in info.traceback]
    assert names[-1] == "div_local" and "<lambda>" not in names


def test_step_records_name_their_parts_for_a_debugger():
    v = tanh_neuron()
    steps = list(backward_steps(v["a"]))
    assert steps[0].node is v["a"] and steps[0].upstream == 1.0
    ((parent, local, contribution),) = steps[0].terms
    assert parent is v["z"] and local == pytest.approx(0.5) and contribution == pytest.approx(0.5)


# ----------------------------------------------------------------- hostile and odd names
HOSTILE = '<x> URL="javascript:alert(document.cookie)" label=<y>'
SVG_TAGS = {f"{SVG}{t}" for t in ("svg", "g", "title", "polygon", "path", "ellipse", "text", "polyline")}


def assert_inert_svg(svg: str) -> ET.Element:
    """Well-formed SVG made only of shapes and text: no link, no script, no attribute with a URL."""
    root = ET.fromstring(svg)
    for element in root.iter():
        assert element.tag in SVG_TAGS, element.tag
        for name, value in element.attrib.items():
            assert "href" not in name.lower(), (name, value)
            assert "javascript" not in value.lower() or name == "aria-label", (element.tag, name, value)
    return root


def cluster_texts(svg: str) -> list[list[str]]:
    return [c["texts"] for c in svg_groups(svg, "cluster")]


def test_a_hostile_group_name_is_drawn_as_text_and_never_becomes_a_link(tmp_path):
    x = Value(3.0, "x")
    x.group = HOSTILE
    y = x * x
    y.backward()
    svg = draw_graph(y).svg()
    assert_inert_svg(svg)
    assert cluster_texts(svg) == [[HOSTILE]]  # shown exactly as written
    page = backward_frames(y).save_html(tmp_path / "steps.html").read_text(encoding="utf-8")
    assert "<a " not in page and "href" not in page and 'URL="javascript' not in page
    assert "&lt;x&gt; URL=&quot;javascript:alert(document.cookie)&quot; label=&lt;y&gt;" in page


def test_hostile_neuron_names_from_nn_are_drawn_as_text():
    import nn

    neuron = nn.Neuron(2, name=HOSTILE)
    a = neuron([1.0, 2.0])
    a.backward()
    for svg in (draw_graph(a).svg(), draw_graph(a, collapse_groups=True).svg()):
        assert_inert_svg(svg)
        drawn = svg_groups(svg, "node") + svg_groups(svg, "cluster")
        assert HOSTILE in {text for g in drawn for text in g["texts"]}


@pytest.mark.parametrize("name", ["neuron\\", 'a"b', "\\N \\G \\n", "x&amp;y", "]]>", "]", "{}; }", "<!--"])
def test_backslashes_quotes_and_dot_syntax_in_names_are_drawn_as_written(name):
    x = Value(2.0, name)
    x.group = name
    y = x.tanh()
    y.label = name
    svg = draw_graph(y).svg()
    assert_inert_svg(svg)
    assert cluster_texts(svg) == [[name]]
    assert [b["texts"][0] for b in value_boxes(svg)] == [name, name]


@pytest.mark.parametrize(("label", "drawn"), [("a\x01b", "a\\x01b"), ("a\x00b", "a\\x00b"),
                                               ("a\nb", "a\\nb"), ("a\u2028b", "a\\u2028b"),
                                               ("a\ud800b", "a\\ud800b"),
                                               ("a\uffffb", "a\\uffffb")])  # fmt: skip
def test_control_characters_are_drawn_visibly_escaped(label, drawn, monkeypatch):
    for backend in ("dot", "pygraphviz"):
        monkeypatch.setenv(render_module.BACKEND_ENV, backend)
        x = Value(1.0, "x")
        y = x * 2.0
        y.label = label
        y.group = label
        svg = draw_graph(y).svg()
        assert_inert_svg(svg)
        assert box_of(svg, drawn)["texts"][1] == "data 2"  # the box is there, with its numbers
        assert cluster_texts(svg) == [[drawn]]


def test_a_label_that_is_not_a_str_is_drawn_as_its_str():
    x = Value(1.0)
    with pytest.raises(TypeError, match="label"):
        x.label = 5  # the engine refuses it at once ...
    Value._label.__set__(x, 5)  # ... and the picture copes with one forced into the slot
    assert box_of(draw_graph(x * 1.0).svg(), "5")["texts"][1] == "data 1"


def test_a_very_long_name_is_cut_visibly():
    x = Value(1.0, "w" * 500)
    (box,) = value_boxes(draw_graph(x).svg())
    assert box["texts"][0] == "w" * 79 + "…"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
@example("0" * 13 + "\x1f" * 5 + "\x08\u05c8\U00010b92\U00010fcc\U0001239a\U0001239a\U00013456\U0001b2fc", "")
def test_any_label_and_group_give_inert_svg_with_the_name_shown(label, group):
    x = Value(1.0, label)
    x.group = group
    # max_width=None: a long label can make the picture too wide, and the width budget would
    # then draw the group as one box, without the label this test looks for
    svg = draw_graph(x.exp(), max_width=None).svg()
    assert_inert_svg(svg)
    shown = {" ".join(t.split()) for b in value_boxes(svg) for t in b["texts"]}
    expected = " ".join(visible_text(label).split())
    assert not expected or expected in shown


def visible_text(s: str) -> str:
    """What the picture promises to show for a name: control characters as Python escapes."""
    return "".join(
        ch.encode("unicode_escape").decode()
        if unicodedata.category(ch) in ("Cc", "Cs", "Cn", "Zl", "Zp")
        else ch
        for ch in s
    )


# ----------------------------------------------------------------- bad arguments, huge graphs
@pytest.mark.parametrize("bad", ["10", -1, 0, 2.5, True, None])
def test_max_nodes_must_be_a_positive_int(bad):
    v = tanh_neuron()
    for call in (draw_graph, backward_frames):
        with pytest.raises((TypeError, ValueError), match="max_nodes") as info:
            call(v["a"], max_nodes=bad)
        assert repr(bad) in str(info.value) or str(bad) in str(info.value)


@pytest.mark.parametrize(("argument", "bad"), [("max_width", 50), ("max_width", "wide"), ("theme", "blue"),
                                               ("edge_labels", "yes")])  # fmt: skip
def test_other_bad_options_are_named(argument, bad):
    v = tanh_neuron()
    for call in (draw_graph, backward_frames):
        with pytest.raises((TypeError, ValueError), match=argument):
            call(v["a"], **{argument: bad})


def test_a_graph_too_big_for_graphviz_is_refused_whatever_max_nodes_says():
    y = chain(12_000)  # 23,999 Values
    with pytest.raises(GraphTooLargeError, match="10000") as info:
        draw_graph(y, max_nodes=10**6)
    assert "collapse_groups=True" in str(info.value)
    with pytest.raises(GraphTooLargeError):
        backward_frames(y, max_nodes=10**6)


def test_a_slow_layout_is_announced_with_its_estimate():
    with pytest.warns(GraphLayoutWarning, match=r"2999 Values\) will take about \d+ s"):
        draw_graph(chain(1500), max_nodes=5000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a picture that lays out in under 10 s: no warning
        draw_graph(chain(500), max_nodes=5000)


def test_a_crash_inside_graphviz_is_an_error_not_the_end_of_python():
    crash = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    with pytest.raises(RenderError, match="SIGSEGV") as info:
        render_module._run(crash, "digraph { a }", "crash test")
    assert "draw_graph(node)" in str(info.value)


def test_pygraphviz_lays_out_big_graphs_in_a_child_process(monkeypatch):
    pygraphviz = pytest.importorskip("pygraphviz")
    monkeypatch.setenv(render_module.BACKEND_ENV, "pygraphviz")

    def not_here(*args, **kwargs):
        raise AssertionError("laid out in this process")

    source = draw_graph(tanh_neuron()["a"]).source
    monkeypatch.setattr(pygraphviz, "AGraph", not_here)
    svg = render_module.render(source, "svg", values=render_module.IN_PROCESS_MAX + 1).decode()
    assert len(value_boxes(svg)) == 7
    with pytest.raises(RenderError, match="laid out in this process"):  # a small one stays in-process
        render_module.render(source, "svg", values=7)


# ----------------------------------------------------------------- layout that reads
def shapes_box(g: ET.Element) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) around every point of the polygons and paths of one <g>."""
    xs, ys = [], []
    for el in g:
        if el.tag == f"{SVG}polygon":
            for pair in el.get("points").split():
                x, y = pair.split(",")
                xs.append(float(x))
                ys.append(float(y))
        elif el.tag == f"{SVG}path":
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", el.get("d"))]
            xs += numbers[0::2]
            ys += numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def text_boxes(g: ET.Element) -> list[tuple[float, float, float, float]]:
    """Around each <text>: its width estimated at 0.6 em a character (the monospace font)."""
    boxes = []
    for t in g.iter(f"{SVG}text"):
        size, x, y = float(t.get("font-size")), float(t.get("x")), float(t.get("y"))
        width = 0.6 * size * len(t.text or "")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[t.get("text-anchor", "start")]
        boxes.append((left, y - size, left + width, y + 0.25 * size))
    return boxes


def inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def apart(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def elementary_neuron_cost():
    """One sigmoid neuron made of separate * and + nodes (as `python -m nn` draws it), and its cost."""
    import nn

    neuron = nn.Neuron(2, activation="sigmoid", seed=0, name="neuron", elementary=True)
    cost = nn.quadratic_cost(neuron([0.5, -1.0]), 1.0)
    cost.label = "C"
    cost.backward()
    return neuron, cost


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_a_neurons_products_and_sums_sit_inside_its_cluster(rankdir):
    neuron, cost = elementary_neuron_cost()
    svg = draw_graph(cost, rankdir, max_width=None).svg()
    root = ET.fromstring(svg)
    (cluster,) = [g for g in root.iter(f"{SVG}g") if "cluster" in g.get("class", "").split()]
    border = shapes_box(cluster)
    boxes = {g.get("id"): g for g in root.iter(f"{SVG}g") if "value" in g.get("class", "").split()}
    # Everything from the weights to a: w1, w2, b, the 2 products w·x, their sum, z = sum + b, a.
    z = neuron.z
    inner = {id(v) for v in (z, neuron.a, *neuron.w, neuron.b)}
    inner |= {id(p) for p in z.parents} | {id(q) for p in z.parents for q in p.parents if q.parents}
    assert len(inner) == 8
    order = {id(v): i for i, v in enumerate(_drawn(cost))}
    for value_id, i in order.items():
        drawn = shapes_box(boxes[f"v{i}"])
        assert inside(drawn, border) == (value_id in inner), i


def _drawn(root):
    from autograd.graph.scene import collect_values

    return collect_values([root])


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_no_edge_label_is_cut_by_a_cluster_border(rankdir):
    _neuron, cost = elementary_neuron_cost()
    root = ET.fromstring(draw_graph(cost, rankdir, max_width=None).svg())
    (cluster,) = [g for g in root.iter(f"{SVG}g") if "cluster" in g.get("class", "").split()]
    border = shapes_box(cluster)
    labels = [
        box
        for g in root.iter(f"{SVG}g")
        if {"edge", "edge-label"} & set(g.get("class", "").split())
        for box in text_boxes(g)
    ]
    assert len(labels) == 3 * 14  # 14 edges, three lines each
    width = float(root.get("viewBox").split()[2]) - 4  # Graphviz shifts the drawing 4 pt right
    for box in labels:
        assert inside(box, border) or apart(box, border), box
        assert -4 <= box[0] and box[2] <= width, box  # and none runs off the picture


def test_groups_are_drawn_in_numeric_order():
    import nn

    model = nn.MLP(2, [12, 1], seed=0)
    y = model([0.5, -1.0])
    svg = draw_graph(y, collapse_groups=True, max_width=None).svg()
    tops = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if "group" in g.get("class", "").split():
            tops[next(g.iter(f"{SVG}text")).text] = shapes_box(g)[1]
    layer1 = sorted((name for name in tops if name.startswith("L1.")), key=lambda name: tops[name])
    assert layer1 == [f"L1.N{j}" for j in range(12)]  # N2 above N10, as counted


def test_a_picture_too_wide_for_the_budget_is_laid_out_top_to_bottom(tmp_path):
    y = chain(12)  # 23 Values in a row: far wider than 900 px from left to right
    wide = draw_graph(y, max_width=None)
    assert wide.svg().count('class="node value') == 23
    assert svg_width_px(wide.svg()) > 2000
    fitted = draw_graph(y)  # the default budget: 900 px
    assert svg_width_px(fitted.svg()) <= 900
    assert 'rankdir="TB"' in fitted._chosen().source and fitted._chosen().layout == "top to bottom"
    fitted.save(tmp_path / "fitted.dot")  # the DOT text of what is drawn
    assert (tmp_path / "fitted.dot").read_text(encoding="utf-8") == fitted._chosen().source
    png = fitted.pipe("png")
    assert int.from_bytes(png[16:20], "big") <= 900  # the PNG's width field
    bundle = fitted._repr_mimebundle_()
    assert svg_width_px(bundle["image/svg+xml"]) <= 900


def test_a_picture_that_fits_keeps_its_direction():
    picture = draw_graph(tanh_neuron()["a"])
    assert svg_width_px(picture.svg()) <= 900 and 'rankdir="LR"' in picture.source
    assert picture._chosen() is picture


def test_every_text_uses_one_monospace_font():
    svg = draw_graph(tanh_neuron()["a"], edge_labels=True).svg()
    families = {t.get("font-family") for t in ET.fromstring(svg).iter(f"{SVG}text")}
    (family,) = families
    assert family.endswith("monospace") and "Courier" in family
    assert 'fontname="Courier"' in draw_graph(tanh_neuron()["a"]).source  # the metrics Graphviz used


def svg_width_px(svg: str) -> float:
    width = ET.fromstring(svg).get("width")
    assert width.endswith("pt")
    return float(width[:-2]) * 96 / 72


# ----------------------------------------------------------------- accessibility
def test_current_and_pending_differ_by_line_style_not_only_colour():
    frames = backward_frames(tanh_neuron()["a"])
    root = ET.fromstring(frames[0].svg())
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    current = [g for g in groups.values() if "current" in g.get("class", "").split()]
    pending = [
        g for g in groups.values() if "pending" in g.get("class", "").split() and "node" in g.get("class")
    ]
    (now,) = current
    outlines = [el for el in now if el.tag == f"{SVG}path"]  # (polygons: the cells' separators)
    assert len(outlines) == 2  # a double border
    assert all(el.get("stroke-width") == "3" for el in outlines)
    for g in pending:
        assert all(el.get("stroke-dasharray") for el in g if el.tag == f"{SVG}path")
    edges = [g for g in groups.values() if "edge-current" in g.get("class", "").split()]
    assert edges and all(p.get("stroke-width") == "3" for g in edges for p in g.iter(f"{SVG}path"))
    idle = [g for g in groups.values() if "edge-idle" in g.get("class", "").split()]
    assert idle and all(p.get("stroke-dasharray") for g in idle for p in g.iter(f"{SVG}path"))


def test_every_picture_carries_a_text_alternative():
    v = tanh_neuron()
    v["a"].backward()
    root = ET.fromstring(draw_graph(v["a"]).svg())
    assert root.get("role") == "img"
    assert (
        root.get("aria-label")
        == f"Computation graph of 7 Values (2 made by ops); output a = {g4(2**-0.5)} (grad 1)."
    )
    frames = backward_frames(tanh_neuron()["a"])
    for frame in frames:
        svg = ET.fromstring(frame.svg())
        assert svg.get("aria-label") == frame.text
        assert svg.find(f"{SVG}g/{SVG}title").text == frame.text


def test_dark_theme_draws_light_ink_on_a_dark_background():
    root = ET.fromstring(draw_graph(tanh_neuron()["a"], theme="dark").svg())
    background = next(root.iter(f"{SVG}polygon"))
    assert background.get("fill") == "#111827"
    inks = {t.get("fill") for t in root.iter(f"{SVG}text")}
    assert inks == {"#e5e7eb"}
    page = backward_frames(tanh_neuron()["a"]).html()
    assert "prefers-color-scheme: dark" in page


# ----------------------------------------------------------------- animation
@pytest.mark.parametrize("suffix", [".gif", ".png"])
def test_save_writes_an_animation_with_one_frame_per_step_and_a_final_still(tmp_path, suffix, monkeypatch):
    image_module = pytest.importorskip("PIL.Image")
    frames = backward_frames(tanh_neuron()["a"])
    sources = []
    real_render = render_module.render

    def recording_render(source, fmt, values=None):
        sources.append(source)
        return real_render(source, fmt, values)

    monkeypatch.setattr("autograd.graph.animation.render", recording_render)
    path = frames.save(tmp_path / f"steps{suffix}", seconds_per_step=1.5, final_seconds=4)
    assert os.listdir(tmp_path) == [f"steps{suffix}"]
    with image_module.open(path) as image:
        assert image.n_frames == len(frames) + 1 == 3
        durations, pictures = [], []
        for k in range(image.n_frames):
            image.seek(k)
            durations.append(image.info["duration"])
            pictures.append(image.convert("RGB").tobytes())
    assert durations == [1500, 1500, 4000]
    assert len(set(pictures)) == 3  # three different pictures
    # Each step's picture carries the step's text; the last is the final state.
    assert "upstream: ∂a/∂a = 1" in sources[0] and "w1: 2 × 0.5 = 1" in sources[1]
    assert "every grad is final" in sources[2] and "pending" not in sources[2]


def test_animation_refuses_bad_paths_and_paces(tmp_path):
    frames = backward_frames(tanh_neuron()["a"])
    with pytest.raises(ValueError, match=r"'\.mp4'"):
        frames.save(tmp_path / "steps.mp4")
    with pytest.raises(ValueError, match="seconds_per_step"):
        frames.save(tmp_path / "steps.gif", seconds_per_step=0)
    assert os.listdir(tmp_path) == []


def test_without_pillow_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        backward_frames(tanh_neuron()["a"]).save(tmp_path / "steps.gif")


def test_frames_share_one_direction_chosen_by_the_width_budget():
    frames = backward_frames(chain(8))
    assert frames.rankdir == "TB"
    assert all(svg_width_px(frame.svg()) <= 900 for frame in frames)
    assert backward_frames(chain(8), max_width=None).rankdir == "LR"


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_operands_are_drawn_in_the_order_they_were_written(rankdir):
    _neuron, cost = elementary_neuron_cost()
    root = ET.fromstring(draw_graph(cost, rankdir, max_width=None).svg())
    across = 1 if rankdir == "LR" else 0  # LR: operands run top to bottom; TB: left to right
    place = {}
    for g in root.iter(f"{SVG}g"):
        if "value" in g.get("class", "").split():
            place[next(g.iter(f"{SVG}text")).text] = shapes_box(g)[across]
    assert place["w1"] < place["w2"] and place["x1"] < place["x2"]


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_the_operands_of_dot_keep_their_order(rankdir):
    v = tanh_neuron()  # dot([w1, w2], [x1, x2], b): operands w1, w2, x1, x2, b
    v["a"].backward()
    root = ET.fromstring(draw_graph(v["a"], rankdir, max_width=None).svg())
    across = 1 if rankdir == "LR" else 0
    place = {}
    for g in root.iter(f"{SVG}g"):
        if "value" in g.get("class", "").split():
            place[next(g.iter(f"{SVG}text")).text] = shapes_box(g)[across]
    assert sorted(["w1", "w2", "x1", "x2", "b"], key=place.get) == ["w1", "w2", "x1", "x2", "b"]


def test_minus_zero_is_drawn_as_0():
    x = Value(-0.0, "x")
    y = x * 2.0  # -0.0 as well; its grad 2.0 after backward
    y.backward()
    svg = draw_graph(y).svg()
    assert box_of(svg, "x")["texts"][1:] == ["data 0", "grad 2"]
