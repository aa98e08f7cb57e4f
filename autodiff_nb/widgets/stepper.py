"""Explorer 4: step through a forward-mode or reverse-mode sweep of a recorded graph, node by node.

Forward mode visits the nodes children-first and fills in each node's tangent ∂node/∂seed from its
children's; reverse mode starts at the root with adjoint 1 and finishes each node once every node
that used it has passed its share back. The graph (``viz.draw_graph``) highlights the node of the
current step and the trace table (``viz.forward_trace`` / ``viz.reverse_trace``) fills in row by
row.
Any graph built from ``Value``s works; the default examples are the text's two worked examples.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets

from ..engine import Value
from ..viz.graph import draw_graph
from ..viz.naming import display_names, graph_order
from ..viz.trace import Trace, forward_trace, reverse_trace
from .view import ExplorerView, png_pixels

MODES = ("forward", "reverse")
_SVG_START = re.compile(r"<svg\b", re.IGNORECASE)


def product_example() -> Value:
    """e = (a·b)·(b + 1) at a = 2, b = 3 (e = 24, ∂e/∂a = 12, ∂e/∂b = 14)."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    d = b + 1
    e = c * d
    c.label, d.label, e.label = "c", "d", "e"
    return e


def sum_of_products_example() -> Value:
    """V = xy + z(x + y) at x = 2, y = 3, z = 4: V = 26, ∂V/∂x = y + z = 7, ∂V/∂y = 6, ∂V/∂z = 5."""
    x, y, z = Value(2.0, label="x"), Value(3.0, label="y"), Value(4.0, label="z")
    w1 = x * y
    w2 = x + y
    w3 = w2 * z
    v = w1 + w3
    w1.label, w2.label, w3.label, v.label = "w1", "w2", "w3", "V"
    return v


EXAMPLES: dict[str, Callable[[], Value]] = {
    "e = (a·b)·(b + 1), a = 2, b = 3": product_example,
    "V = xy + z(x + y), x = 2, y = 3, z = 4": sum_of_products_example,
}


class BackpropStepper:
    """A recorded graph, a mode ('forward' or 'reverse'), a seed leaf for forward mode and a step.

    Step 0 is before the sweep; step k means the first k rows of the trace are done, and
    ``current_node`` is the node finished last.

    >>> stepper = BackpropStepper(product_example(), mode="reverse")
    >>> stepper.total, stepper.next(), stepper.current_node.label
    (5, True, 'e')
    """

    def __init__(self, root: Any, mode: str = "reverse", seed: Any = None) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"the stepper walks a graph of autodiff_nb.Value nodes; got "
                            f"{type(root).__name__} {root!r}")
        self.root = root
        self._order = graph_order(root)
        self._names = display_names(self._order)
        self._traces: dict[tuple[str, int], Trace] = {}
        self._mode = "reverse"
        self._seed = self.inputs()[0] if self.inputs() else root
        self.mode = mode
        if seed is not None:
            self.seed = seed
        self.step = 0

    # -- settings ------------------------------------------------------------------------------
    def inputs(self) -> list[Value]:
        """The leaves a forward sweep can be seeded at: labelled leaves (unlabelled ones are
        constants such as the 1 in b + 1), in graph order."""
        return [node for node in self._order if not node.children and node.label]

    def name(self, node: Value) -> str:
        """The node's label, or 'v<i>' by its place in the graph (as in the drawings and tables)."""
        return self._names[id(node)]

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be 'forward' or 'reverse', got {mode!r}")
        self._mode = mode
        self.step = 0

    @property
    def seed(self) -> Value:
        """The input forward mode differentiates with respect to (tangent 1 there, 0 elsewhere)."""
        return self._seed

    @seed.setter
    def seed(self, seed: Any) -> None:
        if isinstance(seed, str):
            matches = [node for node in self._order if self.name(node) == seed]
            if not matches:
                raise ValueError(f"no node named {seed!r}; inputs are "
                                 f"{[self.name(n) for n in self.inputs()]}")
            seed = matches[0]
        if not any(seed is node for node in self._order) or not isinstance(seed, Value) \
                or seed.children:
            raise ValueError(f"the seed must be a leaf of the graph, got {seed!r}")
        self._seed = seed
        self.step = 0

    # -- walking -------------------------------------------------------------------------------
    def trace(self) -> Trace:
        """The trace table of the current mode with the first ``step`` rows filled in."""
        key = (self.mode, id(self.seed))
        if key not in self._traces:
            self._traces[key] = (forward_trace(self.root, self.seed) if self.mode == "forward"
                                 else reverse_trace(self.root))
        return self._traces[key].upto(self.step)

    @property
    def total(self) -> int:
        """How many steps the sweep has (one per row of the table)."""
        return len(self.trace())

    @property
    def done(self) -> bool:
        return self.step >= self.total

    def next(self) -> bool:
        """One node further; False (and no change) when the sweep is complete."""
        if self.done:
            return False
        self.step += 1
        return True

    def back(self) -> bool:
        """One node back; False (and no change) at the start."""
        if self.step == 0:
            return False
        self.step -= 1
        return True

    def reset(self) -> None:
        self.step = 0

    @property
    def current_row(self) -> Any:
        """The row of the node finished last (None before the first step)."""
        return self.trace().all_rows[self.step - 1] if self.step else None

    @property
    def current_node(self) -> Value | None:
        row = self.current_row
        return row.node if row is not None else None

    def describe(self) -> str:
        """The current step in words."""
        total = self.total
        if self.step == 0:
            if self.mode == "forward":
                return (f"Forward mode, seeded at {self.name(self.seed)}: press Next to push "
                        f"tangents ∂·/∂{self.name(self.seed)} from the inputs to the output "
                        f"({total} steps).")
            return (f"Reverse mode: the values are known from the forward pass; press Next to pull "
                    f"adjoints ∂{self.name(self.root)}/∂· back from the output ({total} steps).")
        row = self.current_row
        name = f"{row.label} = {row.expression}" if row.expression else row.label
        if self.mode == "forward":
            derivative = f"∂{row.label}/∂{self.name(self.seed)}"
            text = f"{name}: value {row.value:g}, {derivative} = {row.rule} → {row.tangent:g}"
        else:
            derivative = f"∂{self.name(self.root)}/∂{row.label}"
            text = f"{name}: {derivative} = {row.rule} → {row.adjoint:g}"
        finished = " Sweep complete." if self.done else ""
        return f"Step {self.step}/{total}: {text}.{finished}"

    def graph(self) -> Any:
        """The graph drawing with the current node highlighted (a ``viz`` GraphDrawing)."""
        node = self.current_node
        return draw_graph(self.root, show_grad=False, highlight=() if node is None else node)

    def __repr__(self) -> str:
        return (f"BackpropStepper(root={self.name(self.root)}, mode={self.mode!r}, "
                f"step={self.step}/{self.total})")


def graph_html(drawing: Any) -> str:
    """The drawing as inline SVG, or its DOT source and an install hint when Graphviz is missing."""
    bundle = drawing._repr_mimebundle_(include=["image/svg+xml"])
    svg = bundle.get("image/svg+xml")
    if svg is None:
        return f"<pre style='font-size:0.85em'>{html.escape(bundle.get('text/plain', ''))}</pre>"
    start = _SVG_START.search(svg)
    return svg[start.start():] if start else svg


class BackpropStepperView(ExplorerView):
    """Next/Back/Reset buttons, a mode switch, the highlighted graph and the trace table."""

    explorer: BackpropStepper

    def __init__(self, stepper: BackpropStepper, examples: dict[str, Callable[[], Value]] | None,
                 example: str | None = None) -> None:
        self.explorer = stepper
        self._examples = examples
        self._svg_cache: dict[tuple, str] = {}
        button = ipywidgets.Layout(width="90px")
        self.back_button = ipywidgets.Button(description="◀ Back", layout=button)
        self.next_button = ipywidgets.Button(description="Next ▶", button_style="primary",
                                             layout=button)
        self.reset_button = ipywidgets.Button(description="Reset", layout=button)
        self.mode = ipywidgets.ToggleButtons(options=list(MODES), value=stepper.mode,
                                             description="mode")
        self.mode.style.button_width = "80px"
        self.seed = ipywidgets.Dropdown(description="seed", layout=ipywidgets.Layout(width="160px"))
        self.example = ipywidgets.Dropdown(options=list(examples or {}), value=example,
                                           description="graph",
                                           style={"description_width": "initial"},
                                           layout=ipywidgets.Layout(width="420px"))
        self.example.layout.display = None if examples else "none"
        self.status = ipywidgets.HTML()
        self.graph = ipywidgets.HTML()
        self.table = ipywidgets.HTML()
        buttons = ipywidgets.HBox([self.back_button, self.next_button, self.reset_button])
        settings = ipywidgets.HBox([self.mode, self.seed])
        super().__init__([self.example, settings, buttons, self.status, self.graph, self.table],
                         plot=None)
        self._fill_seeds()
        self.next_button.on_click(lambda _: self.update(self.explorer.next))
        self.back_button.on_click(lambda _: self.update(self.explorer.back))
        self.reset_button.on_click(lambda _: self.update(self.explorer.reset))
        self.watch(self.mode, self._set_mode)
        self.watch(self.seed, self._set_seed)
        self.watch(self.example, self._set_example)
        self.update()

    def _fill_seeds(self) -> None:
        stepper = self.explorer
        with self.quietly():
            self.seed.options = [stepper.name(node) for node in stepper.inputs()]
            if stepper.inputs():
                self.seed.value = stepper.name(stepper.seed)
        self.seed.disabled = stepper.mode != "forward" or not stepper.inputs()

    def _set_mode(self, mode: str) -> None:
        self.explorer.mode = mode
        self.seed.disabled = mode != "forward" or not self.explorer.inputs()

    def _set_seed(self, name: str) -> None:
        self.explorer.seed = name

    def _set_example(self, title: str) -> None:
        stepper = self.explorer
        self.explorer = BackpropStepper(self._examples[title](), mode=stepper.mode)
        self._svg_cache.clear()
        self._fill_seeds()

    def _graph_svg(self) -> str:
        stepper = self.explorer
        key = (stepper.mode, id(stepper.seed), stepper.step)
        if key not in self._svg_cache:
            self._svg_cache[key] = graph_html(stepper.graph())
        return self._svg_cache[key]

    def render(self) -> list[str]:
        stepper = self.explorer
        self.status.value = f"<b>{html.escape(stepper.describe())}</b>"
        self.graph.value = self._graph_svg()
        self.table.value = stepper.trace()._repr_html_()
        self.back_button.disabled = stepper.step == 0
        self.next_button.disabled = stepper.done
        return []

    def pictures(self) -> list:
        """The graph of the current step, as Graphviz draws it (no picture without Graphviz)."""
        png = self.explorer.graph()._repr_mimebundle_(include=["image/png"]).get("image/png")
        return [png_pixels(png)] if png else []

    def __repr__(self) -> str:
        return f"BackpropStepperView({self.explorer!r})"


def backprop_stepper(root: Value | None = None, mode: str = "reverse",
                     seed: Any = None) -> BackpropStepperView:
    """Walk a forward-mode or reverse-mode sweep one node at a time with Next and Back.

    ``root`` is the output of any graph built from ``Value``s (label the nodes to see names);
    without it a drop-down offers the text's examples e = (a·b)·(b + 1) and V = xy + z(x + y).
    ``seed`` (forward mode) is the input to differentiate with respect to, by node or label.
    """
    if root is None:
        title = next(iter(EXAMPLES))
        return BackpropStepperView(BackpropStepper(EXAMPLES[title](), mode, seed), EXAMPLES, title)
    return BackpropStepperView(BackpropStepper(root, mode, seed), None)
