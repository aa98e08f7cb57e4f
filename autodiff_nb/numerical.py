"""Numerical differentiation by finite differences, and a gradient checker built on it.

    forward difference:  f'(x) ≈ (f(x + h) - f(x)) / h            error O(h)   + round-off ~ eps/h
    central difference:  f'(x) ≈ (f(x + h) - f(x - h)) / (2h)     error O(h²)  + round-off ~ eps/h

Too large an h and the truncation error dominates; too small and floating-point cancellation does.
Numerical derivatives cost one or two evaluations of f per input, which is why they are a check, not
a training method.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import as_float, as_numbers, flag, function, one_of, real_number
from .transforms import value_and_grad

_METHODS = ("central", "forward")


def _check_step(h: Any, method: Any) -> float:
    one_of("method", method, _METHODS)
    return real_number("the step h", h, positive=True)


def _as_float_result(value: Any, what: str) -> float:
    if value is None:
        raise TypeError(f"{what} returned None: did it forget a `return`?")
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must return one number, got {type(value).__name__} {value!r}") from error


def numerical_derivative(f: Callable[[float], Any], x: float, h: float = 1e-6,
                         method: str = "central") -> float:
    """df/dx at ``x`` by a finite difference with step ``h``."""
    function("f", f)
    h = _check_step(h, method)
    point = as_numbers(x, "numerical_derivative(x)")
    if point.ndim != 0:
        raise TypeError(f"numerical_derivative(x) must be one number, got an array of shape {point.shape}; "
                        "use numerical_grad for several inputs")
    x = float(point)
    if method == "central":
        return (_as_float_result(f(x + h), "f") - _as_float_result(f(x - h), "f")) / (2.0 * h)
    return (_as_float_result(f(x + h), "f") - _as_float_result(f(x), "f")) / h


def numerical_grad(f: Callable[[Any], Any], x: Any, h: float = 1e-6, method: str = "central") -> Any:
    """The gradient of scalar-valued ``f`` at ``x`` (a number or an array), one input at a time.

    Returns a float for a scalar ``x``, else an array shaped like ``x``. Costs 2n (central) or n + 1
    (forward) evaluations of ``f`` for n inputs.
    """
    function("f", f)
    h = _check_step(h, method)
    point = as_numbers(x, "numerical_grad(x)")
    if point.ndim == 0:
        return numerical_derivative(f, float(point), h, method)
    gradient = np.zeros_like(point)
    base = _as_float_result(f(point.copy()), "f") if method == "forward" else 0.0
    for index in np.ndindex(point.shape):
        plus = point.copy()
        plus[index] += h
        if method == "central":
            minus = point.copy()
            minus[index] -= h
            gradient[index] = (_as_float_result(f(plus), "f") - _as_float_result(f(minus), "f")) / (2 * h)
        else:
            gradient[index] = (_as_float_result(f(plus), "f") - base) / h
    return gradient


@dataclass(frozen=True)
class GradcheckResult:
    """Analytic (reverse mode) vs numerical (central differences) gradients, and the worst mismatch."""

    ok: bool
    analytic: np.ndarray
    numerical: np.ndarray
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        if self.analytic.size == 0:
            return f"gradcheck {verdict}: no inputs to check"
        return (
            f"gradcheck {verdict}: worst mismatch at index {self.worst_index}: analytic "
            f"{self.analytic[self.worst_index]:.8g} vs numerical {self.numerical[self.worst_index]:.8g} "
            f"(abs error {self.max_abs_error:.3g}, rel error {self.max_rel_error:.3g})"
        )


def gradcheck(f: Callable[[Any], Any], x: Any, h: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4,
              raise_on_failure: bool = False) -> GradcheckResult:
    """Compare the reverse-mode gradient of ``f`` at ``x`` with central differences.

    ``x`` is a number, an array (``f`` then receives Values) or a ``Tensor`` (``f`` receives Tensors).

    Passes when every entry satisfies ``|analytic - numerical| <= atol + rtol * |numerical|``. An empty
    ``x`` passes with empty gradients, as in PyTorch.
    """
    function("f", f)
    h = real_number("the step h", h, positive=True)
    atol = real_number("atol", atol, minimum=0.0)
    rtol = real_number("rtol", rtol, minimum=0.0)
    flag("gradcheck(raise_on_failure)", raise_on_failure)
    if hasattr(x, "requires_grad") and hasattr(x, "shape"):  # a Tensor: f is written with tensor ops
        tensor_type = type(x)
        point = np.array(x.data, dtype=float)
        _, analytic = value_and_grad(f)(x)
        evaluate = _numeric_version(lambda p: f(tensor_type(p)))
    else:
        point = as_numbers(x, "gradcheck(x)")
        _, analytic = value_and_grad(f)(point if point.ndim else float(point))
        evaluate = _numeric_version(f)
    analytic = np.atleast_1d(np.asarray(analytic, dtype=float))
    numerical = np.atleast_1d(np.asarray(numerical_grad(evaluate, point, h), dtype=float))
    if analytic.size == 0:
        return GradcheckResult(True, analytic, numerical, 0.0, 0.0, ())
    abs_error = np.abs(analytic - numerical)
    rel_error = abs_error / np.maximum(np.abs(numerical), 1e-12)
    excess = abs_error - (atol + rtol * np.abs(numerical))
    worst = np.unravel_index(int(np.argmax(np.where(np.isnan(excess), np.inf, excess))), analytic.shape)
    result = GradcheckResult(
        ok=bool(np.all(excess <= 0)),
        analytic=analytic,
        numerical=numerical,
        max_abs_error=float(np.max(abs_error)),
        max_rel_error=float(np.max(rel_error)),
        worst_index=tuple(int(i) for i in worst),
    )
    if raise_on_failure and not result.ok:
        raise AssertionError(str(result))
    return result


def _numeric_version(f: Callable[[Any], Any]) -> Callable[[Any], float]:
    """Evaluate ``f`` on plain floats, unwrapping whatever engine object it returns."""
    def evaluate(point: Any) -> float:
        out = f(point)
        for attribute in ("data", "primal"):
            if hasattr(out, attribute):
                out = getattr(out, attribute)
        return _as_float_result(np.asarray(out).reshape(-1)[0] if np.size(out) == 1 else out, "f")
    return evaluate


# --------------------------------------------------------------------------------------------------
# Finite differences across many step sizes: truncation error against round-off
# --------------------------------------------------------------------------------------------------

def function_values(f: Callable[[Any], Any], xs: np.ndarray, what: str = "f") -> np.ndarray:
    """``f`` at every point of the 1-D float array ``xs`` (inf and nan allowed in the results).

    One call on the whole array if ``f`` accepts arrays, else one call per (numpy) float, so a pole
    gives inf or nan as on arrays; results that are Values or Duals count as their number.
    """
    try:
        with np.errstate(all="ignore"):
            ys = np.asarray(f(xs), dtype=float)
        if ys.shape == xs.shape:
            return ys
    except Exception:  # noqa: BLE001 - any failure means "not vectorised": fall back to the loop
        pass
    out = np.empty(xs.shape)
    for index, x in enumerate(xs):
        with np.errstate(all="ignore"):
            out[index] = plain_number(f(np.float64(x)), f"the result of {what}")  # 1/0 is inf
    return out


def plain_number(value: Any, what: str) -> float:
    """The float inside ``value``: a number, a 0-d array, a Value (``.data``) or a Dual (``.primal``)."""
    if not isinstance(value, (numbers.Real, np.ndarray, np.generic)):  # numpy scalars have .data too
        for attribute in ("data", "primal"):
            if hasattr(value, attribute):
                value = getattr(value, attribute)
                break
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(())
    return as_float(value, what)


@dataclass(frozen=True)
class FiniteDifferenceErrors:
    """abs(finite difference - exact derivative) for each step h (errors of exactly 0 are stored as nan).

    ``best_forward_h`` / ``best_central_h`` are the steps with the smallest error; both are nan when
    no step has a finite, non-zero error (f constant or linear: every step is exact).
    """

    hs: np.ndarray
    forward: np.ndarray
    central: np.ndarray
    exact: float

    @property
    def best_forward_h(self) -> float:
        return _best_step(self.hs, self.forward)

    @property
    def best_central_h(self) -> float:
        return _best_step(self.hs, self.central)


def _best_step(hs: np.ndarray, errors: np.ndarray) -> float:
    if not np.any(np.isfinite(errors)):
        return math.nan
    return float(hs[np.nanargmin(np.where(np.isfinite(errors), errors, np.nan))])


DEFAULT_STEPS = np.logspace(-16, 0, 65)
"""The steps ``finite_difference_errors`` uses by default: 1e-16 .. 1, four per decade."""


def finite_difference_errors(f: Callable[[Any], Any], x0: float, df: float | None = None,
                             hs: Any = None) -> FiniteDifferenceErrors:
    """Errors of forward (f(x+h)-f(x))/h and central (f(x+h)-f(x-h))/(2h) differences at x0.

    The exact derivative ``df`` defaults to forward-mode AD (``derivative``). Floats all the way: the
    round-off that makes tiny steps bad is the point.
    """
    x0 = real_number("x0", x0)
    hs = DEFAULT_STEPS if hs is None else as_numbers(hs, "hs")
    if hs.ndim != 1 or hs.size == 0 or not np.all(hs > 0) or not np.all(np.isfinite(hs)):
        raise ValueError(f"hs must be a 1-D array of positive step sizes, got {hs!r}")
    exact = exact_derivative(f, x0) if df is None else real_number("df", df)
    points = np.concatenate([[x0], x0 + hs, x0 - hs])
    values = function_values(f, points, "f")
    f0, f_plus, f_minus = values[0], values[1:hs.size + 1], values[hs.size + 1:]
    with np.errstate(all="ignore"):
        forward = np.abs((f_plus - f0) / hs - exact)
        central = np.abs((f_plus - f_minus) / (2 * hs) - exact)
    forward[forward == 0] = np.nan  # a lucky exact hit has no place on a log axis
    central[central == 0] = np.nan
    return FiniteDifferenceErrors(hs, forward, central, exact)


def exact_derivative(f: Callable[[Any], Any], x: float) -> float:
    """f'(x) by forward mode (one dual-number pass), or a TypeError saying how to write ``f``."""
    from .transforms import derivative

    try:
        with np.errstate(all="ignore"):
            return float(derivative(f, x))
    except TypeError as error:
        raise TypeError(
            "f must be written with operators and autodiff_nb functions (autodiff_nb.sin, "
            f"autodiff_nb.exp, ...) so forward mode can differentiate it: {error}"
        ) from None
