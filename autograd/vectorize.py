"""Matrix code from a scalar graph: ``codegen(root, leaves, backend="numpy")``.

The scalar graph of a network *contains* its matrices: the 30 ``dot`` nodes of a layer
read one input list, so together they are one product ``W @ x``; the σ applied to each of
them is one ``sigmoid(z)`` over a vector.  This module finds such groups and writes numpy
code over them, forward and backward, in the layer form of the documents::

    z1 = W1 @ x + b1          # in_diff = Wᵀ · out_diff,  W_diff = out_diff · xᵀ
    a1 = sigmoid(z1)
    ...
    d_z1 = (a1 * (1.0 - a1)) * d_a1
    d_W1 = d_z1 @ x.T
    d_x = W1.T @ d_z1

Four modules, one job each:

* ``autograd.grouping`` finds the groups (one pass, linear in nodes and edges): ``dot``
  nodes of one level reading the same inputs are a matrix product; the other nodes of a
  level with the same rule and arity are one elementwise line; big sums are sums over a
  vector.  A node that groups with nothing is a vector of one: a scalar line.  So any
  graph compiles and gives the right numbers; only the speed depends on how much groups.
* ``autograd.array_forms``: the ops' own rule texts (``autograd.value.rule_for``) over
  arrays (``a if c else b`` becomes ``where(c, a, b)``): no elementwise derivative is
  written twice.
* ``autograd.numpy_source`` writes the groups as numpy lines, forward then backward; it
  knows the matrix form of ``dot`` (Wᵀ·δ and δ·xᵀ) and of a sum (a broadcast), which are
  not elementwise.
* this module: the programs (``NumpyProgram``, ``NumpyBatchProgram``) and ``vectorize``.

Not bit for bit: a matrix product and a vector sum add their terms in another order than
``dot`` and ``backward()`` do (and numpy's exp/log/tanh may differ from ``math``'s in the
last bit), so values and gradients agree with ``backward()`` to about 1e-15 relative, not
exactly (tests/test_vectorize.py checks 1e-12).  NaN and ±inf propagate as in the scalar
pass; where the scalar forward pass raises (log of 0, division by 0, exp overflow), so does
this one, for the first such op it meets.

No user string becomes code: names come from labels only when a label is a plain ASCII
identifier; comments show labels only as ``ascii(str.__str__(label))`` of a ``str``.

numpy is imported by these modules only (``grouping`` does not need it), and ``autograd``
imports them only when the numpy backend is asked for.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Sequence
from typing import NamedTuple

try:
    import numpy as np
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "autograd.codegen(..., backend='numpy') needs numpy: pip install numpy"
    ) from None

from . import value as _value
from .backward import topological_order
from .codegen import _all_floats, _compile, _forget, check_leaves  # shared: see codegen.check_leaves
from .grouping import Plan
from .numpy_source import Writer
from .value import Value

__all__ = ["NumpyBatchProgram", "NumpyBatchResult", "NumpyProgram", "vectorize"]

_Plan = Plan  # the grouping pass, by the name benchmarks/bench_w6.py times it under


class _Compiled:
    """A plan written out and compiled: ``run(F, R, B) -> (out, g, kept)``."""

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: Sequence[Value]) -> None:
        started = time.perf_counter()
        self.plan = plan = Plan(root, leaves, n_fixed, keep)
        self.source, namespace = Writer(plan).write()
        self.constants = np.array(plan.constants, dtype=float)
        self._function, filename = _compile(self.source, dict(namespace), "program")
        weakref.finalize(self, _forget, filename)
        self.grouped = any(len(u.nodes) > 1 or u.kind != "elementwise" for u in plan.units)
        self.generation_seconds = time.perf_counter() - started

    def run(self, fixed, rows, n_samples: int):
        F = np.concatenate((fixed, self.constants)) if len(self.constants) else fixed
        with np.errstate(all="ignore"):
            return self._function(F, rows, n_samples)


class NumpyProgram:
    """``out, grads = prog(*floats)``: the root's value and ∂root/∂leaves[i], as ``backward()``
    gives them to about 1e-15 relative (matrix products add in another order).

    ``source`` is the numpy code that runs, one line per group of scalar nodes; ``grouped``
    says whether anything grouped at all.  ``batch(n_fixed)`` runs many samples at once.
    """

    def __init__(self, root: Value, leaves: list[Value]) -> None:
        self._root, self._leaves = root, leaves
        self._compiled = _Compiled(root, leaves, len(leaves), ())
        self.n_leaves = len(leaves)
        self.n_nodes = self._compiled.plan.n_nodes
        self._batches: dict[tuple, NumpyBatchProgram] = {}

    @property
    def source(self) -> str:
        return self._compiled.source

    @property
    def grouped(self) -> bool:
        """False when no two nodes formed a vector or matrix: every op is a scalar line."""
        return self._compiled.grouped

    @property
    def generation_seconds(self) -> float:
        return self._compiled.generation_seconds

    def __call__(self, *args: float) -> tuple[float, tuple[float, ...]]:
        if len(args) != self.n_leaves:
            raise TypeError(f"this program takes {self.n_leaves} arguments (one float per leaf), "
                            f"got {len(args)}")
        if not _all_floats(args):
            args = [_value._as_float(arg, f"argument {i}") for i, arg in enumerate(args)]
        out, g, _ = self._compiled.run(np.array(args, dtype=float), None, 1)
        return float(out[0, 0]), tuple((g + 0.0).tolist())

    def batch(self, n_fixed: int, keep: Sequence[Value] = ()) -> NumpyBatchProgram:
        """A program over many samples: ``leaves[:n_fixed]`` fixed, the rest one row per sample."""
        key = (n_fixed, tuple(map(id, keep)))
        if key not in self._batches:
            self._batches[key] = NumpyBatchProgram(self._root, self._leaves, n_fixed, list(keep))
        return self._batches[key]

    def __repr__(self) -> str:
        return (f"<autograd.vectorize.NumpyProgram: {self.n_leaves} leaves, {self.n_nodes} nodes, "
                f"{len(self._compiled.plan.units)} lines>")


class NumpyBatchResult(NamedTuple):
    total: float  # Σ over the samples of the root's value
    grads: np.ndarray  # Σ over the samples of ∂root/∂leaves[i], for the fixed leaves (one float each)
    kept: np.ndarray | None  # per sample (row), the values of the ``keep`` nodes; None without keep


class NumpyBatchProgram:
    """``batch(fixed, rows)``: all samples at once, samples as a second axis of every vector.

    ``fixed``: the floats of ``leaves[:n_fixed]`` (the parameters); ``rows``: one row per
    sample with the other leaves' floats (a 2-D array of shape (samples, leaves - n_fixed)).
    Returns ``NumpyBatchResult(total, grads, kept)``: the sums over the samples, as
    ``codegen``'s ``BatchProgram`` but with ``grads`` a numpy array and ``kept`` an array of
    shape (samples, len(keep)).
    """

    def __init__(self, root: Value, leaves: list[Value], n_fixed: int, keep: list[Value]) -> None:
        if isinstance(n_fixed, bool) or not isinstance(n_fixed, int) or not 0 <= n_fixed <= len(leaves):
            raise ValueError(f"n_fixed must be an int from 0 to {len(leaves)} (the number of leaves), "
                             f"got {n_fixed!r}")
        reachable = {id(node) for node in topological_order(root)}
        for i, node in enumerate(keep):
            if not isinstance(node, Value) or id(node) not in reachable:
                raise ValueError(f"keep[{i}] must be a Value the root depends on")
        self.n_fixed, self.n_row = n_fixed, len(leaves) - n_fixed
        self._compiled = _Compiled(root, leaves, n_fixed, keep)

    @property
    def source(self) -> str:
        return self._compiled.source

    @property
    def generation_seconds(self) -> float:
        return self._compiled.generation_seconds

    def __call__(self, fixed, rows) -> NumpyBatchResult:
        fixed = _as_array(fixed, "fixed")
        if fixed.shape != (self.n_fixed,):
            raise TypeError(f"fixed must hold {self.n_fixed} floats, got shape {fixed.shape}")
        rows = _as_array(rows, "rows")
        if rows.ndim != 2 or rows.shape[1] != self.n_row:
            raise TypeError(f"rows must be a 2-D array of shape (samples, {self.n_row}), "
                            f"got shape {rows.shape}")
        n = rows.shape[0]
        if n == 0:
            return NumpyBatchResult(0.0, np.zeros(self.n_fixed), np.zeros((0, len(self._compiled.plan.keep))))
        out, g, kept = self._compiled.run(fixed, rows.T, n)
        total = float(out.sum()) if out.shape[1] == n else float(out[0, 0]) * n
        return NumpyBatchResult(total, g + 0.0, kept)


def _as_array(data: object, what: str) -> np.ndarray:
    """``data`` as an array of floats; a TypeError naming ``what`` for text, None, bools or objects."""
    array = np.asarray(data) if not isinstance(data, np.ndarray) else data
    if array.dtype.kind not in "fiu":  # floats or ints; not bool, str, object
        raise TypeError(f"{what} must hold real numbers (floats or ints), got an array of {array.dtype}")
    return array.astype(float, copy=False)


def vectorize(root: Value, leaves: Sequence[Value]) -> NumpyProgram:
    """numpy code for ``root``'s forward and backward pass, ``leaves`` as arguments (see the module)."""
    return NumpyProgram(root, check_leaves(root, leaves))
