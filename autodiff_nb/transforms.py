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
from .checks import as_numbers, function, one_of
from .dual import Dual, new_tag
from .engine import Value, backpropagate, record
from .modes import tracing
from .rules import identity
from .tensor import Tensor
from .traced import Traced, TracedScalar
from .traversal import topological_order

ArgNums = int | Sequence[int]


class NotScalarError(ValueError, TypeError):
    """f returned several numbers where one scalar was needed (a ValueError; also a TypeError, which is
    what ``grad`` raised for it before higher derivatives arrived)."""


# -- forward mode ------------------------------------------------------------------------------------

def derivative(f: Callable[[Any], Any], x: float) -> Any:
    """df/dx at ``x`` by forward mode: evaluate ``f(Dual(x, 1))`` and read the tangent.

    ``f`` may return one number (the result is a float) or a sequence of numbers (an array of
    derivatives, one per output).
    """
    function("derivative(f)", f)
    point = _scalar_point(x, "derivative(x)", "for several inputs use grad, jvp or jacobian")
    tag = new_tag()
    return _tangents(f(Dual(point, 1.0, tag)), tag, "derivative")


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Jacobian-vector product: ``(f(*primals), J @ tangents)`` in one forward pass.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f`` (numbers or arrays of
    matching shapes).
    """
    function("jvp(f)", f)
    primals, tangents = _tuple(primals, "jvp(primals)"), _tuple(tangents, "jvp(tangents)")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    tag = new_tag()
    args = []
    for index, (p, t) in enumerate(zip(primals, tangents)):
        p_arr, t_arr = _points(p, f"jvp primal {index}"), _points(t, f"jvp tangent {index}")
        if p_arr.shape != t_arr.shape:
            raise ValueError(f"jvp: primal {index} has shape {p_arr.shape} but its tangent has {t_arr.shape}")
        duals = np.empty(p_arr.shape, dtype=object)
        for i in np.ndindex(p_arr.shape):
            duals[i] = Dual(p_arr[i], t_arr[i], tag)
        args.append(duals[()] if p_arr.ndim == 0 else duals)
    out = f(*args)
    return _primals(out, tag, "jvp"), _tangents(out, tag, "jvp")


# -- reverse mode ------------------------------------------------------------------------------------

def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(f(*args), gradient)`` with one reverse-mode pass.

    ``argnums`` picks the argument(s) to differentiate with respect to; with a tuple the gradient is a
    tuple too. Scalar arguments give float gradients, array arguments gradients of the same shape,
    Tensor arguments arrays of the Tensor's shape. ``f`` must return a single scalar (use ``jacobian``
    or ``vjp`` for vector outputs). Recording happens even inside ``no_grad()``.
    """
    function("value_and_grad(f)", f)
    single, positions = _argnums(argnums)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        out, pullback = _record_call(f, args, positions, "grad")
        root = _scalar_output(out)
        grads = pullback(root, 1.0)
        value = root if pullback.nested else _plain_value(root)
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
    out, pullback = _record_call(f, primals, tuple(range(len(primals))), "vjp")
    if isinstance(out, Tensor):
        roots, shape = out, out.shape
        primal_out = out if pullback.nested else np.array(out.data)
    else:
        roots = _output_nodes(out)
        shape = roots.shape
        primal_out = out if pullback.nested else np.array(
            [_plain_value(o) for o in roots.reshape(-1)], dtype=float).reshape(shape)
        if shape == ():
            primal_out = primal_out[()] if not pullback.nested else out

    def vjp_fn(cotangent: Any) -> tuple:
        seeds = _points(cotangent, "vjp_fn(cotangent)")
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
    point = _points(x, "jacobian(x)")
    n = point.size
    if mode == "forward":
        columns = [jvp(f, (point,), (np.eye(n)[i].reshape(point.shape),))[1] for i in range(n)]
        m = len(_output_nodes(f(point)).reshape(-1)) if n == 0 else None
        matrix = _stack([np.reshape(c, -1) for c in columns], m).T
        passes = n
    else:
        out, vjp_fn = vjp(f, point)
        m = int(np.size(out))
        rows = [np.reshape(vjp_fn(np.eye(m)[i].reshape(np.shape(out)))[0], -1) for i in range(m)]
        matrix = _stack(rows, n)
        passes = m
    matrix = matrix.reshape(-1, n)
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
        direction = _points(v, "hvp(v)")
        if direction.shape != x.shape:
            raise ValueError(f"hvp: v has shape {direction.shape} but x has {x.shape}")
        leaf = Tensor(x.data, requires_grad=True)
        with tracing():
            root = _scalar_output(f(leaf))
            (g,) = tensor_engine.gradients(root, [leaf], create_graph=True)
            (h,) = tensor_engine.gradients((g * direction).sum(), [leaf])
        return np.asarray(h, dtype=float)
    point, direction = _points(x, "hvp(x)"), _points(v, "hvp(v)")
    if point.shape != direction.shape:
        raise ValueError(f"hvp: v has shape {direction.shape} but x has {point.shape}")
    tag = new_tag()
    duals = np.empty(point.shape, dtype=object)
    for i in np.ndindex(point.shape):
        duals[i] = Dual(point[i], direction[i], tag)
    gradient = grad(f)(duals[()] if point.ndim == 0 else duals)
    return np.asarray(_tangents(gradient, tag, "hvp"), dtype=float).reshape(point.shape)


def hessian(f: Callable[[Any], Any], x: Any) -> np.ndarray:
    """The (n, n) Hessian of scalar ``f: R^n -> R`` at ``x``: one ``hvp`` per basis vector.

    For a Tensor ``x`` of shape s the Hessian has shape s + s, returned flattened to (n, n).
    """
    shape = x.shape if isinstance(x, Tensor) else _points(x, "hessian(x)").shape
    n = int(np.prod(shape))
    columns = [hvp(f, x, np.eye(n)[i].reshape(shape)).reshape(-1) for i in range(n)]
    return np.array(columns, dtype=float).T.reshape(n, n)


# -- recording a call ---------------------------------------------------------------------------------

class _Pullback:
    """What a recorded call needs to run backward passes later: its input nodes and the mode."""

    def __init__(self, inputs: list, nested: bool) -> None:
        self.inputs, self.nested = inputs, nested

    def __call__(self, outputs: Any, seeds: Any) -> tuple:
        if isinstance(outputs, Tensor) or any(isinstance(group, Tensor) for group in self.inputs):
            return self._tensor(outputs, seeds)
        roots = (outputs if isinstance(outputs, np.ndarray) else _boxed(outputs)).reshape(-1)
        seed_map: dict = {}
        for root, seed in zip(roots, np.asarray(seeds, dtype=object).reshape(-1)):
            if isinstance(root, Value):
                seed_map[root] = seed_map[root] + seed if root in seed_map else seed
        stops = {node for group in self.inputs for node in _flat_nodes(group)}
        order = _order(list(seed_map), stops)
        adjoints = backpropagate(order, seed_map, create_graph=self.nested)
        return tuple(_gather(group, adjoints) for group in self.inputs)

    def _tensor(self, output: Any, seed: Any) -> tuple:
        if not isinstance(output, Tensor):
            raise TypeError("f received a Tensor but did not return one (use Tensor operations inside f)")
        tensors = [group for group in self.inputs if isinstance(group, Tensor)]
        seed = None if np.ndim(seed) == 0 else np.asarray(seed, dtype=float)
        if not hasattr(tensor_engine, "gradients"):  # TEMPORARY until the tensor engine has gradients()
            output.backward(seed)
            return tuple(t.grad if t.grad is not None else np.zeros_like(t.data) for t in tensors)
        return tuple(tensor_engine.gradients(output, tensors, grad=seed, create_graph=self.nested))


def _record_call(f: Callable[..., Any], args: Sequence[Any], positions: tuple, what: str) -> tuple:
    for pos in positions:
        if not -len(args) <= pos < len(args):
            raise ValueError(f"argnums {pos} is out of range for {len(args)} argument(s) of f")
    with tracing() as depth:
        nested = depth > 1 or any(_holds_graph(a) for a in args)
        call_args = list(args)
        inputs = []
        for pos in positions:
            call_args[pos] = _reverse_input(args[pos], f"argument {pos % len(args)} of {what}", nested)
            inputs.append(call_args[pos])
        out = f(*call_args)
    return out, _Pullback(inputs, nested)


def _reverse_input(arg: Any, what: str, nested: bool) -> Any:
    """A fresh node (or array of nodes) standing for ``arg``, which f will receive."""
    if isinstance(arg, Tensor):
        if nested and arg.requires_grad:
            return arg.reshape(arg.shape)  # an identity node: f's graph stays connected to the outer one
        return Tensor(arg.data, requires_grad=True)
    if isinstance(arg, Value) or (isinstance(arg, np.ndarray) and arg.dtype == object):
        nodes = np.empty(np.shape(arg), dtype=object)
        for i in np.ndindex(nodes.shape):
            nodes[i] = _scalar_input(np.asarray(arg, dtype=object)[i] if nodes.shape else arg, what)
        return nodes[()] if nodes.ndim == 0 else nodes
    if isinstance(arg, TracedScalar):
        return Value(arg)
    point = as_numbers(arg, what)
    if point.ndim == 0:
        return Value(float(point))
    nodes = np.empty(point.shape, dtype=object)
    for i in np.ndindex(point.shape):
        nodes[i] = Value(point[i])
    return nodes


def _scalar_input(x: Any, what: str) -> Value:
    if isinstance(x, Value):  # traced by an outer transform: an identity node keeps the connection
        return record(x.data, "input", identity, (x,), (1.0,))
    if isinstance(x, TracedScalar):
        return Value(x)
    return Value(float(as_numbers(x, what)))


def _holds_graph(arg: Any) -> bool:
    if isinstance(arg, Value):
        return True
    if isinstance(arg, Tensor):
        return arg.requires_grad
    if isinstance(arg, np.ndarray) and arg.dtype == object:
        return any(isinstance(a, Value) for a in arg.reshape(-1))
    return False


def _flat_nodes(group: Any) -> list:
    return [group] if isinstance(group, Value) else list(np.reshape(group, -1)) \
        if isinstance(group, np.ndarray) else []


def _order(roots: list, stops: set) -> list:
    """Topological order of the nodes under ``roots``, not going below the inputs (``stops``)."""
    top = Value.__new__(Value)  # a scratch root over every output, dropped right after
    top.children = tuple(roots)
    order = topological_order(top, lambda node: () if node in stops else node.children)
    return order[:-1]


def _gather(group: Any, adjoints: dict) -> Any:
    if isinstance(group, Value):
        return adjoints.get(group, 0.0)
    values = [adjoints.get(node, 0.0) for node in group.reshape(-1)]
    plain = all(type(v) is float for v in values)
    return np.array(values, dtype=float if plain else object).reshape(group.shape)


# -- reading results ------------------------------------------------------------------------------------

def _scalar_output(out: Any) -> Any:
    if isinstance(out, np.ndarray) and out.size == 1 and out.dtype == object:
        out = out.reshape(-1)[0]
    if isinstance(out, Value) or isinstance(out, (int, float)) and not isinstance(out, bool):
        return out
    if isinstance(out, Tensor):
        if out.size != 1:
            raise NotScalarError(f"f must return a scalar, but it returned a Tensor of shape {out.shape}; "
                             "for vector outputs use jacobian() or vjp()")
        return out
    if isinstance(out, np.generic) and out.dtype.kind in "iuf":
        return float(out)
    if isinstance(out, Dual):
        raise TypeError("f returned a Dual inside grad: it uses a variable of an outer derivative/jvp "
                        "that it did not receive as an argument; pass that variable as an argument of f")
    if out is None:
        raise TypeError("f returned None: did it forget a `return`? grad needs f to return one scalar")
    if isinstance(out, (list, tuple, np.ndarray)):
        raise NotScalarError(f"f must return a scalar, but it returned {type(out).__name__} of "
                         f"{np.size(np.asarray(out, dtype=object))} values; for vector outputs use "
                         "jacobian() or vjp()")
    raise TypeError(f"f must return one scalar, got {type(out).__name__} {out!r}")


def _output_nodes(out: Any) -> np.ndarray:
    """f's output as an object array of scalars (Values or numbers), or a clear error."""
    if out is None or isinstance(out, (str, bytes, dict)):
        raise TypeError(f"f must return numbers, got {type(out).__name__} {out!r}")
    array = _boxed(out) if isinstance(out, TracedScalar) else np.asarray(out, dtype=object)
    for item in array.reshape(-1):
        if not isinstance(item, (TracedScalar, int, float, np.generic)) or isinstance(item, (bool, str)):
            raise TypeError(f"f must return numbers, got an output holding {type(item).__name__} {item!r}")
    return array


def _boxed(x: Any) -> np.ndarray:
    holder = np.empty((), dtype=object)
    holder[()] = x
    return holder


def _plain_value(x: Any) -> Any:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, Tensor):
        return x.item()
    return float(x)


def _tangents(out: Any, tag: int, what: str) -> Any:
    """The tangents of ``tag`` in f's output; 0 for outputs that do not depend on the seeded input."""
    if isinstance(out, Dual) and out.tag == tag:
        return out.tangent
    if isinstance(out, Value) and isinstance(out.data, Dual) and out.data.tag == tag:
        return out.data.tangent
    if isinstance(out, (TracedScalar, int, float, np.generic)) and not isinstance(out, (bool, str)):
        return 0.0
    items = _sequence(out, what)
    values = [_tangents(o, tag, what) for o in items.reshape(-1)]
    plain = all(isinstance(v, float) for v in values)
    return np.array(values, dtype=float if plain else object).reshape(items.shape)


def _primals(out: Any, tag: int, what: str) -> Any:
    if isinstance(out, Dual) and out.tag == tag:
        return out.primal
    if isinstance(out, TracedScalar):
        return out
    if isinstance(out, (int, float, np.generic)) and not isinstance(out, (bool, str)):
        return float(out)
    items = _sequence(out, what)
    values = [_primals(o, tag, what) for o in items.reshape(-1)]
    plain = all(isinstance(v, float) for v in values)
    return np.array(values, dtype=float if plain else object).reshape(items.shape)


def _sequence(out: Any, what: str) -> np.ndarray:
    if out is None:
        raise TypeError(f"{what}: f returned None: did it forget a `return`?")
    if isinstance(out, (str, bytes, dict)) or not isinstance(out, (list, tuple, np.ndarray)):
        raise TypeError(f"{what}: f must return a number or a sequence of numbers, got "
                        f"{type(out).__name__} {out!r}")
    return np.asarray(out, dtype=object)


# -- checking arguments -------------------------------------------------------------------------------

def _scalar_point(x: Any, what: str, hint: str) -> Any:
    if isinstance(x, TracedScalar):
        return x
    point = as_numbers(x, what)
    if point.ndim != 0:
        raise TypeError(f"{what} must be one number, got an array of shape {point.shape}; {hint}")
    return float(point)


def _points(x: Any, what: str) -> np.ndarray:
    """Numbers or traced scalars as an array: float dtype for plain numbers, object for traced ones."""
    if isinstance(x, Traced) and not isinstance(x, Tensor):
        return _boxed(x)
    if isinstance(x, Tensor):
        return np.array(x.data, dtype=float)
    if isinstance(x, (list, tuple, np.ndarray)) and any(isinstance(i, Traced) for i in np.asarray(
            x, dtype=object).reshape(-1)):
        return np.asarray(x, dtype=object)
    return as_numbers(x, what)


def _tuple(x: Any, what: str) -> tuple:
    if not isinstance(x, (tuple, list)):
        raise TypeError(f"{what} must be a tuple with one entry per argument of f, e.g. (2.0,), "
                        f"got {type(x).__name__} {x!r}")
    return tuple(x)


def _argnums(argnums: Any) -> tuple[bool, tuple[int, ...]]:
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    positions = (argnums,) if single else tuple(argnums) if isinstance(argnums, (tuple, list)) else None
    if not positions or not all(isinstance(p, (int, np.integer)) and not isinstance(p, bool)
                                for p in positions):
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}")
    return single, tuple(int(p) for p in positions)


def _stack(vectors: list, width: int | None) -> np.ndarray:
    if not vectors:
        return np.zeros((0, width or 0))
    plain = all(np.asarray(v).dtype != object for v in vectors)
    return np.array(vectors, dtype=float if plain else object)
