"""The one-variable functions the derivative explorers offer, and checks on a learner's function.

The exact derivative comes from forward mode (``autodiff_nb.derivative``), so a function must be
written with operators, numpy ufuncs or ``autodiff_nb``'s elementwise functions. ``math.sin`` and
friends turn a ``Dual`` into a plain float, which would silently lose the derivative: such functions
are refused with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import functions as ad
from ..checks import real_number
from ..dual import Dual
from ..transforms import derivative

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


def check_step(h: Any) -> float:
    h = real_number("the step h", h)
    if h <= 0:
        raise ValueError(f"the step h must be positive, got {h:g}: the difference quotient "
                         "(f(x + h) - f(x)) / h needs a step")
    return h


def check_function(f: Any, x: float) -> Function:
    """``f`` if forward mode can differentiate it at ``x``, else a TypeError saying why not."""
    if not callable(f):
        raise TypeError(f"f must be a function of one number, got {type(f).__name__} {f!r}")
    with np.errstate(all="ignore"):
        out = f(Dual(x, 1.0))
    if not isinstance(out, Dual):
        raise TypeError(
            f"{function_name(f)}(Dual) returned {type(out).__name__}, not a Dual, so forward mode "
            "cannot see its derivative (math.sin and friends do this). Write f with numpy or "
            "autodiff_nb functions: np.sin(x), autodiff_nb.exp(x), x ** 3."
        )
    return f


def exact_derivative(f: Function, x: float) -> float:
    """f'(x) by forward mode: one pass with the dual number x + 1·ε."""
    with np.errstate(all="ignore"):
        return float(derivative(f, x))


def value_at(f: Function, x: float) -> float:
    """f(x) as a float (inf and nan allowed: log(0) is -inf by the library's IEEE policy)."""
    with np.errstate(all="ignore"):
        value = f(x)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{function_name(f)} must return one number, got "
                        f"{type(value).__name__} {value!r}") from None
