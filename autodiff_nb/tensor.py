"""Reverse-mode automatic differentiation on numpy arrays: the ``Tensor`` class.

A ``Tensor`` is the array version of ``Value``. Each operation returns a new Tensor that remembers
its operands (``children``) and what it needs to send gradients back to them. ``backward()`` walks
the graph from the output to the leaves and, at every node, turns the gradient of the output with
respect to the node (the *upstream* gradient, same shape as the node) into gradients for its
children.

Two kinds of operations:

* **Elementwise** (``+ - * / **``, ``neg``, ``exp``, ``log``, ``sin``, ``cos``, ``tanh``,
  ``sigmoid``, ``relu``) reuse the rules of :mod:`autodiff_nb.rules`, exactly as ``Value`` and
  ``Dual`` do: the rule returns the local partials as arrays and backward multiplies them by the
  upstream gradient, ``grad_child = partial * upstream``, elementwise.
* **Tensor-only** operations (``@``, ``sum``, ``mean``, ``max``, ``reshape``, ``transpose``,
  indexing, ``softmax``, ``log_softmax``) mix elements, so their Jacobians are not elementwise. Each
  has a small backward rule written right beside it that maps the upstream gradient to its
  children's gradients (a vector-Jacobian product) without ever building the Jacobian.

Broadcasting: ``x + b`` with ``x`` of shape (128, 10) and ``b`` of shape (10,) uses ``b`` 128 times,
so its gradient is the *sum* of the 128 contributions. :func:`unbroadcast` does that sum for every
operation.

Numerical edge cases follow IEEE 754 (``log(0) = -inf``, ``0/0 = nan``) without warnings; inside
``detect_anomaly()`` they raise an ``AnomalyError`` naming the operation.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from . import rules
from .engine import _gc_paused
from .modes import MODES, check_backward, check_forward
from .operators import Operators

__all__ = ["Tensor", "softmax", "log_softmax", "unbroadcast"]

_ARRAY = rules.ARRAY
_BINARY = rules.BINARY_RULES
_UNARY = rules.UNARY_RULES
_EMPTY: tuple = ()
_new = object.__new__
_IEEE = {"all": "ignore"}  # inf/nan are results, not warnings (see the module docstring)

# Entering ``np.errstate(all="ignore")`` costs about three times as much as multiplying two 10x10
# arrays, and elementwise operations run by the thousand. On numpy 2 we set the same error state
# through the context variable that np.errstate itself uses; other numpy versions use np.errstate.
try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _QUIET_STATE = _make_extobj(all="ignore")

    def _quiet() -> Any:
        """Start ignoring floating point warnings; returns what ``_restore`` needs."""
        return _extobj_contextvar.set(_QUIET_STATE)

    def _restore(token: Any) -> None:
        _extobj_contextvar.reset(token)
except ImportError:  # pragma: no cover - numpy 1.x
    def _quiet() -> Any:
        state = np.errstate(**_IEEE)
        state.__enter__()
        return state

    def _restore(token: Any) -> None:
        token.__exit__(None, None, None)

ArrayLike = Union[float, int, Sequence[Any], np.ndarray, "Tensor"]
Axis = None | int | Sequence[int]
BackwardRule = Callable[["Tensor", np.ndarray], tuple]


# --------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------

def as_array(data: Any, what: str = "Tensor data", dtype: Any = None) -> np.ndarray:
    """``data`` as a float64 (or float32) array, or a TypeError that names the offending value.

    Integers and booleans become float64; float32 stays float32 unless ``dtype`` says otherwise.
    """
    if isinstance(data, Tensor):
        data = data.data
    elif isinstance(data, (str, bytes)) or data is None:
        raise TypeError(f"{what} must be numbers, got {type(data).__name__} {data!r}")
    try:
        array = np.asarray(data)
    except (TypeError, ValueError) as error:  # e.g. ragged nested lists
        raise TypeError(
            f"{what} must be a rectangular array of numbers, got {data!r} ({error})"
        ) from None
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in (np.float64, np.float32):
            raise TypeError(f"a Tensor's dtype must be float64 or float32, got {dtype}")
    kind = array.dtype.kind
    if kind not in "biuf":
        hint = ""
        if array.dtype == object:
            hint = " (a Value inside? use its .data; Values and Tensors do not mix)"
        raise TypeError(f"{what} must be real numbers, got dtype {array.dtype}: {data!r}{hint}")
    if dtype is None:
        dtype = array.dtype if array.dtype in (np.float64, np.float32) else np.float64
    return array.astype(dtype, copy=False)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``, undoing numpy broadcasting.

    Broadcasting copies an operand along new leading axes and along axes of length 1; each copy got
    its own gradient, and the operand's gradient is their sum:
    (128, 10) -> (10,) sums axis 0;  (4, 3) -> (4, 1) sums axis 1, keeping it.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _axes(axis: Axis, ndim: int, what: str) -> tuple[int, ...]:
    """``axis`` (None, an int or a sequence of ints) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    items = (axis,) if isinstance(axis, numbers.Integral) else axis
    try:
        items = tuple(items)
    except TypeError:
        raise TypeError(
            f"{what}: axis must be None, an int or a tuple of ints, got {axis!r}"
        ) from None
    result = []
    for a in items:
        if not isinstance(a, numbers.Integral) or isinstance(a, bool):
            raise TypeError(f"{what}: axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(
                f"{what}: axis {a} is out of range for a tensor with {ndim} dimension(s)"
            )
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{what}: repeated axis in {axis!r}")
    return tuple(sorted(result))


def _kept_shape(shape: tuple, axes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of a reduction over ``axes`` with keepdims=True: those axes become 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


# --------------------------------------------------------------------------------------------------
# The Tensor
# --------------------------------------------------------------------------------------------------

class Tensor(Operators):
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

    __slots__ = ("data", "grad", "requires_grad", "label", "_op", "_children", "_saved",
                 "_backward", "__weakref__")
    __array_ufunc__ = None  # make numpy hand `ndarray + Tensor` to Tensor.__radd__
    __array_priority__ = 1000.0  # tells Value/Dual to step aside (they return NotImplemented)

    def __init__(self, data: ArrayLike, requires_grad: bool = False, label: str = "",
                 dtype: Any = None) -> None:
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad must be True or False, got {requires_grad!r}")
        self.data: np.ndarray = np.array(as_array(data, "Tensor(data)", dtype))  # own copy
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self.label = label
        self._op = ""
        self._children: tuple = _EMPTY
        self._saved: Any = None
        self._backward: BackwardRule | None = None

    # -- attributes --------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def op(self) -> str:
        """The operation that produced this tensor ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple[Tensor, ...]:
        """The operands this tensor was computed from, in order (duplicates kept)."""
        return self._children

    @property
    def is_leaf(self) -> bool:
        return not self._children

    def item(self) -> float:
        """The single number in a one-element tensor, as a Python float."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with exactly one element, this one has shape {self.shape}"
            )
        return float(self.data.reshape(()))

    def __float__(self) -> float:
        return self.item()

    def numpy(self) -> np.ndarray:
        """The data as a plain numpy array (not tracked: changing it does not touch the graph)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """Lets numpy and matplotlib read a tensor's numbers: ``np.asarray(t)``, ``plt.plot(t)``."""
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return np.asarray(self.data, dtype=dtype)

    def detach(self) -> Tensor:
        """The same numbers as a new leaf that requires no gradients (the graph is cut here)."""
        return _leaf(self.data)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``None`` means zero)."""
        self.grad = None

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use (t.data > 0).any() or .all()")
        return bool(self.data.reshape(()))

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, prefix="Tensor(", separator=", ", precision=4,
                               threshold=20)
        extras = ""
        if self.data.dtype != np.float64:
            extras += f", dtype={self.data.dtype}"
        if self.requires_grad:
            extras += ", requires_grad=True"
        if self.label:
            extras += f", label={self.label!r}"
        return f"Tensor({body}{extras})"

    __hash__ = object.__hash__  # identity, so nodes can live in sets while a graph is walked

    # -- elementwise operations: rules.py, shared with Value and Dual ------------------------------
    def _lift(self, other: Any, op: str) -> Any:
        """A number or an array becomes a constant leaf; Values and Duals get a clear TypeError."""
        if isinstance(other, Tensor):
            return other
        if type(other) is float or type(other) is int:  # fast path; keep float32 tensors float32
            return _leaf(np.asarray(other, dtype=self.data.dtype))
        if isinstance(other, numbers.Real) and not isinstance(other, np.ndarray):
            return _leaf(np.asarray(float(other), dtype=self.data.dtype))
        if hasattr(other, "_binary"):  # another engine's number (Value, Dual)
            raise TypeError(
                f"cannot combine a Tensor with {type(other).__name__} {other!r} in {op!r}: use one "
                f"engine at a time (e.g. Tensor({type(other).__name__.lower()}.data))"
            )
        if isinstance(other, numbers.Number) and not isinstance(other, numbers.Real):
            raise TypeError(f"unsupported operand for {op!r}: complex number {other!r}")
        return _leaf(as_array(other, f"operand of {op!r}"))

    def _binary(self, other: Tensor, op: str) -> Tensor:
        """``self <op> other`` for + - * / **: the rule gives the result and both local partials."""
        quiet = _quiet()
        try:
            data, partials = _BINARY[op](self.data, other.data, _ARRAY)
        except ValueError:
            raise ValueError(
                f"shapes {self.shape} and {other.shape} cannot be broadcast together for {op!r}"
            ) from None
        finally:
            _restore(quiet)
        return _result(data, op, (self, other), partials, Tensor._binary_backward)

    @staticmethod
    def _binary_backward(node: Tensor, upstream: np.ndarray) -> list:
        """Elementwise out = f(x, y):  dL/dx = df/dx * dL/dout  and  dL/dy = df/dy * dL/dout,
        elementwise, with the partials from :mod:`autodiff_nb.rules`; each then summed over the axes
        along which that operand was broadcast (``unbroadcast``).
        """
        grads = [None, None]
        for i, (child, partial) in enumerate(zip(node._children, node._saved)):  # noqa: B905
            if child.requires_grad:
                # + and - have the partial 1.0: pass the gradient through without multiplying
                g = upstream if type(partial) is float and partial == 1.0 else upstream * partial
                grads[i] = g if g.shape == child.data.shape else unbroadcast(g, child.data.shape)
        return grads

    def _unary(self, op: str) -> Tensor:
        """``op(self)`` for exp, log, sin, cos, tanh, sigmoid, relu, neg: from the shared rule."""
        quiet = _quiet()
        try:
            data, partials = _UNARY[op](self.data, _ARRAY)
        finally:
            _restore(quiet)
        return _result(data, op, (self,), partials[0], Tensor._unary_backward)

    @staticmethod
    def _unary_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """Elementwise out = f(x):  dL/dx = f'(x) * dL/dout, elementwise, with the partial f'(x)
        from :mod:`autodiff_nb.rules` (computed and saved in the forward pass).
        """
        return (upstream * node._saved,)

    # -- matrix product ----------------------------------------------------------------------------
    def __matmul__(self, other: Any) -> Tensor:
        """out = A @ B  (2-D, batched over leading axes, or with a 1-D vector, as numpy.matmul)."""
        other = self._lift(other, "@")
        return _matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(self._lift(other, "@"), self)

    @staticmethod
    def _matmul_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = A @ B, out_ij = sum_k A_ik B_kj:

            dL/dA = dL/dout @ B^T,     dL/dB = A^T @ dL/dout

        (transposing the last two axes; summed over broadcast batch axes by ``unbroadcast``). A 1-D
        operand is treated as a row (A) or column (B) matrix, as numpy does.
        """
        a_node, b_node = node._children
        a, b, g = a_node.data, b_node.data, upstream
        if a.ndim == 1 and b.ndim == 1:  # dot product: out = sum_k a_k b_k
            return (g * b if a_node.requires_grad else None,
                    g * a if b_node.requires_grad else None)
        if a.ndim == 2 and b.ndim == 2:  # the common case; np.dot is a little faster than @ here
            return (np.dot(g, b.T) if a_node.requires_grad else None,
                    np.dot(a.T, g) if b_node.requires_grad else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        if a.ndim == 1:
            g = np.expand_dims(g, -2)
        if b.ndim == 1:
            g = np.expand_dims(g, -1)
        grad_a = grad_b = None
        if a_node.requires_grad:
            grad_a = g @ np.swapaxes(b2, -1, -2)
            grad_a = unbroadcast(grad_a[..., 0, :] if a.ndim == 1 else grad_a, a.shape)
        if b_node.requires_grad:
            grad_b = np.swapaxes(a2, -1, -2) @ g
            grad_b = unbroadcast(grad_b[..., 0] if b.ndim == 1 else grad_b, b.shape)
        return grad_a, grad_b

    # -- reductions --------------------------------------------------------------------------------
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """out = sum of the elements over ``axis`` (all of them by default)."""
        axes = _axes(axis, self.data.ndim, "sum")
        data = self.data.sum(axis=axes, keepdims=keepdims)
        kept_shape = _kept_shape(self.shape, axes)
        return _result(np.asarray(data), "sum", (self,), kept_shape, Tensor._sum_backward)

    @staticmethod
    def _sum_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = sum_i x_i:  dout/dx_i = 1, so every summed element gets the upstream gradient:
        dL/dx = dL/dout, copied (broadcast) back along the summed axes.
        """
        x = node._children[0]
        return (np.broadcast_to(upstream.reshape(node._saved), x.shape),)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """out = the average of the elements over ``axis`` (all of them by default)."""
        axes = _axes(axis, self.data.ndim, "mean")
        count = 1
        for a in axes:
            count *= self.shape[a]
        with np.errstate(**_IEEE):  # the mean of nothing is nan
            data = self.data.sum(axis=axes, keepdims=keepdims) / count
        saved = (_kept_shape(self.shape, axes), count)
        return _result(np.asarray(data), "mean", (self,), saved, Tensor._mean_backward)

    @staticmethod
    def _mean_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = (1/n) sum_i x_i:  dout/dx_i = 1/n, so dL/dx = dL/dout / n, broadcast back."""
        x = node._children[0]
        kept_shape, count = node._saved
        return (np.broadcast_to(upstream.reshape(kept_shape) / count, x.shape),)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """out = the largest element over ``axis`` (all of them by default)."""
        if self.data.size == 0:
            raise ValueError(f"max() of an empty tensor of shape {self.shape}")
        axes = _axes(axis, self.data.ndim, "max")
        kept = self.data.max(axis=axes, keepdims=True)
        data = kept if keepdims else kept.reshape([n for i, n in enumerate(self.shape)
                                                   if i not in axes])
        return _result(data, "max", (self,), (axes, kept), Tensor._max_backward)

    @staticmethod
    def _max_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = max_i x_i:  dout/dx_i = 1 where x_i is the maximum, 0 elsewhere.

        When several elements tie for the maximum they share the gradient equally (a valid
        subgradient).
        """
        x = node._children[0]
        axes, kept = node._saved
        winners = x.data == kept
        share = winners / winners.sum(axis=axes, keepdims=True)
        return (share * upstream.reshape(kept.shape),)

    # -- shape operations --------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``; -1 is
        inferred."""
        if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError):
            raise ValueError(
                f"cannot reshape a tensor of shape {self.shape} into shape {shape}"
            ) from None
        return _result(data, "reshape", (self,), None, Tensor._reshape_backward)

    @staticmethod
    def _reshape_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """Reshaping moves no numbers: dL/dx is dL/dout put back into x's shape."""
        return (upstream.reshape(node._children[0].shape),)

    def transpose(self, *axes: Any) -> Tensor:
        """Permute the axes: ``t.transpose()`` reverses them, ``t.transpose(0, 2, 1)`` picks one."""
        if len(axes) == 1 and not isinstance(axes[0], numbers.Integral):
            axes = tuple(axes[0])
        ndim = self.data.ndim
        order = tuple(range(ndim))[::-1] if not axes else axes
        if len(_axes(order, ndim, "transpose")) != ndim:  # _axes rejects repeats and bad axes
            raise ValueError(
                f"transpose: {axes} is not a permutation of the axes of shape {self.shape}"
            )
        order = tuple(int(a) % ndim for a in order)
        return _result(self.data.transpose(order), "transpose", (self,), order,
                       Tensor._transpose_backward)

    @property
    def T(self) -> Tensor:
        """The tensor with its axes reversed (the matrix transpose for 2-D)."""
        return self.transpose()

    @staticmethod
    def _transpose_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = x with axes permuted by p:  dL/dx = dL/dout permuted back by the inverse of p."""
        return (upstream.transpose(np.argsort(node._saved)),)

    def __getitem__(self, index: Any) -> Tensor:
        """Select elements as numpy does: ints, slices, None, ``...``, integer or boolean arrays."""
        index = _check_index(index)
        try:
            data = self.data[index]
        except IndexError as error:
            raise IndexError(
                f"index {index!r} does not fit a tensor of shape {self.shape}: {error}"
            ) from None
        return _result(np.asarray(data), "getitem", (self,), index, Tensor._getitem_backward)

    @staticmethod
    def _getitem_backward(node: Tensor, upstream: np.ndarray) -> tuple:
        """out = x[index]:  each selected element passes its gradient back to where it came from;
        the rest of x gets 0. An element picked several times (x[[0, 0]]) collects the sum.
        """
        x = node._children[0]
        grad = np.zeros(x.shape, dtype=upstream.dtype)
        np.add.at(grad, node._saved, upstream)
        return (grad,)

    # -- reverse mode ------------------------------------------------------------------------------
    def backward(self, grad: ArrayLike | None = None) -> None:
        """Fill in ``.grad`` of every tensor this one depends on that requires gradients: dL/dnode.

        ``grad`` is the gradient to start from, dL/dself; it may be left out for a one-element
        tensor (it is then 1: dself/dself). Leaf gradients *accumulate* across calls, as in PyTorch:
        call ``zero_grad()`` between independent backward passes.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    "backward() without a grad argument needs a one-element tensor (a loss), but "
                    f"this one has shape {self.shape}; reduce it first (e.g. .sum()) or pass grad= "
                    "of that shape"
                )
            seed = np.ones_like(self.data)
        else:
            seed = np.array(as_array(grad, "backward(grad)", self.data.dtype))
            if seed.shape != self.shape:
                raise ValueError(
                    f"backward(grad): grad has shape {seed.shape} but the tensor has {self.shape}"
                )
        if not self.requires_grad:
            raise ValueError(
                "backward(): this tensor does not depend on any tensor with requires_grad=True, so "
                "there is nothing to differentiate (create the parameters with requires_grad=True)"
            )
        with _gc_paused():
            order = _needing_grad(self)
        for node in order:  # gradients of intermediate results belong to this pass only
            if node._children:
                node.grad = None
        _accumulate(self, seed, None)
        with np.errstate(**_IEEE):
            if MODES.anomaly:
                _backward_checked(order)
                return
            for node in reversed(order):
                rule = node._backward
                if rule is not None:  # leaves have no rule: their .grad is the result
                    upstream = node.grad
                    for child, g in zip(node._children, rule(node, upstream)):  # noqa: B905
                        if g is not None:
                            _accumulate(child, g, upstream)


def _backward_checked(order: list[Tensor]) -> None:
    """``Tensor.backward``'s sweep, checking each gradient sent for NaN/inf (anomaly mode)."""
    for node in reversed(order):
        if node._backward is not None:
            upstream = node.grad
            grads = node._backward(node, upstream)
            for index, (child, g) in enumerate(zip(node._children, grads, strict=True)):
                if g is not None:
                    check_backward(node, index, child, g, upstream)
                    _accumulate(child, g, upstream)


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


def _result(data: np.ndarray, op: str, children: tuple, saved: Any,
            backward: BackwardRule) -> Tensor:
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


def _accumulate(node: Tensor, g: np.ndarray, upstream: np.ndarray | None) -> None:
    """node.grad += g, without ever changing an array in place that some other tensor also holds."""
    if g.dtype != node.data.dtype:  # e.g. a float32 leaf used in a float64 expression
        g = g.astype(node.data.dtype)
    if node.grad is None:
        if not node._children and (g is upstream or not g.flags.owndata):
            g = np.array(g)  # a leaf keeps its own, writable gradient array
        node.grad = g
    else:
        node.grad = node.grad + g


def _needing_grad(root: Tensor) -> list[Tensor]:
    """The nodes below ``root`` that require gradients, children before parents (iterative DFS).

    Like :func:`autodiff_nb.engine.topological_order`, but it does not descend into constants and
    data: nothing needs to flow there.
    """
    order: list[Tensor] = []
    expanded: set[Tensor] = set()
    placed: set[Tensor] = set()
    stack: list[Tensor] = [root]
    while stack:
        node = stack[-1]
        if node not in expanded:  # first visit: push the children above it
            expanded.add(node)
            if node._backward is not None:
                for child in node._children:
                    if child.requires_grad and child not in expanded:
                        stack.append(child)
        else:  # second visit: everything above it is placed
            stack.pop()
            if node not in placed:
                placed.add(node)
                order.append(node)
    return order


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    if a.data.ndim == 0 or b.data.ndim == 0:
        raise ValueError(
            f"@ needs tensors with at least one dimension, got shapes {a.shape} and {b.shape}"
        )
    try:
        with np.errstate(**_IEEE):
            data = np.dot(a.data, b.data) if a.data.ndim == 2 == b.data.ndim else a.data @ b.data
    except ValueError:
        inner_a = a.shape[-1]
        inner_b = b.shape[0] if b.data.ndim == 1 else b.shape[-2]
        if inner_a != inner_b:
            reason = f"the inner dimensions {inner_a} and {inner_b} differ"
        else:
            reason = f"the batch dimensions {a.shape[:-2]} and {b.shape[:-2]} cannot be broadcast"
        raise ValueError(f"shapes {a.shape} and {b.shape} do not fit for @: {reason}") from None
    return _result(np.asarray(data), "@", (a, b), None, Tensor._matmul_backward)


def _check_index(index: Any) -> Any:
    """Indices are numbers, slices, None, Ellipsis and integer/boolean arrays (not Tensors).

    Lists become arrays, so that changing the list later cannot change what backward() sees.
    """
    single = not isinstance(index, tuple)
    parts = []
    for part in (index,) if single else index:
        if isinstance(part, Tensor):
            raise TypeError(
                "index a Tensor with ints, slices or numpy integer arrays, not with a Tensor"
            )
        if isinstance(part, (float, str)):
            raise TypeError(
                f"a tensor index must be an int, a slice or an integer array, got {part!r}"
            )
        parts.append(np.asarray(part) if isinstance(part, list) else part)
    return parts[0] if single else tuple(parts)


# --------------------------------------------------------------------------------------------------
# softmax and log_softmax
# --------------------------------------------------------------------------------------------------

def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """softmax(x)_k = e^{x_k} / sum_j e^{x_j} along ``axis``: scores turned into probabilities.

    Computed as e^{x_k - m} / sum_j e^{x_j - m} with m = max_j x_j, which is the same number but
    never overflows (the largest exponent is e^0 = 1).
    """
    x = _tensor_argument(x, "softmax")
    axes = _axes(axis, x.data.ndim, "softmax")
    with np.errstate(**_IEEE):
        shifted = np.exp(x.data - x.data.max(axis=axes, keepdims=True))
        data = shifted / shifted.sum(axis=axes, keepdims=True)
    return _result(data, "softmax", (x,), axes, _softmax_backward)


def _softmax_backward(node: Tensor, upstream: np.ndarray) -> tuple:
    """s = softmax(x):  ds_k/dx_j = s_k ([k == j] - s_j), so

        dL/dx_j = sum_k dL/ds_k * s_k ([k == j] - s_j) = s_j (dL/ds_j - sum_k dL/ds_k s_k).
    """
    s = node.data
    return (s * (upstream - (upstream * s).sum(axis=node._saved, keepdims=True)),)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log softmax(x)_k = x_k - log sum_j e^{x_j} along ``axis``.

    Computed as (x_k - m) - log sum_j e^{x_j - m} with m = max_j x_j: nothing overflows and the sum
    is at least 1, so there is no log 0 even for scores like -1000.
    """
    x = _tensor_argument(x, "log_softmax")
    axes = _axes(axis, x.data.ndim, "log_softmax")
    with np.errstate(**_IEEE):
        shifted = x.data - x.data.max(axis=axes, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=axes, keepdims=True))
    return _result(data, "log_softmax", (x,), axes, _log_softmax_backward)


def _log_softmax_backward(node: Tensor, upstream: np.ndarray) -> tuple:
    """y = log softmax(x):  dy_k/dx_j = [k == j] - softmax(x)_j, so

        dL/dx_j = dL/dy_j - softmax(x)_j * sum_k dL/dy_k,   with softmax(x) = e^y.
    """
    return (upstream - np.exp(node.data) * upstream.sum(axis=node._saved, keepdims=True),)


def _tensor_argument(x: Any, what: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if hasattr(x, "_binary"):
        raise TypeError(
            f"{what}() of a {type(x).__name__}: for scalars use autodiff_nb.losses.{what}"
        )
    return _leaf(as_array(x, f"{what}() argument"))
