"""Derivatives of derivatives: the backward pass built as a graph of Values.

``grad(y, [x], create_graph=True)`` walks the graph from ``y`` back, as ``backward`` does,
but does every step with Values instead of floats: each local derivative is the op's own
rule text (``rule_for(node).local_code``, what the fast pass and codegen inline) read over
the node and its parents as Values, and each chain-rule product ``local * upstream`` and
each sum of contributions is a Value op.  The result ∂y/∂x is therefore a Value with a
graph of its own, made of the same registered ops: it can be drawn, stepped through,
compiled by codegen and differentiated again, to any order.  No derivative is written
twice: this file knows none (a rule whose text calls a function that is no op's forward
cannot be read over Values, and tests/test_higher.py fails for it).

Reading a rule's text over Values:

- the parents' and the node's names are the Values themselves (``{out}`` of ``exp`` is
  the node: the derivative graph shares it);
- numbers stay numbers; ``+ - * /`` and unary ``-`` are Value operators;
- a call ``f(a, b)`` is the op whose forward text is ``f({0}, {1})`` (``sigmoid``,
  ``cos``, ``checked_log``, ``ieee_pow``, ...), built from that rule;
- ``x if condition else y`` decides the condition on the data, now: the branch taken is
  part of the derivative graph, as relu's 0 or 1 is a constant in PyTorch's.

``hvp`` builds no graph: it reads the same rule texts over dual numbers (``autograd.dual``)
in one forward and one reverse sweep of floats (forward-over-reverse), a few gradients'
worth of work instead of a gradient graph and a backward pass through it.

With ``create_graph=False`` the pass is the float pass of ``autograd.fast`` (the bits of
``backward()``).  Either way no ``.grad`` is changed: the float pass borrows the grads of
the graph and puts every one back.  Inside ``no_grad()`` the ops record nothing, as in
PyTorch: ``create_graph=True`` then gives Values with the right data and no graph.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from functools import lru_cache

from . import fast
from .backward import topological_order
from .dual import Dual, locals_function, op_of_function
from .value import (
    CODE_NAMESPACE,
    Rule,
    Value,
    _add,
    _div,
    _is_real,
    _mul,
    _result,
    _sub,
    rule_for,
    value_sum,
)

__all__ = ["grad", "hessian", "hvp", "local_values"]

Number = int | float


# ----------------------------------------------------------------------- the API
def grad(
    output: Value,
    inputs: Value | Sequence[Value],
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple:
    """∂output/∂input for each input, as PyTorch's ``torch.autograd.grad``; no ``.grad`` changes.

    ``create_graph=False``: floats, the very bits ``output.backward()`` puts in the inputs'
    ``grad`` starting from zero.  ``create_graph=True``: Values whose graph is the backward
    pass (labelled ``∂y/∂x``), with the same numbers (where a node gets one contribution
    only, a zero may keep its minus sign, which backward's ``0.0 + ...`` drops); call
    ``grad`` on them again for second derivatives.  ``inputs`` may be any Values the output
    depends on, leaves or not; one given twice gets the same gradient twice (as in
    PyTorch).  An input the output does not depend on is a ValueError naming it, or gets
    0.0 (``Value(0.0)`` with create_graph) when ``allow_unused=True`` (PyTorch gives None).
    """
    inputs = _checked(output, inputs, create_graph, allow_unused)
    order = topological_order(output)
    if create_graph:
        return _grads_as_values(output, inputs, order, allow_unused)
    return _grads_as_floats(output, inputs, order, allow_unused)


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix ∂²output/∂inputᵢ∂inputⱼ as floats (row i: the gradient of ∂output/∂inputᵢ).

    Built by differentiating ``grad(output, inputs, create_graph=True)`` once per input.
    An input the output does not depend on gets a row and a column of zeros (as
    ``torch.autograd.functional.hessian``).  No ``.grad`` changes.
    """
    inputs = _checked(output, inputs, True, True)
    first = _grads_as_values(output, inputs, topological_order(output), True)
    return [list(grad(g, inputs, allow_unused=True)) for g in first]


def hvp(output: Value, inputs: Sequence[Value], v: Sequence[Number]) -> list[float]:
    """The Hessian-vector product H·v (H = ∂²output/∂inputsᵢ∂inputsⱼ), without forming H.

    By forward-over-reverse (Pearlmutter's R-operator), the standard equivalent of double
    backward: one forward sweep carries each Value's rate of change along v, then one
    reverse sweep carries, per Value, ∂output/∂node and that number's own rate of change
    along v, in plain floats; no graph is built.  Each op's local derivative and its rate
    of change come from the op's own rule text read over dual numbers (``autograd.dual``).
    Row i of H is the gradient of ∂output/∂inputᵢ (as in ``hessian``), so H·eⱼ is column j.
    Double backward, ``grad(dot(grad(output, inputs, create_graph=True), v), inputs)``,
    gives vᵀH: the same numbers to rounding wherever H is symmetric (tests/test_higher_hvp.py
    checks both ways; H need not be symmetric at a ** b with b = 0, nor with an inner node
    among the inputs).
    ``v`` holds one real number per input (ValueError naming ``v`` otherwise); an input
    the output does not depend on gets 0.0.  No ``.grad`` changes.
    """
    inputs = _checked(output, inputs, True, True)
    if isinstance(v, (str, bytes)) or not isinstance(v, Sequence):
        raise TypeError(f"hvp: v must be a sequence of real numbers, one per input, got {type(v).__name__}")
    if len(v) != len(inputs):
        raise ValueError(f"hvp: v has {len(v)} numbers for {len(inputs)} inputs: give one per input")
    for i, vi in enumerate(v):
        if type(vi) is not float and not _is_real(vi):  # (a float: the usual case, checked quickly)
            raise TypeError(f"hvp: v[{i}] must be a real number, got {vi!r}")
    return _forward_over_reverse(output, inputs, [float(vi) for vi in v], topological_order(output))


# ------------------------------------------------------------ the two passes
def _grads_as_floats(output: Value, inputs: list[Value], order: list[Value], allow_unused: bool) -> tuple:
    """The fast pass (backward's bits), run in the graph's own grads, every one put back after."""
    held_inputs = [x.grad for x in inputs]
    held = [node.grad for node in order]
    try:
        for x in inputs:
            x.grad = None  # a mark: the next loop sets a grad only on the Values in the graph
        for node in order:
            node.grad = 0.0
        unused = [i for i, x in enumerate(inputs) if x.grad is None]
        if unused and not allow_unused:
            _refuse_unused(inputs, unused[0])
        output.grad = 1.0  # d output / d output
        fast._propagate(reversed(order))
        return tuple(0.0 if x.grad is None else x.grad for x in inputs)
    finally:
        i = 0
        for node in order:
            node.grad = held[i]
            i += 1
        for x, g in zip(inputs, held_inputs):
            x.grad = g


def _grads_as_values(output: Value, inputs: list[Value], order: list[Value], allow_unused: bool) -> tuple:
    """The backward pass with Values: each product local · upstream a node, each node's terms
    one ``sum`` node (0 + t1 + t2 ..., the very additions of backward)."""
    needed = _on_a_path(inputs, order)  # only they get a gradient
    for i, x in enumerate(inputs):
        if x not in needed and not allow_unused:
            _refuse_unused(inputs, i)
    names = _Names(output, inputs)
    seed = Value(1.0, label=f"∂{names.y}/∂{names.y}")
    received: dict[Value, list[Value]] = {output: [seed]}
    grads: dict[Value, Value] = {}
    for node in reversed(order):
        terms = received.pop(node, None)
        if terms is None:  # not on a path to an input
            continue
        g = terms[0] if len(terms) == 1 else value_sum(terms)
        if g.label is None:  # made here (a passed-on upstream keeps its own name)
            g.label = f"∂{names.y}/∂{names.of(node)}"
        grads[node] = g
        if not node.parents:
            continue
        pairs = None
        i = 0
        for parent in node.parents:
            if parent in needed:
                if pairs is None:
                    pairs = _local_values_fresh(node)
                local, fresh = pairs[i]
                if fresh and local.label is None:
                    local.label = f"∂{names.of(node)}/∂{names.of(parent)}"
                received.setdefault(parent, []).append(_times(local, g, seed))
            i += 1
    return tuple(grads[x] if x in grads else Value(0.0, label=f"∂{names.y}/∂{names.of(x)}") for x in inputs)


def _on_a_path(inputs: list[Value], order: list[Value]) -> set[Value]:
    """The Values of ``order`` on a path from an input to the output (the inputs included)."""
    wanted = set(inputs)
    needed = set()
    for node in order:
        if node in wanted:
            needed.add(node)
            continue
        for parent in node.parents:
            if parent in needed:
                needed.add(node)
                break
    return needed


def _forward_over_reverse(output: Value, inputs: list[Value], v: list[float], order: list[Value]) -> list:
    """H·v in two sweeps over floats, nothing stored on the Values.

    Forward: ṅ = Σ ∂n/∂pᵢ · ṗᵢ, the rate of change of each Value when the inputs move
    along v (ẋⱼ = vⱼ).  Reverse: backward's ḡ_p += local · ḡ_n, and its rate of change
    ġ_p += local' · ḡ_n + local · ġ_n, where (local, local') is the op's rule text read
    over dual numbers (value, ṅ).  ġ of each input is (H·v) for it.  A Value on no path
    from an input does not move: it stays a plain float (its rate of change is exactly 0,
    as it has no node in a derivative graph); so does ∂output/∂output = 1.
    """
    seeds: dict[Value, float] = {}
    for x, vj in zip(inputs, v):
        seeds[x] = seeds.get(x, 0.0) + vj  # one input given twice moves by both
    # forward: each Value on a path from an input gets [ṅ, ḡ, ġ] (ġ None: nothing moved it yet)
    state: dict[Value, list] = {}
    find = state.get
    for node in order:
        moved = seeds.get(node)
        parents = node.parents
        if not parents:  # a leaf moves if it is an input
            if moved is not None:
                state[node] = [moved, 0.0, None]
            continue
        local = None
        i = 0
        for parent in parents:
            s = find(parent)
            if s is not None:
                if local is None:
                    local = node.local_grads()
                term = local[i] * s[0]
                moved = term if moved is None else moved + term
            i += 1
        if moved is not None:
            state[node] = [moved, 0.0, None]
    # reverse: ḡ (∂output/∂node, as backward) and ġ (its rate of change), parent by parent
    if output in state:
        state[output][1] = 1.0
    for node in reversed(order):
        parents = node.parents
        s = find(node)
        if not parents or s is None:
            continue
        g, g_rate = s[1], s[2]
        states = [find(p) for p in parents]
        args = [p.data if t is None else Dual(p.data, t[0]) for p, t in zip(parents, states)]
        local = locals_function(rule_for(node), len(parents))(Dual(node.data, s[0]), *args)
        for t, d in zip(states, local):
            if t is None:  # on no path from an input
                continue
            if type(d) is Dual:
                t[1] += d.v * g
                term = d.t * g if g_rate is None else d.t * g + d.v * g_rate
            else:  # a local derivative that does not move (a constant, or a Value no input moves)
                t[1] += d * g
                if g_rate is None:
                    continue
                term = d * g_rate
            t[2] = term if t[2] is None else t[2] + term
    return [0.0 if (s := find(x)) is None or s[2] is None else s[2] for x in inputs]


def _times(local: Value | float, upstream: Value, seed: Value) -> Value:
    """``local * upstream`` as a node; a local of 1.0 passes ``upstream`` on, -1.0 negates it,
    and an upstream that is the seed 1.0 passes the local on (the same numbers as
    multiplying, one node fewer: ``value.product_code`` does the same)."""
    if upstream is seed and type(local) is not float:
        return local
    if type(local) is float:
        if local == 1.0:
            return upstream
        if local == -1.0:
            return -upstream
        local = Value(local)
    return _mul(local, upstream)


def _refuse_unused(inputs: list[Value], i: int) -> None:
    raise ValueError(
        f"grad: inputs[{i}] ({_shown(inputs[i])}) is not used to compute the output; "
        "pass allow_unused=True to get 0.0 for it"
    )


# -------------------------------------------- a rule's text read over Values
def local_values(node: Value) -> list[Value | float]:
    """∂node/∂parentᵢ as Values (or plain numbers where the rule's text is a constant).

    The op's own local-derivative text, read over the node and its parents (see the module
    docstring); ``[float(v) for v in ...]`` equals ``node.local_grads()``.
    """
    return [local for local, _fresh in _local_values_fresh(node)]


def _local_values_fresh(node: Value) -> list[tuple[Value | float, bool]]:
    """``(local, made here)`` per parent: False for a number or a Value of the forward graph
    (a text that is just a name: ``{out}`` of exp, dot's ``x``)."""
    env = dict(zip(_PARENT_NAMES, node.parents))
    env["out"] = node
    readers = _readers(rule_for(node), len(node.parents))
    pairs = []
    for reader, is_name in readers:
        local = reader(env)
        pairs.append((local, not is_name and isinstance(local, Value)))
    return pairs


_PARENT_NAMES = [f"p{i}" for i in range(4096)]  # (zip stops at the node's number of parents)


@lru_cache(maxsize=1024)
def _readers(rule: Rule, arity: int) -> list[tuple[Callable[[dict], Value | float], bool]]:
    """For each local-derivative text of ``rule`` with ``arity`` parents: a reader of it, and
    whether the text is only a name."""
    names = [f"p{i}" for i in range(arity)]
    return [(_reader(text), text.isidentifier()) for text in rule.local_code("out", names)]


@lru_cache(maxsize=1024)
def _reader(text: str) -> Callable[[dict], Value | float]:
    """``text`` turned once into a function of the names' Values."""
    return _read(ast.parse(text, mode="eval").body, text)


# + - * / of two numbers, or as the op's node when either side is a Value (a number side
# becomes a constant leaf, as ``Value.__add__`` would make it; called directly: quicker).
_BINARY = {
    ast.Add: (lambda a, b: a + b, _add),
    ast.Sub: (lambda a, b: a - b, _sub),
    ast.Mult: (lambda a, b: a * b, _mul),
    ast.Div: (lambda a, b: a / b, _div),
}


def _read(tree: ast.expr, text: str) -> Callable[[dict], Value | float]:
    if isinstance(tree, ast.Name):
        name = tree.id
        constant = CODE_NAMESPACE.get(name)
        if isinstance(constant, float):  # inf, nan
            return lambda env: env.get(name, constant)
        return lambda env: env[name]
    if isinstance(tree, ast.Constant) and isinstance(tree.value, (int, float)):
        number = float(tree.value)
        return lambda env: number
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, (ast.USub, ast.UAdd)):
        operand = _read(tree.operand, text)
        if isinstance(tree.op, ast.USub):
            return lambda env: -operand(env)
        return operand
    if isinstance(tree, ast.BinOp) and type(tree.op) in _BINARY:
        on_numbers, on_values = _BINARY[type(tree.op)]
        left, right = _read(tree.left, text), _read(tree.right, text)

        def binary(env: dict) -> Value | float:
            a, b = left(env), right(env)
            if type(a) is float and type(b) is float:
                return on_numbers(a, b)
            return on_values(_as_value(a), _as_value(b))

        return binary
    if isinstance(tree, ast.IfExp):
        test = compile(ast.Expression(tree.test), f"<test of {text!r}>", "eval")
        body, orelse = _read(tree.body, text), _read(tree.orelse, text)

        def choose(env: dict) -> Value | float:
            data = {k: (v.data if isinstance(v, Value) else v) for k, v in env.items()}
            return body(env) if eval(test, CODE_NAMESPACE, data) else orelse(env)  # names, numbers only

        return choose
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and not tree.keywords:
        rule = op_of_function(tree.func.id, len(tree.args), text)
        forward = CODE_NAMESPACE[tree.func.id]
        args = [_read(arg, text) for arg in tree.args]

        def call(env: dict) -> Value:
            parents = tuple(_as_value(arg(env)) for arg in args)
            return _result(forward(*(p.data for p in parents)), parents, rule.op, rule.local)

        return call
    raise NotImplementedError(
        f"cannot read the local-derivative text {text!r} over Values: {ast.unparse(tree)!r} "
        "is no number, name, + - * /, 'if', or call of an op's forward function"
    )


def _as_value(x: Value | float) -> Value:
    return Value(x) if type(x) is float else x


# ----------------------------------------------------------------- checks, names
def _checked(output: object, inputs: object, create_graph: object, allow_unused: object) -> list[Value]:
    """The inputs as a list, after checking every argument (nothing has been done yet)."""
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value (one scalar), got {type(output).__name__}")
    if isinstance(inputs, Value):
        inputs = [inputs]
    elif isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"grad: inputs must be a Value or a sequence of Values, got {type(inputs).__name__}")
    inputs = list(inputs)
    if not inputs:
        raise ValueError("grad: inputs is empty: give at least one Value to differentiate with respect to")
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__}")
    for name, flag in (("create_graph", create_graph), ("allow_unused", allow_unused)):
        if not isinstance(flag, bool):
            raise TypeError(f"grad: {name} must be True or False, got {flag!r}")
    return inputs


def _shown(x: Value) -> str:
    return f"label {x.label!r}" if x.label is not None else f"Value(data={x.data!r})"


class _Names:
    """How Values are called in the labels of a derivative graph: a label (in parentheses if
    it is itself a quotient such as ∂y/∂x), else x, or x1, x2, … for unlabelled inputs,
    else the op; the output is y unless it has a label."""

    def __init__(self, output: Value, inputs: list[Value]) -> None:
        self.y = self._labelled(output) or "y"
        self.inputs = {}
        for i, x in enumerate(inputs):
            self.inputs.setdefault(x, self._labelled(x) or ("x" if len(inputs) == 1 else f"x{i + 1}"))

    @staticmethod
    def _labelled(node: Value) -> str | None:
        label = node.label
        if label is None:
            return None
        return f"({label})" if "/" in label else label

    def of(self, node: Value) -> str:
        name = self.inputs.get(node)
        if name is None:
            name = self._labelled(node) or node.op or "leaf"
        return name
