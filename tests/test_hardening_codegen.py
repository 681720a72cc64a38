"""Hardening of autograd.codegen: no user object writes source, no process-wide state changes,
huge numbers are named, programs refuse to be pickled with advice.

* Labels: any label object (``str`` subclasses whose methods lie or inject code, objects that
  are not strings) given to the constructor, assigned afterwards, or forced into the slot
  around the checks; a property test over random payloads and random sets of overridden
  methods.  The source must parse, call only the engine's functions, hold no string constant
  and never run the payload.
* gc: threads compiling at once, and a KeyboardInterrupt raised at every line that runs in
  ``autograd/codegen.py`` while a program is built and compiled.
"""

import ast
import builtins
import copy
import gc
import pickle
import sys
import threading
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.codegen import codegen

MARK = "glassgrad_hardening_hit"


def payload(text: str) -> str:
    """Text that runs code if it ever reaches the source outside a quoted, escaped comment."""
    return f"'z'\n    __import__('builtins').{MARK} = 1  # {text}"


def hostile_str_class(methods: frozenset, text: str):
    """A str subclass whose chosen methods lie (say 'identifier!') or return the payload."""
    evil = payload(text)
    body = {
        "__repr__": lambda self: evil,
        "__str__": lambda self: evil,
        "__format__": lambda self, spec: evil,
        "isidentifier": lambda self: True,
        "isascii": lambda self: True,
        "isprintable": lambda self: True,
        "replace": lambda self, *args: self,
        "startswith": lambda self, *args: False,
        "__len__": lambda self: 1,
        "__eq__": lambda self, other: True,
        "__hash__": lambda self: 0,
        "encode": lambda self, *args, **kwargs: evil.encode(),
    }
    return type("Hostile", (str,), {name: body[name] for name in methods})


METHODS = ["__repr__", "__str__", "__format__", "isidentifier", "isascii", "isprintable", "replace",
           "startswith", "__len__", "__eq__", "__hash__", "encode"]


def check_source(prog):
    """The source parses, calls only the engine's functions, has no string and never ran the payload."""
    tree = ast.parse(prog.source)
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Attribute, ast.Import, ast.ImportFrom))]
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert calls <= set(autograd.value.CODE_NAMESPACE)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert prog.source.isascii()
    for line in prog.source.splitlines():
        code = line.split("#", 1)[0]
        assert MARK not in code and "__import__" not in code


def build(labels, assign):
    """``tanh(x*x) + y`` with the labels on x, the product and the root."""
    if assign:
        x, y = Value(2.0), Value(-1.0, label="y")
        x.label = labels[0]
    else:
        x, y = Value(2.0, label=labels[0]), Value(-1.0, label="y")
    product = x * x
    product.label = labels[1]
    root = product.tanh() + y
    root.label = labels[2]
    return root, [x, y]


@settings(max_examples=60, deadline=None)
@given(methods=st.frozensets(st.sampled_from(METHODS), min_size=1), text=st.text(max_size=30),
       assign=st.booleans())
def test_no_label_object_ever_writes_source(methods, text, assign):
    cls = hostile_str_class(methods, text)
    root, leaves = build([cls("x"), cls("p"), cls("out")], assign)
    for node in (leaves[0], root):
        assert type(node.label) is str  # a plain copy is what the engine keeps
    prog = codegen(root, leaves)
    check_source(prog)
    root.backward()
    out, grads = prog(2.0, -1.0)
    assert (out, grads) == (root.data, (leaves[0].grad, leaves[1].grad))
    assert not hasattr(builtins, MARK)


def test_the_issues_reproduction_creates_no_file(tmp_path):
    target = tmp_path / "p"

    class L(str):
        def __repr__(self):
            return f"'z'\n    open({str(target)!r},'w')  #"

    x = Value(2.0)
    y = x * x
    y.label = L("y")
    prog = codegen(y + 1, [x])
    assert prog(2.0) == (5.0, (4.0,))
    assert not target.exists()
    check_source(prog)


@pytest.mark.parametrize("bad", [5, 2.5, b"x", ["x"], object(), Fraction(1, 2)])
def test_a_label_assigned_later_is_checked_as_the_constructor_checks_it(bad):
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match="label"):
        x.label = bad
    assert x.label == "x"  # unchanged
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=bad)
    x.label = None
    assert x.label is None


def test_a_label_forced_into_the_slot_is_never_asked_to_write_source():
    class Evil:
        def __repr__(self):
            return payload("repr")

        __str__ = __format__ = __repr__

    class EvilStr(str):
        def __repr__(self):
            return payload("str repr")

    x = Value(2.0)
    y = x * 3.0
    z = y.tanh()
    Value._label.__set__(y, Evil())  # around the property: what a careless subclass could do
    Value._label.__set__(z, EvilStr("z\nz"))
    prog = codegen(z, [x])
    check_source(prog)
    assert prog(2.0) == (z.data, prog(2.0)[1])


def test_a_hostile_op_name_is_not_used_for_a_variable_name():
    cls = hostile_str_class(frozenset({"isidentifier", "isascii", "startswith", "__repr__"}), "op")
    x = Value(2.0)
    y = x * x
    y.op = cls("not an identifier")
    prog = codegen(y, [x])
    check_source(prog)


# ------------------------------------------------------------------ gc: no process-wide state
def small_graph(k: int):
    leaves = [Value(0.1 * (i + k)) for i in range(6)]
    root = autograd.sum([(a * b).tanh() for a, b in zip(leaves, leaves[1:])])
    return root, leaves


def compile_in_threads(threads: int) -> list:
    """``threads`` threads each building and compiling 15 programs at once; their errors."""
    start = threading.Barrier(threads)
    errors = []

    def work(k):
        try:
            start.wait()
            for i in range(15):
                root, leaves = small_graph(k + i)
                codegen(root, leaves).compile().batch(2)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    return errors


def test_threads_compiling_at_once_leave_gc_as_it_was():
    before_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for threads in (4, 8, 16):
            for wanted in (True, False):
                gc.enable() if wanted else gc.disable()
                assert compile_in_threads(threads) == []
                assert gc.isenabled() is wanted, f"{threads} threads left gc {'off' if wanted else 'on'}"
    finally:
        sys.setswitchinterval(before_interval)
        gc.enable()


def interrupt_at(k: int, action) -> bool:
    """Run ``action`` with a KeyboardInterrupt raised at the k-th line run in codegen.py; True if it came."""
    count = [0]
    fired = [False]

    def tracer(frame, event, arg):
        if not frame.f_code.co_filename.endswith("codegen.py") or frame.f_code.co_name == "_forget":
            return None
        if event == "line":
            count[0] += 1
            if count[0] == k:
                fired[0] = True
                raise KeyboardInterrupt
        return tracer

    sys.settrace(tracer)
    try:
        action()
    except KeyboardInterrupt:
        pass
    finally:
        sys.settrace(None)
    return fired[0]


def test_an_interrupt_at_any_line_of_building_and_compiling_leaves_gc_on():
    def action():
        root, leaves = small_graph(1)
        prog = codegen(root, leaves)
        prog.compile()
        prog.batch(3)

    tried = 0
    k = 1
    while interrupt_at(k, action):
        assert gc.isenabled(), f"an interrupt at line event {k} of codegen.py left gc off"
        tried += 1
        k += 1
    print(f"{tried} interrupt points tried")
    assert tried > 100  # every line that runs was an interrupt point
    gc.enable()


# ------------------------------------------------------------------ huge numbers as arguments
def test_a_huge_int_argument_is_named():
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    prog = codegen(x * w, [x, w])
    with pytest.raises(OverflowError, match=r"argument 1 \(w\).*fits in a float.*401 digits"):
        prog(1.0, 10**400)
    with pytest.raises(OverflowError, match=r"argument 0 \(x\)"):
        prog(-(10**400), 1.0)
    with pytest.raises(OverflowError, match=r"argument 0 \(x\)"):
        prog(Fraction(10**400, 3), 1.0)
    batch = prog.batch(1)
    with pytest.raises(OverflowError, match=r"fixed\[0\] \(x\)"):
        batch([10**400], [(1.0,)])
    with pytest.raises(OverflowError, match=r"rows\[2\]\[0\] \(w\)"):
        batch([1.0], [(1.0,), (2,), (10**400,)])
    assert prog(1, 2) == (2.0, (2.0, 1.0))  # ints that fit are still fine


# ------------------------------------------------------------------ pickling and copying
def test_programs_refuse_pickle_and_copy_with_advice():
    root, leaves = small_graph(2)
    prog = codegen(root, leaves)
    batch = prog.batch(3)
    for thing, name in ((prog, "Program"), (batch, "BatchProgram")):
        for attempt in (pickle.dumps, copy.copy, copy.deepcopy, lambda p: pickle.dumps(p, protocol=0)):
            with pytest.raises(TypeError, match=rf"a {name} cannot be pickled or copied.*\.source.*codegen"):
                attempt(thing)
    assert prog(*[leaf.data for leaf in leaves])[0] == root.data  # still works
