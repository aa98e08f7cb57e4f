"""Function transformations: turn a Python function into its derivative (JAX style).

* ``derivative(f, x)`` and ``jvp(f, primals, tangents)`` — forward mode: one pass with dual numbers.
* ``grad(f)``, ``value_and_grad(f)`` and ``vjp(f, *primals)`` — reverse mode: one backward pass.
* ``jacobian(f, x, mode)`` — n forward passes (one column each) or m backward passes (one row each).
* ``hessian(f, x)`` and ``hvp(f, x, v)`` — second derivatives, by nesting the two modes.

``f`` is ordinary Python written with operators and the elementwise functions of this package. Array
arguments are handed to ``f`` as numpy object arrays of Values (or Duals), so ``x[0] * x[1]``,
``np.sum(x ** 2)`` and ``w @ x`` all work; a ``Tensor`` argument is handed over as a Tensor.

Every transform accepts *traced* arguments — Values, Duals or Tensors that an outer transform is
differentiating — and then returns traced results, so the transforms nest in any order:
``grad(grad(f))``, ``derivative(lambda x: grad(f)(x), x0)``, ``grad(lambda x: derivative(f, x))``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import tensor as tensor_engine
from .checks import flag, function, one_of
from .dual import Dual, new_tag
from .modes import tracing
from .recording import (
    check_argnums,
    output_nodes,
    per_argument,
    plain_value,
    points,
    primals_of,
    record_call,
    scalar_output,
    scalar_point,
    stack_rows,
    tangents_of,
)
from .tensor import Tensor

ArgNums = int | Sequence[int]


# -- forward mode ------------------------------------------------------------------------------------

def derivative(f: Callable[[Any], Any], x: float) -> Any:
    """df/dx at ``x`` by forward mode: evaluate ``f(Dual(x, 1))`` and read the tangent.

    ``f`` may return one number (the result is a float) or a sequence of numbers (an array of
    derivatives, one per output).
    """
    function("derivative(f)", f)
    if isinstance(x, Tensor):
        raise TypeError("derivative(x) takes one number; for a Tensor use jvp(f, (x,), (v,)), grad or "
                        "jacobian")
    point = scalar_point(x, "derivative(x)", "for several inputs use grad, jvp or jacobian")
    tag = new_tag()
    return tangents_of(f(Dual(point, 1.0, tag)), tag, "derivative")


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Jacobian-vector product: ``(f(*primals), J @ tangents)`` in one forward pass.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f`` (numbers or arrays of
    matching shapes).
    """
    function("jvp(f)", f)
    primals, tangents = per_argument(primals, "jvp(primals)"), per_argument(tangents, "jvp(tangents)")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    if any(isinstance(p, Tensor) for p in primals):
        return _tensor_jvp(f, primals, tangents)
    tag = new_tag()
    args = []
    for index, (p, t) in enumerate(zip(primals, tangents)):
        p_arr, t_arr = points(p, f"jvp primal {index}"), points(t, f"jvp tangent {index}")
        if p_arr.shape != t_arr.shape:
            raise ValueError(f"jvp: primal {index} has shape {p_arr.shape} but its tangent has {t_arr.shape}")
        duals = np.empty(p_arr.shape, dtype=object)
        for i in np.ndindex(p_arr.shape):
            duals[i] = Dual(p_arr[i], t_arr[i], tag)
        args.append(duals[()] if p_arr.ndim == 0 else duals)
    out = f(*args)
    return primals_of(out, tag, "jvp"), tangents_of(out, tag, "jvp")


def _tensor_jvp(f: Callable[..., Any], primals: tuple, tangents: tuple) -> tuple[Any, Any]:
    """J v for Tensor arguments by two reverse passes (there is no forward-mode Tensor): the vjp
    g(u) = u^T J is linear in u, so J v is the gradient of g(u) . v with respect to u."""
    if not all(isinstance(p, Tensor) for p in primals):
        raise TypeError("jvp: when one primal is a Tensor, all of them must be Tensors")
    directions = [points(t, f"jvp tangent {i}") for i, t in enumerate(tangents)]
    for i, (p, d) in enumerate(zip(primals, directions)):
        if d.shape != p.shape:
            raise ValueError(f"jvp: primal {i} has shape {p.shape} but its tangent has {d.shape}")
    out, pullback = record_call(f, primals, tuple(range(len(primals))), "jvp")
    if not isinstance(out, Tensor):
        raise TypeError(f"jvp: f received Tensors but returned {type(out).__name__}; use Tensor operations")
    cotangent = Tensor(np.zeros_like(out.data), requires_grad=True)
    with tracing():
        vjps = tensor_engine.gradients(out, pullback.inputs, grad=cotangent, create_graph=True)
        along = sum(((g * d).sum() for g, d in zip(vjps, directions)), Tensor(0.0))
        (jv,) = tensor_engine.gradients(along, [cotangent], create_graph=pullback.nested)
    return (out if pullback.nested else np.array(out.data)), jv


# -- reverse mode ------------------------------------------------------------------------------------

def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(f(*args), gradient)`` with one reverse-mode pass.

    ``argnums`` picks the argument(s) to differentiate with respect to; with a tuple the gradient is a
    tuple too. Scalar arguments give float gradients, array arguments gradients of the same shape,
    Tensor arguments arrays of the Tensor's shape. ``f`` must return a single scalar (use ``jacobian``
    or ``vjp`` for vector outputs). Recording happens even inside ``no_grad()``.
    """
    function("value_and_grad(f)", f)
    single, positions = check_argnums(argnums)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        out, pullback = record_call(f, args, positions, "grad")
        root = scalar_output(out)
        grads = pullback(root, 1.0)
        value = root if pullback.nested else plain_value(root)
        return value, grads[0] if single else grads

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


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple]]:
    """Vector-Jacobian product (JAX's convention): ``out, vjp_fn = vjp(f, *primals)``.

    ``f`` is recorded once; ``vjp_fn(u)`` runs one backward pass seeded with the cotangent ``u`` (shaped
    like ``out``) and returns a tuple with ``u^T J`` for each primal. The rows of the Jacobian are the
    vjps of the basis vectors.
    """
    function("vjp(f)", f)
    out, pullback = record_call(f, primals, tuple(range(len(primals))), "vjp")
    if isinstance(out, Tensor):
        roots, shape = out, out.shape
        primal_out = out if pullback.nested else np.array(out.data)
    else:
        roots = output_nodes(out)
        shape = roots.shape
        primal_out = out if pullback.nested else np.array(
            [plain_value(o) for o in roots.reshape(-1)], dtype=float).reshape(shape)
        if shape == ():
            primal_out = primal_out[()] if not pullback.nested else out

    def vjp_fn(cotangent: Any) -> tuple:
        seeds = points(cotangent, "vjp_fn(cotangent)")
        if seeds.shape != shape:
            raise ValueError(f"vjp_fn: the cotangent has shape {seeds.shape} but f's output has {shape}")
        return pullback(roots, seeds)

    return primal_out, vjp_fn


# -- Jacobians and second derivatives -------------------------------------------------------------

@dataclass(frozen=True)
class JacobianResult:
    """A Jacobian and how many passes through ``f`` it took (n forward or m reverse)."""

    matrix: np.ndarray
    mode: str
    passes: int


def jacobian(f: Callable[[Any], Any], x: Any, mode: str = "forward",
             return_passes: bool = False) -> np.ndarray | JacobianResult:
    """The (m, n) Jacobian of ``f: R^n -> R^m`` at ``x``.

    ``mode='forward'`` runs n forward passes, each seeding one input and giving one column;
    ``mode='reverse'`` records f once and runs m backward passes, each giving one row (a vjp).
    With ``return_passes=True`` a ``JacobianResult`` tells how many passes were used.
    """
    function("jacobian(f)", f)
    one_of("jacobian mode", mode, ("forward", "reverse"))
    flag("jacobian(return_passes)", return_passes)
    point = x if isinstance(x, Tensor) else points(x, "jacobian(x)")
    n = point.size
    if mode == "forward":
        columns = [np.reshape(jvp(f, (point,), (np.eye(n)[i].reshape(point.shape),))[1], -1)
                   for i in range(n)]
        m = len(columns[0]) if columns else np.size(f(point)) if isinstance(point, Tensor) \
            else output_nodes(f(point)).size
        matrix = stack_rows(columns, m).T
        passes = n
    else:
        out, vjp_fn = vjp(f, point)
        m = int(np.size(out))
        rows = [np.reshape(vjp_fn(np.eye(m)[i].reshape(np.shape(out)))[0], -1) for i in range(m)]
        matrix = stack_rows(rows, n)
        passes = m
    matrix = matrix.reshape(m, n)
    return JacobianResult(matrix, mode, passes) if return_passes else matrix


def hvp(f: Callable[[Any], Any], x: Any, v: Any) -> np.ndarray:
    """The Hessian-vector product H(x) v of scalar ``f`` without forming the Hessian.

    Scalar engine: forward-over-reverse, d/dt grad f(x + t v) at t = 0 — the gradient is taken on
    Values whose numbers are duals, so one forward and one backward pass carry the extra tangent
    (a small constant times one gradient). Tensor engine: reverse-over-reverse, the gradient of
    ``sum(grad f(x) * v)`` through a ``create_graph`` backward pass.
    """
    function("hvp(f)", f)
    if isinstance(x, Tensor):
        direction = points(v, "hvp(v)")
        if direction.shape != x.shape:
            raise ValueError(f"hvp: v has shape {direction.shape} but x has {x.shape}")
        leaf = Tensor(x.data, requires_grad=True)
        with tracing():
            root = scalar_output(f(leaf))
            (g,) = tensor_engine.gradients(root, [leaf], create_graph=True)
            (h,) = tensor_engine.gradients((g * direction).sum(), [leaf])
        return np.asarray(h, dtype=float)
    point, direction = points(x, "hvp(x)"), points(v, "hvp(v)")
    if point.shape != direction.shape:
        raise ValueError(f"hvp: v has shape {direction.shape} but x has {point.shape}")
    tag = new_tag()
    duals = np.empty(point.shape, dtype=object)
    for i in np.ndindex(point.shape):
        duals[i] = Dual(point[i], direction[i], tag)
    gradient = grad(f)(duals[()] if point.ndim == 0 else duals)
    return np.asarray(tangents_of(gradient, tag, "hvp"), dtype=float).reshape(point.shape)


def hessian(f: Callable[[Any], Any], x: Any) -> np.ndarray:
    """The (n, n) Hessian of scalar ``f: R^n -> R`` at ``x``: one ``hvp`` per basis vector.

    For a Tensor ``x`` of shape s the Hessian has shape s + s, returned flattened to (n, n).
    """
    shape = x.shape if isinstance(x, Tensor) else points(x, "hessian(x)").shape
    n = int(np.prod(shape))
    columns = [hvp(f, x, np.eye(n)[i].reshape(shape)).reshape(-1) for i in range(n)]
    return np.array(columns, dtype=float).T.reshape(n, n)
