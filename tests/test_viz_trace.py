"""viz.forward_trace / viz.reverse_trace: the course's tables, stepping, agreement with backward."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autodiff_nb as ad
from autodiff_nb import Value
from autodiff_nb.viz import draw_graph, forward_trace, reverse_trace
from autodiff_nb.viz.trace import ForwardRow, ReverseRow, reverse_order


def labelled(value: Value, label: str) -> Value:
    value.label = label
    return value


def course_forward_graph():
    """e = (a*b)*(b+1) at a=2, b=3."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = labelled(a * b, "c")
    d = labelled(b + 1, "d")
    return a, b, labelled(c * d, "e")


def course_reverse_graph(x=1.0, y=2.0, z=3.0):
    """V = xy + z(x+y) as w1 = xy, w2 = x+y, w3 = w2·z, V = w1 + w3."""
    x, y, z = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    w1 = labelled(x * y, "w1")
    w2 = labelled(x + y, "w2")
    w3 = labelled(w2 * z, "w3")
    return (x, y, z), labelled(w1 + w3, "V")


COURSE_FORWARD_TEXT = """\
Forward mode, seed a: tangent = ∂(node)/∂a
node       value  ∂·/∂a  rule
a              2      1  seed
b              3      0  constant w.r.t. a
c = a·b        6      3  3·1 + 2·0
d = b + 1      4      0  no path from a
e = c·d       24     12  4·3 + 6·0"""


def test_course_forward_table_seeded_at_a():
    a, _, e = course_forward_graph()
    table = forward_trace(e, seed=a)
    assert [(r.label, r.expression, r.value, r.tangent, r.rule) for r in table.rows] == [
        ("a", "", 2.0, 1.0, "seed"),
        ("b", "", 3.0, 0.0, "constant w.r.t. a"),
        ("c", "a·b", 6.0, 3.0, "3·1 + 2·0"),
        ("d", "b + 1", 4.0, 0.0, "no path from a"),
        ("e", "c·d", 24.0, 12.0, "4·3 + 6·0"),
    ]
    assert all(isinstance(row, ForwardRow) for row in table.rows)
    assert table.rows[-1].node is e
    assert str(table) == repr(table) == COURSE_FORWARD_TEXT


def test_seeding_b_gives_14_and_seed_can_be_a_label():
    _, b, e = course_forward_graph()
    by_node = forward_trace(e, b)
    by_label = forward_trace(e, "b")
    assert by_node.rows == by_label.rows
    assert by_node.rows[-1].tangent == 14.0
    assert by_node.rows[-1].rule == "4·2 + 6·1"
    assert by_node.rows[3].rule == "1·1"  # d = b + 1: the constant's term is not written


def test_course_reverse_table_adjoints():
    (x, y, z), v = course_reverse_graph(1.0, 2.0, 3.0)
    table = reverse_trace(v)
    assert [row.label for row in table.rows] == ["V", "w1", "w3", "w2", "x", "y", "z"]
    adjoints = {row.label: row.adjoint for row in table.rows}
    assert adjoints == {"V": 1.0, "w1": 1.0, "w3": 1.0, "w2": 3.0,
                        "x": 2.0 + 3.0, "y": 1.0 + 3.0, "z": 1.0 + 2.0}  # y+z, x+z, x+y
    assert all(isinstance(row, ReverseRow) for row in table.rows)
    rules = {row.label: row.rule for row in table.rows}
    assert rules["V"] == "seed"
    assert rules["x"] == "1·2 from w1 + 3·1 from w2"
    assert rules["w2"] == "1·3 from w3"


def test_reverse_trace_text_is_aligned():
    _, v = course_reverse_graph()
    assert str(reverse_trace(v)) == """\
Reverse mode from V: adjoint = ∂V/∂(node)
node         value  ∂V/∂·  rule
V = w1 + w3     11      1  seed
w1 = x·y         2      1  1·1 from V
w3 = w2·z        9      1  1·1 from V
w2 = x + y       3      3  1·3 from w3
x                1      5  1·2 from w1 + 3·1 from w2
y                2      4  1·1 from w1 + 3·1 from w2
z                3      3  1·3 from w3"""


def test_reverse_trace_does_not_touch_grad():
    (x, y, z), v = course_reverse_graph()
    reverse_trace(v)
    assert [x.grad, y.grad, z.grad, v.grad] == [0.0, 0.0, 0.0, 0.0]
    v.backward()
    before = [x.grad, y.grad, z.grad]
    reverse_trace(v)
    forward_trace(v, x)
    assert [x.grad, y.grad, z.grad] == before


def test_stepping_fills_the_table_row_by_row():
    a, _, e = course_forward_graph()
    full = forward_trace(e, a)
    for k in range(len(full) + 1):
        step = forward_trace(e, a, upto=k)
        assert step.rows == full.rows[:k] == full.upto(k).rows
        assert len(step) == 5
    two = str(full.upto(2)).splitlines()
    assert two[4:] == ["c = a·b", "d = b + 1", "e = c·d"]  # pending rows: no numbers yet
    assert forward_trace(e, a, upto=99).rows == full.rows
    _, v = course_reverse_graph()
    pending = str(reverse_trace(v, upto=1)).splitlines()
    assert pending[3] == "w1 = x·y         2"  # values are known before the reverse sweep


def test_html_table_marks_the_current_step_and_escapes_labels():
    a, _, e = course_forward_graph()
    page = forward_trace(e, a)._repr_html_()
    assert page.startswith("<table class='autodiff-trace'") and page.endswith("</table>")
    assert page.count("<tr") == 6 and "background" not in page
    cells = re.findall(r"<td style='([^']*)'>([^<]*)</td>", page)
    assert ("12" in [text for _, text in cells]) and len(cells) == 5 * 4
    for column, (style, _) in enumerate(cells):
        # numbers right-aligned in monospace; every cell padded from the next, never wrapped
        assert ("text-align:right;font-family:monospace" in style) == (column % 4 in (1, 2))
        assert "padding:1px 14px 1px 0" in style and "white-space:nowrap" in style
    caption = re.search(r"<caption style='([^']*)'>([^<]*)</caption>", page)
    assert "white-space:nowrap" in caption.group(1)  # the title never breaks inside a formula
    assert caption.group(2) == "Forward mode, seed a: tangent = ∂(node)/∂a"
    stepped = forward_trace(e, a, upto=3)._repr_html_()
    assert stepped.count("background:#fff3c4") == 1
    current = re.search(r"<tr style='background:#fff3c4'><td style='[^']*'>([^<]*)</td>", stepped)
    assert current.group(1) == "c = a·b"
    odd = Value(1.0, label="<x>").exp()
    assert "&lt;x&gt;" in reverse_trace(odd)._repr_html_()


def test_every_node_gets_a_row_even_unlabelled_leaves():
    w, x = Value(-3.0), Value(2.0)
    out = (w * x + 1.0).relu()
    reverse = reverse_trace(out)
    assert [(row.label, row.expression) for row in reverse.rows] == [
        ("v4", "relu(v3)"), ("v3", "v2 + 1"), ("v2", "v0·v1"), ("v0", ""), ("v1", "")]
    assert [row.adjoint for row in reverse.rows] == [1.0, 0.0, 0.0, 0.0, 0.0]  # dead ReLU


def test_unlabelled_nodes_are_named_by_topological_index():
    x = Value(0.5, label="x")
    y = (x * 2).tanh()
    table = forward_trace(y, x)
    assert [(row.label, row.expression) for row in table.rows] == [
        ("x", ""), ("v1", "x·2"), ("v2", "tanh(v1)")]
    assert table.rows[-1].tangent == pytest.approx(2 * (1 - math.tanh(1.0) ** 2))
    negative = forward_trace(x - (-3.0), x)
    assert negative.rows[-1].expression == "x - (-3)"


@pytest.mark.parametrize("make, text", [
    (lambda x: x + 1, "x + 1"), (lambda x: 1 + x, "1 + x"), (lambda x: x - 1, "x - 1"),
    (lambda x: 1 - x, "1 - x"), (lambda x: 3 * x, "3·x"), (lambda x: x * 3, "x·3"),
    (lambda x: x / 4, "x/4"), (lambda x: 4 / x, "4/x"), (lambda x: x / -2.5, "x/(-2.5)"),
    (lambda x: x ** 2, "x^2"), (lambda x: 2 ** x, "2^x"), (lambda x: 0.5 ** x, "0.5^x"),
    (lambda x: x ** -1, "x^(-1)"), (lambda x: -x, "-x"), (lambda x: x.exp(), "exp(x)"),
    (lambda x: x - x, "x - x"), (lambda x: (-2.0) ** x, "(-2)^x"),  # the value is nan: no matter
    (lambda x: x * 0.0, "x·0"), (lambda x: (x + 1e300) * 1e300, "v1·1e+300"),
    (lambda x: ad.dot([x, x], [0.5, 2.0], 1.0), "dot(x, 0.5, x, 2, 1)"),
])
def test_expressions_write_number_operands_as_recorded(make, text):
    x = Value(2.0, label="x")
    assert reverse_trace(make(x)).rows[0].expression == text


class FakeNode:
    """Just the attributes the drawings read, with a ``data`` no operation could have produced: the
    constants must come from ``.constants``, never from inverting the operation."""

    def __init__(self, op="", children=(), constants=(), data=123.0, label="", partials=None):
        self.op, self.children, self.constants, self.data = op, children, constants, data
        self.label, self.grad = label, 0.0
        self.partials = partials if partials is not None else tuple(1.0 for _ in children)


@pytest.mark.parametrize("op, constants, text, symbol", [
    ("+", ((1, 7.0),), "b + 7", "+ 7"), ("/", ((0, 2.0),), "2/b", "2 /"),
    ("**", ((1, -1.5),), "b^(-1.5)", "** (-1.5)"),
    ("clip", ((1, 0.0), (2, 1.0)), "clip(b, 0, 1)", "clip"),
])
def test_constants_are_read_from_the_node(op, constants, text, symbol):
    from autodiff_nb.viz.naming import display_names, expression, op_label

    b = FakeNode(label="b")
    node = FakeNode(op, (b,), constants, label="d")
    assert expression(node, display_names([b, node])) == text
    assert op_label(node) == symbol
    op_line = next(line for line in draw_graph(node).source.splitlines() if "op1 [" in line)
    assert symbol in op_line and "?" not in op_line


def test_nodes_without_a_constants_attribute_have_none():
    from autodiff_nb.viz.naming import display_names, expression, op_label

    a, b = FakeNode(label="a"), FakeNode(label="b")
    node = FakeNode("*", (a, b), label="c")
    del node.constants  # a Tensor node: its constants are leaves of their own
    assert expression(node, display_names([a, b, node])) == "a·b"
    assert op_label(node) == "*"


def test_precision_controls_the_digits():
    x = Value(1.0, label="x")
    y = labelled(x / 3.0, "y")
    last = str(forward_trace(y, x, precision=3)).splitlines()[-1]
    assert last == "y = x/3  0.333  0.333  0.333·1"


def test_bad_arguments_give_clear_errors():
    a, _, e = course_forward_graph()
    with pytest.raises(ValueError, match="upto"):
        forward_trace(e, a, upto=-1)
    with pytest.raises(ValueError, match="no node with that label"):
        forward_trace(e, "q")
    with pytest.raises(ValueError, match="not part of the graph"):
        forward_trace(e, Value(1.0))
    with pytest.raises(TypeError, match="seed must be a graph node"):
        forward_trace(e, 2.0)
    with pytest.raises(TypeError, match="root must be a graph node"):
        reverse_trace([e])
    twins = Value(1.0, label="t") + Value(2.0, label="t")
    with pytest.raises(ValueError, match="2 nodes with that label"):
        forward_trace(twins, "t")


def test_tensor_graphs_are_refused_with_a_clear_message():
    import numpy as np

    from autodiff_nb.tensor import Tensor

    loss = (Tensor(np.ones(3), label="w", requires_grad=True) * 2.0).sum()
    with pytest.raises(TypeError, match="scalar nodes .* found a Tensor 'w'"):
        reverse_trace(loss)


def test_long_chains_do_not_recurse():
    x = Value(0.1, label="x")
    node = x
    for _ in range(5_000):  # five times Python's recursion limit
        node = node.sin()
    backward = reverse_trace(node)
    assert len(backward.rows) == 5_001
    assert forward_trace(node, x).rows[-1].tangent == pytest.approx(backward.rows[-1].adjoint)


def test_reverse_order_finishes_each_node_after_its_consumers():
    _, v = course_reverse_graph()
    order = reverse_order(v)
    position = {id(node): index for index, node in enumerate(order)}
    for node in order:
        for child in node.children:
            assert position[id(child)] > position[id(node)]


# -- both tables agree with backward() on random expressions --------------------------------------

OPERATIONS = ["+", "-", "*", "tanh", "sin", "exp_small", "square"]


@st.composite
def expressions(draw):
    """A random expression over three labelled inputs, reusing intermediate results."""
    inputs = [Value(draw(st.floats(-2, 2)), label=name) for name in "pqr"]
    pool = list(inputs)
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(OPERATIONS))
        left = pool[draw(st.integers(0, len(pool) - 1))]
        right = pool[draw(st.integers(0, len(pool) - 1))]
        if op == "+":
            pool.append(left + right)
        elif op == "-":
            pool.append(left - right)
        elif op == "*":
            pool.append(left * right)
        elif op == "tanh":
            pool.append(left.tanh())
        elif op == "sin":
            pool.append(left.sin())
        elif op == "exp_small":
            pool.append((left * 0.1).exp())
        else:
            pool.append(left ** 2)
    return inputs, pool[-1]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(expressions())
def test_tables_agree_with_backward(case):
    inputs, root = case
    adjoints = {id(row.node): row.adjoint for row in reverse_trace(root).rows}
    root.backward()
    for leaf in inputs:
        if any(node is leaf for node in _nodes(root)):
            tangent = forward_trace(root, leaf).rows[-1].tangent
            assert tangent == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12)
            assert adjoints[id(leaf)] == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12)


def _nodes(root):
    from autodiff_nb.engine import topological_order

    return topological_order(root)
