"""The Tensor engine: API, gradients, errors, IEEE policy, modes, nn, losses and optimizers."""

import gc
import warnings
import weakref

import numpy as np
import pytest

import autodiff_nb as ad
from autodiff_nb import Tensor, losses, nn, optim
from autodiff_nb.tensor import log_softmax, softmax, unbroadcast


@pytest.fixture(autouse=True)
def no_numpy_warnings():
    """Every test here also checks that no RuntimeWarning (or any other warning) leaks out."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function f at x (the library's checker, tested on its own)."""
    return ad.numerical_grad(lambda v: float(f(v)), x, h=h)


# -- construction and attributes -------------------------------------------------------------------

def test_construction_dtypes_and_copy():
    source = np.array([1, 2, 3])
    t = Tensor(source)
    assert t.data.dtype == np.float64 and t.shape == (3,) and t.ndim == 1 and t.size == 3
    source[0] = 100
    assert t.data[0] == 1.0  # the tensor owns a copy
    assert Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32
    assert Tensor([1.0, 2.0], dtype=np.float32).dtype == np.float32
    assert Tensor(True).data.dtype == np.float64
    assert Tensor(2.5).shape == () and Tensor(2.5).item() == 2.5
    assert Tensor(Tensor([1.0])).data.tolist() == [1.0]
    assert not Tensor(1.0).requires_grad and Tensor(1.0).grad is None


@pytest.mark.parametrize("bad", ["abc", None, b"1", [1, "a"], [[1, 2], [3]], [ad.Value(1.0)],
                                 1 + 2j, np.array(["x"]), {"a": 1}])
def test_strings_and_objects_as_data_raise_type_error(bad):
    with pytest.raises(TypeError):
        Tensor(bad)


def test_other_bad_arguments():
    with pytest.raises(TypeError, match="requires_grad"):
        Tensor(1.0, requires_grad=1)
    with pytest.raises(TypeError, match="dtype"):
        Tensor(1.0, dtype=np.int64)
    with pytest.raises(ValueError, match="exactly one element"):
        Tensor([1.0, 2.0]).item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))


def test_graph_attributes_for_drawing():
    a = Tensor([1.0, 2.0], requires_grad=True, label="a")
    b = a * 3.0
    c = b.sum()
    assert a.op == "" and a.children == () and a.is_leaf and a.label == "a"
    assert b.op == "*" and b.children[0] is a and b.children[1].data == 3.0
    assert c.op == "sum" and c.children == (b,)
    assert ad.topological_order(c)[-1] is c
    d = a + a
    assert d.children == (a, a)  # duplicates kept, as for Value


def test_repr_detach_numpy_and_zero_grad():
    a = Tensor([1.0, 2.0], requires_grad=True, label="a")
    assert repr(a) == "Tensor([1., 2.], requires_grad=True, label='a')"
    assert "float32" in repr(Tensor([1.0], dtype=np.float32))
    d = (a * 2).detach()
    assert d.is_leaf and not d.requires_grad and d.data.tolist() == [2.0, 4.0]
    assert np.asarray(a).tolist() == [1.0, 2.0] and a.numpy() is not a.data
    assert float(Tensor([3.0])) == 3.0 and len(a) == 2
    (a * a).sum().backward()
    assert a.grad is not None
    a.zero_grad()
    assert a.grad is None


# -- backward --------------------------------------------------------------------------------------

def test_backward_of_a_non_scalar_needs_a_grad():
    a = Tensor([1.0, 2.0], requires_grad=True)
    y = a * a
    with pytest.raises(ValueError, match=r"one-element tensor.*shape \(2,\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\)"):
        y.backward(np.ones(3))
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(a.grad, [2.0, 40.0])


def test_backward_without_parameters_is_an_error():
    with pytest.raises(ValueError, match="requires_grad=True"):
        (Tensor([1.0]) * 2).sum().backward()


def test_leaf_gradients_accumulate_and_intermediates_reset():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = a * a
    loss = b.sum()
    loss.backward()
    np.testing.assert_array_equal(a.grad, [2.0, 4.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    loss.backward()
    np.testing.assert_array_equal(a.grad, [4.0, 8.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])  # this pass only


def test_leaf_grads_are_private_writable_arrays():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    s = a + b
    s.backward(np.ones(2))
    assert a.grad is not b.grad and a.grad is not s.grad
    a.grad *= 10  # must not change b's gradient
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    c = Tensor(np.ones((2, 3)), requires_grad=True)
    c.sum().backward()
    c.grad[0, 0] = 5.0  # sum's gradient is a broadcast view internally; the leaf gets its own copy


def test_only_tensors_requiring_grad_get_gradients():
    w = Tensor([[1.0, 2.0]], requires_grad=True)
    x = Tensor([[3.0], [4.0]])
    (x @ w).sum().backward()
    assert x.grad is None
    np.testing.assert_array_equal(w.grad, [[7.0, 7.0]])


def test_broadcast_gradient_is_summed_back_to_the_operand_shape():
    x = Tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    b = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = Tensor(np.ones((4, 1)), requires_grad=True)
    ((x + b) * c).sum().backward()
    np.testing.assert_array_equal(b.grad, [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(c.grad, (x.data + b.data).sum(axis=1, keepdims=True))
    assert unbroadcast(np.ones((2, 4, 3)), (4, 1)).tolist() == [[6.0]] * 4
    assert unbroadcast(np.ones((2, 3)), ()).shape == ()


# -- operators -------------------------------------------------------------------------------------

def test_operators_with_numbers_and_arrays_on_either_side():
    x = Tensor([1.0, 2.0, 4.0], requires_grad=True)
    arr = np.array([1.0, 1.0, 1.0])
    exprs = [2 + x, x + 2, 2 - x, x - 2, 2 * x, x * 2, 2 / x, x / 2, 2 ** x, x ** 2, -x, +x,
             arr + x, x + arr, arr * x, [1.0, 2.0, 3.0] - x]
    assert all(isinstance(e, Tensor) for e in exprs)
    np.testing.assert_allclose((2 / x).data, [2.0, 1.0, 0.5])
    np.testing.assert_allclose((2 ** x).data, [2.0, 4.0, 16.0])
    loss = (2 - x / 4) ** 2
    loss.sum().backward()
    np.testing.assert_allclose(x.grad, 2 * (2 - x.data / 4) * -0.25)


def test_elementwise_methods_and_top_level_functions():
    data = np.array([-1.5, -0.2, 0.3, 2.0])
    for name in ("exp", "sin", "cos", "tanh", "sigmoid", "relu"):
        x = Tensor(data, requires_grad=True)
        y = getattr(ad, name)(x)
        assert isinstance(y, Tensor) and y.op == name
        y.sum().backward()
        reference = getattr(ad, name)(data)
        np.testing.assert_allclose(y.data, reference)
        expected = numeric_grad(lambda v, n=name: getattr(ad, n)(v).sum(), data.copy())
        np.testing.assert_allclose(x.grad, expected, rtol=1e-6, atol=1e-8)
    x = Tensor([0.5, 2.0], requires_grad=True)
    ad.log(x).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 0.5])


def test_matmul_shapes_and_gradients():
    rng = np.random.default_rng(0)
    cases = [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
             ((2, 1, 3, 4), (5, 4, 2))]
    for sa, sb in cases:
        a0, b0 = rng.standard_normal(sa), rng.standard_normal(sb)
        a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
        out = a @ b
        np.testing.assert_allclose(out.data, a0 @ b0)
        weights = rng.standard_normal(out.shape)
        (out * weights).sum().backward()
        expected_a = numeric_grad(lambda v, b0=b0, w=weights: ((v @ b0) * w).sum(), a0.copy())
        expected_b = numeric_grad(lambda v, a0=a0, w=weights: ((a0 @ v) * w).sum(), b0.copy())
        np.testing.assert_allclose(a.grad, expected_a, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(b.grad, expected_b, rtol=1e-6, atol=1e-8)
    assert isinstance(np.ones((2, 3)) @ Tensor(np.ones((3, 1))), Tensor)


def test_shape_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4, 5\).*inner dimensions 3 and 4"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"\(2, 2, 3\) and \(3, 3, 1\).*batch"):
        Tensor(np.ones((2, 2, 3))) @ Tensor(np.ones((3, 3, 1)))
    with pytest.raises(ValueError, match=r"\(\) and \(3,\)"):
        Tensor(1.0) @ Tensor(np.ones(3))
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4,\) cannot be broadcast.*'\+'"):
        Tensor(np.ones((2, 3))) + Tensor(np.ones(4))
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2,\).*'\*'"):
        Tensor(np.ones((2, 3))) * np.ones(2)
    with pytest.raises(ValueError, match=r"shape \(2, 3\) into shape \(4,\)"):
        Tensor(np.ones((2, 3))).reshape(4)


def test_mixing_engines_or_strings_raises_type_error():
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="Value"):
        t + ad.Value(1.0)
    with pytest.raises(TypeError, match="Value"):
        ad.Value(1.0) * t
    with pytest.raises(TypeError, match="Dual"):
        t * ad.Dual(1.0, 1.0)
    with pytest.raises(TypeError):
        t + "a"
    with pytest.raises(TypeError):
        t * None
    with pytest.raises(TypeError, match="complex"):
        t * 1j


# -- reductions and shape operations ---------------------------------------------------------------

def test_sum_mean_max_values_and_gradients():
    rng = np.random.default_rng(1)
    x0 = rng.standard_normal((2, 3, 4))
    for name in ("sum", "mean", "max"):
        for axis in (None, 0, 1, -1, (0, 2)):
            for keepdims in (False, True):
                x = Tensor(x0, requires_grad=True)
                out = getattr(x, name)(axis=axis, keepdims=keepdims)
                reduce = getattr(np, name if name != "max" else "amax")
                expected = reduce(x0, axis=axis, keepdims=keepdims)
                np.testing.assert_allclose(out.data, expected)
                weights = rng.standard_normal(out.shape)
                (out * weights).sum().backward()

                def f(v, reduce=reduce, axis=axis, keepdims=keepdims, weights=weights):
                    return (reduce(v, axis=axis, keepdims=keepdims) * weights).sum()

                np.testing.assert_allclose(x.grad, numeric_grad(f, x0.copy()), rtol=1e-6, atol=1e-8)


def test_max_shares_the_gradient_between_ties():
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 0.5])


def test_reduction_axis_errors():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        x.sum(axis=2)
    with pytest.raises(ValueError, match="repeated"):
        x.mean(axis=(0, 0))
    with pytest.raises(TypeError, match="axis"):
        x.sum(axis=1.0)
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.ones((0,))).max()


def test_reshape_transpose_and_indexing():
    x0 = np.arange(24.0).reshape(2, 3, 4)
    x = Tensor(x0, requires_grad=True)
    assert x.reshape(6, 4).shape == (6, 4) and x.reshape((4, -1)).shape == (4, 6)
    assert x.T.shape == (4, 3, 2) and x.transpose(0, 2, 1).shape == (2, 4, 3)
    assert x.transpose((1, 0, 2)).shape == (3, 2, 4)
    with pytest.raises(ValueError, match="permutation"):
        x.transpose(0, 1)
    with pytest.raises(ValueError, match="repeated"):
        x.transpose(0, 0, 1)
    weights = np.random.default_rng(2).standard_normal((4, 3, 2))
    (x.T * weights).sum().backward()
    np.testing.assert_array_equal(x.grad, weights.T)

    x.zero_grad()
    picked = x[0, [0, 0, 2], 1:3]  # a repeated integer index collects two gradients
    assert picked.shape == (3, 2)
    picked.sum().backward()
    expected = np.zeros_like(x0)
    expected[0, 0, 1:3] = 2.0
    expected[0, 2, 1:3] = 1.0
    np.testing.assert_array_equal(x.grad, expected)

    x.zero_grad()
    x[x0 > 20].sum().backward()  # boolean mask
    np.testing.assert_array_equal(x.grad, (x0 > 20).astype(float))
    assert x[1, 2, 3].shape == () and x[1, 2, 3].item() == 23.0
    assert x[None, ..., 0].shape == (1, 2, 3)
    assert [row.shape for row in Tensor(np.ones((2, 3)))] == [(3,), (3,)]
    with pytest.raises(IndexError, match=r"shape \(2, 3, 4\)"):
        x[5]
    with pytest.raises(TypeError, match="not with a Tensor"):
        x[Tensor([0.0])]
    with pytest.raises(TypeError, match="index"):
        x[1.0]


# -- softmax ---------------------------------------------------------------------------------------

def test_softmax_and_log_softmax_are_stable_and_correct():
    z0 = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    z = Tensor(z0, requires_grad=True)
    s = softmax(z)
    np.testing.assert_allclose(s.data.sum(axis=1), [1.0, 1.0])
    assert np.all(np.isfinite(log_softmax(z).data))
    row = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(log_softmax(z).data[1], np.log(np.exp(row) / np.exp(row).sum()))
    weights = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]])
    for f in (softmax, log_softmax):
        z.zero_grad()
        (f(z) * weights).sum().backward()
        assert np.all(np.isfinite(z.grad))
        small = np.array([[0.1, -0.4, 0.7], [1.0, 2.0, 3.0]])
        zz = Tensor(small, requires_grad=True)
        (f(zz) * weights).sum().backward()
        numeric = numeric_grad(lambda v, f=f: (f(Tensor(v)).data * weights).sum(), small.copy())
        np.testing.assert_allclose(zz.grad, numeric, rtol=1e-6, atol=1e-8)
    col = softmax(Tensor(z0), axis=0)
    np.testing.assert_allclose(col.data.sum(axis=0), [1.0, 1.0, 1.0])
    assert ad.softmax is softmax and ad.log_softmax is log_softmax
    with pytest.raises(TypeError, match="losses.softmax"):
        softmax(ad.Value(1.0))


# -- IEEE policy, anomaly mode, no_grad ------------------------------------------------------------

def test_ieee_results_without_warnings():
    x = Tensor([0.0, -1.0, 1.0], requires_grad=True)
    y = x.log()
    assert y.data[0] == -np.inf and np.isnan(y.data[1]) and y.data[2] == 0.0
    y.backward(np.ones(3))
    assert x.grad[0] == np.inf
    q = Tensor([1.0, -1.0, 0.0]) / Tensor([0.0, 0.0, 0.0])
    assert q.data[0] == np.inf and q.data[1] == -np.inf and np.isnan(q.data[2])
    assert Tensor([1000.0]).exp().data[0] == np.inf
    assert Tensor([1e300], dtype=np.float64).__mul__(1e300).data[0] == np.inf
    assert np.isnan((Tensor([-8.0]) ** (1 / 3)).data[0])
    assert Tensor(np.ones((0, 2))).mean().data.shape == ()  # nan, silently


def test_anomaly_mode_names_the_operation():
    x = Tensor([1.0, 0.0], requires_grad=True)
    with ad.detect_anomaly():
        with pytest.raises(ad.AnomalyError, match="'log'"):
            x.log()
        y = x ** 0.5  # sqrt is finite at 0, its derivative is not
        with pytest.raises(ad.AnomalyError, match=r"backward pass.*'\*\*'"):
            y.sum().backward()
        z = (x * 2.0).sum()  # all finite: no error
        z.backward()
    assert x.log().data[1] == -np.inf  # outside the block: IEEE again


def test_no_grad_records_nothing():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with ad.no_grad():
        y = (w * 3).sum()
    assert not y.requires_grad and y.op == "" and y.children == ()
    with pytest.raises(ValueError, match="requires_grad"):
        y.backward()
    assert ad.is_grad_enabled()


def test_float32_stays_float32():
    x = Tensor(np.array([[0.5, -1.0]], dtype=np.float32), requires_grad=True)
    w = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    out = softmax((x @ w * 2.0 + 1).tanh()).sum() / 3
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32
    mixed = (x * Tensor([1.0, 2.0])).sum()  # a float64 operand promotes, as in numpy
    assert mixed.dtype == np.float64
    x.zero_grad()
    mixed.backward()
    assert x.grad.dtype == np.float32  # a gradient always has its tensor's dtype


def test_graphs_are_freed_without_the_garbage_collector():
    gc.disable()
    try:
        w = Tensor(np.ones((3, 3)), requires_grad=True)
        hidden = (w @ w).tanh()
        ref = weakref.ref(hidden)
        loss = hidden.sum()
        loss.backward()
        del hidden, loss
        assert ref() is None  # no reference cycles: freed as soon as the last reference goes
    finally:
        gc.enable()


def test_transforms_accept_tensors():
    g = ad.grad(lambda x: (x * x).sum())(Tensor([1.0, 2.0]))
    np.testing.assert_array_equal(g, [2.0, 4.0])
    value, g = ad.value_and_grad(lambda x: (x.exp()).sum())(Tensor([0.0]))
    assert value == 1.0 and g.tolist() == [1.0]


def test_viz_draws_tensor_graphs_with_shapes():
    w = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    loss = (Tensor(np.ones((4, 2))) @ w).relu().mean()
    loss.backward()
    source = ad.viz.draw_graph(loss).source
    assert "shape (2, 3)" in source and "shape (4, 3)" in source and "relu" in source


# -- tensors against the scalar engine -------------------------------------------------------------

def test_tensor_agrees_with_value_engine_on_a_small_network():
    rng = np.random.default_rng(3)
    x0, w0, b0 = rng.standard_normal((3, 2)), rng.standard_normal((2, 4)), rng.standard_normal(4)

    x, w, b = Tensor(x0), Tensor(w0, requires_grad=True), Tensor(b0, requires_grad=True)
    t_loss = losses.cross_entropy((x @ w + b).tanh(), [0, 3, 1])
    t_loss.backward()

    vw = np.vectorize(ad.Value, otypes=[object])(w0)
    vb = np.vectorize(ad.Value, otypes=[object])(b0)
    logits = ad.tanh(x0 @ vw + vb)
    v_loss = losses.cross_entropy([list(row) for row in logits], [0, 3, 1])
    v_loss.backward()
    assert t_loss.item() == pytest.approx(v_loss.data, rel=1e-12)
    np.testing.assert_allclose(w.grad, np.vectorize(lambda v: v.grad)(vw), rtol=1e-10)
    np.testing.assert_allclose(b.grad, np.vectorize(lambda v: v.grad)(vb), rtol=1e-10)


# -- losses ----------------------------------------------------------------------------------------

def test_tensor_losses_match_scalar_losses():
    rng = np.random.default_rng(4)
    pred0, target0 = rng.standard_normal(5), rng.standard_normal(5)
    probs0, labels0 = rng.uniform(0.05, 0.95, 5), np.array([0.0, 1.0, 1.0, 0.0, 0.3])
    logits0 = rng.standard_normal((4, 3)) * 5
    classes = np.array([2, 0, 1, 2])
    cases = [
        (losses.mse, pred0, target0),
        (losses.bce, probs0, labels0),
        (losses.bce_with_logits, pred0, labels0),
    ]
    for loss, a0, b0 in cases:
        a = Tensor(a0, requires_grad=True)
        out = loss(a, b0)
        assert isinstance(out, Tensor) and out.shape == ()
        out.backward()
        values = [ad.Value(v) for v in a0]
        ref = loss(values, list(b0))
        ref.backward()
        assert out.item() == pytest.approx(ref.data, rel=1e-12)
        np.testing.assert_allclose(a.grad, [v.grad for v in values], rtol=1e-10)
    z = Tensor(logits0, requires_grad=True)
    out = losses.cross_entropy(z, classes)
    out.backward()
    probs = np.exp(logits0) / np.exp(logits0).sum(axis=1, keepdims=True)
    expected_grad = (probs - np.eye(3)[classes]) / 4
    np.testing.assert_allclose(z.grad, expected_grad, rtol=1e-10, atol=1e-12)
    scalar = losses.cross_entropy(logits0.tolist(), classes.tolist())
    assert out.item() == pytest.approx(scalar, rel=1e-12)
    single = losses.cross_entropy(Tensor([1.0, 2.0, 3.0]), 2)
    assert single.item() == pytest.approx(losses.cross_entropy([1.0, 2.0, 3.0], 2), rel=1e-12)
    np.testing.assert_allclose(losses.softmax(Tensor([1.0, 2.0])).data,
                               losses.softmax([1.0, 2.0]), rtol=1e-12)
    np.testing.assert_allclose(losses.log_softmax(Tensor([1.0, 2.0])).data,
                               losses.log_softmax([1.0, 2.0]), rtol=1e-12)


def test_tensor_losses_are_stable_at_the_extremes():
    z = Tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True)
    ce = losses.cross_entropy(z, [1, 1])
    ce.backward()
    assert ce.item() == pytest.approx(1000.0) and np.all(np.isfinite(z.grad))
    z = Tensor([800.0, -800.0, 0.0], requires_grad=True)
    bl = losses.bce_with_logits(z, [1.0, 0.0, 1.0])
    bl.backward()
    assert bl.item() == pytest.approx(np.log(2) / 3)
    np.testing.assert_allclose(z.grad, [0.0, 0.0, (0.5 - 1.0) / 3])  # sigmoid(0) - t at exactly 0
    p = Tensor([0.0, 1.0, 0.5], requires_grad=True)
    b = losses.bce(p, [0.0, 1.0, 1.0])  # confident and right: exactly 0, not 0 * log 0 = nan
    b.backward()
    assert b.item() == pytest.approx(np.log(2) / 3)
    np.testing.assert_allclose(p.grad, [1 / 3, -1 / 3, -2 / 3])  # d/dp -log(1 - p) = 1 at p = 0


def test_tensor_loss_errors():
    z = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"targets of shape \(2,\)"):
        losses.cross_entropy(z, [0, 1, 2])
    with pytest.raises(ValueError, match="0 .. 2"):
        losses.cross_entropy(z, [0, 3])
    with pytest.raises(TypeError, match="integer class indices"):
        losses.cross_entropy(z, [0.0, 1.0])
    with pytest.raises(TypeError, match="not a Tensor|rather than a Tensor"):
        losses.cross_entropy(z, Tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"\(n, K\)"):
        losses.cross_entropy(Tensor(np.zeros((2, 2, 2))), [0, 1])
    with pytest.raises(ValueError, match=r"shape \(3, 1\).*shape \(3,\)"):
        losses.mse(Tensor(np.zeros((3, 1))), np.zeros(3))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        losses.bce(Tensor([0.5]), [2.0])
    with pytest.raises(TypeError):
        losses.mse(Tensor([1.0]), ["a"])


# -- nn and optim ----------------------------------------------------------------------------------

def test_linear_and_sequential():
    layer = nn.Linear(3, 2, seed=0)
    assert layer.weight.shape == (3, 2) and layer.bias.shape == (2,)
    assert np.all(np.abs(layer.weight.data) <= 1 / np.sqrt(3))
    assert layer.parameters() == [layer.weight, layer.bias]
    assert nn.Linear(3, 2, bias=False).parameters()[0].shape == (3, 2)
    same_seed = nn.Linear(3, 2, seed=5), nn.Linear(3, 2, seed=5)
    np.testing.assert_array_equal(same_seed[0].weight.data, same_seed[1].weight.data)
    model = nn.Sequential(nn.Linear(3, 4, seed=1), nn.ReLU(), nn.Linear(4, 4, seed=2), nn.Tanh(),
                          nn.Linear(4, 1, seed=3), nn.Sigmoid())
    assert len(model.parameters()) == 6 and model.num_parameters() == 3 * 4 + 4 + 4 * 4 + 4 + 4 + 1
    out = model(np.ones((5, 3)))
    assert out.shape == (5, 1) and np.all((out.data > 0) & (out.data < 1))
    assert len(model) == 6 and isinstance(model[1], nn.ReLU) and "Linear(3, 4)" in repr(model)
    out.sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    with pytest.raises(ValueError, match=r"last axis has length 3, got shape \(5, 2\)"):
        model(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"nin.*(positive|at least 1)"):
        nn.Linear(0, 2)
    with pytest.raises(TypeError, match="not callable"):
        nn.Sequential(nn.ReLU(), 3)


@pytest.mark.parametrize("make_optimizer", [
    lambda p: optim.SGD(p, lr=0.5),
    lambda p: optim.Momentum(p, lr=0.5, beta=0.9),
    lambda p: optim.Adam(p, lr=0.05),
])
def test_optimizers_train_a_tensor_classifier_on_two_moons(make_optimizer):
    X, y = ad.data.two_moons(200, noise=0.1, seed=0)
    model = nn.Sequential(nn.Linear(2, 16, seed=0), nn.Tanh(), nn.Linear(16, 16, seed=1), nn.Tanh(),
                          nn.Linear(16, 2, seed=2))
    opt = make_optimizer(model.parameters())
    inputs = Tensor(X)
    first = None
    for _ in range(300):
        loss = losses.cross_entropy(model(inputs), y)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with ad.no_grad():
        accuracy = (model(inputs).data.argmax(axis=1) == y).mean()
    assert loss.item() < first / 4 and accuracy > 0.95


def test_truth_value_and_index_lists_are_copied():
    assert Tensor([2.0]) and not Tensor(0.0)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    rows = [0, 2]
    picked = x[rows]
    rows[0] = 1  # changing the list afterwards must not change the gradient
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])


# -- subclasses ------------------------------------------------------------------------------------

class T2(Tensor):
    pass


@pytest.mark.parametrize("left_is_subclass", [False, True])
def test_subclasses_work_as_operands_on_either_side(left_is_subclass):
    left_type, right_type = (T2, Tensor) if left_is_subclass else (Tensor, T2)
    a = left_type([1.0, 2.0, 3.0], requires_grad=True)
    b = right_type([4.0, 5.0, 6.0], requires_grad=True)
    for out in (a * b, a + b, a - b, a / b, a ** b, a @ b):
        assert isinstance(out, Tensor)
    loss = (a * b * 2.0 + a / b).sum() - a @ b  # d/da = 2b + 1/b - b,  d/db = 2a - a/b^2 - a
    loss.backward()
    np.testing.assert_allclose(a.grad, b.data + 1 / b.data)
    np.testing.assert_allclose(b.grad, a.data - a.data / b.data ** 2)
    assert isinstance(ad.tanh(b), Tensor) and isinstance(softmax(b), Tensor)
