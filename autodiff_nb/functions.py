"""Elementwise functions that work on anything: floats, numpy arrays, ``Value``, ``Dual`` and ``Tensor``.

Write a function once with these and differentiate it every way::

    def f(x):
        return sin(x) * exp(x)

    f(0.5)                      # a float
    f(Dual(0.5, 1.0)).tangent   # forward mode
    y = f(Value(0.5)); y.backward()   # reverse mode

Objects of the engines are dispatched to their own method (``x.exp()``); plain numbers and arrays are
evaluated with the same rule, without recording anything.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from . import rules
from .checks import as_float
from .traced import Traced, primal


def _elementwise(name: str) -> Callable[[Any], Any]:
    rule = rules.UNARY_RULES[name]

    def apply(x: Any) -> Any:
        if isinstance(x, Traced):
            return getattr(x, name)()
        if isinstance(x, numbers.Real) and not isinstance(x, np.ndarray):
            return rule(as_float(x, f"{name}() argument"), rules.SCALAR)[0]
        if isinstance(x, complex) or getattr(getattr(x, "dtype", None), "kind", "") == "c":
            raise TypeError(f"{name}() works on real numbers; got the complex value {x!r}")
        if isinstance(x, (np.ndarray, list, tuple)):
            try:
                array = np.asarray(x)
            except ValueError:  # a ragged nested list
                raise TypeError(f"{name}() needs a rectangular array of numbers, got {x!r}") from None
            if array.dtype.kind == "c":
                raise TypeError(f"{name}() works on real numbers; got complex values {x!r}")
            if array.dtype == object:  # e.g. an array of Values: apply elementwise
                return np.vectorize(apply, otypes=[object])(array)
            if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
                raise TypeError(f"{name}() needs numbers, got an array of {array.dtype}: {x!r}")
            with np.errstate(all="ignore"):
                return rule(array.astype(float), rules.ARRAY)[0]
        raise TypeError(
            f"{name}() needs a number, an array, a Value, a Dual or a Tensor, got {type(x).__name__} {x!r}"
        )

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = f"Elementwise {name}. " + (rule.__doc__ or "")
    return apply


exp = _elementwise("exp")
log = _elementwise("log")
sin = _elementwise("sin")
cos = _elementwise("cos")
tanh = _elementwise("tanh")
sigmoid = _elementwise("sigmoid")
relu = _elementwise("relu")

__all__ = ["primal", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu"]
