# A graph too big to draw
from autograd import Value, draw_graph

x = Value(1.0, label="x")
y = x
for _ in range(1000):
    y = y * 1.001 + 0.001
y.backward()
print("x.grad =", x.grad, "(the backward pass is fine; drawing 2001 Values is not)")
draw_graph(y)  # raises GraphTooLargeError, which says what to do instead
