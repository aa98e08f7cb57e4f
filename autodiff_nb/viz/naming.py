"""How nodes, expressions and numbers are written in graph drawings and trace tables.

Everything here reads a graph only through the public node interface (``.op``, ``.children``,
``.partials``, ``.constants``, ``.label``, ``.data``, ``.shape``) and the one topological sort,
:func:`autodiff_nb.traversal.topological_order`, so it works for ``Value`` and for any node type with
the same attributes (``Tensor``).

Names are deterministic: a node's ``label`` if it has one, else ``v<i>`` with ``i`` its index in the
topological order of the graph being shown. Python's ``id()`` never appears.

A number operand (the 1 in ``b + 1``) is a constant, not a node: the engine records it on the node
that used it, as ``constants = ((position, number), ...)`` (``d = b + 1`` has ``children == (b,)``
and ``constants == ((1, 1.0),)``). Expressions put each number back at its position, so ``d = b + 1``
and ``2 / x`` are written exactly as recorded. Tensor nodes have no ``constants`` (their constants
are leaf nodes of their own).
"""

from __future__ import annotations

from typing import Any

from ..checks import as_float
from ..traced import Traced, primal
from ..traversal import topological_order

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
    """All nodes ``root`` depends on, children before parents (``traversal.topological_order``)."""
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
    """``x`` as a float if it is one real number (float, int, 0-d array), else None (an array, a
    traced number): the drawing then shows a shape or leaves the number out."""
    if type(x) is float:
        return x
    try:
        return as_float(x)
    except TypeError:
        return None


def display_names(order: list) -> dict[int, str]:
    """Map ``id(node)`` to its shown name: the node's label, or ``v<i>`` (its place in ``order``).

    The ``id`` is only used as a dictionary key during one drawing; it is never shown.
    """
    return {id(node): (node.label or f"v{index}") for index, node in enumerate(order)}


def constants_of(node: Any) -> tuple[tuple[int, Any], ...]:
    """The number operands the engine recorded on ``node``: ``((position, number), ...)``."""
    return tuple(getattr(node, "constants", ()))


def constant_text(value: Any, precision: int = 4) -> str:
    """A number operand as written in an expression: '1', '0.5', '(-2)' (negatives in brackets)."""
    number = scalar_of(value)
    if number is None and isinstance(value, Traced):  # a traced number (a derivative of a derivative)
        number = primal(value)
    text = format_number(number, precision) if number is not None else str(value)
    return f"({text})" if text.startswith("-") else text


def operand_texts(node: Any, names: dict[int, str], precision: int = 4) -> list[str]:
    """Every operand of ``node``'s operation in order: children by name, constants as numbers."""
    texts = [names[id(child)] for child in node.children]
    for position, value in sorted(constants_of(node)):
        texts.insert(position, constant_text(value, precision))
    return texts


def op_label(node: Any, precision: int = 4) -> str:
    """The text of an operation node: '*', 'tanh', or with a number operand '+ 1', '2 /', '** 2'."""
    constants = constants_of(node)
    if node.op in INFIX_SYMBOLS and len(constants) == 1 and len(node.children) == 1:
        position, value = constants[0]
        number = constant_text(value, precision)
        return f"{number} {node.op}" if position == 0 else f"{node.op} {number}"
    return node.op  # other operations with numbers (a dot with number inputs) show them in expression()


def expression(node: Any, names: dict[int, str], *, precision: int = 4) -> str:
    """The operation that produced ``node``, in its operands' names: 'a·b', 'b + 1', 'tanh(n)'.

    Returns '' for a leaf.
    """
    if not node.children:
        return ""
    operands = operand_texts(node, names, precision)
    op = node.op
    if op in INFIX_SYMBOLS and len(operands) == 2:
        return INFIX_SYMBOLS[op].join(operands)
    if op == "neg" and len(operands) == 1:
        return f"-{operands[0]}"
    return f"{op}({', '.join(operands)})"
