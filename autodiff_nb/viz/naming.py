"""How nodes, expressions and numbers are written in graph drawings and trace tables.

Everything here reads a graph only through the public node interface (``.op``, ``.children``,
``.label``, ``.data``, ``.shape``) and :func:`autodiff_nb.engine.topological_order`, so it works for
``Value`` and for any node type that offers the same attributes (``Tensor``).

Names are deterministic: a node's ``label`` if it has one, else ``v<i>`` with ``i`` its index in the
topological order of the graph being shown. Python's ``id()`` never appears.
"""

from __future__ import annotations

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


def is_constant(node: Any) -> bool:
    """An unlabelled leaf, e.g. the 1 in ``b + 1``: written by its value rather than by a name."""
    return not node.children and not node.label


def is_array_node(node: Any) -> bool:
    """True for tensor nodes with at least one dimension (drawn with their shape, not their values)."""
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
    """Map ``id(node)`` to its shown name: the node's label, or ``v<i>`` from its place in ``order``.

    The ``id`` is only used as a dictionary key during one drawing; it is never shown.
    """
    return {id(node): (node.label or f"v{index}") for index, node in enumerate(order)}


def operand_text(node: Any, names: dict[int, str], inline_constants: bool, precision: int) -> str:
    if inline_constants and is_constant(node) and not is_array_node(node):
        text = format_number(node.data, precision)
        return f"({text})" if text.startswith("-") else text
    return names[id(node)]


def expression(node: Any, names: dict[int, str], *, inline_constants: bool = True,
               precision: int = 4) -> str:
    """The operation that produced ``node`` written with its operands' names: 'a·b', 'b + 1', 'tanh(n)'.

    Returns '' for a leaf.
    """
    if not node.children:
        return ""
    operands = [operand_text(child, names, inline_constants, precision) for child in node.children]
    op = node.op
    if op in INFIX_SYMBOLS and len(operands) == 2:
        return INFIX_SYMBOLS[op].join(operands)
    if op == "neg" and len(operands) == 1:
        return f"-{operands[0]}"
    return f"{op or '?'}({', '.join(operands)})"
