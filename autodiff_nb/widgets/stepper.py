"""Explorer 4: step through a forward-mode or reverse-mode sweep of a recorded graph, node by node
(the walk itself: ``autodiff_nb.explore.BackpropStepper``).

Forward mode visits the nodes children-first and fills in each node's tangent ∂node/∂seed from its
children's; reverse mode starts at the root with adjoint 1 and finishes each node once every node
that used it has passed its share back. The graph (``viz.draw_graph``) highlights the node of the
current step, every finished node shows its tangent or adjoint in its box, and the trace table
(``viz.forward_trace`` / ``viz.reverse_trace``) fills in row by row.
Any graph built from ``Value``s works; the default examples are the text's two worked examples.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets

from ..engine import Value
from ..explore.stepper import (
    EXAMPLES,
    MODES,
    BackpropStepper,
    product_example,
    sum_of_products_example,
)
from .view import ExplorerView

_SVG_START = re.compile(r"<svg\b", re.IGNORECASE)

__all__ = ["BackpropStepperView", "backprop_stepper", "graph_html", "BackpropStepper", "EXAMPLES",
           "product_example", "sum_of_products_example"]


def graph_html(drawing: Any) -> str:
    """The drawing as inline SVG, or its DOT source and an install hint when Graphviz is missing.

    The SVG is at most as wide as the view (a narrow window shrinks it, keeping its proportions);
    ``draw_graph`` already sized it for a laptop's notebook cell."""
    bundle = drawing._repr_mimebundle_(include=["image/svg+xml"])
    svg = bundle.get("image/svg+xml")
    if svg is None:
        return f"<pre style='font-size:0.85em'>{html.escape(bundle.get('text/plain', ''))}</pre>"
    start = _SVG_START.search(svg)
    svg = svg[start.start():] if start else svg
    return _SVG_START.sub("<svg style='max-width:100%;height:auto;display:block'", svg, count=1)


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
