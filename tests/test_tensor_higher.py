"""Derivatives that compose in the tensor engine: create_graph, gradients(), detach, your own rules."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autodiff_nb as ad
from autodiff_nb import Tensor, losses, nn, rules
from autodiff_nb.tensor import apply_elementwise, gradients, softmax


@pytest.fixture(autouse=True)
def no_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def plain_gradient(f, x0):
    x = Tensor(x0, requires_grad=True)
    (g,) = gradients(f(x), [x])
    return g


def hvp(f, x0, v):
    """Reverse over reverse: H v = d/dx (grad f(x) . v), with the first gradient recorded."""
    x = Tensor(x0, requires_grad=True)
    (g,) = gradients(f(x), [x], create_graph=True)
    (h,) = gradients((g * v).sum(), [x])
    return h


def finite_difference_hvp(f, x0, v, eps=1e-5):
    return (plain_gradient(f, x0 + eps * v) - plain_gradient(f, x0 - eps * v)) / (2 * eps)


# -- backward(create_graph=True) -------------------------------------------------------------------

def test_create_graph_records_the_gradient_as_a_tensor():
    x = Tensor([0.5, 1.0, 2.0], requires_grad=True)
    (x.sin() * x).sum().backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Tensor) and g.requires_grad
    np.testing.assert_allclose(g.data, np.cos(x.data) * x.data + np.sin(x.data))
    x.zero_grad()  # otherwise the second pass adds onto the first gradient
    g.sum().backward()
    np.testing.assert_allclose(x.grad, -np.sin(x.data) * x.data + 2 * np.cos(x.data))


def test_create_graph_second_pass_accumulates_onto_the_first_without_zero_grad():
    x = Tensor([1.5], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad  # 3 x^2 = 6.75, a Tensor
    first.sum().backward()  # x.grad was not zeroed: 6.75 + 6 x = 15.75
    np.testing.assert_allclose(x.grad.data, [6.75 + 9.0])


def test_plain_backward_stays_arrays():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    assert isinstance(x.grad, np.ndarray)


def test_third_derivative_by_nesting():
    x = Tensor(0.7, requires_grad=True)
    (d1,) = gradients(x.sin(), [x], create_graph=True)
    (d2,) = gradients(d1, [x], create_graph=True)
    (d3,) = gradients(d2, [x])
    assert d1.item() == pytest.approx(np.cos(0.7)) and d2.item() == pytest.approx(-np.sin(0.7))
    assert float(d3) == pytest.approx(-np.cos(0.7))


def test_seed_example_second_derivatives():
    def hessian_row(i):
        p = Tensor([2.0, 3.0], requires_grad=True)
        a, b = p[0], p[1]
        (g,) = gradients((a * b) * (b + 1), [p], create_graph=True)
        (row,) = gradients(g[i], [p])
        return row

    np.testing.assert_allclose(np.array([hessian_row(0), hessian_row(1)]), [[0.0, 7.0], [7.0, 4.0]])


@pytest.mark.parametrize("name, f", [
    ("tanh", lambda x: x.tanh().sum()),
    ("sigmoid", lambda x: (x.sigmoid() * x).sum()),
    ("exp", lambda x: x.exp().mean()),
    ("log", lambda x: (x * x + 1.0).log().sum()),
    ("pow", lambda x: ((x * x + 1.0) ** 1.5).sum() + (2.0 ** x).sum() + ((x.sigmoid() + 0.5) ** x).sum()),
    ("div", lambda x: (1.0 / (x * x + 1.0)).sum() + (x / (x * x + 2.0)).sum()),
    ("trig", lambda x: (x.sin() * x.cos()).sum()),
    ("matmul", lambda x: (x @ np.arange(12.0).reshape(3, 4) * 0.1).tanh().sum()
     + (x.reshape(1, 3) @ x.reshape(3, 1)).sum() + (x @ x) ** 2),
    ("sum-mean", lambda x: (x.reshape(3, 1) * x).sum(axis=0).exp().mean() + x.mean() ** 2),
    ("softmax", lambda x: (softmax(x.reshape(1, 3) * x.reshape(3, 1)) * np.arange(9.0).reshape(3, 3)).sum()),
    ("log_softmax", lambda x: (ad.log_softmax(x * x, axis=0) * np.array([1.0, -2.0, 0.5])).sum()),
    ("indexing", lambda x: (x[[0, 0, 2]].sin() * x[1]).sum() + x[x.data > 0.8].exp().sum()),
    ("broadcasting", lambda x: (x.reshape(3, 1) * x + x).cos().sum()),
    ("max", lambda x: (x * x).max() * x.sum()),
    ("transpose", lambda x: (x.reshape(1, 3).T @ x.reshape(1, 3)).tanh().sum()),
])
def test_hessian_vector_products_against_finite_differences(name, f):
    rng = np.random.default_rng(len(name))
    x0 = rng.uniform(0.3, 1.2, 3)  # away from kinks and ties
    v = rng.standard_normal(3)
    np.testing.assert_allclose(hvp(f, x0, v), finite_difference_hvp(f, x0, v), rtol=1e-6, atol=1e-8)


def test_mlp_loss_hessian_vector_product():
    model = nn.Sequential(nn.Linear(3, 5, seed=0), nn.Tanh(), nn.Linear(5, 2, seed=1))
    rng = np.random.default_rng(7)
    inputs, targets = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    first = model.layers[0].weight
    w0 = first.data.copy()

    def loss_at(w):
        model.layers[0].weight = w
        try:
            return losses.mse(model(inputs), targets)
        finally:
            model.layers[0].weight = first

    v = rng.standard_normal(w0.shape)
    np.testing.assert_allclose(hvp(loss_at, w0, v), finite_difference_hvp(loss_at, w0, v),
                               rtol=1e-6, atol=1e-9)


def test_float32_second_derivatives_keep_dtypes():
    x = Tensor(np.array([0.5, 1.0], dtype=np.float32), requires_grad=True)
    w = Tensor([2.0, 3.0], requires_grad=True)  # float64: the product is float64
    (g,) = gradients(((x * w).tanh()).sum(), [x], create_graph=True)
    assert g.dtype == np.float32
    (h,) = gradients(g.sum(), [x])
    assert h.dtype == np.float32


def test_anomaly_mode_checks_the_traced_pass():
    x = Tensor([0.0, 1.0], requires_grad=True)
    (g,) = gradients((x ** 1.5).sum(), [x], create_graph=True)  # 1.5 sqrt(x): finite at 0
    with ad.detect_anomaly(), pytest.raises(ad.AnomalyError, match="backward pass"):
        gradients(g.sum(), [x])  # 0.75 / sqrt(x) is inf at 0


# -- gradients() -----------------------------------------------------------------------------------

def test_gradients_agree_with_backward_and_touch_no_grad():
    rng = np.random.default_rng(1)
    w = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal(2), requires_grad=True)
    x = Tensor(rng.standard_normal((4, 3)))
    hidden = (x @ w + b).tanh()
    loss = losses.mse(hidden, np.zeros((4, 2)))
    gw, gb, gh = gradients(loss, [w, b, hidden])
    assert w.grad is None and b.grad is None and hidden.grad is None
    loss.backward()
    np.testing.assert_array_equal(gw, w.grad)
    np.testing.assert_array_equal(gb, b.grad)
    np.testing.assert_array_equal(gh, hidden.grad)
    gw[0, 0] = 100.0  # every entry is its own array
    assert w.grad[0, 0] != 100.0


def test_gradients_are_vector_jacobian_products_with_grad():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    (vjp,) = gradients(y, [x], grad=np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(vjp, [2.0, 0.0, -6.0])
    (single,) = gradients(y.sum(), x)
    np.testing.assert_array_equal(single, [2.0, 4.0, 6.0])


def test_gradients_with_a_traced_cotangent_depend_on_it():
    x = Tensor([1.0, 2.0], requires_grad=True)
    u = Tensor([3.0, 5.0], requires_grad=True)
    (vjp,) = gradients(x.sin(), [x], grad=u, create_graph=True)  # u * cos(x)
    (du,) = gradients(vjp.sum(), [u])
    np.testing.assert_allclose(du, np.cos(x.data))


def test_inputs_the_output_does_not_depend_on_get_zeros():
    x = Tensor([1.0, 2.0], requires_grad=True)
    unused = Tensor(np.ones((2, 2)), requires_grad=True)
    gx, gu = gradients((x * 3.0).sum(), [x, unused])
    np.testing.assert_array_equal(gx, [3.0, 3.0])
    np.testing.assert_array_equal(gu, np.zeros((2, 2)))
    (g,) = gradients((x * 3.0).sum(), [x], create_graph=True)  # a constant gradient
    assert isinstance(g, Tensor) and not g.requires_grad
    (h,) = gradients(g.sum(), [x])  # ... so the second derivative is 0, not an error
    np.testing.assert_array_equal(h, [0.0, 0.0])
    with ad.no_grad():
        frozen = (x * 2.0).sum()
    np.testing.assert_array_equal(gradients(frozen, [x])[0], [0.0, 0.0])


def test_gradients_argument_errors():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="output must be a Tensor"):
        gradients(1.0, [x])
    with pytest.raises(TypeError, match=r"inputs\[1\] must be a Tensor"):
        gradients(x.sum(), [x, np.ones(2)])
    with pytest.raises(ValueError, match=r"inputs\[0\] does not require gradients"):
        gradients(x.sum(), [Tensor([1.0])])
    with pytest.raises(ValueError, match="one-element"):
        gradients(x * 2, [x])
    with pytest.raises(ValueError, match=r"grad has shape \(3,\)"):
        gradients(x * 2, [x], grad=np.ones(3))
    with pytest.raises(TypeError, match="create_graph"):
        gradients(x.sum(), [x], create_graph="yes")
    with pytest.raises(TypeError, match="create_graph"):
        x.sum().backward(create_graph=1)


def test_detach_stops_the_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x.detach()).sum()  # d/dx = x (the detached factor is a constant)
    np.testing.assert_array_equal(gradients(y, [x])[0], [1.0, 2.0])
    (g,) = gradients((x.detach() * x ** 2).sum(), [x], create_graph=True)
    (h,) = gradients(g.sum(), [x])
    np.testing.assert_array_equal(h, 2.0 * x.data)


# -- apply_elementwise -----------------------------------------------------------------------------

def softplus(x, m):
    """out = log(1 + e^x);  dout/dx = sigmoid(x)."""
    return m.log(1.0 + m.exp(x)), (m.sigmoid(x),)


def test_apply_elementwise_first_and_second_derivatives():
    x0 = np.array([-1.0, 0.5, 2.0])
    x = Tensor(x0, requires_grad=True)
    out = apply_elementwise("softplus", softplus, x)
    assert out.op == "softplus" and out.children == (x,)
    np.testing.assert_allclose(out.data, np.log1p(np.exp(x0)))
    (g,) = gradients(out.sum(), [x], create_graph=True)
    np.testing.assert_allclose(g.data, 1 / (1 + np.exp(-x0)))
    (h,) = gradients(g.sum(), [x])
    s = 1 / (1 + np.exp(-x0))
    np.testing.assert_allclose(h, s * (1 - s))


def test_apply_elementwise_with_constants_and_broadcasting():
    def scaled_product(x, y, c, m):
        return x * y * c, (y * c, x * c, x * y)

    x = Tensor([[1.0], [2.0]], requires_grad=True)
    y = Tensor([3.0, 4.0, 5.0], requires_grad=True)
    out = apply_elementwise("scaled_product", scaled_product, x, y, 2.0)
    assert out.shape == (2, 3) and out.children[2].data == 2.0
    gx, gy = gradients(out.sum(), [x, y])
    np.testing.assert_array_equal(gx, [[24.0], [24.0]])
    np.testing.assert_array_equal(gy, [6.0, 6.0, 6.0])
    with pytest.raises(TypeError, match="at least one operand must be a Tensor"):
        apply_elementwise("scaled_product", scaled_product, 1.0, 2.0, 3.0)


def test_apply_elementwise_straight_through_estimator():
    x = Tensor([0.2, 1.7], requires_grad=True)
    rounded = apply_elementwise("round", lambda x, m: (np.round(x), (1.0,)), x)
    np.testing.assert_array_equal(rounded.data, [0.0, 2.0])
    np.testing.assert_array_equal(gradients((rounded * x).sum(), [x])[0], [0.2 + 0.0, 1.7 + 2.0])


def test_apply_elementwise_errors_name_the_operation():
    x = Tensor([1.0, 2.0], requires_grad=True)
    numpy_only = apply_elementwise("numpy_exp", lambda v, m: (np.exp(v), (np.exp(v),)), x)
    np.testing.assert_allclose(gradients(numpy_only.sum(), [x])[0], np.exp(x.data))
    with pytest.raises(TypeError, match="'numpy_exp' cannot be differentiated twice"):
        gradients(numpy_only.sum(), [x], create_graph=True)
    with pytest.raises(ValueError, match=r"'two'.*one partial per operand \(1\), got 2"):
        apply_elementwise("two", lambda v, m: (v, (1.0, 1.0)), x)
    with pytest.raises(ValueError, match="'bad_shape'.*partial 0 of shape"):
        apply_elementwise("bad_shape", lambda v, m: (v, (np.ones(5),)), x)
    with pytest.raises(TypeError, match="'not_a_pair' must return"):
        apply_elementwise("not_a_pair", lambda v, m: v, x)
    with pytest.raises(TypeError, match="op_name"):
        apply_elementwise("", softplus, x)
    with pytest.raises(TypeError, match="rule"):
        apply_elementwise("softplus", None, x)


def test_the_shared_rules_run_on_tensors_with_the_traced_backend():
    x = Tensor([0.5, 1.5], requires_grad=True)
    out, (partial,) = rules.tanh(x, rules.TRACED)
    assert isinstance(out, Tensor) and isinstance(partial, Tensor) and partial.requires_grad
    np.testing.assert_allclose(partial.data, 1 - np.tanh(x.data) ** 2)


def test_apply_elementwise_shape_errors():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"'pair'.*\(2,\), \(3,\) cannot be broadcast"):
        apply_elementwise("pair", lambda a, b, m: (a * b, (b, a)), x, np.ones(3))
    with pytest.raises(ValueError, match=r"'grow' gave a result of shape \(3, 2\)"):
        apply_elementwise("grow", lambda a, m: (np.ones((3, 2)), (1.0,)), x)


def test_a_create_graph_pass_records_even_inside_no_grad():
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = (x ** 3).sum()
    with ad.no_grad():
        (g,) = gradients(y, [x], create_graph=True)
        assert not ad.is_grad_enabled()
    assert g.requires_grad
    np.testing.assert_allclose(gradients(g.sum(), [x])[0], 6 * x.data)


def test_a_rule_with_partials_only_is_not_rerun_forward_on_tensors():
    calls = []

    def rounding(x, m):
        calls.append(type(x).__name__)
        return np.round(x), (x * 0.0 + 1.0,)

    # deliberately not the forward partial, to see which one a create_graph pass uses
    rounding.partials_only = lambda x: (x * x,)
    x = Tensor([0.4, 1.6], requires_grad=True)
    out = apply_elementwise("rounding", rounding, x)
    (g,) = gradients(out.sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, x.data ** 2)
    (h,) = gradients(g.sum(), [x])
    np.testing.assert_allclose(h, 2 * x.data)
    assert calls == ["ndarray"]  # the forward ran once, on arrays


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["tanh", "sigmoid", "sin"]))
def test_mlp_hvp_agrees_with_the_scalar_engine(seed, activation):
    """Tensor reverse-over-reverse against the scalar engine's ad.hvp (forward over reverse)."""
    rng = np.random.default_rng(seed)
    inputs, targets = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    act = getattr(ad, activation)

    def loss(w):  # a 2-3-1 network with mean squared error, for either engine
        hidden = act(inputs @ w[:6].reshape(2, 3))
        diff = hidden @ w[6:].reshape(3, 1) - targets
        if isinstance(w, Tensor):
            return (diff * diff).mean()
        return ad.value_sum(list((diff * diff).reshape(-1))) / diff.size

    w0, v = rng.standard_normal(9), rng.standard_normal(9)
    np.testing.assert_allclose(hvp(loss, w0, v), ad.hvp(loss, w0, v), rtol=1e-9, atol=1e-12)
