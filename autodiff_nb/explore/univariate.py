"""The one-variable functions the derivative explorers offer, and checks on a learner's function.

The exact derivative comes from forward mode (``autodiff_nb.derivative``), so a function must be
written with operators, numpy ufuncs or ``autodiff_nb``'s elementwise functions. ``math.sin`` and
friends turn a ``Dual`` into a plain float, which would silently lose the derivative: such functions
are refused with a message saying so.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import functions as ad
from .. import numerical
from ..checks import function
from ..dual import Dual
from ..numerical import plain_number

Function = Callable[[Any], Any]


@dataclass(frozen=True)
class Example:
    """A function to pick in an explorer, with the part of the x axis where it is worth looking."""

    name: str
    f: Function
    xlim: tuple[float, float]
    aliases: tuple[Function, ...] = ()


EXAMPLES: dict[str, Example] = {
    example.name: example
    for example in (
        Example("sin(x)", ad.sin, (-3.0, 3.0), (np.sin,)),
        Example("exp(x)", ad.exp, (-2.0, 2.0), (np.exp,)),
        Example("x³", lambda x: x ** 3, (-2.0, 2.0)),
        Example("tanh(x)", ad.tanh, (-3.0, 3.0), (np.tanh,)),
        Example("log(x)", ad.log, (0.1, 4.0), (np.log,)),
        Example("1/x", lambda x: 1 / x, (0.2, 4.0)),
    )
}
"""The functions offered in the explorers' drop-downs, by the name shown."""


def function_name(f: Function) -> str:
    """'sin(x)' for an example (np.sin included), the name of a def, 'f' for a lambda."""
    for example in EXAMPLES.values():
        if f is example.f or any(f is alias for alias in example.aliases):
            return example.name
    name = getattr(f, "__name__", "") or "f"
    return "f" if name == "<lambda>" else name


def check_function(f: Any, x: float) -> Function:
    """``f`` if forward mode can differentiate it at ``x``, else a TypeError saying why not.

    A result that is a plain number means ``f`` does not depend on x (a constant): its derivative
    is 0, as ``autodiff_nb.derivative`` says. ``math.sin`` and friends raise the dual number's own
    TypeError, which says what to write instead.
    """
    function("f", f)
    with np.errstate(all="ignore"):
        out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return f
    try:
        plain_number(out, "f(x)")  # a plain number: f is a constant
    except TypeError:
        raise TypeError(
            f"{function_name(f)}(x) must return one number, got {type(out).__name__} {out!r}; write "
            "f with operators, numpy or autodiff_nb functions: np.sin(x), autodiff_nb.exp(x), x ** 3."
        ) from None
    return f


def exact_derivative(f: Function, x: float) -> float:
    """f'(x) by forward mode: one pass with the dual number x + 1·ε (inf or nan at a pole)."""
    try:
        return numerical.exact_derivative(f, x)
    except ArithmeticError:  # e.g. Python's float division 1/0 inside f's derivative
        return math.nan


def value_at(f: Function, x: float) -> float:
    """f(x) as a float, with IEEE results for poles: f is called on a numpy float, so 1/x at 0 is inf
    (not a ZeroDivisionError) and log(0) is -inf, as everywhere in the library."""
    with np.errstate(all="ignore"):
        value = f(np.float64(x))
    return plain_number(value, f"the result of {function_name(f)}")
