import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiff_nb import Dual, Tensor, Value, sigmoid
from autodiff_nb import losses as L

# ----- helpers ------------------------------------------------------------------------------


def reverse_gradient(loss_of, xs):
    """Gradient of loss_of(list of scalars) at xs, by reverse mode."""
    params = [Value(x) for x in xs]
    out = loss_of(params)
    out.backward()
    return [p.grad for p in params]


def forward_gradient(loss_of, xs):
    """The same gradient, one forward-mode pass per input."""
    grads = []
    for i in range(len(xs)):
        duals = [Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)]
        grads.append(loss_of(duals).tangent)
    return grads


def central_gradient(loss_of, xs, h=1e-6):
    grads = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += h
        down[i] -= h
        grads.append((loss_of(up) - loss_of(down)) / (2 * h))
    return grads


def assert_gradients_agree(loss_of, xs):
    expected = central_gradient(loss_of, xs)
    assert reverse_gradient(loss_of, xs) == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert forward_gradient(loss_of, xs) == pytest.approx(expected, rel=1e-5, abs=1e-6)


floats = st.floats(-3, 3)
probabilities = st.floats(0.02, 0.98)
labels = st.integers(0, 1)


# ----- values by hand --------------------------------------------------------------------------

def test_mse_by_hand():
    assert L.mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]) == pytest.approx(4 / 3)
    assert L.mse(3.0, 1.0) == 4.0
    assert isinstance(L.mse([1, 2], [3, 4]), float)
    assert L.mse(np.array([0.5, 1.5]), np.array([0.0, 0.0])) == pytest.approx((0.25 + 2.25) / 2)


def test_gaussian_nll_by_hand():
    # one point, sigma = 1: log(2 pi)/2 + (2 - 0.5)^2 / 2
    assert L.gaussian_nll(2.0, 0.5) == pytest.approx(0.5 * math.log(2 * math.pi) + 1.125)
    # sigma = 2: log 2 + log(2 pi)/2 + 1.5^2 / 8
    assert L.gaussian_nll(2.0, 0.5, sigma=2.0) == pytest.approx(
        math.log(2) + 0.5 * math.log(2 * math.pi) + 2.25 / 8)
    # it really is minus the log of the Gaussian density
    y, mu, s = 0.3, -0.4, 0.7
    density = math.exp(-(y - mu) ** 2 / (2 * s * s)) / math.sqrt(2 * math.pi * s * s)
    assert L.gaussian_nll([y], [mu], s) == pytest.approx(-math.log(density))
    # one sigma per example
    assert L.gaussian_nll([1.0, 1.0], [0.0, 0.0], [1.0, 2.0]) == pytest.approx(
        L.gaussian_nll(1.0, 0.0, 1.0) + L.gaussian_nll(1.0, 0.0, 2.0))


def test_bernoulli_and_bce_by_hand():
    assert L.bce([0.9, 0.2], [1, 0]) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)
    assert L.bernoulli_nll([1, 0], [0.9, 0.2]) == pytest.approx(-(math.log(0.9) + math.log(0.8)))
    soft_label_loss = -(0.5 * math.log(0.25) + 0.5 * math.log(0.75))
    assert L.bce(0.25, 0.5) == pytest.approx(soft_label_loss)
    # confident and right costs nothing (no 0 * log 0 = nan); confident and wrong costs inf
    assert L.bce([0.0, 1.0], [0, 1]) == 0.0
    assert L.bce([0.0], [1]) == math.inf


def test_bce_with_logits_by_hand_and_stable():
    z = 0.8
    assert L.bce_with_logits(z, 1) == pytest.approx(-math.log(1 / (1 + math.exp(-z))))
    assert L.bce_with_logits(z, 0) == pytest.approx(-math.log(1 - 1 / (1 + math.exp(-z))))
    assert L.bce_with_logits([0.0], [1]) == pytest.approx(math.log(2))
    # huge logits: the naive route rounds sigmoid to exactly 1.0 or 0.0 and logs a 0
    assert L.bce_with_logits([1000.0, -1000.0], [0, 1]) == pytest.approx(1000.0)
    assert L.bce_with_logits([1000.0, -1000.0], [1, 0]) == 0.0
    assert L.bce([sigmoid(40.0)], [0]) == math.inf
    assert L.bce_with_logits([40.0], [0]) == pytest.approx(40.0)


def test_softmax_and_log_softmax():
    probs = L.softmax([1.0, 2.0, 3.0])
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert probs == pytest.approx([math.exp(1) / total, math.exp(2) / total, math.exp(3) / total])
    assert sum(probs) == pytest.approx(1.0)
    assert L.log_softmax([1.0, 2.0, 3.0]) == pytest.approx([math.log(p) for p in probs])
    # shifting every score by a constant changes nothing; huge scores do not overflow
    assert L.softmax([1001.0, 1002.0, 1003.0]) == pytest.approx(probs)
    assert L.log_softmax([1000.0, 0.0]) == pytest.approx([0.0, -1000.0])
    assert L.softmax([5.0]) == [1.0]


def test_cross_entropy_and_categorical_nll_by_hand():
    row = [1.0, 2.0, 3.0]
    expected = -math.log(math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3)))
    assert L.cross_entropy(row, 2) == pytest.approx(expected)
    batch = [row, [0.0, 0.0, 0.0]]
    assert L.cross_entropy(batch, [2, 1]) == pytest.approx((expected + math.log(3)) / 2)
    assert L.cross_entropy(np.array([row, row]), np.array([2, 2])) == pytest.approx(expected)
    assert L.categorical_nll(1, [0.2, 0.5, 0.3]) == pytest.approx(-math.log(0.5))
    assert L.categorical_nll([0, 2], [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]) == pytest.approx(
        -math.log(0.2) - math.log(0.8))
    assert L.cross_entropy([[1000.0, 0.0]], [1]) == pytest.approx(1000.0)


def test_results_keep_the_input_kind():
    assert isinstance(L.mse([Value(1.0)], [0.0]), Value)
    assert isinstance(L.cross_entropy([Dual(1.0), Dual(2.0)], 0), Dual)
    assert all(isinstance(p, Value) for p in L.softmax([Value(1.0), Value(2.0)]))
    assert isinstance(L.bce_with_logits(np.array([0.5]), np.array([1])), float)


# ----- relations between NLLs and losses ---------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(floats, floats), min_size=1, max_size=8), sigma=st.floats(0.1, 5))
def test_gaussian_nll_is_mse_plus_a_constant(pairs, sigma):
    y = [a for a, _ in pairs]
    mu = [b for _, b in pairs]
    n = len(pairs)
    nll = L.gaussian_nll(y, mu, sigma)
    constant = n * (math.log(sigma) + 0.5 * math.log(2 * math.pi))
    expected = constant + n / (2 * sigma ** 2) * L.mse(mu, y)
    assert nll == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert L.mse(mu, y) == pytest.approx(2 * sigma ** 2 * (nll - constant) / n, rel=1e-9, abs=1e-9)
    # sigma = 1: the NLL and n/2 * mse differ only by the constant n log(2 pi) / 2
    difference = L.gaussian_nll(y, mu) - n / 2 * L.mse(mu, y)
    assert difference == pytest.approx(n * 0.5 * math.log(2 * math.pi))


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(probabilities, labels), min_size=1, max_size=8))
def test_bce_is_mean_bernoulli_nll(pairs):
    probs = [p for p, _ in pairs]
    targets = [t for _, t in pairs]
    assert L.bce(probs, targets) * len(pairs) == pytest.approx(L.bernoulli_nll(targets, probs))


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(st.floats(-20, 20), st.floats(0, 1)), min_size=1, max_size=8))
def test_bce_with_logits_equals_bce_of_sigmoid(pairs):
    logits = [z for z, _ in pairs]
    targets = [t for _, t in pairs]
    assert L.bce_with_logits(logits, targets) == pytest.approx(
        L.bce([sigmoid(z) for z in logits], targets), rel=1e-7, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(floats, min_size=3, max_size=3), min_size=1, max_size=5),
       data=st.data())
def test_cross_entropy_is_mean_categorical_nll_of_softmax(rows, data):
    targets = data.draw(st.lists(st.integers(0, 2), min_size=len(rows), max_size=len(rows)))
    probability_rows = [L.softmax(row) for row in rows]
    assert L.cross_entropy(rows, targets) * len(rows) == pytest.approx(
        L.categorical_nll(targets, probability_rows))


@settings(max_examples=40, deadline=None)
@given(z=st.floats(-30, 30), t=labels)
def test_two_class_cross_entropy_is_bce_with_logits(z, t):
    # softmax([0, z])[1] = sigmoid(z): a categorical model with two classes is a Bernoulli model
    expected = L.bce_with_logits(z, t)
    assert L.cross_entropy([0.0, z], t) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_maximum_likelihood_estimates():
    data = [1.0, 2.5, 3.0, 4.5]
    mean = sum(data) / len(data)
    # d NLL / d mu = 0 at the sample mean
    mu = Value(mean)
    L.gaussian_nll(data, [mu] * len(data)).backward()
    assert mu.grad == pytest.approx(0.0, abs=1e-12)
    # d NLL / d sigma = 0 at sigma^2 = mse: the MLE of the variance
    sigma = Value(math.sqrt(L.mse([mean] * len(data), data)))
    L.gaussian_nll(data, [mean] * len(data), sigma).backward()
    assert sigma.grad == pytest.approx(0.0, abs=1e-12)


# ----- gradients ----------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(pairs=st.lists(st.tuples(floats, floats), min_size=1, max_size=5))
def test_mse_gradient(pairs):
    targets = [t for _, t in pairs]
    preds = [p for p, _ in pairs]
    assert_gradients_agree(lambda ps: L.mse(ps, targets), preds)
    n = len(pairs)
    assert reverse_gradient(lambda ps: L.mse(ps, targets), preds) == pytest.approx(
        [2 * (p - t) / n for p, t in pairs])


@settings(max_examples=30, deadline=None)
@given(pairs=st.lists(st.tuples(floats, floats), min_size=1, max_size=5), sigma=st.floats(0.3, 3))
def test_gaussian_nll_gradient_in_mu_and_sigma(pairs, sigma):
    ys = [y for y, _ in pairs]
    mus = [m for _, m in pairs]
    assert_gradients_agree(lambda ms: L.gaussian_nll(ys, ms, sigma), mus)
    assert_gradients_agree(lambda s: L.gaussian_nll(ys, mus, s[0]), [sigma])


@settings(max_examples=30, deadline=None)
@given(pairs=st.lists(st.tuples(probabilities, st.floats(0, 1)), min_size=1, max_size=5))
def test_bce_and_bernoulli_nll_gradients(pairs):
    probs = [p for p, _ in pairs]
    targets = [t for _, t in pairs]
    assert_gradients_agree(lambda ps: L.bce(ps, targets), probs)
    assert_gradients_agree(lambda ps: L.bernoulli_nll(targets, ps), probs)


@settings(max_examples=30, deadline=None)
@given(pairs=st.lists(st.tuples(st.floats(-8, 8), st.floats(0, 1)), min_size=1, max_size=5))
def test_bce_with_logits_gradient(pairs):
    logits = [z for z, _ in pairs]
    targets = [t for _, t in pairs]
    assert_gradients_agree(lambda zs: L.bce_with_logits(zs, targets), logits)
    n = len(pairs)
    assert reverse_gradient(lambda zs: L.bce_with_logits(zs, targets), logits) == pytest.approx(
        [(sigmoid(z) - t) / n for z, t in pairs], abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(row=st.lists(floats, min_size=2, max_size=5), data=st.data())
def test_cross_entropy_gradient_is_softmax_minus_one_hot(row, data):
    target = data.draw(st.integers(0, len(row) - 1))
    assert_gradients_agree(lambda zs: L.cross_entropy(zs, target), row)
    one_hot = [1.0 if k == target else 0.0 for k in range(len(row))]
    assert reverse_gradient(lambda zs: L.cross_entropy(zs, target), row) == pytest.approx(
        [p - o for p, o in zip(L.softmax(row), one_hot, strict=True)], abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(row=st.lists(floats, min_size=2, max_size=5), data=st.data())
def test_categorical_nll_softmax_and_log_softmax_gradients(row, data):
    target = data.draw(st.integers(0, len(row) - 1))
    assert_gradients_agree(lambda zs: L.categorical_nll(target, L.softmax(zs)), row)
    weights = [0.5 * k - 1 for k in range(len(row))]  # reduce the vector output to a scalar
    def weighted(scores):
        return sum(w * s for w, s in zip(weights, scores, strict=True))

    assert_gradients_agree(lambda zs: weighted(L.log_softmax(zs)), row)
    assert_gradients_agree(lambda zs: weighted(L.softmax(zs)), row)


def test_gradient_through_a_batch_of_rows():
    logits = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.0)]]
    L.cross_entropy(logits, [1, 0]).backward()
    p = L.softmax([0.5, -1.0])
    assert logits[0][0].grad == pytest.approx(p[0] / 2)
    assert logits[0][1].grad == pytest.approx((p[1] - 1) / 2)


# ----- why logs: underflow -----------------------------------------------------------------

def test_product_of_probabilities_underflows_but_sum_of_logs_does_not():
    rng = np.random.default_rng(0)
    probs = rng.uniform(0.05, 0.9, 1000).tolist()
    assert L.likelihood(probs) == 0.0  # every factor is positive, yet the product is 0.0
    log_lik = L.log_likelihood(probs)
    assert math.isfinite(log_lik) and log_lik < -700   # e^-700 is already below the smallest double
    assert log_lik == pytest.approx(sum(math.log(p) for p in probs))
    assert L.likelihood(probs[:5]) == pytest.approx(math.exp(L.log_likelihood(probs[:5])))


# ----- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: L.mse([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "pred has 2 values but target has 3"),
    (lambda: L.bce([0.5], [0.5, 0.5]), ValueError, "probs has 1 values but targets has 2"),
    (lambda: L.gaussian_nll([1.0, 2.0], [1.0]), ValueError, "y has 2 values but mu has 1"),
    (lambda: L.gaussian_nll([1.0, 2.0], [1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "sigma has 3"),
    (lambda: L.gaussian_nll([1.0], [1.0], 0.0), ValueError, r"sigma\[0\] must be positive"),
    (lambda: L.gaussian_nll([1.0], [1.0], math.nan), ValueError, r"sigma\[0\] must be finite"),
    (lambda: L.mse([], []), ValueError, "empty"),
    (lambda: L.mse(["a"], [1.0]), TypeError, r"pred\[0\]"),
    (lambda: L.mse(None, 1.0), TypeError, "pred"),
    (lambda: L.mse(np.ones((2, 2)), [1.0, 1.0]), ValueError, "one-dimensional"),
    (lambda: L.bce([0.5], [1.5]), ValueError, r"targets\[0\] = 1.5 is outside \[0, 1\]"),
    (lambda: L.bce([0.5], [-0.1]), ValueError, "outside"),
    (lambda: L.bce([0.5], [Value(1.0)]), TypeError, "plain number"),
    (lambda: L.bce_with_logits([0.5], [2]), ValueError, "outside"),
    (lambda: L.bernoulli_nll([3], [0.5]), ValueError, "outside"),
    (lambda: L.cross_entropy([1.0, 2.0], 2), ValueError,
     r"targets \(a class index\) must be at least 0 and at most 1, got 2"),
    (lambda: L.cross_entropy([1.0, 2.0], -1), ValueError, "class index"),
    (lambda: L.cross_entropy([1.0, 2.0], 1.0), TypeError,
     r"targets \(a class index\) must be a whole number"),
    (lambda: L.cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, "1 rows of scores but 2 targets"),
    (lambda: L.cross_entropy([[1.0, 2.0]], 0), TypeError, "sequence of class indices"),
    (lambda: L.categorical_nll([5], [[0.5, 0.5]]), ValueError, r"y\[0\] \(a class index\).*got 5"),
    (lambda: L.mse([True], [1.0]), TypeError, r"pred\[0\] must be a real number"),
    (lambda: L.likelihood("0.5"), TypeError, "probabilities must be a real number"),
    (lambda: L.gaussian_nll(Tensor([1.0]), [1.0]), TypeError, "gaussian_nll takes numbers"),
    (lambda: L.log_likelihood(Tensor([0.5])), TypeError, "not Tensors"),
])
def test_bad_input_gives_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ----- probabilities must be probabilities (a finite negative loss teaches something false) --------

@pytest.mark.parametrize("bad", [1.5, -0.25, math.nan, math.inf])
def test_bce_refuses_probabilities_outside_the_unit_interval(bad):
    for probs in ([0.5, bad], [Value(0.5), Value(bad)], [Dual(0.5), Dual(bad)], np.array([0.5, bad])):
        with pytest.raises(ValueError, match=r"probs\[1\] = .* is outside \[0, 1\]"):
            L.bce(probs, [1.0, 1.0])
    with pytest.raises(ValueError, match=r"bce: probs must lie in \[0, 1\]"):
        L.bce(Tensor([0.5, bad], requires_grad=True), [1.0, 1.0])
    with pytest.raises(ValueError, match=r"lam\[0\] = .* is outside \[0, 1\]"):
        L.bernoulli_nll([1], [bad])
    with pytest.raises(ValueError, match=r"probs\[1\] = .* is outside \[0, 1\]"):
        L.categorical_nll(0, [0.5, bad])
    with pytest.raises(ValueError, match=r"bce_with_logits: targets must lie in \[0, 1\]"):
        L.bce_with_logits(Tensor([0.5]), [bad])


def test_probabilities_at_the_ends_of_the_interval_are_accepted():
    assert L.bce([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert L.bce(Tensor([0.0, 1.0]), [0.0, 1.0]).item() == 0.0
    assert L.categorical_nll(1, [0.0, 1.0]) == 0.0


# ----- targets are copied when the loss is recorded ---------------------------------------

def test_changing_the_targets_after_recording_does_not_change_the_gradient():
    logits0 = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    classes = np.array([2, 0])
    for loss, target, make_target in [
        (L.cross_entropy, classes, lambda: classes.copy()),
        (L.bce, np.array([0.0, 1.0]), None),
        (L.bce_with_logits, np.array([0.0, 1.0]), None),
        (L.mse, np.array([0.25, 0.75]), None),
    ]:
        start = logits0 if loss is L.cross_entropy else np.array([0.25, 0.5])
        original = target.copy() if make_target is None else make_target()
        w = Tensor(start, requires_grad=True)
        out = loss(w, target)
        target[...] = 1 if loss is L.cross_entropy else 0.5  # the caller reuses the array
        out.backward()
        w_ref = Tensor(start, requires_grad=True)
        loss(w_ref, original).backward()
        np.testing.assert_array_equal(w.grad, w_ref.grad)
    # the scalar path holds its own plain floats too
    targets = np.array([0.0, 1.0])
    p = [Value(0.25), Value(0.5)]
    out = L.bce(p, targets)
    targets[:] = 0.5
    out.backward()
    assert [v.grad for v in p] == pytest.approx([1 / (2 * 0.75), -1 / (2 * 0.5)])


# ----- which engine a loss runs on ------------------------------------------------------------

def test_tensors_take_the_tensor_path_and_everything_else_the_scalar_path():
    assert isinstance(L.mse(np.array([1.0, 2.0]), np.array([0.0, 0.0])), float)  # arrays are numbers
    assert isinstance(L.mse(Tensor([1.0, 2.0]), np.array([0.0, 0.0])), Tensor)
    assert isinstance(L.mse([1.0, 2.0], Tensor([0.0, 0.0])), Tensor)  # either argument decides
    assert L.mse(Tensor(3.0), Tensor(1.0)).item() == 4.0             # a 0-d Tensor is still a Tensor
    assert isinstance(L.cross_entropy(Tensor([1.0, 2.0]), 1), Tensor)
    assert L.softmax(Tensor([[1.0, 2.0]])).shape == (1, 2)


def test_there_is_one_softmax_for_tensors():
    import autodiff_nb as ad
    z = Tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    assert L.softmax(z).op == ad.softmax(z).op == "softmax"
    assert L.log_softmax(z).op == "log_softmax"
    np.testing.assert_array_equal(L.softmax(z).data, ad.softmax(z).data)
    np.testing.assert_array_equal(L.log_softmax(z).data, ad.log_softmax(z).data)
    # and the scalar one agrees with it, row by row
    for row, probs, logs in zip(z.data.tolist(), ad.softmax(z).data, ad.log_softmax(z).data):
        np.testing.assert_allclose(L.softmax(row), probs, rtol=1e-15)
        np.testing.assert_allclose(L.log_softmax(row), logs, rtol=1e-15)
