"""Python operators and elementwise methods, written once for every engine (Value, Dual, Tensor).

An engine class inherits from ``Operators`` and supplies three small methods:

* ``_lift(other, op)`` turns the other operand into the engine's own type (numbers become constants),
  returns ``NotImplemented`` to let Python try the other operand's method, or raises a clear TypeError;
* ``_binary(other, op)`` and ``_unary(op)`` apply the rule named ``op`` from :mod:`autodiff_nb.rules`.
"""

from __future__ import annotations

from typing import Any


class Operators:
    __slots__ = ()

    def _lift(self, other: Any, op: str) -> Any:  # pragma: no cover - supplied by each engine
        raise NotImplementedError

    def _binary(self, other: Any, op: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _unary(self, op: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _forward(self, other: Any, op: str) -> Any:
        other = self._lift(other, op)
        return NotImplemented if other is NotImplemented else self._binary(other, op)

    def _reflected(self, other: Any, op: str) -> Any:
        other = self._lift(other, op)
        return NotImplemented if other is NotImplemented else other._binary(self, op)

    def __add__(self, other: Any) -> Any:
        return self._forward(other, "+")

    def __radd__(self, other: Any) -> Any:
        return self._reflected(other, "+")

    def __sub__(self, other: Any) -> Any:
        return self._forward(other, "-")

    def __rsub__(self, other: Any) -> Any:
        return self._reflected(other, "-")

    def __mul__(self, other: Any) -> Any:
        return self._forward(other, "*")

    def __rmul__(self, other: Any) -> Any:
        return self._reflected(other, "*")

    def __truediv__(self, other: Any) -> Any:
        return self._forward(other, "/")

    def __rtruediv__(self, other: Any) -> Any:
        return self._reflected(other, "/")

    def __pow__(self, other: Any) -> Any:
        return self._forward(other, "**")

    def __rpow__(self, other: Any) -> Any:
        return self._reflected(other, "**")

    def __neg__(self) -> Any:
        return self._unary("neg")

    def __pos__(self) -> Any:
        return self

    def exp(self) -> Any:
        """e**x, elementwise."""
        return self._unary("exp")

    def log(self) -> Any:
        """Natural logarithm, elementwise (log 0 = -inf, log of a negative number = nan)."""
        return self._unary("log")

    def sin(self) -> Any:
        return self._unary("sin")

    def cos(self) -> Any:
        return self._unary("cos")

    def tanh(self) -> Any:
        return self._unary("tanh")

    def sigmoid(self) -> Any:
        """1 / (1 + e**-x), computed without overflow."""
        return self._unary("sigmoid")

    def relu(self) -> Any:
        """max(0, x)."""
        return self._unary("relu")


class ScalarOperators(Operators):
    """Operators plus what only makes sense for one number: ordering, ``float()`` and formatting.

    Comparisons look at the number itself; ``==`` and ``hash`` keep their identity meaning, so nodes can
    live in sets and dicts while a graph is walked. Subclasses supply ``_number()``.
    """

    __slots__ = ()

    def _number(self) -> float:  # pragma: no cover - supplied by each engine
        raise NotImplementedError

    @staticmethod
    def _number_of(x: Any) -> float:
        from .engine import as_float  # local import: engine imports this module

        return x._number() if isinstance(x, ScalarOperators) else as_float(x, "comparison operand")

    def __lt__(self, other: Any) -> bool:
        return self._number() < self._number_of(other)

    def __le__(self, other: Any) -> bool:
        return self._number() <= self._number_of(other)

    def __gt__(self, other: Any) -> bool:
        return self._number() > self._number_of(other)

    def __ge__(self, other: Any) -> bool:
        return self._number() >= self._number_of(other)

    __hash__ = object.__hash__

    def __float__(self) -> float:
        return self._number()

    def __format__(self, spec: str) -> str:
        return format(self._number(), spec) if spec else repr(self)
