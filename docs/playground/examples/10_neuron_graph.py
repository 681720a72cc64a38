# A neuron's graph and its grads
from autograd import Value, draw_graph

x1, x2 = Value(1.5, label="x1"), Value(0.5, label="x2")
w1, w2, b = Value(-2.0, label="w1"), Value(1.0, label="w2"), Value(3.0, label="b")
a = (x1 * w1 + x2 * w2 + b).tanh()
a.label = "a"
a.backward()
print("w1.grad =", w1.grad)
print("x1.grad =", x1.grad)
draw_graph(a)  # the last expression is shown: DOT text drawn by Graphviz in WebAssembly
