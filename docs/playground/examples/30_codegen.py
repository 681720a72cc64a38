# codegen(...).source
from autograd import Value, codegen

x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(0.25, label="b")
y = (x * w + b).tanh()
program = codegen(y, [x, w, b])
print(program.source)  # the forward and backward pass as straight-line Python
out, grads = program(0.5, -1.5, 0.25)
y.backward()
print("generated:", out, grads)
print("backward():", y.data, [x.grad, w.grad, b.grad])
