"""Reverse-mode automatic differentiation on numpy arrays: the ``Tensor`` class.

A ``Tensor`` is the array version of ``Value``: each operation returns a new Tensor that remembers its
operands (``children``) and what backward needs. Elementwise operations (``+ - * / **``, ``exp``, ...,
``relu``, and your own through :func:`apply_elementwise`) use the rules of :mod:`autodiff_nb.rules`, as
``Value`` and ``Dual`` do: backward multiplies the saved partials by the upstream gradient and sums the
result over broadcast axes (:func:`unbroadcast`). Operations that mix elements (``@``, ``sum``,
indexing, ``softmax``, ...) keep their backward rule beside their forward in :mod:`autodiff_nb.tensor_ops`.
``backward(create_graph=True)`` runs the one backward loop (:mod:`autodiff_nb.tensor_backward`) on
Tensors, so gradients can be differentiated again.

Numerical edge cases follow IEEE 754 (``log(0) = -inf``, ``0/0 = nan``) without warnings; inside
``detect_anomaly()`` they raise an ``AnomalyError`` naming the operation.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from . import rules
from . import tensor_ops as ops
from .checks import as_array, as_float, flag, function, whole_numbers
from .modes import MODES, check_forward, quiet, restore
from .tensor_backward import backpropagate, checked_rule_result, elementwise_backward, gradients, seed
from .tensor_base import TensorData
from .tensor_ops import unbroadcast
from .traced import Traced

__all__ = ["Tensor", "softmax", "log_softmax", "unbroadcast", "gradients", "apply_elementwise"]

ArrayLike = Union[float, int, Sequence[Any], np.ndarray, "Tensor"]
Rule = Callable[..., tuple]  # rule(*operands, backend) -> (out, partials), as in rules.py
_ARRAY = rules.ARRAY
_EMPTY: tuple = ()
_new = object.__new__


class Tensor(TensorData):
    """An n-dimensional array that records how it was computed, so ``backward()`` finds gradients.

    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x = Tensor([1.0, 2.0])
    >>> loss = (W @ x).relu().sum()
    >>> loss.backward()
    >>> W.grad
    array([[1., 2.],
           [1., 2.]])

    Leaves you create hold ``requires_grad=False`` unless you ask for gradients (parameters do, data
    does not). A result requires gradients when any of its operands does.
    """

    __slots__ = ()  # the fields are declared in TensorData

    def __init__(self, data: ArrayLike, requires_grad: bool = False, label: str = "",
                 dtype: Any = None) -> None:
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad must be True or False, got {requires_grad!r}")
        if isinstance(data, Tensor):
            data = data.data
        self.data: np.ndarray = np.array(as_array(data, "Tensor(data)", dtype))  # own copy
        self.grad: Any = None
        self.requires_grad = requires_grad
        self.label = label
        self._op = ""
        self._children: tuple = _EMPTY
        self._saved: Any = None
        self._backward: Callable | None = None

    def detach(self) -> Tensor:
        """The same numbers as a new leaf that requires no gradients: no derivative flows through it
        (what ``stop_gradient`` does)."""
        return _leaf(self.data)

    # -- elementwise operations: each names its rule in rules.py -----------------------------------
    def __add__(self, other: Any) -> Tensor:
        return _binary("+", self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _binary("+", other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _binary("-", self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _binary("-", other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _binary("*", self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _binary("*", other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary("/", self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary("/", other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _binary("**", self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _binary("**", other, self)

    def __neg__(self) -> Tensor:
        return _unary("neg", self)

    def __pos__(self) -> Tensor:
        return self

    def exp(self) -> Tensor:
        """e**x, elementwise."""
        return _unary("exp", self)

    def log(self) -> Tensor:
        """Natural logarithm, elementwise (log 0 = -inf, log of a negative number = nan)."""
        return _unary("log", self)

    def sin(self) -> Tensor:
        return _unary("sin", self)

    def cos(self) -> Tensor:
        return _unary("cos", self)

    def tanh(self) -> Tensor:
        return _unary("tanh", self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e**-x), computed without overflow."""
        return _unary("sigmoid", self)

    def relu(self) -> Tensor:
        """max(0, x)."""
        return _unary("relu", self)

    # -- operations that mix elements: forward and backward rules in tensor_ops.py -----------------
    def __matmul__(self, other: Any) -> Tensor:
        """out = A @ B  (2-D, batched over leading axes, or with a 1-D vector, as numpy.matmul)."""
        return _matmul(self, _operand(other, self, "@"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(_operand(other, self, "@"), self)

    def sum(self, axis: ops.Axis = None, keepdims: bool = False) -> Tensor:
        """out = sum of the elements over ``axis`` (all of them by default)."""
        return _apply("sum", ops.sum_forward, ops.sum_backward, self, axis, keepdims)

    def mean(self, axis: ops.Axis = None, keepdims: bool = False) -> Tensor:
        """out = the average of the elements over ``axis`` (all of them by default)."""
        return _apply("mean", ops.mean_forward, ops.mean_backward, self, axis, keepdims)

    def max(self, axis: ops.Axis = None, keepdims: bool = False) -> Tensor:
        """out = the largest element over ``axis`` (all of them by default)."""
        return _apply("max", ops.max_forward, ops.max_backward, self, axis, keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``; -1 is
        inferred."""
        shape = whole_numbers("reshape(shape)", shape, -1)  # -1: inferred
        return _apply("reshape", ops.reshape_forward, ops.reshape_backward, self, shape)

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes: ``t.transpose()`` reverses them, ``t.transpose(0, 2, 1)`` picks one."""
        axes = whole_numbers("transpose(axes)", axes, -self.data.ndim)
        return _apply("transpose", ops.transpose_forward, ops.transpose_backward, self, axes)

    @property
    def T(self) -> Tensor:
        """The tensor with its axes reversed (the matrix transpose for 2-D)."""
        return self.transpose()

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """The tensor with two axes exchanged (a transpose)."""
        order = list(range(self.data.ndim))
        a, b = ops.axes_of(axis1, self.data.ndim, "swapaxes"), ops.axes_of(axis2, self.data.ndim,
                                                                             "swapaxes")
        order[a[0]], order[b[0]] = order[b[0]], order[a[0]]
        return self.transpose(order)

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        """The tensor repeated along new leading axes and its length-1 axes, as np.broadcast_to."""
        return _apply("broadcast_to", ops.broadcast_to_forward, ops.broadcast_to_backward, self,
                      tuple(shape))

    def __getitem__(self, index: Any) -> Tensor:
        """Select elements as numpy does: ints, slices, None, ``...``, integer or boolean arrays."""
        return _apply("getitem", ops.getitem_forward, ops.getitem_backward, self,
                      ops.check_index(index))

    def _scatter_add(self, index: Any, shape: tuple) -> Tensor:
        """zeros(shape) with self added at ``index``: the backward of indexing, as an operation."""
        return _apply("scatter_add", ops.scatter_add_forward, ops.scatter_add_backward, self,
                      index, shape)

    def _astype(self, dtype: Any) -> Tensor:
        """The same numbers in another float dtype, as an operation (gradients flow through)."""
        return _apply("astype", ops.astype_forward, ops.astype_backward, self, dtype)

    # -- reverse mode ------------------------------------------------------------------------------
    def backward(self, grad: ArrayLike | None = None, create_graph: bool = False) -> None:
        """Fill in ``.grad`` of every tensor this one depends on that requires gradients: dL/dnode.

        ``grad`` is the gradient to start from, dL/dself; it may be left out for a one-element
        tensor (it is then 1: dself/dself). Leaf gradients *accumulate* across calls, as in PyTorch:
        call ``zero_grad()`` between independent backward passes; intermediate results get the
        gradient of this pass only.

        With ``create_graph=True`` every ``.grad`` is a Tensor recorded from the tensors it depends
        on, so it can be differentiated again: ``g = x.grad`` after the first pass, then
        ``x.zero_grad()`` before ``(g * v).sum().backward()``, or the second pass adds onto the
        first gradient. (Such a ``.grad`` refers back to the graph and the graph to the leaf, a
        reference cycle: :func:`gradients` writes no ``.grad`` and avoids it.)
        """
        create_graph = flag("create_graph", create_graph)
        start = seed(self, grad, create_graph, "backward")
        if not self.requires_grad:
            raise ValueError(
                "backward(): this tensor does not depend on any tensor with requires_grad=True, so "
                "there is nothing to differentiate (create the parameters with requires_grad=True)"
            )
        for node, g in backpropagate(self, start, create_graph).items():
            node.grad = g if node._children or node.grad is None else node.grad + g


# --------------------------------------------------------------------------------------------------
# Creating nodes
# --------------------------------------------------------------------------------------------------

def _leaf(data: np.ndarray) -> Tensor:
    """A constant leaf around an already checked array (no copy, no checks: internal use)."""
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out.requires_grad = False
    out.label = ""
    out._op = ""
    out._children = _EMPTY
    out._saved = None
    out._backward = None
    return out


def _result(data: np.ndarray, op: str, children: tuple, saved: Any, backward: Callable) -> Tensor:
    """The output node of an operation.

    ``saved`` is whatever the operation's backward rule needs (for elementwise operations: the local
    partials). Nothing is kept for backward when no operand requires gradients, or inside
    ``no_grad()``.
    """
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out.label = ""
    requires_grad = False
    if MODES.grad_enabled:
        out._op, out._children = op, children
        for child in children:
            if child.requires_grad:
                requires_grad = True
                break
    else:  # no_grad(): a plain result, as if it were a new leaf
        out._op, out._children = "", _EMPTY
    out.requires_grad = requires_grad
    if requires_grad:
        out._saved, out._backward = saved, backward
    else:
        out._saved = out._backward = None
    if MODES.anomaly:
        check_forward(out, op, data, children)
    return out


record_result = _result  # for operations defined outside the tensor engine (autodiff_nb.checkpoint)


def _operand(x: Any, like: Tensor, op: str) -> Tensor:
    """``x`` as a Tensor operand: Tensors as they are, numbers and arrays as constant leaves."""
    if isinstance(x, Tensor):
        return x
    if type(x) is float:  # fast path; keep float32 tensors float32
        return _leaf(np.asarray(x, dtype=like.data.dtype))
    if type(x) is int:  # an int beyond the float range is a named error, not numpy's OverflowError
        return _leaf(np.asarray(as_float(x, f"operand of {op!r}"), dtype=like.data.dtype))
    if isinstance(x, numbers.Real) and not isinstance(x, (np.ndarray, Traced)):
        return _leaf(np.asarray(float(x), dtype=like.data.dtype))
    if isinstance(x, Traced) or not isinstance(x, (np.ndarray, list, tuple, numbers.Number)) \
            and not hasattr(x, "__array__"):
        raise TypeError(
            f"cannot combine a Tensor with {type(x).__name__} {x!r} in {op!r}: use numbers, arrays or "
            f"Tensors, one engine at a time (e.g. Tensor(value.data) for a Value)"
        )
    data = as_array(x, f"operand of {op!r}")
    return _leaf(data.copy() if data is x else data)  # changing x later cannot change backward


def _apply(op: str, forward: Callable, backward: Callable, x: Tensor, *args: Any) -> Tensor:
    data, saved = forward(x.data, *args)
    return _result(data, op, (x,), saved, backward)


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    data, saved = ops.matmul_forward(a.data, b.data)
    return _result(data, "@", (a, b), saved, ops.matmul_backward)


def _tensor_argument(x: Any, what: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Traced):
        raise TypeError(
            f"{what}() of a {type(x).__name__}: for scalars use autodiff_nb.losses.{what}"
        )
    return _leaf(as_array(x, f"{what}() argument"))


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """softmax(x)_k = e^{x_k} / sum_j e^{x_j} along ``axis`` (max-shifted: never overflows)."""
    return _apply("softmax", ops.softmax_forward, ops.softmax_backward,
                  _tensor_argument(x, "softmax"), axis)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log softmax(x)_k = x_k - log sum_j e^{x_j} along ``axis`` (max-shifted: no overflow, no log 0)."""
    return _apply("log_softmax", ops.log_softmax_forward, ops.log_softmax_backward,
                  _tensor_argument(x, "log_softmax"), axis)


# --------------------------------------------------------------------------------------------------
# Elementwise operations: the shared rules
# --------------------------------------------------------------------------------------------------

_BINARY = {op: (rule, elementwise_backward(op, rule)) for op, rule in rules.BINARY_RULES.items()}
_UNARY = {op: (rule, elementwise_backward(op, rule)) for op, rule in rules.UNARY_RULES.items()}


def _binary(op: str, x: Any, y: Any) -> Tensor:
    """``x <op> y`` for + - * / ** (one of them a Tensor): the rule gives the result and partials."""
    rule, backward = _BINARY[op]
    if not isinstance(x, Tensor):
        x = _operand(x, y, op)
    elif not isinstance(y, Tensor):
        y = _operand(y, x, op)
    token = quiet()
    try:
        data, partials = rule(x.data, y.data, _ARRAY)
    except ValueError:
        raise ValueError(
            f"shapes {x.shape} and {y.shape} cannot be broadcast together for {op!r}"
        ) from None
    finally:
        restore(token)
    return _result(data, op, (x, y), partials, backward)


def _unary(op: str, x: Tensor) -> Tensor:
    """``op(x)`` for exp, log, sin, cos, tanh, sigmoid, relu, neg: from the shared rule."""
    rule, backward = _UNARY[op]
    token = quiet()
    try:
        data, partials = rule(x.data, _ARRAY)
    finally:
        restore(token)
    return _result(data, op, (x,), partials, backward)


def apply_elementwise(op_name: str, rule: Rule, *operands: Any) -> Tensor:
    """An elementwise operation of your own, differentiated with your rule.

    ``rule(*values, backend) -> (out, partials)`` has the signature of the rules in
    :mod:`autodiff_nb.rules`: ``partials`` holds one local derivative d out / d operand per operand,
    elementwise (broadcastable to ``out``). Tensors among ``operands`` are differentiated; numbers and
    arrays are constants. The rule first runs on arrays (backend ``rules.ARRAY``); for a second
    derivative (``create_graph=True``) it runs again on the operand Tensors (``rules.TRACED``), which
    works when it is written with the backend's functions and arithmetic operators; otherwise that
    pass raises a TypeError saying ``op_name`` cannot be differentiated twice.
    """
    if not isinstance(op_name, str) or not op_name:
        raise TypeError(f"apply_elementwise: op_name must be a non-empty string, got {op_name!r}")
    function("apply_elementwise: rule", rule)
    like = next((x for x in operands if isinstance(x, Tensor)), None)
    if like is None:
        raise TypeError(f"apply_elementwise({op_name!r}): at least one operand must be a Tensor")
    children = tuple(_operand(x, like, op_name) for x in operands)
    try:
        shape = np.broadcast_shapes(*(child.data.shape for child in children))
    except ValueError:
        shapes = ", ".join(str(child.data.shape) for child in children)
        raise ValueError(f"{op_name!r}: operands of shapes {shapes} cannot be broadcast together") from None
    token = quiet()
    try:
        result = rule(*(child.data for child in children), _ARRAY)
    finally:
        restore(token)
    out, partials = checked_rule_result(op_name, result, len(children), shape)
    return _result(out, op_name, children, tuple(partials), elementwise_backward(op_name, rule))
