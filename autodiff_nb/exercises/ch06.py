"""Chapter 06: reverse mode (adjoints, one backward pass for all inputs, the cost of both modes)."""

import math

from ..engine import Value
from ..traversal import topological_order
from . import assert_close, implement, predict

predict("06.adjoint_of_reused_input", "f = (x * y) * x at x = 2, y = 5. x feeds two multiplications. "
                                    "What adjoint x̄ = ∂f/∂x does the backward pass leave in x?",
        answer=20.0,
        hint="x is used twice, so x̄ is the sum of two contributions: one through x * y, and one as "
             "the right operand of the outer multiplication",
        why="x̄ collects one contribution per use: 1·5·2 through x·y and (x·y)·1 = 10 through the "
            "outer product, 10 + 10 = 20 = 2xy")

predict("06.reverse_passes", "How many backward passes does jacobian(f, x, mode='reverse') need "
                             "for f: R^1000 -> R^2?", answer=2,
        hint="one backward pass starts from one output and fills one row of the 2 × 1000 Jacobian",
        why="one backward pass per output: each fills one row of the 2x1000 Jacobian")


def _graphs():
    """(root, leaves) pairs covering fan-out, constants, a unary op and a reused node."""
    x, y, z = Value(2.0, "x"), Value(3.0, "y"), Value(4.0, "z")
    yield x * y + z * (x + y), (x, y, z)
    a, b = Value(2.0, "a"), Value(3.0, "b")
    yield (a * b) * (b + 1), (a, b)
    u, v = Value(0.5, "u"), Value(-1.5, "v")
    h = (u * v).tanh()
    yield h * h + 3 * u, (u, v)
    w = Value(1.25, "w")
    yield w, (w,)


@implement("06.reverse_sweep", "Write reverse_sweep(root) returning a dict {node: adjoint ∂root/∂node} "
                              "for every node, using topological_order, .children and .partials (not "
                              ".backward).",
           hint="start with adjoint 1.0 for the root and 0.0 for every other node; visit the nodes in "
                "reversed(topological_order(root)) and add adjoint[node] * partial into adjoint[child]")
def reverse_sweep(answer):
    for root, leaves in _graphs():
        adjoints = answer(root)
        assert isinstance(adjoints, dict), (
            f"reverse_sweep should return a dict, got {type(adjoints).__name__}")
        assert all(leaf.grad == 0.0 for leaf in leaves), "reverse_sweep must not change .grad"
        assert_close(adjoints.get(root, math.nan), 1.0, what="the adjoint of the root (the seed)")
        root.backward()
        for leaf in leaves:
            name = leaf.label
            assert leaf in adjoints, f"no adjoint for leaf {name} in the dict"
            assert_close(adjoints[leaf], leaf.grad, what=f"the adjoint of {name}")
    return "adjoints flow from the root, each node adding adjoint·partial into every child"


@reverse_sweep.solution
def reverse_sweep_reference(root):
    adjoint = {node: 0.0 for node in topological_order(root)}
    adjoint[root] = 1.0
    for node in reversed(topological_order(root)):  # every consumer before what it consumed
        for child, partial in zip(node.children, node.partials, strict=True):
            adjoint[child] += adjoint[node] * partial
    return adjoint

predict("06.vjp_first_entry", "f(a, b) = (a*b, a + b) at a = 2, b = 3, cotangent u = (1, 2) on the two "
                              "outputs. What adjoint does one backward sweep leave in a (the first entry "
                              "of u^T J)?", answer=5.0,
        hint="each output starts with its weight u_i as adjoint and passes u_i · ∂(output)/∂a into a; "
             "add the two contributions",
        why="1·∂(ab)/∂a + 2·∂(a + b)/∂a = 1·3 + 2·1 = 5 (and b gets 1·2 + 2·1 = 4): the weighted sum of "
            "the rows (3, 2) and (1, 1) of J")
