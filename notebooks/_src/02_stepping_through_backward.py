# %% [markdown]
# # 02 · Stepping through backward
#
# `backward()` looks like magic until you watch it. In this engine it is literally a loop
# over a generator, `backward_steps()`, run to the end; you can run that generator
# yourself and stop after every node. This notebook does it four ways:
#
# 1. in a plain `for` loop, printing each step;
# 2. with a frame viewer (previous / next / slider) right in the notebook;
# 3. as a self-contained HTML file you can open in any browser;
# 4. in Python's debugger, with `breakpoint()`.
#
# The example is one neuron with two inputs and a tanh activation:
# a = tanh(x₁w₁ + x₂w₂ + b).

# %%
from autograd import Value

def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2 = Value(-0.5, label="w1"), Value(0.75, label="w2")
    b = Value(1.25, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1w1"
    x2w2 = x2 * w2; x2w2.label = "x2w2"
    s = x1w1 + x2w2; s.label = "x1w1+x2w2"
    z = s + b;       z.label = "z"
    a = z.tanh();    a.label = "a"
    return a, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, z=z)

a, v = neuron()
print(f"a = {a.data:.6f}")

# %% [markdown]
# ## 1. A loop over `backward_steps()`
#
# Each item is a `Step` with these attributes:
#
# * `node`: the Value whose gradient is being handed to its parents;
# * `upstream`: that node's gradient ∂a/∂node, already final (every node that uses it has
#   been processed before it);
# * `local_grads`: the node's local derivatives ∂node/∂parent, one per parent;
# * `terms`: one `(parent, local, contribution)` per parent, where
#   contribution = local × upstream has **already been added** to `parent.grad`.
#
# The steps come output first, leaves never (they have no parents to pass anything to).

# %%
for i, step in enumerate(a.backward_steps()):
    print(f"step {i}: {step}\n")

# %% [markdown]
# Because `backward()` is that same generator run to the end, the grads it leaves behind
# are identical. Let us check on a fresh copy of the graph, and watch one gradient,
# `w1.grad`, change as the steps go by. It stays 0 until the step of the node that uses
# w1 directly.

# %%
a2, v2 = neuron()
a2.backward()

a3, v3 = neuron()
history = []
for step in a3.backward_steps():
    history.append((step.node.label, v3["w1"].grad))
for label, g in history:
    print(f"after step at {label:10}  w1.grad = {g:+.6f}")

for name in v2:
    assert v2[name].grad == v3[name].grad == v[name].grad, name

# %% [markdown]
# And the numbers are the chain rule: ∂a/∂w₁ = (1 − a²) · x₁, since ∂z/∂w₁ = x₁.

# %%
expected = (1 - a.data**2) * v["x1"].data
print(f"(1 − a²)·x1 = {expected:.10f}   w1.grad = {v['w1'].grad:.10f}")
assert abs(expected - v["w1"].grad) < 1e-12

# %% [markdown]
# ## 2. The frame viewer
#
# `backward_frames(root)` runs the same backward pass, and after each step keeps the
# grads **as they stood at that moment**, with a picture of the graph:
#
# * the node of the current step has a red border; the edges into its parents are red and
#   labelled local × upstream = contribution;
# * nodes the pass has not reached yet are grey and dashed, and a grad that is still
#   waiting for contributions is marked "so far".
#
# `frames.viewer()` gives previous / next buttons and a slider. (Widgets need a live
# kernel: on GitHub or in a static copy you will only see a line of text in their place.
# Run the notebook to use them; the single frames below are pictures and always show.)

# %%
from autograd.graph import backward_frames

a4, v4 = neuron()
frames = backward_frames(a4)
viewer = frames.viewer()
viewer

# %% [markdown]
# One frame on its own: `frames[k]` shows the picture of step k, and `.text` the same
# step in words. Here is step 4, where the `*` node of x1·w1 hands its gradient to x1
# and w1. Notice that the nodes of x2·w2 are still pending.

# %%
print(frames[3].text)
frames[3]

# %%
# Each frame holds the grads of its own moment, the ones the loop in section 1 saw.
for k, (label, w1_grad_then) in enumerate(history):
    assert frames[k].node.label == label
    assert frames[k].grads[v4["w1"]] == w1_grad_then
# The viewer is driven by its slider: moving it changes the text panel.
viewer.slider.value = 3
assert "step 4 of" in viewer.panel.value
viewer.slider.value = 0

# %% [markdown]
# ## 3. A step-through to keep: one HTML file
#
# `frames.save_html(path)` writes a single self-contained page: every frame as an inline
# SVG, a text panel per step, previous / next buttons, a slider and the arrow keys. No
# server, no network, no Python needed to look at it; send it to a friend.

# %%
import tempfile
from pathlib import Path

page = frames.save_html(Path(tempfile.gettempdir()) / "glassgrad_neuron_steps.html")
print(f"wrote {page.name}: {page.stat().st_size // 1024} KiB, {len(frames)} steps")
print("open it in a browser:", page.as_uri())
assert page.read_text(encoding="utf-8").count('class="frame"') == len(frames)

# %% [markdown]
# ## 4. In the debugger
#
# Because the backward pass is an ordinary Python loop you own, you can stop in it with
# Python's debugger, pdb. Put `breakpoint()` in the loop body:
#
# ```python
# for step in y.backward_steps():
#     breakpoint()
# ```
#
# Run it in a terminal (or a notebook: you get an `ipdb>` prompt under the cell). At each
# stop, the previous node's contributions have been added, and you can ask:
#
# | command | shows |
# |---------|-------|
# | `p step.node` | the Value being processed (data, grad, op, label) |
# | `p step.upstream` | its gradient, the number it multiplies into every edge |
# | `p step.terms` | `(parent, local, contribution)` for each parent |
# | `p [t[0].grad for t in step.terms]` | the parents' grads as they stand now |
# | `c` | continue to the next node |
# | `where` | the call stack |
#
# To see *how* a local derivative is computed, step into it: `b autograd/value.py:<line>`,
# or set a breakpoint on the op's function. Each op has its own named function
# (`mul_local`, `tanh_local`, …), so `where` and tracebacks say which op was running.
#
# A notebook cannot answer a prompt while it is being tested, so here is a real pdb
# session run in a separate Python process, with its commands typed in advance.

# %%
import os, subprocess, sys, textwrap

script = textwrap.dedent("""
    from autograd import Value
    x, w = Value(0.5, label="x"), Value(-2.0, label="w")
    y = (x * w).tanh(); y.label = "y"
    for step in y.backward_steps():
        breakpoint()
""")
typed = "p step.node\np step.upstream\np step.terms\nc\np step.node\np step.terms\nc\n"
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "debug_me.py"
    path.write_text(script)
    session = subprocess.run([sys.executable, "debug_me.py"], input=typed, cwd=tmp,
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PYTHONBREAKPOINT": "pdb.set_trace"})
    transcript = session.stdout.replace(tmp + "/", "")
print(transcript)
assert "tanh" in transcript and session.returncode == 0

# %% [markdown]
# At the first stop the `tanh` node has handed 1 − y² to the `*` node; at the second
# stop the `*` node has handed w·upstream to x and x·upstream to w.
#
# ## Summary
#
# * `backward_steps()` is the backward pass, one node at a time; `backward()` just runs it
#   to the end.
# * Each step says which node, its (final) upstream gradient, and what it added to each
#   parent.
# * You can watch it in a loop, in pictures, in a browser, or in a debugger.
#
# Next: [03 · One neuron, then two](03_one_neuron_then_two.ipynb).
