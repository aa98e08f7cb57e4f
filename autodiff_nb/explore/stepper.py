"""Step through a forward-mode or reverse-mode sweep of a recorded graph, node by node.

Forward mode visits the nodes children-first and fills in each node's tangent ∂node/∂seed from its
children's; reverse mode starts at the root with adjoint 1 and finishes each node once every node
that used it has passed its share back. The numbers are the trace tables of
:func:`autodiff_nb.viz.forward_trace` / :func:`autodiff_nb.viz.reverse_trace` (text and HTML), and
``graph()`` is :func:`autodiff_nb.viz.draw_graph` with the current node highlighted and every finished
node's tangent or adjoint written in its box (Graphviz, no matplotlib): this is the one explorer
object that hands back viz's tables and drawings.
Any graph built from ``Value``s works; the default examples are the text's two worked examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..checks import one_of, whole_number
from ..engine import Value
from ..viz.graph import draw_graph
from ..viz.naming import display_names, format_number, graph_order
from ..viz.trace import Trace, forward_trace, reverse_trace

MODES = ("forward", "reverse")


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

    Step 0 is before the sweep; step k (0 <= k <= ``total``) means the first k rows of the trace are
    done, and ``current_node`` is the node finished last.

    >>> stepper = BackpropStepper(product_example(), mode="reverse")
    >>> stepper.total, stepper.next(), stepper.current_node.label
    (5, True, 'e')
    """

    def __init__(self, root: Any, mode: str = "reverse", seed: Any = None) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"BackpropStepper(root) must be an autodiff_nb.Value (the stepper walks its "
                            f"graph); got "
                            f"{type(root).__name__} {root!r}")
        self.root = root
        self._order = graph_order(root)
        self._names = display_names(self._order)
        self._traces: dict[tuple[str, int], Trace] = {}
        self._rankdirs: dict[tuple[str, int], str] = {}
        self._step = 0
        self._mode = "reverse"
        labelled = [node for node in self.inputs() if node.label]
        self._seed = (labelled or self.inputs())[0]  # a graph always has a leaf
        self.mode = mode
        if seed is not None:
            self.seed = seed

    # -- settings ------------------------------------------------------------------------------
    def inputs(self) -> list[Value]:
        """The leaves a forward sweep can be seeded at, in graph order (numbers such as the 1 in
        b + 1 are constants of their operation, not leaves)."""
        return [node for node in self._order if not node.children]

    def name(self, node: Value) -> str:
        """The node's label, or 'v<i>' by its place in the graph (as in the drawings and tables)."""
        return self._names[id(node)]

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        self._mode = one_of("mode", mode, MODES)
        self._step = 0

    @property
    def seed(self) -> Value:
        """The input forward mode differentiates with respect to (tangent 1 there, 0 elsewhere)."""
        return self._seed

    @seed.setter
    def seed(self, seed: Any) -> None:
        if isinstance(seed, str):
            matches = [node for node in self._order if self.name(node) == seed]
            if not matches:
                raise ValueError(f"seed: no node named {seed!r}; inputs are "
                                 f"{[self.name(n) for n in self.inputs()]}")
            seed = matches[0]
        if not any(seed is node for node in self.inputs()):
            raise ValueError(f"the seed must be a leaf of the graph, got {seed!r}")
        self._seed = seed
        self._step = 0

    @property
    def step(self) -> int:
        """How many rows of the sweep are done, from 0 (none) to ``total`` (all)."""
        return self._step

    @step.setter
    def step(self, step: int) -> None:
        self._step = whole_number("step", step, 0, self.total)

    # -- walking -------------------------------------------------------------------------------
    def _full_trace(self) -> Trace:
        key = (self.mode, id(self.seed))
        if key not in self._traces:
            self._traces[key] = (forward_trace(self.root, self.seed) if self.mode == "forward"
                                 else reverse_trace(self.root))
        return self._traces[key]

    def trace(self) -> Trace:
        """The trace table of the current mode with the first ``step`` rows filled in."""
        return self._full_trace().upto(self.step)

    @property
    def total(self) -> int:
        """How many steps the sweep has (one per row of the table)."""
        return len(self._full_trace())

    @property
    def done(self) -> bool:
        return self.step >= self.total

    def next(self) -> bool:
        """One node further; False (and no change) when the sweep is complete."""
        if self.done:
            return False
        self._step += 1
        return True

    def back(self) -> bool:
        """One node back; False (and no change) at the start."""
        if self.step == 0:
            return False
        self._step -= 1
        return True

    def reset(self) -> None:
        self._step = 0

    @property
    def current_row(self) -> Any:
        """The row of the node finished last (None before the first step)."""
        return self._full_trace().all_rows[self.step - 1] if self.step else None

    @property
    def current_node(self) -> Value | None:
        row = self.current_row
        return row.node if row is not None else None

    def derivative_name(self, row: Any) -> str:
        """What a row's number is: '∂w3/∂x' (forward, seed x) or '∂V/∂w3' (reverse from V)."""
        if self.mode == "forward":
            return f"∂{row.label}/∂{self.name(self.seed)}"
        return f"∂{self.name(self.root)}/∂{row.label}"

    def derivative_of(self, row: Any) -> float:
        """The row's tangent (forward) or adjoint (reverse)."""
        return row.tangent if self.mode == "forward" else row.adjoint

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
        derivative = self.derivative_name(row)
        value = f"value {row.value:g}, " if self.mode == "forward" else ""
        text = f"{name}: {value}{derivative} = {row.rule} → {self.derivative_of(row):g}"
        finished = " Sweep complete." if self.done else ""
        return f"Step {self.step}/{total}: {text}.{finished}"

    def notes(self, step: int | None = None) -> dict[Value, str]:
        """Each node finished by ``step`` (default: now) with its number, as the graph shows it
        in the node's box: '∂V/∂w3 = 1'."""
        rows = self._full_trace().all_rows[:self.step if step is None else step]
        return {row.node: f"{self.derivative_name(row)} = {format_number(self.derivative_of(row))}"
                for row in rows}

    def _rankdir(self) -> str:
        """One direction for every step of a sweep (chosen by draw_graph for its last step, the
        widest boxes), so the picture does not flip between steps."""
        key = (self.mode, id(self.seed))
        if key not in self._rankdirs:
            final = draw_graph(self.root, show_grad=False, notes=self.notes(self.total))
            self._rankdirs[key] = final.graph_attr["rankdir"]
        return self._rankdirs[key]

    def graph(self) -> Any:
        """The graph drawing with the current node highlighted and each finished node's tangent or
        adjoint in its box (a ``viz`` GraphDrawing)."""
        node = self.current_node
        return draw_graph(self.root, show_grad=False, highlight=() if node is None else node,
                          notes=self.notes(), rankdir=self._rankdir())

    def __repr__(self) -> str:
        return (f"BackpropStepper(root={self.name(self.root)}, mode={self.mode!r}, "
                f"step={self.step}/{self.total})")
