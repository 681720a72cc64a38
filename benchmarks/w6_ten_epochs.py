"""W6 over ten epochs: one ``fit`` call of ten epochs, less its generation, per epoch, beside
Nielsen's algorithm in numpy (bench_w6's ``nielsen-numpy``) in the same run.

``fit``'s set-up (checks of every sample, the data into arrays) is paid once per call, like
the program's generation; over ten epochs it is a tenth of an epoch each.  Three rounds,
each: one ten-epoch ``fit`` (fit's default pass, which must be numpy here), then ten epochs
of the baseline.

    PYTHONPATH=. python benchmarks/w6_ten_epochs.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_w6 import BATCH, ETA, NielsenNumpy, mnist, orders, start_model  # noqa: E402

EPOCHS = 10


def main() -> int:
    import nn

    X, Y = mnist()
    X_lists, Y_lists = X.tolist(), Y.tolist()
    ratios, fits, baselines = [], [], []
    for round_ in range(3):
        model = start_model()
        started = perf_counter()
        history = nn.fit(model, X_lists, Y_lists, lr=ETA, epochs=EPOCHS, batch_size=BATCH, seed=round_,
                         progress=False)
        total = perf_counter() - started
        if history.backward != "numpy":
            raise AssertionError(f"fit's default ran {history.backward!r}, not numpy: {history.notes}")
        per_epoch = (total - history.seconds_generating) / EPOCHS
        baseline = NielsenNumpy(start_model(), X, Y)
        started = perf_counter()
        for order in orders(len(X), EPOCHS, seed=round_):
            baseline.epoch(order)
        nielsen = (perf_counter() - started) / EPOCHS
        fits.append(per_epoch)
        baselines.append(nielsen)
        ratios.append(per_epoch / nielsen)
        steps = statistics.median(history.epoch_seconds)
        print(f"round {round_ + 1}: fit of {EPOCHS} epochs {total:.3f} s, "
              f"generation {history.seconds_generating:.3f} s, per epoch less generation {per_epoch:.3f} s "
              f"(steps {steps:.3f} s); nielsen-numpy {nielsen:.3f} s per epoch; ratio {ratios[-1]:.2f}×")
    print(f"median: fit less its generation, per epoch of a {EPOCHS}-epoch fit, ÷ nielsen-numpy = "
          f"{statistics.median(ratios):.2f}× [{min(ratios):.2f}–{max(ratios):.2f}] (target ≤ 1.5×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
