"""Checks for the settings people pass in (learning rates, sizes, ranges), with messages that name them.

Every public function that takes a setting validates it with these, so a typo gets the same clear
TypeError or ValueError everywhere instead of a numpy traceback three calls later.
"""

from __future__ import annotations

import math
import numbers
from typing import Any


def real_number(name: str, value: Any, *, positive: bool = False, minimum: float | None = None,
                below: float | None = None) -> float:
    """``value`` as a finite float, or an error naming ``name``.

    ``positive`` demands value > 0, ``minimum`` value >= minimum, ``below`` value < below.
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive, got {value:g}")
    if minimum is not None and below is not None and not minimum <= value < below:
        raise ValueError(f"{name} must satisfy {minimum:g} <= {name} < {below:g}, got {value:g}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum:g}, got {value:g}")
    if below is not None and not value < below:
        raise ValueError(f"{name} must be below {below:g}, got {value:g}")
    return value


def whole_number(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int in [minimum, maximum], or an error naming ``name``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        top = "" if maximum is None else f" and at most {maximum}"
        raise ValueError(f"{name} must be at least {minimum}{top}, got {value}")
    return int(value)


def number_range(name: str, value: Any) -> tuple[float, float]:
    """A pair (low, high) of finite numbers with low < high."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {value!r}")
    low = real_number(f"{name}[0]", value[0])
    high = real_number(f"{name}[1]", value[1])
    if not low < high:
        raise ValueError(f"{name} must satisfy low < high, got {value!r}")
    return low, high
