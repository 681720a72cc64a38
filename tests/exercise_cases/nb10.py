"""Cases for notebook 10's exercises; 10.1 and 10.2 are read off real torch modules when
torch is installed (tests/test_exercises.py), and written out by hand here."""

from __future__ import annotations

CASES = {
    # torch.nn.Linear(4, 6): weight (out_features, in_features), bias (out_features,)
    "10.1": (((6, 4), (6,)), [((4, 6), (6,)), ((6, 4), (10, 6)), ((6, 4), (4,)), (6, 4)]),
    # MLP(2, [3, 1]).to_torch() = Linear(2, 3), Tanh, Linear(3, 1); w3 of L2.N0 is row 0, column 2
    "10.2": ((2, 0, 2), [(1, 0, 2), (2, 0, 3), (2, 2, 0), (3, 1, 3)]),
    # out_diff where z > 0, else 0
    "10.3": ([0.2, 0.0, 0.0, -0.4, 0.0], [[0.2, 0.0, 0.7, -0.4, 0.0], [0.2, -1.0, 0.7, -0.4, 3.0]]),
}
