"""How exercises read a learner's answer: the forms a "predict" answer can take, and the wrapper
that names the input when an "implement" answer raises.

A form turns what the learner typed into a canonical value (or raises ``BadForm`` saying what to
type instead) and lists the parts that are wrong, without ever saying what the right value is.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["BadForm", "AnswerRaised", "Form", "number", "choice", "numbers", "shapes", "assert_close",
           "traced", "show"]


class BadForm(Exception):
    """The answer is not of the asked form (a word where a number belongs, two numbers instead of three)."""


class AnswerRaised(Exception):
    """The learner's function raised; the message names the call that did."""


class Form:
    """The form of a predict answer. ``read`` returns the canonical value or raises ``BadForm``;
    ``mistakes(given, expected, tolerance)`` names the wrong parts ([] when the answer is right),
    ``wrong(given, mistakes)`` says so in a sentence that does not give the right value away."""

    def read(self, answer: Any) -> Any:
        raise NotImplementedError

    def mistakes(self, given: Any, expected: Any, tolerance: float) -> list[str]:
        return [] if given == expected else ["answer"]

    def wrong(self, given: Any, mistakes: list[str]) -> str:
        return f"{given!r} is not it"


def _as_real(value: Any, what: str) -> float:
    if isinstance(value, (str, bytes, bool)):
        raise BadForm(f"{what} should be a number such as 1.5 (without quotes), got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadForm(f"{what} should be a number such as 1.5, got {type(value).__name__} "
                      f"{value!r}") from None


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _close(a: float, b: float, tolerance: float) -> bool:
    """``tolerance`` is both relative and absolute."""
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


class _Number(Form):
    def read(self, answer: Any) -> float:
        return _as_real(answer, "your answer")

    def mistakes(self, given: float, expected: Any, tolerance: float) -> list[str]:
        return [] if _close(given, float(expected), tolerance) else ["answer"]

    def wrong(self, given: float, mistakes: list[str]) -> str:
        return f"{given:.6g} is not it"


class _Choice(Form):
    def __init__(self, letters: Sequence[str]) -> None:
        self.letters = tuple(letters)

    def read(self, answer: Any) -> str:
        if isinstance(answer, str) and answer.strip().lower() in self.letters:
            return answer.strip().lower()
        listed = ", ".join(repr(letter) for letter in self.letters[:-1]) + f" or {self.letters[-1]!r}"
        raise BadForm(f"answer with one of the letters {listed}, got {answer!r}")

    def mistakes(self, given: str, expected: Any, tolerance: float) -> list[str]:
        return [] if given == expected else [given]  # the letter, so that hints can answer it


class _Parts(Form):
    """A fixed number of named parts, each a number or each a shape."""

    def __init__(self, names: Sequence[str], part: str) -> None:
        self.names, self.part = tuple(names), part

    def read(self, answer: Any) -> tuple:
        count, example = len(self.names), "[1.0, 2.0]" if self.part == "number" else "((2, 4), (7,))"
        if isinstance(answer, np.ndarray) and self.part == "number":
            answer = answer.reshape(-1).tolist()
        if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != count:
            size = _items(len(answer)) if hasattr(answer, "__len__") else "one"
            raise BadForm(f"give {count} {self.part}s ({', '.join(self.names)}) such as {example}; "
                          f"got {size}: {answer!r}")
        return tuple(self._read_part(part, name) for part, name in zip(answer, self.names, strict=True))

    def _read_part(self, value: Any, name: str) -> Any:
        if self.part == "number":
            return _as_real(value, name)
        try:
            return tuple(int(n) for n in value)
        except TypeError:
            raise BadForm(f"the shape of {name} should be a tuple such as (2, 4) or (7,), "
                          f"got {value!r}") from None

    def mistakes(self, given: tuple, expected: Any, tolerance: float) -> list[str]:
        def same(a: Any, b: Any) -> bool:
            return _close(a, float(b), tolerance) if self.part == "number" else a == tuple(b)

        return [name for name, a, b in zip(self.names, given, expected, strict=True) if not same(a, b)]

    def wrong(self, given: tuple, mistakes: list[str]) -> str:
        if len(mistakes) == len(self.names):
            return f"none of {', '.join(self.names)} is right yet"
        right = len(self.names) - len(mistakes)
        others = "the other one is" if right == 1 else f"the other {right} are"
        return f"{' and '.join(mistakes)} {'is' if len(mistakes) == 1 else 'are'} not right; {others}"


number: Form = _Number()
"""One number, compared within the exercise's tolerance."""


def choice(*letters: str) -> Form:
    """One of the given letters (case and surrounding spaces ignored)."""
    return _Choice(letters)


def numbers(*names: str) -> Form:
    """One number per name, e.g. the two components of a gradient."""
    return _Parts(names, "number")


def shapes(*names: str) -> Form:
    """One array shape per name."""
    return _Parts(names, "shape")


def assert_close(actual: Any, expected: float, tol: float = 1e-6, what: str = "your answer") -> None:
    """Fail with a readable message unless ``actual`` is within ``tol`` of ``expected``.

    ``tol`` is both a relative and an absolute tolerance."""
    try:
        value = _as_real(actual, what)
    except BadForm as error:
        raise AssertionError(str(error)) from None
    if not _close(value, expected, tol):
        raise AssertionError(f"{what} is {value:.6g}, expected {expected:.6g}")


def show(value: Any, limit: int = 60) -> str:
    """A short description of an input, for messages: functions by name, big arrays by shape."""
    if callable(value) and hasattr(value, "__name__"):
        return "a function" if value.__name__ == "<lambda>" else value.__name__
    if isinstance(value, np.ndarray) and (value.size > 6 or value.ndim > 1):
        return f"an array of shape {value.shape}"
    text = repr(value.tolist()) if isinstance(value, np.ndarray) else repr(value)
    if len(text) <= limit:
        return text
    if hasattr(value, "__len__"):
        return f"a {type(value).__name__} of {_items(len(value))}"
    return text[: limit - 3] + "..."


_CRYPTIC = {  # exception texts that name numpy internals rather than the learner's mistake
    "gufunc signature": "the shapes in a matrix product @ do not fit",
}


def _explain(error: BaseException) -> str:
    text = str(error)
    for marker, plain in _CRYPTIC.items():
        if marker in text:
            return plain
    return text


def describe_call(function: Callable, name: str, args: tuple, kwargs: dict) -> str:
    """``name(x=..., y=...)``, with the function's own parameter names when they bind."""
    try:
        bound = inspect.signature(function).bind(*args, **kwargs).arguments
        parts = [f"{key}={show(value)}" for key, value in bound.items()]
    except (TypeError, ValueError):
        parts = [show(value) for value in args] + [f"{key}={show(value)}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def traced(function: Callable, name: str, passthrough: tuple[type[BaseException], ...]) -> Callable:
    """``function``, except that an exception it raises becomes ``AnswerRaised`` naming the call.

    Exceptions in ``passthrough`` (e.g. ``NotDone``) go through unchanged. The wrapper's ``last_call``
    says which call ran last, so a failure while checking its result can name that input too."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        call.last_call = describe_call(function, name, args, kwargs)
        try:
            return function(*args, **kwargs)
        except passthrough:
            raise
        except Exception as error:
            message = f"{call.last_call} raised {type(error).__name__}: {_explain(error)}"
            raise AnswerRaised(message) from error

    call.last_call = ""
    return call
