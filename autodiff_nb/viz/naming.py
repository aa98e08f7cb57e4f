"""How nodes, expressions and numbers are written in graph drawings and trace tables.

Everything here reads a graph only through the public node interface (``.op``, ``.children``,
``.partials``, ``.label``, ``.data``, ``.shape``) and :func:`autodiff_nb.engine.topological_order`,
so it works for ``Value`` and for any node type with the same attributes (``Tensor``).

Names are deterministic: a node's ``label`` if it has one, else ``v<i>`` with ``i`` its index in the
topological order of the graph being shown. Python's ``id()`` never appears.

A number operand (the 1 in ``b + 1``) is a constant, not a node: the engine records only the Value
operand and its partial. To still write ``d = b + 1`` we recover the number from the recorded value
and partial (for b + c: c = d - b; for b * c: c = ∂d/∂b, ...) and keep it only if recomputing the
operation with it gives the recorded value back; otherwise the number is shown as '?'.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..engine import topological_order

INFIX_SYMBOLS = {"+": " + ", "-": " - ", "*": "·", "/": "/", "**": "^"}
"""How a binary operation is written between its operands ("c = a·b")."""


def check_node(root: Any, what: str = "root") -> None:
    """Raise a TypeError unless ``root`` looks like a graph node (has ``.op`` and ``.children``)."""
    if not (hasattr(root, "children") and hasattr(root, "op")):
        raise TypeError(
            f"{what} must be a graph node such as autodiff_nb.Value (with .op and .children), "
            f"got {type(root).__name__} {root!r}"
        )


def graph_order(root: Any) -> list:
    """All nodes ``root`` depends on, children before parents (see ``engine.topological_order``)."""
    check_node(root)
    return topological_order(root)


def format_number(x: Any, precision: int = 4) -> str:
    """``x`` with ``precision`` significant digits: 24 -> '24', 1/3 -> '0.3333', 1e-9 -> '1e-09'."""
    return f"{float(x) + 0.0:.{precision}g}"  # + 0.0 turns -0.0 into 0.0


def is_array_node(node: Any) -> bool:
    """True for tensor nodes with at least one dimension (drawn with their shape, not values)."""
    shape = getattr(node, "shape", None)
    return shape is not None and len(shape) > 0


def scalar_of(x: Any) -> float | None:
    """``x`` as a float if it is one real number (float, int, 0-d array), else None."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and np.issubdtype(x.dtype, np.number):
        return float(x)
    return None


def display_names(order: list) -> dict[int, str]:
    """Map ``id(node)`` to its shown name: the node's label, or ``v<i>`` (its place in ``order``).

    The ``id`` is only used as a dictionary key during one drawing; it is never shown.
    """
    return {id(node): (node.label or f"v{index}") for index, node in enumerate(order)}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _candidates(op: str, out: float, x: float, partial: float) -> list[tuple[float, bool]]:
    """Possible (constant, constant_is_left) for ``out = x op c`` or ``out = c op x``."""
    if op == "+":
        return [(out - x, False)]
    if op == "*":
        return [(partial, False)]
    if op == "-":
        return [(x - out, False)] if partial > 0 else [(out + x, True)]
    if op == "/":
        found = []
        if partial != 0:
            found.append((1.0 / partial, False))  # x / c: partial 1/c
        found.append((out * x, True))  # c / x
        return found
    if op == "**":
        found = []
        if x != 0 and out != 0:
            found.append((partial * x / out, False))  # x ** c: partial c x^(c-1)
        if out > 0 and partial / out < 700:
            found.append((math.exp(partial / out), True))  # c ** x: partial out ln c
        return found
    return []


def _recompute(op: str, left: float, right: float) -> float | None:
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        result = left ** right
        return None if isinstance(result, complex) else float(result)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None


def constant_operand(node: Any) -> tuple[float | None, bool] | None:
    """For a binary operation recorded with one Value operand: (the number, number is on the left).

    The number is None when it cannot be recovered. Returns None for anything else, including
    nodes without one scalar partial (tensors).
    """
    if node.op not in INFIX_SYMBOLS or len(node.children) != 1:
        return None
    partials = getattr(node, "partials", ())
    partial = scalar_of(partials[0]) if len(partials) == 1 else None
    out, x = scalar_of(node.data), scalar_of(node.children[0].data)
    if out is None or x is None or partial is None:
        return None
    if not all(math.isfinite(v) for v in (out, x, partial)):
        return None, False
    for constant, on_left in _candidates(node.op, out, x, partial):
        left, right = (constant, x) if on_left else (x, constant)
        recomputed = _recompute(node.op, left, right)
        if recomputed is not None and _same(recomputed, out):
            return constant, on_left
    return None, False


def _number_text(value: float | None, precision: int) -> str:
    if value is None:
        return "?"
    text = format_number(value, precision)
    return f"({text})" if text.startswith("-") else text


def op_label(node: Any, precision: int = 4) -> str:
    """The text of an operation node: '*', 'tanh', or with a number operand '+ 1', '2 /', '** 2'."""
    constant = constant_operand(node)
    if constant is None:
        return node.op or "?"
    value, on_left = constant
    number = _number_text(value, precision)
    return f"{number} {node.op}" if on_left else f"{node.op} {number}"


def expression(node: Any, names: dict[int, str], *, precision: int = 4) -> str:
    """The operation that produced ``node``, in its operands' names: 'a·b', 'b + 1', 'tanh(n)'.

    Returns '' for a leaf.
    """
    if not node.children:
        return ""
    operands = [names[id(child)] for child in node.children]
    op = node.op
    constant = constant_operand(node)
    if constant is not None:
        value, on_left = constant
        number = _number_text(value, precision)
        operands = [number, operands[0]] if on_left else [operands[0], number]
    if op in INFIX_SYMBOLS and len(operands) == 2:
        return INFIX_SYMBOLS[op].join(operands)
    if op == "neg" and len(operands) == 1:
        return f"-{operands[0]}"
    return f"{op or '?'}({', '.join(operands)})"
