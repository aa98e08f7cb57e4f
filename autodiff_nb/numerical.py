"""Numerical differentiation by finite differences, and a gradient checker built on it.

    forward difference:  f'(x) ≈ (f(x + h) - f(x)) / h            error O(h)   + round-off ~ eps/h
    central difference:  f'(x) ≈ (f(x + h) - f(x - h)) / (2h)     error O(h²)  + round-off ~ eps/h

Too large an h and the truncation error dominates; too small and floating-point cancellation does.
Numerical derivatives cost one or two evaluations of f per input, which is why they are a check, not
a training method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .transforms import _as_numbers, value_and_grad

_METHODS = ("central", "forward")


def _check_step(h: float, method: str) -> None:
    if method not in _METHODS:
        raise ValueError(f"method must be 'central' or 'forward', got {method!r}")
    if not isinstance(h, (int, float)) or isinstance(h, bool) or not h > 0:
        raise ValueError(f"the step h must be a positive number, got {h!r}")


def _as_float_result(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must return one number, got {type(value).__name__} {value!r}") from error


def numerical_derivative(f: Callable[[float], Any], x: float, h: float = 1e-6,
                         method: str = "central") -> float:
    """df/dx at ``x`` by a finite difference with step ``h``."""
    _check_step(h, method)
    x = float(_as_numbers(x, "numerical_derivative(x)"))
    if method == "central":
        return (_as_float_result(f(x + h), "f") - _as_float_result(f(x - h), "f")) / (2.0 * h)
    return (_as_float_result(f(x + h), "f") - _as_float_result(f(x), "f")) / h


def numerical_grad(f: Callable[[Any], Any], x: Any, h: float = 1e-6, method: str = "central") -> Any:
    """The gradient of scalar-valued ``f`` at ``x`` (a number or an array), one input at a time.

    Returns a float for a scalar ``x``, else an array shaped like ``x``. Costs 2n (central) or n + 1
    (forward) evaluations of ``f`` for n inputs.
    """
    _check_step(h, method)
    point = _as_numbers(x, "numerical_grad(x)")
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
        return (
            f"gradcheck {verdict}: worst mismatch at index {self.worst_index}: analytic "
            f"{self.analytic[self.worst_index]:.8g} vs numerical {self.numerical[self.worst_index]:.8g} "
            f"(abs error {self.max_abs_error:.3g}, rel error {self.max_rel_error:.3g})"
        )


def gradcheck(f: Callable[[Any], Any], x: Any, h: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4,
              raise_on_failure: bool = False) -> GradcheckResult:
    """Compare the reverse-mode gradient of ``f`` at ``x`` with central differences.

    ``x`` is a number, an array (``f`` then receives Values) or a ``Tensor`` (``f`` receives Tensors).

    Passes when every entry satisfies ``|analytic - numerical| <= atol + rtol * |numerical|``.
    """
    if hasattr(x, "requires_grad") and hasattr(x, "shape"):  # a Tensor: f is written with tensor ops
        tensor_type = type(x)
        point = np.array(x.data, dtype=float)
        _, analytic = value_and_grad(f)(x)
        evaluate = _numeric_version(lambda p: f(tensor_type(p)))
    else:
        point = _as_numbers(x, "gradcheck(x)")
        _, analytic = value_and_grad(f)(point if point.ndim else float(point))
        evaluate = _numeric_version(f)
    analytic = np.atleast_1d(np.asarray(analytic, dtype=float))
    numerical = np.atleast_1d(np.asarray(numerical_grad(evaluate, point, h), dtype=float))
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
