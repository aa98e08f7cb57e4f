"""viz.loss_landscape_slice: filter-normalised directions (Li et al. 2018), seeded, exact."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autodiff_nb import viz  # noqa: E402
from autodiff_nb.viz import find_artist  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def trained_parameters():
    rng = np.random.default_rng(42)
    return [rng.normal(size=(4, 2)), rng.normal(size=4), 3.0 * rng.normal(size=(1, 4))]


def squared_norm(params):
    return sum(float(np.sum(p ** 2)) for p in params)


def network_loss(params):
    """Mean squared error of a 2-4-1 tanh network on a fixed little data set."""
    x = np.linspace(-1, 1, 20).reshape(10, 2)
    target = np.sin(x[:, 0]) + x[:, 1]
    hidden = np.tanh(x @ params[0].T + params[1])
    return float(np.mean(((hidden @ params[2].T)[:, 0] - target) ** 2))


def test_directions_are_filter_normalised_and_biases_ignored():
    params = trained_parameters()
    direction = viz.filter_normalized_direction(params, np.random.default_rng(0))
    for p, d in zip(params[::2], direction[::2], strict=True):
        assert d.shape == p.shape
        np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(p, axis=1))
    assert np.all(direction[1] == 0.0)
    kept = viz.filter_normalized_direction(params, np.random.default_rng(0), ignore_1d=False)
    assert np.linalg.norm(kept[1]) == pytest.approx(np.linalg.norm(params[1]))


def test_rows_are_neurons_for_higher_dimensional_arrays():
    filters = np.random.default_rng(3).normal(size=(5, 3, 2, 2))  # 5 conv filters
    (direction,) = viz.filter_normalized_direction([filters], np.random.default_rng(1))
    np.testing.assert_allclose(np.linalg.norm(direction.reshape(5, -1), axis=1),
                               np.linalg.norm(filters.reshape(5, -1), axis=1))


def test_slice_is_seeded_and_centred_on_the_trained_parameters():
    params = trained_parameters()
    first = viz.loss_landscape_slice(params, network_loss, num=9, seed=7)
    again = viz.loss_landscape_slice(params, network_loss, num=9, seed=7)
    other = viz.loss_landscape_slice(params, network_loss, num=9, seed=8)
    np.testing.assert_array_equal(first.losses, again.losses)
    assert not np.allclose(first.losses, other.losses)
    assert first.losses.shape == (9, 9)
    assert first.losses[4, 4] == first.center_loss == network_loss(params)
    np.testing.assert_allclose(first.alphas, np.linspace(-1, 1, 9))
    assert [p.shape for p in params] == [(4, 2), (4,), (1, 4)]  # inputs untouched


def test_slice_of_a_quadratic_matches_the_formula():
    params = trained_parameters()
    landscape = viz.loss_landscape_slice(params, squared_norm, span=0.5, num=5, seed=0)
    d1, d2 = landscape.directions
    for i, beta in enumerate(landscape.betas):
        for j, alpha in enumerate(landscape.alphas):
            moved = [p + alpha * a + beta * b for p, a, b in zip(params, d1, d2, strict=True)]
            assert landscape.losses[i, j] == pytest.approx(squared_norm(moved))


def test_given_directions_are_used_and_checked():
    params = [np.ones((2, 2))]
    along_first = [np.eye(2)]
    along_second = [np.zeros((2, 2))]
    landscape = viz.loss_landscape_slice(params, squared_norm, num=3,
                                         directions=(along_first, along_second))
    # alpha moves the diagonal: ||1 + alpha I||² = 2(1+alpha)² + 2; beta does nothing.
    np.testing.assert_allclose(landscape.losses, [[2 * (1 + a) ** 2 + 2 for a in (-1, 0, 1)]] * 3)
    with pytest.raises(ValueError, match="same shapes"):
        viz.loss_landscape_slice(params, squared_norm, directions=([np.eye(3)], along_second))


def test_bad_inputs_are_named():
    with pytest.raises(TypeError, match="list of numpy arrays"):
        viz.loss_landscape_slice(np.ones(3), squared_norm)
    with pytest.raises(TypeError, match="result of loss_fn must be a real number"):
        viz.loss_landscape_slice([np.ones(2)], lambda p: "low", num=2)
    with pytest.raises(ValueError, match="num"):
        viz.loss_landscape_slice([np.ones(2)], squared_norm, num=1)


@pytest.mark.parametrize("settings, error, message", [
    ({"seed": -1}, ValueError, "seed must be at least 0"),
    ({"seed": 1.5}, TypeError, "seed must be a whole number"),
    ({"num": -1}, ValueError, "num must be at least 2"),
    ({"num": 1.5}, TypeError, "num must be a whole number"),
    ({"span": math.nan}, ValueError, "span must be finite"),
    ({"span": "1"}, TypeError, "span must be a real number"),
    ({"ignore_1d": "no"}, TypeError, "ignore_1d must be True or False"),
])
def test_landscape_settings_are_checked_by_name(settings, error, message):
    with pytest.raises(error, match=message):
        viz.loss_landscape_slice([np.ones((2, 2))], squared_norm, **settings)


def test_plot_marks_the_trained_parameters_at_the_origin():
    landscape = viz.loss_landscape_slice(trained_parameters(), network_loss, num=11)
    ax = viz.plot_loss_landscape(landscape, levels=12)
    assert len(find_artist(ax, "surface").levels) >= 10
    trained = find_artist(ax, "trained")
    assert (list(trained.get_xdata()), list(trained.get_ydata())) == ([0.0], [0.0])
    surface_ax = viz.plot_loss_landscape(landscape, kind="surface")
    assert surface_ax.name == "3d"
    assert list(find_artist(surface_ax, "trained").get_data_3d()[2]) == [landscape.center_loss]
