"""Draw a recorded computation graph with Graphviz.

Each value is a box ``label | data | grad``; each operation is a small circle feeding the value
it produced; the edge from an operand into an operation carries the local partial derivative
recorded at forward time. For e = (a*b)*(b+1) at a=2, b=3 the edge from c into the '*' that
makes e reads ``∂e/∂c = 4``.

Fitting a notebook cell. Left to right, a box stacks its fields and an edge label wraps after the
derivative, so each step of the graph takes little width; ``rankdir='auto'`` turns a long chain top to
bottom when that shows it larger, and the drawing is scaled down to ``max_width`` CSS pixels
(:mod:`autodiff_nb.viz.graph_size`).

Graphviz's layout program ``dot`` is a system program. When it is missing we point the
``graphviz`` package at the pip-installable ``graphviz-pure`` binary if there is one, and otherwise
display the DOT source with a one-line hint instead of failing (see :func:`graphviz_status`).
"""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import graphviz
from graphviz.backend import dot_command

from ..checks import flag, one_of, real_number, whole_number
from .graph_size import GRAPH_WIDTH_PX, PX_PER_INCH, choose_rankdir, fit_svg
from .naming import (
    check_node,
    display_names,
    format_number,
    graph_order,
    is_array_node,
    op_label,
    scalar_of,
)

DEFAULT_MAX_NODES = 150
"""Value nodes drawn before the rest of a graph is collapsed into one "… k more nodes" box."""

HIGHLIGHT_FILL = "#ffd54f"
RANKDIRS = ("auto", "LR", "TB")
TB_RANKSEP = "0.3"  # inches between ranks top to bottom (default 0.5): long chains stay short
FALLBACK_BINARY = "graphviz-pure"
INSTALL_HINT = (
    "Graphviz 'dot' was not found, so here is the DOT source instead of a picture. Install "
    "Graphviz (apt-get install graphviz, brew install graphviz, conda install graphviz) or pip "
    "install graphviz-pure, then restart the kernel."
)
RENDER_FAILED_HINT = "Graphviz could not render this graph ({error}); here is the DOT source."
_RECORD_SPECIAL = re.compile(r"([{}|<>\\])")
_JUPYTER_FORMATS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpeg"}


# --------------------------------------------------------------------------------------------------
# Finding a layout program
# --------------------------------------------------------------------------------------------------

class _Backend:
    """Which program renders DOT in this process, found once and cached (reset with
    :func:`reset_graphviz_backend` after installing Graphviz or changing PATH)."""

    kind: str | None = None  # 'system', 'fallback' or 'missing'
    dot_version: str = ""
    replaced_dot_binary: bool = False


def _dot_version(path: str) -> str:
    """'2.43' from ``dot -V`` (which prints 'dot - graphviz version 2.43.0 (0)' on stderr)."""
    try:
        result = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    match = re.search(r"version (\d+\.\d+)", result.stderr + result.stdout)
    return match.group(1) if match else ""


def _find_fallback() -> str | None:
    """``graphviz-pure`` on PATH, or next to the running Python (a venv not on PATH)."""
    found = shutil.which(FALLBACK_BINARY)
    if found is None:
        found = shutil.which(FALLBACK_BINARY, path=str(pathlib.Path(sys.executable).parent))
    return found


def ensure_graphviz_backend() -> str:
    """Find a layout program once: 'system' (dot on PATH), 'fallback' (graphviz-pure) or 'missing'.

    Only when ``dot`` is absent do we change the graphviz package's ``DOT_BINARY``.
    """
    if _Backend.kind is not None:
        return _Backend.kind
    dot_path = shutil.which("dot")
    if dot_path is not None:
        _Backend.kind, _Backend.dot_version = "system", _dot_version(dot_path)
        return _Backend.kind
    fallback = _find_fallback()
    if fallback is not None:
        dot_command.DOT_BINARY = pathlib.Path(fallback)
        _Backend.replaced_dot_binary = True
        _Backend.kind = "fallback"
    else:
        _Backend.kind = "missing"
    return _Backend.kind


def reset_graphviz_backend() -> None:
    """Forget the cached choice and undo our ``DOT_BINARY`` change; the next drawing looks again."""
    if _Backend.replaced_dot_binary:
        dot_command.DOT_BINARY = pathlib.Path("dot")
    _Backend.kind, _Backend.dot_version, _Backend.replaced_dot_binary = None, "", False


def graphviz_status() -> str:
    """What renders graphs here: 'system dot 2.43', 'graphviz-pure fallback' or 'not found'."""
    kind = ensure_graphviz_backend()
    if kind == "system":
        return f"system dot {_Backend.dot_version}".rstrip()
    if kind == "fallback":
        return "graphviz-pure fallback"
    return "not found"


# --------------------------------------------------------------------------------------------------
# The drawing
# --------------------------------------------------------------------------------------------------

class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that shows itself in Jupyter even without Graphviz installed.

    With a layout program it displays as SVG (warnings from the layout program are kept out of the
    notebook), at most ``max_width`` CSS pixels wide. Without one its ``_repr_mimebundle_`` gives
    ``text/plain``: a one-line install hint followed by the DOT source, instead of raising
    ``graphviz.ExecutableNotFound``.
    """

    shown_values: int = 0
    hidden_values: int = 0
    max_width: float | None = None
    """CSS pixels; the SVG is scaled down to it (its viewBox kept), a PNG by Graphviz's ``size``."""

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        wanted = set(include) if include is not None else {"image/svg+xml"}
        wanted -= set(exclude or ())
        if ensure_graphviz_backend() == "missing":
            return {"text/plain": f"{INSTALL_HINT}\n{self.source}"}
        bundle: dict[str, Any] = {}
        try:
            for mimetype, fmt in _JUPYTER_FORMATS.items():
                if mimetype not in wanted:
                    continue
                if fmt == "svg":
                    svg = self.pipe(format="svg", encoding="utf-8", quiet=True)
                    bundle[mimetype] = fit_svg(svg, self.max_width)
                else:
                    bundle[mimetype] = self._sized().pipe(format=fmt, quiet=True)
        except graphviz.ExecutableNotFound:
            return {"text/plain": f"{INSTALL_HINT}\n{self.source}"}
        except graphviz.CalledProcessError as error:
            hint = RENDER_FAILED_HINT.format(error=f"exit status {error.returncode}")
            return {"text/plain": f"{hint}\n{self.source}"}
        return bundle

    def _sized(self) -> graphviz.Digraph:
        """This drawing with Graphviz's ``size`` (inches; it only shrinks) set to ``max_width``."""
        if self.max_width is None:
            return self
        sized = graphviz.Digraph.copy(self)
        sized.graph_attr["size"] = f"{self.max_width / PX_PER_INCH:.4g},1000"
        return sized

    def copy(self) -> GraphDrawing:
        duplicate = super().copy()
        duplicate.shown_values, duplicate.hidden_values = self.shown_values, self.hidden_values
        duplicate.max_width = self.max_width
        return duplicate

    def __repr__(self) -> str:  # deterministic, unlike the default '<... at 0x7f...>'
        hidden = f", {self.hidden_values} collapsed" if self.hidden_values else ""
        return f"<GraphDrawing: {self.shown_values} value nodes{hidden}>"


def _record_text(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    return _RECORD_SPECIAL.sub(r"\\\1", text)


def _value_fields(node: Any, name: str, show_grad: bool, precision: int) -> list[str]:
    if is_array_node(node):
        return [name, f"shape {tuple(node.shape)}"]
    fields = [name, f"data {format_number(scalar_of(node.data), precision)}"]
    if show_grad:
        grad = getattr(node, "grad", None)
        grad_text = "None" if grad is None else format_number(scalar_of(grad), precision)
        fields.append(f"grad {grad_text}")
    return fields


def _partial_label(node: Any, index: int, names: dict[int, str], precision: int,
                   wrap: bool) -> str | None:
    """'∂e/∂c = 4' for the edge from child ``index`` into ``node``'s operation, if a number;
    with ``wrap``, on two lines ('∂e/∂c' over '= 4')."""
    partials = getattr(node, "partials", None)
    if partials is None or index >= len(partials):
        return None
    partial = scalar_of(partials[index])
    if partial is None:
        return None
    child = node.children[index]
    between = "\\n" if wrap else " "  # DOT's centred line break
    return f"∂{names[id(node)]}/∂{names[id(child)]}{between}= {format_number(partial, precision)}"


def _as_node_set(highlight: Any) -> set[int]:
    if highlight is None:
        return set()
    if hasattr(highlight, "children") and hasattr(highlight, "op"):
        return {id(highlight)}
    try:
        nodes = list(highlight)
    except TypeError:
        raise TypeError(
            f"highlight must be a node or an iterable of nodes, got {type(highlight).__name__}"
        ) from None
    for node in nodes:
        check_node(node, "each highlighted item")
    return {id(node) for node in nodes}


def _as_notes(notes: Any) -> dict[int, str]:
    """``notes`` (a mapping node -> text, or None) keyed by ``id(node)``."""
    if notes is None:
        return {}
    if not isinstance(notes, Mapping):
        raise TypeError(f"notes must be a mapping from nodes to text, got {type(notes).__name__}")
    for node, text in notes.items():
        check_node(node, "each key of notes")
        if not isinstance(text, str):
            raise TypeError(f"notes must map nodes to text (str), got {type(text).__name__} {text!r}")
    return {id(node): text for node, text in notes.items()}


def draw_graph(root: Any, *, show_grad: bool = True, show_partials: bool = True,
               highlight: Any = (), rankdir: str = "auto",
               max_nodes: int | None = DEFAULT_MAX_NODES, precision: int = 4,
               highlight_color: str = HIGHLIGHT_FILL, notes: Any = None,
               max_width: float | None = GRAPH_WIDTH_PX) -> GraphDrawing:
    """The computation graph that produced ``root``, as a ``graphviz.Digraph`` (inline in Jupyter).

    Args:
        root: the output node (a ``Value``, or a tensor node with ``.shape``).
        show_grad: include each value's ``.grad`` in its box.
        show_partials: label each edge operand -> operation with the local partial ∂out/∂operand.
        highlight: a node or nodes to fill with ``highlight_color`` (nodes not drawn are ignored).
        rankdir: 'LR' (left to right), 'TB' (top to bottom) or 'auto': left to right unless a long
            chain reads larger top to bottom (see the module docstring).
        max_nodes: draw at most this many values, the ones nearest the root (the last in
            topological order); the rest become one "… k more nodes" box. None draws everything.
        precision: significant digits of the numbers shown.
        notes: a mapping node -> text, shown as one more line in that node's box (the backprop
            stepper writes each finished node's tangent or adjoint there).
        max_width: the widest the drawing is shown, in CSS pixels (None: its natural size).

    Nodes are named ``v<i>`` (values) and ``op<i>`` (the operation that made value i), i being the
    topological index, so the DOT source is identical on every run.
    """
    check_node(root)
    one_of("rankdir", rankdir, RANKDIRS)
    if max_nodes is not None:
        max_nodes = whole_number("max_nodes", max_nodes, 1)
    precision = whole_number("precision", precision, 1)
    show_grad, show_partials = flag("show_grad", show_grad), flag("show_partials", show_partials)
    if max_width is not None:
        max_width = real_number("max_width", max_width, positive=True)
    shown = _GraphContents(root, max_nodes, _as_node_set(highlight), _as_notes(notes), show_grad,
                           show_partials, precision, highlight_color)
    can_lay_out = ensure_graphviz_backend() != "missing"
    if rankdir == "auto":
        left_to_right = shown.drawing("LR")
        rankdir = "LR" if max_width is None or not can_lay_out else choose_rankdir(
            left_to_right, lambda: shown.drawing("TB"), max_width)
        dot = left_to_right if rankdir == "LR" else shown.drawing("TB")
    else:
        dot = shown.drawing(rankdir)
    dot.max_width = max_width
    return dot


class _GraphContents:
    """What a drawing shows (nodes, names, options), drawable in either direction."""

    def __init__(self, root: Any, max_nodes: int | None, highlighted: set[int],
                 notes: dict[int, str], show_grad: bool, show_partials: bool, precision: int,
                 highlight_color: str) -> None:
        self.order = graph_order(root)
        self.names = display_names(self.order)
        self.index_of = {id(node): index for index, node in enumerate(self.order)}
        self.first_shown = 0 if max_nodes is None else max(0, len(self.order) - max_nodes)
        self.highlighted, self.notes = highlighted, notes
        self.show_grad, self.show_partials = show_grad, show_partials
        self.precision, self.highlight_color = precision, highlight_color

    def drawing(self, rankdir: str) -> GraphDrawing:
        """Left to right a box's fields are stacked (records lay fields across the rank
        direction) and edge labels wrap; top to bottom they stay on one line."""
        order, first_shown = self.order, self.first_shown
        graph_attr = {"rankdir": rankdir}
        if rankdir == "TB":
            graph_attr["ranksep"] = TB_RANKSEP
        dot = GraphDrawing(
            graph_attr=graph_attr,
            node_attr={"fontname": "Helvetica", "fontsize": "11"},
            edge_attr={"fontname": "Helvetica", "fontsize": "9"},
        )
        dot.shown_values, dot.hidden_values = len(order) - first_shown, first_shown
        if first_shown:
            hidden = "node" if first_shown == 1 else "nodes"
            dot.node("more", f"… {first_shown} more {hidden}", shape="box", style="dashed")
        for index in range(first_shown, len(order)):
            self._draw_value(dot, index, wrap=rankdir == "LR")
        return dot

    def _draw_value(self, dot: GraphDrawing, index: int, wrap: bool) -> None:
        node, names = self.order[index], self.names
        fields = _value_fields(node, names[id(node)], self.show_grad, self.precision)
        if id(node) in self.notes:
            fields.append(self.notes[id(node)])
        attrs = {"shape": "record"}
        if id(node) in self.highlighted:
            attrs.update(style="filled", fillcolor=self.highlight_color)
        dot.node(f"v{index}", " | ".join(_record_text(text) for text in fields), **attrs)
        if not node.children:
            return
        op_name = f"op{index}"
        dot.node(op_name, op_label(node, self.precision), shape="circle", width="0.3")
        collapsed_edge = False
        for position, child in enumerate(node.children):
            child_index = self.index_of[id(child)]
            if child_index < self.first_shown:
                if not collapsed_edge:
                    dot.edge("more", op_name, style="dashed")
                    collapsed_edge = True
                continue
            partial = (_partial_label(node, position, names, self.precision, wrap)
                       if self.show_partials else None)
            if partial is None:
                dot.edge(f"v{child_index}", op_name)
            else:
                dot.edge(f"v{child_index}", op_name, label=partial)
        dot.edge(op_name, f"v{index}")
