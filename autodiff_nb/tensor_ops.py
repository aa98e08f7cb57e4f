"""The Tensor operations that mix elements: ``@``, sum/mean/max, reshape/transpose, indexing, softmax.

Each operation is a pair of functions side by side: ``<op>_forward(x, ...) -> (data, saved)`` computes
the result from plain arrays and returns what backward will need; ``<op>_backward(node, g, traced)``
turns the upstream gradient ``g = dL/dout`` into one gradient per operand (``None`` where none is
needed): a vector-Jacobian product, computed without ever building the Jacobian.

The backward rules use only what numpy arrays and Tensors share (``* - @``, ``.sum(axis, keepdims)``,
``.reshape``, ``.transpose``, ``.swapaxes``, ``.T``) plus :func:`broadcast_to` and :func:`scatter_add`,
themselves operations with backward rules. So one rule serves a plain ``backward()`` on arrays
(``traced=False``) and ``backward(create_graph=True)`` on Tensors (``traced=True``: operands are the
child Tensors and the output the node itself), which records the backward pass so it can be
differentiated again. This module never imports the Tensor class; :mod:`autodiff_nb.tensor` wraps each
pair into a method.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from .checks import flag
from .modes import quiet, restore
from .traced import Traced

Axis = None | int | Sequence[int]

# --------------------------------------------------------------------------------------------------
# Helpers shared by the rules
# --------------------------------------------------------------------------------------------------

def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum ``grad`` (an array or a Tensor) down to ``shape``, undoing numpy broadcasting.

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


def broadcast_to(g: Any, shape: tuple) -> Any:
    """``g`` (an array or a Tensor) repeated along new or length-1 axes to ``shape``."""
    if isinstance(g, Traced):
        return g.broadcast_to(shape)
    return np.broadcast_to(g, shape)


def scatter_add(g: Any, index: Any, shape: tuple) -> Any:
    """zeros(shape) with ``g`` added at ``index`` (repeats add up): the reverse of ``x[index]``."""
    if isinstance(g, Traced):
        return g._scatter_add(index, shape)
    return scatter_add_forward(np.asarray(g), index, shape)[0]


def axes_of(axis: Axis, ndim: int, what: str) -> tuple[int, ...]:
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


def kept_shape(shape: tuple, axes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of a reduction over ``axes`` with keepdims=True: those axes become 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


# --------------------------------------------------------------------------------------------------
# Matrix product
# --------------------------------------------------------------------------------------------------

def matmul_forward(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, None]:
    """out = A @ B  (2-D, batched over leading axes, or with a 1-D vector, as numpy.matmul)."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"@ needs tensors with at least one dimension, got shapes {a.shape} and {b.shape}"
        )
    token = quiet()
    try:
        data = np.dot(a, b) if a.ndim == 2 == b.ndim else a @ b
    except ValueError:
        inner_a = a.shape[-1]
        inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if inner_a != inner_b:
            reason = f"the inner dimensions {inner_a} and {inner_b} differ"
        else:
            reason = f"the batch dimensions {a.shape[:-2]} and {b.shape[:-2]} cannot be broadcast"
        raise ValueError(f"shapes {a.shape} and {b.shape} do not fit for @: {reason}") from None
    finally:
        restore(token)
    return np.asarray(data), None


def matmul_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = A @ B, out_ij = sum_k A_ik B_kj:

        dL/dA = dL/dout @ B^T,     dL/dB = A^T @ dL/dout

    (transposing the last two axes; summed over broadcast batch axes by ``unbroadcast``). A 1-D
    operand is treated as a row (A) or column (B) matrix, as numpy does.
    """
    a_node, b_node = node._children
    need_a, need_b = a_node.requires_grad, b_node.requires_grad
    a, b = (a_node, b_node) if traced else (a_node.data, b_node.data)
    if a.ndim == 1 and b.ndim == 1:  # dot product: out = sum_k a_k b_k
        return (g * b if need_a else None, g * a if need_b else None)
    if a.ndim == 2 and b.ndim == 2:  # the common case; np.dot is a little faster than @ here
        if traced:
            return (g @ b.T if need_a else None, a.T @ g if need_b else None)
        return (np.dot(g, b.T) if need_a else None, np.dot(a.T, g) if need_b else None)
    a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
    b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
    if a.ndim == 1:  # out (..., m) was a row each: (..., 1, m)
        g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:])
    if b.ndim == 1:  # out (..., n) was a column each: (..., n, 1)
        g = g.reshape(g.shape + (1,))
    grad_a = grad_b = None
    if need_a:
        grad_a = g @ b2.swapaxes(-1, -2)
        if a.ndim == 1:
            grad_a = grad_a.reshape(grad_a.shape[:-2] + grad_a.shape[-1:])
        grad_a = unbroadcast(grad_a, a.shape)
    if need_b:
        grad_b = a2.swapaxes(-1, -2) @ g
        if b.ndim == 1:
            grad_b = grad_b.reshape(grad_b.shape[:-1])
        grad_b = unbroadcast(grad_b, b.shape)
    return grad_a, grad_b


# --------------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------------

def sum_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> tuple[np.ndarray, tuple]:
    """out = sum of the elements over ``axis`` (all of them by default)."""
    axes = axes_of(axis, x.ndim, "sum")
    keepdims = flag("sum: keepdims", keepdims)
    token = quiet()  # an overflowing sum is inf, silently
    try:
        data = x.sum(axis=axes, keepdims=keepdims)
    finally:
        restore(token)
    return np.asarray(data), (kept_shape(x.shape, axes), x.shape)


def sum_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = sum_i x_i:  dout/dx_i = 1, so every summed element gets the upstream gradient:
    dL/dx = dL/dout, copied (broadcast) back along the summed axes.
    """
    kept, shape = node._saved
    return (broadcast_to(g.reshape(kept), shape),)


def mean_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> tuple[np.ndarray, tuple]:
    """out = the average of the elements over ``axis`` (all of them by default)."""
    axes = axes_of(axis, x.ndim, "mean")
    keepdims = flag("mean: keepdims", keepdims)
    count = 1
    for a in axes:
        count *= x.shape[a]
    token = quiet()  # the mean of nothing is nan, silently
    try:
        data = x.sum(axis=axes, keepdims=keepdims) / count
    finally:
        restore(token)
    return np.asarray(data), (kept_shape(x.shape, axes), x.shape, count)


def mean_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = (1/n) sum_i x_i:  dout/dx_i = 1/n, so dL/dx = dL/dout / n, broadcast back."""
    kept, shape, count = node._saved
    return (broadcast_to(g.reshape(kept) * (1.0 / count), shape),)


def max_forward(x: np.ndarray, axis: Axis, keepdims: bool) -> tuple[np.ndarray, tuple]:
    """out = the largest element over ``axis`` (all of them by default)."""
    if x.size == 0:
        raise ValueError(f"max() of an empty tensor of shape {x.shape}")
    axes = axes_of(axis, x.ndim, "max")
    keepdims = flag("max: keepdims", keepdims)
    kept = x.max(axis=axes, keepdims=True)
    data = kept if keepdims else kept.reshape([n for i, n in enumerate(x.shape) if i not in axes])
    return data, (axes, kept)


def max_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = max_i x_i:  dout/dx_i = 1 where x_i is the maximum, 0 elsewhere.

    When several elements tie for the maximum they share the gradient equally (a valid
    subgradient). Which element wins is a constant, so the rule is linear in g (also when traced).
    """
    axes, kept = node._saved
    winners = node._children[0].data == kept
    share = winners / winners.sum(axis=axes, keepdims=True)
    return (g.reshape(kept.shape) * share,)


# --------------------------------------------------------------------------------------------------
# Shape operations and indexing
# --------------------------------------------------------------------------------------------------

def reshape_forward(x: np.ndarray, shape: tuple) -> tuple[np.ndarray, tuple]:
    """The same elements in a new shape (-1 is inferred)."""
    try:
        data = x.reshape(shape)
    except (ValueError, TypeError):
        raise ValueError(f"cannot reshape a tensor of shape {x.shape} into shape {shape}") from None
    return data, x.shape


def reshape_backward(node: Any, g: Any, traced: bool) -> tuple:
    """Reshaping moves no numbers: dL/dx is dL/dout put back into x's shape."""
    return (g.reshape(node._saved),)


def transpose_forward(x: np.ndarray, axes: tuple) -> tuple[np.ndarray, tuple]:
    """The axes permuted by ``axes`` (reversed when it is empty)."""
    ndim = x.ndim
    order = tuple(range(ndim))[::-1] if not axes else axes
    if len(axes_of(order, ndim, "transpose")) != ndim:  # axes_of rejects repeats and bad axes
        raise ValueError(f"transpose: {axes} is not a permutation of the axes of shape {x.shape}")
    order = tuple(int(a) % ndim for a in order)
    inverse = tuple(int(i) for i in np.argsort(order))
    return x.transpose(order), inverse


def transpose_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = x with axes permuted by p:  dL/dx = dL/dout permuted back by the inverse of p."""
    return (g.transpose(node._saved),)


def broadcast_to_forward(x: np.ndarray, shape: tuple) -> tuple[np.ndarray, tuple]:
    """x repeated along new leading axes and along its length-1 axes, to ``shape``."""
    try:
        data = np.array(np.broadcast_to(x, shape))  # its own writable array, not a view
    except (ValueError, TypeError):
        raise ValueError(f"cannot broadcast a tensor of shape {x.shape} to shape {shape}") from None
    return data, x.shape


def broadcast_to_backward(node: Any, g: Any, traced: bool) -> tuple:
    """Each element of x was copied to several places: dL/dx is the sum of their gradients."""
    return (unbroadcast(g, node._saved),)


def astype_forward(x: np.ndarray, dtype: Any) -> tuple[np.ndarray, np.dtype]:
    """The same numbers in another float dtype (a float32 leaf's gradient in a float64 graph)."""
    return x.astype(dtype), x.dtype


def astype_backward(node: Any, g: Any, traced: bool) -> tuple:
    """A change of precision passes the gradient through, back in the operand's dtype."""
    return (g._astype(node._saved) if traced else g.astype(node._saved),)


def check_index(index: Any) -> Any:
    """Indices are numbers, slices, None, Ellipsis and integer/boolean arrays (not Tensors).

    Lists and arrays are copied, so that changing them later cannot change what backward() sees.
    """
    single = not isinstance(index, tuple)
    parts = []
    for part in (index,) if single else index:
        if isinstance(part, Traced):
            raise TypeError(
                "index a Tensor with ints, slices or numpy integer arrays, not with a Tensor"
            )
        if isinstance(part, (float, str)):
            raise TypeError(
                f"a tensor index must be an int, a slice or an integer array, got {part!r}"
            )
        parts.append(np.array(part) if isinstance(part, (list, np.ndarray)) else part)
    return parts[0] if single else tuple(parts)


def getitem_forward(x: np.ndarray, index: Any) -> tuple[np.ndarray, tuple]:
    """Select elements as numpy does: ints, slices, None, ``...``, integer or boolean arrays."""
    try:
        data = x[index]
    except IndexError as error:
        raise IndexError(f"index {index!r} does not fit a tensor of shape {x.shape}: {error}") from None
    return np.asarray(data), (index, x.shape)


def getitem_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out = x[index]:  each selected element passes its gradient back to where it came from;
    the rest of x gets 0. An element picked several times (x[[0, 0]]) collects the sum.
    """
    index, shape = node._saved
    return (scatter_add(g, index, shape),)


def scatter_add_forward(g: np.ndarray, index: Any, shape: tuple) -> tuple[np.ndarray, Any]:
    """out = zeros(shape); out[index] += g, adding up elements that ``index`` picks repeatedly."""
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, index, g)
    return out, index


def scatter_add_backward(node: Any, g: Any, traced: bool) -> tuple:
    """out[index] += x is linear in x: dL/dx = dL/dout[index], the same selection again."""
    return (g[node._saved],)


# --------------------------------------------------------------------------------------------------
# softmax and log_softmax
# --------------------------------------------------------------------------------------------------

def softmax_forward(x: np.ndarray, axis: int) -> tuple[np.ndarray, tuple]:
    """softmax(x)_k = e^{x_k} / sum_j e^{x_j} along ``axis``: scores turned into probabilities.

    Computed as e^{x_k - m} / sum_j e^{x_j - m} with m = max_j x_j, which is the same number but
    never overflows (the largest exponent is e^0 = 1).
    """
    axes = axes_of(axis, x.ndim, "softmax")
    if x.size == 0:  # nothing to normalise: an empty result, as numpy and PyTorch give
        return x.copy(), axes
    token = quiet()
    try:
        shifted = np.exp(x - x.max(axis=axes, keepdims=True))
        data = shifted / shifted.sum(axis=axes, keepdims=True)
    finally:
        restore(token)
    return data, axes


def softmax_backward(node: Any, g: Any, traced: bool) -> tuple:
    """s = softmax(x):  ds_k/dx_j = s_k ([k == j] - s_j), so

        dL/dx_j = sum_k dL/ds_k * s_k ([k == j] - s_j) = s_j (dL/ds_j - sum_k dL/ds_k s_k).
    """
    s = node if traced else node.data
    return (s * (g - (g * s).sum(axis=node._saved, keepdims=True)),)


def log_softmax_forward(x: np.ndarray, axis: int) -> tuple[np.ndarray, tuple]:
    """log softmax(x)_k = x_k - log sum_j e^{x_j} along ``axis``.

    Computed as (x_k - m) - log sum_j e^{x_j - m} with m = max_j x_j: nothing overflows and the sum
    is at least 1, so there is no log 0 even for scores like -1000.
    """
    axes = axes_of(axis, x.ndim, "log_softmax")
    if x.size == 0:
        return x.copy(), axes
    token = quiet()
    try:
        shifted = x - x.max(axis=axes, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=axes, keepdims=True))
    finally:
        restore(token)
    return data, axes


def log_softmax_backward(node: Any, g: Any, traced: bool) -> tuple:
    """y = log softmax(x):  dy_k/dx_j = [k == j] - softmax(x)_j, so

        dL/dx_j = dL/dy_j - softmax(x)_j * sum_k dL/dy_k,   with softmax(x) = e^y.
    """
    probabilities = node.exp() if traced else np.exp(node.data)
    return (g - probabilities * g.sum(axis=node._saved, keepdims=True),)
