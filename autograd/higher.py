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
from .backward import fresh_grads, topological_order
from .value import CODE_NAMESPACE, RULES, Rule, Value, _is_real, _result, rule_for

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
    pass (labelled ``∂y/∂x``), with the same numbers (a zero may keep its minus sign, which
    backward's ``0.0 + ...`` drops); call ``grad`` on them again for second derivatives.
    ``inputs`` may be any Values the output depends on, leaves or not; one given twice gets
    the same gradient twice (as in PyTorch).  An input the output does not depend on is a
    ValueError naming it, or gets 0.0 (``Value(0.0)`` with create_graph) when
    ``allow_unused=True`` (PyTorch gives None there).
    """
    inputs = _checked(output, inputs, create_graph, allow_unused)
    order = topological_order(output)
    in_graph = set(order)
    for i, x in enumerate(inputs):
        if x not in in_graph and not allow_unused:
            raise ValueError(
                f"grad: inputs[{i}] ({_shown(x)}) is not used to compute the output; "
                "pass allow_unused=True to get 0.0 for it"
            )
    if create_graph:
        return _grads_as_values(output, inputs, order)
    return _grads_as_floats(output, inputs, order, in_graph)


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix ∂²output/∂inputᵢ∂inputⱼ as floats (row i: the gradient of ∂output/∂inputᵢ).

    Built by differentiating ``grad(output, inputs, create_graph=True)`` once per input.
    An input the output does not depend on gets a row and a column of zeros (as
    ``torch.autograd.functional.hessian``).  No ``.grad`` changes.
    """
    inputs = _checked(output, inputs, True, True)
    first = _grads_as_values(output, inputs, topological_order(output))
    return [list(grad(g, inputs, allow_unused=True)) for g in first]


def hvp(output: Value, inputs: Sequence[Value], v: Sequence[Number]) -> list[float]:
    """The Hessian-vector product H·v by double backward, without forming H.

    One gradient graph g = ∂output/∂inputs, one node Σ gᵢ·vᵢ, and one more backward pass
    through it: about the cost of a few gradients, whatever the number of inputs.
    ``v`` holds one real number per input (ValueError naming ``v`` otherwise).
    """
    inputs = _checked(output, inputs, True, True)
    if isinstance(v, (str, bytes)) or not isinstance(v, Sequence):
        raise TypeError(f"hvp: v must be a sequence of real numbers, one per input, got {type(v).__name__}")
    if len(v) != len(inputs):
        raise ValueError(f"hvp: v has {len(v)} numbers for {len(inputs)} inputs: give one per input")
    for i, vi in enumerate(v):
        if not _is_real(vi):
            raise TypeError(f"hvp: v[{i}] must be a real number, got {vi!r}")
    from .value import dot

    first = _grads_as_values(output, inputs, topological_order(output))
    g_dot_v = dot(first, [float(vi) for vi in v])
    return list(grad(g_dot_v, inputs, allow_unused=True))


# ------------------------------------------------------------ the two passes
def _grads_as_floats(output: Value, inputs: list[Value], order: list[Value], in_graph: set) -> tuple:
    """The fast pass (backward's bits), run on the graph's own grads, which are put back after."""
    held = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        with fresh_grads(order, output):
            fast._propagate(reversed(order))
        return tuple(x.grad if x in in_graph else 0.0 for x in inputs)
    finally:
        for node, g in zip(order, held):
            node.grad = g


def _grads_as_values(output: Value, inputs: list[Value], order: list[Value]) -> tuple:
    """The backward pass with Values: the chain rule's products and sums as graph nodes."""
    wanted = set(inputs)
    needed = set()  # the nodes on a path from an input to the output: only they get a gradient
    for node in order:
        if node in wanted or any(p in needed for p in node.parents):
            needed.add(node)
    forward = set(order)
    y = _name(output, inputs, "y")
    seed = Value(1.0, label=f"∂{y}/∂{y}")
    grads: dict[Value, Value] = {output: seed}
    for node in reversed(order):
        if node not in needed or not node.parents or node not in grads:
            continue
        upstream = grads[node]
        targets = [p in needed for p in node.parents]
        if not any(targets):
            continue
        locals_ = local_values(node)
        for parent, local, target in zip(node.parents, locals_, targets):
            if not target:
                continue
            contribution = _times(local, upstream)
            grads[parent] = contribution if parent not in grads else grads[parent] + contribution
        for parent in node.parents:  # name what this pass made (never a node of the forward graph)
            g = grads.get(parent)
            if g is not None and g.label is None and g not in forward:
                g.label = f"∂{y}/∂{_name(parent, inputs)}"
        for parent, local in zip(node.parents, locals_):
            if isinstance(local, Value) and local.label is None and local not in forward:
                local.label = f"∂{_name(node, inputs)}/∂{_name(parent, inputs)}"
    return tuple(grads[x] if x in grads else Value(0.0, label=f"∂{y}/∂{_name(x, inputs)}") for x in inputs)


def _times(local: Value | float, upstream: Value) -> Value:
    """``local * upstream`` as a node; a local of 1.0 passes ``upstream`` on, -1.0 negates it
    (the same numbers as multiplying, one node fewer: ``value.product_code`` does the same)."""
    if type(local) is float:
        if local == 1.0:
            return upstream
        if local == -1.0:
            return -upstream
    return local * upstream


# -------------------------------------------- a rule's text read over Values
def local_values(node: Value) -> list[Value | float]:
    """∂node/∂parentᵢ as Values (or plain numbers where the rule's text is a constant).

    The op's own local-derivative text, read over the node and its parents (see the module
    docstring); ``[v.data for v in ...]`` equals ``node.local_grads()``.
    """
    rule = rule_for(node)
    names = [f"p{i}" for i in range(len(node.parents))]
    env = dict(zip(names, node.parents))
    env["out"] = node
    return [_reader(text)(env) for text in rule.local_code("out", names)]


@lru_cache(maxsize=1024)
def _reader(text: str) -> Callable[[dict], Value | float]:
    """``text`` turned once into a function of the names' Values."""
    return _read(ast.parse(text, mode="eval").body, text)


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
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
        apply, left, right = _BINARY[type(tree.op)], _read(tree.left, text), _read(tree.right, text)
        return lambda env: apply(left(env), right(env))
    if isinstance(tree, ast.IfExp):
        test = compile(ast.Expression(tree.test), f"<test of {text!r}>", "eval")
        body, orelse = _read(tree.body, text), _read(tree.orelse, text)

        def choose(env: dict) -> Value | float:
            data = {k: (v.data if isinstance(v, Value) else v) for k, v in env.items()}
            return body(env) if eval(test, CODE_NAMESPACE, data) else orelse(env)  # names, numbers only

        return choose
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and not tree.keywords:
        rule = _op_of_function(tree.func.id, len(tree.args), text)
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
    return x if isinstance(x, Value) else Value(x)


@lru_cache(maxsize=256)
def _op_of_function(function: str, arity: int, text: str) -> Rule:
    """The registered op whose forward text is ``function(p0, ..., pn)``: a call of it in a
    local derivative's text builds that op's node."""
    names = [f"p{i}" for i in range(arity)]
    call = f"{function}({', '.join(names)})"
    for rule in RULES.values():
        if rule.arity == arity and rule.forward_code(names) == call:
            return rule
    raise NotImplementedError(
        f"cannot differentiate {text!r} again: {function}() is not the forward of any registered op "
        f"(register an op whose forward is {call!r}, or write the derivative with ops that are)"
    )


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


def _name(node: Value, inputs: list[Value], fallback: str | None = None) -> str:
    """How a node is called in the labels of the derivative graph: its label (in parentheses
    if it is itself a quotient such as ∂y/∂x), else x1, x2, … for an unlabelled input,
    else its op."""
    if node.label is not None:
        return f"({node.label})" if "/" in node.label else node.label
    if fallback is not None:
        return fallback
    for i, x in enumerate(inputs):
        if x is node:
            return "x" if len(inputs) == 1 else f"x{i + 1}"
    return node.op or "leaf"
