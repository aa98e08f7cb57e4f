"""Forward-mode automatic differentiation with dual numbers.

A dual number ``a + a' ε`` carries a value (the *primal*) and a derivative (the *tangent*) together, with
``ε² = 0``. Expanding any operation to first order shows the rule: ``f(a + a'ε) = f(a) + f'(a) a' ε``.
So each operation computes its result and its local partials (the same rules as reverse mode, from
:mod:`autodiff_nb.rules`) and pushes the tangent forward at once:

    tangent(out) = sum_i  d out / d input_i  *  tangent(input_i)

Seeding one input with tangent 1 and the others with 0 gives the derivative with respect to that input
after a single forward pass: one pass per input.

Nesting (the derivative of a derivative) puts dual numbers inside dual numbers. Each ``derivative`` call
gives its duals a fresh ``tag``; an operation follows the newest tag among its operands and treats the
others (older duals, Values, numbers) as constants, so two derivatives never mix up their ε's.
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any

from . import rules
from .checks import as_float
from .modes import MODES, check_forward
from .traced import Traced, TracedScalar

Number = int | float
_SCALAR = rules.SCALAR
_tags = itertools.count(1)


def new_tag() -> int:
    """A tag no dual number has yet: one per forward-mode derivative being taken."""
    return next(_tags)


class Dual(TracedScalar):
    """A number together with its derivative along one chosen direction.

    >>> a, b = Dual(2.0, 1.0), Dual(3.0, 0.0)   # seed a: we want d/da
    >>> e = (a * b) * (b + 1)
    >>> e.primal, e.tangent
    (24.0, 12.0)
    """

    __slots__ = ("primal", "tangent", "tag")

    def __init__(self, primal: Number, tangent: Number = 0.0, tag: int = 0) -> None:
        self.primal = _part(primal, "Dual(primal)")
        self.tangent = _part(tangent, "Dual(tangent)")
        self.tag = tag

    # -- arithmetic: each operator names its rule (the local derivatives are in rules.py) --------
    def __add__(self, other: Any) -> Dual: return apply("+", rules.add, self, other)
    def __radd__(self, other: Any) -> Dual: return apply("+", rules.add, other, self)
    def __sub__(self, other: Any) -> Dual: return apply("-", rules.sub, self, other)
    def __rsub__(self, other: Any) -> Dual: return apply("-", rules.sub, other, self)
    def __mul__(self, other: Any) -> Dual: return apply("*", rules.mul, self, other)
    def __rmul__(self, other: Any) -> Dual: return apply("*", rules.mul, other, self)
    def __truediv__(self, other: Any) -> Dual: return apply("/", rules.div, self, other)
    def __rtruediv__(self, other: Any) -> Dual: return apply("/", rules.div, other, self)
    def __pow__(self, other: Any) -> Dual: return apply("**", rules.pow, self, other)
    def __rpow__(self, other: Any) -> Dual: return apply("**", rules.pow, other, self)
    def __neg__(self) -> Dual: return apply("neg", rules.neg, self)
    def __pos__(self) -> Dual: return self
    def exp(self) -> Dual: return apply("exp", rules.exp, self)
    def log(self) -> Dual: return apply("log", rules.log, self)
    def sin(self) -> Dual: return apply("sin", rules.sin, self)
    def cos(self) -> Dual: return apply("cos", rules.cos, self)
    def tanh(self) -> Dual: return apply("tanh", rules.tanh, self)
    def sigmoid(self) -> Dual: return apply("sigmoid", rules.sigmoid, self)
    def relu(self) -> Dual: return apply("relu", rules.relu, self)

    # -- reading ------------------------------------------------------------------------------------
    def _number(self) -> float:
        primal = self.primal
        return primal if type(primal) is float else primal._number()

    def __float__(self) -> float:
        if self.tangent != 0.0:
            raise TypeError(
                f"float() of {self!r} would drop its derivative. A function from the math module (such "
                "as math.sin) cannot see dual numbers: use autodiff_nb.sin, exp, log, ... instead, or "
                "read .primal explicitly."
            )
        return self._number()

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal:.6g}, tangent={self.tangent:.6g})"


def _part(x: Any, what: str) -> Any:
    """A primal or tangent: a number, or a traced scalar when derivatives are nested."""
    return x if isinstance(x, TracedScalar) else as_float(x, what)


def apply(op: str, rule: Any, *operands: Any) -> Dual:
    """Apply ``rule`` to the operands and push the newest tag's tangents through its partials."""
    primals, tangents, tag = [], [], None
    for x in operands:  # the common case first: numbers and duals of one tag around plain numbers
        if type(x) is float:
            primals.append(x)
            tangents.append(0.0)
        elif type(x) is Dual and type(x.primal) is float and (tag is None or x.tag == tag):
            tag = x.tag
            primals.append(x.primal)
            tangents.append(x.tangent)
        else:
            return _apply_nested(op, rule, operands)
    out, partials = rule(*primals, _SCALAR)
    return _result(op, out, partials, tangents, tag, operands)


def _apply_nested(op: str, rule: Any, operands: tuple) -> Any:
    """``apply`` for every other case: several tags (nested derivatives), traced primals, other types."""
    tag = -1
    for x in operands:
        if isinstance(x, Dual) and x.tag > tag:
            tag = x.tag
    primals, tangents = [], []
    for x in operands:
        if isinstance(x, Dual) and x.tag == tag:
            primals.append(x.primal)
            tangents.append(x.tangent)
        elif isinstance(x, TracedScalar):  # an older dual or a Value: a constant for this tag
            primals.append(x)
            tangents.append(0.0)
        elif isinstance(x, numbers.Real):
            primals.append(float(x))
            tangents.append(0.0)
        elif isinstance(x, Traced) or hasattr(x, "__array_priority__") or hasattr(x, "__array__"):
            return NotImplemented  # a Tensor or an array: let its own method answer
        else:
            raise TypeError(f"unsupported operand for {op!r}: cannot combine a Dual with "
                            f"{type(x).__name__} {x!r}; expected a number or a Dual")
    out, partials = rule(*primals, rules.backend_for(*primals))
    return _result(op, out, partials, tangents, tag, operands)


def _result(op: str, out: Any, partials: tuple, tangents: list, tag: int, operands: tuple) -> Dual:
    """tangent(out) = sum_i partial_i * tangent_i, skipping inputs the seed does not reach (0 * inf)."""
    tangent: Any = None
    for partial, t in zip(partials, tangents):
        if type(t) is not float or t != 0.0:
            tangent = partial * t if tangent is None else tangent + partial * t
    result = Dual.__new__(Dual)
    result.primal, result.tangent, result.tag = out, 0.0 if tangent is None else tangent, tag
    if MODES.anomaly:
        check_forward(result, op, out, operands)
        check_forward(result, f"tangent of {op}", result.tangent, operands)
    return result
