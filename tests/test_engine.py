"""The scalar engines on the source text's worked examples, edge cases and errors."""

import math

import numpy as np
import pytest

import autodiff_nb as ad
from autodiff_nb import Dual, Value


def test_forward_example_e_equals_ab_times_b_plus_1():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    d = b + 1
    e = c * d
    assert (c.data, d.data, e.data) == (6.0, 4.0, 24.0)
    assert c.partials == (3.0, 2.0)  # dc/da = b, dc/db = a
    assert e.partials == (4.0, 6.0)  # de/dc = d, de/dd = c
    e.backward()
    assert (a.grad, b.grad) == (12.0, 14.0)


def test_forward_mode_seeds_one_input_per_pass():
    def e(a, b):
        return (a * b) * (b + 1)

    assert e(Dual(2.0, 1.0), Dual(3.0, 0.0)).tangent == 12.0
    assert e(Dual(2.0, 0.0), Dual(3.0, 1.0)).tangent == 14.0


def test_reverse_example_V():
    x, y, z = Value(1.5), Value(-2.0), Value(0.5)
    V = x * y + z * (x + y)
    V.backward()
    assert x.grad == y.data + z.data
    assert y.grad == x.data + z.data
    assert z.grad == x.data + y.data


def test_tiny_network_relu_kills_gradient():
    x = Value(2.0)
    w1, b1, w2, b2 = Value(-3.0), Value(1.0), Value(2.0), Value(0.5)
    y = ((w1 * x + b1).relu() * w2) + b2
    y.backward()
    assert (y.data, w1.grad, w2.grad) == (0.5, 0.0, 0.0)
    assert b2.grad == 1.0


def test_reused_node_counts_twice():
    a = Value(3.0)
    b = a + a
    assert b.children == (a, a)
    b.backward()
    assert a.grad == 2.0
    c = Value(3.0)
    (c * c).backward()
    assert c.grad == 6.0


def test_constants_on_either_side():
    x = Value(2.0)
    for f, expected in [
        (lambda v: 3 - v, -1.0), (lambda v: v - 3, 1.0), (lambda v: 3 / v, -0.75),
        (lambda v: v / 4, 0.25), (lambda v: 2 ** v, 4 * math.log(2)), (lambda v: v ** 3, 12.0),
        (lambda v: 1 + v, 1.0), (lambda v: 5 * v, 5.0), (lambda v: -v, -1.0),
    ]:
        x.grad = 0.0
        f(x).backward()
        assert x.grad == pytest.approx(expected)


def test_value_exponent():
    x, y = Value(2.0), Value(3.0)
    z = x ** y
    z.backward()
    assert z.data == 8.0
    assert x.grad == pytest.approx(12.0)
    assert y.grad == pytest.approx(8.0 * math.log(2.0))


def test_backward_accumulates_like_pytorch():
    a, b = Value(2.0), Value(3.0)
    e = (a * b) * (b + 1)
    e.backward()
    e.backward()
    assert (a.grad, b.grad) == (24.0, 28.0)
    a.zero_grad()
    b.grad = 0.0
    e.backward()
    assert (a.grad, b.grad) == (12.0, 14.0)


def test_deep_chain_of_a_million_operations():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_topological_order_children_first_each_once():
    a = Value(1.0)
    b = a * a
    c = b + a
    order = ad.topological_order(c)
    assert order == [a, b, c]


def test_no_grad_records_nothing():
    a = Value(2.0)
    with ad.no_grad():
        b = a * 3
    assert b.children == () and b.op == ""
    assert ad.is_grad_enabled()


@pytest.mark.parametrize("method", ["exp", "log", "sin", "cos", "tanh", "sigmoid", "relu"])
def test_every_method_matches_finite_differences_in_both_modes(method):
    x0 = 0.7
    f = getattr(ad, method)
    v = Value(x0)
    getattr(v, method)().backward()
    forward = getattr(Dual(x0, 1.0), method)().tangent
    numerical = ad.numerical_derivative(f, x0)
    assert v.grad == pytest.approx(forward, rel=1e-12)
    assert v.grad == pytest.approx(numerical, rel=1e-6)


def test_one_function_every_way():
    def f(x):
        return ad.sin(x) * ad.exp(x) + ad.tanh(x) * x

    x0 = 0.3
    as_float = f(x0)
    as_array = f(np.array([x0, x0]))
    as_dual = f(Dual(x0, 1.0))
    as_value = f(Value(x0))
    as_value.backward()
    assert as_array.tolist() == pytest.approx([as_float, as_float])
    assert as_dual.primal == pytest.approx(as_float) and as_value.data == pytest.approx(as_float)
    assert ad.derivative(f, x0) == pytest.approx(ad.grad(f)(x0))
    assert ad.grad(f)(x0) == pytest.approx(ad.numerical_derivative(f, x0), rel=1e-7)


def test_sigmoid_does_not_overflow():
    assert ad.sigmoid(-1000.0) == 0.0
    assert ad.sigmoid(1000.0) == 1.0
    assert ad.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


# -- IEEE policy: the same results for floats, arrays, Values and Duals ----------------------------

def primal(x):
    """The number inside any engine's object (float() of a seeded Dual is an error on purpose)."""
    return x.primal if isinstance(x, Dual) else float(x)


@pytest.mark.parametrize("make", [float, np.array, Value, lambda x: Dual(x, 1.0)],
                         ids=["float", "array", "Value", "Dual"])
def test_ieee_policy_is_shared_by_the_elementwise_functions(make):
    assert primal(ad.log(make(0.0))) == -math.inf
    assert math.isnan(primal(ad.log(make(-1.0))))
    assert primal(ad.exp(make(1000.0))) == math.inf
    assert math.isnan(primal(ad.sin(make(math.inf))))


@pytest.mark.parametrize("make", [Value, lambda x: Dual(x, 1.0)], ids=["Value", "Dual"])
def test_ieee_policy_is_shared_by_the_operators(make):
    assert primal(make(1.0) / 0.0) == math.inf
    assert primal(make(-1.0) / 0.0) == -math.inf
    assert math.isnan(primal(make(0.0) / 0.0))
    assert math.isnan(primal(make(-8.0) ** 0.5))
    assert primal(make(10.0) ** 400) == math.inf
    assert primal(make(0.0) ** -1) == math.inf


def test_ieee_policy_division():
    assert (Value(2.0) ** -1000000).data == 0.0
    with np.errstate(all="raise"):  # the array path must not warn or raise either
        assert ad.log(np.array([0.0]))[0] == -math.inf


# -- errors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["3", None, [1.0, 2.0], 1 + 2j, object()])
def test_bad_data_raises_type_error_naming_it(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)
    with pytest.raises(TypeError, match=type(bad).__name__):
        Dual(bad)


@pytest.mark.parametrize("bad", ["3", None])
def test_bad_operand_raises_type_error(bad):
    with pytest.raises(TypeError, match=repr(bad)):
        Value(1.0) + bad
    with pytest.raises(TypeError, match=repr(bad)):
        bad * Value(1.0)
    with pytest.raises(TypeError, match=repr(bad)):
        Dual(1.0) - bad
    with pytest.raises(TypeError, match="str"):
        ad.exp("x")


def test_grad_of_vector_output_explains():
    with pytest.raises(TypeError, match="jacobian"):
        ad.grad(lambda v: [v[0], v[1]])([1.0, 2.0])


# -- anomaly mode ----------------------------------------------------------------------------------

def test_anomaly_names_forward_operation():
    x = Value(-1.0, label="x")
    y = x * 2.0
    with ad.detect_anomaly():
        with pytest.raises(ad.AnomalyError, match=r"operation 'log' produced nan.*test_engine.py"):
            y.log()
    assert math.isnan(y.log().data)  # outside anomaly mode: IEEE, no error


def test_anomaly_names_backward_operation():
    with ad.detect_anomaly():
        x = Value(0.0, label="x")
        y = x ** 0.5  # finite value 0, infinite slope
        with pytest.raises(ad.AnomalyError, match=r"backward pass.*'\*\*'.*inf.*leaf 'x'"):
            y.backward()


def test_anomaly_names_depth():
    with ad.detect_anomaly():
        a = Value(1.0)
        b = a + 1.0
        c = b * 0.0
        with pytest.raises(ad.AnomalyError, match="depth 3"):
            (b / c)


def test_anomaly_in_dual_forward_mode():
    with ad.detect_anomaly():
        with pytest.raises(ad.AnomalyError, match="'log'"):
            Dual(0.0, 1.0).log()


def test_math_module_function_on_a_dual_is_an_error_not_a_silent_zero():
    with pytest.raises(TypeError, match="autodiff_nb.sin"):
        ad.derivative(math.sin, 1.0)
    assert float(Dual(2.0)) == 2.0  # no derivative to lose: fine


def test_gradcheck_reports_the_worst_mismatch():
    good = ad.gradcheck(lambda v: v[0] * ad.sin(v[1]), [1.0, 2.0])
    assert good.ok and good.max_abs_error < 1e-8

    def wrong(v):  # reverse mode sees 2*v0*v1, the numbers see an extra 1e-3 * v1
        return v[0] ** 2 * v[1] + ad.Value(1e-3 * v[1].data) if isinstance(v[1], ad.Value) else \
            v[0] ** 2 * v[1] + 1e-3 * v[1]

    bad = ad.gradcheck(wrong, [1.0, 2.0])
    assert not bad.ok and bad.worst_index == (1,)
    assert "FAILED" in str(bad)
    with pytest.raises(AssertionError, match="worst mismatch at index"):
        ad.gradcheck(wrong, [1.0, 2.0], raise_on_failure=True)


def test_gradcheck_on_tensor_code():
    rng = np.random.default_rng(0)
    w = ad.Tensor(rng.normal(size=(3, 2)))
    result = ad.gradcheck(lambda t: ((t @ w).tanh() ** 2).sum(), ad.Tensor(rng.normal(size=(4, 3))))
    assert result.ok and result.analytic.shape == (4, 3)
