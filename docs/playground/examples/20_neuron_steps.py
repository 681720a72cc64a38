# A neuron, stepped through
from playground import show  # the page's: a picture, or the step-through viewer

from autograd import Value, backward_frames

x1, x2 = Value(1.5, label="x1"), Value(0.5, label="x2")
w1, w2, b = Value(-2.0, label="w1"), Value(1.0, label="w2"), Value(3.0, label="b")
a = (x1 * w1 + x2 * w2 + b).tanh()
a.label = "a"
frames = backward_frames(a)  # runs backward, keeping one picture per step
print(len(frames), "steps; w1.grad =", w1.grad)
show(frames)  # the step-through viewer: previous / next, the slider, or the arrow keys
