"""Derivatives you write yourself: ``primitive``, ``stop_gradient`` and ``checkpoint``.

* ``primitive(forward, partials)`` adds an operation with its own rule, exactly like the built-in ones in
  :mod:`autodiff_nb.rules`: ``forward`` computes the result from plain numbers, ``partials`` gives the
  local derivative towards each input. It then works on floats, arrays, Values, Duals and Tensors.
* ``stop_gradient(x)`` is x with no derivative flowing through it (d stop_gradient(x)/dx = 0).
* ``checkpoint(fn)`` trades time for memory: it keeps none of fn's intermediate nodes and recomputes
  them during the backward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import dual, engine, rules, tensor
from .checks import as_numbers, function
from .dual import Dual
from .engine import Value, apply_rule
from .modes import no_grad, tracing
from .tensor import Tensor
from .traced import TracedScalar, primal


def stop_gradient(x: Any) -> Any:
    """``x`` as a constant: the same value, but no derivative flows through it (in any mode).

    >>> a = Value(3.0); y = a * stop_gradient(a); y.backward(); a.grad
    3.0
    """
    if isinstance(x, Tensor):
        return x.detach()
    if isinstance(x, Value):
        return Value(primal(x), label=x.label)
    if isinstance(x, Dual):
        return primal(x)  # a number: the tangent is gone
    if isinstance(x, np.ndarray) and x.dtype == object:
        return np.vectorize(stop_gradient, otypes=[object])(x)
    as_numbers(x, "stop_gradient(x)")  # a number or an array of numbers is already a constant
    return x


def primitive(forward: Callable[..., Any], partials: Callable[..., Any], name: str | None = None
              ) -> Callable[..., Any]:
    """A new elementwise operation with your own derivative rule.

    ``forward(*inputs)`` computes the output from plain numbers or arrays; ``partials(*inputs)`` returns
    a tuple with one local derivative d output / d input_i per input (elementwise for arrays). E.g. a
    straight-through estimator rounds going forward and passes the gradient unchanged going back:

    >>> round_st = primitive(np.round, lambda x: (1.0,))

    Written with this package's functions (``ad.exp``, ``ad.sigmoid``, ...), ``partials`` can itself be
    differentiated, so the primitive works inside ``grad(grad(f))``; otherwise nesting it says so.
    """
    function("primitive(forward)", forward)
    function("primitive(partials)", partials)
    if name is not None and (not isinstance(name, str) or not name):
        raise TypeError(f"primitive(name) must be a non-empty string, got {type(name).__name__} {name!r}")
    op = name or getattr(forward, "__name__", "primitive")

    def local_partials(*inputs: Any) -> tuple:
        result = partials(*inputs)
        result = tuple(result) if isinstance(result, (tuple, list)) else result
        if not isinstance(result, tuple):
            raise TypeError(f"primitive {op!r}: partials must return a tuple with one local derivative "
                            f"per input ({len(inputs)}), got {type(result).__name__} {result!r}")
        if len(result) != len(inputs):
            raise ValueError(f"primitive {op!r}: partials must return a tuple with one local derivative "
                             f"per input ({len(inputs)}), got {len(result)} values")
        return result

    def checked_forward(*inputs: Any) -> Any:
        out = forward(*inputs)
        if out is None or isinstance(out, (str, bytes, dict)):
            raise TypeError(f"primitive {op!r}: forward must return a number or an array, got "
                            f"{type(out).__name__} {out!r}")
        return out

    def rule(*inputs_and_backend: Any) -> tuple[Any, tuple]:
        *inputs, backend = inputs_and_backend
        if backend is rules.SCALAR:  # a numpy scalar from np.round & co. becomes the engines' float
            out = checked_forward(*inputs)
            return (float(out) if np.ndim(out) == 0 else out), local_partials(*inputs)
        if backend is not rules.TRACED:
            return checked_forward(*inputs), local_partials(*inputs)
        try:
            return checked_forward(*inputs), local_partials(*inputs)
        except ValueError:
            raise
        except Exception as error:
            kinds = ", ".join(type(i).__name__ for i in inputs)
            raise TypeError(f"primitive {op!r} cannot run inside a nested derivative: its forward or "
                            f"partials got {kinds} ({error})") from error

    rule.partials_only = local_partials  # what a create_graph backward needs: no forward re-run

    def apply(*inputs: Any) -> Any:
        if any(isinstance(x, Tensor) for x in inputs):
            return tensor.apply_elementwise(op, rule, *inputs)
        if any(isinstance(x, np.ndarray) and x.dtype == object for x in inputs):
            return np.vectorize(apply, otypes=[object])(*inputs)
        if any(isinstance(x, Value) for x in inputs):
            return apply_rule(op, rule, inputs)
        if any(isinstance(x, Dual) for x in inputs):
            return dual.apply(op, rule, *inputs)
        return checked_forward(*inputs)

    apply.__name__ = apply.__qualname__ = op
    apply.__doc__ = f"{op}: a primitive with its own derivative rule (see autodiff_nb.primitive)."
    return apply


def checkpoint(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` for Value arguments, keeping none of its intermediate nodes: one node stands for the whole
    call, and the backward pass recomputes fn (with recording) to find that node's partials.

    Gradients are the same as without it; the memory of a long chain cut into checkpointed segments
    drops to one segment's graph plus one node per segment, for one extra forward pass per segment.
    """
    function("checkpoint(fn)", fn)
    name = f"checkpoint({getattr(fn, '__name__', 'fn')})"

    def recompute(*inputs_and_backend: Any) -> tuple[Any, Any]:
        *inputs, backend = inputs_and_backend
        traced = backend is rules.TRACED
        leaves = [engine.stand_in(x) if traced and isinstance(x, Value) else Value(x) for x in inputs]
        out = _one_value(fn(*leaves), name)
        adjoints = engine.gradients({out: 1.0}, leaves, traced) if isinstance(out, Value) else {}
        return out if traced else primal(out), tuple(adjoints.get(leaf, 0.0) for leaf in leaves)

    def run(*args: Any) -> Any:
        if any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return _tensor_checkpoint(fn, name, args)
        if not any(isinstance(a, Value) for a in args) or not all(
                type(a.data) is float for a in args if isinstance(a, Value)):
            return fn(*args)  # nothing recorded, or nested derivatives: just compute
        with no_grad():
            out = _one_value(fn(*(a.data if isinstance(a, Value) else a for a in args)), name)
        numbers = [a.data if isinstance(a, Value) else float(a) for a in args]
        children = tuple(a for a in args if isinstance(a, Value))
        items = tuple(a if isinstance(a, Value) else float(a) for a in args)
        positions = [i for i, a in enumerate(args) if isinstance(a, Value)]
        lazy = _Recomputed(recompute, numbers, positions)
        return engine.record(primal(out), name, recompute, children, lazy, items)

    run.__name__ = name
    return run


def _tensor_checkpoint(fn: Callable[..., Any], name: str, args: tuple) -> Tensor:
    """One Tensor node for ``fn(*args)``; its backward rule runs fn again on fresh leaves."""
    with no_grad():
        out = fn(*args)
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}: fn must return a Tensor for Tensor arguments, got {type(out).__name__}")
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]

    def backward(node: Any, upstream: Any, traced: bool) -> tuple:
        call = list(args)
        leaves = [child.reshape(child.shape) if traced else Tensor(child.data, requires_grad=True)
                  for child in node._children]  # traced: identity nodes keep the outer graph
        for position, leaf in zip(positions, leaves):
            call[position] = leaf
        with tracing():
            result = fn(*call)
            return tensor.gradients(result, leaves, grad=upstream, create_graph=traced)

    children = tuple(args[i] for i in positions)
    return tensor.record_result(out.data, name, children, None, backward)


class _Recomputed:
    """A checkpoint node's partials, computed when the backward pass first reads them."""

    __slots__ = ("_recompute", "_numbers", "_positions", "_values")

    def __init__(self, recompute: Callable[..., Any], numbers: list, positions: list) -> None:
        self._recompute, self._numbers, self._positions, self._values = recompute, numbers, positions, None

    def __iter__(self) -> Any:
        if self._values is None:
            _, partials = self._recompute(*self._numbers, rules.SCALAR)
            self._values = tuple(partials[i] for i in self._positions)
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index: int) -> Any:
        return tuple(self)[index]


def _one_value(out: Any, name: str) -> Any:
    if isinstance(out, (TracedScalar, int, float)) and not isinstance(out, bool):
        return out
    raise TypeError(f"{name}: fn must return one number or Value, got {type(out).__name__} {out!r}")
