"""Forward-mode and reverse-mode trace tables, computed from the partials recorded in a graph.

For e = (a*b)*(b+1) at a=2, b=3, seeded at a, the forward table reads

    node        value  ∂·/∂a  rule
    a               2      1  seed
    b               3      0  constant w.r.t. a
    c = a·b         6      3  3·1 + 2·0
    d = b + 1       4      0  no path from a
    e = c·d        24     12  4·3 + 6·0

Forward mode pushes tangents from the inputs to the output,
``tangent(node) = Σ_i ∂node/∂child_i · tangent(child_i)``; the rule column spells out that sum
(partial·tangent per operand). Reverse mode pulls adjoints from the output back to the inputs,
``adjoint(child) = Σ over consumers p of adjoint(p) · ∂p/∂child``; its rule column lists each
consumer's contribution. Neither touches ``.grad``.

Every node gets a row (numbers such as the 1 in b + 1 are constants, not nodes). Pass ``upto=k``
(or call ``.upto(k)``) to fill only the first k rows, e.g. to step through a sweep in a widget.
"""

from __future__ import annotations

import html
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..checks import whole_number
from .naming import (
    check_node,
    display_names,
    expression,
    format_number,
    graph_order,
    is_array_node,
    scalar_of,
)


@dataclass(frozen=True)
class ForwardRow:
    """One node of a forward sweep: its value and its tangent ∂node/∂seed."""

    label: str
    expression: str
    value: float
    tangent: float
    rule: str
    node: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ReverseRow:
    """One node of a reverse sweep: its value and its adjoint ∂root/∂node."""

    label: str
    expression: str
    value: float
    adjoint: float
    rule: str
    node: Any = field(default=None, repr=False, compare=False)


RowT = TypeVar("RowT", ForwardRow, ReverseRow)


class Trace(Generic[RowT]):
    """A trace table: ``.rows`` (filled in so far), ``.all_rows``, and Jupyter/text views."""

    derivative_field = ""

    def __init__(self, title: str, derivative_header: str, all_rows: list[RowT],
                 upto: int | None = None, precision: int = 4) -> None:
        self.title = title
        self.derivative_header = derivative_header
        self.all_rows = list(all_rows)
        self.precision = precision
        self.filled = len(self.all_rows) if upto is None else _check_upto(upto, len(self.all_rows))

    @property
    def rows(self) -> list[RowT]:
        """The rows computed so far (all of them unless ``upto`` was given)."""
        return self.all_rows[:self.filled]

    def upto(self, k: int) -> Trace[RowT]:
        """The same table with only the first ``k`` rows filled in (a step of the sweep)."""
        return type(self)(self.title, self.derivative_header, self.all_rows, k, self.precision)

    def __len__(self) -> int:
        return len(self.all_rows)

    def _cells(self, row: RowT, filled: bool) -> list[str]:
        name = f"{row.label} = {row.expression}" if row.expression else row.label
        show_value = filled or self.derivative_field == "adjoint"  # values exist before the sweep
        value = format_number(row.value, self.precision) if show_value else ""
        derivative = getattr(row, self.derivative_field)
        if not filled:
            return [name, value, "", ""]
        return [name, value, format_number(derivative, self.precision), row.rule]

    def _table(self) -> list[list[str]]:
        return [self._cells(row, index < self.filled) for index, row in enumerate(self.all_rows)]

    def __str__(self) -> str:
        header = ["node", "value", self.derivative_header, "rule"]
        table = [header, *self._table()]
        widths = [max(len(line[column]) for line in table) for column in range(4)]
        lines = [self.title]
        for line in table:
            cells = [line[0].ljust(widths[0]), line[1].rjust(widths[1]),
                     line[2].rjust(widths[2]), line[3]]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        """A compact table: numbers right-aligned in monospace, a gap between columns, no line
        breaks inside a formula, the title on one line above it; the current row shaded."""
        gap = "padding:1px 14px 1px 0;white-space:nowrap;line-height:1.35"
        right = f"text-align:right;font-family:monospace;{gap}"
        left = f"text-align:left;{gap}"
        head = "".join(
            f"<th style='{right if column in (1, 2) else left}'>{html.escape(text)}</th>"
            for column, text in enumerate(["node", "value", self.derivative_header, "rule"])
        )
        body = []
        for index, cells in enumerate(self._table()):
            current = index == self.filled - 1 and self.filled < len(self.all_rows)
            style = " style='background:#fff3c4'" if current else ""
            tds = "".join(
                f"<td style='{right if column in (1, 2) else left}'>{html.escape(text)}</td>"
                for column, text in enumerate(cells)
            )
            body.append(f"<tr{style}>{tds}</tr>")
        caption = ("<caption style='caption-side:top;text-align:left;white-space:nowrap;"
                   f"line-height:1.35;padding:0 0 4px 0'>{html.escape(self.title)}</caption>")
        return (f"<table class='autodiff-trace' style='border-collapse:collapse;margin:0'>"
                f"{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


class ForwardTrace(Trace[ForwardRow]):
    derivative_field = "tangent"


class ReverseTrace(Trace[ReverseRow]):
    derivative_field = "adjoint"


def _check_upto(upto: Any, total: int) -> int:
    return min(whole_number("upto", upto, 0), total)


def _scalar_graph(root: Any) -> list:
    order = graph_order(root)
    for node in order:
        if is_array_node(node) or not hasattr(node, "partials"):
            name = f" {node.label!r}" if getattr(node, "label", "") else ""
            raise TypeError(
                f"trace tables need a graph of scalar nodes with recorded .partials "
                f"(autodiff_nb.Value); found a {type(node).__name__}{name}"
            )
    return order


def _find_seed(seed: Any, order: list) -> Any:
    if isinstance(seed, str):
        matches = [node for node in order if node.label == seed]
        if len(matches) != 1:
            problem = "no node" if not matches else f"{len(matches)} nodes"
            raise ValueError(f"seed {seed!r}: {problem} with that label in the graph")
        return matches[0]
    check_node(seed, "seed")
    if not any(node is seed for node in order):
        raise ValueError(f"seed {seed!r} is not part of the graph that produced root")
    return seed


def forward_trace(root: Any, seed: Any, *, upto: int | None = None,
                  precision: int = 4) -> ForwardTrace:
    """The forward-mode table for ∂(node)/∂seed, pushing tangents through the recorded partials.

    ``tangent(seed) = 1``, other leaves 0, ``tangent(node) = Σ_i partials[i] · tangent(child_i)``.
    ``seed`` is a node of root's graph, or its label. Rows come in topological order.
    """
    precision = whole_number("precision", precision, 1)
    order = _scalar_graph(root)
    seed = _find_seed(seed, order)
    names = display_names(order)
    seed_name = names[id(seed)]
    tangent: dict[int, float] = {}
    depends: dict[int, bool] = {}
    rows = []
    for node in order:
        key = id(node)
        if node is seed:
            tangent[key], depends[key], rule = 1.0, True, "seed"
        elif not node.children:
            tangent[key], depends[key], rule = 0.0, False, f"constant w.r.t. {seed_name}"
        else:
            total, terms = 0.0, []
            for child, partial in zip(node.children, node.partials, strict=True):
                partial = scalar_of(partial)
                if depends[id(child)]:  # skip 0·partial: it may be nan (∂(x**y)/∂y, x < 0)
                    total += partial * tangent[id(child)]
                terms.append(f"{format_number(partial, precision)}·"
                             f"{format_number(tangent[id(child)], precision)}")
            tangent[key] = total
            depends[key] = any(depends[id(child)] for child in node.children)
            rule = " + ".join(terms) if depends[key] else f"no path from {seed_name}"
        rows.append(ForwardRow(names[key], expression(node, names, precision=precision),
                               float(node.data), tangent[key], rule, node))
    title = f"Forward mode, seed {seed_name}: tangent = ∂(node)/∂{seed_name}"
    return ForwardTrace(title, f"∂·/∂{seed_name}", rows, upto, precision)


def reverse_order(root: Any) -> list:
    """The order a reverse sweep finishes nodes in: each after all its consumers.

    Operations first, breadth-first from the root (a node is ready once every operation that used it
    has passed its adjoint on), then the leaves in forward order.
    """
    return _sweep_order(root, _scalar_graph(root))


def _sweep_order(root: Any, order: list) -> list:
    consumers_left: dict[int, int] = {}
    for node in order:
        for child in node.children:
            consumers_left[id(child)] = consumers_left.get(id(child), 0) + 1
    swept, ready = [], deque([root] if root.children else [])
    while ready:
        node = ready.popleft()
        swept.append(node)
        for child in node.children:
            consumers_left[id(child)] -= 1
            if consumers_left[id(child)] == 0 and child.children:
                ready.append(child)
    return swept + [node for node in order if not node.children]


def reverse_trace(root: Any, *, upto: int | None = None, precision: int = 4) -> ReverseTrace:
    """The reverse-mode table of adjoints ∂root/∂node from the recorded partials (``.grad`` kept).

    ``adjoint(root) = 1`` and each operation adds ``adjoint(node) · partials[i]`` to child i.
    Rows come in the order the sweep finishes them (see :func:`reverse_order`).
    """
    precision = whole_number("precision", precision, 1)
    order = _scalar_graph(root)
    names = display_names(order)
    adjoint: dict[int, float] = {id(node): 0.0 for node in order}
    contributions: dict[int, list[str]] = {id(node): [] for node in order}
    adjoint[id(root)] = 1.0
    rows = []
    for node in _sweep_order(root, order):
        key = id(node)
        for child, partial in zip(node.children, node.partials, strict=True):
            partial = scalar_of(partial)
            adjoint[id(child)] += adjoint[key] * partial
            contributions[id(child)].append(
                f"{format_number(adjoint[key], precision)}·{format_number(partial, precision)}"
                f" from {names[key]}"
            )
        rule = "seed" if node is root else " + ".join(contributions[key])
        rows.append(ReverseRow(names[key], expression(node, names, precision=precision),
                               float(node.data), adjoint[key], rule, node))
    root_name = names[id(root)]
    title = f"Reverse mode from {root_name}: adjoint = ∂{root_name}/∂(node)"
    return ReverseTrace(title, f"∂{root_name}/∂·", rows, upto, precision)
