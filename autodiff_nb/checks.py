"""Every check of what people pass in: numbers, arrays, settings, ranges, functions.

The one place where the package turns user input into floats and arrays. Each check either returns the
value in its canonical form or raises a TypeError (wrong kind of thing) or ValueError (right kind, bad
value) whose message names the argument, so a typo gets the same clear error everywhere instead of a
numpy traceback three calls later.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any

import numpy as np


def real_number(name: str, value: Any, *, positive: bool = False, minimum: float | None = None,
                below: float | None = None) -> float:
    """``value`` as a finite float, or an error naming ``name``.

    ``positive`` demands value > 0, ``minimum`` value >= minimum, ``below`` value < below.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {_short(value)}")
    value = _to_float(value, name)
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
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {_short(value)}")
    if maximum is None and value > sys.maxsize:
        raise ValueError(f"{name} is too large: {_short(value)} (at most {sys.maxsize})")
    if value < minimum or (maximum is not None and value > maximum):
        top = "" if maximum is None else f" and at most {maximum}"
        kinds = {0: " (a non-negative whole number)", 1: " (a positive whole number)"}
        kind = "" if maximum is not None else kinds.get(minimum, "")
        raise ValueError(f"{name} must be at least {minimum}{top}{kind}, got {value}")
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


def as_float(x: Any, what: str = "value") -> float:
    """One real number as a float (Python or numpy scalar, 0-d array), or a TypeError naming ``what``."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_, np.ndarray)):
        return _to_float(x, what)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    hint = ""
    if isinstance(x, str):
        hint = " Convert text with float(...) first."
    elif isinstance(x, complex) or (isinstance(x, np.ndarray) and x.dtype.kind == "c"):
        hint = " Complex numbers are not supported: split them into real and imaginary parts."
    elif isinstance(x, (list, tuple, np.ndarray)):
        hint = " A Value or Dual holds one number; use autodiff_nb.Tensor for arrays."
    raise TypeError(f"{what} must be a real number, got {type(x).__name__} {_short(x)}.{hint}")


def as_numbers(x: Any, what: str) -> np.ndarray:
    """``x`` (a number or a nested sequence/array of real numbers) as a float64 array.

    Raises a TypeError naming ``what`` for text, None, ragged lists, objects, complex numbers and a lone
    bool (True is not a number here; an array of booleans, such as labels or a mask, is accepted).
    """
    if isinstance(x, (str, bytes, bool, np.bool_)) or x is None:
        raise TypeError(f"{what} must be a number or an array of numbers, got {type(x).__name__} "
                        f"{_short(x)}")
    try:
        array = np.asarray(x)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a rectangular array of numbers, got {_short(x)}") from None
    if array.dtype.kind == "c":
        raise TypeError(f"{what} must be real numbers, got complex values {_short(x)}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be a number or an array of numbers, got {type(x).__name__} {_short(x)}")
    return array.astype(float)


def as_array(data: Any, what: str = "Tensor data", dtype: Any = None) -> np.ndarray:
    """``data`` as a float64 (or float32) array for a Tensor, or a TypeError naming ``what``.

    Integers and booleans become float64; float32 stays float32 unless ``dtype`` says otherwise.
    Anything with a ``.data`` array that is an engine node (a Tensor) is read through it.
    """
    if isinstance(data, (str, bytes)) or data is None:
        raise TypeError(f"{what} must be numbers, got {type(data).__name__} {_short(data)}")
    try:
        array = np.asarray(data)
    except (TypeError, ValueError) as error:  # e.g. ragged nested lists
        raise TypeError(f"{what} must be a rectangular array of numbers, got {_short(data)} "
                        f"({error})") from None
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in (np.float64, np.float32):
            raise TypeError(f"a Tensor's dtype must be float64 or float32, got {dtype}")
    kind = array.dtype.kind
    if kind not in "biuf":
        hint = ""
        if array.dtype == object:
            hint = " (a Value inside? use its .data; Values and Tensors do not mix)"
        elif kind == "c":
            hint = " (complex numbers are not supported)"
        raise TypeError(f"{what} must be real numbers, got dtype {array.dtype}: {_short(data)}{hint}")
    if dtype is None:
        dtype = array.dtype if array.dtype in (np.float64, np.float32) else np.float64
    return array.astype(dtype, copy=False)


def sequence(name: str, value: Any) -> list:
    """``value`` (a list, tuple, array or other iterable of items) as a list, or a TypeError naming
    ``name`` for None, a number, text or a mapping."""
    if value is None or isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence (a list, tuple or array), got {type(value).__name__} "
                        f"{_short(value)}")
    return list(value)


def whole_numbers(what: str, values: tuple, minimum: int) -> tuple[int, ...]:
    """Shape or axis arguments, given one by one or as one sequence, as ints (or a named error)."""
    if len(values) == 1 and not isinstance(values[0], numbers.Integral):
        inner = values[0]
        if isinstance(inner, (str, bytes)) or not hasattr(inner, "__iter__"):
            raise TypeError(f"{what} must be whole numbers or one sequence of them, got "
                            f"{type(inner).__name__} {inner!r}")
        values = tuple(inner)
    return tuple(whole_number(f"{what}[{i}]", v, minimum) for i, v in enumerate(values))


def function(name: str, f: Any) -> Any:
    """``f`` if it is callable, else a TypeError naming ``name``."""
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {type(f).__name__} {_short(f)}")
    return f


def one_of(name: str, value: Any, choices: tuple) -> Any:
    """``value`` if it is one of ``choices``, else a ValueError listing them."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {_short(value)}")
    return value


def flag(name: str, value: Any) -> bool:
    """``value`` if it is True or False (numpy booleans too), else a TypeError naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {_short(value)}")
    return bool(value)


def _to_float(value: Any, name: str) -> float:
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range, e.g. 10**400
        raise ValueError(f"{name} is too large for a float: {_short(value)}") from None


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python converts to text
        return f"an int of {value.bit_length()} bits" if isinstance(value, int) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."
