"""How the transforms of :mod:`autodiff_nb.transforms` record one call of ``f`` and read its results.

``record_call`` hands ``f`` fresh nodes for the arguments being differentiated (a traced argument gets
an identity node, so the outer graph stays connected) and returns a ``Pullback`` that runs backward
passes over what ``f`` recorded, seeded with any cotangent. The rest turns what ``f`` returned into
floats, arrays or, inside nested transforms, traced values, with errors that say what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import tensor as tensor_engine
from .checks import as_numbers
from .dual import Dual
from .engine import Value, gradients, stand_in
from .modes import tracing
from .tensor import Tensor
from .traced import Traced, TracedScalar


class NotScalarError(ValueError, TypeError):
    """f returned several numbers where one scalar was needed (a ValueError; also a TypeError, which is
    what ``grad`` raised for it before higher derivatives arrived)."""


class Pullback:
    """What a recorded call needs to run backward passes later: its input nodes and the mode."""

    def __init__(self, inputs: list, nested: bool) -> None:
        self.inputs, self.nested = inputs, nested

    def __call__(self, outputs: Any, seeds: Any) -> tuple:
        if isinstance(outputs, Tensor) or any(isinstance(group, Tensor) for group in self.inputs):
            return self._tensor(outputs, seeds)
        roots = (outputs if isinstance(outputs, np.ndarray) else boxed(outputs)).reshape(-1)
        seed_map: dict = {}
        for root, seed in zip(roots, np.asarray(seeds, dtype=object).reshape(-1)):
            if isinstance(root, Value):
                seed_map[root] = seed_map[root] + seed if root in seed_map else seed
        inputs = [node for group in self.inputs for node in _flat_nodes(group)]
        adjoints = gradients(seed_map, inputs, create_graph=self.nested)
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


def record_call(f: Callable[..., Any], args: Sequence[Any], positions: tuple, what: str) -> tuple:
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
    return out, Pullback(inputs, nested)


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
        return stand_in(x)
    if isinstance(x, TracedScalar):
        return Value(x)
    return Value(float(as_numbers(x, what)))


def _holds_graph(arg: Any) -> bool:
    """Was ``arg`` computed by recorded operations? Then the result must stay connected to them.

    A leaf (a parameter you created) is just a starting point: its gradient comes back as numbers.
    """
    if isinstance(arg, Value):
        return bool(arg.children)
    if isinstance(arg, Tensor):
        return arg.requires_grad and not arg.is_leaf
    if isinstance(arg, np.ndarray) and arg.dtype == object:
        return any(isinstance(a, Value) and a.children for a in arg.reshape(-1))
    return False


def _flat_nodes(group: Any) -> list:
    return [group] if isinstance(group, Value) else list(np.reshape(group, -1)) \
        if isinstance(group, np.ndarray) else []


def _gather(group: Any, adjoints: dict) -> Any:
    if isinstance(group, Value):
        return adjoints.get(group, 0.0)
    values = [adjoints.get(node, 0.0) for node in group.reshape(-1)]
    plain = all(type(v) is float for v in values)
    return np.array(values, dtype=float if plain else object).reshape(group.shape)


# -- reading results ------------------------------------------------------------------------------------

def scalar_output(out: Any) -> Any:
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


def output_nodes(out: Any) -> np.ndarray:
    """f's output as an object array of scalars (Values or numbers), or a clear error."""
    if out is None or isinstance(out, (str, bytes, dict)):
        raise TypeError(f"f must return numbers, got {type(out).__name__} {out!r}")
    array = boxed(out) if isinstance(out, TracedScalar) else np.asarray(out, dtype=object)
    for item in array.reshape(-1):
        if not isinstance(item, (TracedScalar, int, float, np.generic)) or isinstance(item, (bool, str)):
            raise TypeError(f"f must return numbers, got an output holding {type(item).__name__} {item!r}")
    return array


def boxed(x: Any) -> np.ndarray:
    holder = np.empty((), dtype=object)
    holder[()] = x
    return holder


def plain_value(x: Any) -> Any:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, Tensor):
        return x.item()
    return float(x)


def tangents_of(out: Any, tag: int, what: str) -> Any:
    """The tangents of ``tag`` in f's output; 0 for outputs that do not depend on the seeded input."""
    if isinstance(out, Dual) and out.tag == tag:
        return out.tangent
    if isinstance(out, Value) and isinstance(out.data, Dual) and out.data.tag == tag:
        return out.data.tangent
    if isinstance(out, (TracedScalar, int, float, np.generic)) and not isinstance(out, (bool, str)):
        return 0.0
    items = _sequence(out, what)
    values = [tangents_of(o, tag, what) for o in items.reshape(-1)]
    plain = all(isinstance(v, float) for v in values)
    return np.array(values, dtype=float if plain else object).reshape(items.shape)


def primals_of(out: Any, tag: int, what: str) -> Any:
    if isinstance(out, Dual) and out.tag == tag:
        return out.primal
    if isinstance(out, TracedScalar):
        return out
    if isinstance(out, (int, float, np.generic)) and not isinstance(out, (bool, str)):
        return float(out)
    items = _sequence(out, what)
    values = [primals_of(o, tag, what) for o in items.reshape(-1)]
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

def scalar_point(x: Any, what: str, hint: str) -> Any:
    if isinstance(x, TracedScalar):
        return x
    point = as_numbers(x, what)
    if point.ndim != 0:
        raise TypeError(f"{what} must be one number, got an array of shape {point.shape}; {hint}")
    return float(point)


def points(x: Any, what: str) -> np.ndarray:
    """Numbers or traced scalars as an array: float dtype for plain numbers, object for traced ones."""
    if isinstance(x, Traced) and not isinstance(x, Tensor):
        return boxed(x)
    if isinstance(x, Tensor):
        return np.array(x.data, dtype=float)
    if isinstance(x, (list, tuple, np.ndarray)) and any(isinstance(i, Traced) for i in np.asarray(
            x, dtype=object).reshape(-1)):
        return np.asarray(x, dtype=object)
    return as_numbers(x, what)


def per_argument(x: Any, what: str) -> tuple:
    if not isinstance(x, (tuple, list)):
        raise TypeError(f"{what} must be a tuple with one entry per argument of f, e.g. (2.0,), "
                        f"got {type(x).__name__} {x!r}")
    return tuple(x)


def check_argnums(argnums: Any) -> tuple[bool, tuple[int, ...]]:
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    positions = (argnums,) if single else tuple(argnums) if isinstance(argnums, (tuple, list)) else None
    if not positions or not all(isinstance(p, (int, np.integer)) and not isinstance(p, bool)
                                for p in positions):
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}")
    return single, tuple(int(p) for p in positions)


def stack_rows(vectors: list, width: int | None) -> np.ndarray:
    if not vectors:
        return np.zeros((0, width or 0))
    plain = all(np.asarray(v).dtype != object for v in vectors)
    return np.array(vectors, dtype=float if plain else object)
