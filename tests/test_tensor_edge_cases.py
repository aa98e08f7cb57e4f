"""Tensor edge cases: caller arrays copied at record time, numpy() copies, iteration, empty softmax,
IEEE sums without warnings, anomaly mode on summed gradients, float() inside a transform."""

import warnings

import numpy as np
import pytest

import autodiff_nb as ad
from autodiff_nb import Tensor
from autodiff_nb.tensor import gradients, log_softmax, softmax


@pytest.fixture(autouse=True)
def no_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_an_array_operand_changed_after_recording_does_not_change_backward():
    x = np.ones(3)
    w = Tensor(np.ones(3), requires_grad=True)
    y = (w * x).sum()
    x[:] = 2.0
    y.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 1.0, 1.0])


def test_a_matmul_operand_changed_after_recording_does_not_change_backward():
    m = np.eye(2)
    w = Tensor([[1.0, 2.0]], requires_grad=True)
    y = (w @ m).sum()
    m[:] = 5.0
    y.backward()
    np.testing.assert_array_equal(w.grad, [[1.0, 1.0]])
    z = np.array([1.0, 2.0])
    v = Tensor([3.0, 4.0], requires_grad=True)
    out = (z @ v) + (z - v).sum()  # arrays on the left as well
    z[:] = 0.0
    (g,) = gradients(out, [v])
    np.testing.assert_array_equal(g, [0.0, 1.0])


def test_an_index_array_changed_after_recording_does_not_change_backward():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    rows = np.array([0, 0, 2])
    picked = x[rows]
    mask = np.array([True, False, True])
    masked = x[mask]
    rows[:] = 1
    mask[:] = False
    (picked.sum() + masked.sum()).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 2.0])


def test_numpy_returns_a_copy():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    array = w.numpy()
    array[:] = 100.0
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    y.backward()
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])


def test_iteration():
    with pytest.raises(TypeError, match="0-d"):
        iter(Tensor(5.0))
    with pytest.raises(TypeError):
        sum(Tensor(5.0))
    rows = list(Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True))
    assert [r.data.tolist() for r in rows] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert all(r.op == "getitem" for r in rows)
    assert sum(Tensor([1.0, 2.0])).item() == 3.0


def test_reduction_flags_are_checked():
    t = Tensor(np.ones((2, 3)))
    for reduce in (t.sum, t.mean, t.max):
        with pytest.raises(TypeError, match="keepdims must be True or False"):
            reduce(keepdims="yes")
    assert t.sum(axis=0, keepdims=np.bool_(True)).shape == (1, 3)


@pytest.mark.parametrize("shape, axis", [((0,), -1), ((2, 0), -1), ((0, 3), -1), ((0, 3), 0)])
def test_softmax_of_empty_tensors_is_empty(shape, axis):
    x = Tensor(np.ones(shape), requires_grad=True)
    for f in (softmax, log_softmax):
        out = f(x, axis=axis)
        assert out.shape == shape
        (g,) = gradients(out.sum(), [x])
        assert g.shape == shape


def test_overflowing_sums_are_inf_without_warnings():
    big = Tensor([1e308, 1e308])
    assert big.sum().item() == np.inf
    assert big.mean().item() == np.inf
    assert np.isnan(Tensor(np.ones((0, 2))).mean(axis=0).data).all()


def test_anomaly_mode_catches_an_infinite_sum_of_finite_gradients():
    x = Tensor([1e-300], requires_grad=True)
    c = 1e308
    y = (x * c).sum() + (x * c).sum()  # each path sends 1e308 to x: together inf
    y.backward()
    assert x.grad[0] == np.inf  # outside anomaly mode: IEEE, silently
    x.zero_grad()
    with ad.detect_anomaly():
        y = (x * c).sum() + (x * c).sum()
        with pytest.raises(ad.AnomalyError, match=r"sent a finite gradient, but the sum"):
            y.backward()


def test_float_of_a_traced_tensor_inside_a_transform_is_an_error():
    import math

    with pytest.raises(TypeError, match="cut it out of the graph"):
        ad.grad(lambda x: x * math.exp(float(x.sum())))(Tensor([1.0]))
    assert float(Tensor([2.0], requires_grad=True)) == 2.0  # outside a transform: fine
