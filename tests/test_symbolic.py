import math
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiff_nb.symbolic import (
    Const,
    Expr,
    Var,
    cos,
    dag_size,
    diff,
    evaluate,
    exp,
    log,
    logistic_map,
    simplify,
    sin,
    size,
    swell_table,
    tanh,
)

x, y, z = Var("x"), Var("y"), Var("z")


def central_difference(expr, var, point, h=1e-6):
    """d expr / d var at the point (a dict of variable values), by (f(v+h) - f(v-h)) / 2h."""
    up = dict(point, **{var.name: point[var.name] + h})
    down = dict(point, **{var.name: point[var.name] - h})
    return (evaluate(expr, **up) - evaluate(expr, **down)) / (2 * h)


def assert_close_to_finite_difference(expr, var, point):
    exact = evaluate(diff(expr, var), **point)
    approx = central_difference(expr, var, point)
    scale = max(1.0, abs(exact), abs(evaluate(expr, **point)))
    assert exact == pytest.approx(approx, rel=1e-5, abs=1e-5 * scale)


# ----- building and printing ------------------------------------------------------------

def same(a, b):
    """Two expressions with the same tree (nodes themselves compare by identity)."""
    return str(a) == str(b) and size(a) == size(b)


def test_operators_build_the_expected_tree():
    f = sin(x) * x + 2
    assert f.op == "+" and f.children[0].op == "*"
    product, two = f.children
    assert product.children[0].op == "sin" and product.children[0].children[0] is x
    assert product.children[1] is x
    assert isinstance(two, Const) and two.op == "const" and two.value == 2.0
    assert [(c.op, c.value) for c in (1 - x).children] == [("const", 1.0), ("var", "x")]
    assert (1 - x).op == "-" and (2 / x).op == "/" and (-x).op == "neg" and (-x).children == (x,)
    assert (x ** 3).op == "**" and (x ** 3).value == 3.0 and (x ** Const(3)).value == 3.0
    assert x.name == "x" and x.op == "var"


def test_str_is_readable_infix():
    assert str(sin(x) * x) == "sin(x) * x"
    assert str(diff(sin(x) * x, x)) == "cos(x) * 1 * x + sin(x) * 1"
    assert str(x - (y - z)) == "x - (y - z)"
    assert str((x - y) - z) == "x - y - z"
    assert str(x / (y * z)) == "x / (y * z)"
    assert str((x + y) * z) == "(x + y) * z"
    assert str(-x ** 2) == "-x**2"
    assert str((-x) ** 2) == "(-x)**2"
    assert str(Const(-2) ** 2) == "(-2)**2"
    assert str(x ** -1) == "x**(-1)"
    assert str(exp(tanh(x)) / log(cos(y))) == "exp(tanh(x)) / log(cos(y))"
    assert repr(x * y) == "<Expr *: x * y>"
    assert repr(Const(2.5)) == "Const(2.5)" and repr(x) == "Var('x')"


def test_nodes_are_immutable_and_compare_by_identity():
    f = sin(x) * x
    with pytest.raises(AttributeError, match="immutable"):
        f.children = (x, x)
    with pytest.raises(AttributeError, match="immutable"):
        x.value = "y"
    assert f == f and f != sin(x) * x        # the same tree built twice is two objects
    assert Var("x") != x and Const(1) != Const(1)
    assert len({f, f, sin(x) * x}) == 2      # a node is a dictionary key by identity
    assert isinstance(f, Expr) and isinstance(x, Expr)


def test_shared_nodes_are_visited_once():
    # l_60 is a tree of about 7e18 nodes but only 301 objects: every operation visits the objects
    f = logistic_map(60)
    assert size(f) == 6 * 2 ** 60 - 5 and dag_size(f) == 1 + 5 * 60
    df = diff(f, x)
    assert dag_size(df) < 50 * 60
    value = 0.3
    for _ in range(60):
        value = 4 * value * (1 - value)
    assert evaluate(f, x=0.3) == pytest.approx(value, abs=1e-6)
    assert math.isfinite(evaluate(df, x=0.3)) and math.isfinite(size(simplify(df)))
    assert len(str(logistic_map(12))) > 10_000  # str too: its text is long, but built once per node


@pytest.mark.parametrize("build, error, message", [
    (lambda: x + "a", TypeError, "'a'"),
    (lambda: x * None, TypeError, "None"),
    (lambda: x + True, TypeError, "True"),
    (lambda: Const("1"), TypeError, "'1'"),
    (lambda: x ** y, TypeError, "constant"),
    (lambda: x ** "2", TypeError, "exponent"),
    (lambda: x * math.inf, ValueError, "finite"),
    (lambda: 2 ** x, TypeError, "exp"),
    (lambda: Var("1x"), ValueError, "identifier"),
    (lambda: Var(3), TypeError, "must be a string"),
    (lambda: diff(x * x, "x"), TypeError, "Var"),
    (lambda: diff(3.0, x), TypeError, "Expr"),
    (lambda: size(3.0), TypeError, "Expr"),
    (lambda: evaluate(x * y, x=1.0), ValueError, "'y'"),
    (lambda: evaluate(x, x="2"), TypeError, "'x'"),
    (lambda: logistic_map(-1), ValueError, "depth"),
    (lambda: logistic_map(2.5), TypeError, "depth"),
    (lambda: evaluate(x, x=True), TypeError, "'x'"),
    (lambda: evaluate(x, x=[[1.0], [2.0, 3.0]]), TypeError, "'x'"),
])
def test_bad_input_gives_a_clear_error(build, error, message):
    with pytest.raises(error, match=message):
        build()


# ----- evaluation -------------------------------------------------------------------------

def test_evaluate_numbers_arrays_and_ieee_results():
    f = x * y + sin(x * y)
    assert evaluate(f, x=2.0, y=3.0) == pytest.approx(6 + math.sin(6))
    assert isinstance(evaluate(f, x=2.0, y=3.0), float)
    grid = np.linspace(0, 1, 5)
    np.testing.assert_allclose(evaluate(x ** 2 + 1, x=grid), grid ** 2 + 1)
    assert evaluate(log(x), x=0.0) == -math.inf
    assert evaluate(1 / x, x=0.0) == math.inf
    assert math.isnan(evaluate(x ** 0.5, x=-1.0))
    assert math.isnan(evaluate(log(x), x=-1.0))
    assert evaluate(x, x=1.0, unused=5.0) == 1.0


def test_worked_examples_from_the_text():
    a, b = Var("a"), Var("b")
    e = (a * b) * (b + 1)
    assert evaluate(e, a=2.0, b=3.0) == 24.0
    assert evaluate(diff(e, a), a=2.0, b=3.0) == 12.0
    assert evaluate(diff(e, b), a=2.0, b=3.0) == 14.0

    V = x * y + z * (x + y)
    point = dict(x=1.5, y=-2.0, z=0.25)
    assert evaluate(diff(V, x), **point) == pytest.approx(point["y"] + point["z"])
    assert evaluate(diff(V, y), **point) == pytest.approx(point["x"] + point["z"])
    assert evaluate(diff(V, z), **point) == pytest.approx(point["x"] + point["y"])


# ----- derivatives against finite differences --------------------------------------------

NAMED_FUNCTIONS = [
    # (expression, domain of x)
    (sin(x) * x, (-3.0, 3.0)),
    (x / (1 + x ** 2), (-3.0, 3.0)),
    (exp(-x ** 2), (-2.0, 2.0)),
    (log(1 + x ** 2), (-3.0, 3.0)),
    (tanh(x) * cos(x), (-3.0, 3.0)),
    (x ** 3 - 2 * x + 7, (-2.0, 2.0)),
    (x ** 0.5, (0.5, 4.0)),
    (1 / x - log(x), (0.5, 3.0)),
    (-cos(sin(exp(x / 2))), (-2.0, 2.0)),
    (logistic_map(3), (0.0, 1.0)),
]


@pytest.mark.parametrize("expr, domain", NAMED_FUNCTIONS, ids=[str(f) for f, _ in NAMED_FUNCTIONS])
@settings(max_examples=25, deadline=None)
@given(fraction=st.floats(0.05, 0.95))
def test_derivative_matches_central_difference(expr, domain, fraction):
    low, high = domain
    assert_close_to_finite_difference(expr, x, {"x": low + fraction * (high - low)})


@settings(max_examples=50, deadline=None)
@given(px=st.floats(-2, 2), py=st.floats(-2, 2))
def test_partial_derivatives_of_a_two_variable_function(px, py):
    f = x * y + sin(x * y) + exp(tanh(x - y))
    for var in (x, y):
        assert_close_to_finite_difference(f, var, {"x": px, "y": py})


# Random expressions made of operations that stay finite and smooth on [-2, 2]^2.
leaves = st.one_of(st.just(x), st.just(y), st.floats(-2, 2).map(lambda v: Const(round(v, 3))))


def _extend(children):
    unary = st.sampled_from([sin, cos, tanh, lambda u: exp(tanh(u)), lambda u: log(2 + sin(u)),
                             lambda u: -u, lambda u: u ** 2])
    binary = st.sampled_from([lambda u, v: u + v, lambda u, v: u - v, lambda u, v: u * v,
                              lambda u, v: u / (2 + cos(v))])
    return st.one_of(st.builds(lambda f, u: f(u), unary, children),
                     st.builds(lambda f, u, v: f(u, v), binary, children, children))


random_expressions = st.recursive(leaves, _extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(expr=random_expressions, px=st.floats(-2, 2), py=st.floats(-2, 2))
def test_random_expression_derivatives_match_central_differences(expr, px, py):
    for var in (x, y):
        assert_close_to_finite_difference(expr, var, {"x": px, "y": py})


@settings(max_examples=100, deadline=None)
@given(expr=random_expressions, px=st.floats(-2, 2), py=st.floats(-2, 2))
def test_simplify_and_str_preserve_the_value(expr, px, py):
    expected = evaluate(expr, x=px, y=py)
    assert evaluate(simplify(expr), x=px, y=py) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert size(simplify(expr)) <= size(expr)
    # str() is valid Python with the same meaning
    namespace = dict(sin=np.sin, cos=np.cos, tanh=np.tanh, exp=np.exp, log=np.log, x=px, y=py)
    assert eval(str(expr), namespace) == pytest.approx(expected, rel=1e-12, abs=1e-12)


# ----- simplify ---------------------------------------------------------------------------

def test_simplify_rules():
    assert simplify(x + 0) is x and simplify(0 + x) is x
    assert simplify(x - 0) is x and same(simplify(0 - x), -x)
    assert simplify(x * 1) is x and simplify(1 * x) is x
    assert same(simplify(x * 0), Const(0)) and same(simplify(0 * sin(x)), Const(0))
    assert simplify(x / 1) is x and same(simplify(0 / x), Const(0))
    assert simplify(x ** 1) is x and same(simplify(x ** 0), Const(1))
    negated = -x
    assert simplify(-negated) is x and same(simplify(0 - Const(3)), Const(-3))
    assert same(simplify(Const(2) * 3 + x), 6 + x)
    assert simplify(exp(Const(0)) * x) is x
    assert same(simplify(log(Const(0))), log(Const(0)))  # -inf is not folded away
    assert same(simplify(1 / Const(0) + x), 1 / Const(0) + x)
    assert same(simplify(diff(x * x, x)), x + x)
    f = sin(x) * y
    assert simplify(f) is f  # nothing to do: the same object back
    assert str(simplify(diff(sin(x) * x, x))) == "cos(x) * x + sin(x)"


# ----- sizes and expression swell ---------------------------------------------------------

def test_size_counts_shared_subtrees_every_time():
    assert size(x) == 1
    assert size(sin(x) * x) == 4
    s = sin(x)
    shared = s * s
    assert size(shared) == 5 and dag_size(shared) == 3
    assert size(diff(sin(x) * x, x)) == 11  # cos(x) * 1 * x + sin(x) * 1


def test_logistic_map_sizes():
    for depth in range(8):
        f = logistic_map(depth)
        assert size(f) == 6 * 2 ** depth - 5      # the tree doubles every step
        assert dag_size(f) == 1 + 5 * depth       # the code grows by one step
    f = logistic_map(2)
    value = 0.3
    l1 = 4 * value * (1 - value)
    assert evaluate(f, x=value) == pytest.approx(4 * l1 * (1 - l1))


def test_swell_table_shows_exponential_symbolic_growth_and_linear_ad_cost():
    rows = swell_table(range(1, 13))
    assert [r.depth for r in rows] == list(range(1, 13))
    for previous, current in pairwise(rows):
        assert current.f_ops - previous.f_ops == 5                   # linear: a constant step
        assert current.df_size >= 2 * previous.df_size               # at least doubles
        assert current.df_simplified_size >= 2 * previous.df_simplified_size
        # the derivative outgrows the function itself
        assert current.df_size / current.f_size > previous.df_size / previous.f_size
    # the row chapter 04 prints for depth 10
    assert rows[9] == (10, 6139, 51, 92161, 60928)
    assert str(logistic_map(2)) == "4 * 4 * x * (1 - x) * (1 - 4 * x * (1 - x))"
    last = rows[-1]
    assert last.df_simplified_size < last.df_size
    assert last.df_simplified_size > 10 ** 5 > 1000 * last.f_ops
    # the huge derivative is still correct
    f = logistic_map(6)
    assert_close_to_finite_difference(f, x, {"x": 0.37})


def test_swell_table_accepts_another_builder():
    rows = swell_table([1, 2, 3], build=lambda k: sin(x) ** k if k else x)
    assert [r.f_size for r in rows] == [3, 3, 3]
    assert rows[0].df_size == size(diff(sin(x) ** 1, x))


def test_very_deep_expressions_do_not_hit_the_recursion_limit():
    terms = 3 * 1000  # well past Python's default recursion limit of 1000
    total = x
    for k in range(terms):
        total = total + x * k
    assert size(total) == 1 + 4 * terms
    assert evaluate(diff(total, x), x=1.0) == pytest.approx(1 + sum(range(terms)))
    assert evaluate(simplify(diff(total, x)), x=1.0) == pytest.approx(1 + sum(range(terms)))
    assert str(total).startswith("x + x * 0 + x * 1")


@settings(max_examples=30, deadline=None)
@given(point=st.floats(0.1, 0.9))
def test_symbolic_forward_and_reverse_mode_agree(point):
    from autodiff_nb import Dual, Value

    for f, _ in NAMED_FUNCTIONS:
        symbolic_value = evaluate(diff(f, x), x=point)
        forward = evaluate(f, x=Dual(point, 1.0))          # the same tree, pushed through Duals
        leaf = Value(point)
        evaluate(f, x=leaf).backward()                      # ... and recorded as a Value graph
        assert forward.primal == pytest.approx(evaluate(f, x=point), rel=1e-12)
        assert forward.tangent == pytest.approx(symbolic_value, rel=1e-9, abs=1e-12)
        assert leaf.grad == pytest.approx(symbolic_value, rel=1e-9, abs=1e-12)
