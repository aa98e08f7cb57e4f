"""Transition shim: the operator mixin moved into each engine (explicit methods); kept until the tensor
engine no longer imports it."""

from __future__ import annotations

from typing import Any

from .traced import Traced, TracedScalar

ScalarOperators = TracedScalar


class Operators(Traced):
    __slots__ = ()

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
        return self._unary("exp")

    def log(self) -> Any:
        return self._unary("log")

    def sin(self) -> Any:
        return self._unary("sin")

    def cos(self) -> Any:
        return self._unary("cos")

    def tanh(self) -> Any:
        return self._unary("tanh")

    def sigmoid(self) -> Any:
        return self._unary("sigmoid")

    def relu(self) -> Any:
        return self._unary("relu")
