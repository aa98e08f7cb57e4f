"""Derivatives that compose: nested transforms, Hessians, VJPs, create_graph, custom rules, checkpoints."""

import math

import numpy as np
import pytest
from expressions import inputs, resolve, run, steps
from hypothesis import given, settings

import autodiff_nb as ad

SEED_E = lambda v: (v[0] * v[1]) * (v[1] + 1)  # noqa: E731 - the seed's e = (a*b)*(b+1)


def _along(concrete, xs, k):
    """The program as a function of input k alone (the others fixed)."""
    return lambda t: run(concrete, [t if m == k else x for m, x in enumerate(xs)])


@settings(max_examples=150, deadline=None)
@given(steps, inputs)
def test_second_derivatives_by_all_four_nestings_agree(program, xs):
    concrete = resolve(program, xs)
    for k in range(len(xs)):
        f = _along(concrete, xs, k)
        rr = ad.grad(ad.grad(f))(xs[k])
        ff = ad.derivative(lambda t, f=f: ad.derivative(f, t), xs[k])
        fr = ad.derivative(lambda t, f=f: ad.grad(f)(t), xs[k])
        rf = ad.grad(lambda t, f=f: ad.derivative(f, t))(xs[k])
        for value in (rr, ff, fr, rf):
            assert isinstance(value, float)
        np.testing.assert_allclose([rr, ff, fr], [rf] * 3, rtol=1e-8, atol=1e-8)
        h = 1e-5
        central = (ad.derivative(f, xs[k] + h) - ad.derivative(f, xs[k] - h)) / (2 * h)
        np.testing.assert_allclose(rr, central, rtol=1e-3, atol=1e-4)


@settings(max_examples=80, deadline=None)
@given(steps, inputs)
def test_hessian_is_symmetric_matches_finite_differences_and_hvp(program, xs):
    concrete = resolve(program, xs)
    f = lambda p: run(concrete, list(p))  # noqa: E731
    x = np.array(xs)
    hessian = ad.hessian(f, x)
    assert hessian.shape == (3, 3)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-9, atol=1e-9)
    columns = []
    for i in range(3):
        step = np.eye(3)[i] * 1e-5
        columns.append((ad.grad(f)(x + step) - ad.grad(f)(x - step)) / 2e-5)
    np.testing.assert_allclose(hessian, np.array(columns).T, rtol=1e-3, atol=1e-4)
    v = np.array([0.3, -1.2, 0.7])
    np.testing.assert_allclose(ad.hvp(f, x, v), hessian @ v, rtol=1e-9, atol=1e-9)


def test_seed_example_second_derivatives():
    hessian = ad.hessian(SEED_E, [2.0, 3.0])
    assert hessian.tolist() == [[0.0, 7.0], [7.0, 4.0]]  # d²e/da² = 0, d²e/da db = 7, d²e/db² = 4
    assert ad.grad(lambda b: ad.grad(lambda a: (a * b) * (b + 1))(2.0))(3.0) == 7.0


def test_grad_of_grad_is_not_cut():
    assert ad.grad(lambda x: ad.grad(ad.sin)(x))(0.5) == pytest.approx(-math.sin(0.5))
    assert ad.grad(ad.grad(ad.grad(ad.exp)))(1.0) == pytest.approx(math.e)
    third = ad.derivative(lambda x: ad.derivative(lambda y: ad.grad(ad.exp)(y), x), 1.0)
    assert third == pytest.approx(math.e)
    assert ad.grad(ad.grad(lambda x: 3.0 * x))(2.0) == 0.0  # a derivative that no longer depends on x


def test_nested_transforms_keep_their_variables_apart():
    # the inner function closes over the outer variable: d/dx d/dy (x y²) at y = 2 is 2y = 4
    assert ad.grad(lambda x: ad.grad(lambda y: x * y * y)(2.0))(3.0) == 4.0
    assert ad.derivative(lambda x: ad.derivative(lambda y: x * y * y, 2.0), 3.0) == 4.0
    with pytest.raises(TypeError, match="pass that variable as an argument"):
        ad.derivative(lambda x: ad.grad(lambda y: y * x)(2.0), 3.0)


def test_vjp_rows_are_the_jacobian():
    f = lambda v: [v[0] * v[1], ad.sin(v[0]), v[1] ** 2]  # noqa: E731
    x = np.array([1.0, 2.0])
    out, vjp_fn = ad.vjp(f, x)
    np.testing.assert_allclose(out, [2.0, math.sin(1.0), 4.0])
    rows = [vjp_fn(np.eye(3)[i])[0] for i in range(3)]
    np.testing.assert_allclose(rows, ad.jacobian(f, x, mode="forward"))
    (u_jac,) = vjp_fn(np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(u_jac, np.array([1.0, -2.0, 0.5]) @ ad.jacobian(f, x))
    with pytest.raises(ValueError, match="cotangent has shape"):
        vjp_fn(np.ones(2))
    out, vjp_fn = ad.vjp(lambda x, y: x * y + y, 2.0, 3.0)
    assert out == 9.0 and vjp_fn(1.0) == (3.0, 3.0)


def test_hessian_of_a_non_scalar_function_says_so():
    with pytest.raises(ValueError, match="must return a scalar"):
        ad.hessian(lambda v: [v[0], v[1]], [1.0, 2.0])
    with pytest.raises(ValueError, match="must return a scalar"):
        ad.hvp(lambda v: v * 2.0, [1.0, 2.0], [1.0, 0.0])


def test_backward_with_create_graph_records_the_gradient():
    x = ad.Value(0.5)
    y = ad.sin(x) * x
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, ad.Value) and g.data == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5))
    x.zero_grad()
    g.backward()
    assert x.grad == pytest.approx(2 * math.cos(0.5) - 0.5 * math.sin(0.5))


def test_stop_gradient_in_every_engine():
    a = ad.Value(3.0)
    (a * ad.stop_gradient(a)).backward()
    assert a.grad == 3.0
    assert ad.derivative(lambda x: x * ad.stop_gradient(x), 3.0) == 3.0
    t = ad.Tensor([1.0, 2.0], requires_grad=True)
    (t * ad.stop_gradient(t)).sum().backward()
    np.testing.assert_array_equal(t.grad, [1.0, 2.0])
    assert ad.grad(ad.grad(lambda x: x * ad.stop_gradient(x) ** 2))(2.0) == 0.0


def test_primitive_softplus_and_straight_through():
    softplus = ad.primitive(lambda x: np.logaddexp(0.0, x), lambda x: (ad.sigmoid(x),), name="softplus")
    for x in (-3.0, 0.3, 40.0):
        assert ad.grad(softplus)(x) == pytest.approx(1 / (1 + math.exp(-x)))
        assert ad.derivative(softplus, x) == pytest.approx(1 / (1 + math.exp(-x)))
    assert ad.gradcheck(lambda v: softplus(v[0]) * v[1], [0.3, -1.2]).ok
    s = 1 / (1 + math.exp(-0.3))
    assert ad.grad(ad.grad(softplus))(0.3) == pytest.approx(s * (1 - s))
    np.testing.assert_allclose(softplus(np.array([0.0, 1.0])), np.logaddexp(0, [0.0, 1.0]))
    t = ad.Tensor([0.5, -1.0], requires_grad=True)
    softplus(t).sum().backward()
    np.testing.assert_allclose(t.grad, 1 / (1 + np.exp(-t.data)))

    round_st = ad.primitive(np.round, lambda x: (1.0,))
    assert round_st(2.7) == 3.0
    assert ad.grad(lambda x: round_st(x) * x)(2.7) == pytest.approx(3.0 + 2.7)


def test_primitive_errors_name_it():
    wrong = ad.primitive(np.round, lambda x: (1.0, 2.0), name="twice")
    with pytest.raises(ValueError, match="primitive 'twice'.*one local derivative per input"):
        ad.grad(wrong)(1.0)
    no_second = ad.primitive(np.sin, lambda x: (math.cos(x),), name="math_sin")  # math: floats only
    assert ad.grad(no_second)(0.2) == pytest.approx(math.cos(0.2))
    with pytest.raises(TypeError, match="math_sin.*cannot be differentiated again"):
        ad.grad(ad.grad(no_second))(0.2)
    with pytest.raises(TypeError, match="math_sin.*nested derivative"):
        ad.derivative(lambda x: ad.grad(no_second)(x), 0.2)


def _segment(v):
    for _ in range(20):
        v = v * 1.01 + ad.sin(v) * 0.01
    return v


def test_checkpointed_gradients_equal_plain_ones():
    checkpointed = ad.checkpoint(_segment)

    def chain(x, segment):
        for _ in range(10):
            x = segment(x)
        return x * x

    plain = ad.grad(lambda x: chain(x, _segment))(0.3)
    assert ad.grad(lambda x: chain(x, checkpointed))(0.3) == pytest.approx(plain, rel=1e-13)
    y = chain(ad.Value(0.3), checkpointed)
    assert len(ad.topological_order(y)) == 12  # the leaf, ten checkpoint nodes and the square
    second = ad.grad(ad.grad(lambda x: chain(x, _segment)))(0.3)
    assert ad.grad(ad.grad(lambda x: chain(x, checkpointed)))(0.3) == pytest.approx(second, rel=1e-10)


def test_math_module_on_a_traced_value_is_an_error():
    with pytest.raises(TypeError, match="math.sin"):
        ad.grad(math.sin)(1.0)
    with pytest.raises(TypeError, match="math"):
        ad.grad(lambda x: math.exp(x) * x)(1.0)


def test_transforms_record_inside_no_grad():
    with ad.no_grad():
        assert ad.grad(lambda x: x * x)(3.0) == 6.0
        np.testing.assert_allclose(ad.jacobian(lambda v: v * 2.0, [1.0, 2.0], mode="reverse"), 2 * np.eye(2))
        assert ad.gradcheck(lambda v: v[0] * v[1], [1.0, 2.0]).ok


def test_subclasses_work_on_either_side():
    class MyValue(ad.Value):
        pass

    a, b = ad.Value(2.0), MyValue(3.0)
    for y in (a * b, b * a, a + b, b - a):
        y.backward()
    assert (a.grad, b.grad) == (3.0 + 3.0 + 1.0 - 1.0, 2.0 + 2.0 + 1.0 + 1.0)


def _mlp_losses(seed=0):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=5)

    def tensor_loss(theta):
        hidden = (ad.Tensor(X) @ theta[0:6].reshape(3, 2)).tanh()
        return (((hidden @ theta[6:8]) - ad.Tensor(y)) ** 2).mean()

    def scalar_loss(theta):
        W, w2 = theta[0:6].reshape(3, 2), theta[6:8]
        rows = []
        for i in range(5):
            hidden = [ad.tanh(ad.dot(W[:, j], X[i])) for j in range(2)]
            rows.append((ad.dot(w2, hidden) - y[i]) ** 2)
        return ad.value_sum(rows) / 5.0

    return tensor_loss, scalar_loss, rng.normal(size=8), rng.normal(size=8)


def test_tensor_hvp_of_an_mlp_loss_equals_the_scalar_engines():
    tensor_loss, scalar_loss, theta, v = _mlp_losses()
    tensor_hv = ad.hvp(tensor_loss, ad.Tensor(theta), v)
    np.testing.assert_allclose(tensor_hv, ad.hvp(scalar_loss, theta, v), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ad.hessian(tensor_loss, ad.Tensor(theta)) @ v, tensor_hv, rtol=1e-10)
    step = 1e-6
    central = (ad.grad(scalar_loss)(theta + step * v) - ad.grad(scalar_loss)(theta - step * v)) / (2 * step)
    np.testing.assert_allclose(tensor_hv, central, rtol=1e-4, atol=1e-7)


def test_tensor_transforms_nest():
    cube_sum = lambda t: (t ** 3).sum()  # noqa: E731
    x = ad.Tensor([1.0, 2.0])
    np.testing.assert_allclose(ad.grad(lambda t: (ad.grad(cube_sum)(t) ** 2).sum())(x), [36.0, 288.0])
    hessian = ad.hessian(lambda t: (t.reshape(4) ** 3).sum(), ad.Tensor(np.arange(4.0).reshape(2, 2)))
    np.testing.assert_allclose(hessian, np.diag([0.0, 6.0, 12.0, 18.0]))
    f = lambda t: (t * t).exp()  # noqa: E731
    point = ad.Tensor([0.5, -1.0])
    out, jv = ad.jvp(f, (point,), (np.array([1.0, 2.0]),))
    expected = ad.jacobian(lambda v: ad.exp(v * v), np.array([0.5, -1.0]))
    np.testing.assert_allclose(jv, expected @ [1.0, 2.0])
    np.testing.assert_allclose(ad.jacobian(f, point), expected)
    np.testing.assert_allclose(ad.jacobian(f, point, mode="reverse"), expected)
    with pytest.raises(TypeError, match="for a Tensor use jvp"):
        ad.derivative(f, point)


def test_checkpointed_tensor_blocks_give_the_same_gradients_and_hvps():
    rng = np.random.default_rng(0)

    def block(x, W):
        for _ in range(5):
            x = (x @ W).tanh()
        return x

    def loss(flat, segment):
        W, x = flat.reshape(4, 4), ad.Tensor(np.ones((2, 4)))
        for _ in range(4):
            x = segment(x, W)
        return (x ** 2).sum()

    theta, v = ad.Tensor(rng.normal(size=16) * 0.5), rng.normal(size=16)
    checkpointed = ad.checkpoint(block)
    plain_grad = ad.grad(lambda t: loss(t, block))(theta)
    np.testing.assert_allclose(ad.grad(lambda t: loss(t, checkpointed))(theta), plain_grad, rtol=1e-12)
    np.testing.assert_allclose(ad.hvp(lambda t: loss(t, checkpointed), theta, v),
                               ad.hvp(lambda t: loss(t, block), theta, v), rtol=1e-10)
    y = loss(ad.Tensor(theta.data, requires_grad=True), checkpointed)
    assert sum(node.op.startswith("checkpoint") for node in ad.topological_order(y)) == 4
    assert len(ad.topological_order(y)) < 12  # no intermediate node of any block is kept


def test_a_leaf_argument_gives_numbers_and_a_computed_one_a_traced_result():
    w = ad.Tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(ad.grad(lambda t: (t * t).sum())(w), np.ndarray)
    assert isinstance(ad.grad(lambda t: t * t)(ad.Value(3.0)), float)
    x = ad.Value(3.0)
    g = ad.grad(lambda t: t * t * t)(x * 1.0)  # computed from x: the gradient stays connected to x
    assert isinstance(g, ad.Value) and g.data == 27.0
    g.backward()
    assert x.grad == 18.0
