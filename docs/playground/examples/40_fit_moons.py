# fit on two moons, with its cost curve
from playground import line_chart  # the page's: a list of numbers drawn as SVG

import nn

X, y = nn.datasets.moons(80, noise=0.1, seed=0)  # made by glassgrad itself, no scikit-learn
model = nn.MLP(2, [8, 8, 1], activation="relu", seed=0)
history = nn.fit(model, X, y, cost="hinge", l2=1e-4, lr=0.1, epochs=30, batch_size=20, progress=False)
print(f"cost: {history.epoch_costs[0]:.3f} in epoch 1 -> {history.epoch_costs[-1]:.3f} in epoch 30")
print(f"training accuracy in epoch 30: {history.accuracy[-1]:.0%}")
line_chart(history.epoch_costs, "hinge cost per epoch")
