"""Forward-mode automatic differentiation with dual numbers.

A dual number ``a + a' ε`` carries a value (the *primal*) and a derivative (the *tangent*) together, with
``ε² = 0``. Expanding any operation to first order shows the rule: ``f(a + a'ε) = f(a) + f'(a) a' ε``.
So each operation computes its result and its local partials (the same rules as reverse mode, from
:mod:`autodiff_nb.rules`) and pushes the tangent forward at once:

    tangent(out) = sum_i  d out / d input_i  *  tangent(input_i)

Seeding one input with tangent 1 and the others with 0 gives the derivative with respect to that input
after a single forward pass: one pass per input.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import rules
from .engine import as_float
from .modes import MODES, check_forward
from .operators import ScalarOperators

Number = int | float
_SCALAR = rules.SCALAR


class Dual(ScalarOperators):
    """A number together with its derivative along one chosen direction.

    >>> a, b = Dual(2.0, 1.0), Dual(3.0, 0.0)   # seed a: we want d/da
    >>> e = (a * b) * (b + 1)
    >>> e.primal, e.tangent
    (24.0, 12.0)
    """

    __slots__ = ("primal", "tangent")

    def __init__(self, primal: Number, tangent: Number = 0.0) -> None:
        self.primal = as_float(primal, "Dual(primal)")
        self.tangent = as_float(tangent, "Dual(tangent)")

    @staticmethod
    def _from_rule(op: str, out: float, partials: tuple, operands: tuple) -> Dual:
        result = Dual.__new__(Dual)
        result.primal = out
        tangent = 0.0
        for partial, operand in zip(partials, operands):
            if operand.tangent != 0.0:  # skip 0 * inf = nan for inputs the seed does not reach
                tangent += partial * operand.tangent
        result.tangent = tangent
        if MODES.anomaly:
            check_forward(result, op, out, operands)
            check_forward(result, f"tangent of {op}", tangent, operands)
        return result

    def _binary(self, other: Dual, op: str) -> Dual:
        out, partials = rules.BINARY_RULES[op](self.primal, other.primal, _SCALAR)
        return Dual._from_rule(op, out, partials, (self, other))

    def _unary(self, op: str) -> Dual:
        out, partials = rules.UNARY_RULES[op](self.primal, _SCALAR)
        return Dual._from_rule(op, out, partials, (self,))

    def _lift(self, other: Any, op: str) -> Any:
        if isinstance(other, Dual):
            return other
        if isinstance(other, numbers.Real):
            constant = Dual.__new__(Dual)
            constant.primal, constant.tangent = float(other), 0.0
            return constant
        if isinstance(other, np.ndarray) or getattr(other, "__array_priority__", None) is not None:
            return NotImplemented
        raise TypeError(
            f"unsupported operand for {op!r}: cannot combine {self!r} with {type(other).__name__} {other!r}; "
            "expected a number or a Dual (forward and reverse mode values do not mix)"
        )

    def _number(self) -> float:
        return self.primal

    def __float__(self) -> float:
        if self.tangent != 0.0:
            raise TypeError(
                f"float() of {self!r} would drop its derivative. A function from the math module (such "
                "as math.sin) cannot see dual numbers: use autodiff_nb.sin, exp, log, ... instead, or "
                "read .primal explicitly."
            )
        return self.primal

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal:.6g}, tangent={self.tangent:.6g})"
