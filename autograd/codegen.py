"""Backprop as code: a graph turned into straight-line Python, forward and backward.

    >>> from autograd import Value
    >>> from autograd.codegen import codegen
    >>> x, w = Value(2.0, label="x"), Value(-0.5, label="w")
    >>> a = (w * x).tanh(); a.label = "a"
    >>> prog = codegen(a, [w, x])
    >>> out, (d_w, d_x) = prog(-0.5, 2.0)   # a's value and ∂a/∂w, ∂a/∂x
    >>> print(prog.source)                  # doctest: +SKIP

``prog.source`` is the backward pass written out as the code it amounts to: the forward
lines in topological order, then, from the output back, one chain-rule product per line
(``d_mul_1 = (1.0 - a * a) * d_a``, ``d_w = x * d_mul_1``).  Run with the leaves' current
data it returns, to the last bit, what ``root.backward()`` leaves in their ``grad``
(starting from zero): the same nodes, the same topological order
(``autograd.backward.topological_order``), the same products added in the same order.
A leaf used in several places (a convolution's shared weight) gets its products as one
sum after the others (``d_w = (x1 * d_z1 + x2 * d_z2 + ...)``, one product per line):
nothing reads a leaf's grad, and one long statement compiles faster than many ``+=``.
The expressions come from the ops' own rules (``autograd.value.rule_for``): this file
knows no derivative.

The program is traced once, like JAX's ``jit``: the Python ``if``s your code took while it
built the graph are baked in, so the program computes *that* graph for any input.
Branches inside ops (``relu``) are decided at run time.  Leaves not in ``leaves`` are
constants, written so that they round-trip exactly.

No user text ever becomes code: a label names a variable only when it is a plain ASCII
identifier that is no keyword, builtin or name already used; in comments a label appears
only as ``ascii()`` of a plain ``str`` copy of it (one line, quoted, escaped), so no
method of the user's object (a ``str`` subclass's ``__repr__``) ever writes source text.
An op name is used in a variable name only when it is a plain ASCII identifier.

Compiling changes no process-wide state (the garbage collector is left alone).

For training, ``prog.batch(n_fixed)`` runs the same lines for many samples in one call
and returns the sums over the samples (the cost and the parameters' gradients).
"""

from __future__ import annotations

import builtins
import itertools
import keyword
import linecache
import math
import struct
import weakref
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from . import value as _value
from .backward import topological_order
from .value import Value

__all__ = ["BatchProgram", "BatchResult", "Program", "codegen"]

_RESERVED = frozenset(
    set(keyword.kwlist) | set(getattr(keyword, "softkwlist", ())) | set(dir(builtins))
    | {"inf", "nan", "math", "rows", "total", "keep", "program", "batch"}
)
_OP_WORDS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}
_program_ids = itertools.count(1)
_NAN_BITS = struct.pack("<d", math.nan)


def _rules():
    """The engine's rule registry (one home for every derivative)."""
    try:
        return _value.rule_for, _value.CODE_NAMESPACE
    except AttributeError:  # an engine without the registry
        raise RuntimeError("autograd.codegen needs autograd.value.rule_for and CODE_NAMESPACE") from None


class _Names:
    """Variable names: a label where it is safe, else a generated one; never a clash."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.used: set[str] = set(_RESERVED) | set(reserved)
        self.next_number: dict[str, int] = {}  # per stem, where to look for a free number

    def _free(self, base: str) -> bool:
        return all(n not in self.used for n in (base, "d_" + base, "g_" + base))

    def take(self, label: object, fallback: str, group: object = None) -> str:
        """A name for a node: ``label`` if usable (``group_label`` when it has a group, as nn's
        ``L1_N0_w1``), else ``fallback``; numbered until unused."""
        if type(group) is str and type(label) is str and _usable(label):
            label = _qualified(group, label) or label
        if _usable(label) and self._free(label):
            base = label
        elif not _usable(label) and fallback[-1].isdigit() and self._free(fallback):
            base = fallback  # already numbered (an argument's x3)
        else:
            stem = label if _usable(label) else fallback
            k = self.next_number.get(stem, 1 if stem == fallback else 2)
            while not self._free(f"{stem}_{k}"):
                k += 1
            self.next_number[stem] = k + 1
            base = f"{stem}_{k}"
        self.used.update((base, "d_" + base, "g_" + base))
        return base


def _usable(label: object) -> bool:
    """A plain ASCII identifier, not private, no keyword or builtin (checked again for clashes)."""
    return type(label) is str and _usable_text(label)


@lru_cache(maxsize=4096)
def _usable_text(label: str) -> bool:
    return (label.isascii() and label.isidentifier() and not label.startswith("_")
            and label not in _RESERVED and len(label) <= 40)


@lru_cache(maxsize=4096)
def _qualified(group: str, label: str) -> str | None:
    """``L1_N0_w1`` for group ``L1.N0`` and label ``w1``, when that is a usable name."""
    name = f"{group.replace('.', '_')}_{label}"
    return name if _usable_text(name) else None


def _literal(x: float, namespace: dict, counter: list[int]) -> str:
    """Text for a constant that gives back exactly ``x`` (the rules parenthesise ``-2.0`` where needed)."""
    if math.isfinite(x):
        return repr(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if struct.pack("<d", x) == _NAN_BITS:
        return "nan"
    counter[0] += 1  # a NaN with other bits: bind that very object
    name = f"_nan_{counter[0]}"
    namespace[name] = x
    return name


def _word(node: Value) -> str:
    op = node.op
    if type(op) is not str:  # only our own text: never a method of a user's object
        return "v"
    if op.startswith("**"):
        return "pow"
    word = _OP_WORDS.get(op, op)
    return word if word.isascii() and word.isidentifier() else "v"


def _comment(node: Value, name: str) -> str:
    """A label that could not be the name shows in a comment: ``ascii()`` of a plain ``str``
    copy (one line, quoted, escaped).  A label that is not a ``str`` at all (set around the
    checks of ``Value.label``) is left out: no method of a user's object writes source text."""
    label = node.label
    if label is None or _usable(label) or not isinstance(label, str):
        return ""  # the name already says it (``z``, ``L1_N0_z``, ``z_2``)
    return f"  # label {ascii(str.__str__(label))}"


def _wrapped(head: str, items: list[str], tail: str, indent: str) -> list[str]:
    """``head + ", ".join(items) + tail`` as lines of at most ~100 characters."""
    one = f"{head}{', '.join(items)}{tail}"
    if len(indent) + len(one) <= 100:
        return [indent + one]
    lines, line = [indent + head.rstrip()], ""
    for item in items:
        if line and len(indent) + 4 + len(line) + len(item) > 100:
            lines.append(f"{indent}    {line.rstrip()}")
            line = ""
        line += f"{item}, "
    lines.append(f"{indent}    {line.rstrip()}")
    lines.append(indent + tail.lstrip())
    return lines


# Shared with the numpy backend (autograd/numpy_source.py, autograd/vectorize.py), which
# imports them from here: check_leaves, _RESERVED, _usable, _literal, _word (safe names and
# exact literals), _compile, _forget (compiling), _all_floats.  Change them with both in mind.
def check_leaves(root: object, leaves: object) -> list[Value]:
    """``leaves`` as a list, once ``root`` is a Value and each leaf a distinct leaf Value: else a
    TypeError or ValueError naming what is wrong.  Both backends (python, numpy) check so."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    if isinstance(leaves, (str, bytes)) or not isinstance(leaves, Iterable):
        raise TypeError(f"leaves must be a sequence of leaf Values, got {type(leaves).__name__}")
    leaves = list(leaves)
    seen: set[int] = set()
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, Value):
            raise TypeError(f"leaves[{i}] must be a Value, got {type(leaf).__name__}")
        if leaf.parents:
            raise ValueError(f"leaves[{i}] is not a leaf (op {leaf.op!r}): only leaves can be arguments")
        if id(leaf) in seen:
            raise ValueError(f"leaves[{i}] appears twice in leaves: each argument must be another Value")
        seen.add(id(leaf))
    return leaves


class _Plan:
    """Everything both program kinds need: names, forward lines, contributions per node."""

    def __init__(self, root: Value, leaves: Sequence[Value]) -> None:
        leaves = check_leaves(root, leaves)
        rule_for, code_namespace = _rules()
        self.root, self.leaves = root, leaves
        self.namespace: dict = {"inf": math.inf, "nan": math.nan, **code_namespace}
        names = _Names(code_namespace)
        self.order = order = topological_order(root)
        self.arg_names = [names.take(leaf.label, f"x{i}", leaf.group) for i, leaf in enumerate(leaves)]
        text = {id(leaf): n for leaf, n in zip(leaves, self.arg_names)}
        nan_counter = [0]
        forward_line: dict[int, str] = {}
        self.nodes: list[tuple[Value, str, list[str]]] = []  # node, its name, its local derivatives' texts
        for node in order:
            if id(node) in text:
                continue
            if not node.parents:
                text[id(node)] = _literal(node.data, self.namespace, nan_counter)
                continue
            name = names.take(node.label, _word(node), node.group)
            rule = rule_for(node)
            parents = [text[id(p)] for p in node.parents]
            forward_line[id(node)] = f"{name} = {rule.forward_code(parents)}{_comment(node, name)}"
            self.nodes.append((node, name, list(rule.local_code(name, parents))))
            text[id(node)] = name
        # The forward lines in evaluation order, not backward's: the data is the same either way,
        # but where several ops would fail on the given numbers, this meets the failure first
        # where the forward pass, written as nested expressions, meets it.
        self.forward = [forward_line[id(n)] for n in evaluation_order(root)[0] if id(n) in forward_line]
        self.text = text
        self.out = text[id(root)]

    def backward(self, wanted: set[int]) -> _Backward:
        """The chain-rule products toward the ``wanted`` leaves (ids) in backward()'s order.

        ``targets[k]`` is the name of the node that receives ``products[k]``; a wanted leaf
        that receives several (a shared weight: one per place it is used) has its products
        in ``sums`` instead, as ``(leaf's name, products)``.  Nothing reads a leaf's grad, so
        its sum can wait until every term is known: written as one sum it is the same
        additions in the same order (``(p1 + p2) + p3`` is what ``d = p1; d += p2; d += p3``
        computes), and one statement compiles faster than many.  ``count``: how many terms
        each node receives.  (Parallel lists of str, not a tuple per term: fewer objects for
        the garbage collector to count on a large graph.)"""
        needed = set(wanted)
        count: dict[int, int] = {}
        for node, _name, _locals in self.nodes:  # topological: parents first
            reaches = False
            for parent in node.parents:
                key = id(parent)
                if key in needed:
                    reaches = True
                    count[key] = count.get(key, 0) + 1
            if reaches:
                needed.add(id(node))
        targets: list[str] = []
        products: list[str] = []
        sums: dict[int, tuple[str, list[str]]] = {}
        grad_of: dict[int, str] = {}  # the variable holding a node's grad: d_<name>, or the one it equals
        if id(self.root) in needed:
            targets.append(self.out)
            products.append("1.0")
            count[id(self.root)] = 1
        text, product_code = self.text, _value.product_code
        for node, name, local_texts in reversed(self.nodes):
            if id(node) not in needed:
                continue
            upstream = grad_of.get(id(node), "d_" + name)
            for parent, local in zip(node.parents, local_texts):
                key = id(parent)
                if key not in needed:
                    continue
                product = product_code(local, upstream)
                if count[key] == 1:
                    if product == upstream and parent.parents:
                        grad_of[key] = upstream  # d_parent = d_node (local 1.0): no line, same number
                        continue
                elif not parent.parents:
                    sums.setdefault(key, (text[key], []))[1].append(product)
                    continue
                targets.append(text[key])
                products.append(product)
        return _Backward(targets, products, list(sums.values()), count)


class _Backward(NamedTuple):
    """What ``_Plan.backward`` finds (see there)."""

    targets: list[str]
    products: list[str]
    sums: list[tuple[str, list[str]]]
    count: dict[int, int]


# At most this many terms in one written sum: a longer chain of ``+`` nests deeper than the
# compiler may go (as ``dot``'s forward text, which switches to ``dot_data`` past 64 terms).
_SUM_TERMS = 64


def _sum_lines(variable: str, products: list[str]) -> list[str]:
    """``variable = (p1 + p2 + …)``, one product per line, in sums of at most ``_SUM_TERMS`` terms."""
    lines: list[str] = []
    for start in range(0, len(products), _SUM_TERMS):
        chunk = products[start : start + _SUM_TERMS]
        first, *others = chunk if start == 0 else [variable, *chunk]
        lines += [f"{variable} = (", f"    {first}", *(f"    + {p}" for p in others), ")"]
    return lines


def evaluation_order(root: Value) -> tuple[list[Value], list[Value]]:
    """The ops ``root`` depends on, each after its operands, operands left to right: the order
    Python evaluates an expression in (a depth-first post-order, without recursion); and the
    leaves met on the way, each once, in the order met.  Both backends walk the graph with it."""
    if not root.parents:
        return [], [root]
    ops: list[Value] = []
    leaves: list[Value] = []
    seen = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                if parent.parents:
                    stack.append((parent, iter(parent.parents)))
                    break
                leaves.append(parent)  # a leaf is placed at once: no trip through the stack
        else:
            stack.pop()
            ops.append(node)
    return ops, leaves


def _compile(source: str, namespace: dict, function: str):
    filename = f"<autograd.codegen program {next(_program_ids)}>"
    # (gc is left on: switching it off saved 5-10% of compile time and could leave it off for
    # the whole process when threads compiled at once or an interrupt came in between.)
    code = compile(source, filename, "exec")
    exec(code, namespace)  # the source is built from generated names and float literals only
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return namespace[function], filename


def _forget(filename: str) -> None:
    linecache.cache.pop(filename, None)


class Program:
    """``out, grads = prog(*floats)``: the root's value and ∂root/∂leaves[i], as ``backward()``.

    ``source`` is the Python that runs.  Built by ``codegen(root, leaves)``.
    """

    def __init__(self, plan: _Plan) -> None:
        self._plan = plan
        self.n_leaves = len(plan.leaves)
        self.n_nodes = len(plan.order)
        self._source: str | None = None  # written when first asked for: fit only ever runs batch programs
        self._function = None  # compiled on the first call
        self._batches: dict[tuple, BatchProgram] = {}

    @property
    def source(self) -> str:
        """The Python source of this program, exactly what runs."""
        if self._source is None:
            self._source = self._write()
        return self._source

    def _write(self) -> str:
        plan = self._plan
        terms = plan.backward({id(leaf) for leaf in plan.leaves})
        seen: set[str] = set()
        lines = _wrapped("def program(", plan.arg_names, "):", "")
        lines.append("    # forward: each node once, parents first")
        lines += ["    " + line for line in plan.forward]
        if terms.targets:
            lines.append("    # backward: from the output back, one chain-rule product per line")
        for target, product in zip(terms.targets, terms.products):
            lines.append(f"    d_{target} {'+=' if target in seen else '='} {product}")
            seen.add(target)
        if terms.sums:
            lines.append("    # leaves used more than once (a weight or an input that feeds several nodes): "
                         "their products, summed in order")
        for name, products in terms.sums:
            lines += ["    " + line for line in _sum_lines(f"d_{name}", products)]
        pairs = zip(plan.leaves, plan.arg_names)
        grads = [f"d_{n} + 0.0" if id(leaf) in terms.count else "0.0" for leaf, n in pairs]
        if any(id(leaf) in terms.count for leaf in plan.leaves):
            lines.append("    # + 0.0: backward() adds into grads starting at 0.0, which turns -0.0 into 0.0")
        lines += _wrapped(f"return {plan.out}, (", grads, ",)" if len(grads) == 1 else ")", "    ")
        return "\n".join(lines) + "\n"

    def compile(self) -> Program:
        """Compile ``source`` now (the first call does it otherwise); returns the program."""
        if self._function is None:
            self._function, filename = _compile(self.source, dict(self._plan.namespace), "program")
            weakref.finalize(self, _forget, filename)
        return self

    def __call__(self, *args: float) -> tuple[float, tuple[float, ...]]:
        if len(args) != self.n_leaves:
            raise TypeError(f"this program takes {self.n_leaves} arguments (one float per leaf), "
                            f"got {len(args)}")
        if not _all_floats(args):
            args = _as_floats(args, self._plan.arg_names, "argument")
        if self._function is None:
            self.compile()
        return self._function(*args)

    def batch(self, n_fixed: int, keep: Sequence[Value] = ()) -> BatchProgram:
        """A program over many samples: ``leaves[:n_fixed]`` fixed (parameters), the rest one row
        per sample.  See ``BatchProgram``.  Cached per ``(n_fixed, keep)``."""
        key = (n_fixed, tuple(map(id, keep)))
        if key not in self._batches:
            self._batches[key] = BatchProgram(self._plan, n_fixed, list(keep))
        return self._batches[key]

    def __reduce_ex__(self, protocol: object) -> tuple:
        _refuse_copy("Program")

    def __repr__(self) -> str:
        return f"<autograd.codegen.Program: {self.n_leaves} leaves, {self.n_nodes} nodes>"


def _refuse_copy(what: str) -> None:
    """pickle, copy and deepcopy of a program: a TypeError saying what to do instead."""
    raise TypeError(
        f"a {what} cannot be pickled or copied: it is compiled code made from the graph it was "
        "traced from. Share its .source (plain text) to read it, or call codegen(root, leaves) "
        "again where you need a program (in another process: rebuild the graph there first); "
        "the same program can be called from several threads at once."
    )


class BatchResult(NamedTuple):
    total: float  # Σ over the rows of the root's value
    grads: tuple[float, ...]  # Σ over the rows of ∂root/∂leaves[i], for the fixed leaves
    kept: list[tuple[float, ...]]  # per row, the values of the ``keep`` nodes (empty without keep)


class BatchProgram:
    """``batch(fixed, rows)``: the program run once per row, summed.

    ``fixed`` holds the floats of ``leaves[:n_fixed]`` (the parameters), each row those of
    the other leaves (a sample's inputs and target).  Returns ``BatchResult(total, grads,
    kept)``: exactly ``0.0 + out_1 + out_2 + ...`` and, per fixed leaf,
    ``0.0 + grad_1 + grad_2 + ...`` over the rows in order, where ``out_k, grad_k`` are what
    ``prog(*fixed, *row)`` returns (summing per sample may differ in the last bits from one
    ``backward()`` through a graph of the whole batch).  ``kept`` lists, per row, the values
    of the ``keep`` nodes (for example the network's outputs, to count right answers).
    """

    def __init__(self, plan: _Plan, n_fixed: int, keep: list[Value]) -> None:
        if isinstance(n_fixed, bool) or not isinstance(n_fixed, int) or not 0 <= n_fixed <= len(plan.leaves):
            raise ValueError(f"n_fixed must be an int from 0 to {len(plan.leaves)} (the number of leaves), "
                             f"got {n_fixed!r}")
        for i, node in enumerate(keep):
            if not isinstance(node, Value) or id(node) not in plan.text:
                raise ValueError(f"keep[{i}] must be a Value the root depends on")
        self.n_fixed, self.n_row = n_fixed, len(plan.leaves) - n_fixed
        fixed_leaves, fixed_names = plan.leaves[:n_fixed], plan.arg_names[:n_fixed]
        row_names = plan.arg_names[n_fixed:]
        terms = plan.backward({id(leaf) for leaf in fixed_leaves})
        count = terms.count
        single = {name for leaf, name in zip(fixed_leaves, fixed_names) if count.get(id(leaf), 0) == 1}
        lines = _wrapped("def batch(", ["rows", *fixed_names], "):", "")
        lines.append("    total = 0.0")
        if len(fixed_names) <= 8:
            lines += [f"    g_{n} = 0.0" for n in fixed_names]
        else:  # one statement: quicker to compile than one line per sum
            totals = [f"g_{n}" for n in fixed_names]
            lines += _wrapped("(", totals, f") = (0.0,) * {len(totals)}", "    ")
        if keep:
            lines.append("    keep = []")
        if row_names:
            lines.append(f"    for {', '.join(row_names)}, in rows:")
        else:
            lines.append("    for _row in rows:")
        body = list(plan.forward)
        seen: set[str] = set()
        for target, product in zip(terms.targets, terms.products):
            if target in single:
                body.append(f"g_{target} += {product}")  # its only term: straight into the sum
            else:
                body.append(f"d_{target} {'+=' if target in seen else '='} {product}")
                seen.add(target)
        for name, products in terms.sums:
            body += _sum_lines(f"d_{name}", products)
        body.append(f"total += {plan.out}")
        pairs = zip(fixed_leaves, fixed_names)
        body += [f"g_{n} += d_{n}" for leaf, n in pairs if count.get(id(leaf), 0) > 1]
        if keep:
            kept = [plan.text[id(node)] for node in keep]
            body.append(f"keep.append(({', '.join(kept)},))")
        lines += ["        " + line for line in body]
        tail = f"{',' if len(fixed_names) == 1 else ''}), {'keep' if keep else '[]'}"
        lines += _wrapped("return total, (", [f"g_{n}" for n in fixed_names], tail, "    ")
        self.source = "\n".join(lines) + "\n"
        self._function, filename = _compile(self.source, dict(plan.namespace), "batch")
        weakref.finalize(self, _forget, filename)
        self._fixed_names, self._row_names = fixed_names, row_names

    def __call__(self, fixed: Sequence[float], rows: Iterable[Sequence[float]]) -> BatchResult:
        fixed = tuple(fixed)
        if len(fixed) != self.n_fixed:
            raise TypeError(f"fixed must hold {self.n_fixed} floats, got {len(fixed)}")
        if not _all_floats(fixed):
            fixed = _as_floats(fixed, self._fixed_names, "fixed")
        rows = [tuple(row) for row in rows]
        for k, row in enumerate(rows):
            if len(row) != self.n_row:
                raise TypeError(f"rows[{k}] must hold {self.n_row} floats, got {len(row)}")
            if not _all_floats(row):
                rows[k] = _as_floats(row, self._row_names, f"rows[{k}]")
        total, grads, kept = self._function(rows, *fixed)
        return BatchResult(total, grads, kept)

    def __reduce_ex__(self, protocol: object) -> tuple:
        _refuse_copy("BatchProgram")


_JUST_FLOAT = frozenset({float})


def _all_floats(args: Sequence[object]) -> bool:
    """True when every argument is exactly a float (one C-level pass; the usual case)."""
    return set(map(type, args)) <= _JUST_FLOAT


def _as_floats(args: Sequence[object], names: Sequence[str], where: str) -> tuple[float, ...]:
    """Every argument as a float, as ``Value(x)`` converts it; a TypeError or OverflowError
    naming the argument: ``argument 1 (x)``, ``fixed[0] (w1)``, ``rows[3][1] (x2)``."""
    out = []
    for i, (arg, name) in enumerate(zip(args, names)):
        what = f"{where} {i} ({name})" if where == "argument" else f"{where}[{i}] ({name})"
        try:
            out.append(_value._as_float(arg, what))
        except TypeError:
            raise TypeError(f"{what} must be a real number (int or float), "
                            f"got {type(arg).__name__}") from None
    return tuple(out)


def codegen(root: Value, leaves: Sequence[Value], backend: str = "python") -> Program:
    """Straight-line Python for ``root``'s forward and backward pass, ``leaves`` as arguments.

    ``backend="numpy"``: numpy code over the layers found in the graph instead
    (``autograd.vectorize``; to about 1e-15 relative, not bit for bit; needs numpy).

    ``prog(*floats)`` returns ``(out, grads)``: at the leaves' current data exactly
    ``root.data`` and what ``root.backward()`` puts in each leaf's ``grad`` from zero;
    at other data, what ``backward()`` gives on the same graph rebuilt from it.  The
    Python ``if``s taken while the graph was built are baked in (as with JAX's ``jit``);
    branches inside ops (``relu``) are decided at run time.  A leaf the root does not
    depend on gets 0.0.  A non-leaf or a repeated Value in ``leaves`` is a ValueError.
    """
    if backend == "numpy":
        from .vectorize import vectorize  # imports numpy: only when asked for

        return vectorize(root, leaves)
    if backend != "python":
        raise ValueError(f"backend must be 'python' or 'numpy', got {backend!r}")
    return Program(_Plan(root, leaves))
