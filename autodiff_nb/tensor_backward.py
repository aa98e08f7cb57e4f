"""How gradients flow back through a graph of Tensors: the one backward loop of the tensor engine.

``backpropagate(root, seed, traced)`` sorts the nodes below ``root`` that need gradients (children
before parents, :func:`autodiff_nb.traversal.topological_order`) and visits them from the root down.
Each node's backward rule turns the upstream gradient dL/dnode into one contribution per child, and
each child's gradient is the sum of its contributions. ``Tensor.backward`` writes the result into the
``.grad`` attributes; :func:`gradients` returns it and touches no ``.grad``.

The same loop differentiates twice. With ``traced=True`` the upstream gradients are Tensors and every
rule runs on Tensors, so the gradient is itself a recorded graph. Elementwise rules then recompute their
partials from the operand Tensors with the same rule from :mod:`autodiff_nb.rules` (backend
``TRACED``, which calls the Tensors' own methods).

This module works on any node with the Tensor fields (``_children``, ``_backward``, ``_saved``,
``requires_grad``, ``data``); it never imports the Tensor class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import rules
from .checks import as_array, flag
from .modes import MODES, check_backward, quiet, restore
from .tensor_ops import unbroadcast
from .traced import Traced
from .traversal import topological_order

Rule = Callable[..., tuple]  # rule(*operands, backend) -> (out, partials), as in rules.py
_TRACED = rules.TRACED
_EMPTY: tuple = ()


# --------------------------------------------------------------------------------------------------
# The backward rule of every elementwise operation
# --------------------------------------------------------------------------------------------------

def elementwise_backward(op: str, rule: Rule) -> Callable:
    """The backward rule of the elementwise operation ``op`` whose forward rule is ``rule``.

    out = f(x, y, ...):  dL/dx = df/dx * dL/dout, elementwise, for each operand, then summed over the
    axes along which that operand was broadcast. The partials df/dx are the ones the rule computed
    in the forward pass (saved on the node); in a traced pass they are computed again by the same
    rule on the operand Tensors, so that they are recorded too.
    """
    def backward(node: Any, upstream: Any, traced: bool) -> Any:
        if not traced and len(node._saved) == 1:  # one operand, same shape as out: nothing to sum
            return (upstream * node._saved[0],)
        partials = node._saved
        if traced and not all(type(p) is float for p in partials):  # constants (+, -) stay as they are
            partials = traced_partials(op, rule, node)
        grads = []
        for child, partial in zip(node._children, partials):
            if child.requires_grad:
                # + and - have the partial 1.0: pass the gradient through without multiplying
                g = upstream if type(partial) is float and partial == 1.0 else upstream * partial
                shape = child.data.shape
                grads.append(g if g.shape == shape else unbroadcast(g, shape))
            else:
                grads.append(None)
        return grads

    return backward


def traced_partials(op: str, rule: Rule, node: Any) -> tuple:
    """The node's partials recomputed by its rule from the operand Tensors (so they are recorded).

    A rule with a ``partials_only(*operands)`` attribute (``autodiff_nb.primitive`` gives one) is asked
    for the partials alone, so its forward function need not run on Tensors.
    """
    only = getattr(rule, "partials_only", None)
    try:
        partials = only(*node._children) if only is not None else rule(*node._children, _TRACED)[1]
    except Exception as error:
        raise TypeError(
            f"the derivative rule of {op!r} cannot be differentiated twice: it failed on Tensors "
            f"(create_graph / nested derivatives need a rule written with the backend's functions "
            f"m.exp, m.log, ... and arithmetic operators): {type(error).__name__}: {error}"
        ) from error
    check_partials(op, partials, len(node._children))
    return partials


def check_partials(op: str, partials: Any, expected: int) -> None:
    """A rule must give exactly one partial per operand."""
    if not isinstance(partials, (tuple, list)) or len(partials) != expected:
        got = len(partials) if isinstance(partials, (tuple, list)) else type(partials).__name__
        raise ValueError(f"the rule of {op!r} must give one partial per operand ({expected}), got {got}")


def checked_rule_result(op: str, result: Any, operands: int, shape: tuple) -> tuple:
    """``(out, partials)`` from a rule of your own (``apply_elementwise``), checked: one partial per
    operand, ``out`` of the operands' broadcast ``shape``, each partial broadcastable to it."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise TypeError(f"the rule of {op!r} must return (out, partials), got {result!r}")
    out, partials = result
    check_partials(op, partials, operands)
    out = as_array(out, f"the result of {op!r}")
    if out.shape != shape:
        raise ValueError(f"the rule of {op!r} gave a result of shape {out.shape}; an elementwise "
                         f"operation on operands of these shapes gives {shape}")
    for i, partial in enumerate(partials):
        try:
            fits = np.broadcast_shapes(np.shape(partial), shape) == shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"the rule of {op!r} gave partial {i} of shape {np.shape(partial)} "
                             f"for a result of shape {shape}; elementwise partials must fit it")
    return out, tuple(partials)


# --------------------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------------------

def _operands_of_rule(node: Any) -> tuple:
    """Where the sort goes from ``node``: into the operands of a node with a backward rule. Constants
    and data have no rule, so nothing below them is visited (they need no gradient)."""
    return node._children if node._backward is not None else _EMPTY


def backpropagate(root: Any, seed: Any, traced: bool) -> dict:
    """dL/dnode for every node below ``root`` that requires gradients, starting from dL/droot = seed.

    Plain (``traced=False``): the rules run on arrays. Traced: on Tensors, so every gradient is
    recorded (also inside ``no_grad()``: it was asked for). Anomaly mode checks every contribution
    and every sum: a hook on this loop.
    """
    if not root.requires_grad:
        return {}
    order = topological_order(root, children=_operands_of_rule)
    grads: dict = {root: seed}
    check = _check_contributions if MODES.anomaly else None
    token = quiet()  # IEEE results (inf, nan) without warnings
    recording = MODES.grad_enabled
    MODES.grad_enabled = recording or traced  # a traced pass records even inside no_grad()
    try:
        for node in reversed(order):
            rule = node._backward
            if rule is None:  # a leaf or a constant: nothing to pass on
                continue
            upstream = grads[node]
            contributions = rule(node, upstream, traced)
            for child, g in zip(node._children, contributions):
                if g is None:
                    continue
                dtype = child.data.dtype
                if g.dtype is not dtype and g.dtype != dtype:  # a float32 leaf in a float64 expression
                    g = g._astype(dtype) if traced else g.astype(dtype)
                old = grads.get(child)
                if old is None:
                    if not (traced or child._children) and (g is upstream or not g.flags.owndata):
                        g = np.array(g)  # a leaf gets its own, writable gradient array
                    grads[child] = g
                else:
                    grads[child] = old + g
            if check is not None:
                check(node, contributions, upstream, grads)
    finally:
        MODES.grad_enabled = recording
        restore(token)
    return grads


def _check_contributions(node: Any, contributions: Sequence, upstream: Any, grads: dict) -> None:
    """Anomaly mode: every gradient sent, and every sum of them, must be finite."""
    for index, (child, g) in enumerate(zip(node._children, contributions, strict=True)):
        if g is not None:
            check_backward(node, index, child, g, upstream, grads[child])


def seed(root: Any, grad: Any, traced: bool, what: str) -> Any:
    """dL/droot to start from: ``grad``, or 1 for a one-element ``root``; a Tensor when traced."""
    if grad is None:
        if root.data.size != 1:
            raise ValueError(
                f"{what}() without a grad argument needs a one-element tensor (a loss), but "
                f"this one has shape {root.shape}; reduce it first (e.g. .sum()) or pass grad= "
                "of that shape"
            )
        start = np.ones_like(root.data)
    elif traced and _is_tensor(grad):  # a recorded cotangent: the result depends on it too
        start = grad if grad.dtype == root.dtype else grad._astype(root.dtype)
    else:
        start = np.array(as_array(grad.data if _is_tensor(grad) else grad, f"{what}(grad)",
                                  root.data.dtype))
    if start.shape != root.shape:
        raise ValueError(f"{what}(grad): grad has shape {start.shape} but the tensor has {root.shape}")
    return type(root)(start) if traced and not _is_tensor(start) else start


def _is_tensor(x: Any) -> bool:
    return isinstance(x, Traced) and hasattr(x, "_backward")


def gradients(output: Any, inputs: Any, grad: Any = None, create_graph: bool = False) -> tuple:
    """d output / d input for each of ``inputs``, as a tuple (like ``torch.autograd.grad``).

    ``grad`` is dL/doutput to start from (1 for a one-element output), so the entries are
    vector-Jacobian products ``grad . d output / d input``. No ``.grad`` attribute is read or
    written. The entries are arrays, or Tensors recorded from the inputs with ``create_graph=True``
    (differentiate them again for second derivatives). An input the output does not depend on gets
    zeros; every input must be a Tensor with ``requires_grad=True`` (or a result computed from one).
    """
    if not _is_tensor(output):
        raise TypeError(f"gradients(output): output must be a Tensor, got {type(output).__name__}")
    inputs = (inputs,) if _is_tensor(inputs) else tuple(inputs)
    for i, x in enumerate(inputs):
        if not _is_tensor(x):
            raise TypeError(f"gradients(inputs): inputs[{i}] must be a Tensor, got {type(x).__name__}")
        if not x.requires_grad:
            raise ValueError(f"gradients(inputs): inputs[{i}] does not require gradients; create it "
                             "with requires_grad=True")
    create_graph = flag("gradients: create_graph", create_graph)
    grads = backpropagate(output, seed(output, grad, create_graph, "gradients"), create_graph)
    results = []
    handed_out: set = set()
    for x in inputs:
        g = grads.get(x)
        if g is None:
            g = np.zeros_like(x.data)
            g = type(x)(g) if create_graph else g
        elif not create_graph and (id(g) in handed_out or not g.flags.owndata):
            g = np.array(g)  # every entry its own array
        handed_out.add(id(g))
        results.append(g)
    return tuple(results)
