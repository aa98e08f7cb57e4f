"""The derivative as a limit, and the error of finite differences: a function, a point and a step.

    forward difference   (f(x + h) - f(x)) / h          the secant's slope, error O(h)
    central difference   (f(x + h) - f(x - h)) / (2h)   error O(h²)
    exact                f'(x) by forward-mode autodiff

Both quotients come from :func:`autodiff_nb.numerical_derivative`, the error curves over many steps
from :func:`autodiff_nb.numerical.finite_difference_errors`. f is evaluated on numpy floats, so a
pole gives inf or nan (explained by ``notes()``), never a ZeroDivisionError.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..checks import one_of, real_number
from ..numerical import FiniteDifferenceErrors, finite_difference_errors, numerical_derivative
from .univariate import Function, check_function, exact_derivative, function_name, value_at

EPS = float(np.finfo(float).eps)
BEST_FORWARD_STEP = math.sqrt(EPS)
"""Where truncation (~h) and round-off (~eps/h) errors balance, for |f| ~ |f''| ~ 1."""
METHODS = ("forward", "central")


def check_step(h: Any) -> float:
    """The step h as a positive float, or an error naming it."""
    h = real_number("the step h", h)
    if h <= 0:
        raise ValueError(f"the step h must be positive, got {h:g}: the difference quotient "
                         "(f(x + h) - f(x)) / h needs a step")
    return h


class SecantExplorer:
    """A function ``f``, a point ``x`` and a step ``h``; the slopes and errors that go with them.

    >>> explorer = SecantExplorer(np.sin, x=1.0, h=0.1)
    >>> round(explorer.secant_slope(), 4), round(explorer.exact_slope(), 4)
    (0.4974, 0.5403)
    """

    def __init__(self, f: Function = np.sin, x: float = 1.0, h: float = 0.5) -> None:
        self._x = real_number("x", x)
        self._f = check_function(f, self._x)
        self.h = h

    @property
    def f(self) -> Function:
        return self._f

    @f.setter
    def f(self, f: Function) -> None:
        self._f = check_function(f, self._x)

    @property
    def x(self) -> float:
        return self._x

    @x.setter
    def x(self, value: float) -> None:
        self._x = real_number("x", value)

    @property
    def h(self) -> float:
        return self._h

    @h.setter
    def h(self, value: float) -> None:
        self._h = check_step(value)

    def _values(self, t: float) -> float:
        return value_at(self.f, t)

    def exact_slope(self) -> float:
        """f'(x), by forward-mode autodiff."""
        return exact_derivative(self.f, self.x)

    def secant_slope(self) -> float:
        """The forward difference (f(x + h) - f(x)) / h: the slope of the secant."""
        with np.errstate(all="ignore"):
            return numerical_derivative(self._values, self.x, self.h, method="forward")

    def central_slope(self) -> float:
        """The central difference (f(x + h) - f(x - h)) / (2h)."""
        with np.errstate(all="ignore"):
            return numerical_derivative(self._values, self.x, self.h, method="central")

    def errors(self) -> dict[str, float]:
        """The absolute errors abs(estimate - f'(x)) of the 'forward' and the 'central' difference."""
        exact = self.exact_slope()
        with np.errstate(all="ignore"):
            return {"forward": abs(self.secant_slope() - exact),
                    "central": abs(self.central_slope() - exact)}

    def secant_points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x, f(x)) and (x + h, f(x + h)), the two points the secant passes through."""
        x, x_h = self.x, self.x + self.h
        return (x, self._values(x)), (x_h, self._values(x_h))

    def notes(self) -> list[str]:
        """What is unusual about the current h, in words (empty when nothing is)."""
        (x, fx), (x_h, fx_h) = self.secant_points()
        f_minus = self._values(x - self.h)
        if not (math.isfinite(fx) and math.isfinite(fx_h) and math.isfinite(f_minus)
                and math.isfinite(self.exact_slope())):
            return [f"{function_name(self.f)} is not finite at x = {x:g}, x + h = {x_h:g} or "
                    f"x - h = {x - self.h:g}: there is no slope to estimate across a pole."]
        if x_h == x:
            return [f"h = {self.h:.1e} is smaller than the gap between floats near x = {x:g} "
                    f"({np.spacing(x):.1e}): x + h rounds to x, so f(x + h) - f(x) = 0 and the "
                    "forward difference is 0."]
        if fx_h == fx:
            return [f"f(x + h) and f(x) are the same float at h = {self.h:.1e}: the whole "
                    "difference was lost to rounding, so the forward difference is 0."]
        if self.h < BEST_FORWARD_STEP * max(1.0, abs(x)) / 10:
            return [f"h = {self.h:.1e} is below √ε ≈ {BEST_FORWARD_STEP:.1e}: round-off now "
                    "dominates, and smaller steps make the estimates worse, not better."]
        return []

    def __repr__(self) -> str:
        return f"SecantExplorer(f={function_name(self.f)}, x={self.x:g}, h={self.h:.3g})"


STEPS = np.logspace(-16, -1, 61)
"""The steps the error curves are computed at: 1e-16 .. 1e-1, four per decade."""
REGIMES = {"truncation": "truncation dominates: smaller h helps",
           "round-off": "round-off dominates: smaller h hurts",
           "exact": "every step gives the exact slope here"}


class FiniteDifferenceExplorer(SecantExplorer):
    """A ``SecantExplorer`` that also knows its error curves over ``STEPS`` and their best steps."""

    def __init__(self, f: Function = np.sin, x: float = 1.0, h: float = 1e-5) -> None:
        super().__init__(f, x, h)
        self._curves: FiniteDifferenceErrors | None = None
        self._curves_for: tuple[Any, float] | None = None

    def curves(self) -> FiniteDifferenceErrors:
        """abs(forward - f'(x)) and abs(central - f'(x)) at each step of ``STEPS`` (once per f and x)."""
        if self._curves_for != (self.f, self.x):
            exact = self.exact_slope()
            if not math.isfinite(exact):
                raise ValueError(f"{function_name(self.f)} has no finite derivative at x = "
                                 f"{self.x:g}: there is no error to measure; move x")
            self._curves = finite_difference_errors(self.f, self.x, exact, hs=STEPS)
            self._curves_for = (self.f, self.x)
        return self._curves

    def best_steps(self) -> dict[str, float]:
        """The step with the smallest error on the curve, for 'forward' and 'central' (nan when every
        step is exact, e.g. for a constant f)."""
        curves = self.curves()
        return {"forward": curves.best_forward_h, "central": curves.best_central_h}

    def regime(self, method: str = "forward") -> str:
        """'truncation' if h is above the best step of ``method`` ('forward' or 'central'), where
        the error shrinks with h; 'round-off' below it; 'exact' when no step has an error."""
        best = self.best_steps()[one_of("method", method, METHODS)]
        if math.isnan(best):
            return "exact"
        return "truncation" if self.h >= best else "round-off"

    def __repr__(self) -> str:
        return f"FiniteDifferenceExplorer(f={function_name(self.f)}, x={self.x:g}, h={self.h:.3g})"
