"""viz.draw_graph: exact DOT sources, real SVG from real Graphviz, and the no-`dot` fallbacks."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import sys

import graphviz
import pytest
from graphviz.backend import dot_command

from autodiff_nb import Value
from autodiff_nb.viz import draw_graph, graph, graph_size, graphviz_status

COURSE_GRAPH_DOT = """digraph {
\tgraph [rankdir=LR]
\tnode [fontname=Helvetica fontsize=11]
\tedge [fontname=Helvetica fontsize=9]
\tv0 [label="a | data 2 | grad 12" shape=record]
\tv1 [label="b | data 3 | grad 14" shape=record]
\tv2 [label="c | data 6 | grad 4" shape=record]
\top2 [label="*" shape=circle width=0.3]
\tv0 -> op2 [label="∂c/∂a\\n= 3"]
\tv1 -> op2 [label="∂c/∂b\\n= 2"]
\top2 -> v2
\tv3 [label="d | data 4 | grad 6" shape=record]
\top3 [label="+ 1" shape=circle width=0.3]
\tv1 -> op3 [label="∂d/∂b\\n= 1"]
\top3 -> v3
\tv4 [label="e | data 24 | grad 1" shape=record]
\top4 [label="*" shape=circle width=0.3]
\tv2 -> op4 [label="∂e/∂c\\n= 4"]
\tv3 -> op4 [label="∂e/∂d\\n= 6"]
\top4 -> v4
}
"""


def course_graph(backward: bool = True) -> dict[str, Value]:
    """e = (a*b)*(b+1) at a=2, b=3, every node labelled as in the course figure."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    c.label = "c"
    d = b + 1
    d.label = "d"
    e = c * d
    e.label = "e"
    if backward:
        e.backward()
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.fixture(autouse=True)
def fresh_backend():
    """Every test finds the layout program itself, and leaves no cached choice behind."""
    graph.reset_graphviz_backend()
    yield
    graph.reset_graphviz_backend()


def test_course_graph_dot_source_exactly():
    assert draw_graph(course_graph()["e"]).source == COURSE_GRAPH_DOT


def test_edge_from_c_into_the_op_producing_e_carries_de_dc():
    source = draw_graph(course_graph()["e"]).source
    assert '\tv2 -> op4 [label="∂e/∂c\\n= 4"]' in source.splitlines()


def test_dot_source_is_identical_for_separately_built_graphs():
    first = draw_graph(course_graph()["e"]).source
    clutter = [Value(float(i)) * 2 for i in range(1000)]  # shift object ids around
    second = draw_graph(course_graph()["e"]).source
    assert first == second
    assert "0x" not in first and str(id(clutter[0])) not in first


def test_hide_grads_and_partials():
    source = draw_graph(course_graph()["e"], show_grad=False, show_partials=False).source
    assert '\tv0 [label="a | data 2" shape=record]' in source
    assert "grad" not in source and "∂" not in source
    assert "\tv2 -> op4\n" in source


def test_highlight_fills_the_chosen_nodes_only():
    nodes = course_graph()
    source = draw_graph(nodes["e"], highlight=[nodes["c"], nodes["a"]]).source
    filled = re.findall(r"\t(\w+) \[.*fillcolor=\"#ffd54f\".*\]", source)
    assert filled == ["v0", "v2"]
    assert 'style=filled' in source
    single = draw_graph(nodes["e"], highlight=nodes["e"], highlight_color="red").source
    assert '\tv4 [label="e | data 24 | grad 1" fillcolor=red shape=record style=filled]' \
        in single


def test_highlight_rejects_things_that_are_not_nodes():
    with pytest.raises(TypeError, match="highlight"):
        draw_graph(course_graph()["e"], highlight=3)
    with pytest.raises(TypeError, match="highlighted"):
        draw_graph(course_graph()["e"], highlight=["a"])


def test_top_to_bottom_layout():
    source = draw_graph(course_graph()["e"], rankdir="TB").source
    assert '\tgraph [rankdir=TB ranksep=0.3]' in source
    assert '\tv2 -> op4 [label="∂e/∂c = 4"]' in source  # beside the edge: one line
    assert '\tv0 [label="a | data 2 | grad 12" shape=record]' in source


@pytest.mark.parametrize("kwargs, error", [
    ({"rankdir": "RL"}, "rankdir"),
    ({"max_nodes": 0}, "max_nodes"),
    ({"precision": 0}, "precision"),
])
def test_bad_options_raise_value_error(kwargs, error):
    with pytest.raises(ValueError, match=error):
        draw_graph(course_graph()["e"], **kwargs)


@pytest.mark.parametrize("kwargs, error", [
    ({"max_nodes": 2.5}, "max_nodes must be a whole number"),
    ({"precision": "4"}, "precision must be a whole number"),
    ({"show_grad": "yes"}, "show_grad must be True or False"),
])
def test_options_of_the_wrong_kind_raise_type_error(kwargs, error):
    with pytest.raises(TypeError, match=error):
        draw_graph(course_graph()["e"], **kwargs)


def test_root_must_be_a_node():
    with pytest.raises(TypeError, match="root must be a graph node"):
        draw_graph(3.0)


def test_repeated_operand_gives_two_edges():
    a = Value(2.0, label="a")
    b = a + a
    b.label = "b"
    source = draw_graph(b).source
    assert source.count('\tv0 -> op1 [label="∂b/∂a\\n= 1"]') == 2


def test_unlabelled_nodes_get_topological_names_and_numbers_use_precision():
    y = 1.0 / (Value(1.0) * 3.0)
    source = draw_graph(y, precision=3).source
    assert '\tv2 [label="v2 | data 0.333 | grad 0" shape=record]' in source
    assert '\tv1 -> op2 [label="∂v2/∂v1\\n= -0.111"]' in source
    assert '\top2 [label="1 /" shape=circle width=0.3]' in source  # the number operand


@pytest.mark.parametrize("make, op_text", [
    (lambda x: x + 1, "+ 1"), (lambda x: 1 - x, "1 -"), (lambda x: x * -2, "* (-2)"),
    (lambda x: 4 / x, "4 /"), (lambda x: x ** 2, "** 2"), (lambda x: 2 ** x, "2 **"),
    (lambda x: x.tanh(), "tanh"), (lambda x: x * x, "*"),
])
def test_operations_with_a_number_show_the_number(make, op_text):
    source = draw_graph(make(Value(2.0, label="x"))).source
    quoted = re.escape(op_text)
    assert re.search(rf'\top1 \[label=("{quoted}"|{quoted}) shape=circle width=0.3\]', source)


def test_record_special_characters_in_labels_are_escaped():
    weird = Value(1.0, label="{w|<1>}")
    source = draw_graph(weird.tanh()).source
    assert r'\{w\|\<1\>\}' in source
    svg = draw_graph(weird.tanh()).pipe(format="svg", encoding="utf-8")
    assert "{w|&lt;1&gt;}" in svg


def test_deep_chain_collapses_without_recursion_error():
    x = Value(0.5, label="x")
    node = x
    for _ in range(100_000):
        node = node.tanh()
    drawing = draw_graph(node, max_nodes=20)
    lines = drawing.source.splitlines()
    assert sum(1 for line in lines if re.match(r"\tv\d+ \[", line)) == 20
    assert '\tmore [label="… 99981 more nodes" shape=box style=dashed]' in lines
    assert "\tmore -> op99981 [style=dashed]" in lines
    assert "\tv99981 -> op99982" in drawing.source
    assert repr(drawing) == "<GraphDrawing: 20 value nodes, 99981 collapsed>"


def test_default_limit_keeps_big_graphs_drawable():
    node = Value(1.0)
    for _ in range(400):
        node = node * 1.0001
    drawing = draw_graph(node)
    assert drawing.shown_values == graph.DEFAULT_MAX_NODES
    assert drawing.hidden_values == 401 - graph.DEFAULT_MAX_NODES
    assert draw_graph(node, max_nodes=None).hidden_values == 0


def test_collapsing_keeps_the_nodes_nearest_the_root():
    source = draw_graph(course_graph()["e"], max_nodes=3).source
    assert '\tmore [label="… 2 more nodes" shape=box style=dashed]' in source
    assert [name for name in re.findall(r"\t(v\d+) \[", source)] == ["v2", "v3", "v4"]
    assert source.count("\tmore -> op2 [style=dashed]") == 1  # a and b are hidden: one edge
    assert "\tmore -> op3 [style=dashed]" in source  # b is hidden
    assert "\tv2 -> op4" in source
    one = draw_graph(course_graph()["e"], max_nodes=4).source
    assert '"… 1 more node"' in one


class FakeTensor:
    """Just the public node interface of a tensor: .op, .children, .shape, .data, .grad, .label."""

    def __init__(self, shape, op="", children=(), label=""):
        import numpy as np

        self.shape = shape
        self.data = np.zeros(shape)
        self.grad = None
        self.op, self.children, self.label = op, children, label


def test_tensor_nodes_show_shapes_instead_of_values():
    weights, inputs = FakeTensor((3, 2), label="W"), FakeTensor((2,), label="x")
    product = FakeTensor((3,), "matmul", (weights, inputs), "h")
    loss = FakeTensor((), "sum", (product,), "loss")
    source = draw_graph(loss).source
    assert '\tv0 [label="W | shape (3, 2)" shape=record]' in source
    assert '\tv2 [label="h | shape (3,)" shape=record]' in source
    assert '\tv3 [label="loss | data 0 | grad None" shape=record]' in source
    assert "\tv0 -> op2\n" in source  # tensors record no scalar partials: plain edges
    assert '\top2 [label=matmul shape=circle width=0.3]' in source


def test_real_tensor_graph_shows_shapes():
    import numpy as np

    from autodiff_nb.tensor import Tensor

    weights = Tensor(np.ones((3, 2)), label="W", requires_grad=True)
    inputs = Tensor(np.ones(2), label="x")
    loss = ((weights @ inputs) + 1.0).tanh().sum()
    loss.backward()
    source = draw_graph(loss).source
    assert '\tv0 [label="W | shape (3, 2)" shape=record]' in source
    assert '\tv2 [label="v2 | shape (3,)" shape=record]' in source
    assert '\tv3 [label="v3 | data 1 | grad None" shape=record]' in source  # 0-d constant
    assert '\top4 [label="+" shape=circle width=0.3]' in source
    assert "\tv2 -> op4\n" in source  # tensors record no scalar partials: plain edges
    assert '\tv6 [label="v6 | data 2.985 | grad 1" shape=record]' in source
    assert "<svg" in draw_graph(loss)._repr_mimebundle_()["image/svg+xml"]


# -- rendering with real Graphviz ----------------------------------------------------------------

def test_real_dot_renders_svg():
    assert shutil.which("dot"), "these tests need Graphviz's dot (apt-get install graphviz)"
    assert re.fullmatch(r"system dot \d+\.\d+", graphviz_status())
    drawing = draw_graph(course_graph()["e"])
    svg = drawing._repr_mimebundle_()["image/svg+xml"]
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "Generated by graphviz version" in svg and "graphviz-pure" not in svg
    assert svg.count('class="node"') == 8  # 5 values + 3 operations
    assert svg.count('class="edge"') == 8
    for text in (">∂e/∂c</text>", ">= 4</text>", "data 24", "grad 14"):  # the label on two lines
        assert text in svg


def test_ipython_displays_svg_and_a_deterministic_text_repr():
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(draw_graph(course_graph()["e"]))
    assert "<svg" in data["image/svg+xml"]
    assert data["text/plain"] == "<GraphDrawing: 5 value nodes>"


def test_copies_keep_source_and_summary():
    drawing = draw_graph(course_graph()["e"], max_nodes=2)
    duplicate = drawing.copy()
    assert type(duplicate) is type(drawing) and duplicate.source == drawing.source
    assert repr(duplicate) == repr(drawing) == "<GraphDrawing: 2 value nodes, 3 collapsed>"


def test_png_rendering_through_the_mimebundle():
    bundle = draw_graph(course_graph()["e"])._repr_mimebundle_(include=["image/png"])
    assert list(bundle) == ["image/png"] and bundle["image/png"].startswith(b"\x89PNG")


def path_without_dot(tmp_path: pathlib.Path) -> str:
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return str(empty)


def test_without_dot_or_fallback_the_notebook_gets_the_source_and_a_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", path_without_dot(tmp_path))
    monkeypatch.setattr(graph, "FALLBACK_BINARY", "graphviz-pure-absent-for-this-test")
    graph.reset_graphviz_backend()

    assert graphviz_status() == "not found"
    drawing = draw_graph(course_graph()["e"])
    with pytest.raises(graphviz.ExecutableNotFound):  # what a plain Digraph would do in a notebook
        graphviz.Source(drawing.source).pipe(format="svg")
    bundle = drawing._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    hint, source = bundle["text/plain"].split("\n", 1)
    assert hint == graph.INSTALL_HINT and "pip install graphviz-pure" in hint
    assert source == COURSE_GRAPH_DOT
    assert dot_command.DOT_BINARY == pathlib.Path("dot")  # left alone when there is no fallback

    from IPython.core.formatters import DisplayFormatter

    shown, _ = DisplayFormatter().format(drawing)  # what a notebook cell would display
    assert shown == bundle


def fallback_binary() -> str:
    found = shutil.which("graphviz-pure") or shutil.which(
        "graphviz-pure", path=str(pathlib.Path(sys.executable).parent))
    assert found, "graphviz-pure is a dependency of autodiff_nb on this platform (pip install .)"
    return found


def test_without_dot_the_graphviz_pure_fallback_renders(tmp_path, monkeypatch):
    bin_dir = path_without_dot(tmp_path)
    os.symlink(fallback_binary(), os.path.join(bin_dir, "graphviz-pure"))
    monkeypatch.setenv("PATH", bin_dir)
    graph.reset_graphviz_backend()

    assert graphviz_status() == "graphviz-pure fallback"
    assert dot_command.DOT_BINARY == pathlib.Path(bin_dir, "graphviz-pure")
    svg = draw_graph(course_graph()["e"])._repr_mimebundle_()["image/svg+xml"]
    assert "graphviz-pure" in svg and "∂e/∂c" in svg and "= 4" in svg
    assert displayed_sizes(draw_graph(dead_relu_network()))[0] <= graph.GRAPH_WIDTH_PX + 1
    graph.reset_graphviz_backend()
    assert dot_command.DOT_BINARY == pathlib.Path("dot")


def test_fallback_is_found_next_to_python_when_not_on_path(tmp_path, monkeypatch):
    fake_python_dir = tmp_path / "venv-bin"
    fake_python_dir.mkdir()
    os.symlink(fallback_binary(), fake_python_dir / "graphviz-pure")
    monkeypatch.setenv("PATH", path_without_dot(tmp_path))
    monkeypatch.setattr(sys, "executable", str(fake_python_dir / "python"))
    graph.reset_graphviz_backend()
    assert graphviz_status() == "graphviz-pure fallback"


def test_a_failing_layout_program_shows_the_source_instead_of_raising(tmp_path, monkeypatch):
    broken = tmp_path / "bin" / "graphviz-pure"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(broken.parent))
    graph.reset_graphviz_backend()
    text = draw_graph(course_graph()["e"])._repr_mimebundle_()["text/plain"]
    assert text.startswith("Graphviz could not render this graph (exit status 3)")
    assert text.endswith(COURSE_GRAPH_DOT)


# -- fitting a notebook cell ---------------------------------------------------------------------

def dead_relu_network() -> Value:
    """y = relu(w1*x + b1)*w2 + b2 with the ReLU switched off (chapter 07): a long chain."""
    x, w1, b1, w2, b2 = (Value(v, label=n) for n, v in
                         [("x", 2.0), ("w1", -3.0), ("b1", 1.0), ("w2", 2.0), ("b2", 0.5)])
    hidden = (w1 * x + b1).relu()
    hidden.label = "h"
    y = hidden * w2 + b2
    y.label = "y"
    y.backward()
    return y


def sum_of_products() -> Value:
    """V = xy + z(x + y) (chapter 06), with grads."""
    x, y, z = Value(2.0, label="x"), Value(3.0, label="y"), Value(4.0, label="z")
    w1, w2 = x * y, x + y
    w3 = w2 * z
    v = w1 + w3
    w1.label, w2.label, w3.label, v.label = "w1", "w2", "w3", "V"
    v.backward()
    return v


def displayed_sizes(drawing) -> tuple[float, float]:
    """(width, smallest font) of the drawing as a browser shows its SVG, in CSS pixels: 1 pt is
    4/3 px, the viewBox is stretched to the width, and Graphviz's own scale() applies inside."""
    svg = drawing._repr_mimebundle_()["image/svg+xml"]
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    scale = re.search(r'transform="scale\(([\d.]+)', svg)
    inner = float(scale.group(1)) if scale else 1.0
    fonts = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    px_per_unit = 4 / 3 * width_pt / view_width * inner
    return width_pt * 4 / 3, min(fonts) * px_per_unit


@pytest.mark.parametrize("make, kwargs, rankdir", [
    (lambda: course_graph()["e"], {}, "LR"),
    (sum_of_products, {}, "LR"),                     # 06: left to right, shrunk a little
    (sum_of_products, {"show_grad": False}, "LR"),   # 06's stepper
    (dead_relu_network, {}, "TB"),                   # 07: a long chain goes top to bottom
])
def test_auto_layout_fits_the_cell_with_readable_text(make, kwargs, rankdir):
    drawing = draw_graph(make(), **kwargs)
    assert drawing.graph_attr["rankdir"] == rankdir
    width, smallest_font = displayed_sizes(drawing)
    assert width <= graph.GRAPH_WIDTH_PX + 1
    assert smallest_font >= 9.0


def test_tensor_chain_fits_top_to_bottom():
    import numpy as np

    from autodiff_nb.tensor import Tensor

    X = Tensor(np.ones((200, 2)), label="X")
    W = Tensor(np.ones((2, 16)), requires_grad=True, label="W")
    b = Tensor(np.zeros(16), requires_grad=True, label="b")
    drawing = draw_graph((X @ W + b).relu().mean(), show_partials=False)  # chapter 11
    assert drawing.graph_attr["rankdir"] == "TB"
    width, smallest_font = displayed_sizes(drawing)
    assert width <= graph.GRAPH_WIDTH_PX + 1 and smallest_font >= 9.0


def test_natural_size_and_explicit_directions_are_kept():
    wide = draw_graph(dead_relu_network(), rankdir="LR", max_width=None)
    assert wide.max_width is None
    assert displayed_sizes(wide)[0] > 1.5 * graph.GRAPH_WIDTH_PX  # what 'auto' avoids
    squeezed = draw_graph(dead_relu_network(), rankdir="LR")  # asked for: shrunk to fit
    assert squeezed.graph_attr["rankdir"] == "LR" and squeezed.source == wide.source
    assert displayed_sizes(squeezed)[0] == pytest.approx(graph.GRAPH_WIDTH_PX, abs=0.02)
    small = draw_graph(course_graph()["e"], rankdir="LR", max_width=480)
    assert displayed_sizes(small)[0] == pytest.approx(480, abs=0.02)
    assert displayed_sizes(small.copy())[0] == pytest.approx(480, abs=0.02)


def test_fit_svg_scales_width_and_height_and_keeps_the_view_box():
    svg = '<svg width="900pt" height="300pt"\n viewBox="0.00 0.00 900.00 300.00">'
    fitted = '<svg width="450.00pt" height="150.00pt"\n viewBox="0.00 0.00 900.00 300.00">'
    assert graph_size.fit_svg(svg, 600) == fitted
    assert graph_size.fit_svg(svg, 1200) == svg == graph_size.fit_svg(svg, None)  # never enlarged


def test_png_is_shrunk_by_graphviz_size():
    import io

    from PIL import Image

    png = draw_graph(dead_relu_network(), rankdir="LR")._repr_mimebundle_(include=["image/png"])
    assert Image.open(io.BytesIO(png["image/png"])).width <= graph.GRAPH_WIDTH_PX + 2


def test_notes_add_a_line_to_their_nodes_box():
    nodes = course_graph()
    source = draw_graph(nodes["e"], show_grad=False, notes={nodes["c"]: "∂e/∂c = 4"}).source
    assert '\tv2 [label="c | data 6 | ∂e/∂c = 4" shape=record]' in source
    assert '\tv4 [label="e | data 24" shape=record]' in source


@pytest.mark.parametrize("kwargs, error, match", [
    ({"notes": ["a"]}, TypeError, "notes must be a mapping"),
    ({"notes": {"a": "x"}}, TypeError, "each key of notes"),
    ({"notes": None, "max_width": 0}, ValueError, "max_width must be positive"),
    ({"max_width": "wide"}, TypeError, "max_width must be a real number"),
])
def test_bad_notes_and_widths_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_graph(course_graph()["e"], **kwargs)


def test_bad_note_text_is_named():
    nodes = course_graph()
    with pytest.raises(TypeError, match="notes must map nodes to text"):
        draw_graph(nodes["e"], notes={nodes["a"]: 12})
