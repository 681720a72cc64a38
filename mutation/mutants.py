"""The committed list of mutants: small deliberate bugs the test suite must catch.

Each one is an exact replacement of text that occurs once in ``file`` (plus the ``also``
pairs); ``tests`` are the
test files (or node ids) that should notice it, run with ``pytest -x``.  A mutant that
cannot be noticed because it changes nothing observable is marked ``equivalent`` with the
argument why; every other survivor is a missing test.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]
    why: str
    equivalent: str = ""
    # more (find, replace) pairs in the same file, for a rule written twice (its function and
    # the expression text the fast pass and codegen inline): a mutant changes both alike
    also: tuple[tuple[str, str], ...] = ()


MUTANTS: list[Mutant] = []

_LOSSES = ("tests/test_nn_losses.py",)
_DELTAS = ("tests/test_nn_deltas.py",)
_LAYERS = ("tests/test_nn_layers.py",)
_MODULE = ("tests/test_nn_module.py", "tests/test_nn_model_files.py")
_OPTIM = ("tests/test_nn_optim.py",)
_FILES = ("tests/test_files.py",)
_CHECK = ("tests/test_check.py", "tests/test_check_tolerance.py")
_CODEGEN = ("tests/test_codegen.py",)

MUTANTS += [
    # nn/losses.py
    Mutant(
        "L01",
        "nn/losses.py",
        "def binary_cross_entropy(a: Output, y: Target, eps: float = 1e-12)",
        "def binary_cross_entropy(a: Output, y: Target, eps: float = 1e-3)",
        _LOSSES,
        "binary_cross_entropy's clip raised from 1e-12 to 1e-3 (issue 17)",
    ),
    Mutant(
        "L02",
        "nn/losses.py",
        "return 0.5 * _total([(ai - yi) ** 2",
        "return 1.0 * _total([(ai - yi) ** 2",
        _LOSSES,
        "quadratic cost loses its 1/2",
    ),
    Mutant(
        "L03",
        "nn/losses.py",
        "* (1.0 / len(outputs))",
        "* (1.0 / (len(outputs) + 1))",
        _LOSSES,
        "mse divides by m + 1",
    ),
    Mutant(
        "L04",
        "nn/losses.py",
        "terms.append(-(1.0 - yj) * _log_clipped(1.0 - aj, eps))",
        "terms.append(-(1.0 - yj) * _log_clipped(aj, eps))",
        _LOSSES,
        "binary cross-entropy's second term takes ln a instead of ln(1 - a)",
    ),
    Mutant(
        "L05",
        "nn/losses.py",
        "minus_abs = -zj if zj.data > 0.0 else zj",
        "minus_abs = zj",
        _LOSSES,
        "BCE with logits uses z instead of -|z| (overflows for large z)",
    ),
    Mutant(
        "L06",
        "nn/losses.py",
        "return log_sum_exp(logits, shift) - logits[target]",
        "return log_sum_exp(logits, shift) - logits[0]",
        _LOSSES,
        "cross_entropy always scores class 0",
    ),
    Mutant(
        "L07",
        "nn/losses.py",
        "if not 0 <= target < classes:",
        "if not -classes <= target < classes:",
        _LOSSES,
        "class index check allows negative indexing (issue 11 item 11)",
    ),
    Mutant(
        "L08",
        "nn/losses.py",
        "return (1.0 - label * outputs[0]).relu()",
        "return (1.0 - label * outputs[0])",
        _LOSSES,
        "hinge forgets max(0, .)",
    ),
    Mutant(
        "L09",
        "nn/losses.py",
        "return autograd.dot(ws, ws) * (0.5 * strength)",
        "return autograd.dot(ws, ws) * strength",
        _LOSSES,
        "l2_penalty doubled",
    ),
    Mutant(
        "L10",
        "nn/losses.py",
        "for z in logits]).log() + shift",
        "for z in logits]).log()",
        _LOSSES + ("tests/test_nn_fit_codegen.py",),
        "log-sum-exp forgets to add the shift back (cross_entropy and fit's one-program form)",
    ),
    # nn/deltas.py
    Mutant(
        "D01",
        "nn/deltas.py",
        "delta[last] = [g * s for g, s in zip(grad_a, sigma_prime(last))]  # BP1",
        "delta[last] = list(grad_a)  # BP1",
        _DELTAS,
        "BP1 forgets sigma'(z^L)",
    ),
    Mutant(
        "D02",
        "nn/deltas.py",
        "sum(W_next[k][j] * delta[l + 1][k] for k in range(len(W_next))) * s",
        "sum(W_next[k][0] * delta[l + 1][k] for k in range(len(W_next))) * s",
        _DELTAS,
        "BP2 takes every neuron's first weight instead of w_kj",
    ),
    Mutant(
        "D03",
        "nn/deltas.py",
        "grad_w = [[[ak * dj for ak in activations[l]]",
        "grad_w = [[[ak * dj for ak in activations[l + 1][: len(activations[l])]]",
        _DELTAS,
        "BP4 multiplies by a^l instead of a^(l-1)",
    ),
    Mutant(
        "D04",
        "nn/deltas.py",
        "            worst = max(worst, abs(w.grad - expected.grad_w[l][j][k]))\n",
        "            pass\n",
        _DELTAS,
        "compare_with_autograd ignores the weights' gradients",
    ),
    Mutant(
        "D05",
        "nn/deltas.py",
        "    worst = abs(c.data - expected.cost)\n",
        "    worst = 0.0\n",
        _DELTAS,
        "compare_with_autograd ignores the cost",
    ),
    Mutant(
        "D06",
        "nn/deltas.py",
        "return cost, [-yi / ai + (1.0 - yi) / (1.0 - ai)",
        "return cost, [-yi / ai - (1.0 - yi) / (1.0 - ai)",
        _DELTAS,
        "bp_equations' cross-entropy gradient with a wrong sign",
    ),
    # nn/layers.py
    Mutant(
        "N01",
        "nn/init.py",
        '"lecun": lambda fan_in, fan_out: 1.0 / math.sqrt(fan_in),',
        '"lecun": lambda fan_in, fan_out: 1.0,',
        _LAYERS + ("tests/test_nn_module_tree.py",),
        "weights drawn with std 1 instead of 1/sqrt(nin)",
    ),
    Mutant(
        "N02",
        "nn/layers.py",
        'self.w = [Value(v, label=f"w{i + 1}") for i, v in enumerate(weights)]\n'
        '        self.b = self.bias(Value(0.0, label="b"))',
        'self.b = self.bias(Value(0.0, label="b"))\n'
        '        self.w = [Value(v, label=f"w{i + 1}") for i, v in enumerate(weights)]',
        _LAYERS + _MODULE,
        "a neuron's parameters with the bias first (the documented order is weights then bias)",
    ),
    # nn/model_files.py
    Mutant(
        "F01",
        "nn/model_files.py",
        "if type(value) not in (int, float) or not math.isfinite(value):",
        "if type(value) not in (int, float):",
        _MODULE,
        "load accepts NaN and infinite parameters",
    ),
    Mutant(
        "F02",
        "nn/model_files.py",
        "MAX_NESTING = 32",
        "MAX_NESTING = 10**6",
        _MODULE,
        "load walks any nesting (RecursionError on hostile JSON)",
    ),
    # nn/optim.py
    Mutant(
        "O01",
        "nn/optim.py",
        "self.shrink = [1.0 - lr * weight_decay if id(p) in weight_ids else 1.0",
        "self.shrink = [1.0 - lr * weight_decay if True else 1.0",
        _OPTIM,
        "weight decay shrinks biases too",
    ),
    Mutant(
        "O02",
        "nn/optim.py",
        "new_data = [shrink * p.data - lr * p.grad",
        "new_data = [shrink * p.data + lr * p.grad",
        _OPTIM,
        "gradient ascent",
    ),
    Mutant(
        "O03",
        "nn/optim.py",
        "            if not math.isfinite(value):\n",
        "            if False:\n",
        _OPTIM,
        "a non-finite gradient is applied",
    ),
    # autograd/files.py
    Mutant(
        "A01",
        "autograd/files.py",
        "            os.fsync(file.fileno())\n            os.replace(temporary, target)",
        "            os.fsync(file.fileno())\n            os.replace(temporary, target)\n"
        "            os.chmod(target, 0o644)",
        _FILES,
        "a save widens an existing file's permissions",
    ),
    Mutant(
        "A02",
        "autograd/files.py",
        "    except ProcessLookupError:\n        return False",
        "    except ProcessLookupError:\n        return True",
        _FILES,
        "stale temporary files are never removed",
    ),
    Mutant(
        "A03",
        "autograd/files.py",
        "        os.kill(pid, 0)\n",
        "        pass\n",
        _FILES,
        "every temporary file counts as stale, a live writer's too",
    ),
    # autograd/check.py
    Mutant(
        "C01",
        "autograd/check.py",
        "    rtol: float = 1e-4,",
        "    rtol: float = 1e-1,",
        _CHECK,
        "gradcheck's rtol loosened from 1e-4 to 1e-1 (issue 17)",
    ),
    Mutant(
        "C02",
        "autograd/check.py",
        "        grads.append((plus - minus) / (2.0 * eps))",
        "        grads.append((plus - minus) / eps)",
        _CHECK,
        "numeric derivative off by a factor 2",
    ),
    Mutant(
        "C03",
        "autograd/check.py",
        "        for node, grad in zip(graph, saved_graph):\n            node.grad = grad\n",
        "        pass\n",
        _CHECK,
        "gradcheck leaves grads changed (issue 11 item 12)",
    ),
    Mutant(
        "C04",
        "autograd/check.py",
        "        if not (math.isfinite(a) and math.isfinite(n)):",
        "        if False:",
        _CHECK,
        "NaN gradients pass gradcheck",
    ),
]

_ENGINE = (
    "tests/test_value.py",
    "tests/test_backward.py",
    "tests/test_rules.py",
    "tests/test_properties.py",
    "tests/test_extremes.py",
)
_FAST = ("tests/test_fast.py", "tests/test_rules.py")
_THREADS = ("tests/test_threads.py",)

MUTANTS += [
    # autograd/value.py: each rule changed in both of its forms (function and inlined text)
    Mutant(
        "V01",
        "autograd/value.py",
        "        if n == 0.0:\n            return (0.0,)",
        "        if n == 0.0:\n            return (1.0,)",
        _ENGINE,
        "the derivative of x ** 0 is 1 (issue 17)",
        also=(('["0.0" if n == 0.0 else', '["1.0" if n == 0.0 else'),),
    ),
    Mutant(
        "V02",
        "autograd/value.py",
        "    elif a.data == 0.0:\n        d_exponent = 0.0",
        "    elif a.data == 0.0:\n        d_exponent = 1.0",
        _ENGINE,
        "d(a ** b)/db at a = 0 is 1 (issue 17)",
        also=(("else 0.0 if {0} == 0.0 else nan", "else 1.0 if {0} == 0.0 else nan"),),
    ),
    Mutant(
        "V03",
        "autograd/value.py",
        "    return (b.data, a.data)",
        "    return (a.data, b.data)",
        _ENGINE,
        "the product rule with the locals swapped",
        also=(('locals_=("{1}", "{0}")', 'locals_=("{0}", "{1}")'),),
    ),
    Mutant(
        "V04",
        "autograd/value.py",
        "    return (1.0 / b.data, -(a.data / b.data) / b.data)",
        "    return (1.0 / b.data, (a.data / b.data) / b.data)",
        _ENGINE,
        "d(a/b)/db with the wrong sign",
        also=(('"-({0} / {1}) / {1}"', '"({0} / {1}) / {1}"'),),
    ),
    Mutant(
        "V05",
        "autograd/value.py",
        "    return (1.0 / x.data,)",
        "    return (1.0000001 / x.data,)",
        _ENGINE,
        "log's derivative off by 1e-7 relative",
        also=(('locals_=("1.0 / {0}",)', 'locals_=("1.0000001 / {0}",)'),),
    ),
    Mutant(
        "V06",
        "autograd/value.py",
        '@rule("exp", forward="checked_exp({0})", locals_=("{out}",))\ndef exp_local(out: Value) '
        "-> tuple[float]:\n    return (out.data,)",
        '@rule("exp", forward="checked_exp({0})", locals_=("{0}",))\ndef exp_local(out: Value) '
        "-> tuple[float]:\n    return (out.parents[0].data,)",
        _ENGINE,
        "exp's derivative is x instead of e^x",
    ),
    Mutant(
        "V07",
        "autograd/value.py",
        "    return (sigmoid(x.data),)",
        "    return (sigmoid(-x.data),)",
        _ENGINE,
        "softplus' derivative is sigma(-x)",
        also=(('locals_=("sigmoid({0})",)', 'locals_=("sigmoid(-{0})",)'),),
    ),
    Mutant(
        "V08",
        "autograd/value.py",
        "        return (*data[n : 2 * n], *data[:n], 1.0)",
        "        return (*data[n : 2 * n], *data[:n], 0.0)",
        _ENGINE,
        "dot's bias gets no gradient",
        also=(('*(["1.0"] if len(names) % 2 else [])', '*(["0.0"] if len(names) % 2 else [])'),),
    ),
    Mutant(
        "V09",
        "autograd/value.py",
        "        return op(a, b)\n\n    return method, reflected",
        "        return op(b, a)\n\n    return method, reflected",
        _ENGINE,
        "reflected operators swap the operands (2 - x computes x - 2)",
    ),
    Mutant(
        "V10",
        "autograd/value.py",
        "    token = _recording.set(False)",
        "    token = _recording.set(True)",
        _ENGINE + _THREADS,
        "no_grad records anyway",
    ),
    Mutant(
        "V11",
        "autograd/value.py",
        "        _recording.reset(token)",
        "        _recording.set(False)",
        _THREADS,
        "leaving no_grad leaves recording off",
    ),
    # autograd/operators.py: float math shared by the ops and nn
    Mutant(
        "P01",
        "autograd/operators.py",
        '    """tanh′(z) from a = tanh(z): 1 − a²."""\n    return 1.0 - a * a',
        '    """tanh′(z) from a = tanh(z): 1 − a²."""\n    return 1.0 - a',
        _ENGINE + _DELTAS,
        "tanh' is 1 - a",
    ),
    Mutant(
        "P02",
        "autograd/operators.py",
        "    if x >= 0.0:\n        return 1.0 / (1.0 + math.exp(-x))",
        "    if x >= 0.0:\n        return 1.0 / (1.0 + math.exp(x))",
        _ENGINE,
        "sigmoid's positive branch uses e^x",
    ),
    Mutant(
        "P03",
        "autograd/operators.py",
        "    return 0.0 if x <= 0.0 else x\n",
        "    return 0.0 if not x > 0.0 else x\n",
        _ENGINE + ("tests/test_torch_oracle.py",),
        "relu turns NaN into 0 (issue 11 item 3)",
    ),
    Mutant(
        "P04",
        "autograd/operators.py",
        "    return 0.0 if a <= 0.0 else 1.0\n",
        "    return 0.0 if a < 0.0 else 1.0\n",
        _ENGINE + ("tests/test_torch_oracle.py",),
        "relu' at 0 is 1 (PyTorch: 0)",
    ),
    # autograd/backward.py
    Mutant(
        "B01",
        "autograd/backward.py",
        "                parent.grad += local * upstream  # the chain rule",
        "                parent.grad = local * upstream  # the chain rule",
        ("tests/test_backward.py", "tests/test_value.py"),
        "the chain rule assigns instead of accumulating (+= becomes =)",
    ),
    Mutant(
        "B02",
        "autograd/backward.py",
        "            node.grad = grad + node.grad",
        "            node.grad = node.grad",
        ("tests/test_backward.py",),
        "leaves forget what they held before backward (no accumulation)",
    ),
    Mutant(
        "B03",
        "autograd/backward.py",
        "    root.grad = 1.0\n    try:",
        "    root.grad = 2.0\n    try:",
        ("tests/test_backward.py",),
        "the seed d root / d root is 2",
    ),
    Mutant(
        "B04",
        "autograd/backward.py",
        "        for node, grad in held:\n            node.grad = grad\n        raise",
        "        raise",
        ("tests/test_backward.py",),
        "a failed backward leaves grads half-filled (issue 11 item 2)",
    ),
    Mutant(
        "B05",
        "autograd/backward.py",
        "            if counting and len(seen) > limit:",
        "            if counting and len(seen) > limit + 1:",
        ("tests/test_backward.py", "tests/test_graph.py"),
        "topological_order's limit lets one Value too many through",
    ),
    Mutant(
        "B06",
        "autograd/backward.py",
        "                i += 1\n",
        "",
        ("tests/test_backward.py", "tests/test_value.py"),
        "every parent gets the first parent's local derivative (the counter never moves)",
    ),
    Mutant(
        "B07",
        "autograd/backward.py",
        "_chain_rule(root, pause=True)",
        "_chain_rule(root, pause=False)",
        ("tests/test_backward.py",),
        "backward_steps never pauses, so it yields no Step",
    ),
    Mutant(
        "B08",
        "autograd/backward.py",
        "stack.append(None)\n                stack.extend(node.parents)",
        "stack.extend(node.parents)\n                stack.append(None)",
        ("tests/test_backward.py", "tests/test_graph.py"),
        "the marker goes on top of the parents instead of under them: a parent is placed too early",
    ),
    Mutant(
        "B09",
        "autograd/backward.py",
        "            elif node not in seen:",
        "            elif True:",
        ("tests/test_backward.py", "tests/test_graph.py"),
        "a node reached through two children is walked and placed twice",
    ),
    # autograd/fast.py
    Mutant(
        "S01",
        "autograd/value.py",
        '        return f"-{upstream}"',
        "        return upstream",
        _FAST + _CODEGEN,
        "the chain rule's product written as code (fast pass and codegen) drops a local -1.0's minus sign",
    ),
    Mutant(
        "S02",
        "autograd/fast.py",
        '            f"    x.grad += {product_code(x_local, \'upstream\')}",',
        '            f"    x.grad = {product_code(x_local, \'upstream\')}",',
        _FAST,
        "the fast pass's dot assigns to inputs instead of accumulating",
    ),
    Mutant(
        "S03",
        "autograd/fast.py",
        '            f"    w.grad += {product_code(w_local, \'upstream\')}",\n            "    i += 1",',
        '            f"    w.grad += {product_code(w_local, \'upstream\')}",',
        _FAST,
        "the fast pass's dot gives every weight the first input (its counter never moves)",
    ),
    # autograd/codegen.py
    Mutant(
        "G01",
        "autograd/codegen.py",
        'grads = [f"d_{n} + 0.0" if id(leaf) in terms.count else "0.0" for leaf, n in pairs]',
        'grads = [f"d_{n}" if id(leaf) in terms.count else "0.0" for leaf, n in pairs]',
        _CODEGEN,
        "codegen returns -0.0 where backward() gives 0.0",
    ),
]

_FIT = (
    "tests/test_nn_fit_options.py",
    "tests/test_nn_fit_stop.py",
    "tests/test_nn_fit_codegen.py",
    "tests/test_nn_fit_checks.py",
    "tests/test_nn_fit_accuracy.py",
    "tests/test_nn_train.py",
)

MUTANTS += [
    # nn/train.py (issue 17's fit mutants first)
    Mutant(
        "T01",
        "nn/train.py",
        '    l2 = check_number("l2", l2, minimum=0.0)',
        '    l2 = 2 * check_number("l2", l2, minimum=0.0)',
        _FIT,
        "fit with l2 doubled (issue 17)",
    ),
    Mutant(
        "T02",
        "nn/train.py",
        "            self.rng.shuffle(self.order)",
        "            pass",
        _FIT,
        "fit never shuffles (issue 17)",
    ),
    Mutant(
        "T03",
        "nn/train.py",
        "        history.epoch_costs.append(sum(costs) / len(costs))",
        "        history.epoch_costs.append(costs[-1])",
        _FIT,
        "the epoch cost is the last batch's (issue 17)",
    ),
    Mutant(
        "T04",
        "nn/train.py",
        "        if full >= self.stop_below:",
        "        if self.history.costs[-1] >= self.stop_below:",
        _FIT,
        "stop_below tests the last batch's cost, not the whole set's (issue 12 item 2)",
    ),
    Mutant(
        "T05",
        "nn/train.py",
        "            p.grad = g if len(batch) == 1 else g * scale",
        "            p.grad = g",
        _FIT,
        "codegen's batch gradient is summed, not averaged",
    ),
    Mutant(
        "T06",
        "nn/train.py",
        "        total = costs[0] if len(costs) == 1 else autograd.sum(costs) * (1.0 / len(costs))",
        "        total = costs[0] if len(costs) == 1 else autograd.sum(costs)",
        _FIT,
        "the dynamic passes sum the batch cost instead of averaging it",
    ),
    Mutant(
        "T07",
        "nn/judges.py",
        "    return right / len(X)",
        "    return 1.0",
        _FIT,
        "accuracy is always 1 (issue 11 item 9)",
    ),
]

_PICTURES = ("tests/test_graph.py",)

MUTANTS += [
    # autograd/graph/text.py: the one home of escaping
    Mutant(
        "X01",
        "autograd/graph/text.py",
        "    return html.escape(visible(x, limit), quote=True)",
        "    return visible(x, limit)",
        _PICTURES,
        "user text reaches labels, SVG and the HTML page unescaped (issue 11 item 4)",
    ),
    Mutant(
        "X02",
        "autograd/graph/text.py",
        '    return markup(x, limit).replace("\\\\", "\\\\\\\\").replace("]", "&#93;")',
        '    return markup(x, limit).replace("]", "&#93;")',
        _PICTURES,
        "backslashes reach Graphviz undoubled (a name ending in \\\\ breaks the DOT text)",
    ),
    Mutant(
        "X03",
        "autograd/graph/text.py",
        "    if text.isprintable():\n        return text\n    return",
        "    if True:\n        return text\n    return",
        _PICTURES,
        "control characters are drawn raw (issue 11 item 5)",
    ),
    Mutant(
        "X04",
        "autograd/graph/text.py",
        '    return "0" if text == "-0" else text',
        "    return text",
        _PICTURES,
        "pictures print -0",
    ),
]

_CONV = ("tests/test_nn_conv.py", "tests/test_nn_conv_equations.py", "tests/test_nn_conv_modules.py")
_SPEEDS = ("tests/test_nn_speeds.py",)

MUTANTS += [
    # nn/conv_functions.py and nn/conv_equations.py (issue 22)
    Mutant(
        "K01",
        "nn/conv_functions.py",
        "        m = m + (v - m).relu()",
        "        m = v + (m - v).relu()",
        _CONV,
        "max-pool's ties go to the last maximum, not the first (same forward values; torch keeps the first)",
    ),
    Mutant(
        "K02",
        "nn/conv_functions.py",
        "                            image[c][r][s] += cols[row][i * ncols + j]",
        "                            image[c][r][s] = cols[row][i * ncols + j]",
        _CONV,
        "col2im overwrites instead of adding: a place in several windows keeps one entry",
    ),
    Mutant(
        "K03",
        "nn/conv_equations.py",
        "        eq.W_diff = _matmul(D, _transpose(eq.cols))  # O × (C·kh·kw)",
        "        eq.W_diff = _matmul(D, _transpose(eq.cols[::-1]))  # O × (C·kh·kw)",
        _CONV,
        "the layer form's W_diff pairs out_diff with the patch rows in reverse order",
    ),
    Mutant(
        "K04",
        "nn/conv_equations.py",
        "                    if v > values[best]:  # strictly greater: a tie keeps the first maximum",
        "                    if v >= values[best]:  # strictly greater: a tie keeps the first maximum",
        _CONV,
        "the layer form routes a max-pool tie to the last maximum (the engine and torch: the first)",
    ),
    # nn/speeds.py (issue 23)
    Mutant(
        "Q01",
        "nn/speeds.py",
        "    return math.sqrt(math.fsum(g * g for g in grads))",
        "    return math.fsum(abs(g) for g in grads)",
        _SPEEDS,
        "a layer's speed is the 1-norm of its gradient, not the length",
    ),
]

MUTANTS += [
    # autograd/dual.py (issue 25: hvp by forward-over-reverse)
    Mutant(
        "H01",
        "autograd/dual.py",
        "                tangent = d * a.t if tangent is None else tangent + d * a.t",
        "                tangent = d * a.t if tangent is None else tangent - d * a.t",
        ("tests/test_higher_hvp.py",),
        "a Dual's tangent subtracts the second argument's share of the chain rule",
    ),
    # autograd/numpy_source.py (issue 28: the layer form written from the scalar graph)
    Mutant(
        "Y01",
        "autograd/numpy_source.py",
        '                    scatter(x, f"{unit.weights.expr}.T @ {d}", unit.batched)',
        '                    scatter(x, f"{unit.weights.expr}.T @ ({d} * 0.5)", unit.batched)',
        ("tests/test_vectorize.py",),
        "the numpy program's in_diff = Wᵀ·out_diff loses half of out_diff",
    ),
]
