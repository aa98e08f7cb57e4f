"""Scalar reverse-mode automatic differentiation: the ``Value`` class of chapter 07, grown up.

A ``Value`` wraps one number. Every operation on Values returns a new Value that remembers

* ``children``  — the Value operands it was computed from, in order (duplicates kept: ``a + a``);
* ``partials``  — the local derivative d(result)/d(child) for each child, from :mod:`autodiff_nb.rules`;
* ``operands``  — every operand in order, Values and plain numbers (the 1 in ``b + 1``), so a drawing
  can show the whole operation and a second derivative can rerun its rule; ``constants`` lists the
  numbers among them as ``(position, number)`` pairs.

``backward()`` sorts the graph (children before parents, the chapter's iterative sort) and walks it
from the result back to the leaves, applying the chain rule at every node:
``adjoint[child] += partial * adjoint[node]``.

The same loop gives higher derivatives: with ``create_graph=True`` it recomputes each node's partials
from the rule on the Value operands themselves, so the gradient is recorded as a graph of its own.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

from . import rules
from .checks import as_float, sequence
from .modes import MODES, check_backward, check_forward
from .traced import Traced, TracedScalar
from .traversal import topological_order

Number = int | float
Rule = Any  # rule(*operands, backend) -> (out, partials), see rules.py
_SCALAR, _TRACED = rules.SCALAR, rules.TRACED


_new_value = object.__new__


class Value(TracedScalar):
    """A scalar that records how it was computed, so ``backward()`` can find every derivative.

    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> e = (a * b) * (b + 1)
    >>> e.backward()
    >>> e.data, a.grad, b.grad
    (24.0, 12.0, 14.0)
    """

    __slots__ = ("data", "grad", "label", "op", "children", "partials", "operands", "rule")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if isinstance(data, TracedScalar) and not isinstance(data, Value) \
            else as_float(data, "Value(data)")  # a Dual inside is forward-over-reverse nesting
        self.grad: Any = 0.0  # filled in by backward(): d(output)/d(self)
        if type(label) is not str:
            raise TypeError(f"Value(label) must be a string, got {type(label).__name__} {label!r}")
        self.label = label
        self.op = ""  # '' for a leaf, else the operation that made this value
        self.children: tuple[Value, ...] = ()
        self.partials: tuple = ()
        self.operands: tuple = ()
        self.rule: Rule | None = None

    # -- arithmetic: each operator names its rule (the local derivatives are in rules.py) --------
    def __add__(self, other: Any) -> Value: return apply_binary("+", rules.add, self, other)
    def __radd__(self, other: Any) -> Value: return apply_binary("+", rules.add, other, self)
    def __sub__(self, other: Any) -> Value: return apply_binary("-", rules.sub, self, other)
    def __rsub__(self, other: Any) -> Value: return apply_binary("-", rules.sub, other, self)
    def __mul__(self, other: Any) -> Value: return apply_binary("*", rules.mul, self, other)
    def __rmul__(self, other: Any) -> Value: return apply_binary("*", rules.mul, other, self)
    def __truediv__(self, other: Any) -> Value: return apply_binary("/", rules.div, self, other)
    def __rtruediv__(self, other: Any) -> Value: return apply_binary("/", rules.div, other, self)
    def __pow__(self, other: Any) -> Value: return apply_binary("**", rules.pow, self, other)
    def __rpow__(self, other: Any) -> Value: return apply_binary("**", rules.pow, other, self)
    def __neg__(self) -> Value: return apply_unary("neg", rules.neg, self)
    def __pos__(self) -> Value: return self
    def exp(self) -> Value: return apply_unary("exp", rules.exp, self)
    def log(self) -> Value: return apply_unary("log", rules.log, self)
    def sin(self) -> Value: return apply_unary("sin", rules.sin, self)
    def cos(self) -> Value: return apply_unary("cos", rules.cos, self)
    def tanh(self) -> Value: return apply_unary("tanh", rules.tanh, self)
    def sigmoid(self) -> Value: return apply_unary("sigmoid", rules.sigmoid, self)
    def relu(self) -> Value: return apply_unary("relu", rules.relu, self)

    # -- reading ------------------------------------------------------------------------------------
    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def constants(self) -> tuple[tuple[int, Any], ...]:
        """The plain-number operands as (position, number): ``((1, 1.0),)`` for ``b + 1``."""
        return tuple((i, x) for i, x in enumerate(self.operands) if not isinstance(x, Value))

    def _number(self) -> float:
        data = self.data
        return data if type(data) is float else data._number()

    def __float__(self) -> float:
        if MODES.tracing and MODES.grad_enabled:
            raise TypeError(
                f"float() of {self!r} inside a derivative would cut it out of the graph (a silent wrong "
                "derivative). A function from the math module (such as math.sin) cannot see Values: use "
                "autodiff_nb.sin, exp, log, ... instead, or read .data explicitly."
            )
        return self._number()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # -- reverse mode ----------------------------------------------------------------------------------
    def backward(self, grad: Any = 1.0, create_graph: bool = False) -> None:
        """Fill in ``.grad`` of every node this value depends on: d(self)/d(node).

        Seeds ``self`` with ``grad`` (1.0: dself/dself = 1) and applies the chain rule in reverse
        topological order. Gradients of intermediate nodes belong to this pass; leaf gradients
        *accumulate* across calls, as in PyTorch: ``zero_grad()`` them between independent passes.
        With ``create_graph=True`` every gradient is itself a recorded Value, so ``x.grad.backward()``
        differentiates again; that second pass adds into the same leaf ``.grad`` attributes, so
        keep the first gradient (``g = x.grad``), zero the leaves, then call ``g.backward()``.
        """
        seed = grad if isinstance(grad, Traced) else as_float(grad, "backward(grad)")
        backpropagate(topological_order(self), {self: seed}, create_graph, into_grad=True)

    def zero_grad(self) -> None:
        self.grad = 0.0


# -- recording operations ---------------------------------------------------------------------------

def _constant(x: Any) -> Any:
    """A number operand as a float; NotImplemented for arrays and other engines' objects."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, Traced):  # ints, bools, numpy scalars
        return float(x)
    return NotImplemented


def apply_binary(op: str, rule: Rule, x: Any, y: Any) -> Value:
    """``x <op> y`` where at least one of them is a Value; a number operand is a recorded constant."""
    x_node = type(x) is Value or isinstance(x, Value)  # the type test first: it is the common case
    y_node = type(y) is Value or isinstance(y, Value)
    a = x.data if x_node else x if type(x) is float else _constant(x)
    b = y.data if y_node else y if type(y) is float else _constant(y)
    if a is NotImplemented or b is NotImplemented:
        return _not_a_number(op, x if a is NotImplemented else y)
    out, partials = rule(a, b, _SCALAR if type(a) is float and type(b) is float else _TRACED)
    if x_node:
        if y_node:
            return record(out, op, rule, (x, y), partials, None)
        return record(out, op, rule, (x,), (partials[0],), (x, b))
    return record(out, op, rule, (y,), (partials[1],), (a, y))


def apply_unary(op: str, rule: Rule, x: Value) -> Value:
    data = x.data
    out, partials = rule(data, _SCALAR if type(data) is float else _TRACED)
    return record(out, op, rule, (x,), partials)


def apply_rule(op: str, rule: Rule, operands: Sequence[Any]) -> Value:
    """Any rule over operands that are Values or numbers (dot, sums, primitives of your own)."""
    children, partial_positions, items, numbers = [], [], [], []
    for position, x in enumerate(operands):
        if isinstance(x, Value):
            children.append(x)
            partial_positions.append(position)
            items.append(x)
            numbers.append(x.data)
        else:
            number = x if isinstance(x, TracedScalar) else as_float(x, f"operand {position} of {op!r}")
            items.append(number)
            numbers.append(number)
    out, partials = rule(*numbers, rules.backend_for(*numbers))
    return record(out, op, rule, tuple(children), tuple(partials[i] for i in partial_positions),
                  tuple(items))


def record(data: Any, op: str, rule: Rule, children: tuple, partials: Any, operands: tuple | None = None
           ) -> Value:
    """Create the result node of an operation; inside ``no_grad()`` it is a plain leaf."""
    out = _new_value(Value)  # skips __init__'s check of data that a rule computed: ~0.9 s per 1M ops
    out.data = data
    out.grad = 0.0
    out.label = ""
    if MODES.grad_enabled:
        out.op = op
        out.children = children
        out.partials = partials
        out.operands = children if operands is None else operands
        out.rule = rule
    else:
        out.op = ""
        out.children = out.partials = out.operands = ()
        out.rule = None
    if MODES.anomaly:
        check_forward(out, op, data, children)
    return out


def _not_a_number(op: str, other: Any) -> Any:
    if isinstance(other, Traced) or hasattr(other, "__array_priority__") or hasattr(other, "__array__"):
        return NotImplemented  # a Dual, Tensor or array: let its own method answer
    raise TypeError(f"unsupported operand for {op!r}: cannot combine a Value with "
                    f"{type(other).__name__} {other!r}; expected a number or a Value")


# -- the backward loop --------------------------------------------------------------------------------

def backpropagate(order: list, seeds: dict, create_graph: bool = False, into_grad: bool = False) -> dict:
    """Adjoints d(output)/d(node) for the nodes of ``order`` (children first), from ``seeds``.

    The one backward loop of the scalar engine: ``backward``, ``grad`` and ``vjp`` all use it.
    ``into_grad`` also writes each adjoint into ``.grad`` (``backward``: leaves accumulate). Anomaly
    mode checks every contribution and every sum (a hook on this loop, not a copy of it).
    """
    adjoints = dict(seeds)
    adjoint_of = adjoints.get
    checking = MODES.anomaly
    for node in reversed(order):
        upstream = adjoint_of(node)
        if upstream is None:
            continue
        if not node.children:
            if into_grad:
                node.grad = node.grad + upstream
            continue
        if into_grad:
            node.grad = upstream
        partials = traced_partials(node) if create_graph else node.partials
        for child, partial in zip(node.children, partials):
            contribution = partial * upstream
            previous = adjoint_of(child)
            adjoints[child] = contribution if previous is None else previous + contribution
            if checking:
                check_backward(node, node.children.index(child), child, contribution, upstream,
                               adjoints[child])
    return adjoints


def gradients(seeds: dict, inputs: Sequence[Value], create_graph: bool = False) -> dict:
    """Adjoints of the outputs (``seeds``: output -> cotangent) for every node down to ``inputs``.

    Touches no ``.grad``; the walk stops at the inputs (what lies below them is not needed). This is
    what ``grad``, ``vjp`` and ``checkpoint`` run; ``backward`` is the same loop writing ``.grad``.
    """
    stops = set(inputs)
    top = _new_value(Value)  # a scratch root over every output, dropped from the order
    top.children = tuple(seeds)
    order = topological_order(top, lambda node: () if node in stops else node.children)[:-1]
    return backpropagate(order, seeds, create_graph)


def stand_in(x: Value) -> Value:
    """A node equal to ``x`` (d/dx = 1) that a transform differentiates with respect to, so an outer
    transform still sees the dependence on ``x`` (and two arguments stay apart even if both are x)."""
    return record(x.data, "input", rules.identity, (x,), (1.0,))


def traced_partials(node: Value) -> tuple:
    """The node's partials recomputed from its rule on the Value operands, so they are recorded."""
    if node.rule is None or not MODES.grad_enabled:
        return node.partials
    items = node.operands
    try:
        only = getattr(node.rule, "partials_only", None)  # a primitive's rule: no forward re-run needed
        partials = only(*items) if only is not None else node.rule(*items, rules.TRACED)[1]
    except Exception as error:
        raise TypeError(f"the derivative rule of {node.op!r} cannot be differentiated again "
                        f"(create_graph / nested derivatives): {error}") from error
    positions = range(len(items)) if items is node.children else \
        [i for i, x in enumerate(items) if isinstance(x, Value)]
    return tuple(partials[i] for i in positions)


# -- n-ary operations -----------------------------------------------------------------------------------

def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """The fused operation ``out = bias + sum_i weights[i] * inputs[i]`` as ONE node.

    d out / d w_i = x_i,   d out / d x_i = w_i,   d out / d bias = 1.
    One node instead of 2n keeps neural networks small and fast (it is where the scalar MLP's speed
    comes from); the result equals the sum written out by hand.
    """
    try:
        lengths = len(weights), len(inputs)
    except TypeError:
        raise TypeError(f"dot: weights and inputs must be sequences of numbers or Values, got "
                        f"{type(weights).__name__} and {type(inputs).__name__}") from None
    if lengths[0] != lengths[1]:
        raise ValueError(f"dot: {lengths[0]} weights but {lengths[1]} inputs")
    children, partials, items = [], [], []
    total: Any = 0.0
    for i, (w, x) in enumerate(zip(weights, inputs)):  # the sum, and d out/d w = x, d out/d x = w
        w_node, x_node = isinstance(w, Value), isinstance(x, Value)
        w_data = w.data if w_node else _dot_operand(w, 2 * i, "weight")
        x_data = x.data if x_node else _dot_operand(x, 2 * i + 1, "input")
        total = total + w_data * x_data
        if w_node:
            children.append(w)
            partials.append(x_data)
        if x_node:
            children.append(x)
            partials.append(w_data)
        items += (w if w_node else w_data, x if x_node else x_data)
    if bias is not None:
        bias_node = isinstance(bias, Value)
        total = total + (bias.data if bias_node else _dot_operand(bias, len(items), "bias"))
        if bias_node:
            children.append(bias)
            partials.append(1.0)
        items.append(bias if bias_node else _dot_operand(bias, len(items), "bias"))
    return record(total, "dot", rules.dot, tuple(children), tuple(partials), tuple(items))


def _dot_operand(x: Any, position: int, role: str) -> Any:
    if type(x) is float or isinstance(x, TracedScalar):
        return x
    return as_float(x, f"operand {position} of 'dot' (a {role})")


def value_sum(values: Iterable[Any]) -> Value:
    """``out = sum_i values[i]`` as one node;  d out / d values[i] = 1 (numbers are constants)."""
    return apply_rule("sum", rules.total, sequence("value_sum(values)", values))
