"""An optional, faster backward pass that gives exactly the same gradients.

``autograd.fast.backward(root)`` does what ``root.backward()`` does, bit for bit: the
same nodes, the same topological order (``autograd.topological_order``), the same
products ``local * upstream`` added to the same ``grad`` in the same order, and leaves
accumulate the same way.  It is quicker (benchmarks/README.md) because it

- makes no ``Step`` record and runs no generator (nothing to watch here);
- applies the chain rule of the common ops inline, without calling the op's
  local-derivative function or building its tuple.

The inline code is not written here: it is generated once, at import, from the
expressions each op registers beside its local-derivative function in ``value.py``
(``Rule.local_code``), so there is one home for every rule.  ``SOURCE`` holds the
generated function; tests/test_rules.py checks every op for exact equality with
``backward``.  Every registered op is inlined, a new one too, with no list to extend here;
ops whose local derivative can fail on data changed after the forward (their rule says
``inline=False``: ``/``, ``log``, ``**``) and parametrised ones (``x ** n``) keep calling
their function, so a traceback names it as in ``backward``.  Learn backpropagation from
``autograd/backward.py``, not from this file.

``nn.fit`` uses this pass where its generated code (``autograd.codegen``) does not apply,
and when asked with ``fit(..., backward="fast")``.
"""

from __future__ import annotations

import linecache
import re

from .backward import fresh_grads, topological_order
from .value import CODE_NAMESPACE, RULES, Rule, Value, product_code

__all__ = ["SOURCE", "backward", "topological_order"]

# The most frequent ops in nn are tested first (the chain tests the ops in turn); every other
# registered op with ``inline`` follows in registration order.  This is an order, not a list
# an op must join: an op missing here is inlined all the same.
FIRST = ("dot", "*", "+", "relu", "sum", "tanh", "sigmoid", "-", "exp", "neg")


def inlined_rules() -> list[Rule]:
    """The rules ``_propagate`` inlines, in the order it tests for them."""
    ordered = [RULES[op] for op in FIRST if op in RULES]
    ordered += [rule for op, rule in RULES.items() if op not in FIRST]
    return [rule for rule in ordered if rule.inline]


def backward(root: Value) -> None:
    """Fill in ``grad`` for every Value ``root`` depends on; the same result as ``root.backward()``."""
    order = topological_order(root)
    with fresh_grads(order, root):  # the very set-up and leaf accumulation of backward_steps
        _propagate(reversed(order))


def _inline_lines(rule: Rule) -> list[str]:
    """The chain-rule lines of one op, for its node ``node`` with ``parents`` and ``upstream``."""
    if rule.op == "sum":  # any number of parents, every local 1.0
        local = rule.local_code("node.data", ["parent.data"])[0]
        return ["for parent in parents:", f"    parent.grad += {product_code(local, 'upstream')}"]
    if rule.op == "dot":  # parents (w₁…wₙ, x₁…xₙ[, b]), locals (x₁…xₙ, w₁…wₙ[, 1.0])
        w_local, x_local, b_local = rule.local_code("node.data", ["w.data", "x.data", "b.data"])
        return [
            "n = len(parents) // 2",
            "weights, inputs = parents[:n], parents[n : 2 * n]",
            "i = 0",  # counting by hand: quicker than zip in CPython 3.11-3.13
            "for w in weights:",
            "    x = inputs[i]",
            f"    w.grad += {product_code(w_local, 'upstream')}",
            "    i += 1",
            "i = 0",
            "for x in inputs:",
            "    w = weights[i]",
            f"    x.grad += {product_code(x_local, 'upstream')}",
            "    i += 1",
            "if len(parents) % 2:",
            f"    parents[-1].grad += {product_code(b_local, 'upstream')}",
        ]
    if rule.arity == 1:  # parents[0], as the hand-written pass had it (quicker than unpacking one)
        names = ["parents[0]"]
        lines = []
    else:
        names = [f"p{i}" for i in range(rule.arity)]
        lines = [f"{', '.join(names)} = parents"]
    locals_ = rule.local_code("out", [f"{name}.data" for name in names])
    if sum(len(re.findall(r"\bout\b", local)) for local in locals_) > 1:
        lines.append("out = node.data")  # read once, used more than once
    else:
        locals_ = [re.sub(r"\bout\b", "node.data", local) for local in locals_]
    lines += [f"{name}.grad += {product_code(local, 'upstream')}" for name, local in zip(names, locals_)]
    return lines


def _generate(rules: list[Rule]) -> tuple[str, dict]:
    """The source of ``_propagate`` with the given rules inline, and its namespace."""
    namespace: dict = dict(CODE_NAMESPACE)  # the names the rules' expressions may use
    lines = [
        "def _propagate(nodes):",
        '    """parent.grad += local * upstream for every parent of every node, in the given order."""',
        "    for node in nodes:",
        "        parents = node.parents",
        "        if not parents:",
        "            continue",
        "        upstream = node.grad",
        "        rule = node._local_grads",
    ]
    for i, rule in enumerate(rules):
        namespace[f"rule_{i}"] = rule.local
        lines.append(f"        {'if' if i == 0 else 'elif'} rule is rule_{i}:  # {rule.op}")
        lines += [f"            {line}" for line in _inline_lines(rule)]
    lines += [
        "        else:  # any other op: ask its local-derivative function, as backward does",
        "            local_grads = rule(node)",
        "            i = 0",
        "            for parent in parents:",
        "                parent.grad += local_grads[i] * upstream",
        "                i += 1",
    ]
    return "\n".join(lines) + "\n", namespace


SOURCE, _namespace = _generate(inlined_rules())
_FILENAME = "<autograd.fast generated chain rule>"
linecache.cache[_FILENAME] = (len(SOURCE), None, SOURCE.splitlines(True), _FILENAME)  # tracebacks show it
exec(compile(SOURCE, _FILENAME, "exec"), _namespace)
_propagate = _namespace["_propagate"]
