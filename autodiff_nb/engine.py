"""Scalar reverse-mode automatic differentiation: the ``Value`` class.

A ``Value`` wraps one float. Every arithmetic operation on Values returns a new Value that remembers

* its ``children`` — the operands it was computed from, in order, and
* its ``partials`` — the local derivative d(result)/d(operand) for each child, computed right away from
  the rule in :mod:`autodiff_nb.rules`.

``backward()`` then walks the recorded graph from the result back to the leaves (reverse topological
order) and applies the chain rule at every node: ``child.grad += partial * node.grad``.
"""

from __future__ import annotations

import gc
import numbers
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from . import rules
from .modes import MODES, check_backward, check_forward
from .operators import ScalarOperators

Number = int | float
_SCALAR = rules.SCALAR
_BINARY_RULES = rules.BINARY_RULES
_UNARY_RULES = rules.UNARY_RULES
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
    def _forward(self, other: Any, op: str) -> Value:
        """``self <op> other``. A number operand is a constant: it gets no node and no edge."""
        rule = _BINARY_RULES[op]
        if type(other) is Value:
            data, partials = rule(self.data, other.data, _SCALAR)
            return _record(data, op, (self, other), partials)
        constant = other if type(other) is float else self._constant(other, op)
        if constant is NotImplemented:
            return NotImplemented
        data, partials = rule(self.data, constant, _SCALAR)
        return _record(data, op, (self,), (partials[0],))

    def _reflected(self, other: Any, op: str) -> Value:
        """``other <op> self`` where ``other`` is a number (Python tries ``other.__add__`` first)."""
        constant = self._constant(other, op)
        if constant is NotImplemented:
            return NotImplemented
        data, partials = _BINARY_RULES[op](constant, self.data, _SCALAR)
        return _record(data, op, (self,), (partials[1],))

    def _unary(self, op: str) -> Value:
        data, partials = _UNARY_RULES[op](self.data, _SCALAR)
        return _record(data, op, (self,), partials)

    def _constant(self, other: Any, op: str) -> Any:
        """A number operand as a float; NotImplemented for other AD types (Dual, Tensor, arrays)."""
        if type(other) is float:
            return other
        if isinstance(other, numbers.Real):
            return float(other)
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
        with _gc_paused():
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


def _record(data: float, op: str, children: tuple, partials: tuple) -> Value:
    """Create the result node of an operation (no validation: ``data`` is already a float).

    Called for every operation, so it is written for speed: plain slot assignments, two flag checks.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if MODES.grad_enabled:
        out._op = op
        out._children = children
        out._partials = partials
    else:  # no_grad(): a plain number in a Value, nothing to backpropagate through
        out._op = ""
        out._children = _EMPTY
        out._partials = _EMPTY
    if MODES.anomaly:
        check_forward(out, op, data, children)
    return out


def _backward_checked(order: list[Value]) -> None:
    """The same sweep as ``Value.backward``, checking each contribution for NaN/inf (anomaly mode)."""
    for node in reversed(order):
        upstream = node.grad
        for index, (child, partial) in enumerate(zip(node._children, node._partials)):
            contribution = partial * upstream
            check_backward(node, index, child, contribution, upstream)
            child.grad += contribution


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while we allocate a lot of objects that form no cycles.

    Walking a million-node graph allocates a million set and list entries; without the pause the
    collector re-scans the whole (acyclic) graph again and again, which costs more than the walk.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def topological_order(root: Any) -> list:
    """Every node ``root`` depends on, each once, children before the nodes computed from them.

    Depth-first search with an explicit stack instead of recursion, so a chain of a million operations
    is fine. A node is *expanded* the first time it reaches the top of the stack (its children are pushed
    above it) and *placed* the second time, when everything above it is done. Works for any node type
    with a ``children`` attribute (Value, Tensor).
    """
    order: list = []
    expanded: set = set()
    placed: set = set()
    stack: list = [root]
    while stack:
        node = stack[-1]
        if node not in expanded:
            expanded.add(node)
            children = node._children if type(node) is Value else node.children
            for child in reversed(children):
                if child not in expanded:
                    stack.append(child)
        else:
            stack.pop()
            if node not in placed:
                placed.add(node)
                order.append(node)
    return order


def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """The fused operation ``out = bias + sum_i weights[i] * inputs[i]`` as ONE node.

    d out / d w_i = x_i,   d out / d x_i = w_i,   d out / d bias = 1.
    Weights, inputs and bias may each be Values or plain numbers (constants: they get no edge). One node
    instead of 2n keeps neural networks small and fast; the result equals the sum written out by hand.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs")
    children: list = []
    partials: list = []
    total = 0.0
    for w, x in zip(weights, inputs):
        w_is_value, x_is_value = isinstance(w, Value), isinstance(x, Value)
        w_data = w.data if w_is_value else as_float(w, "dot weight")
        x_data = x.data if x_is_value else as_float(x, "dot input")
        total += w_data * x_data
        if w_is_value:
            children.append(w)
            partials.append(x_data)
        if x_is_value:
            children.append(x)
            partials.append(w_data)
    if bias is not None:
        if isinstance(bias, Value):
            total += bias.data
            children.append(bias)
            partials.append(1.0)
        else:
            total += as_float(bias, "dot bias")
    return _record(total, "dot", tuple(children), tuple(partials))


def value_sum(values: Iterable[Any]) -> Value:
    """``out = sum_i values[i]`` as one node;  d out / d values[i] = 1 (numbers are constants)."""
    children = []
    total = 0.0
    for v in values:
        if isinstance(v, Value):
            children.append(v)
            total += v.data
        else:
            total += as_float(v, "value_sum term")
    return _record(total, "sum", tuple(children), (1.0,) * len(children))
