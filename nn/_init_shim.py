"""PRE-MERGE stand-in for ext's nn/init.py (removed when it lands)."""
import math

INITS = {
    "lecun": lambda fan_in, fan_out: 1.0 / math.sqrt(fan_in),
    "normal": lambda fan_in, fan_out: 1.0,
    "glorot": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out: math.sqrt(2.0 / fan_in),
}


def check_init(init):
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be one of {sorted(INITS)}, got {init!r}")
    return init


def draw(init, rng, count, fan_in, fan_out):
    scale = INITS[check_init(init)](fan_in, fan_out)
    return [rng.gauss(0.0, scale) for _ in range(count)]
