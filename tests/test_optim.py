import math
from itertools import pairwise

import numpy as np
import pytest

from autodiff_nb import Value, data, losses
from autodiff_nb.optim import SGD, Adam, Momentum, Optimizer, RandomSearch


class ArrayParam:
    """Stands in for an array parameter: ndarray data, grad an ndarray or None (meaning zero)."""

    def __init__(self, values, grad=None):
        self.data = np.array(values, dtype=float)
        self.grad = grad


class ArrayParamWithReset(ArrayParam):
    def __init__(self, values):
        super().__init__(values, grad=np.ones(len(values)))
        self.resets = 0

    def zero_grad(self):
        self.resets += 1
        self.grad = np.zeros_like(self.data)


# ----- one step by hand ---------------------------------------------------------------------------

def test_sgd_step_by_hand():
    w = Value(1.0)
    w.grad = 0.5
    a = ArrayParam([1.0, 2.0], grad=np.array([10.0, -10.0]))
    SGD([w, a], lr=0.1).step()
    assert w.data == pytest.approx(0.95) and type(w.data) is float
    np.testing.assert_allclose(a.data, [0.0, 3.0])


def test_sgd_skips_missing_array_gradients():
    a = ArrayParam([1.0, 2.0], grad=None)
    SGD([a], lr=0.1).step()
    np.testing.assert_array_equal(a.data, [1.0, 2.0])


def test_momentum_follows_the_texts_formula_exactly():
    w = Value(1.0)
    opt = Momentum([w], lr=0.5, beta=0.9)
    gradients = [2.0, -1.0, 0.5, 0.0]
    m, phi = 0.0, 1.0
    for g in gradients:
        w.grad = g
        opt.step()
        m = 0.9 * m + (1 - 0.9) * g      # m <- beta m + (1 - beta) g
        phi = phi - 0.5 * m              # phi <- phi - lr m
        assert w.data == pytest.approx(phi, rel=1e-15)
        assert opt.velocity[0] == pytest.approx(m, rel=1e-15)
    # first step: m = (1 - beta) g = 0.2, not PyTorch's m = g = 2.0
    w2 = Value(1.0)
    w2.grad = 2.0
    Momentum([w2], lr=0.5, beta=0.9).step()
    assert w2.data == pytest.approx(1.0 - 0.5 * 0.2)


def test_momentum_with_zero_beta_is_sgd():
    a, b = Value(1.0), Value(1.0)
    momentum, sgd = Momentum([a], lr=0.1, beta=0.0), SGD([b], lr=0.1)
    for g in [1.0, -2.0, 3.0]:
        a.grad = b.grad = g
        momentum.step()
        sgd.step()
        assert a.data == pytest.approx(b.data)


def test_momentum_on_arrays_treats_none_as_zero_gradient():
    p = ArrayParam([1.0, -1.0], grad=np.array([1.0, 2.0]))
    opt = Momentum([p], lr=1.0, beta=0.5)
    opt.step()                       # m = 0.5 * g = [0.5, 1.0]
    np.testing.assert_allclose(p.data, [0.5, -2.0])
    p.grad = None
    opt.step()                       # m = 0.5 * m = [0.25, 0.5]; the parameter keeps coasting
    np.testing.assert_allclose(p.data, [0.25, -2.5])


def reference_adam(params0, gradient_sequence, lr, beta1, beta2, eps):
    """Adam written out with numpy, one array for all parameters."""
    phi = np.array(params0, dtype=float)
    m = np.zeros_like(phi)
    v = np.zeros_like(phi)
    for t, g in enumerate(gradient_sequence, start=1):
        g = np.asarray(g, dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        phi = phi - lr * m_hat / (np.sqrt(v_hat) + eps)
    return phi


def test_adam_matches_a_numpy_reference_for_values_and_arrays():
    rng = np.random.default_rng(0)
    gradient_sequence = rng.normal(size=(20, 3)) * np.array([1.0, 100.0, 1e-3])
    start = [0.5, -1.0, 2.0]
    expected = reference_adam(start, gradient_sequence, lr=0.01, beta1=0.8, beta2=0.99, eps=1e-8)

    values = [Value(x) for x in start]
    array = ArrayParam(start)
    by_value = Adam(values, lr=0.01, betas=(0.8, 0.99), eps=1e-8)
    by_array = Adam([array], lr=0.01, betas=(0.8, 0.99), eps=1e-8)
    for g in gradient_sequence:
        for value, gi in zip(values, g, strict=True):
            value.grad = float(gi)
        array.grad = g.copy()
        by_value.step()
        by_array.step()
    np.testing.assert_allclose([v.data for v in values], expected, rtol=1e-12)
    np.testing.assert_allclose(array.data, expected, rtol=1e-12)
    assert by_value.t == 20


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    params = [Value(0.0), Value(0.0), Value(0.0)]
    for p, g in zip(params, [1e-4, -3.0, 5e4], strict=True):
        p.grad = g
    Adam(params, lr=0.1).step()
    assert [p.data for p in params] == pytest.approx([-0.1, 0.1, -0.1], rel=1e-3)


# ----- zero_grad, parameters, validation -------------------------------------------------------

def test_zero_grad_resets_values_and_arrays():
    w = Value(1.0)
    w.grad = 3.0
    plain = ArrayParam([1.0], grad=np.array([2.0]))
    custom = ArrayParamWithReset([1.0, 2.0])
    opt = SGD([w, plain, custom], lr=0.1)
    opt.zero_grad()
    assert w.grad == 0.0
    assert plain.grad is None
    assert custom.resets == 1 and np.all(custom.grad == 0)


def test_parameters_come_from_a_module_and_are_deduplicated():
    w, b = Value(1.0), Value(2.0)

    class Model:
        def parameters(self):
            return [w, b, w]

    opt = SGD(Model(), lr=0.1)
    assert opt.params == [w, b]
    w.grad = 1.0
    opt.step()
    assert w.data == pytest.approx(0.9)  # updated once, not twice
    assert "SGD(2 parameters, lr=0.1)" == repr(opt)


@pytest.mark.parametrize("make, error, message", [
    (lambda: SGD([Value(1.0)], lr=0), ValueError, "lr must be positive"),
    (lambda: SGD([Value(1.0)], lr=-0.1), ValueError, "lr must be positive"),
    (lambda: SGD([Value(1.0)], lr=float("nan")), ValueError, "lr must be finite"),
    (lambda: SGD([Value(1.0)], lr="0.1"), TypeError, "lr must be a real number"),
    (lambda: SGD([], lr=0.1), ValueError, "empty"),
    (lambda: SGD([1.0, 2.0], lr=0.1), TypeError, r"parameter 0 \(float"),
    (lambda: SGD(Value(1.0), lr=0.1), TypeError, "iterable"),
    (lambda: Momentum([Value(1.0)], lr=0.1, beta=1.0), ValueError, "0 <= beta < 1"),
    (lambda: Momentum([Value(1.0)], lr=0.1, beta=-0.1), ValueError, "beta"),
    (lambda: Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, "beta2"),
    (lambda: Adam([Value(1.0)], betas=0.9), TypeError, "pair"),
    (lambda: Adam([Value(1.0)], eps=0.0), ValueError, "eps"),
    (lambda: RandomSearch([Value(1.0)], loss_fn=3.0), TypeError, "loss_fn"),
    (lambda: RandomSearch([Value(1.0)], loss_fn=lambda: 0.0, scale=0), ValueError, "scale"),
    (lambda: RandomSearch([Value(1.0)], loss_fn=lambda: 0.0, seed=-2), ValueError, "seed"),
    (lambda: RandomSearch([Value(1.0)], loss_fn=lambda: "low").step(), TypeError,
     "loss_fn must return"),
    (lambda: Optimizer([Value(1.0)]).step(), NotImplementedError,
     "Optimizer does not implement step"),
])
def test_bad_settings_give_clear_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


# ----- training ----------------------------------------------------------------------------

def fit_line(make_optimizer, steps):
    x, y = data.line(n=30, slope=2.0, intercept=1.0, noise=0.1, seed=3)
    w, b = Value(0.0, label="w"), Value(0.0, label="b")
    opt = make_optimizer([w, b])
    history = []
    for _ in range(steps):
        loss = losses.mse([w * xi + b for xi in x], y.tolist())
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append(loss.data)
    best_b, best_w = np.polynomial.polynomial.polyfit(x, y, 1)
    return w.data, b.data, best_w, best_b, history


@pytest.mark.parametrize("make_optimizer, steps", [
    (lambda ps: SGD(ps, lr=0.1), 150),
    (lambda ps: Momentum(ps, lr=0.1, beta=0.9), 200),
    (lambda ps: Adam(ps, lr=0.1), 300),
], ids=["sgd", "momentum", "adam"])
def test_linear_regression_converges_to_least_squares(make_optimizer, steps):
    w, b, best_w, best_b, history = fit_line(make_optimizer, steps)
    assert w == pytest.approx(best_w, abs=1e-3) and b == pytest.approx(best_b, abs=1e-3)
    assert history[-1] < history[0] / 10


def test_random_search_improves_a_simple_loss():
    w, b = Value(0.0), Value(0.0)
    loss_fn = lambda: (w - 3.0) ** 2 + (b + 1.0) ** 2  # noqa: E731
    opt = RandomSearch([w, b], loss_fn, scale=0.3, seed=0)
    history = [opt.step() for _ in range(400)]
    assert all(later <= earlier for earlier, later in pairwise(history))  # never gets worse
    assert history[-1] < 0.01                              # started at (0 - 3)^2 + (0 + 1)^2 = 10
    assert loss_fn().data == history[-1]                   # the parameters hold the best guess
    assert 0 < opt.accepted < opt.steps == 400
    assert w.grad == 0.0 and b.grad == 0.0                 # no gradients involved


def test_random_search_is_seeded_and_works_on_arrays():
    def run(seed):
        p = ArrayParam([5.0, -5.0])
        opt = RandomSearch([p], lambda: float(np.sum(p.data ** 2)), scale=0.5, seed=seed)
        for _ in range(200):
            best = opt.step()
        return p.data.copy(), best

    first, again, other = run(0), run(0), run(1)
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], other[0])
    assert first[1] < 1.0                                  # started at 5^2 + 5^2 = 50
    assert first[1] == pytest.approx(float(np.sum(first[0] ** 2)))


def test_random_search_recovers_from_a_nan_start():
    w = Value(-1.0)
    def loss_fn():
        return math.sqrt(w.data) if w.data >= 0 else math.nan

    opt = RandomSearch([w], loss_fn, scale=2.0, seed=0)
    best = opt.step()
    for _ in range(20):
        best = opt.step()
    assert not math.isnan(best) and w.data >= 0


def test_array_parameters_keep_their_dtype_and_are_updated_in_place():
    from autodiff_nb import Tensor

    for make in (lambda ps: SGD(ps, lr=0.1), lambda ps: Momentum(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)):
        p = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
        p.grad = np.full(3, 0.5, dtype=np.float32)
        storage = p.data
        make([p]).step()
        assert p.data.dtype == np.float32 and p.data is storage
        assert np.all(p.data < 1.0)


def test_random_search_restores_rejected_array_parameters():
    from autodiff_nb import Tensor

    p = Tensor(np.zeros(4), requires_grad=True)
    search = RandomSearch([p], lambda: float(np.sum(p.data ** 2)), scale=0.5, seed=1)
    for _ in range(20):
        search.step()
    assert search.accepted == 0  # zero is the minimum: every perturbation is worse ...
    assert np.all(p.data == 0.0)  # ... and undone
