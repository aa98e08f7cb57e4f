"""Small synthetic datasets, generated from a seed (nothing is downloaded).

Every function returns numpy arrays; features are float64 and class labels int64. The same arguments
always give the same arrays.

================  =======================================================================
function          returns
================  =======================================================================
line              x (n,), y (n,)                y = slope * x + intercept + noise
parabola          x (n,), y (n,)                y = a x**2 + b x + c + noise
falling_objects   t (n,), d (n,), mass (n,)     d = g t**2 / 2 + noise, whatever the mass
two_moons         X (n, 2), y (n,) in {0, 1}    two interleaving half circles
spirals           X (n_per_class * classes, 2), y (n_per_class * classes,) in {0..classes-1}
================  =======================================================================

``minibatches`` splits an index range into shuffled mini-batches for stochastic gradient descent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .checks import number_range, real_number, whole_number

__all__ = ["line", "parabola", "falling_objects", "two_moons", "spirals", "minibatches"]


# ----- argument checks ---------------------------------------------------------------------

def _rng(seed: object) -> np.random.Generator:
    return np.random.default_rng(whole_number("seed", seed, 0))


# ----- regression --------------------------------------------------------------------------

def line(n: int = 50, slope: float = 2.0, intercept: float = 1.0, noise: float = 0.5,
         x_range: tuple[float, float] = (-2.0, 2.0),
         seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy points around a straight line y = slope * x + intercept.

    Returns x of shape (n,), sorted and uniform in x_range, and y of shape (n,) with Gaussian
    noise of standard deviation `noise` added.
    """
    n = whole_number("n", n, 1)
    slope, intercept = real_number("slope", slope), real_number("intercept", intercept)
    noise = real_number("noise", noise, minimum=0.0)
    low, high = number_range("x_range", x_range)
    rng = _rng(seed)
    x = np.sort(rng.uniform(low, high, n))
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x, y


def parabola(n: int = 50, a: float = 1.0, b: float = -1.0, c: float = 0.5, noise: float = 0.3,
             x_range: tuple[float, float] = (-2.0, 2.0),
             seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy points around the parabola y = a x**2 + b x + c.

    Returns x of shape (n,), sorted and uniform in x_range, and y of shape (n,) with Gaussian
    noise of standard deviation `noise` added.
    """
    n = whole_number("n", n, 1)
    a, b, c = real_number("a", a), real_number("b", b), real_number("c", c)
    noise = real_number("noise", noise, minimum=0.0)
    low, high = number_range("x_range", x_range)
    rng = _rng(seed)
    x = np.sort(rng.uniform(low, high, n))
    y = a * x ** 2 + b * x + c + noise * rng.standard_normal(n)
    return x, y


def falling_objects(n: int = 60, masses: Sequence[float] = (1.0, 5.0, 10.0), g: float = 9.81,
                    max_time: float = 3.0, noise: float = 0.2,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Galileo's experiment: how far objects of different masses have fallen after t seconds.

    The distance is d = g t**2 / 2 plus Gaussian measurement noise (standard deviation `noise`
    metres), and it does not depend on the mass: what Galileo found and Aristotle did not expect.
    Masses are assigned in turn, so each mass gets about n / len(masses) measurements.

    Returns t (seconds, shape (n,), uniform in (0, max_time]), d (metres, shape (n,)) and
    mass (kilograms, shape (n,)).
    """
    n = whole_number("n", n, 1)
    if isinstance(masses, (str, bytes)) or not isinstance(masses, Sequence) or len(masses) == 0:
        raise TypeError(f"masses must be a non-empty sequence of positive numbers, got {masses!r}")
    mass_values = [real_number(f"masses[{i}]", m, positive=True)
                   for i, m in enumerate(masses)]
    g = real_number("g", g, positive=True)
    max_time = real_number("max_time", max_time, positive=True)
    noise = real_number("noise", noise, minimum=0.0)
    rng = _rng(seed)
    t = max_time * (1.0 - rng.uniform(0.0, 1.0, n))  # in (0, max_time]
    mass = np.resize(np.array(mass_values), n)
    d = 0.5 * g * t ** 2 + noise * rng.standard_normal(n)
    return t, d, mass


# ----- classification ----------------------------------------------------------------------

def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, a classic data set that no straight line separates.

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half circle shifted right
    by 1 and up by 0.5. Returns X of shape (n, 2) (Gaussian noise of standard deviation `noise`
    added to both coordinates) and y of shape (n,) with n // 2 zeros and n - n // 2 ones, in
    shuffled order.
    """
    n = whole_number("n", n, 2)
    noise = real_number("noise", noise, minimum=0.0)
    rng = _rng(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    upper_angle = rng.uniform(0.0, math.pi, n_upper)
    lower_angle = rng.uniform(0.0, math.pi, n_lower)
    upper = np.column_stack([np.cos(upper_angle), np.sin(upper_angle)])
    lower = np.column_stack([1.0 - np.cos(lower_angle), 0.5 - np.sin(lower_angle)])
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    order = rng.permutation(n)
    return X[order], y[order]


def spirals(n_per_class: int = 100, classes: int = 3, noise: float = 0.2, turns: float = 0.75,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`classes` spiral arms winding out from the origin, one arm per class.

    Arm k starts at angle 2 pi k / classes; a point at radius r in (0, 1] sits at angle
    start + 2 pi turns r, plus Gaussian angle noise of standard deviation `noise` radians.
    Returns X of shape (n_per_class * classes, 2) and y of shape (n_per_class * classes,) with
    values 0 .. classes - 1, grouped by class.
    """
    n_per_class = whole_number("n_per_class", n_per_class, 1)
    classes = whole_number("classes", classes, 2)
    noise = real_number("noise", noise, minimum=0.0)
    turns = real_number("turns", turns, positive=True)
    rng = _rng(seed)
    radius = np.linspace(1.0 / n_per_class, 1.0, n_per_class)
    points, labels = [], []
    for k in range(classes):
        angle = (2 * math.pi * k / classes + 2 * math.pi * turns * radius
                 + noise * rng.standard_normal(n_per_class))
        points.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        labels.append(np.full(n_per_class, k, dtype=np.int64))
    return np.concatenate(points), np.concatenate(labels)


# ----- mini-batches --------------------------------------------------------------------------

def minibatches(n: int, batch_size: int, seed: int = 0) -> list[np.ndarray]:
    """One epoch of SGD mini-batches: the indices 0 .. n-1, shuffled, cut into batch_size pieces.

    Every index appears exactly once; the last batch is smaller when batch_size does not divide n.
    Use a different seed for every epoch to get a fresh shuffle.
    """
    n = whole_number("n", n, 1)
    batch_size = whole_number("batch_size", batch_size, 1)
    order = _rng(seed).permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]
