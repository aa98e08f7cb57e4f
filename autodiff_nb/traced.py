"""What every traced number has in common, below the engines.

``Traced`` marks the objects an engine records or carries derivatives for (``Value``, ``Dual``,
``Tensor``), so the rules and the elementwise functions can tell them from plain floats and arrays
without importing any engine. ``TracedScalar`` adds what only makes sense for one number: comparisons
by value, ``float()`` and format specs. ``==`` and ``hash`` keep their identity meaning, so nodes can be
kept in sets and dicts while a graph is walked.
"""

from __future__ import annotations

from typing import Any


class Traced:
    """Base of every engine type: Value (reverse), Dual (forward), Tensor (reverse on arrays)."""

    __slots__ = ()


class TracedScalar(Traced):
    """One traced number; subclasses supply ``_number()``, the plain float inside."""

    __slots__ = ()

    def _number(self) -> float:  # pragma: no cover - supplied by each engine
        raise NotImplementedError

    def __lt__(self, other: Any) -> bool:
        return self._number() < primal(other)

    def __le__(self, other: Any) -> bool:
        return self._number() <= primal(other)

    def __gt__(self, other: Any) -> bool:
        return self._number() > primal(other)

    def __ge__(self, other: Any) -> bool:
        return self._number() >= primal(other)

    __hash__ = object.__hash__

    def __format__(self, spec: str) -> str:
        return format(self._number(), spec) if spec else repr(self)


def primal(x: Any) -> float:
    """The plain number inside ``x``: ``.data`` of a Value, ``.primal`` of a Dual (all the way down
    when they are nested), or ``float(x)`` for a number.

    Use it to *look at* a value (for a branch or a stabilising shift); the result is not differentiated.
    """
    if isinstance(x, TracedScalar):
        return x._number()
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "__float__"):
        raise TypeError(f"primal() needs a number, a Value or a Dual, got {type(x).__name__} {x!r}")
    return float(x)
