"""Scalar reverse-mode automatic differentiation: the ``Value`` class.

A ``Value`` wraps one float. Every arithmetic operation on Values returns a new Value that remembers

* its ``children`` — the operands it was computed from, in order, and
* its ``partials`` — the local derivative d(result)/d(operand) for each child, computed right away from
  the rule in :mod:`autodiff_nb.rules`.

``backward()`` then walks the recorded graph from the result back to the leaves (reverse topological
order) and applies the chain rule at every node: ``child.grad += partial * node.grad``.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable, Sequence, Union

import numpy as np

from . import rules
from .operators import ScalarOperators
from .modes import MODES, check_backward, check_forward

Number = Union[int, float]
_SCALAR = rules.SCALAR
_EMPTY: tuple = ()
_new = object.__new__


def as_float(x: Any, what: str = "value") -> float:
    """Convert a real number to float, or raise a TypeError that names the offending value."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, np.ndarray):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and np.issubdtype(x.dtype, np.number) \
            and not np.iscomplexobj(x):
        return float(x)
    hint = ""
    if isinstance(x, str):
        hint = " Convert text with float(...) first."
    elif isinstance(x, (list, tuple, np.ndarray)):
        hint = " A Value holds one number; use autodiff_nb.Tensor for arrays."
    raise TypeError(f"{what} must be a real number, got {type(x).__name__} {x!r}.{hint}")


class Value(ScalarOperators):
    """A scalar that records how it was computed, so ``backward()`` can find every derivative.

    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> e = (a * b) * (b + 1)
    >>> e.backward()
    >>> e.data, a.grad, b.grad
    (24.0, 12.0, 14.0)
    """

    __slots__ = ("data", "grad", "label", "_op", "_children", "_partials")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = as_float(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self._op = ""
        self._children = _EMPTY
        self._partials = _EMPTY

    # -- the graph, read-only ------------------------------------------------------------------------
    @property
    def op(self) -> str:
        """The operation that produced this value ('' for a leaf created by the user)."""
        return self._op

    @property
    def children(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in order (duplicates kept)."""
        return self._children

    @property
    def partials(self) -> tuple[float, ...]:
        """The local derivatives d(self)/d(child), one per child, in the same order."""
        return self._partials

    @property
    def is_leaf(self) -> bool:
        return not self._children

    # -- building the graph --------------------------------------------------------------------------
    @staticmethod
    def _record(data: float, op: str, children: tuple, partials: tuple) -> Value:
        """Create the result node of an operation (skipping __init__'s validation: data is a float)."""
        out = _new(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        if MODES.grad_enabled:
            out._op, out._children, out._partials = op, children, partials
        else:
            out._op, out._children, out._partials = "", _EMPTY, _EMPTY
        if MODES.anomaly and op:  # constants lifted from numbers are not operations
            check_forward(out, op, data, children)
        return out

    def _binary(self, other: Value, op: str) -> Value:
        data, partials = rules.BINARY_RULES[op](self.data, other.data, _SCALAR)
        return Value._record(data, op, (self, other), partials)

    def _unary(self, op: str) -> Value:
        data, partials = rules.UNARY_RULES[op](self.data, _SCALAR)
        return Value._record(data, op, (self,), partials)

    def _lift(self, other: Any, op: str) -> Any:
        """Turn a number into a constant leaf; let other AD types (Dual, Tensor, arrays) handle the op."""
        if isinstance(other, Value):
            return other
        if type(other) is float or type(other) is int:
            return Value._record(float(other), "", _EMPTY, _EMPTY)
        if isinstance(other, numbers.Real):
            return Value._record(float(other), "", _EMPTY, _EMPTY)
        if isinstance(other, np.ndarray) or getattr(other, "__array_priority__", None) is not None \
                or hasattr(other, "primal"):
            return NotImplemented
        raise TypeError(
            f"unsupported operand for {op!r}: cannot combine {self!r} with {type(other).__name__} {other!r}; "
            "expected a number or a Value"
        )

    def _number(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # -- reverse mode ----------------------------------------------------------------------------------
    def backward(self, grad: Number = 1.0) -> None:
        """Fill in ``.grad`` of every node this value depends on: d(self)/d(node).

        Seeds ``self`` with ``grad`` (1.0: dself/dself = 1) and applies the chain rule in reverse
        topological order. Leaf gradients *accumulate* across calls, as in PyTorch: call
        ``zero_grad`` (or set ``.grad = 0``) between independent backward passes.
        """
        order = topological_order(self)
        for node in order:  # adjoints of intermediate nodes belong to this pass only
            if node._children:
                node.grad = 0.0
        self.grad += as_float(grad, "backward(grad)")
        if MODES.anomaly:
            _backward_checked(order)
            return
        for node in reversed(order):
            upstream = node.grad
            for child, partial in zip(node._children, node._partials):
                child.grad += partial * upstream

    def zero_grad(self) -> None:
        self.grad = 0.0


def _backward_checked(order: list[Value]) -> None:
    """The same sweep as ``Value.backward``, checking each contribution for NaN/inf (anomaly mode)."""
    for node in reversed(order):
        upstream = node.grad
        for index, (child, partial) in enumerate(zip(node._children, node._partials)):
            contribution = partial * upstream
            check_backward(node, index, child, contribution, upstream)
            child.grad += contribution


def _constant(x: Any, what: str) -> Value:
    return Value._record(as_float(x, what), "", _EMPTY, _EMPTY)


def topological_order(root: Any) -> list:
    """Every node ``root`` depends on, each once, children before the nodes computed from them.

    Iterative depth-first search (an explicit stack instead of recursion), so a chain of a million
    operations is fine. Works for any node type with a ``children`` attribute (Value, Tensor).
    """
    order: list = []
    visited: set = set()
    stack: list = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        children = node._children if isinstance(node, Value) else node.children
        for child in reversed(children):
            if child not in visited:
                stack.append((child, False))
    return order


def dot(weights: Sequence[Value], inputs: Sequence[Any], bias: Any = None) -> Value:
    """The fused operation ``out = bias + sum_i weights[i] * inputs[i]`` as ONE node.

    d out / d w_i = x_i,   d out / d x_i = w_i,   d out / d bias = 1.
    Inputs may be Values or plain numbers (constants: they get no node). One node instead of 2n keeps
    neural networks small and fast; the result is the same as writing the sum out by hand.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs")
    children: list = []
    partials: list = []
    total = 0.0
    for w, x in zip(weights, inputs):
        if not isinstance(w, Value):
            w = _constant(w, "dot weight")
        if isinstance(x, Value):
            total += w.data * x.data
            children += (w, x)
            partials += (x.data, w.data)
        else:
            x = as_float(x, "dot input")
            total += w.data * x
            children.append(w)
            partials.append(x)
    if bias is not None:
        bias = bias if isinstance(bias, Value) else _constant(bias, "dot bias")
        total += bias.data
        children.append(bias)
        partials.append(1.0)
    return Value._record(total, "dot", tuple(children), tuple(partials))


def value_sum(values: Iterable[Any]) -> Value:
    """``out = sum_i values[i]`` as one node;  d out / d values[i] = 1."""
    children = tuple(v if isinstance(v, Value) else _constant(v, "value_sum term") for v in values)
    total = 0.0
    for child in children:
        total += child.data
    return Value._record(total, "sum", children, (1.0,) * len(children))
