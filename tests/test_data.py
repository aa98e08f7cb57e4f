import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiff_nb import data


def fit_polynomial(x, y, degree):
    return np.polynomial.polynomial.polyfit(x, y, degree)  # coefficients, lowest degree first


def test_line_shapes_and_recovers_the_line():
    x, y = data.line(n=400, slope=-1.5, intercept=0.7, noise=0.1)
    assert x.shape == y.shape == (400,)
    assert x.dtype == y.dtype == np.float64
    assert np.all(np.diff(x) >= 0) and x.min() >= -2 and x.max() <= 2
    intercept, slope = fit_polynomial(x, y, 1)
    assert slope == pytest.approx(-1.5, abs=0.05) and intercept == pytest.approx(0.7, abs=0.05)


def test_line_without_noise_is_exact_and_respects_x_range():
    x, y = data.line(n=10, slope=3.0, intercept=-1.0, noise=0.0, x_range=(5, 6))
    np.testing.assert_allclose(y, 3 * x - 1)
    assert x.min() >= 5 and x.max() <= 6


def test_parabola_recovers_coefficients():
    x, y = data.parabola(n=500, a=2.0, b=-1.0, c=0.5, noise=0.05)
    assert x.shape == y.shape == (500,)
    c, b, a = fit_polynomial(x, y, 2)
    assert (a, b, c) == pytest.approx((2.0, -1.0, 0.5), abs=0.03)


def test_falling_objects_mass_does_not_matter():
    t, d, mass = data.falling_objects(n=300, masses=(1.0, 10.0), g=9.81, noise=0.05)
    assert t.shape == d.shape == mass.shape == (300,)
    assert np.all((t > 0) & (t <= 3.0))
    assert set(mass.tolist()) == {1.0, 10.0} and np.sum(mass == 1.0) == 150
    # Fitting d = a t^2 separately for light and heavy objects gives the same a = g / 2.
    for m in (1.0, 10.0):
        chosen = mass == m
        a = np.sum(d[chosen] * t[chosen] ** 2) / np.sum(t[chosen] ** 4)
        assert a == pytest.approx(9.81 / 2, rel=0.01)


def test_two_moons_shapes_balance_and_geometry():
    X, y = data.two_moons(n=201, noise=0.0)
    assert X.shape == (201, 2) and y.shape == (201,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert np.sum(y == 0) == 100 and np.sum(y == 1) == 101
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)
    assert set(y[:20].tolist()) == {0, 1}  # shuffled, not grouped


def test_spirals_shapes_and_labels():
    X, y = data.spirals(n_per_class=50, classes=4, noise=0.0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [50, 50, 50, 50]
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.max() == pytest.approx(1.0) and radius.min() > 0
    # the outermost points of the arms are spread evenly around the circle
    outer_angles = np.arctan2(X[y == 0][-1, 1], X[y == 0][-1, 0]) - np.arctan2(X[y == 1][-1, 1],
                                                                              X[y == 1][-1, 0])
    assert np.cos(outer_angles) == pytest.approx(np.cos(2 * np.pi / 4), abs=1e-9)


@pytest.mark.parametrize("make", [
    lambda seed: data.line(seed=seed),
    lambda seed: data.parabola(seed=seed),
    lambda seed: data.falling_objects(seed=seed),
    lambda seed: data.two_moons(seed=seed),
    lambda seed: data.spirals(seed=seed),
    lambda seed: data.minibatches(10, 3, seed=seed),
])
def test_same_seed_same_data_other_seed_other_data(make):
    first, again, other = make(0), make(0), make(1)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 20), seed=st.integers(0, 1000))
def test_minibatches_cover_every_index_once(n, batch_size, seed):
    batches = data.minibatches(n, batch_size, seed=seed)
    assert all(len(b) == batch_size for b in batches[:-1]) and 1 <= len(batches[-1]) <= batch_size
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))


@pytest.mark.parametrize("call, error, message", [
    (lambda: data.line(n=0), ValueError, "n must be at least 1"),
    (lambda: data.line(n=2.5), TypeError, "n must be a whole number"),
    (lambda: data.line(n=True), TypeError, "n must be a whole number"),
    (lambda: data.line(noise=-1), ValueError, "noise"),
    (lambda: data.line(slope="2"), TypeError, "slope"),
    (lambda: data.line(x_range=(1, 1)), ValueError, "x_range"),
    (lambda: data.line(x_range=5), TypeError, "x_range"),
    (lambda: data.line(seed=-1), ValueError, "seed"),
    (lambda: data.line(seed=None), TypeError, "seed"),
    (lambda: data.parabola(a=float("nan")), ValueError, "finite"),
    (lambda: data.falling_objects(masses=()), TypeError, "masses"),
    (lambda: data.falling_objects(masses=(1.0, -2.0)), ValueError, r"masses\[1\]"),
    (lambda: data.falling_objects(g=0), ValueError, "g must be positive"),
    (lambda: data.two_moons(n=1), ValueError, "n must be at least 2"),
    (lambda: data.spirals(classes=1), ValueError, "classes"),
    (lambda: data.spirals(n_per_class="many"), TypeError, "n_per_class"),
    (lambda: data.minibatches(10, 0), ValueError, "batch_size"),
])
def test_bad_arguments_give_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_integers_are_accepted():
    x, y = data.line(n=np.int64(5), seed=np.int32(3))
    assert x.shape == (5,)
