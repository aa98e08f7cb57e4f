"""Function transformations: turn a Python function into its derivative (JAX style).

* ``derivative(f, x)`` — forward mode, one pass with a dual number seeded at x.
* ``grad(f)`` / ``value_and_grad(f)`` — reverse mode, one backward pass for all inputs.
* ``jvp(f, primals, tangents)`` — forward mode along any direction.
* ``jacobian(f, x, mode)`` — the full (m, n) matrix: n forward passes (one column each) or m backward
  passes (one row each).

``f`` is ordinary Python written with operators and the elementwise functions of this package.
Array arguments are handed to ``f`` as numpy object arrays of Values (or Duals), so ``x[0] * x[1]``,
``np.sum(x ** 2)`` and ``w @ x`` all work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dual import Dual
from .engine import Value, as_float

ArgNums = int | Sequence[int]


# -- forward mode ----------------------------------------------------------------------------------

def derivative(f: Callable[[Any], Any], x: float) -> Any:
    """df/dx at ``x`` by forward mode: evaluate ``f(Dual(x, 1))`` and read the tangent.

    ``f`` may return one number (the result is a float) or a sequence of numbers (an array of
    derivatives, one per output).
    """
    return _tangents_of(f(Dual(as_float(x, "derivative(x)"), 1.0)))


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Jacobian-vector product: ``(f(*primals), J @ tangents)`` in one forward pass.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f`` (numbers or arrays of
    matching shapes).
    """
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    args = []
    for index, (p, t) in enumerate(zip(primals, tangents)):
        p_arr, t_arr = _as_numbers(p, f"jvp primal {index}"), _as_numbers(t, f"jvp tangent {index}")
        if p_arr.shape != t_arr.shape:
            raise ValueError(f"jvp: primal {index} has shape {p_arr.shape} but its tangent has {t_arr.shape}")
        if p_arr.ndim == 0:
            args.append(Dual(float(p_arr), float(t_arr)))
        else:
            duals = np.empty(p_arr.shape, dtype=object)
            for i in np.ndindex(p_arr.shape):
                duals[i] = Dual(p_arr[i], t_arr[i])
            args.append(duals)
    out = f(*args)
    return _primals_of(out), _tangents_of(out)


# -- reverse mode ----------------------------------------------------------------------------------

def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[float, Any]]:
    """Return a function computing ``(f(*args), gradient)`` with one reverse-mode pass.

    ``argnums`` picks the argument(s) to differentiate with respect to; with a tuple the gradient is a
    tuple too. Scalar arguments give float gradients, array arguments gradients of the same shape.
    ``f`` must return a single scalar (use ``jacobian`` for vector outputs).
    """
    single = isinstance(argnums, int)
    positions = (argnums,) if single else tuple(argnums)

    def wrapped(*args: Any) -> tuple[float, Any]:
        args = list(args)
        leaves = {}
        for pos in positions:
            if not 0 <= pos < len(args):
                raise IndexError(f"argnums {pos} is out of range for {len(args)} argument(s)")
            args[pos] = leaves[pos] = _reverse_leaves(args[pos], f"argument {pos}")
        out = f(*args)
        result = _backward_scalar(out)
        grads = tuple(_grads_of(leaves[pos]) for pos in positions)
        return result, grads[0] if single else grads

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Return a function computing the gradient of scalar-valued ``f`` by reverse mode.

    >>> grad(lambda x, y: x * y + y, argnums=(0, 1))(2.0, 3.0)
    (3.0, 3.0)
    """
    vg = value_and_grad(f, argnums)

    def gradient(*args: Any) -> Any:
        return vg(*args)[1]

    gradient.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return gradient


# -- Jacobians -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class JacobianResult:
    """A Jacobian and how many passes through ``f`` it took (n forward or m reverse)."""

    matrix: np.ndarray
    mode: str
    passes: int


def jacobian(
    f: Callable[[Any], Any], x: Any, mode: str = "forward", return_passes: bool = False
) -> np.ndarray | JacobianResult:
    """The (m, n) Jacobian of ``f: R^n -> R^m`` at ``x``.

    ``mode='forward'`` runs n forward passes, each seeding one input and giving one column;
    ``mode='reverse'`` records f once and runs m backward passes, each giving one row.
    With ``return_passes=True`` a ``JacobianResult`` tells how many passes were used.
    """
    if mode not in ("forward", "reverse"):
        raise ValueError(f"jacobian mode must be 'forward' or 'reverse', got {mode!r}")
    point = _as_numbers(x, "jacobian(x)")
    flat = point.reshape(-1)
    n = flat.size
    scalar_input = point.ndim == 0

    def call(elements: list) -> list:
        arg = elements[0] if scalar_input else np.array(elements, dtype=object).reshape(point.shape)
        out = f(arg)
        return list(np.asarray(out, dtype=object).reshape(-1))

    if mode == "forward":
        columns = []
        for i in range(n):
            outputs = call([Dual(v, 1.0 if j == i else 0.0) for j, v in enumerate(flat)])
            columns.append([o.tangent if isinstance(o, Dual) else 0.0 for o in outputs])
        matrix = np.array(columns, dtype=float).T.reshape(-1, n)
        passes = n
    else:
        leaves = [Value(v) for v in flat]
        outputs = call(leaves)
        rows = []
        for out in outputs:
            for leaf in leaves:
                leaf.grad = 0.0
            if isinstance(out, Value):
                out.backward()
            rows.append([leaf.grad for leaf in leaves])
        matrix = np.array(rows, dtype=float).reshape(-1, n)
        passes = len(outputs)
    return JacobianResult(matrix, mode, passes) if return_passes else matrix


# -- helpers ---------------------------------------------------------------------------------------

def _as_numbers(x: Any, what: str) -> np.ndarray:
    """``x`` as a float array, or a TypeError naming the offending value."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{what} must be a number or an array of numbers, got {type(x).__name__} {x!r}")
    try:
        array = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must be a number or an array of numbers, got {x!r}") from error
    return array


def _reverse_leaves(arg: Any, what: str) -> Any:
    if hasattr(arg, "requires_grad") and hasattr(arg, "shape"):  # a Tensor: differentiate it whole
        return type(arg)(arg.data, requires_grad=True)
    array = _as_numbers(arg, what)
    if array.ndim == 0:
        return Value(float(array))
    leaves = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        leaves[index] = Value(array[index])
    return leaves


def _backward_scalar(out: Any) -> float:
    if isinstance(out, np.ndarray) and out.size == 1 and out.dtype == object:
        out = out.reshape(-1)[0]
    if isinstance(out, Value) or (hasattr(out, "backward") and hasattr(out, "shape")):
        out.backward()
        return out.item() if hasattr(out, "item") else out.data
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return float(out)  # f does not depend on its inputs: every gradient is 0
    raise TypeError(
        "grad/value_and_grad need f to return one scalar, got "
        f"{type(out).__name__} {out!r}; for vector outputs use jacobian()"
    )


def _grads_of(leaves: Any) -> Any:
    if isinstance(leaves, Value):
        return leaves.grad
    if isinstance(leaves, np.ndarray):
        return np.vectorize(lambda v: v.grad, otypes=[float])(leaves)
    return leaves.grad if leaves.grad is not None else np.zeros_like(leaves.data)


def _tangents_of(out: Any) -> Any:
    if isinstance(out, Dual):
        return out.tangent
    if isinstance(out, (int, float)):
        return 0.0
    return np.array([_tangents_of(o) for o in out], dtype=float)


def _primals_of(out: Any) -> Any:
    if isinstance(out, Dual):
        return out.primal
    if isinstance(out, (int, float)):
        return float(out)
    return np.array([_primals_of(o) for o in out], dtype=float)
